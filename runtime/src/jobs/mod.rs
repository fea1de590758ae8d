//! Async job requests (`x-async`): the server validates the request, stores a job PENDING,
//! puts its id on a queue and answers 202; a [`Worker`] later runs the bound function with the
//! same input and call context, and the job ends SUCCEEDED (with the operation's response),
//! FAILED (with the declared error response), or DEAD after its last attempt.
//!
//! As in Barbican's orders and buildapi's job requests, the job record is the truth and the
//! queue only says "look at this job": a job is claimed by a versioned update of its record
//! (see [`crate::persist`]), so a message delivered twice, or to two workers, runs the job
//! once; a job whose record is terminal is acknowledged and skipped (the job id is the
//! idempotency key, also given to the handler as [`Call::job_id`](crate::server::Call)). A
//! running job holds a lease that its worker renews; a worker that dies lets the lease
//! expire, and the job is run again by another (at-least-once). A handler error or panic is
//! retried with exponential backoff up to [`JobOptions::max_attempts`], then the job is DEAD.
//!
//! Queues: [`Jobs::embedded`] (in process; on start, and every sweep, the store is scanned for
//! jobs to resume, so a restart loses nothing) and, with the `amqp` feature, [`Jobs::amqp`]
//! (RabbitMQ, for several server and worker processes sharing a database).

#[cfg(feature = "amqp")]
mod amqp;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::persist::{self, Collection, Db, KeyKind, Model, PersistError, Version, Versioned};
use crate::server::{ApiError, Shared};
use axum::response::Response;

pub use crate::job::{JobStatus, JobView, Outcome};
pub use worker::{Dispatch, Format, Worker};

/// What running a job gives: the operation's response, or (`Err`) a failure to retry,
/// rendered in the service's error model.
pub type JobFuture = BoxFuture<'static, Result<Response, Response>>;

/// The run of a job whose operation this server does not have (an older or newer
/// deployment's): FAILED with 501.
pub fn unknown_operation<S: Clone>(shared: &Shared<S>, job: &Job) -> JobFuture {
    let response = shared.error(ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_implemented",
        format!("this worker has no operation `{}`", job.operation),
    ));
    Box::pin(async move { Ok(response) })
}

impl From<StoredIdentity> for crate::server::auth::Identity {
    fn from(i: StoredIdentity) -> Self {
        Self {
            subject: i.subject,
            scheme: i.scheme,
            scopes: i.scopes,
        }
    }
}

/// The request a job was made from, as validated: replayed to the operation's decoder by the
/// worker. Credentials are not kept (the caller's identity is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRequest {
    /// The method.
    pub method: String,
    /// Path and query.
    pub uri: String,
    /// The headers, but credentials.
    pub headers: Vec<(String, String)>,
    /// The body, base64.
    pub body: crate::Base64,
}

/// Who asked for the job, as the authenticator established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIdentity {
    /// The caller.
    pub subject: String,
    /// The scheme that authenticated it.
    pub scheme: String,
    /// Its scopes.
    pub scopes: Vec<String>,
}

/// A job record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Its id: also the idempotency key of its messages.
    pub id: uuid::Uuid,
    /// The operationId.
    pub operation: String,
    /// Where it is.
    pub status: JobStatus,
    /// Attempts started.
    pub attempts: u32,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The call ID of the request that asked for it.
    pub call_id: uuid::Uuid,
    /// The call path of that request.
    pub call_path: String,
    /// The response, once SUCCEEDED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    /// The error response, once FAILED or DEAD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Outcome>,
    /// The validated request.
    pub request: StoredRequest,
    /// Who asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<StoredIdentity>,
    /// Not to be tried before this time (backoff between attempts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<DateTime<Utc>>,
    /// The running worker's lease ends at this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<DateTime<Utc>>,
    /// The worker holding the lease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<String>,
}

