//! The generated gateway client against the generated gateway server over real HTTP on
//! 127.0.0.1: every parameter location and style, every body type, every security scheme,
//! decorators, streaming, and each error variant.

use std::time::Duration;

use specbind::client::{Body, CallError, Operation as _, multipart};
use specbind_examples::gateway::{self, State};
use specbind_examples::gateway_api::client::{Client, SleepError};
use specbind_examples::gateway_api::server;
use specbind_examples::gateway_api::types::{
    Echo, EchoParamsColor, Person, Problem, Slept, Upload, Whoami,
};

async fn start() -> Client {
    start_with(gateway::config()).await
}

async fn start_with(config: specbind::server::Config) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(State, config),
    ));
    Client::new(&format!("http://{addr}/api")).expect("client")
}

const RID: &str = "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f";

#[tokio::test]
async fn every_parameter_location_and_style() {
    let client = start().await;
    let rid: specbind::__private::uuid::Uuid = RID.parse().expect("uuid");
    let echo = client
        .echo_params(
            42,
            vec!["a b".to_owned(), "c/d".to_owned()],
            "hello world",
            rid,
        )
        .flags(vec!["x".to_owned(), "y".to_owned()])
        .multi(vec![1, 2])
        .piped(vec!["p".to_owned(), "q".to_owned()])
        .color(EchoParamsColor::Green)
        .x_trace("t-1")
        .session_hint("abc")
        .await
        .expect("echoed");
    assert_eq!(
        echo,
        Echo {
            id: 42,
            tags: vec!["a b".into(), "c/d".into()],
            q: "hello world".into(),
            n: 5,
            flags: Some(vec!["x".into(), "y".into()]),
            multi: Some(vec![1, 2]),
            piped: Some(vec!["p".into(), "q".into()]),
            color: Some("green".into()),
            request_id: rid,
            trace: Some("t-1".into()),
            session_hint: Some("abc".into()),
        }
    );
    // Optional parameters left out: the server applies its default.
    let echo = client
        .echo_params(1, vec!["t".to_owned()], "qq", rid)
        .n(7)
        .await
        .expect("echoed");
    assert_eq!((echo.n, echo.flags, echo.trace), (7, None, None));
}

#[tokio::test]
async fn every_body_type() {
    let client = start().await;
    let ann = Person {
        name: "Ann".into(),
        age: Some(33),
    };
    assert_eq!(client.submit_form(ann.clone()).await.expect("json"), ann);
    assert_eq!(
        client.echo_text("quiet please").await.expect("text"),
        "QUIET PLEASE"
    );
    assert_eq!(
        client.put_blob(vec![1u8, 2, 3, 4]).await.expect("bytes"),
        vec![4u8, 3, 2, 1]
    );
    // A file streamed as the request body, and the response streamed back.
    let path = std::env::temp_dir().join(format!("specbind-blob-{}", std::process::id()));
    tokio::fs::write(&path, [1u8, 2, 3, 4, 5])
        .await
        .expect("temp file");
    let file = tokio::fs::File::open(&path).await.expect("open");
    let streamed = specbind::client::stream(client.put_blob(Body::from(file)))
        .await
        .expect("streamed");
    assert_eq!(streamed.status().as_u16(), 200);
    assert_eq!(
        streamed.bytes().await.expect("bytes").as_ref(),
        [5, 4, 3, 2, 1]
    );
    tokio::fs::remove_file(&path).await.ok();
    // Multipart with a file part.
    let form = multipart::Form::new()
        .text("description", "a report")
        .text("count", "3")
        .part(
            "file",
            multipart::Part::bytes(vec![0u8; 1000]).file_name("report.pdf"),
        );
    assert_eq!(
        client.upload(form).await.expect("multipart"),
        Upload {
            description: "a report".into(),
            count: Some(3),
            file_name: "report.pdf".into(),
            size: 1000,
        }
    );
}

