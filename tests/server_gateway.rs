//! The generated gateway server over real HTTP on 127.0.0.1: every parameter location and
//! style, every body type, every security scheme, decorators, failing handlers and limits.

use serde_json::{Value, json};
use specbind_examples::gateway::{self, State};
use specbind_examples::gateway_api::server;

async fn start_with(config: specbind::server::Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(State, config),
    ));
    format!("http://{addr}/api")
}

async fn start() -> String {
    start_with(gateway::config()).await
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body, headers)
}

const RID: &str = "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f";

#[tokio::test]
async fn every_parameter_location_and_style_reaches_the_handler_typed() {
    let base = start().await;
    let c = reqwest::Client::new();
    let url = format!(
        "{base}/echo/42/a,b,c?q=hello%20world&flags=x,y&multi=1&multi=2&piped=p%7Cq&color=green"
    );
    let (status, body, _) = send(
        c.get(url)
            .header("x-request-id", RID)
            .header("x-trace", "t-1")
            .header("cookie", "other=1; session_hint=abc"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"id": 42, "tags": ["a", "b", "c"], "q": "hello world", "n": 5, "flags": ["x", "y"], "multi": [1, 2],
            "piped": ["p", "q"], "color": "green", "requestId": RID, "trace": "t-1", "sessionHint": "abc"})
    );
}

#[tokio::test]
async fn each_bad_parameter_gets_a_400_naming_it() {
    let base = start().await;
    let c = reqwest::Client::new();
    let ok = |path: &str| c.get(format!("{base}{path}")).header("x-request-id", RID);
    for (req, field, kind) in [
        (ok("/echo/0/a?q=hi"), "/path/id", "validation_failed"),
        (ok("/echo/x/a?q=hi"), "/path/id", "bad_request"),
        (ok("/echo/1/a"), "/query/q", "bad_request"),
        (ok("/echo/1/a?q=h"), "/query/q", "validation_failed"),
        (ok("/echo/1/a?q=hi&n=101"), "/query/n", "validation_failed"),
        (
            ok("/echo/1/a?q=hi&multi=1&multi=x"),
            "/query/multi",
            "bad_request",
        ),
        (
            ok("/echo/1/a?q=hi&color=mauve"),
            "/query/color",
            "bad_request",
        ),
        (
            c.get(format!("{base}/echo/1/a?q=hi")),
            "/header/X-Request-Id",
            "bad_request",
        ),
        (
            c.get(format!("{base}/echo/1/a?q=hi"))
                .header("x-request-id", "nope"),
            "/header/X-Request-Id",
            "bad_request",
        ),
    ] {
        let (status, body, _) = send(req).await;
        assert_eq!(status, 400, "{field}: {body}");
        assert_eq!(
            (body["field"].as_str(), body["error"].as_str()),
            (Some(field), Some(kind)),
            "{body}"
        );
    }
}

#[tokio::test]
async fn hostile_patterns_are_answered_at_once_and_named() {
    // BeezUP's URL pattern takes a backtracking engine 32 s on 40 bytes; the linear engine
    // answers 10 KB. The lookahead pattern's engine refuses what is over its budget.
    let base = start().await;
    let c = reqwest::Client::new();
    // The values need no escaping in a query string.
    let get = |query: Vec<(&str, String)>| {
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        c.get(format!("{base}/patterns?{}", query.join("&")))
    };
    let long = "a".repeat(10 * 1024);
    let (status, body, _) = send(get(vec![("url", format!("http://a.com/{long}"))])).await;
    assert_eq!(status, 204, "{body}");
    let (status, body, _) = send(get(vec![("url", format!("http://a.com/{long}!"))])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "/query/url", "{body}");
    assert_eq!(body["violations"][0]["keyword"], "pattern", "{body}");

    let (status, body, _) = send(get(vec![("slug", "a-b".into())])).await;
    assert_eq!(status, 204, "{body}");
    let (status, body, _) = send(get(vec![("slug", "-ab".into())])).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("/query/slug")),
        "{body}"
    );
    let (status, body, _) = send(get(vec![("slug", long.clone())])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "/query/slug", "{body}");
    assert!(
        body["violations"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("pattern too expensive to check")),
        "{body}"
    );
}