impl crate::Validate for Job {
    fn validate_at(&self, _: &crate::Path<'_>, _: &mut crate::Violations) {}
}

impl Model for Job {
    type Key = uuid::Uuid;
    const COLLECTION: Collection = Collection {
        name: "jobs",
        key: KeyKind::Text,
        unique: &[],
    };
    fn key(&self) -> uuid::Uuid {
        self.id
    }
}

impl From<&Job> for JobView {
    fn from(j: &Job) -> Self {
        Self {
            id: j.id,
            operation: j.operation.clone(),
            status: j.status,
            attempts: j.attempts,
            created_at: j.created_at,
            updated_at: j.updated_at,
            call_id: j.call_id,
            result: j.result.clone(),
            error: j.error.clone(),
        }
    }
}

/// A job failure outside the job itself.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job store failed.
    #[error(transparent)]
    Store(#[from] PersistError),
    /// The queue failed.
    #[error("job queue: {0}")]
    Queue(String),
}

/// A message from a queue: a job id to look at, and how to acknowledge it.
pub struct Delivery {
    /// The job.
    pub id: uuid::Uuid,
    ack: Option<BoxFuture<'static, Result<(), JobError>>>,
}

impl Delivery {
    /// A delivery needing no acknowledgement.
    pub fn new(id: uuid::Uuid) -> Self {
        Self { id, ack: None }
    }

    /// A delivery acknowledged by running `ack`.
    pub fn with_ack(id: uuid::Uuid, ack: BoxFuture<'static, Result<(), JobError>>) -> Self {
        Self { id, ack: Some(ack) }
    }

    /// Acknowledges the message: the job is over, or its record says what to do next.
    pub async fn ack(self) -> Result<(), JobError> {
        match self.ack {
            Some(f) => f.await,
            None => Ok(()),
        }
    }
}

/// A queue of job ids. At-least-once: a message not acknowledged is delivered again.
pub trait Queue: Send + Sync {
    /// Announces job `id`.
    fn push(&self, id: uuid::Uuid) -> BoxFuture<'_, Result<(), JobError>>;
    /// The next message (waits for one).
    fn pull(&self) -> BoxFuture<'_, Result<Delivery, JobError>>;
}

/// The in-process queue of [`Jobs::embedded`].
struct Embedded {
    tx: tokio::sync::mpsc::UnboundedSender<uuid::Uuid>,
    rx: tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<uuid::Uuid>>,
}

impl Queue for Embedded {
    fn push(&self, id: uuid::Uuid) -> BoxFuture<'_, Result<(), JobError>> {
        let sent = self
            .tx
            .send(id)
            .map_err(|_| JobError::Queue("the in-process queue is closed".into()));
        Box::pin(async move { sent })
    }

    fn pull(&self) -> BoxFuture<'_, Result<Delivery, JobError>> {
        Box::pin(async move {
            match self.rx.lock().await.recv().await {
                Some(id) => Ok(Delivery::new(id)),
                None => Err(JobError::Queue("the in-process queue is closed".into())),
            }
        })
    }
}

/// Timing of jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobOptions {
    /// Attempts before a job is DEAD (default 5).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled before each next one (default 200 ms).
    pub backoff: Duration,
    /// How long a worker holds a job without renewing its lease (default 30 s); it renews it
    /// every third of that. A job whose lease ran out is run again.
    pub lease: Duration,
    /// How often workers scan the store for jobs to resume (default 5 s).
    pub sweep_every: Duration,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            backoff: Duration::from_millis(200),
            lease: Duration::from_secs(30),
            sweep_every: Duration::from_secs(5),
        }
    }
}

impl JobOptions {
    /// Sets [`JobOptions::max_attempts`].
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// Sets [`JobOptions::backoff`].
    #[must_use]
    pub fn backoff(mut self, d: Duration) -> Self {
        self.backoff = d;
        self
    }
    /// Sets [`JobOptions::lease`].
    #[must_use]
    pub fn lease(mut self, d: Duration) -> Self {
        self.lease = d.max(Duration::from_millis(30));
        self
    }
    /// Sets [`JobOptions::sweep_every`].
    #[must_use]
    pub fn sweep_every(mut self, d: Duration) -> Self {
        self.sweep_every = d.max(Duration::from_millis(10));
        self
    }
}

/// The job store and queue a server submits to and workers take from. Cheap to clone.
#[derive(Clone)]
pub struct Jobs {
    db: Db,
    queue: Arc<dyn Queue>,
    options: JobOptions,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("db", &self.db)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

impl Jobs {
    /// Jobs in `db`, queued in this process: workers must run in this process too. On the
    /// first sweep of a worker, the pending and abandoned jobs of `db` are queued again.
    pub fn embedded(db: Db) -> Self {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        Self::with_queue(
            db,
            Arc::new(Embedded {
                tx,
                rx: tokio::sync::Mutex::new(rx),
            }),
        )
    }

