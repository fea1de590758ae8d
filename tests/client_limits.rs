//! What a generated client accepts from a server (issue 14, OWASP API10): a response body is
//! read up to the call's response limit, by its `Content-Length` first and then by the bytes
//! that arrive, and a hostile server that answers 1 GiB gets a typed error, not the memory.
//!
//! The servers here are raw TCP on 127.0.0.1 that answer every request with bytes of our
//! choice, so nothing in the server stack limits what is sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use specbind::client::{CallError, DEFAULT_RESPONSE_LIMIT, Operation as _};
use specbind_examples::petstore::client::Client;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const GIB: u64 = 1 << 30;

/// What the raw server sends after reading a request head.
#[derive(Clone)]
enum Answer {
    /// A 200 JSON response with `Content-Length`.
    Sized(Vec<u8>),
    /// A 200 JSON response, chunked, of `total` bytes in chunks of 64 KiB.
    Chunked { total: u64 },
    /// A head declaring `Content-Length: declared`, then `sent` bytes, then nothing until the
    /// client goes away.
    Declared { declared: u64, sent: usize },
}

/// A server on 127.0.0.1 answering every connection with `answer`; the counter is the body
/// bytes it managed to write.
async fn raw_server(answer: Answer) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer_one(stream, answer.clone(), counter.clone()));
        }
    });
    (url, written)
}

async fn answer_one(mut stream: TcpStream, answer: Answer, written: Arc<AtomicU64>) {
    // The request head (the calls here have no body).
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    match answer {
        Answer::Sized(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).await.is_ok()
                && stream.write_all(&body).await.is_ok()
            {
                written.fetch_add(body.len() as u64, Ordering::Relaxed);
            }
        }
        Answer::Chunked { total } => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        transfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
            frame.extend_from_slice(&chunk);
            frame.extend_from_slice(b"\r\n");
            let mut sent = 0u64;
            while sent < total {
                if stream.write_all(&frame).await.is_err() {
                    return; // the client went away
                }
                sent += chunk.len() as u64;
                written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        Answer::Declared { declared, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err()
                || stream.write_all(&vec![b' '; sent]).await.is_err()
            {
                return;
            }
            written.fetch_add(sent as u64, Ordering::Relaxed);
            // Hold the connection open until the client closes it.
            let _ = stream.read(&mut buf).await;
        }
    }
}

/// The process's peak resident set (VmHWM), in bytes, where /proc tells it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A valid `Pet` padded with JSON whitespace to `len` bytes.
fn pet_of_len(len: usize) -> Vec<u8> {
    let mut body = br#"{"id":1,"name":"rex"}"#.to_vec();
    body.resize(len.max(body.len()), b' ');
    body
}

#[tokio::test]
async fn a_chunked_gigabyte_is_refused_at_the_limit_and_not_held() {
    let (url, written) = raw_server(Answer::Chunked { total: GIB }).await;
    let client = Client::new(&url).expect("client");
    let before = peak_rss();
    let err = client
        .get_pet(1)
        .timeout(Duration::from_secs(120))
        .await
        .expect_err("1 GiB is over the default limit");
    let after = peak_rss();
    match &err {
        CallError::ResponseTooLarge {
            operation,
            status,
            limit,
            content_length,
        } => {
            assert_eq!(*operation, "getPet");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*limit, DEFAULT_RESPONSE_LIMIT);
            assert_eq!(*content_length, None, "a chunked body declares no length");
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("getPet") && message.contains(&DEFAULT_RESPONSE_LIMIT.to_string()),
        "{message}"
    );
    // What the server got out before the client hung up: the limit and what the socket
    // buffers held, far from the gigabyte.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = written.load(Ordering::Relaxed);
    println!("server wrote {sent} body bytes before the client closed");
    assert!(sent < 64 << 20, "the client kept reading: {sent} bytes");
    if let (Some(before), Some(after)) = (before, after) {
        println!("peak RSS {} MiB -> {} MiB", before >> 20, after >> 20);
        assert!(
            after - before < 128 << 20,
            "peak RSS grew by {} MiB",
            (after - before) >> 20
        );
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    // 1 GiB declared, 10 bytes sent, then silence: a client that waited for the body would
    // time out instead.
    let (url, _) = raw_server(Answer::Declared {
        declared: GIB,
        sent: 10,
    })
    .await;
    let client = Client::new(&url).expect("client");
    let err = client
        .get_pet(1)
        .timeout(Duration::from_secs(30))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            &err,
            CallError::ResponseTooLarge { limit, content_length: Some(GIB), operation: "getPet", .. }
                if *limit == DEFAULT_RESPONSE_LIMIT
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_limit_is_set_per_client_and_per_call() {
    let (sized, _) = raw_server(Answer::Sized(pet_of_len(4096))).await;
    let (chunked, _) = raw_server(Answer::Chunked { total: 128 * 1024 }).await;

    // The default takes a 4 KiB pet.
    let client = Client::new(&sized).expect("client");
    assert_eq!(client.get_pet(1).await.expect("a pet").id, 1);

    // A client limit below it refuses it by its length; a call's own limit lets it in.
    let small = Client::builder()
        .base_url(&sized)
        .response_limit(1000)
        .build()
        .expect("client");
    let err = small.get_pet(1).await.expect_err("over 1000 bytes");
    assert!(
        matches!(
            &err,
            CallError::ResponseTooLarge {
                limit: 1000,
                content_length: Some(4096),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        small
            .get_pet(1)
            .response_limit(4096)
            .await
            .expect("at the limit")
            .id,
        1
    );

    // A call's limit below the client's, counted on a chunked body.
    let err = Client::new(&chunked)
        .expect("client")
        .get_pet(1)
        .response_limit(100_000)
        .await
        .expect_err("128 KiB chunked");
    assert!(
        matches!(
            &err,
            CallError::ResponseTooLarge {
                limit: 100_000,
                content_length: None,
                ..
            }
        ),
        "{err:?}"
    );

    // No limit at all.
    let unlimited = Client::builder()
        .base_url(&chunked)
        .response_limit(None)
        .build()
        .expect("client");
    let err = unlimited.get_pet(1).await.expect_err("spaces are no pet");
    assert!(
        matches!(&err, CallError::InvalidResponse { .. }),
        "read whole, then refused as JSON: {err:?}"
    );
}

#[tokio::test]
async fn a_stream_is_not_held_to_the_limit() {
    use futures_util::StreamExt as _;
    let total = 64 * 1024 * 1024;
    let (url, _) = raw_server(Answer::Chunked { total }).await;
    let client = Client::builder()
        .base_url(&url)
        .response_limit(1024)
        .build()
        .expect("client");
    let streaming = specbind::client::stream(client.get_pet(1))
        .await
        .expect("a 200 stream");
    let mut body = streaming.into_stream();
    let mut read = 0u64;
    while let Some(chunk) = body.next().await {
        read += chunk.expect("a chunk").len() as u64;
    }
    assert_eq!(read, total);
}