#[tokio::test]
async fn bodies_by_media_type() {
    let base = start().await;
    let c = reqwest::Client::new();
    // The same schema as a form and as JSON.
    let (status, body, _) = send(
        c.post(format!("{base}/forms"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Ada+L&age=36"),
    )
    .await;
    assert_eq!((status, body), (200, json!({"name": "Ada L", "age": 36})));
    let (status, body, _) = send(
        c.post(format!("{base}/forms"))
            .header("content-type", "application/json")
            .body(r#"{"name": "Ada"}"#),
    )
    .await;
    assert_eq!((status, body), (200, json!({"name": "Ada"})));
    let (status, body, _) = send(
        c.post(format!("{base}/forms"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=&age=-1"),
    )
    .await;
    assert_eq!(status, 400);
    let paths: Vec<&str> = body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert_eq!(paths, ["/body/name", "/body/age"]);
    let (status, body, _) = send(
        c.post(format!("{base}/forms"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("age=abc"),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("/body")),
        "{body}"
    );
    // Text.
    let res = c
        .post(format!("{base}/text"))
        .header("content-type", "text/plain; charset=utf-8")
        .body("shout")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(res.text().await.unwrap(), "SHOUT");
    // Bytes.
    let res = c
        .put(format!("{base}/blob"))
        .header("content-type", "application/octet-stream")
        .body(vec![1u8, 2, 3, 255])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(res.bytes().await.unwrap().to_vec(), vec![255u8, 3, 2, 1]);
    // A media type the operation does not declare.
    let (status, body, _) = send(
        c.put(format!("{base}/blob"))
            .header("content-type", "application/json")
            .body("[]"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (415, Some("unsupported_media_type"))
    );
}

#[tokio::test]
async fn security_schemes_are_enforced_before_the_handler_and_the_identity_reaches_it() {
    let base = start().await;
    let c = reqwest::Client::new();
    let who = |b: &Value| {
        (
            b["subject"].as_str().map(str::to_owned),
            b["scheme"].as_str().map(str::to_owned),
        )
    };
    let some = |s: &str, k: &str| (Some(s.to_owned()), Some(k.to_owned()));
    // API keys in a header, the query and a cookie.
    let (s, b, _) = send(
        c.get(format!("{base}/secure/header"))
            .header("x-api-key", "good"),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("key-user", "keyHeader")));
    let (s, b, _) = send(c.get(format!("{base}/secure/query?api_key=good"))).await;
    assert_eq!((s, who(&b)), (200, some("key-user", "keyQuery")));
    let (s, b, _) = send(
        c.get(format!("{base}/secure/cookie"))
            .header("cookie", "session=good"),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("key-user", "keyCookie")));
    // Missing and wrong credentials: 401, before anything else.
    for req in [
        c.get(format!("{base}/secure/header")),
        c.get(format!("{base}/secure/header"))
            .header("x-api-key", "bad"),
        c.get(format!("{base}/secure/query?api_key=bad")),
        c.get(format!("{base}/secure/cookie"))
            .header("cookie", "session=bad"),
        c.get(format!("{base}/secure/either")).bearer_auth("nope"),
        c.get(format!("{base}/secure/either"))
            .basic_auth("alice", Some("wrong")),
    ] {
        let (s, b, _) = send(req).await;
        assert_eq!((s, b["error"].as_str()), (401, Some("unauthorized")), "{b}");
    }
    // Either of two schemes.
    let (s, b, _) = send(
        c.get(format!("{base}/secure/either"))
            .bearer_auth("user-token"),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("user", "bearer")));
    let (s, b, _) = send(
        c.get(format!("{base}/secure/either"))
            .basic_auth("alice", Some("secret")),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("alice", "basic")));
    // Scopes: a valid token without the scope is 403.
    let (s, b, _) = send(
        c.get(format!("{base}/secure/scoped"))
            .bearer_auth("user-token"),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (403, Some("forbidden")), "{b}");
    let (s, b, _) = send(
        c.get(format!("{base}/secure/scoped"))
            .bearer_auth("admin-token"),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("admin", "oauth")));
    // Optional security: anonymous is fine; a key that is given must be valid.
    let (s, b, _) = send(c.get(format!("{base}/secure/optional"))).await;
    assert_eq!((s, who(&b)), (200, some("anonymous", "none")));
    let (s, b, _) = send(
        c.get(format!("{base}/secure/optional"))
            .header("x-api-key", "good"),
    )
    .await;
    assert_eq!((s, who(&b)), (200, some("key-user", "keyHeader")));
    let (s, _, _) = send(
        c.get(format!("{base}/secure/optional"))
            .header("x-api-key", "bad"),
    )
    .await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn no_authenticator_means_no_access() {
    let base = start_with(specbind::server::Config::default()).await;
    let (s, b, _) = send(
        reqwest::Client::new()
            .get(format!("{base}/secure/header"))
            .header("x-api-key", "good"),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (401, Some("unauthorized")));
}

#[tokio::test]
async fn trusted_peers() {
    let c = reqwest::Client::new();
    let open = start_with(
        gateway::config()
            .trusted_peers(["127.0.0.0/8", "::1"])
            .unwrap(),
    )
    .await;
    assert_eq!(
        c.get(format!("{open}/decorated"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let closed = start_with(gateway::config().trusted_peers(["10.0.0.0/8"]).unwrap()).await;
    let (s, b, _) = send(c.get(format!("{closed}/decorated"))).await;
    assert_eq!((s, b["error"].as_str()), (403, Some("forbidden")));
}

#[tokio::test]
async fn decorators_apply_to_their_route_only() {
    let base = start().await;
    let c = reqwest::Client::new();
    let (s, _, headers) = send(c.get(format!("{base}/decorated"))).await;
    assert_eq!(
        (s, headers.get("x-stamp").and_then(|v| v.to_str().ok())),
        (204, Some("gateway"))
    );
    let (_, _, headers) = send(c.get(format!("{base}/secure/optional"))).await;
    assert!(headers.get("x-stamp").is_none());
}

#[tokio::test]
async fn failing_handlers_are_500s_and_the_server_keeps_serving() {
    let base = start().await;
    let c = reqwest::Client::new();
    for path in ["/fail/panic", "/fail/error", "/fail/response"] {
        let (s, b, _) = send(c.get(format!("{base}{path}"))).await;
        assert_eq!(
            (s, b["error"].as_str()),
            (500, Some("internal_error")),
            "{path}: {b}"
        );
        let id = b["error_id"].as_str().unwrap();
        assert!(b["error_description"].as_str().unwrap().contains(id), "{b}");
        assert!(!b.to_string().contains("fire"), "internals leak: {b}");
    }
    let (s, _, _) = send(c.get(format!("{base}/decorated"))).await;
    assert_eq!(s, 204, "still serving");
    // Without response validation, the bad body goes out.
    let lax = start_with(gateway::config().validate_responses(false)).await;
    let (s, b, _) = send(c.get(format!("{lax}/fail/response"))).await;
    assert_eq!((s, b), (200, json!({"count": -1})));
}

#[tokio::test]
async fn timeouts_and_unbound_operations() {
    let c = reqwest::Client::new();
    let base =
        start_with(gateway::config().timeout(Some(std::time::Duration::from_millis(100)))).await;
    let (s, b, _) = send(c.get(format!("{base}/slow"))).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (408, Some("request_timeout")),
        "{b}"
    );
    let (s, b, _) = send(c.get(format!("{base}/unbound"))).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (501, Some("not_implemented")),
        "{b}"
    );
}

fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "specbind-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn multipart_files_and_fields() {
    let base = start().await;
    let c = reqwest::Client::new();
    let (ct, body) = multipart_body(&[
        ("description", None, b"a cat"),
        ("count", None, b"3"),
        ("file", Some("cat.png"), &[0u8, 159, 146, 150]),
    ]);
    let (s, b, _) = send(
        c.post(format!("{base}/upload"))
            .header("content-type", ct)
            .body(body),
    )
    .await;
    assert_eq!(
        (s, b),
        (
            200,
            json!({"description": "a cat", "count": 3, "fileName": "cat.png", "size": 4})
        )
    );
    // A required part missing, a field that does not parse, a broken body.
    let (ct, body) = multipart_body(&[("description", None, b"no file")]);
    let (s, b, _) = send(
        c.post(format!("{base}/upload"))
            .header("content-type", ct)
            .body(body),
    )
    .await;
    assert_eq!((s, b["field"].as_str()), (400, Some("/body/file")), "{b}");
    let (ct, body) = multipart_body(&[
        ("description", None, b"x"),
        ("count", None, b"three"),
        ("file", Some("f"), b"1"),
    ]);
    let (s, b, _) = send(
        c.post(format!("{base}/upload"))
            .header("content-type", ct)
            .body(body),
    )
    .await;
    assert_eq!((s, b["field"].as_str()), (400, Some("/body/count")), "{b}");
    let (s, b, _) = send(
        c.post(format!("{base}/upload"))
            .header("content-type", "multipart/form-data; boundary=zz")
            .body("garbage"),
    )
    .await;
    assert_eq!(s, 400, "{b}");
}
