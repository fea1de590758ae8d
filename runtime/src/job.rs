//! The job types a server and a client share: what `GET .../jobs/{jobId}` returns for an
//! `x-async` operation (see [`crate::jobs`] and `specbind::client::JobHandle`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    /// Waiting for a worker (also between attempts).
    Pending,
    /// A worker runs it.
    Running,
    /// Done: `result` holds the operation's response.
    Succeeded,
    /// Done: `error` holds the declared error response.
    Failed,
    /// Cancelled while pending.
    Cancelled,
    /// Failed at every attempt (dead letter): `error` holds the last failure.
    Dead,
}

impl JobStatus {
    /// Whether the job is over.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Failed | Self::Cancelled | Self::Dead
        )
    }
}

/// A response kept in a job: its status and JSON body (`null` when it had none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The HTTP status the operation answered with.
    pub status: u16,
    /// The body.
    pub body: serde_json::Value,
}

/// What clients see of a job: `GET .../jobs/{id}`, and the body of the 202.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    /// The job's id.
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
    /// The response, once SUCCEEDED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    /// The error response, once FAILED or DEAD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Outcome>,
}
