//! The generated petstore server over real HTTP on 127.0.0.1: typed values reach the
//! handlers, declared responses come back, and every kind of bad input gets its 4xx JSON
//! envelope naming the field.

use std::io::{Read, Write};

use serde_json::{Value, json};
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

async fn petstore() -> String {
    start(server::router_with(
        Store::default(),
        specbind_examples::handlers::config("k3y"),
    ))
    .await
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body read");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, body, headers)
}

fn post_json(c: &reqwest::Client, url: String, body: &Value) -> reqwest::RequestBuilder {
    c.post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
}

/// Asserts the standard envelope: status, kind, field.
fn envelope(body: &Value, status: u16, kind: &str, field: Option<&str>) {
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["error"], kind, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert_eq!(body["error_id"].as_str().map(str::len), Some(36), "{body}");
    assert_eq!(body["field"].as_str(), field, "{body}");
}

#[tokio::test]
async fn crud_round_trip_with_typed_values() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let (status, created, _) = send(post_json(
        &c,
        format!("{base}/v1/pets"),
        &json!({"name": "Rex", "tag": "dog"}),
    ))
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["name"].as_str(), created["status"].as_str()),
        (Some("Rex"), Some("available")),
        "default applied"
    );
    let id = created["id"].as_i64().expect("an id");
    let (status, got, _) = send(c.get(format!("{base}/v1/pets/{id}"))).await;
    assert_eq!((status, &got), (200, &created));
    let (status, updated, _) = send(
        c.put(format!("{base}/v1/pets/{id}"))
            .header("content-type", "application/json")
            .body(json!({"name": "Rex", "status": "sold"}).to_string()),
    )
    .await;
    assert_eq!((status, updated["status"].as_str()), (200, Some("sold")));
    let (status, conflict, _) = send(post_json(
        &c,
        format!("{base}/v1/pets"),
        &json!({"name": "Rex"}),
    ))
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        conflict["code"], 409,
        "the spec's own Error model: {conflict}"
    );
    let (status, body, _) = send(c.delete(format!("{base}/v1/pets/{id}"))).await;
    assert_eq!(status, 401, "no key: {body}");
    envelope(&body, 401, "unauthorized", None);
    let (status, body, _) = send(
        c.delete(format!("{base}/v1/pets/{id}"))
            .header("x-api-key", "wrong"),
    )
    .await;
    assert_eq!(status, 401, "wrong key: {body}");
    let (status, body, _) = send(
        c.delete(format!("{base}/v1/pets/{id}"))
            .header("x-api-key", "k3y"),
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, missing, _) = send(c.get(format!("{base}/v1/pets/{id}"))).await;
    assert_eq!(status, 404);
    assert_eq!(
        missing,
        json!({"code": 404, "message": format!("no pet has id {id}")})
    );
}

#[tokio::test]
async fn query_defaults_and_response_headers() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    for i in 0..3 {
        let (status, _, _) = send(post_json(
            &c,
            format!("{base}/v1/pets"),
            &json!({"name": format!("p{i}")}),
        ))
        .await;
        assert_eq!(status, 201);
    }
    let (status, page, headers) = send(c.get(format!("{base}/v1/pets?limit=2"))).await;
    assert_eq!(status, 200);
    assert_eq!(page.as_array().map(Vec::len), Some(2));
    let link = headers
        .get("link")
        .and_then(|v| v.to_str().ok())
        .expect("a Link header");
    assert!(link.contains("rel=\"next\""), "{link}");
    let (_, all, headers) = send(c.get(format!("{base}/v1/pets"))).await;
    assert_eq!(all.as_array().map(Vec::len), Some(3), "default limit 20");
    assert!(headers.get("link").is_none());
}

#[tokio::test]
async fn bad_parameters_name_the_parameter() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let (status, body, _) = send(c.get(format!("{base}/v1/pets/abc"))).await;
    assert_eq!(status, 400);
    envelope(&body, 400, "bad_request", Some("/path/petId"));
    let (status, body, _) = send(c.get(format!("{base}/v1/pets/0"))).await;
    assert_eq!(status, 400);
    envelope(&body, 400, "validation_failed", Some("/path/petId"));
    assert_eq!(body["violations"][0]["keyword"], "minimum");
    let (status, body, _) = send(c.get(format!("{base}/v1/pets?limit=lots"))).await;
    assert_eq!(status, 400);
    envelope(&body, 400, "bad_request", Some("/query/limit"));
    let (status, body, _) = send(c.get(format!("{base}/v1/pets?limit=101"))).await;
    assert_eq!(status, 400);
    envelope(&body, 400, "validation_failed", Some("/query/limit"));
    assert_eq!(body["violations"][0]["keyword"], "maximum");
}

