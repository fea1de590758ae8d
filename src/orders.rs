//! The orders service's bound functions (`specs/orders.yaml`): `create_order` runs in a job
//! worker (`x-async`), `get_order` in the server.
//!
//! `create_order` is idempotent by the job id: a job run again (its worker died after the
//! work but before recording it) finds its order stored and returns it, so an order is made
//! once however often its job runs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use specbind::jobs::Jobs;
use specbind::persist::{Conflict, Db, PersistError};
use specbind::server::{Call, Config, HandlerError};

use crate::orders_api::server::{
    CreateOrderInput, CreateOrderResponse, GetOrderInput, GetOrderResponse,
};
use crate::orders_api::types::{Error, NewOrderAlgorithm, Order};

/// The orders' state: where orders are stored, how long making one takes, and counters.
#[derive(Debug, Clone)]
pub struct Orders {
    db: Db,
    work: Duration,
    counts: Arc<Counts>,
}

/// What the handlers did, for tests and benchmarks.
#[derive(Debug, Default)]
pub struct Counts {
    /// Runs of `create_order`, by job.
    runs: Mutex<BTreeMap<specbind::uuid::Uuid, u32>>,
    /// Orders made (stored by this process).
    made: AtomicU64,
    /// The call ID and call path each job ran with.
    contexts: Mutex<BTreeMap<specbind::uuid::Uuid, (specbind::uuid::Uuid, String)>>,
}

impl Counts {
    /// How many times `create_order` ran for each job.
    pub fn runs(&self) -> BTreeMap<specbind::uuid::Uuid, u32> {
        self.runs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Orders this process stored.
    pub fn made(&self) -> u64 {
        self.made.load(Ordering::Relaxed)
    }

    /// The call ID and call path job `id` ran with.
    pub fn context(&self, id: specbind::uuid::Uuid) -> Option<(specbind::uuid::Uuid, String)> {
        self.contexts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
    }
}

impl Orders {
    /// Orders in `db`, each taking `work` to make.
    pub fn new(db: Db, work: Duration) -> Self {
        Self {
            db,
            work,
            counts: Arc::default(),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// What the handlers of this state did.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }
}

/// The service's configuration: jobs in `jobs`, and every error in the spec's `Error` model
/// (a dead job's too).
pub fn config(jobs: &Jobs) -> Config {
    Config::default().jobs(jobs.clone()).error_formatter(|e| {
        specbind::server::json(
            e.status,
            &error(i32::from(e.status.as_u16()), e.error_description.clone()),
        )
    })
}

fn error(code: i32, message: impl Into<String>) -> Error {
    Error {
        code,
        message: message.into(),
    }
}

/// `POST /orders`, in a worker: makes the secret and stores the order under the job's id.
pub async fn create_order(
    call: Call<Orders>,
    input: CreateOrderInput,
) -> Result<CreateOrderResponse, HandlerError> {
    let orders = call.state();
    let id = call
        .job_id()
        .ok_or_else(|| HandlerError::msg("create_order runs in a job worker"))?;
    *orders
        .counts
        .runs
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(id)
        .or_default() += 1;
    let context = call.context();
    orders
        .counts
        .contexts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, (context.call_id(), context.call_path().to_owned()));
    let new = input.body;
    if new.name.as_deref() == Some("explode") {
        return Err(HandlerError::msg("the secret store exploded (as asked)"));
    }
    if new.algorithm == NewOrderAlgorithm::Des {
        return Ok(CreateOrderResponse::UnprocessableEntity(error(
            422,
            "`des` is retired; order `aes` or `rsa`",
        )));
    }
    // A run before this one may have made it already.
    if let Some(done) = Order::load(&orders.db, id).await? {
        return Ok(CreateOrderResponse::Created(done.value));
    }
    tokio::time::sleep(orders.work).await;
    let order = Order {
        id,
        r#type: new.r#type,
        algorithm: new.algorithm,
        bit_length: new.bit_length,
        name: new.name,
        secret_ref: format!("secrets/{}", specbind::uuid::Uuid::new_v4().simple()),
        created_at: specbind::chrono::Utc::now(),
    };
    match order.insert(&orders.db).await {
        Ok(_) => {
            orders.counts.made.fetch_add(1, Ordering::Relaxed);
            Ok(CreateOrderResponse::Created(order))
        }
        // Made by a run of the same job in another worker meanwhile: that one stands.
        Err(PersistError::Conflict {
            conflict: Conflict::Exists,
            ..
        }) => match Order::load(&orders.db, id).await? {
            Some(done) => Ok(CreateOrderResponse::Created(done.value)),
            None => Err(HandlerError::msg("the order vanished")),
        },
        Err(e) => Err(e.into()),
    }
}

/// `GET /orders/{orderId}`.
pub async fn get_order(
    call: Call<Orders>,
    input: GetOrderInput,
) -> Result<GetOrderResponse, HandlerError> {
    Ok(
        match Order::load(call.state().db(), input.order_id).await? {
            Some(order) => GetOrderResponse::Ok(order.value),
            None => GetOrderResponse::NotFound(error(
                404,
                format!("no order has id {}", input.order_id),
            )),
        },
    )
}
