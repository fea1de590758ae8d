//! Hostile requests on the wire (issue 14, RELIABILITY.md): what the generated petstore,
//! served by `specbind::server::serve_on`, answers to bad UTF-8, a 5 MB body, a 64 KiB URL,
//! 5000 headers and request-smuggling attempts. Each request is written by hand on a raw
//! socket, so nothing in a client library cleans it up first.

use std::time::Duration;

use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::server;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

async fn start() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    let router = server::router_with(Store::default(), handlers::config("k3y"));
    tokio::spawn(specbind::server::serve_on(listener, router));
    addr
}

/// Writes `request` (ignoring a reset once the server has answered) and reads until the
/// server closes the connection or `responses` answers are in; the status codes in order.
async fn exchange(addr: std::net::SocketAddr, request: &[u8], responses: usize) -> Vec<u16> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let _ = stream.write_all(request).await;
    let mut got = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    got.extend_from_slice(&buf[..n]);
                    if statuses(&got).len() >= responses && complete(&got) {
                        break;
                    }
                }
            }
        }
    };
    // A guard against a hung test, not a measurement.
    let _ = tokio::time::timeout(Duration::from_secs(60), read).await;
    statuses(&got)
}

/// The status of every response in `bytes`.
fn statuses(bytes: &[u8]) -> Vec<u16> {
    let text = String::from_utf8_lossy(bytes);
    text.match_indices("HTTP/1.1 ")
        .filter_map(|(i, _)| text.get(i + 9..i + 12)?.parse().ok())
        .collect()
}

/// Whether the last response in `bytes` has its whole body (by its Content-Length).
fn complete(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some(start) = text.rfind("HTTP/1.1 ") else {
        return false;
    };
    let last = &text[start..];
    let Some(head_end) = last.find("\r\n\r\n") else {
        return false;
    };
    let length = last[..head_end]
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    last.len() >= head_end + 4 + length
}

fn post_pets(extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n{extra_headers}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

#[tokio::test]
async fn bad_utf8_in_a_json_body_is_a_400() {
    let addr = start().await;
    let body = b"{\"name\": \"r\xffx\xc3\x28\"}";
    assert_eq!(exchange(addr, &post_pets("", body), 1).await, [400]);
    // And in a path parameter and a query parameter.
    let path = b"GET /v1/pets/%ff%fe HTTP/1.1\r\nhost: x\r\n\r\n";
    assert_eq!(exchange(addr, path, 1).await, [400]);
    let query = b"GET /v1/pets?limit=%ff HTTP/1.1\r\nhost: x\r\n\r\n";
    assert_eq!(exchange(addr, query, 1).await, [400]);
}

#[tokio::test]
async fn a_5_mb_body_is_a_413() {
    let addr = start().await;
    let mut body = b"{\"name\": \"".to_vec();
    body.resize(5 * 1000 * 1000, b'x');
    body.extend_from_slice(b"\"}");
    assert_eq!(exchange(addr, &post_pets("", &body), 1).await, [413]);
}

#[tokio::test]
async fn a_64_kb_url_is_a_414() {
    let addr = start().await;
    let long = "a".repeat(64 * 1024);
    // hyper refuses a request target of 64 KiB or more before any routing.
    let request = format!("GET /v1/pets?limit=2&x={long} HTTP/1.1\r\nhost: x\r\n\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [414]);
    let request = format!("GET /v1/{long} HTTP/1.1\r\nhost: x\r\n\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [414]);
    // Just under: routed, the unknown parameter ignored.
    let under = "a".repeat(60 * 1024);
    let request = format!("GET /v1/pets?limit=2&x={under} HTTP/1.1\r\nhost: x\r\n\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [200]);
}

#[tokio::test]
async fn five_thousand_headers_are_a_431() {
    let addr = start().await;
    let headers: String = (0..5000).map(|i| format!("x-h{i}: v\r\n")).collect();
    let request = format!("GET /v1/pets HTTP/1.1\r\nhost: x\r\n{headers}\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [431]);
}

#[tokio::test]
async fn smuggled_requests_are_not_served() {
    let addr = start().await;
    // CL.TE: Content-Length and chunked together, the chunked body hiding a second request.
    // hyper reads the body as chunked (RFC 9112 6.1) and closes after: the hidden request
    // is not served.
    let hidden = "GET /v1/pets/1 HTTP/1.1\r\nhost: x\r\n\r\n";
    let body = format!("0\r\n\r\n{hidden}");
    let request = format!(
        "POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\ntransfer-encoding: chunked\r\n\r\n{body}",
        body.len()
    );
    let got = exchange(addr, request.as_bytes(), 2).await;
    println!("CL.TE: {got:?}");
    assert_eq!(got.len(), 1, "one answer only: {got:?}");
    assert!((400..500).contains(&got[0]), "{got:?}");

    // TE.TE: an obfuscated Transfer-Encoding is refused.
    let request = "POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: xchunked\r\n\r\n0\r\n\r\n";
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [400]);

    // Two Content-Lengths that disagree.
    let request = "POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\ncontent-length: 40\r\n\r\n{}";
    assert_eq!(exchange(addr, request.as_bytes(), 1).await, [400]);

    // A bare LF inside a chunk size line, and a chunk size that overflows.
    let request = "POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n0\r\n\r\n";
    let got = exchange(addr, request.as_bytes(), 1).await;
    println!("overflowing chunk size: {got:?}");
    assert!(got.iter().all(|s| (400..500).contains(s)), "{got:?}");
}