#[tokio::test]
async fn bad_bodies_name_the_field() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let url = format!("{base}/v1/pets");
    // No body at all.
    let (status, body, _) = send(c.post(&url)).await;
    assert_eq!(status, 400);
    envelope(&body, 400, "bad_request", Some("/body"));
    // Not JSON.
    let (status, body, _) = send(
        c.post(&url)
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    assert_eq!(status, 400);
    envelope(&body, 400, "bad_request", Some("/body"));
    // A required field missing, a field of the wrong type, an unknown enum value.
    let (_, body, _) = send(post_json(&c, url.clone(), &json!({"tag": "x"}))).await;
    envelope(&body, 400, "bad_request", Some("/body/name"));
    let (_, body, _) = send(post_json(&c, url.clone(), &json!({"name": 5}))).await;
    envelope(&body, 400, "bad_request", Some("/body/name"));
    let (_, body, _) = send(post_json(
        &c,
        url.clone(),
        &json!({"name": "a", "status": "lost"}),
    ))
    .await;
    envelope(&body, 400, "bad_request", Some("/body/status"));
    // `tag` is optional but not nullable: absent is fine, `null` is not.
    let (_, body, _) = send(post_json(
        &c,
        url.clone(),
        &json!({"name": "a", "tag": null}),
    ))
    .await;
    envelope(&body, 400, "bad_request", Some("/body/tag"));
    // Every constraint violation at once.
    let (status, body, _) = send(post_json(
        &c,
        url.clone(),
        &json!({"name": "", "tag": "Not A Tag"}),
    ))
    .await;
    assert_eq!(status, 400);
    envelope(&body, 400, "validation_failed", Some("/body/name"));
    let paths: Vec<&str> = body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert_eq!(paths, ["/body/name", "/body/tag"]);
    // A media type the operation does not accept.
    let (status, body, _) = send(
        c.post(&url)
            .header("content-type", "text/xml")
            .body("<pet/>"),
    )
    .await;
    assert_eq!(status, 415);
    envelope(
        &body,
        415,
        "unsupported_media_type",
        Some("/header/Content-Type"),
    );
    // Nesting deeper than the JSON decoder allows.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let (status, body, _) = send(
        c.post(&url)
            .header("content-type", "application/json")
            .body(deep),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Nothing was stored by any of these.
    let (_, all, _) = send(c.get(&url)).await;
    assert_eq!(all, json!([]));
}

#[tokio::test]
async fn oversize_bodies_are_refused_however_they_are_sent() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let (status, body, _) = send(
        c.post(format!("{base}/v1/pets"))
            .header("content-type", "application/json")
            .body(big),
    )
    .await;
    assert_eq!(status, 413);
    envelope(&body, 413, "payload_too_large", Some("/body"));
    // Chunked, with no Content-Length: written by hand on a raw socket.
    let addr = base.trim_start_matches("http://").to_owned();
    let status_line = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.write_all(b"POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..48 {
            if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).and_then(|()| s.write_all(&chunk)).and_then(|()| s.write_all(b"\r\n")).is_err() {
                break;
            }
        }
        let _ = s.write_all(b"0\r\n\r\n");
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_owned()
    })
    .await
    .unwrap();
    assert!(status_line.contains(" 413 "), "{status_line}");
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let (status, body, _) = send(c.get(format!("{base}/v1/cats"))).await;
    assert_eq!(status, 404);
    envelope(&body, 404, "not_found", None);
    let (status, body, _) = send(c.patch(format!("{base}/v1/pets/1"))).await;
    assert_eq!(status, 405);
    envelope(&body, 405, "method_not_allowed", None);
}

#[tokio::test]
async fn serves_its_spec() {
    let base = petstore().await;
    let c = reqwest::Client::new();
    let (status, spec, headers) = send(c.get(format!("{base}/openapi.json"))).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/pets/{petId}"]["get"].is_object());
    let yaml = c
        .get(format!("{base}/openapi.yaml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(yaml.contains("operationId: getPet"));
    // And can be switched off.
    let off = start(server::router_with(
        Store::default(),
        specbind::server::Config::default().serve_spec(false),
    ))
    .await;
    assert_eq!(
        c.get(format!("{off}/openapi.json"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn an_error_formatter_renders_every_error_in_the_service_model() {
    use specbind::__private::axum::response::IntoResponse;
    let config = specbind::server::Config::default().error_formatter(|e| {
        let body =
            json!({"code": e.status.as_u16(), "message": e.error_description, "ref": e.error_id});
        (e.status, body.to_string()).into_response()
    });
    let base = start(server::router_with(Store::default(), config)).await;
    let c = reqwest::Client::new();
    for (req, status) in [
        (c.get(format!("{base}/v1/nope")), 404),
        (c.get(format!("{base}/v1/pets/abc")), 400),
        (
            post_json(&c, format!("{base}/v1/pets"), &json!({"name": ""})),
            400,
        ),
    ] {
        let (got, body, _) = send(req).await;
        assert_eq!(got, status);
        assert_eq!(body["code"], status, "{body}");
        assert!(
            body["ref"].is_string() && body.get("error").is_none(),
            "{body}"
        );
    }
}
