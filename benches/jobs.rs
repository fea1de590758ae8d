//! Job throughput of the orders service (`x-async`), per queue, with one and two workers:
//!
//! ```sh
//! cargo bench --bench jobs                    # 2000 jobs per run, 3 runs per setting
//! cargo bench --bench jobs -- --jobs 5000 --runs 5
//! ```
//!
//! Each run submits the jobs through the generated server (HTTP on 127.0.0.1) with no worker
//! running, then starts the workers and times until every job is over (SUCCEEDED; each job
//! stores one order, no artificial work). The table gives the median jobs per second, and the
//! two-worker / one-worker ratio measured in the same run.
//!
//! - **in-process queue**, jobs and orders in an SQLite file: workers are tasks of the server's
//!   process (16 jobs at a time each), as that queue requires;
//! - **RabbitMQ** (`$SPECBIND_TEST_AMQP`, default 127.0.0.1:5672), jobs and orders in
//!   PostgreSQL (`$SPECBIND_TEST_POSTGRES`): workers are separate processes (this binary,
//!   started again with `--worker-process`), 16 jobs at a time each.
//!
//! Both settings share the machine's cores with the database, the broker and this process.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use specbind::jobs::{Job, Jobs};
use specbind::persist::{Db, DbOptions, Model};
use specbind::server::Config;
use specbind_examples::orders::Orders;
use specbind_examples::orders_api::client::Client;
use specbind_examples::orders_api::server;
use specbind_examples::orders_api::types::{NewOrder, NewOrderAlgorithm, NewOrderType, Order};

type Failure = Box<dyn std::error::Error + Send + Sync>;

const QUEUE: &str = "specbind-bench-orders";

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn postgres() -> String {
    std::env::var("SPECBIND_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn amqp() -> String {
    std::env::var("SPECBIND_TEST_AMQP")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

fn config(jobs: &Jobs) -> Config {
    Config::default().jobs(jobs.clone())
}

fn main() -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(prefix) = arg("--worker-process") {
        return runtime.block_on(worker_process(prefix));
    }
    let n: usize = arg("--jobs").and_then(|v| v.parse().ok()).unwrap_or(2000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    runtime.block_on(bench(n, runs))
}

/// A worker process of the RabbitMQ setting: runs jobs until killed.
async fn worker_process(prefix: String) -> Result<(), Failure> {
    let db = Db::open_with(&postgres(), DbOptions::default().table_prefix(prefix)).await?;
    let jobs = Jobs::amqp(db.clone(), &amqp(), QUEUE).await?;
    let orders = Orders::new(db, Duration::ZERO);
    server::worker(orders, config(&jobs), jobs)
        .concurrency(16)
        .run()
        .await?;
    Ok(())
}

/// Submits `n` orders through the server; returns when all are accepted.
async fn submit(orders: &Orders, jobs: &Jobs, n: usize) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/v1", listener.local_addr()?);
    let serving = tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(orders.clone(), config(jobs)),
    ));
    let client = Client::new(&url)?;
    let calls = (0..n).map(|i| {
        client.create_order(NewOrder {
            r#type: NewOrderType::Key,
            algorithm: NewOrderAlgorithm::Aes,
            bit_length: 256,
            name: Some(format!("bench-{i}")),
        })
    });
    for r in specbind::client::fan_out(calls, 32).await {
        r?;
    }
    serving.abort();
    Ok(())
}

/// Jobs over in `db`.
async fn over(db: &Db) -> Result<usize, Failure> {
    let mut n = 0;
    let mut start = None;
    loop {
        let page = specbind::persist::list::<Job>(db, start.as_ref(), 1000).await?;
        n += page.items.iter().filter(|j| j.status.is_terminal()).count();
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(n),
        }
    }
}

async fn wait_all(db: &Db, n: usize, started: Instant) -> Result<Duration, Failure> {
    while over(db).await? < n {
        if started.elapsed() > Duration::from_secs(600) {
            return Err("jobs not over in 10 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Ok(started.elapsed())
}

async fn fresh(db: &Db) -> Result<(), Failure> {
    db.drop_collection(&Job::COLLECTION).await?;
    db.drop_collection(&Order::COLLECTION).await?;
    Ok(())
}

/// One run of the in-process queue with `workers` worker tasks: jobs per second.
async fn embedded(n: usize, workers: usize) -> Result<f64, Failure> {
    let dir = std::env::temp_dir().join(format!(
        "specbind-bench-jobs-{}",
        specbind::uuid::Uuid::new_v4()
    ));
    let db = Db::sqlite(dir.join("orders.db")).await?;
    let jobs = Jobs::embedded(db.clone());
    let orders = Orders::new(db.clone(), Duration::ZERO);
    submit(&orders, &jobs, n).await?;
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            server::worker(orders.clone(), config(&jobs), jobs.clone())
                .concurrency(16)
                .spawn()
        })
        .collect();
    let took = wait_all(&db, n, started).await?;
    for t in tasks {
        t.abort();
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
    Ok(n as f64 / took.as_secs_f64())
}

/// Kills the worker processes when dropped.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One run of RabbitMQ with `workers` worker processes: jobs per second.
async fn rabbitmq(n: usize, workers: usize) -> Result<f64, Failure> {
    let prefix = "bench_jobs_";
    let db = Db::open_with(&postgres(), DbOptions::default().table_prefix(prefix)).await?;
    fresh(&db).await?;
    let jobs = Jobs::amqp(db.clone(), &amqp(), QUEUE).await?;
    let orders = Orders::new(db.clone(), Duration::ZERO);
    submit(&orders, &jobs, n).await?;
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let mut processes = Processes(Vec::new());
    for _ in 0..workers {
        processes.0.push(
            Command::new(&exe)
                .args(["--worker-process", prefix])
                .spawn()?,
        );
    }
    let took = wait_all(&db, n, started).await?;
    drop(processes);
    db.close().await;
    Ok(n as f64 / took.as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn bench(n: usize, runs: usize) -> Result<(), Failure> {
    println!(
        "Job throughput: {n} jobs per run, {runs} runs per setting, one and two workers alternating"
    );
    let mut rows = Vec::new();
    for (name, kind) in [
        ("in-process queue, SQLite file, worker tasks", 0),
        ("RabbitMQ, PostgreSQL, worker processes", 1),
    ] {
        let (mut one, mut two) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            for (workers, out) in [(1, &mut one), (2, &mut two)] {
                let rate = if kind == 0 {
                    embedded(n, workers).await?
                } else {
                    rabbitmq(n, workers).await?
                };
                println!("{name:<48} {workers} worker(s) {rate:>8.0} jobs/s");
                out.push(rate);
            }
        }
        rows.push((name, median(one), median(two)));
    }
    println!();
    println!("| queue | 1 worker, jobs/s (median) | 2 workers, jobs/s (median) | 2 / 1 |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, one, two) in rows {
        println!("| {name} | {one:.0} | {two:.0} | {:.2}× |", two / one);
    }
    Ok(())
}
