//! [`Worker`]: takes job ids from the queue, claims each job by a versioned update of its
//! record, runs it under a renewed lease, and records how it ended.

use std::sync::Arc;
use std::time::Duration;

use axum::response::Response;

use super::{Delivery, Job, JobError, JobStatus, Jobs, Outcome, now};
use crate::context::CallContext;
use crate::persist::{PersistError, Versioned};
use crate::server::ApiError;

/// Runs a job's operation: the generated `worker` function makes it. `Ok` is the operation's
/// response (declared success or declared error); `Err` a failure to retry (a handler error,
/// already rendered in the service's error model).
pub type Dispatch = Arc<dyn Fn(Job) -> super::JobFuture + Send + Sync>;

/// Renders an error in the service's error model (the server config's formatter).
pub type Format = Arc<dyn Fn(ApiError) -> Response + Send + Sync>;

/// Runs jobs from a [`Jobs`] queue. Dropping the future of [`Worker::run`] (or aborting the
/// task of [`Worker::spawn`]) stops it at once, as a killed process would: its jobs are
/// resumed by other workers when their leases run out.
pub struct Worker {
    jobs: Jobs,
    dispatch: Dispatch,
    format: Format,
    name: String,
    concurrency: usize,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.name)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// A worker running jobs through `dispatch`, rendering failures with `format`.
    pub fn new(jobs: Jobs, dispatch: Dispatch, format: Format) -> Self {
        Self {
            jobs,
            dispatch,
            format,
            name: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            concurrency: 8,
        }
    }

    /// How many jobs it runs at once (default 8).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Its name in job records and logs (default `worker-<uuid>`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Runs [`Worker::run`] on a task.
    pub fn spawn(self) -> tokio::task::JoinHandle<Result<(), JobError>> {
        tokio::spawn(self.run())
    }

    /// Sweeps the store for jobs to resume, then runs jobs as they come, until the queue
    /// fails.
    pub async fn run(self) -> Result<(), JobError> {
        let this = Arc::new(self);
        let mut tasks = tokio::task::JoinSet::new();
        let sweeper = this.clone();
        tasks.spawn(async move {
            // The first sweep queues every pending job: after a restart the in-process queue
            // is empty (a job queued twice still runs once).
            let mut stale = Duration::ZERO;
            loop {
                if let Err(e) = sweeper.jobs.sweep(stale).await {
                    tracing::warn!(worker = %sweeper.name, error = %e, "job sweep failed");
                }
                stale = sweeper.jobs.options.lease;
                tokio::time::sleep(sweeper.jobs.options.sweep_every).await;
            }
        });
        let slots = Arc::new(tokio::sync::Semaphore::new(this.concurrency));
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return Ok(());
            };
            let delivery = this.jobs.queue.pull().await?;
            let worker = this.clone();
            tasks.spawn(async move {
                let id = delivery.id;
                if let Err(e) = worker.process(delivery).await {
                    tracing::warn!(worker = %worker.name, job = %id, error = %e, "job not processed");
                }
                drop(slot);
            });
            // Reap finished tasks so the set does not grow.
            while tasks.try_join_next().is_some() {}
        }
    }

    /// Claims, runs and records one job; acknowledges the message once the record says
    /// what comes next.
    async fn process(&self, delivery: Delivery) -> Result<(), JobError> {
        let options = self.jobs.options;
        loop {
            let Some(Versioned {
                value: job,
                version,
            }) = self.jobs.get(delivery.id).await?
            else {
                // Unknown: nothing to do (removed, or another service's).
                return delivery.ack().await;
            };
            let at = now();
            match job.status {
                s if s.is_terminal() => return delivery.ack().await,
                JobStatus::Pending => {
                    if let Some(wait) = job.not_before.and_then(|t| (t - at).to_std().ok()) {
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                }
                _ => {
                    // Running: another worker holds it until its lease runs out.
                    if let Some(wait) = job.lease_until.and_then(|t| (t - at).to_std().ok()) {
                        tokio::time::sleep(wait + Duration::from_millis(5)).await;
                        continue;
                    }
                }
            }
            let lease = chrono::Duration::from_std(options.lease).unwrap_or(chrono::Duration::MAX);
            let mut claimed = Job {
                status: JobStatus::Running,
                attempts: job.attempts + 1,
                updated_at: at,
                lease_until: Some(at + lease),
                not_before: None,
                worker: Some(self.name.clone()),
                ..job
            };
            let mut version = match self.jobs.update(&claimed, version).await {
                Ok(v) => v,
                Err(JobError::Store(PersistError::Conflict { .. })) => continue,
                Err(e) => return Err(e),
            };
            tracing::debug!(worker = %self.name, job = %claimed.id, attempt = claimed.attempts, "job claimed");
            let context = CallContext::resumed(claimed.call_id, &claimed.call_path);
            let mut run = tokio::spawn(context.scoped((self.dispatch)(claimed.clone())));
            // A worker stopped (its task aborted) stops the job's run too, as a crash would.
            let _stop = AbortOnDrop(run.abort_handle());
            let finished = loop {
                tokio::select! {
                    r = &mut run => break r,
                    () = tokio::time::sleep(options.lease / 3) => {
                        let renewed = Job { lease_until: Some(now() + lease), ..claimed.clone() };
                        match self.jobs.update(&renewed, version).await {
                            Ok(v) => { version = v; claimed = renewed; }
                            Err(JobError::Store(PersistError::Conflict { .. })) => {
                                // The lease was lost: another worker runs the job now.
                                run.abort();
                                return delivery.ack().await;
                            }
                            Err(e) => { run.abort(); return Err(e); }
                        }
                    }
                }
            };
            let failure = match finished {
                Ok(Ok(response)) => {
                    let outcome = outcome(response).await;
                    let status = if (200..300).contains(&outcome.status) {
                        JobStatus::Succeeded
                    } else {
                        JobStatus::Failed
                    };
                    let done = Job {
                        status,
                        updated_at: now(),
                        lease_until: None,
                        result: (status == JobStatus::Succeeded).then(|| outcome.clone()),
                        error: (status == JobStatus::Failed).then_some(outcome),
                        ..claimed
                    };
                    return self.finish(done, version, delivery).await;
                }
                Ok(Err(response)) => outcome(response).await,
                Err(panic) => {
                    tracing::error!(worker = %self.name, job = %claimed.id, error = %panic, "job panicked");
                    outcome((self.format)(ApiError::internal())).await
                }
            };
            let next = if claimed.attempts >= options.max_attempts {
                Job {
                    status: JobStatus::Dead,
                    updated_at: now(),
                    lease_until: None,
                    error: Some(failure),
                    ..claimed
                }
            } else {
                let factor = 2u32.saturating_pow(claimed.attempts.saturating_sub(1));
                let backoff = options.backoff.saturating_mul(factor);
                let wait = chrono::Duration::from_std(backoff).unwrap_or(chrono::Duration::MAX);
                Job {
                    status: JobStatus::Pending,
                    updated_at: now(),
                    lease_until: None,
                    not_before: Some(now() + wait),
                    error: Some(failure),
                    ..claimed
                }
            };
            if next.status == JobStatus::Dead {
                tracing::warn!(worker = %self.name, job = %next.id, attempts = next.attempts, "job dead after its last attempt");
                return self.finish(next, version, delivery).await;
            }
            match self.jobs.update(&next, version).await {
                // Tried again by this worker after the backoff.
                Ok(_) => continue,
                Err(JobError::Store(PersistError::Conflict { .. })) => {
                    return delivery.ack().await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records a terminal state, unless the lease was lost meanwhile.
    async fn finish(
        &self,
        done: Job,
        version: crate::persist::Version,
        delivery: Delivery,
    ) -> Result<(), JobError> {
        match self.jobs.update(&done, version).await {
            Ok(_) => {
                tracing::debug!(worker = %self.name, job = %done.id, status = ?done.status, "job done");
                delivery.ack().await
            }
            Err(JobError::Store(PersistError::Conflict { .. })) => delivery.ack().await,
            Err(e) => Err(e),
        }
    }
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The status and JSON body of a response (a body that is not JSON is kept as a string).
async fn outcome(response: Response) -> Outcome {
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let body = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&body).into()))
    };
    Outcome { status, body }
}
