//! Asynchronous job requests (`x-async`) over real HTTP on 127.0.0.1, with the generated
//! orders server, worker and client: the Barbican flow (202 PENDING, a worker, SUCCEEDED with
//! the order; FAILED with the declared error; DEAD after the last attempt; cancel), then 500
//! jobs with workers killed midway on both queues: the in-process queue over an SQLite file,
//! and RabbitMQ (127.0.0.1:5672, `$SPECBIND_TEST_AMQP`) over PostgreSQL
//! (`$SPECBIND_TEST_POSTGRES`).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use specbind::client::{CallError, JobStatus};
use specbind::jobs::{JobOptions, Jobs};
use specbind::persist::{Db, DbOptions, Model};
use specbind_examples::orders::{Orders, config};
use specbind_examples::orders_api::client::{Client, CreateOrderError};
use specbind_examples::orders_api::server;
use specbind_examples::orders_api::types::{NewOrder, NewOrderAlgorithm, NewOrderType, Order};

/// The orders server on 127.0.0.1:0 submitting to `jobs`; its URL.
async fn serve(orders: &Orders, jobs: &Jobs) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = server::router_with(orders.clone(), config(jobs));
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}/v1")
}

fn worker(
    orders: &Orders,
    jobs: &Jobs,
) -> tokio::task::JoinHandle<Result<(), specbind::jobs::JobError>> {
    server::worker(orders.clone(), config(jobs), jobs.clone())
        .concurrency(8)
        .spawn()
}

fn order(algorithm: NewOrderAlgorithm, name: &str) -> NewOrder {
    NewOrder {
        r#type: NewOrderType::Key,
        algorithm,
        bit_length: 256,
        name: Some(name.into()),
    }
}

fn quick() -> JobOptions {
    JobOptions::default()
        .max_attempts(3)
        .backoff(Duration::from_millis(10))
        .lease(Duration::from_millis(600))
        .sweep_every(Duration::from_millis(200))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_goes_pending_then_succeeded_or_failed() {
    let db = Db::memory();
    let jobs = Jobs::embedded(db.clone()).options(quick());
    let orders = Orders::new(db, Duration::from_millis(20));
    let url = serve(&orders, &jobs).await;
    let _worker = worker(&orders, &jobs);

    // Over plain HTTP: 202, the job PENDING, its status at `Location`.
    let http = reqwest::Client::new();
    let resp = http
        .post(format!("{url}/orders"))
        .header("content-type", "application/json")
        .body(r#"{"type": "key", "algorithm": "aes"}"#)
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), 202);
    let call_id = resp.headers()["x-call-id"].to_str().unwrap().to_owned();
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let job: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(job["status"], "PENDING", "{job}");
    assert_eq!(job["operation"], "createOrder");
    assert_eq!(job["call_id"], call_id.as_str());
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/v1/jobs/{id}"));

    // An invalid order is refused at once, as a synchronous one would be: no job.
    let resp = http
        .post(format!("{url}/orders"))
        .header("content-type", "application/json")
        .body(r#"{"type": "key", "algorithm": "aes", "bitLength": 64}"#)
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("bitLength"),
        "{body}"
    );

    // Through the generated client: a job handle, then the typed order.
    let client = Client::new(&url).expect("client");
    let handle = client
        .create_order(order(NewOrderAlgorithm::Rsa, "mine"))
        .await
        .expect("accepted");
    assert_eq!(handle.submitted().status, JobStatus::Pending);
    let made: Order = handle.wait().await.expect("succeeded");
    assert_eq!(
        made.id,
        handle.id(),
        "the order is stored under its job's id"
    );
    assert_eq!(made.name.as_deref(), Some("mine"));
    let view = handle.status().await.expect("status");
    assert_eq!(view.status, JobStatus::Succeeded);
    assert_eq!(view.result.as_ref().map(|r| r.status), Some(201));
    assert_eq!(client.get_order(made.id).await.expect("stored"), made);
    // The worker ran with the call ID and path of the request that asked.
    let (seen_id, seen_path) = orders.counts().context(made.id).expect("ran");
    assert_eq!(seen_id, view.call_id);
    assert_eq!(seen_path, "orders");

    // The first job (plain HTTP) succeeded too, with the call ID of its 202.
    let first = reqwest::get(format!("{url}/jobs/{id}")).await.unwrap();
    let first: serde_json::Value = serde_json::from_slice(&first.bytes().await.unwrap()).unwrap();
    let waited = Instant::now();
    let mut first = first;
    while first["status"] != "SUCCEEDED" && waited.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let r = reqwest::get(format!("{url}/jobs/{id}")).await.unwrap();
        first = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    }
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    assert_eq!(first["result"]["body"]["id"], id.as_str());

    // A retired algorithm: FAILED with the declared 422 in the spec's error model.
    let handle = client
        .create_order(order(NewOrderAlgorithm::Des, "old"))
        .await
        .expect("accepted");
    match handle.wait().await {
        Err(CallError::Api {
            status,
            error: CreateOrderError::UnprocessableEntity(e),
            ..
        }) => {
            assert_eq!(status, 422);
            assert_eq!(e.code, 422);
            assert!(e.message.contains("des"), "{}", e.message);
        }
        other => panic!("expected the declared 422, got {other:?}"),
    }
    assert_eq!(handle.status().await.unwrap().status, JobStatus::Failed);

    // A worker that fails at every attempt: retried with backoff, then DEAD, its error in
    // the spec's model.
    let handle = client
        .create_order(order(NewOrderAlgorithm::Aes, "explode"))
        .await
        .expect("accepted");
    let e = handle.wait().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500), "{e:?}");
    let dead = handle.status().await.unwrap();
    assert_eq!(dead.status, JobStatus::Dead);
    assert_eq!(dead.attempts, 3);
    let error = dead.error.expect("the last failure");
    assert_eq!(error.body["code"], 500, "{:?}", error.body);
    assert_eq!(orders.counts().runs()[&handle.id()], 3);

    // Unknown and malformed job ids.
    let r = reqwest::get(format!("{url}/jobs/{}", specbind::uuid::Uuid::new_v4()))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = reqwest::get(format!("{url}/jobs/nope")).await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_job_can_be_cancelled_a_finished_one_not() {
    let db = Db::memory();
    let jobs = Jobs::embedded(db.clone()).options(quick());
    let orders = Orders::new(db, Duration::from_millis(1));
    let url = serve(&orders, &jobs).await;
    let client = Client::new(&url).expect("client");
    // No worker yet: the job stays PENDING.
    let handle = client
        .create_order(order(NewOrderAlgorithm::Aes, "later"))
        .await
        .expect("accepted");
    let cancelled = handle.cancel().await.expect("cancelled");
    assert_eq!(cancelled.status, JobStatus::Cancelled);
    match handle.wait().await {
        Err(CallError::Job { status, .. }) => assert_eq!(status, JobStatus::Cancelled),
        other => panic!("expected a cancelled job, got {other:?}"),
    }
    let done = client
        .create_order(order(NewOrderAlgorithm::Aes, "now"))
        .await
        .expect("accepted");
    let _worker = worker(&orders, &jobs);
    done.wait().await.expect("succeeded");
    // The cancelled job never ran, and stays cancelled.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(handle.status().await.unwrap().status, JobStatus::Cancelled);
    assert!(!orders.counts().runs().contains_key(&handle.id()));
    // Once over, a job cannot be cancelled.
    let e = done.cancel().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409));
}

