//! The errors of a client call.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Violations;

/// Why a call did not give a declared success response.
///
/// `E` is the operation's error type: one variant per declared error response, with its typed
/// body. Every other way a call can fail has its own variant here, so that a caller can tell a
/// refusal the spec describes from a network failure, a timeout or a server that breaks its
/// own spec.
#[derive(Debug, thiserror::Error)]
pub enum CallError<E> {
    /// The request breaks the spec (checked before sending; nothing was sent).
    #[error("{operation}: the request breaks the spec: {violations}")]
    InvalidRequest {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// Every violation, with the same paths the server would report (`/query/limit`).
        violations: Violations,
    },
    /// A value could not be written into the request (a header that is not visible ASCII, a
    /// form body that is not flat).
    #[error("{operation}: cannot encode the request: {source}")]
    Encode {
        /// The operation.
        operation: &'static str,
        /// What could not be written.
        #[source]
        source: EncodeError,
    },
    /// The server answered with an error response the spec declares.
    #[error("{operation}: the server answered {status}")]
    Api {
        /// The operation.
        operation: &'static str,
        /// The status code.
        status: StatusCode,
        /// The typed response.
        error: E,
    },
    /// The server could not be reached, or the connection failed.
    #[error("{operation}: cannot reach the server: {source}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The transport's error.
        #[source]
        source: reqwest::Error,
    },
    /// No complete response came within the timeout.
    #[error("{operation}: no response within {timeout:?}")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The timeout that expired.
        timeout: Duration,
    },
    /// The response has a declared status but cannot be decoded, or breaks the spec.
    #[error("{operation}: invalid {status} response: {message}")]
    InvalidResponse {
        /// The operation.
        operation: &'static str,
        /// The status code.
        status: StatusCode,
        /// What is wrong with it.
        message: String,
    },
    /// The response body is longer than the call's response limit ([`Builder::response_limit`],
    /// [`Operation::response_limit`]): declared so by its `Content-Length`, or counted as it
    /// arrived. What had arrived is dropped and the connection closed.
    ///
    /// [`Builder::response_limit`]: super::Builder::response_limit
    /// [`Operation::response_limit`]: super::Operation::response_limit
    #[error("{operation}: the {status} response body is over the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation.
        operation: &'static str,
        /// The status code.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
        /// The `Content-Length` the server declared, if it declared one.
        content_length: Option<u64>,
    },
    /// The operation's job was cancelled, or did not end within the wait.
    #[error("{operation}: job {job} is {status:?}")]
    Job {
        /// The operation.
        operation: &'static str,
        /// The job.
        job: uuid::Uuid,
        /// Where it is.
        status: crate::job::JobStatus,
    },
    /// The server answered with a status the spec does not declare for this operation.
    #[error("{operation}: undeclared status {status}")]
    UnexpectedStatus {
        /// The operation.
        operation: &'static str,
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The response body, undecoded.
        body: Bytes,
    },
}

impl<E> CallError<E> {
    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Self::InvalidRequest { operation, .. }
            | Self::Encode { operation, .. }
            | Self::Api { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::InvalidResponse { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::Job { operation, .. }
            | Self::UnexpectedStatus { operation, .. } => operation,
        }
    }

    /// The response's status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::InvalidResponse { status, .. }
            | Self::ResponseTooLarge { status, .. }
            | Self::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The declared error response, if that is what the server sent.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The declared error response, owned.
    pub fn into_api_error(self) -> Option<E> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The violations, when the request was refused before sending.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            Self::InvalidRequest { violations, .. } => Some(violations),
            _ => None,
        }
    }
}

/// A value that cannot be written into a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}`: {message}")]
pub struct EncodeError {
    /// Where: `/header/X-Trace`, `/body`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl EncodeError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A response that does not match what the spec declares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The status is not declared for the operation.
    #[error("undeclared status")]
    Undeclared,
    /// The body does not decode as its declared type.
    #[error("body: {0}")]
    Body(String),
    /// A declared header is missing or does not decode.
    #[error("header `{name}`: {message}")]
    Header {
        /// The header.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// A client that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("base URL `{url}` is not an absolute http(s) URL{hint}")]
    BaseUrl {
        /// The URL given (or taken from the spec).
        url: String,
        /// How to fix it.
        hint: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}