    /// Jobs in `db`, queued in the RabbitMQ queue `queue` at `url`
    /// (`amqp://guest:guest@127.0.0.1:5672/%2f`): for servers and workers in several
    /// processes sharing `db` (PostgreSQL, or an SQLite file).
    #[cfg(feature = "amqp")]
    pub async fn amqp(db: Db, url: &str, queue: &str) -> Result<Self, JobError> {
        let q = amqp::Amqp::connect(url, queue).await?;
        Ok(Self::with_queue(db, Arc::new(q)))
    }

    /// Jobs in `db` over a queue of your own.
    pub fn with_queue(db: Db, queue: Arc<dyn Queue>) -> Self {
        Self {
            db,
            queue,
            options: JobOptions::default(),
        }
    }

    /// Sets the timing.
    #[must_use]
    pub fn options(mut self, options: JobOptions) -> Self {
        self.options = options;
        self
    }

    /// The timing.
    pub fn job_options(&self) -> &JobOptions {
        &self.options
    }

    /// The job store.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The queue.
    pub fn queue(&self) -> &dyn Queue {
        &*self.queue
    }

    /// Stores a PENDING job for `operation` from this validated request and queues it.
    pub async fn submit(
        &self,
        operation: &str,
        parts: &axum::http::request::Parts,
        body: &[u8],
        identity: Option<&crate::server::auth::Identity>,
    ) -> Result<Job, JobError> {
        let context = crate::context::CallContext::current().unwrap_or_default();
        let headers = parts
            .headers
            .iter()
            .filter(|(name, _)| !is_credential(name.as_str()))
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let at = now();
        let job = Job {
            id: uuid::Uuid::new_v4(),
            operation: operation.to_owned(),
            status: JobStatus::Pending,
            attempts: 0,
            created_at: at,
            updated_at: at,
            call_id: context.call_id(),
            call_path: context.call_path().to_owned(),
            result: None,
            error: None,
            request: StoredRequest {
                method: parts.method.as_str().to_owned(),
                uri: parts.uri.to_string(),
                headers,
                body: crate::Base64(body.to_vec()),
            },
            identity: identity.map(|i| StoredIdentity {
                subject: i.subject.clone(),
                scheme: i.scheme.clone(),
                scopes: i.scopes.clone(),
            }),
            not_before: None,
            lease_until: None,
            worker: None,
        };
        persist::save(&self.db, &job, None).await?;
        self.queue.push(job.id).await?;
        tracing::debug!(job = %job.id, operation, "job submitted");
        Ok(job)
    }

    /// The job `id`, if there is one.
    pub async fn get(&self, id: uuid::Uuid) -> Result<Option<Versioned<Job>>, JobError> {
        Ok(persist::load::<Job>(&self.db, &id).await?)
    }

    /// Cancels job `id` if it is still PENDING; the job as it is now, or `None` if there is
    /// no such job.
    pub async fn cancel(&self, id: uuid::Uuid) -> Result<Option<Job>, JobError> {
        loop {
            let Some(Versioned { value, version }) = self.get(id).await? else {
                return Ok(None);
            };
            if value.status != JobStatus::Pending {
                return Ok(Some(value));
            }
            let job = Job {
                status: JobStatus::Cancelled,
                updated_at: now(),
                ..value
            };
            match self.update(&job, version).await {
                Ok(_) => return Ok(Some(job)),
                // Claimed or changed meanwhile: look again.
                Err(JobError::Store(PersistError::Conflict { .. })) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    async fn update(&self, job: &Job, version: Version) -> Result<Version, JobError> {
        Ok(persist::save(&self.db, job, Some(version)).await?)
    }

    /// Queues again every PENDING job last changed more than `stale` ago and every RUNNING
    /// job whose lease ran out; how many. Workers do this on start and every
    /// [`JobOptions::sweep_every`]; a job queued twice still runs once.
    pub async fn sweep(&self, stale: Duration) -> Result<usize, JobError> {
        let limit = chrono::Duration::from_std(stale).unwrap_or(chrono::Duration::MAX);
        let at = now();
        let mut queued = 0;
        let mut start = None;
        loop {
            let page = persist::list::<Job>(&self.db, start.as_ref(), 500).await?;
            for job in &page.items {
                let due = match job.status {
                    JobStatus::Pending => at - job.updated_at >= limit,
                    JobStatus::Running => job.lease_until.is_none_or(|l| l <= at),
                    _ => false,
                };
                if due {
                    self.queue.push(job.id).await?;
                    queued += 1;
                }
            }
            match page.next {
                Some(next) => start = Some(next),
                None => return Ok(queued),
            }
        }
    }
}

/// Headers that carry credentials: not stored with a job.
fn is_credential(name: &str) -> bool {
    matches!(
        name,
        "authorization" | "cookie" | "proxy-authorization" | "x-api-key"
    )
}

impl StoredRequest {
    /// The request again, to decode as the server did.
    pub fn to_parts(&self) -> Result<(axum::http::request::Parts, axum::body::Bytes), ApiError> {
        let bad = |what: &str| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "bad_job",
                format!("the job's stored request has a bad {what}"),
            )
        };
        let method: Method = self.method.parse().map_err(|_| bad("method"))?;
        let uri: Uri = self.uri.parse().map_err(|_| bad("URI"))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name: axum::http::HeaderName = name.parse().map_err(|_| bad("header"))?;
            let value: axum::http::HeaderValue = value.parse().map_err(|_| bad("header"))?;
            headers.append(name, value);
        }
        let mut request = axum::http::Request::new(());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        let (parts, ()) = request.into_parts();
        Ok((parts, axum::body::Bytes::from(self.body.0.clone())))
    }
}

/// 202 Accepted: the job, and `Location: <prefix><id>` to poll.
pub fn accepted(job: &Job, prefix: &str) -> Response {
    let mut response = crate::server::json(StatusCode::ACCEPTED, &JobView::from(job));
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{prefix}{}", job.id)) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, v);
    }
    response
}