/// Submits 500 orders (every 25th with a retired algorithm), kills two of three workers
/// once 150 jobs are over, starts two more, and checks that every job ends once and every
/// order is made once. `jobs()` gives each worker a queue connection of its own.
async fn five_hundred_jobs_survive_killed_workers<F, Fut>(db: Db, jobs: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Jobs>,
{
    let orders = Orders::new(db.clone(), Duration::from_millis(50));
    let server_jobs = jobs().await;
    let url = serve(&orders, &server_jobs).await;
    let client = Client::new(&url).expect("client");
    let mut workers = Vec::new();
    for _ in 0..3 {
        workers.push(worker(&orders, &jobs().await));
    }
    // Every message delivered twice, the copy right behind the first, as at-least-once
    // delivery may: a job still runs once.
    let mut ids = Vec::new();
    let mut should_fail = BTreeSet::new();
    for i in 0..500 {
        let algorithm = if i % 25 == 0 {
            NewOrderAlgorithm::Des
        } else {
            NewOrderAlgorithm::Aes
        };
        let handle = client
            .create_order(order(algorithm, &format!("order-{i}")))
            .await
            .expect("accepted");
        server_jobs.queue().push(handle.id()).await.expect("push");
        if i % 25 == 0 {
            should_fail.insert(handle.id());
        }
        ids.push(handle.id());
    }

    let over = |db: Db| async move {
        let mut n = 0;
        let mut start = None;
        loop {
            let page = specbind::persist::list::<specbind::jobs::Job>(&db, start.as_ref(), 500)
                .await
                .expect("list");
            n += page.items.iter().filter(|j| j.status.is_terminal()).count();
            match page.next {
                Some(next) => start = Some(next),
                None => return n,
            }
        }
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while over(db.clone()).await < 150 {
        assert!(Instant::now() < deadline, "150 jobs not over in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Kill two workers mid-flight, as a crash would: no goodbye.
    for w in workers.drain(..2) {
        w.abort();
    }
    for _ in 0..2 {
        workers.push(worker(&orders, &jobs().await));
    }
    while over(db.clone()).await < 500 {
        assert!(Instant::now() < deadline, "500 jobs not over in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut succeeded = BTreeSet::new();
    for id in &ids {
        let job = specbind::persist::load::<specbind::jobs::Job>(&db, id)
            .await
            .expect("load")
            .expect("stored")
            .value;
        if should_fail.contains(id) {
            assert_eq!(job.status, JobStatus::Failed, "{id}");
            assert_eq!(job.error.as_ref().map(|e| e.status), Some(422));
        } else {
            assert_eq!(job.status, JobStatus::Succeeded, "{id}: {job:?}");
            let result = job.result.as_ref().expect("result");
            assert_eq!(result.body["id"], id.to_string());
            succeeded.insert(*id);
        }
    }
    // Every order was made exactly once, under its job's id.
    let mut stored = BTreeSet::new();
    let mut start = None;
    loop {
        let page = Order::list(&db, start, 500).await.expect("orders");
        stored.extend(page.items.iter().map(|o| o.id));
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    assert_eq!(stored, succeeded);
    // No order was made twice: a second insert under the job's id would have failed and
    // counted nothing. (A run killed while its insert was on the wire stored the order
    // without counting it, hence at most.)
    assert!(orders.counts().made() <= succeeded.len() as u64);
    let runs = orders.counts().runs();
    let again: u32 = runs.values().map(|n| n - 1).sum();
    assert_eq!(runs.len(), 500, "every job ran");
    eprintln!("500 jobs over; {again} runs again after the kills");
    // Only jobs the killed workers held (8 each) run again: a claim is exclusive.
    assert!(again <= 16, "{again} runs again");
    // Messages of finished jobs delivered again run nothing.
    for id in &ids {
        server_jobs.queue().push(*id).await.expect("push");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(orders.counts().runs(), runs, "a finished job ran again");
    for w in workers {
        w.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_jobs_in_process_queue_sqlite() {
    let dir =
        std::env::temp_dir().join(format!("specbind-jobs-{}", specbind::uuid::Uuid::new_v4()));
    let db = Db::sqlite(dir.join("orders.db")).await.expect("SQLite");
    // One in-process queue shared by the server and the workers of this process.
    let jobs = Jobs::embedded(db.clone()).options(quick());
    five_hundred_jobs_survive_killed_workers(db.clone(), || {
        let jobs = jobs.clone();
        async move { jobs }
    })
    .await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_jobs_rabbitmq_postgres() {
    let pg = std::env::var("SPECBIND_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let amqp = std::env::var("SPECBIND_TEST_AMQP")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into());
    let db = Db::open_with(
        &pg,
        DbOptions::default()
            .table_prefix("test_jobs_")
            .max_connections(16),
    )
    .await
    .expect("PostgreSQL");
    db.drop_collection(&specbind::jobs::Job::COLLECTION)
        .await
        .expect("drop");
    db.drop_collection(&Order::COLLECTION).await.expect("drop");
    // Messages left by an earlier run name jobs this run does not have: acknowledged, dropped.
    let queue = "specbind-test-orders".to_owned();
    five_hundred_jobs_survive_killed_workers(db.clone(), || {
        let (db, amqp, queue) = (db.clone(), amqp.clone(), queue.clone());
        async move {
            Jobs::amqp(db, &amqp, &queue)
                .await
                .expect("RabbitMQ at $SPECBIND_TEST_AMQP")
                .options(quick())
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_pending_and_abandoned_jobs() {
    let dir = std::env::temp_dir().join(format!(
        "specbind-jobs-restart-{}",
        specbind::uuid::Uuid::new_v4()
    ));
    let file = dir.join("orders.db");
    // The first process: 20 orders accepted, a worker that takes some and dies mid-run.
    let (ids, first_orders) = {
        let db = Db::sqlite(&file).await.expect("SQLite");
        let jobs = Jobs::embedded(db.clone()).options(quick());
        let orders = Orders::new(db.clone(), Duration::from_millis(300));
        let url = serve(&orders, &jobs).await;
        let client = Client::new(&url).expect("client");
        let mut ids = Vec::new();
        for i in 0..20 {
            let handle = client
                .create_order(order(NewOrderAlgorithm::Aes, &format!("r-{i}")))
                .await
                .expect("accepted");
            ids.push(handle.id());
        }
        let w = worker(&orders, &jobs);
        // Let it claim jobs, then kill it before any 300 ms run ends.
        tokio::time::sleep(Duration::from_millis(100)).await;
        w.abort();
        let running = specbind::persist::list::<specbind::jobs::Job>(&db, None, 100)
            .await
            .expect("list")
            .items
            .iter()
            .filter(|j| j.status == JobStatus::Running)
            .count();
        assert!(running > 0, "the worker held jobs when it died");
        db.close().await;
        (ids, orders)
    };
    assert_eq!(first_orders.counts().made(), 0);

    // The second process: the same database, a new in-process queue, one worker.
    let db = Db::sqlite(&file).await.expect("SQLite again");
    let jobs = Jobs::embedded(db.clone()).options(quick());
    let orders = Orders::new(db.clone(), Duration::from_millis(1));
    let _w = worker(&orders, &jobs);
    let deadline = Instant::now() + Duration::from_secs(30);
    for id in &ids {
        loop {
            let job = specbind::persist::load::<specbind::jobs::Job>(&db, id)
                .await
                .expect("load")
                .expect("stored")
                .value;
            if job.status == JobStatus::Succeeded {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "job {id} is still {:?}",
                job.status
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(
        orders.counts().made(),
        20,
        "every order made once, after the restart"
    );
    let _ = std::fs::remove_dir_all(dir);
}