#[tokio::test]
async fn every_security_scheme() {
    let client = start().await;
    let who = |subject: &str, scheme: &str| Whoami {
        subject: subject.into(),
        scheme: scheme.into(),
    };
    let keyed = client
        .clone()
        .with_key_header("good")
        .with_key_query("good")
        .with_key_cookie("good");
    assert_eq!(
        keyed.secure_header().await.expect("header key"),
        who("key-user", "keyHeader")
    );
    assert_eq!(
        keyed.secure_query().await.expect("query key"),
        who("key-user", "keyQuery")
    );
    assert_eq!(
        keyed.secure_cookie().await.expect("cookie key"),
        who("key-user", "keyCookie")
    );
    let bearer = client.clone().with_bearer("user-token");
    assert_eq!(
        bearer.secure_either().await.expect("bearer"),
        who("user", "bearer")
    );
    let basic = client.clone().with_basic("alice", "secret");
    assert_eq!(
        basic.secure_either().await.expect("basic"),
        who("alice", "basic")
    );
    let admin = client.clone().with_oauth("admin-token");
    assert_eq!(
        admin.secure_scoped().await.expect("scoped"),
        who("admin", "oauth")
    );
    assert_eq!(
        client.secure_optional().await.expect("anonymous"),
        who("anonymous", "none")
    );
    assert_eq!(
        keyed.secure_optional().await.expect("keyed"),
        who("key-user", "keyHeader")
    );
    let err = client
        .clone()
        .with_key_header("bad")
        .secure_optional()
        .await
        .expect_err("a key that is given must be valid");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    // Refusals are statuses the spec does not declare for these operations.
    let err = client.secure_header().await.expect_err("no key");
    assert!(
        matches!(&err, CallError::UnexpectedStatus { status, .. } if status.as_u16() == 401),
        "{err:?}"
    );
    let err = client
        .clone()
        .with_oauth("user-token")
        .secure_scoped()
        .await
        .expect_err("missing scope");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn decorators_change_every_request() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(State, gateway::config()),
    ));
    let client = Client::builder()
        .base_url(format!("http://{addr}/api"))
        .decorate(|request| {
            request.headers_mut().insert(
                "x-trace",
                specbind::__private::axum::http::HeaderValue::from_static("decorated"),
            );
        })
        .build()
        .expect("client");
    let rid: specbind::__private::uuid::Uuid = RID.parse().expect("uuid");
    let echo = client
        .echo_params(1, vec!["t".to_owned()], "qq", rid)
        .await
        .expect("echoed");
    assert_eq!(echo.trace.as_deref(), Some("decorated"));
}

#[tokio::test]
async fn each_error_variant() {
    let client = start().await;
    // A declared error response, typed.
    let err = client.sleep(0).fail(true).await.expect_err("asked to fail");
    match err {
        CallError::Api {
            status,
            error: SleepError::UnprocessableEntity(Problem { code, .. }),
            ..
        } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(code, "asked_to_fail");
        }
        other => panic!("expected the declared 422, got {other:?}"),
    }
    assert_eq!(client.sleep(1).await.expect("slept"), Slept { ms: 1 });
    // Refused before sending, with the server's path for the field.
    let err = client.sleep(5000).await.expect_err("above its maximum");
    let v = err.violations().expect("refused locally");
    assert_eq!(
        v.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(),
        ["/query/ms"]
    );
    let rid: specbind::__private::uuid::Uuid = RID.parse().expect("uuid");
    let err = client
        .echo_params(0, Vec::<String>::new(), "q", rid)
        .await
        .expect_err("id below its minimum, q too short");
    let mut paths: Vec<&str> = err
        .violations()
        .expect("refused locally")
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/path/id", "/query/q"]);
    // A response that breaks the spec: a server that checks its responses answers 500; one
    // that does not lets it through, and the client reports it.
    let err = client.fail_response().await.expect_err("count below 0");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let lax = start_with(gateway::config().validate_responses(false)).await;
    let err = lax.fail_response().await.expect_err("count below 0");
    match &err {
        CallError::InvalidResponse { message, .. } => {
            assert!(message.contains("/body/count"), "{message}");
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
    // Undeclared statuses: a panicking handler (500), an unbound operation (501).
    for (err, code) in [
        (client.fail_panic().await.expect_err("500"), 500),
        (client.unbound().await.expect_err("501"), 501),
    ] {
        match err {
            CallError::UnexpectedStatus { status, body, .. } => {
                assert_eq!(status.as_u16(), code);
                let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON envelope");
                assert_eq!(body["status"], code);
            }
            other => panic!("expected an undeclared status, got {other:?}"),
        }
    }
    // A timeout, per call.
    let started = std::time::Instant::now();
    let err = client
        .slow()
        .timeout(Duration::from_millis(150))
        .await
        .expect_err("the server takes 2 s");
    assert!(matches!(err, CallError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}
