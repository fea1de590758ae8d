//! Parallel calls through the generated clients: a fan-out of 20 calls to an endpoint that
//! sleeps 50 ms, a heterogeneous join across two APIs, and failures that stay in their slot.

use std::time::{Duration, Instant};

use specbind::client::{CallError, fan_out};
use specbind_examples::gateway_api::client::{Client, SleepError};
use specbind_examples::gateway_api::server;
use specbind_examples::gateway_api::types::Slept;
use specbind_examples::handlers::{self, Store};
use specbind_examples::{gateway, petstore};

async fn serve(router: specbind::__private::axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(listener, router));
    addr
}

async fn gateway_client() -> Client {
    let addr = serve(server::router_with(gateway::State, gateway::config())).await;
    Client::new(&format!("http://{addr}/api")).expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_sleeping_calls_overlap() {
    let client = gateway_client().await;
    // Warm the connection pool so the figure is about overlap, not connects.
    client.sleep(0).await.expect("warm-up");
    let started = Instant::now();
    let results = fan_out((0..20).map(|_| client.sleep(50)), 20).await;
    let parallel = started.elapsed();
    assert_eq!(results.len(), 20);
    for r in results {
        assert_eq!(r.expect("slept"), Slept { ms: 50 });
    }
    let sequential = Duration::from_millis(20 * 50);
    println!(
        "20 calls of 50 ms: {parallel:?} in parallel, {:.1}x faster than 20 x 50 ms",
        sequential.as_secs_f64() / parallel.as_secs_f64()
    );
    // A generous bound: the calls must overlap; 10x the duration of one call.
    assert!(parallel < Duration::from_millis(10 * 50), "{parallel:?}");

    // A bound of 5 at a time: at least four rounds of 50 ms.
    let started = Instant::now();
    let results = fan_out((0..20).map(|_| client.sleep(50)), 5).await;
    assert!(started.elapsed() >= Duration::from_millis(4 * 50));
    assert!(results.iter().all(Result::is_ok));
}

#[tokio::test]
async fn failures_keep_their_place_and_do_not_cancel_the_others() {
    let client = gateway_client().await;
    let calls = vec![
        client.sleep(30),
        client.sleep(0).fail(true),
        client.sleep(5000),
        client.sleep(10),
    ];
    let results = fan_out(calls, 4).await;
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().expect("first"), &Slept { ms: 30 });
    assert!(matches!(
        results[1].as_ref().expect_err("second").api_error(),
        Some(SleepError::UnprocessableEntity(_))
    ));
    assert!(matches!(
        results[2].as_ref().expect_err("third"),
        CallError::InvalidRequest { .. }
    ));
    assert_eq!(results[3].as_ref().expect("fourth"), &Slept { ms: 10 });
}

#[tokio::test]
async fn a_join_across_two_apis_returns_a_tuple() {
    let gateway = gateway_client().await;
    let addr = serve(petstore::server::router_with(
        Store::default(),
        handlers::spec_errors(handlers::config("k")),
    ))
    .await;
    let pets = petstore::client::Client::new(&format!("http://{addr}/v1")).expect("client");
    let started = Instant::now();
    let (slept, failed, listed, missing) = specbind::join!(
        gateway.sleep(100),
        gateway.sleep(100).fail(true),
        pets.list_pets(),
        pets.get_pet(7),
    );
    // The two sleeps overlapped.
    assert!(
        started.elapsed() < Duration::from_millis(190),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(slept.expect("slept"), Slept { ms: 100 });
    assert!(failed.expect_err("asked to fail").api_error().is_some());
    let petstore::client::ListPetsOk::Ok { body, .. } = listed.expect("listed");
    assert!(body.is_empty());
    assert!(matches!(
        missing.expect_err("no pet 7").api_error(),
        Some(petstore::client::GetPetError::NotFound(_))
    ));
}
