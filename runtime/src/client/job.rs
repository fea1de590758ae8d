//! Calls of `x-async` operations: the server answers 202 with a job and its status URL; a
//! [`JobHandle`] polls it and, once the job is over, decodes its response as the operation's.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tracing::Instrument as _;

use super::{
    Call, CallBase, CallError, Failure, Meta, Op, Response, decode_checked, prepare, read_all,
    transmit,
};
use crate::context::CallContext;
use crate::job::{JobStatus, JobView, Outcome};

/// A submitted job of operation `O`.
pub struct JobHandle<O: Op> {
    base: CallBase,
    url: reqwest::Url,
    submitted: JobView,
    _op: PhantomData<fn() -> O>,
}

impl<O: Op> std::fmt::Debug for JobHandle<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobHandle")
            .field("operation", &O::ID)
            .field("url", &self.url.as_str())
            .field("submitted", &self.submitted)
            .finish()
    }
}

/// The future of an `x-async` call: the job handle once the server accepted the job.
pub type SubmitFuture<O> =
    Pin<Box<dyn Future<Output = Result<JobHandle<O>, CallError<<O as Op>::Error>>> + Send>>;

/// Sends a call of an `x-async` operation: what its generated `IntoFuture` does. The 202's
/// job becomes a handle; a declared error (a request the server refuses) is returned as for
/// any call.
pub fn submit<O: Op>(call: Call<O>) -> SubmitFuture<O> {
    let span = tracing::debug_span!(
        "specbind.submit",
        operation = O::ID,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty
    );
    Box::pin(
        async move {
            let base = call.base.clone();
            let check = base.transport.inner.validate_responses;
            let failed = |f: Failure| f.into_call_error(O::ID);
            let parts = prepare(call).map_err(failed)?;
            let meta = Meta::of::<O>();
            let response = transmit(&base, parts, meta.method.clone(), meta.security)
                .await
                .map_err(failed)?;
            let response = read_all(&base, response).await.map_err(failed)?;
            if response.status != StatusCode::ACCEPTED {
                // A refusal as declared, or a status the spec does not give.
                let status = response.status;
                return match decode_checked::<O>(check, response) {
                    Err(e) => Err(e),
                    Ok(_) => Err(CallError::InvalidResponse {
                        operation: O::ID,
                        status,
                        message: "an asynchronous operation answered without a job (202)".into(),
                    }),
                };
            }
            let invalid = |message: String| CallError::InvalidResponse {
                operation: O::ID,
                status: StatusCode::ACCEPTED,
                message,
            };
            let submitted: JobView = serde_json::from_slice(&response.body)
                .map_err(|e| invalid(format!("the job in the 202 body: {e}")))?;
            let location = response
                .headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| invalid("the 202 has no `Location`".into()))?
                .to_owned();
            let url = reqwest::Url::parse(base.transport.base_url())
                .and_then(|b| b.join(&location))
                .map_err(|e| invalid(format!("`Location: {location}`: {e}")))?;
            Ok(JobHandle {
                base,
                url,
                submitted,
                _op: PhantomData,
            })
        }
        .instrument(span),
    )
}

impl<O: Op> JobHandle<O> {
    /// The job's id.
    pub fn id(&self) -> uuid::Uuid {
        self.submitted.id
    }

    /// The job as the server accepted it.
    pub fn submitted(&self) -> &JobView {
        &self.submitted
    }

    /// The URL of its status.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    async fn request(&self, method: reqwest::Method) -> Result<JobView, CallError<O::Error>> {
        let inner = &self.base.transport.inner;
        let mut headers = reqwest::header::HeaderMap::new();
        CallContext::current()
            .unwrap_or_default()
            .write(&mut headers);
        let mut builder = inner
            .http
            .request(method, self.url.clone())
            .headers(headers);
        if let Some(t) = self.base.options.timeout.or(inner.timeout) {
            builder = builder.timeout(t);
        }
        let mut request = builder.build().map_err(|e| CallError::Transport {
            operation: O::ID,
            source: e,
        })?;
        for d in &inner.decorators {
            d(&mut request);
        }
        let timeout = self.base.options.timeout.or(inner.timeout);
        let response = inner
            .http
            .execute(request)
            .await
            .map_err(|e| Failure::Transport(e, timeout).into_call_error(O::ID))?;
        let response = read_all(&self.base, response)
            .await
            .map_err(|f| f.into_call_error(O::ID))?;
        if response.status != StatusCode::OK {
            return Err(CallError::UnexpectedStatus {
                operation: O::ID,
                status: response.status,
                headers: response.headers,
                body: response.body,
            });
        }
        serde_json::from_slice(&response.body).map_err(|e| CallError::InvalidResponse {
            operation: O::ID,
            status: StatusCode::OK,
            message: format!("the job: {e}"),
        })
    }

    /// The job now.
    pub async fn status(&self) -> Result<JobView, CallError<O::Error>> {
        self.request(reqwest::Method::GET).await
    }

    /// Cancels the job if it is still pending (the server answers 409 once it runs).
    pub async fn cancel(&self) -> Result<JobView, CallError<O::Error>> {
        self.request(reqwest::Method::DELETE).await
    }

    /// Waits up to 60 s for the job to end; see [`JobHandle::wait_for`].
    pub async fn wait(&self) -> Result<O::Ok, CallError<O::Error>> {
        self.wait_for(Duration::from_secs(60)).await
    }

    /// Polls the job (every 20 ms at first, backing off to 1 s) until it ends or `limit`
    /// passes, and returns its response as the operation's: the declared success, or the
    /// declared error as [`CallError::Api`]. A job cancelled, still running after `limit`, or
    /// dead with an undeclared error is [`CallError::Job`] or [`CallError::UnexpectedStatus`].
    pub async fn wait_for(&self, limit: Duration) -> Result<O::Ok, CallError<O::Error>> {
        let start = Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            let job = self.status().await?;
            match job.status {
                JobStatus::Succeeded | JobStatus::Failed | JobStatus::Dead => {
                    let outcome = job.result.or(job.error).unwrap_or(Outcome {
                        status: 500,
                        body: serde_json::Value::Null,
                    });
                    return self.decode(outcome);
                }
                JobStatus::Cancelled => {
                    return Err(CallError::Job {
                        operation: O::ID,
                        job: job.id,
                        status: job.status,
                    });
                }
                JobStatus::Pending | JobStatus::Running => {}
            }
            if start.elapsed() >= limit {
                return Err(CallError::Job {
                    operation: O::ID,
                    job: job.id,
                    status: job.status,
                });
            }
            tokio::time::sleep(pause.min(limit.saturating_sub(start.elapsed()))).await;
            pause = (pause * 3 / 2).min(Duration::from_secs(1));
        }
    }

    // `CallError` is the public error of every call; `wait_for` returns it the same way.
    #[allow(clippy::result_large_err)]
    fn decode(&self, outcome: Outcome) -> Result<O::Ok, CallError<O::Error>> {
        let status =
            StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut headers = reqwest::header::HeaderMap::new();
        let body = if outcome.body.is_null() {
            bytes::Bytes::new()
        } else {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/json"),
            );
            bytes::Bytes::from(serde_json::to_vec(&outcome.body).unwrap_or_default())
        };
        decode_checked::<O>(
            self.base.transport.inner.validate_responses,
            Response::new(status, headers, body),
        )
    }
}

/// `handle.await` waits for the job with [`JobHandle::wait`].
impl<O: Op> IntoFuture for JobHandle<O> {
    type Output = Result<O::Ok, CallError<O::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.wait().await })
    }
}