fn unavailable<S: Clone>(shared: &Shared<S>, e: &JobError) -> Response {
    let api = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the job store or queue is not available; try again later",
    );
    tracing::error!(error_id = %api.error_id, error = %e, "job store or queue failed");
    shared.error(api)
}

fn no_queue<S: Clone>(shared: &Shared<S>) -> Response {
    shared.error(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "no_job_queue",
        "this server runs asynchronous operations but has no job queue (`Config::jobs`)",
    ))
}

/// What the route of an `x-async` operation does once the request is validated: stores and
/// queues the job, and answers 202 with `Location: <prefix><id>`.
pub async fn submit<S: Clone>(
    shared: &Shared<S>,
    operation: &str,
    prefix: &str,
    parts: &axum::http::request::Parts,
    body: &[u8],
    identity: Option<&crate::server::auth::Identity>,
) -> Response {
    let Some(jobs) = &shared.config.jobs else {
        return no_queue(shared);
    };
    match jobs.submit(operation, parts, body, identity).await {
        Ok(job) => accepted(&job, prefix),
        Err(e) => unavailable(shared, &e),
    }
}

fn bad_id<S: Clone>(shared: &Shared<S>, id: &str) -> Response {
    shared.error(ApiError::bad_request(
        "/path/jobId",
        format!("`jobId` must be a UUID, got {id:?}"),
    ))
}

fn no_job<S: Clone>(shared: &Shared<S>, id: uuid::Uuid) -> Response {
    shared.error(
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no job has id {id}"),
        )
        .at("/path/jobId"),
    )
}

/// `GET .../jobs/{jobId}`: the job.
pub async fn status_route<S: Clone + Send + Sync + 'static>(
    axum::extract::State(shared): axum::extract::State<Shared<S>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let Some(jobs) = &shared.config.jobs else {
        return no_queue(&shared);
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return bad_id(&shared, &id);
    };
    match jobs.get(id).await {
        Ok(Some(job)) => crate::server::json(StatusCode::OK, &JobView::from(&job.value)),
        Ok(None) => no_job(&shared, id),
        Err(e) => unavailable(&shared, &e),
    }
}

/// `DELETE .../jobs/{jobId}`: cancels a PENDING job (200 with the job); 409 once it runs.
pub async fn cancel_route<S: Clone + Send + Sync + 'static>(
    axum::extract::State(shared): axum::extract::State<Shared<S>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let Some(jobs) = &shared.config.jobs else {
        return no_queue(&shared);
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return bad_id(&shared, &id);
    };
    match jobs.cancel(id).await {
        Ok(Some(job)) if job.status == JobStatus::Cancelled => {
            crate::server::json(StatusCode::OK, &JobView::from(&job))
        }
        Ok(Some(job)) => shared.error(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "job {id} is {:?}; only a pending job can be cancelled",
                job.status
            ),
        )),
        Ok(None) => no_job(&shared, id),
        Err(e) => unavailable(&shared, &e),
    }
}
