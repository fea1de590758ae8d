//! The petstore service: the server generated from `specs/petstore.yaml`, bound to
//! `specbind_examples::handlers`, its pets persisted by specbind (`x-persist` on `Pet`).
//!
//! `cargo run --example petstore` listens on 127.0.0.1:8080, or on `$PORT` when set, keeps the
//! pets in the SQLite file `data/petstore.db`, and serves the spec at `/openapi.json`:
//!
//! ```text
//! curl -s localhost:8080/v1/pets -H 'content-type: application/json' -d '{"name": "Rex"}'
//! curl -s -i 'localhost:8080/v1/pets?limit=10'
//! curl -s -X DELETE localhost:8080/v1/pets/1 -H 'x-api-key: demo-key'
//! ```
//!
//! Where the pets are kept:
//!
//! - `--data DIR` (or `$PETSTORE_DATA`): the SQLite file `DIR/petstore.db` (default `data`);
//! - `--database-url URL` (or `$DATABASE_URL`): `postgres://127.0.0.1:5432/test`,
//!   `sqlite:some/file.db`, or `memory:` for nothing kept.
//!
//! Deleting needs the API key, `demo-key` unless `$PETSTORE_API_KEY` says otherwise.

use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::server;

fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == name {
            return args.next();
        }
        if let Some(v) = a.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some(v.to_owned());
        }
    }
    None
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = match arg("--database-url").or_else(|| std::env::var("DATABASE_URL").ok()) {
        Some(url) => url,
        None => {
            let dir = arg("--data")
                .or_else(|| std::env::var("PETSTORE_DATA").ok())
                .unwrap_or_else(|| "data".into());
            format!("sqlite:{dir}/petstore.db")
        }
    };
    let store = Store::open(&url).await?;
    let key = std::env::var("PETSTORE_API_KEY").unwrap_or_else(|_| "demo-key".into());
    let config = handlers::spec_errors(handlers::config(key));
    let app = server::router_with(store.clone(), config);
    println!(
        "petstore: serving on 127.0.0.1:{}, pets in {} ({})",
        std::env::var("PORT").unwrap_or_else(|_| "8080".into()),
        url.split('@').next_back().unwrap_or_default(),
        store.db().backend_name(),
    );
    specbind::server::serve(app, 8080).await?;
    store.db().close().await;
    Ok(())
}
