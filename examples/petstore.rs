//! The petstore service: the server generated from `specs/petstore.yaml`, bound to
//! `specbind_examples::handlers`, its pets persisted by specbind (`x-persist` on `Pet`).
//!
//! `cargo run --example petstore` listens on 127.0.0.1:8080, or on `$PORT` when set, keeps the
//! pets in the SQLite file `data/petstore.db`, serves the spec at `/openapi.json` and its API
//! reference (Swagger UI, "Try it out" against this server) at <http://127.0.0.1:8080/docs>.
//! It prints both addresses when it starts (`PORT=0`: a free port).
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
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("PORT is not a port number: {p:?}"))?,
        Err(_) => 8080,
    };
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).await?;
    let addr = listener.local_addr()?;
    println!(
        "petstore: serving on {addr}, pets in {} ({})",
        url.split('@').next_back().unwrap_or_default(),
        store.db().backend_name(),
    );
    println!("petstore: API reference at http://{addr}/docs");
    specbind::server::serve_until(listener, app, async {
        // Ctrl-C stops taking connections; the requests in progress are answered.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    store.db().close().await;
    Ok(())
}
