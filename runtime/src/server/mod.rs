//! What generated axum servers link against: request decoding, the error envelope, response
//! encoding, and the router-wide layers (panics, timeouts, error formatting, fallbacks).
//!
//! A generated `server` module has, per operation, an input type, a response enum and an axum
//! route that decodes and validates the request, calls the bound function and encodes its
//! result; `router(state)` / `router_with(state, config)` assemble them with [`finish`].

pub mod auth;
pub mod decode;
mod error;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub use error::{ApiError, ErrorFormatter, HandlerError};

/// What a bound function receives besides its typed input: the application state and what
/// is known about the call.
#[derive(Debug, Clone)]
pub struct Call<S> {
    state: S,
    peer: Option<SocketAddr>,
    identity: Option<auth::Identity>,
}

impl<S> Call<S> {
    /// A call with `state` from `peer`, made by `identity`.
    pub fn new(state: S, peer: Option<SocketAddr>, identity: Option<auth::Identity>) -> Self {
        Self {
            state,
            peer,
            identity,
        }
    }

    /// Who is calling, when the operation requires security.
    pub fn identity(&self) -> Option<&auth::Identity> {
        self.identity.as_ref()
    }

    /// The application state given to `router(state)`.
    pub fn state(&self) -> &S {
        &self.state
    }

    /// The application state, owned.
    pub fn into_state(self) -> S {
        self.state
    }

    /// The peer's address, when the server was started with connect info (see [`serve`]).
    pub fn peer(&self) -> Option<SocketAddr> {
        self.peer
    }
}

/// Limits and switches of a generated server.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// Largest request body read, in bytes (default 2 MiB), however it is sent.
    pub body_limit: usize,
    /// Longest time a request may take (default 30 s); then 408.
    pub timeout: Option<Duration>,
    /// Serve the spec at `/openapi.json` and `/openapi.yaml` (default on).
    pub serve_spec: bool,
    /// Renders every error (framework and handler) in the service's own model.
    pub error_formatter: Option<ErrorFormatter>,
    /// Checks credentials of operations that require security.
    pub authenticator: Option<auth::Authenticator>,
    /// When not empty, peers outside these ranges get 403.
    pub trusted_peers: Vec<auth::IpRange>,
    /// Check every response a handler returns against the spec; a violation is logged and
    /// answered with 500 (default: on in debug builds).
    pub validate_responses: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            body_limit: 2 * 1024 * 1024,
            timeout: Some(Duration::from_secs(30)),
            serve_spec: true,
            error_formatter: None,
            authenticator: None,
            trusted_peers: Vec::new(),
            validate_responses: cfg!(debug_assertions),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("body_limit", &self.body_limit)
            .field("timeout", &self.timeout)
            .field("serve_spec", &self.serve_spec)
            .field("error_formatter", &self.error_formatter.is_some())
            .field("authenticator", &self.authenticator.is_some())
            .field("trusted_peers", &self.trusted_peers)
            .field("validate_responses", &self.validate_responses)
            .finish()
    }
}

impl Config {
    /// Sets the body limit.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets the request timeout (`None`: no limit).
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Turns serving the spec on or off.
    #[must_use]
    pub fn serve_spec(mut self, on: bool) -> Self {
        self.serve_spec = on;
        self
    }

    /// Installs the authenticator: called with the scheme's name and the credentials found.
    #[must_use]
    pub fn authenticator<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn(&'static str, auth::Credentials) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<auth::Identity, auth::AuthError>> + Send + 'static,
    {
        self.authenticator = Some(Arc::new(move |scheme, credentials| {
            Box::pin(f(scheme, credentials))
        }));
        self
    }

    /// Accepts only peers in these ranges (`"10.0.0.0/8"`, `"127.0.0.1"`); others get 403.
    ///
    /// # Errors
    /// A range that does not parse.
    pub fn trusted_peers<I: IntoIterator<Item = impl AsRef<str>>>(
        mut self,
        ranges: I,
    ) -> Result<Self, String> {
        self.trusted_peers = ranges
            .into_iter()
            .map(|r| r.as_ref().parse())
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// Turns response validation on or off.
    #[must_use]
    pub fn validate_responses(mut self, on: bool) -> Self {
        self.validate_responses = on;
        self
    }

    /// Installs an error formatter.
    #[must_use]
    pub fn error_formatter(
        mut self,
        f: impl Fn(&ApiError) -> Response + Send + Sync + 'static,
    ) -> Self {
        self.error_formatter = Some(Arc::new(f));
        self
    }
}

/// The router state of a generated server: the application state and the configuration.
#[derive(Debug)]
pub struct Shared<S> {
    /// The application state.
    pub state: S,
    /// The configuration.
    pub config: Arc<Config>,
}

impl<S: Clone> Clone for Shared<S> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            config: Arc::clone(&self.config),
        }
    }
}

