//! Retries of generated clients against a server that fails on purpose: idempotent calls are
//! retried on 503 (and 429 after its `Retry-After`), a bounded number of times; POST is not,
//! unless the call opts in.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use specbind::__private::axum::{self, Router, http::StatusCode, response::IntoResponse};
use specbind::client::{CallError, Operation as _, Retry};
use specbind_examples::gateway_api::client::Client;
use specbind_examples::gateway_api::types::{Person, Slept};

/// A server whose `/api/sleep` and `/api/forms` answer `status` (with `retry_after`, if
/// any) for the first `failures` requests of each, then succeed.
async fn flaky(
    failures: u32,
    status: u16,
    retry_after: Option<&'static str>,
) -> (Client, Arc<AtomicU32>, Arc<AtomicU32>) {
    let gets = Arc::new(AtomicU32::new(0));
    let posts = Arc::new(AtomicU32::new(0));
    let answer = move |n: u32, ok: axum::response::Response| {
        if n <= failures {
            let mut r = StatusCode::from_u16(status)
                .expect("status")
                .into_response();
            if let Some(after) = retry_after {
                r.headers_mut()
                    .insert("retry-after", after.parse().expect("header"));
            }
            r
        } else {
            ok
        }
    };
    let (g, p) = (Arc::clone(&gets), Arc::clone(&posts));
    let router = Router::new()
        .route(
            "/api/sleep",
            axum::routing::get(move || {
                let n = g.fetch_add(1, Ordering::SeqCst) + 1;
                let ok = specbind::server::json(StatusCode::OK, &Slept { ms: 0 });
                std::future::ready(answer(n, ok))
            }),
        )
        .route(
            "/api/forms",
            axum::routing::post(move || {
                let n = p.fetch_add(1, Ordering::SeqCst) + 1;
                let ok = specbind::server::json(
                    StatusCode::OK,
                    &Person {
                        name: "Ann".into(),
                        age: None,
                    },
                );
                std::future::ready(answer(n, ok))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = Client::builder()
        .base_url(format!("http://{addr}/api"))
        .retry(Retry {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            ..Retry::default()
        })
        .build()
        .expect("client");
    (client, gets, posts)
}

fn ann() -> Person {
    Person {
        name: "Ann".into(),
        age: None,
    }
}

#[tokio::test]
async fn get_succeeds_on_the_third_attempt() {
    let (client, gets, _) = flaky(2, 503, None).await;
    assert_eq!(
        client.sleep(0).await.expect("third time lucky"),
        Slept { ms: 0 }
    );
    assert_eq!(gets.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn post_is_sent_once_unless_the_call_opts_in() {
    let (client, _, posts) = flaky(2, 503, None).await;
    let err = client.submit_form(ann()).await.expect_err("one 503");
    assert!(
        matches!(&err, CallError::UnexpectedStatus { status, .. } if status.as_u16() == 503),
        "{err:?}"
    );
    assert_eq!(posts.load(Ordering::SeqCst), 1);
    let person = client
        .submit_form(ann())
        .retry_non_idempotent()
        .await
        .expect("retried");
    assert_eq!(person, ann());
    assert_eq!(posts.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let (client, gets, _) = flaky(u32::MAX, 502, None).await;
    let err = client.sleep(0).await.expect_err("always 502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(gets.load(Ordering::SeqCst), 3);
    // Per call: no retry at all.
    let err = client.sleep(0).retry(Retry::none()).await.expect_err("502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(gets.load(Ordering::SeqCst), 4);
    // Statuses that are not transient are never retried.
    let (client, gets, _) = flaky(u32::MAX, 500, None).await;
    client.sleep(0).await.expect_err("500");
    assert_eq!(gets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let (client, gets, _) = flaky(1, 429, Some("1")).await;
    let started = Instant::now();
    client.sleep(0).await.expect("after one second");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(gets.load(Ordering::SeqCst), 2);
    // A wait longer than the policy allows ends the retries at once.
    let (client, gets, _) = flaky(1, 429, Some("3600")).await;
    let err = client.sleep(0).await.expect_err("too long to wait");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(gets.load(Ordering::SeqCst), 1);
}
