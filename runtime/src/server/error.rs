//! The one JSON error envelope every failure becomes, and the hook that lets a service
//! render it in its own error model (klue's `error_callback`).

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::validate::{Violation, Violations};

/// A request the server refuses, or a failure while serving it: becomes the JSON envelope
/// `{"status", "error", "error_description", "error_id", "field"?, "violations"?}`.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{status}: {error_description}")]
pub struct ApiError {
    /// HTTP status.
    #[serde(serialize_with = "status_code")]
    pub status: StatusCode,
    /// Machine-readable kind: `bad_request`, `validation_failed`, `not_found`, ...
    pub error: &'static str,
    /// Plain words, naming the field when there is one.
    pub error_description: String,
    /// Quoted in logs, so a report can be matched to them.
    pub error_id: uuid::Uuid,
    /// Where the problem is: `/path/petId`, `/query/limit`, `/header/X-Id`, `/body/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every constraint the input broke.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub violations: Box<[Violation]>,
    /// The call ID of the request ([`crate::context`]), to quote in a report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<uuid::Uuid>,
}

fn status_code<S: serde::Serializer>(s: &StatusCode, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_u16(s.as_u16())
}

impl ApiError {
    /// An error of `status` and kind `error`.
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            error_description: description.into(),
            error_id: uuid::Uuid::new_v4(),
            field: None,
            violations: Box::default(),
            call_id: crate::context::CallContext::current().map(|c| c.call_id()),
        }
    }

    /// Names the field at fault.
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// 400 `bad_request` about `field`.
    pub fn bad_request(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", description).at(field)
    }

    /// 400 `validation_failed` listing every violation.
    pub fn validation(violations: Violations) -> Self {
        let list: Vec<Violation> = violations.into_vec();
        let description = match list.as_slice() {
            [one] => format!("`{}` {}", display_path(&one.path), one.message),
            many => format!(
                "{} constraints are broken, the first: `{}` {}",
                many.len(),
                many.first()
                    .map(|v| display_path(&v.path))
                    .unwrap_or_default(),
                many.first().map(|v| v.message.as_str()).unwrap_or_default()
            ),
        };
        let field = list.first().map(|v| v.path.clone());
        Self {
            field,
            violations: list.into_boxed_slice(),
            ..Self::new(StatusCode::BAD_REQUEST, "validation_failed", description)
        }
    }

    /// 500 `internal_error`; the description says no more than the id.
    pub fn internal() -> Self {
        let mut e = Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "");
        e.error_description = format!(
            "internal error; quote error id {} when reporting it",
            e.error_id
        );
        e
    }

    /// The envelope for a bare status (a fallback, a timeout, a limit).
    pub fn from_status(status: StatusCode) -> Self {
        let (kind, text) = match status {
            StatusCode::NOT_FOUND => ("not_found", "no route matches this path"),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this path does not accept this method",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload_too_large",
                "the request body is larger than the server accepts",
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "request_timeout",
                "the request took longer than the server allows",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "the request body's media type is not accepted",
            ),
            s if s.is_server_error() => return Self::internal(),
            _ => ("bad_request", "the request is not valid"),
        };
        Self::new(status, kind, text)
    }
}

fn display_path(p: &str) -> &str {
    if p.is_empty() { "/" } else { p }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response.extensions_mut().insert(Rendered(self));
        response
    }
}

/// Marks a response as an [`ApiError`] envelope, so a formatter can re-render it.
#[derive(Debug, Clone)]
pub(crate) struct Rendered(pub(crate) ApiError);

/// Turns every error, framework or handler, into the service's own error model.
pub type ErrorFormatter = Arc<dyn Fn(&ApiError) -> Response + Send + Sync>;

/// Makes every error response an envelope, then passes it through the formatter if any.
pub(crate) fn finish_errors(
    formatter: Option<&ErrorFormatter>,
    mut response: Response,
    call_id: Option<uuid::Uuid>,
) -> Response {
    let status = response.status();
    let error = match response.extensions_mut().remove::<Rendered>() {
        Some(Rendered(e)) => Some(e),
        // Errors made below us (fallbacks, limits, timeouts) with no body of ours.
        None if (status.is_client_error() || status.is_server_error())
            && !response.headers().contains_key(header::CONTENT_TYPE) =>
        {
            let mut e = ApiError::from_status(status);
            e.call_id = e.call_id.or(call_id);
            Some(e)
        }
        None => None,
    };
    match (error, formatter) {
        (Some(e), Some(f)) => f(&e),
        (Some(e), None) => {
            if response.headers().contains_key(header::CONTENT_TYPE) {
                response
            } else {
                e.into_response()
            }
        }
        (None, _) => response,
    }
}

/// The answer to a persistence failure a handler passed on with `?`: a conflict is 409, a
/// missing document 404, a model that breaks the spec 422 with its violations; a stale
/// document or a database failure is the server's (500, 503), logged with the error id.
#[cfg(feature = "persist")]
fn persist_error(e: &crate::persist::PersistError) -> ApiError {
    use crate::persist::PersistError as P;
    let api = match e {
        P::NotFound { .. } => ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string()),
        P::Conflict { .. } => ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()),
        P::Invalid { violations, .. } => ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            error: "invalid_model",
            ..ApiError::validation(violations.clone())
        },
        P::Stale { .. } => ApiError::internal(),
        P::Backend(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database is not available; try again later",
        ),
    };
    if api.status.is_server_error() {
        tracing::error!(error_id = %api.error_id, error = %e, "persistence failed");
    }
    api
}

/// What a handler may fail with beyond its declared responses: any error. It becomes a 500
/// whose error id is logged with the error.
#[derive(Debug)]
pub struct HandlerError(Box<dyn std::error::Error + Send + Sync>);

impl<E: std::error::Error + Send + Sync + 'static> From<E> for HandlerError {
    fn from(e: E) -> Self {
        Self(Box::new(e))
    }
}

impl HandlerError {
    /// A handler error with a message.
    pub fn msg(message: impl Into<String>) -> Self {
        Self(message.into().into())
    }

    /// The underlying error.
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl IntoResponse for HandlerError {
    fn into_response(self) -> Response {
        // A handler may pass on a client's mistake it found itself (`form.field("n")?`).
        if let Some(e) = self.0.downcast_ref::<ApiError>() {
            return e.clone().into_response();
        }
        #[cfg(feature = "persist")]
        if let Some(e) = self.0.downcast_ref::<crate::persist::PersistError>() {
            return persist_error(e).into_response();
        }
        let e = ApiError::internal();
        tracing::error!(error_id = %e.error_id, error = %self.0, "handler failed");
        e.into_response()
    }
}
