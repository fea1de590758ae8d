//! What generated axum servers link against: request decoding, the error envelope, response
//! encoding, and the router-wide layers (panics, timeouts, error formatting, fallbacks).
//!
//! A generated `server` module has, per operation, an input type, a response enum and an axum
//! route that decodes and validates the request, calls the bound function and encodes its
//! result; `router(state)` / `router_with(state, config)` assemble them with [`finish`].

pub mod auth;
pub mod decode;
#[cfg(feature = "docs")]
mod docs;
mod error;
mod op;
mod serve;
mod yaml;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
pub use axum::response::Response;
use serde::Serialize;
use std::convert::Infallible;

use crate::context::CallContext;

pub use error::{ApiError, ErrorFormatter, HandlerError};
pub use op::{
    Decoder, In, Input, Kind, Media, Operation, Param, Respond, Style, code, code_or, header,
    joined, json_text, required, route,
};
#[cfg(feature = "jobs")]
pub use op::{job_route, run_job};
pub use serve::ServeConfig;

/// What a bound function receives besides its typed input: the application state and what
/// is known about the call.
#[derive(Debug, Clone)]
pub struct Call<S> {
    state: S,
    peer: Option<SocketAddr>,
    identity: Option<auth::Identity>,
    context: CallContext,
    #[cfg(feature = "jobs")]
    job: Option<uuid::Uuid>,
}

impl<S> Call<S> {
    /// A call with `state` from `peer`, made by `identity`.
    pub fn new(state: S, peer: Option<SocketAddr>, identity: Option<auth::Identity>) -> Self {
        Self {
            state,
            peer,
            identity,
            context: CallContext::current().unwrap_or_default(),
            #[cfg(feature = "jobs")]
            job: None,
        }
    }

    /// The id of the job this call runs, for an `x-async` operation run by a worker: an
    /// idempotency key, as a job may run again after its worker died.
    #[cfg(feature = "jobs")]
    pub fn job_id(&self) -> Option<uuid::Uuid> {
        self.job
    }