impl<S: Clone> Shared<S> {
    /// The [`Call`] for a request with these `parts`, made by `identity`.
    pub fn call(
        &self,
        parts: &axum::http::request::Parts,
        identity: Option<auth::Identity>,
    ) -> Call<S> {
        Call::new(self.state.clone(), peer(parts), identity)
    }
}

fn peer(parts: &axum::http::request::Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// Logs a response that breaks the spec and answers 500 instead, when response validation
/// is on.
pub fn check_response<R: crate::Validate>(
    config: &Config,
    operation: &'static str,
    response: &R,
) -> Result<(), ApiError> {
    if !config.validate_responses {
        return Ok(());
    }
    match response.validate() {
        Ok(()) => Ok(()),
        Err(violations) => {
            let e = ApiError::internal();
            tracing::error!(error_id = %e.error_id, operation, %violations, "the handler's response breaks the spec");
            Err(e)
        }
    }
}

/// Adds what every generated server has: the spec routes, JSON 404 and 405, panics as 500,
/// the timeout, and error formatting, outermost last.
pub fn finish(
    routes: Router,
    config: &Config,
    spec_json: &'static str,
    spec_yaml: &'static str,
) -> Router {
    let mut router = routes;
    if config.serve_spec {
        router = router
            .route(
                "/openapi.json",
                axum::routing::get(move || async move {
                    ([(header::CONTENT_TYPE, "application/json")], spec_json)
                }),
            )
            .route(
                "/openapi.yaml",
                axum::routing::get(move || async move {
                    ([(header::CONTENT_TYPE, "application/yaml")], spec_yaml)
                }),
            );
    }
    router = router
        .fallback(|| async { ApiError::from_status(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async {
            ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED)
        });
    if !config.trusted_peers.is_empty() {
        let trusted = config.trusted_peers.clone();
        router = router.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let allowed = request
                    .extensions()
                    .get::<axum::extract::ConnectInfo<SocketAddr>>()
                    .is_some_and(|c| trusted.iter().any(|r| r.contains(c.0.ip())));
                async move {
                    if allowed {
                        next.run(request).await
                    } else {
                        ApiError::new(
                            StatusCode::FORBIDDEN,
                            "forbidden",
                            "this peer is not trusted",
                        )
                        .into_response()
                    }
                }
            },
        ));
    }
    // One layer stack, added once: each `Router::layer` call would wrap every route again and
    // cost a clone and a boxed future per request. The error map is synchronous for the same
    // reason (`axum::middleware::map_response` boxes its future).
    let formatter = config.error_formatter.clone();
    // No timeout is a timeout nobody reaches.
    let timeout = config
        .timeout
        .unwrap_or(Duration::from_secs(u64::from(u32::MAX)));
    let stack = tower::ServiceBuilder::new()
        .layer(tower::util::MapResponseLayer::new(move |r: Response<_>| {
            error::finish_errors(formatter.as_ref(), r.map(Body::new))
        }))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |panic: Box<dyn std::any::Any + Send>| {
                let e = ApiError::internal();
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(error_id = %e.error_id, panic = %what, "handler panicked");
                e.into_response()
            },
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ));
    router.layer(stack)
}

/// A JSON response.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(e) => {
            let err = ApiError::internal();
            tracing::error!(error_id = %err.error_id, error = %e, "response does not serialize");
            err.into_response()
        }
    }
}

/// A text response.
pub fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// A response with raw bytes of `media_type`.
pub fn bytes(status: StatusCode, media_type: &'static str, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
        Body::from(body),
    )
        .into_response()
}

/// A response without a body.
pub fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// Sets a declared response header from its value's text form.
pub fn set_header(headers: &mut HeaderMap, name: &'static str, value: impl std::fmt::Display) {
    // A name or value that HTTP cannot carry is dropped (and logged), never a panic.
    match (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&value.to_string()),
    ) {
        (Ok(n), Ok(v)) => {
            headers.insert(n, v);
        }
        _ => tracing::warn!(
            header = name,
            "response header dropped: not a valid HTTP header"
        ),
    }
}

/// The status of a response variant declared as a range (`4XX`) or `default`, kept in range.
pub fn status(code: u16, fallback: StatusCode) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(fallback)
}

/// Serves `router` on 127.0.0.1 at `$PORT`, or at `default_port` when `PORT` is unset, with
/// peer addresses available to handlers. Returns when the server stops.
pub async fn serve(router: Router, default_port: u16) -> std::io::Result<()> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default_port);
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    serve_on(listener, router).await
}

/// Serves `router` on an already bound listener (tests bind `127.0.0.1:0`).
pub async fn serve_on(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
