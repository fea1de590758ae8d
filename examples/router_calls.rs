//! Instructions per request of the generated petstore router, in process (no sockets, no
//! load generator): N requests of `GET /v1/pets/1` through `tower::ServiceExt::oneshot`.
//! Callgrind counts instructions, which do not depend on what else the machine does:
//!
//! ```sh
//! cargo build --release --example router_calls
//! for n in 200 400; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/router_calls $n 2>&1 | grep Collected; done
//! ```
//!
//! (difference of the two totals) / 200 = instructions per request. `router_calls N
//! hand-written` measures the hand-written axum server of `benches/server.rs` the same way.
use specbind::__private::axum;
use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::server as generated;
use specbind_examples::petstore::types::{Error, NewPet, Pet};
use tower::ServiceExt as _;

#[path = "../benches/common/hand_written.rs"]
mod hand_written;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let router = match std::env::args().nth(2).as_deref() {
        Some("hand-written") => hand_written::router(Store::default(), "k"),
        _ => generated::router_with(Store::default(), handlers::config("k")),
    };
    let body = r#"{"name":"rex"}"#;
    let res = router
        .clone()
        .oneshot(
            axum::http::Request::post("/v1/pets")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    for _ in 0..n {
        let res = router
            .clone()
            .oneshot(
                axum::http::Request::get("/v1/pets/1")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let _ = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
    }
}