    /// The call ID and call path of this request (also in scope for every call the handler
    /// makes through generated clients).
    pub fn context(&self) -> &CallContext {
        &self.context
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
    /// Serve the interactive API reference (Swagger UI) at `/docs`, and redirect `/` to it
    /// (default on). Needs the `docs` feature (part of `server`); without it nothing is
    /// served and the switch does nothing. The page shows the spec whatever `serve_spec` says.
    pub serve_docs: bool,
    /// Renders every error (framework and handler) in the service's own model.
    pub error_formatter: Option<ErrorFormatter>,
    /// Checks credentials of operations that require security.
    pub authenticator: Option<auth::Authenticator>,
    /// When not empty, peers outside these ranges get 403.
    pub trusted_peers: Vec<auth::IpRange>,
    /// Check every response a handler returns against the spec; a violation is logged and
    /// answered with 500 (default: on in debug builds).
    pub validate_responses: bool,
    /// The name this server appends to the call path (default: the spec's `x-api-name`, or
    /// its file name).
    pub api_name: Option<String>,
    /// How many times the call path may already hold this server's name; one more is
    /// answered with 508 Loop Detected (default 3).
    pub max_repeats: usize,
    /// Where `x-async` operations store and queue their jobs; without it they answer 503.
    #[cfg(feature = "jobs")]
    pub jobs: Option<crate::jobs::Jobs>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            body_limit: 2 * 1024 * 1024,
            timeout: Some(Duration::from_secs(30)),
            serve_spec: true,
            serve_docs: true,
            error_formatter: None,
            authenticator: None,
            trusted_peers: Vec::new(),
            validate_responses: cfg!(debug_assertions),
            api_name: None,
            max_repeats: 3,
            #[cfg(feature = "jobs")]
            jobs: None,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("body_limit", &self.body_limit)
            .field("timeout", &self.timeout)
            .field("serve_spec", &self.serve_spec)
            .field("serve_docs", &self.serve_docs)
            .field("error_formatter", &self.error_formatter.is_some())
            .field("authenticator", &self.authenticator.is_some())
            .field("trusted_peers", &self.trusted_peers)
            .field("validate_responses", &self.validate_responses)
            .field("api_name", &self.api_name)
            .field("max_repeats", &self.max_repeats)
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

    /// Turns the API reference page at `/docs` (and the redirect of `/` to it) on or off.
    #[must_use]
    pub fn serve_docs(mut self, on: bool) -> Self {
        self.serve_docs = on;
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

    /// Sets the name this server appends to the call path.
    #[must_use]
    pub fn api_name(mut self, name: impl AsRef<str>) -> Self {
        self.api_name = Some(crate::context::api_name(name.as_ref()));
        self
    }

    /// Sets [`Config::jobs`]: where `x-async` operations put their jobs.
    #[cfg(feature = "jobs")]
    #[must_use]
    pub fn jobs(mut self, jobs: crate::jobs::Jobs) -> Self {
        self.jobs = Some(jobs);
        self
    }

    /// Sets how many times the call path may already hold this server's name.
    #[must_use]
    pub fn max_repeats(mut self, n: usize) -> Self {
        self.max_repeats = n;
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
    /// `e` as the service renders errors (its error formatter, if any).
    pub fn error(&self, e: impl IntoResponse) -> Response {
        error::finish_errors(
            self.config.error_formatter.as_ref(),
            e.into_response(),
            None,
        )
    }

    /// The [`Call`] of `operation` for a request with these `parts`, made by `identity`;
    /// records the operation on the request's span.
    pub fn call(
        &self,
        parts: &axum::http::request::Parts,
        operation: &'static str,
        identity: Option<auth::Identity>,
    ) -> Call<S> {
        if tracing::level_enabled!(tracing::Level::INFO) {
            tracing::Span::current().record("operation", operation);
        }
        Call {
            state: self.state.clone(),
            peer: peer(parts),
            identity,
            // In scope: the context layer polls every route inside it.
            context: CallContext::current().unwrap_or_default(),
            #[cfg(feature = "jobs")]
            job: None,
        }
    }

    /// The [`Call`] of a job of `operation`, run by a worker.
    #[cfg(feature = "jobs")]
    pub fn job_call(
        &self,
        parts: &axum::http::request::Parts,
        operation: &'static str,
        job: &crate::jobs::Job,
    ) -> Call<S> {
        // The worker puts the job's call context in scope, as the context layer does a
        // request's.
        let mut call = self.call(parts, operation, job.identity.clone().map(Into::into));
        call.job = Some(job.id);
        call
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
    api_name: &'static str,
    spec_json: &'static str,
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
                // The spec is embedded once, as JSON; its YAML form is made on first use.
                axum::routing::get(move || async move {
                    static YAML: std::sync::OnceLock<String> = std::sync::OnceLock::new();
                    let yaml = YAML.get_or_init(|| yaml::from_json(spec_json));
                    ([(header::CONTENT_TYPE, "application/yaml")], yaml.as_str())
                }),
            );
    }
    // The docs page is the fallback's: an operation of the spec on `/` or under `/docs`
    // keeps its route.
    #[cfg(feature = "docs")]
    let docs = config.serve_docs.then(|| docs::Docs::new(spec_json));
    router = router
        .fallback(move |request: axum::extract::Request| async move {
            #[cfg(feature = "docs")]
            if let Some(page) = docs.as_ref().and_then(|d| d.answer(&request)) {
                return page;
            }
            let _ = request;
            ApiError::from_status(StatusCode::NOT_FOUND).into_response()
        })
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
    let context = ContextLayer {
        api: config
            .api_name
            .clone()
            .unwrap_or_else(|| crate::context::api_name(api_name))
            .into(),
        max_repeats: config.max_repeats,
        formatter,
    };
    // The context layer also makes every error an envelope (and formats it): one future
    // less per request than a separate map.
    let stack = tower::ServiceBuilder::new()
        .layer(context)
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

/// The outermost layer of a generated server: the call context of each request (see
/// [`crate::context`]) in scope for everything below, its span, the call ID on every
/// response, and 508 for a call path that loops.
#[derive(Clone)]
struct ContextLayer {
    api: Arc<str>,
    max_repeats: usize,
    formatter: Option<ErrorFormatter>,
}

impl<S> tower::Layer<S> for ContextLayer {
    type Service = ContextService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ContextService {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
struct ContextService<S> {
    inner: S,
    layer: ContextLayer,
}

type BoxResponseFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Infallible>> + Send>>;

pin_project_lite::pin_project! {
    /// The future of [`ContextService`]: the inner future with the call context in scope and
    /// the request's span entered while it runs, and the call ID added to its response. No
    /// allocation: the hot path of every request goes through it.
    struct ContextFuture<F> {
        #[pin]
        inner: tokio::task::futures::TaskLocalFuture<CallContext, F>,
        span: tracing::Span,
        id: Option<HeaderValue>,
        call_id: uuid::Uuid,
        formatter: Option<ErrorFormatter>,
    }
}

impl<F, B> std::future::Future for ContextFuture<F>
where
    F: std::future::Future<Output = Result<Response<B>, Infallible>>,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = self.project();
        // A span no subscriber wants is not entered: with tracing's `log` feature (which
        // dependencies turn on) entering one still costs a log check on every poll.
        let _entered = (!this.span.is_disabled()).then(|| this.span.enter());
        match this.inner.poll(cx) {
            std::task::Poll::Ready(Ok(response)) => {
                let mut response = error::finish_errors(
                    this.formatter.as_ref(),
                    response.map(Body::new),
                    Some(*this.call_id),
                );
                if let Some(id) = this.id.take() {
                    response
                        .headers_mut()
                        .insert(crate::context::CALL_ID_HEADER.clone(), id);
                }
                if !this.span.is_disabled() {
                    this.span.record("status", response.status().as_u16());
                }
                std::task::Poll::Ready(Ok(response))
            }
            std::task::Poll::Ready(Err(never)) => match never {},
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`ContextService`]: almost always the inner future in scope; a boxed
    /// 508 for a looping call path.
    #[project = EitherProj]
    enum EitherFuture<F> {
        Scoped { #[pin] future: ContextFuture<F> },
        Loop { future: BoxResponseFuture },
    }
}

impl<F, B> std::future::Future for EitherFuture<F>
where
    F: std::future::Future<Output = Result<Response<B>, Infallible>>,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.project() {
            EitherProj::Scoped { future } => future.poll(cx),
            EitherProj::Loop { future } => future.as_mut().poll(cx),
        }
    }
}

impl<S, B> tower::Service<axum::extract::Request> for ContextService<S>
where
    S: tower::Service<axum::extract::Request, Response = Response<B>, Error = Infallible>,
    S::Future: Send + 'static,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EitherFuture<S::Future>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: axum::extract::Request) -> Self::Future {
        use tracing::Instrument as _;
        let (ctx, looped) = match CallContext::incoming_shared(
            request.headers(),
            &self.layer.api,
            self.layer.max_repeats,
        ) {
            Ok(ctx) => (ctx, false),
            Err(ctx) => (ctx, true),
        };
        let span = tracing::info_span!(
            "request",
            call_id = %ctx.call_id(),
            call_path = ctx.call_path(),
            method = %request.method(),
            path = request.uri().path(),
            operation = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let id = ctx.call_id_header();
        if looped {
            let formatter = self.layer.formatter.clone();
            let api = Arc::clone(&self.layer.api);
            return EitherFuture::Loop {
                future: Box::pin(
                    ctx.scope(async move {
                        tracing::warn!("call path loops; answered 508");
                        let e = ApiError::new(
                            StatusCode::LOOP_DETECTED,
                            "loop_detected",
                            format!("the call path already passes through `{api}` too many times"),
                        );
                        let mut response =
                            error::finish_errors(formatter.as_ref(), e.into_response(), None);
                        response.headers_mut().insert(crate::context::CALL_ID, id);
                        Ok(response)
                    })
                    .instrument(span),
                ),
            };
        }
        let future = self.inner.call(request);
        EitherFuture::Scoped {
            future: ContextFuture {
                call_id: ctx.call_id(),
                inner: ctx.scoped(future),
                span,
                id: Some(id),
                formatter: self.layer.formatter.clone(),
            },
        }
    }
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
/// peer addresses available to handlers and the connection timeouts of
/// [`ServeConfig::default`]. On Ctrl-C it stops taking connections and returns once the
/// requests in progress are answered.
pub async fn serve(router: Router, default_port: u16) -> std::io::Result<()> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default_port);
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    serve_until(listener, router, async {
        // If no handler can be installed, serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("stopping: answering the requests in progress");
    })
    .await
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for the requests in
/// progress to finish (a graceful stop: nothing half-written). Connection timeouts: those of
/// [`ServeConfig::default`].
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, ServeConfig::default(), shutdown).await
}

/// Serves `router` on an already bound listener (tests bind `127.0.0.1:0`), with the
/// connection timeouts of [`ServeConfig::default`].
pub async fn serve_on(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    serve_with(
        listener,
        router,
        ServeConfig::default(),
        std::future::pending(),
    )
    .await
}

/// [`serve_until`] with connection timeouts of your own: HTTP/1.1 through hyper, each
/// request with its peer's address (`ConnectInfo<SocketAddr>`, [`Call::peer`]). A connection
/// whose request head does not arrive within `header_read_timeout` of its first byte, or
/// that sends nothing for `idle_timeout` (new, or kept alive after a response), is closed.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve::run(listener, router, config, shutdown).await
}
