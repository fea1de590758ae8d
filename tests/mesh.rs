//! The call context across three generated services on 127.0.0.1: `public` -> `user` ->
//! `login`, plus a parallel fan-out and a spawned task from `public`.

use serde_json::Value;
use specbind::server::Config;
use specbind_examples::mesh::{PublicState, UserState};
use specbind_examples::{mesh_login, mesh_public, mesh_user};

async fn serve(router: specbind::__private::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}")
}

/// Starts the three services; returns the URL of `public`.
async fn mesh() -> String {
    let login = serve(mesh_login::server::router_with((), Config::default())).await;
    let login_client = mesh_login::client::Client::new(&login).expect("client");
    let user = serve(mesh_user::server::router_with(
        UserState {
            login: login_client.clone(),
        },
        Config::default(),
    ))
    .await;
    serve(mesh_public::server::router_with(
        PublicState {
            user: mesh_user::client::Client::new(&user).expect("client"),
            login: login_client,
        },
        Config::default(),
    ))
    .await
}

async fn get(url: &str, headers: &[(&str, &str)]) -> (u16, String, Value) {
    let mut req = reqwest::Client::new().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("sent");
    let status = res.status().as_u16();
    let id = res
        .headers()
        .get("x-call-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = serde_json::from_slice(&res.bytes().await.expect("body")).expect("JSON");
    (status, id, body)
}

/// Every (service, call ID, call path) in a `Seen` tree, depth first.
fn flatten(seen: &Value, out: &mut Vec<(String, String, String)>) {
    out.push((
        seen["service"].as_str().unwrap_or_default().to_owned(),
        seen["callId"].as_str().unwrap_or_default().to_owned(),
        seen["callPath"].as_str().unwrap_or_default().to_owned(),
    ));
    for next in seen["next"].as_array().into_iter().flatten() {
        flatten(next, out);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_call_id_and_the_path_of_each_hop() {
    let public = mesh().await;
    let (status, id, body) = get(&format!("{public}/hello/ann"), &[]).await;
    assert_eq!(status, 200, "{body}");
    let id: specbind::uuid::Uuid = id.parse().expect("the response carries a UUID call ID");
    let mut seen = Vec::new();
    flatten(&body, &mut seen);
    let paths: Vec<(&str, &str)> = seen
        .iter()
        .map(|(s, _, p)| (s.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("public", "public"),
            // The chain.
            ("user", "public.user"),
            ("login", "public.user.login"),
            // The parallel fan-out.
            ("user", "public.user"),
            ("login", "public.user.login"),
            ("login", "public.login"),
            // The spawned task.
            ("login", "public.login"),
        ]
    );
    for (service, call_id, _) in &seen {
        assert_eq!(call_id, &id.to_string(), "{service} saw another call ID");
    }
    // A call ID from the caller is kept, and a trace parent is forwarded unchanged.
    let given = "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f";
    let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let (_, id, body) = get(
        &format!("{public}/hello/bob"),
        &[("x-call-id", given), ("traceparent", trace)],
    )
    .await;
    assert_eq!(id, given);
    let mut seen = Vec::new();
    flatten(&body, &mut seen);
    assert!(seen.iter().all(|(_, c, _)| c == given));
    assert_eq!(body["next"][0]["next"][0]["traceparent"], trace);
}

#[tokio::test]
async fn spoofed_headers_get_a_fresh_id_and_a_bounded_path() {
    let public = mesh().await;
    let long = "x.".repeat(5 * 1024);
    let (status, id, body) = get(
        &format!("{public}/hello/ann"),
        &[("x-call-id", "<script>"), ("x-call-path", &long)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let parsed: specbind::uuid::Uuid = id.parse().expect("a fresh UUID");
    assert_eq!(body["callId"], parsed.to_string());
    let path = body["callPath"].as_str().expect("a path");
    assert!(
        path.len() <= specbind::context::MAX_PATH_BYTES,
        "{} bytes",
        path.len()
    );
    assert_eq!(path.split('.').count(), specbind::context::MAX_HOPS);
    assert!(path.ends_with("x.public"), "{path}");
    // Deeper hops stay bounded too.
    let login_path = body["next"][0]["next"][0]["callPath"]
        .as_str()
        .expect("path");
    assert!(login_path.len() <= specbind::context::MAX_PATH_BYTES);
    assert!(login_path.ends_with(".public.user.login"), "{login_path}");
    // Names with other characters are dropped, not reflected.
    let (_, _, body) = get(
        &format!("{public}/hello/ann"),
        &[("x-call-path", "edge.<img src=x>.ok")],
    )
    .await;
    assert_eq!(body["callPath"], "edge.ok.public");
}

#[tokio::test]
async fn loops_are_508_and_errors_quote_the_call_id() {
    let public = mesh().await;
    let (status, id, body) = get(
        &format!("{public}/hello/ann"),
        &[("x-call-path", "public.user.public.user.public.user.public")],
    )
    .await;
    assert_eq!(status, 508, "{body}");
    assert_eq!(body["error"], "loop_detected");
    assert_eq!(body["call_id"], id);
    // Any error body quotes the call ID of its response.
    let (status, id, body) = get(&format!("{public}/hello/NOT-A-NAME"), &[]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["call_id"], id);
    assert_eq!(body["field"], "/path/user");
    // So do the router's own errors.
    let (status, id, body) = get(&format!("{public}/no/such/route"), &[]).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["call_id"], id);
}

#[tokio::test]
async fn calls_outside_a_request_start_new_call_ids() {
    let public = mesh().await;
    let client = mesh_public::client::Client::new(&public).expect("client");
    let a = client.hello("ann").await.expect("hello");
    let b = client.hello("ann").await.expect("hello");
    assert_ne!(a.call_id, b.call_id);
    assert_eq!(a.call_path, "public");
}
