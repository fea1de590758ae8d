//! Clients of specs with defects (`specs/lenient/`), called over HTTP: each repaired
//! operation sends the request its spec meant. The server answers with the path and query it
//! received.

use specbind::__private::axum::{self, Router, extract::Request, http::StatusCode};
use specbind::__private::serde_json::json;
use specbind::client::CallError;
use specbind_examples::lenient;

/// Serves every request with `{"uri": <path and query>, "id": "x"}` (404 for a path with
/// `missing` in it, 204 for `/a` and `/b`); returns the base URL.
async fn echo() -> String {
    let router = Router::new().fallback(|req: Request| async move {
        let uri = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        if uri.contains("missing") {
            return specbind::server::json(StatusCode::NOT_FOUND, &json!({"reason": "missing"}));
        }
        if uri == "/a" || uri == "/b" {
            return axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT);
        }
        specbind::server::json(StatusCode::OK, &json!({"uri": uri, "id": "x"}))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_query_string_in_a_template_is_sent_as_the_query() {
    use lenient::query_in_path::client::Client;
    let client = Client::new(&echo().await).expect("client");
    let echo = client.latest_iconsets("cats", 5).await.expect("latest");
    assert_eq!(echo.uri, "/api/iconsets/v3/latest?term=cats&amount=5");
    let echo = client.list_icons().page("2").await.expect("icons");
    assert_eq!(echo.uri, "/api/icons?page=2");
    let echo = client.search_photos().text("owl").await.expect("search");
    assert_eq!(echo.uri, "/rest?method=flickr.photos.search&text=owl");
    let echo = client.get_photo_info("p1").await.expect("info");
    assert_eq!(echo.uri, "/rest?method=flickr.photos.getInfo&photo_id=p1");
    // The declared constraint of `amount` still holds.
    let err = client.latest_iconsets("cats", 0).await.unwrap_err();
    assert!(matches!(err, CallError::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn path_parameters_fill_the_template() {
    use lenient::path_params::client::Client;
    let client = Client::new(&echo().await).expect("client");
    let sid = format!("AC{}", "0".repeat(32));
    let page = client.list_message(sid.clone()).await.expect("messages");
    assert_eq!(
        page.uri.as_deref(),
        Some(format!("/Accounts/{sid}/Messages.json").as_str())
    );
    // `account_sid` keeps its declared length.
    let err = client.list_message("AC1").await.unwrap_err();
    assert!(matches!(err, CallError::InvalidRequest { .. }), "{err:?}");
    let page = client.fetch_call("AC1", "CA2").await.expect("call");
    assert_eq!(page.uri.as_deref(), Some("/Accounts/AC1/Calls/CA2.json"));
    let page = client.list_queue("AC1").await.expect("queues");
    assert_eq!(page.uri.as_deref(), Some("/Accounts/AC1/Queues.json"));
}

#[tokio::test]
async fn a_dangling_ref_is_a_value_and_a_dangling_response_keeps_its_status() {
    use lenient::dangling_ref::client::{Client, GetConversationError};
    let client = Client::new(&echo().await).expect("client");
    let conversation = client
        .get_conversation("c1")
        .display_as("plaintext")
        .await
        .expect("conversation");
    assert_eq!(conversation.id, "x");
    assert_eq!(conversation.source, None);
    match client.get_conversation("missing").await {
        Err(CallError::Api {
            error: GetConversationError::NotFound(body),
            ..
        }) => assert_eq!(body, json!({"reason": "missing"})),
        other => panic!("expected the declared 404: {other:?}"),
    }
    let reply = client
        .reply_conversation("c1")
        .body(json!({"message_type": "comment", "body": "hi"}))
        .await
        .expect("reply");
    assert_eq!(reply.id, "x");
}

#[tokio::test]
async fn repaired_parameters_are_sent() {
    use lenient::parameters::client::Client;
    let client = Client::new(&echo().await).expect("client");
    let item = client
        .get_item("i1")
        .fields("a")
        .cursor("c")
        .limit(3)
        .await
        .expect("item");
    assert_eq!(item.id.as_deref(), Some("x"));
    let unnamed = lenient::unnamed::client::Client::new(&echo().await).expect("client");
    unnamed.get_a().await.expect("204");
}

#[tokio::test]
async fn a_server_builds_its_router_from_routes_axum_cannot_take_as_written() {
    use lenient::routes::client::Client;
    let router = lenient::routes_server::server::router(());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = Client::new(&format!("http://{addr}")).expect("client");
    // Both operations of `/recordings/{recording_id}` and `/recordings/{id}` are routed (to
    // 501, as nothing is bound); `/badges/{id}.json` is left out of the server.
    let status = |e: CallError<_>| match e {
        CallError::UnexpectedStatus { status, .. } => status,
        other => panic!("{other:?}"),
    };
    assert_eq!(status(client.get_recording("r1").await.unwrap_err()), 501);
    assert_eq!(
        status(client.delete_recording("r1").await.unwrap_err()),
        501
    );
    assert_eq!(status(client.get_badge(7).await.unwrap_err()), 404);
}
