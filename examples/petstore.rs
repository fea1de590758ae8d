//! The petstore service: the server generated from `specs/petstore.yaml`, bound to
//! `specbind_examples::handlers`.
//!
//! `cargo run --example petstore` listens on 127.0.0.1:8080, or on `$PORT` when set, and
//! serves the spec at `/openapi.json`:
//!
//! ```text
//! curl -s localhost:8080/v1/pets -H 'content-type: application/json' -d '{"name": "Rex"}'
//! curl -s -X DELETE localhost:8080/v1/pets/1 -H 'x-api-key: demo-key'
//! ```
//!
//! Deleting needs the API key, `demo-key` unless `$PETSTORE_API_KEY` says otherwise.

use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::server;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let key = std::env::var("PETSTORE_API_KEY").unwrap_or_else(|_| "demo-key".into());
    let config = handlers::spec_errors(handlers::config(key));
    let app = server::router_with(Store::default(), config);
    println!(
        "petstore: serving on 127.0.0.1:{}",
        std::env::var("PORT").unwrap_or_else(|_| "8080".into())
    );
    specbind::server::serve(app, 8080).await
}
