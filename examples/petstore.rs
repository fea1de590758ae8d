//! The petstore service: the server generated from `specs/petstore.yaml`, bound to
//! `specbind_examples::handlers`.
//!
//! `cargo run --example petstore` listens on 127.0.0.1:8080, or on `$PORT` when set, and
//! serves the spec at `/openapi.json`:
//!
//! ```text
//! curl -s localhost:8080/v1/pets -H 'content-type: application/json' -d '{"name": "Rex"}'
//! ```

use specbind_examples::handlers::Store;
use specbind_examples::petstore::server;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = server::router(Store::default());
    println!(
        "petstore: serving on 127.0.0.1:{}",
        std::env::var("PORT").unwrap_or_else(|_| "8080".into())
    );
    specbind::server::serve(app, 8080).await
}
