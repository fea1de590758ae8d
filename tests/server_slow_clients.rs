//! Slow and idle clients (issue 14): `specbind::server::serve_with`'s header read timeout and
//! idle timeout close the connections of clients that send their headers a byte at a time or
//! nothing at all, while normal requests are still served.
//!
//! The deadlines in these tests only keep a broken server from hanging the test; what they
//! assert is outcomes: a 200 for the normal request, and EOF (or a reset) on every slow
//! connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use specbind::server::ServeConfig;
use specbind_examples::handlers::Store;
use specbind_examples::petstore::server;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Long enough that a broken server shows as a failure, not a hung test.
const HANG_GUARD: Duration = Duration::from_secs(120);

async fn start(config: ServeConfig) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    let router = server::router(Store::default());
    tokio::spawn(specbind::server::serve_with(
        listener,
        router,
        config,
        std::future::pending(),
    ));
    addr
}

/// How many slow connections the open-file limit allows (each is two descriptors here: the
/// client's end and the server's), at most `wanted`.
fn connections_allowed(wanted: usize) -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1024);
    wanted.min(soft.saturating_sub(200) / 2)
}

/// Reads until the server closes the connection: true for EOF or a reset.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return true,
            Ok(_) => {} // an answer (408, 400): read on to the close
        }
    }
}

/// Whether the server has closed `stream` yet, without waiting.
fn still_open(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 16];
    matches!(stream.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_slow_header_senders_are_closed_and_others_served() {
    let config = ServeConfig::default()
        .header_read_timeout(Duration::from_secs(5))
        .idle_timeout(Duration::from_secs(600));
    let addr = start(config).await;
    let n = connections_allowed(1000);
    println!("{n} slow connections");
    assert!(n >= 100, "the open-file limit allows only {n} connections");

    // Each connection opens and sends the first byte of a request head that never ends.
    let mut streams = Vec::with_capacity(n);
    for _ in 0..n {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(b"G").await.expect("first byte");
        streams.push(stream);
    }

    // A normal request while they are held.
    let url = format!("http://{addr}/v1/pets");
    let response = reqwest::get(&url).await.expect("a normal request");
    assert_eq!(response.status().as_u16(), 200);
    let open = streams.iter().filter(|s| still_open(s)).count();
    println!("{open} of {n} slow connections open when the normal request was answered");
    assert_eq!(
        open, n,
        "the slow connections were held while it was served"
    );

    // Each goes on a byte at a time until the server closes it.
    let closed = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            let closed = closed.clone();
            tokio::spawn(async move {
                let rest = b"ET /v1/pets HTTP/1.1\r\nHost: x\r\nX-Slow: ";
                let mut sent = 0usize;
                let mut buf = [0u8; 256];
                loop {
                    tokio::select! {
                        read = stream.read(&mut buf) => match read {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        },
                        () = tokio::time::sleep(Duration::from_millis(250)) => {
                            let byte = rest.get(sent).copied().unwrap_or(b'a');
                            sent += 1;
                            if stream.write_all(&[byte]).await.is_err() {
                                break;
                            }
                        }
                    }
                }
                closed.fetch_add(1, Ordering::Relaxed);
                sent
            })
        })
        .collect();
    let all = async {
        let mut bytes = 0;
        for t in tasks {
            bytes += t.await.expect("task");
        }
        bytes
    };
    let bytes = tokio::time::timeout(HANG_GUARD, all)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "only {} of {n} slow connections were closed",
                closed.load(Ordering::Relaxed)
            )
        });
    assert_eq!(closed.load(Ordering::Relaxed), n);
    println!("all {n} closed by the server after {bytes} bytes trickled in all");

    // And the server still serves.
    let response = reqwest::get(&url).await.expect("a request after");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn idle_connections_are_closed() {
    // The header read timeout is far off: what closes these is the idle timeout.
    let config = ServeConfig::default()
        .header_read_timeout(Duration::from_secs(600))
        .idle_timeout(Duration::from_secs(1));
    let addr = start(config).await;

    // A connection that never sends a byte.
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    // One kept alive after a request it was answered.
    let mut kept = TcpStream::connect(addr).await.expect("connect");
    kept.write_all(b"GET /v1/pets HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("request");
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = kept.read(&mut buf).await.expect("response");
        assert!(n > 0, "closed before answering");
        head.extend_from_slice(&buf[..n]);
    }
    assert!(head.starts_with(b"HTTP/1.1 200"), "{head:?}");

    let both = async {
        (
            closed_by_server(&mut silent).await,
            closed_by_server(&mut kept).await,
        )
    };
    let (silent, kept) = tokio::time::timeout(HANG_GUARD, both)
        .await
        .expect("the idle connections were not closed");
    assert!(silent && kept);
}

#[tokio::test]
async fn the_header_timeout_counts_from_the_first_byte() {
    // An idle connection may wait long; once a head has begun it must be complete in time.
    let config = ServeConfig::default()
        .header_read_timeout(Duration::from_secs(1))
        .idle_timeout(Duration::from_secs(600));
    let addr = start(config).await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /v1/pe")
        .await
        .expect("a partial head");
    let closed = tokio::time::timeout(HANG_GUARD, closed_by_server(&mut stream))
        .await
        .expect("the partial head was not cut off");
    assert!(closed);
}
