//! The orders service (`specs/orders.yaml`): asynchronous job requests after OpenStack
//! Barbican's orders. `POST /v1/orders` answers 202 with a job PENDING and `Location:
//! /v1/jobs/{id}`; a worker makes the order; `GET /v1/jobs/{id}` shows it SUCCEEDED with the
//! order, or FAILED with the spec's error.
//!
//! ```text
//! cargo run --example orders -- demo     # the whole flow in one process, printed, then exit
//! cargo run --example orders             # serve on 127.0.0.1:8081 ($PORT) with one worker in process
//! curl -si localhost:8081/v1/orders -H 'content-type: application/json' -d '{"type": "key", "algorithm": "aes"}'
//! curl -s localhost:8081/v1/jobs/<id>
//! ```
//!
//! Several processes, sharing PostgreSQL and a RabbitMQ queue:
//!
//! ```text
//! cargo run --example orders -- serve  --workers 0 --database-url postgres://postgres@127.0.0.1:5432/test --amqp amqp://guest:guest@127.0.0.1:5672/%2f
//! cargo run --example orders -- worker              --database-url postgres://postgres@127.0.0.1:5432/test --amqp amqp://guest:guest@127.0.0.1:5672/%2f
//! ```
//!
//! Without `--database-url` the jobs and orders are kept in `data/orders.db` (SQLite); without
//! `--amqp` the queue is in process, so the workers must be too (`--workers N`, default 1).

use std::time::Duration;

use specbind::jobs::Jobs;
use specbind::persist::Db;
use specbind_examples::orders::{Orders, config};
use specbind_examples::orders_api::client::Client;
use specbind_examples::orders_api::server;
use specbind_examples::orders_api::types::{NewOrder, NewOrderAlgorithm, NewOrderType};

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The database and queue the arguments name.
async fn open() -> Result<(Db, Jobs), Failure> {
    let url = arg("--database-url").unwrap_or_else(|| "sqlite:data/orders.db".into());
    let db = Db::open(&url).await?;
    let jobs = match arg("--amqp") {
        Some(amqp) => Jobs::amqp(db.clone(), &amqp, "specbind-orders").await?,
        None => Jobs::embedded(db.clone()),
    };
    Ok((db, jobs))
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let command = std::env::args()
        .nth(1)
        .filter(|a| !a.starts_with("--"))
        .unwrap_or_else(|| "serve".into());
    match command.as_str() {
        "serve" => serve().await,
        "worker" => worker().await,
        "demo" => demo().await,
        other => Err(format!("unknown command {other:?}: serve, worker or demo").into()),
    }
}

async fn serve() -> Result<(), Failure> {
    let (db, jobs) = open().await?;
    let orders = Orders::new(db, Duration::from_millis(200));
    let workers: usize = arg("--workers").and_then(|n| n.parse().ok()).unwrap_or(1);
    for _ in 0..workers {
        server::worker(orders.clone(), config(&jobs), jobs.clone()).spawn();
    }
    let app = server::router_with(orders, config(&jobs));
    println!(
        "orders: serving on 127.0.0.1:{} with {workers} worker(s) in process",
        std::env::var("PORT").unwrap_or_else(|_| "8081".into())
    );
    specbind::server::serve(app, 8081).await?;
    Ok(())
}

async fn worker() -> Result<(), Failure> {
    if arg("--amqp").is_none() {
        return Err("a worker process needs the RabbitMQ queue: --amqp URL (and --database-url shared with the server)".into());
    }
    let (db, jobs) = open().await?;
    let orders = Orders::new(db, Duration::from_millis(200));
    println!("orders: worker started");
    server::worker(orders, config(&jobs), jobs).run().await?;
    Ok(())
}

/// The Barbican flow in one process: a server, a worker, and the generated client.
async fn demo() -> Result<(), Failure> {
    let db = Db::memory();
    let jobs = Jobs::embedded(db.clone());
    let orders = Orders::new(db, Duration::from_millis(300));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/v1", listener.local_addr()?);
    tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(orders.clone(), config(&jobs)),
    ));
    server::worker(orders, config(&jobs), jobs).spawn();
    let client = Client::new(&url)?;

    let new = |algorithm| NewOrder {
        r#type: NewOrderType::Key,
        algorithm,
        bit_length: 256,
        name: Some("demo".into()),
    };
    let handle = client.create_order(new(NewOrderAlgorithm::Aes)).await?;
    let job = handle.submitted();
    println!(
        "POST /v1/orders -> 202, job {} {:?}, Location: {}",
        job.id,
        job.status,
        handle.url()
    );
    println!(
        "GET {} -> {:?}",
        handle.url(),
        handle.status().await?.status
    );
    let order = handle.wait().await?;
    let done = handle.status().await?;
    println!(
        "GET {} -> {:?} after {} attempt(s); the order: {}",
        handle.url(),
        done.status,
        done.attempts,
        serde_json::to_string(&order)?
    );
    let handle = client.create_order(new(NewOrderAlgorithm::Des)).await?;
    let failed = handle.wait().await.map(drop).unwrap_err();
    let done = handle.status().await?;
    println!(
        "a `des` order: {:?}, error {}: {}",
        done.status,
        done.error.as_ref().map_or(0, |e| e.status),
        done.error.map(|e| e.body.to_string()).unwrap_or_default()
    );
    println!("(the client sees: {failed})");
    Ok(())
}
