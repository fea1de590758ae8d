//! The API reference page of a generated server over real HTTP on 127.0.0.1 (the browser test,
//! `.ci/browser.sh`, drives it in Chromium): `/docs` serves Swagger UI with its files from this
//! server, `/` redirects to it, `Config::serve_docs(false)` turns it off, and the spec's own
//! routes win over it.

use specbind_examples::handlers::Store;
use specbind_examples::petstore::server;

async fn start(router: specbind::__private::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn get(url: String) -> (u16, String, reqwest::header::HeaderMap) {
    let res = client().get(url).send().await.expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.text().await.expect("body"), headers)
}

#[tokio::test]
async fn docs_page_and_its_files_come_from_the_server() {
    let base = start(server::router(Store::default())).await;

    let (status, _, headers) = get(format!("{base}/")).await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/docs");

    let (status, page, headers) = get(format!("{base}/docs")).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(headers.contains_key("x-call-id"), "{headers:?}");
    assert!(
        page.contains("<title>specbind Petstore: API reference</title>"),
        "{page}"
    );
    // The petstore's server is http://127.0.0.1:8080/v1: the page calls /v1 on its own origin.
    assert!(page.contains(r#"const base = "/v1";"#), "{page}");
    // Every file the page loads is this server's.
    for src in [
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css",
        "/docs/openapi.json",
    ] {
        assert!(page.contains(src), "{src} not in {page}");
        let (status, body, headers) = get(format!("{base}{src}")).await;
        assert_eq!(status, 200, "{src}");
        assert!(body.len() > 1000, "{src}: {} bytes", body.len());
        assert!(headers.contains_key("content-type"), "{src}");
    }
    assert!(
        !page.contains("://"),
        "the page names another origin: {page}"
    );
    let (_, spec, _) = get(format!("{base}/docs/openapi.json")).await;
    assert_eq!(spec, server::SPEC_JSON);

    // Not a file of Swagger UI: the usual 404 envelope.
    let (status, body, _) = get(format!("{base}/docs/no-such-file.js")).await;
    assert_eq!(status, 404);
    assert!(body.contains("\"status\":404"), "{body}");
    // Only GET and HEAD.
    let res = client()
        .post(format!("{base}/docs"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status().as_u16(), 404);
}

#[tokio::test]
async fn serve_docs_false_turns_it_off() {
    let config = specbind::server::Config::default().serve_docs(false);
    let base = start(server::router_with(Store::default(), config)).await;
    for path in ["/", "/docs", "/docs/swagger-ui-bundle.js"] {
        let (status, _, _) = get(format!("{base}{path}")).await;
        assert_eq!(status, 404, "{path}");
    }
    // The spec is still served.
    let (status, _, _) = get(format!("{base}/openapi.json")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn routes_of_the_router_win_over_the_page() {
    // A router with its own `/` (a user's `.route`, or a spec's operation on `/`).
    let router = server::router(Store::default())
        .route("/", specbind::__private::routing::get(|| async { "mine" }));
    let base = start(router).await;
    let (status, body, _) = get(format!("{base}/")).await;
    assert_eq!((status, body.as_str()), (200, "mine"));
    let (status, _, _) = get(format!("{base}/docs")).await;
    assert_eq!(status, 200);
}
