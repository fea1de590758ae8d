//! What generated reqwest clients link against.
//!
//! A generated `client` module has one `Client` per spec and, per operation with
//! `x-bind-client`, a method that returns a *call*: a value holding the typed inputs that does
//! nothing until it is awaited. A call implements [`IntoFuture`], so
//!
//! ```ignore
//! let pet = client.get_pet(7).await?;
//! let (a, b) = specbind::join!(client.get_pet(1), other.list_users());
//! let all = specbind::client::fan_out((1..=20).map(|id| client.get_pet(id)), 8).await;
//! ```
//!
//! The result is `Result<Ok, CallError<Error>>`: `Ok` is the declared success response
//! (the body itself when there is one success response without headers), `Error` the
//! operation's declared error responses, and [`CallError`] separates them from transport
//! failures, timeouts, invalid responses and undeclared statuses.
//!
//! Every call is validated against the spec before it is sent, unless switched off
//! ([`Builder::validate_requests`], [`Operation::skip_validation`]). Idempotent calls are
//! retried on connection errors, 429, 502, 503 and 504 with backoff and jitter ([`Retry`]).

mod decode;
mod encode;
mod error;

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tracing::Instrument as _;

pub use bytes::Bytes;
pub use decode::Response;
pub use encode::RequestParts;
pub use error::{BuildError, CallError, DecodeError, EncodeError};
pub use reqwest::Body;
pub use reqwest::multipart;

use crate::context::CallContext;
use crate::{Validate, Violations};

/// A hook that may change every outgoing request of a client (auth headers, signing).
pub type Decorator = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// When and how often a call is retried.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are retried, unless a call
/// opts in with [`Operation::retry_non_idempotent`]; only on connection errors and the
/// statuses 429, 502, 503 and 504. The delay before retry `n` is drawn between half and all
/// of `initial_backoff * 2^(n-1)`, capped at `max_backoff`; a `Retry-After` header replaces
/// it, and one longer than `max_retry_after` ends the retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (1: no retry).
    pub max_attempts: u32,
    /// The delay before the first retry, before jitter.
    pub initial_backoff: Duration,
    /// The longest delay computed by backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// `max_attempts` attempts with the default delays.
    pub fn attempts(max_attempts: u32) -> Self {
        Self {
            max_attempts,
            ..Self::default()
        }
    }

    /// The delay before the retry that follows failed attempt `attempt` (1-based), or `None`
    /// to stop.
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(after) = retry_after {
            return (after <= self.max_retry_after).then_some(after);
        }
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max_backoff);
        let half = exp / 2;
        let jitter = u32::try_from(crate::context::random_u64() % 1024).unwrap_or(0);
        Some(half + (exp - half) * jitter / 1024)
    }
}

/// Options of one call, set through [`Operation`]'s methods.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<Retry>,
    retry_non_idempotent: bool,
    validate: Option<bool>,
    response_limit: Option<usize>,
}

/// The default response limit of a client: 16 MiB.
pub const DEFAULT_RESPONSE_LIMIT: usize = 16 * 1024 * 1024;

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIn {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Credentials for one security scheme of the spec, set through the generated client's
/// `with_*` methods.
#[derive(Clone)]
pub enum Credential {
    /// An API key.
    ApiKey {
        /// Where it travels.
        location: KeyIn,
        /// The header, parameter or cookie name.
        name: &'static str,
        /// The key.
        key: String,
    },
    /// HTTP basic.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// A bearer token (also OAuth 2 and OpenID Connect).
    Bearer(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ApiKey { location, name, .. } => write!(f, "ApiKey({location:?} {name}: ***)"),
            Self::Basic { user, .. } => write!(f, "Basic({user}: ***)"),
            Self::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    timeout: Option<Duration>,
    response_limit: Option<usize>,
    retry: Retry,
    validate_requests: bool,
    validate_responses: bool,
    decorators: Vec<Decorator>,
    credentials: Vec<(&'static str, Credential)>,
}

/// What a generated client holds: the HTTP client, the base URL, the settings, the
/// credentials and the decorators. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("response_limit", &self.inner.response_limit)
            .field("retry", &self.inner.retry)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The reqwest client, for requests outside the spec.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// This transport with credentials for the security scheme `scheme` (replacing any).
    pub fn with_credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        let inner = Arc::make_mut(&mut self.inner);
        inner.credentials.retain(|(s, _)| *s != scheme);
        inner.credentials.push((scheme, credential));
        self
    }

    /// This transport with one more decorator, run on every request after the others.
    pub fn with_decorator(
        mut self,
        f: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        Arc::make_mut(&mut self.inner).decorators.push(Arc::new(f));
        self
    }

    /// A call of `input` on this transport, with default options.
    pub fn call<I>(&self, input: I) -> Call<I> {
        Call::new(
            CallBase {
                transport: self.clone(),
                options: CallOptions::default(),
            },
            input,
        )
    }

    fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.inner
            .credentials
            .iter()
            .find(|(s, _)| *s == scheme)
            .map(|(_, c)| c)
    }

    /// Adds the credentials of the first alternative of `security` whose schemes all have
    /// credentials; none when no alternative is met (the server will refuse).
    fn authorize(&self, security: &[&[&str]], parts: &mut RequestParts) -> Result<(), EncodeError> {
        let met = security
            .iter()
            .filter(|alt| !alt.is_empty())
            .find(|alt| alt.iter().all(|s| self.credential(s).is_some()));
        let Some(alt) = met else { return Ok(()) };
        for scheme in alt.iter() {
            let Some(c) = self.credential(scheme) else {
                continue;
            };
            let invalid = || {
                EncodeError::new(
                    format!("credentials of `{scheme}`"),
                    "not a valid header value",
                )
            };
            match c {
                Credential::ApiKey {
                    location: KeyIn::Header,
                    name,
                    key,
                } => {
                    let name = HeaderName::try_from(*name).map_err(|_| invalid())?;
                    let mut v = HeaderValue::try_from(key.as_str()).map_err(|_| invalid())?;
                    v.set_sensitive(true);
                    parts.headers.insert(name, v);
                }
                Credential::ApiKey {
                    location: KeyIn::Query,
                    name,
                    key,
                } => parts.add_query(name, key),
                Credential::ApiKey {
                    location: KeyIn::Cookie,
                    name,
                    key,
                } => parts.add_cookie(name, key),
                Credential::Basic { user, password } => {
                    use base64::Engine as _;
                    let token = base64::engine::general_purpose::STANDARD
                        .encode(format!("{user}:{password}"));
                    let mut v =
                        HeaderValue::try_from(format!("Basic {token}")).map_err(|_| invalid())?;
                    v.set_sensitive(true);
                    parts.headers.insert(AUTHORIZATION, v);
                }
                Credential::Bearer(token) => {
                    let mut v =
                        HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| invalid())?;
                    v.set_sensitive(true);
                    parts.headers.insert(AUTHORIZATION, v);
                }
            }
        }
        Ok(())
    }
}

/// The transport and options of one call; generated calls hold one.
#[derive(Debug, Clone)]
pub struct CallBase {
    transport: Transport,
    options: CallOptions,
}

/// Builds a generated client: `Client::builder().base_url(..).timeout(..).build()`.
#[must_use]
pub struct Builder<C> {
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    response_limit: Option<usize>,
    retry: Retry,
    validate_requests: bool,
    validate_responses: bool,
    decorators: Vec<Decorator>,
    headers: HeaderMap,
    http: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for Builder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("response_limit", &self.response_limit)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<C: From<Transport>> Builder<C> {
    /// A builder with the spec's base URL and the defaults: 30 s timeout, 5 s connect
    /// timeout, responses of at most [`DEFAULT_RESPONSE_LIMIT`] (16 MiB), [`Retry::default`],
    /// requests and responses validated.
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(5)),
            response_limit: Some(DEFAULT_RESPONSE_LIMIT),
            retry: Retry::default(),
            validate_requests: true,
            validate_responses: true,
            decorators: Vec::new(),
            headers: HeaderMap::new(),
            http: None,
            client: PhantomData,
        }
    }

    /// The base URL the operations' paths are appended to (`http://127.0.0.1:8080/v1`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The time a whole call (one attempt) may take; `None` for no limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The time connecting may take.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The longest response body a call reads, in bytes (default [`DEFAULT_RESPONSE_LIMIT`],
    /// 16 MiB); `None` for no limit. A response whose `Content-Length` is larger is refused
    /// before its body is read, and one without is counted as it arrives: either is
    /// [`CallError::ResponseTooLarge`]. [`stream`] does not apply it.
    pub fn response_limit(mut self, bytes: impl Into<Option<usize>>) -> Self {
        self.response_limit = bytes.into();
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Whether calls are checked against the spec before they are sent (default: yes).
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.validate_requests = on;
        self
    }

    /// Whether responses are checked against the spec (default: yes).
    pub fn validate_responses(mut self, on: bool) -> Self {
        self.validate_responses = on;
        self
    }

    /// A hook run on every outgoing request, after the credentials are added.
    pub fn decorate(mut self, f: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.decorators.push(Arc::new(f));
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Uses this reqwest client (its pool, TLS and proxy settings); the timeouts set here
    /// then apply per request, and the connect timeout is the given client's.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client.
    pub fn build(self) -> Result<C, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let absolute = reqwest::Url::parse(&base_url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !absolute {
            return Err(BuildError::BaseUrl {
                url: self.base_url,
                hint: "; give one with `Client::new(url)` or `.base_url(url)`",
            });
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut b = reqwest::Client::builder().default_headers(self.headers);
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()?
            }
        };
        Ok(C::from(Transport {
            inner: Arc::new(Inner {
                http,
                base_url,
                timeout: self.timeout,
                response_limit: self.response_limit,
                retry: self.retry,
                validate_requests: self.validate_requests,
                validate_responses: self.validate_responses,
                decorators: self.decorators,
                credentials: Vec::new(),
            }),
        }))
    }
}

/// How an operation travels, implemented by generated code for each operation's input: its
/// method and security, how the input is written into a request, how a response is read.
pub trait Op: Validate + Send + Sized + 'static {
    /// The declared success response: the body itself, or an enum of several.
    type Ok: Validate + Send + 'static;
    /// The declared error responses ([`Errors`]), or `Infallible` for none.
    type Error: Validate + Send + 'static;
    /// The `operationId` (or the generated name).
    const ID: &'static str;
    /// The HTTP method.
    const METHOD: Method;
    /// The security requirements: alternatives of schemes that must all be met.
    const SECURITY: &'static [&'static [&'static str]] = &[];
    /// Whether `Ok` is a body (checked at `/body`) rather than an enum of responses.
    const PLAIN_OK: bool = true;

    /// Writes the input into the request.
    fn encode(self, request: &mut RequestParts) -> Result<(), EncodeError>;

    /// Reads a response: `Ok(Ok(_))` for a declared success, `Ok(Err(_))` for a declared error.
    fn decode(response: &Response) -> Result<Result<Self::Ok, Self::Error>, DecodeError>;
}

/// What [`Op::encode`] returns.
pub type Encoded = Result<(), EncodeError>;

/// What [`Op::decode`] returns: a declared success, a declared error, or a failure to read.
pub type Decoded<I> = Result<Result<<I as Op>::Ok, <I as Op>::Error>, DecodeError>;

/// The declared error responses of one or more operations, read from a response.
pub trait Errors: Sized {
    /// The declared error this response is; [`DecodeError::Undeclared`] for none.
    fn decode(response: &Response) -> Result<Self, DecodeError>;
}

impl Errors for std::convert::Infallible {
    fn decode(_: &Response) -> Result<Self, DecodeError> {
        Err(DecodeError::Undeclared)
    }
}

/// A call: the input of an operation, and the transport and options it goes with. Awaiting
/// it sends it.
#[derive(Debug)]
pub struct Call<I> {
    base: CallBase,
    /// The input, as the call will send it.
    pub input: I,
}

impl<I> Call<I> {
    /// A call of `input` on `base`.
    pub fn new(base: CallBase, input: I) -> Self {
        Self { base, input }
    }
}

/// A call of an operation, as generated code names each: its provided methods set the
/// options of one call.
pub trait Operation: Sized {
    /// The operation's input.
    type Input: Op;

    /// The call.
    fn call_mut(&mut self) -> &mut Call<Self::Input>;

    /// The call, owned.
    fn into_call(self) -> Call<Self::Input>;

    /// This call with its own timeout.
    fn timeout(mut self, timeout: Duration) -> Self {
        self.call_mut().base.options.timeout = Some(timeout);
        self
    }

    /// This call with its own response limit, in bytes (see [`Builder::response_limit`]).
    fn response_limit(mut self, bytes: usize) -> Self {
        self.call_mut().base.options.response_limit = Some(bytes);
        self
    }

    /// This call with its own retry policy.
    fn retry(mut self, retry: Retry) -> Self {
        self.call_mut().base.options.retry = Some(retry);
        self
    }

    /// Lets this call be retried although its method is not idempotent (POST, PATCH): for
    /// operations the server makes idempotent (an idempotency key, a client-chosen id).
    fn retry_non_idempotent(mut self) -> Self {
        self.call_mut().base.options.retry_non_idempotent = true;
        self
    }

    /// Sends this call without checking it against the spec first.
    fn skip_validation(mut self) -> Self {
        self.call_mut().base.options.validate = Some(false);
        self
    }
}

impl<I: Op> Operation for Call<I> {
    type Input = I;

    fn call_mut(&mut self) -> &mut Call<I> {
        self
    }

    fn into_call(self) -> Call<I> {
        self
    }
}

impl<I: Op> IntoFuture for Call<I> {
    type Output = Result<I::Ok, CallError<I::Error>>;
    type IntoFuture = CallFuture<I>;

    fn into_future(self) -> CallFuture<I> {
        let check = self.base.transport.inner.validate_responses;
        let base = self.base.clone();
        CallFuture {
            exchange: Box::pin(exchange(base, prepare(self), Meta::of::<I>())),
            check,
            op: PhantomData,
        }
    }
}

/// What the sending of a call needs of its operation, not generic.
#[derive(Clone)]
struct Meta {
    id: &'static str,
    method: Method,
    security: &'static [&'static [&'static str]],
}

impl Meta {
    fn of<I: Op>() -> Self {
        Self {
            id: I::ID,
            method: I::METHOD,
            security: I::SECURITY,
        }
    }
}

/// The request of a call: its input checked against the spec (unless switched off), then
/// written.
fn prepare<I: Op>(call: Call<I>) -> Result<RequestParts, Failure> {
    let inner = &call.base.transport.inner;
    if call
        .base
        .options
        .validate
        .unwrap_or(inner.validate_requests)
    {
        call.input.validate().map_err(Failure::Invalid)?;
    }
    let mut parts = RequestParts::new();
    call.input.encode(&mut parts).map_err(Failure::Encode)?;
    Ok(parts)
}

/// Sends a prepared request and reads the whole response: everything of a call but its
/// operation's own decoding, compiled once.
async fn exchange(
    base: CallBase,
    parts: Result<RequestParts, Failure>,
    meta: Meta,
) -> Result<Response, Failure> {
    let span = tracing::debug_span!(
        "specbind.call",
        operation = meta.id,
        method = %meta.method,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
    );
    async move {
        let response = transmit(&base, parts?, meta.method.clone(), meta.security).await?;
        read_all(&base, response).await
    }
    .instrument(span)
    .await
}

/// The future of a call: the exchange, then the operation's decoding of the response.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallFuture<I> {
    exchange: Pin<Box<dyn Future<Output = Result<Response, Failure>> + Send>>,
    check: bool,
    op: PhantomData<fn() -> I>,
}

impl<I> std::fmt::Debug for CallFuture<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallFuture").finish_non_exhaustive()
    }
}

impl<I: Op> Future for CallFuture<I> {
    type Output = Result<I::Ok, CallError<I::Error>>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let check = self.check;
        match self.exchange.as_mut().poll(cx) {
            std::task::Poll::Ready(Ok(response)) => {
                std::task::Poll::Ready(decode_checked::<I>(check, response))
            }
            std::task::Poll::Ready(Err(f)) => std::task::Poll::Ready(Err(f.into_call_error(I::ID))),
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

/// A response whose success body is not read: for large or binary downloads.
#[derive(Debug)]
pub struct Streaming {
    response: reqwest::Response,
}

impl Streaming {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The body, as it arrives.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Bytes, reqwest::Error>> {
        self.response.bytes_stream()
    }

    /// The whole body, however long: the response limit does not apply to a stream.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await
    }
}

/// Sends a call and returns a 2xx response without reading its body, which is read
/// incrementally and not held to the response limit; other statuses are read (within the
/// limit) and decoded as by awaiting the call.
pub async fn stream<O: Operation>(op: O) -> Result<Streaming, CallError<<O::Input as Op>::Error>> {
    let call = op.into_call();
    let base = call.base.clone();
    let check = base.transport.inner.validate_responses;
    let id = <O::Input as Op>::ID;
    let parts = prepare(call).map_err(|f| f.into_call_error(id))?;
    let meta = Meta::of::<O::Input>();
    let response = transmit(&base, parts, meta.method, meta.security)
        .await
        .map_err(|f| f.into_call_error(id))?;
    if response.status().is_success() {
        return Ok(Streaming { response });
    }
    let status = response.status();
    let response = read_all(&base, response)
        .await
        .map_err(|f| f.into_call_error(id))?;
    match decode_checked::<O::Input>(check, response) {
        Ok(_) => Err(CallError::UnexpectedStatus {
            operation: id,
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }),
        Err(e) => Err(e),
    }
}

fn is_idempotent(m: &Method) -> bool {
    matches!(
        *m,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

fn is_retryable(s: StatusCode) -> bool {
    matches!(s.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Why a call failed before its response was decoded: every [`CallError`] but `Api`, in
/// a form that does not depend on the operation.
enum Failure {
    Invalid(Violations),
    Encode(EncodeError),
    Transport(reqwest::Error, Option<Duration>),
    TooLarge {
        status: StatusCode,
        limit: usize,
        content_length: Option<u64>,
    },
}

impl Failure {
    fn into_call_error<E>(self, operation: &'static str) -> CallError<E> {
        match self {
            Self::Invalid(violations) => CallError::InvalidRequest {
                operation,
                violations,
            },
            Self::Encode(source) => CallError::Encode { operation, source },
            Self::Transport(e, timeout) if e.is_timeout() => CallError::Timeout {
                operation,
                timeout: timeout.unwrap_or_default(),
            },
            Self::Transport(source, _) => CallError::Transport { operation, source },
            Self::TooLarge {
                status,
                limit,
                content_length,
            } => CallError::ResponseTooLarge {
                operation,
                status,
                limit,
                content_length,
            },
        }
    }
}

/// Everything of a call after its operation encoded it: credentials, the call context, the
/// request, retries. Not generic, so it is compiled once, not once per operation.
async fn transmit(
    base: &CallBase,
    mut parts: RequestParts,
    method: Method,
    security: &'static [&'static [&'static str]],
) -> Result<reqwest::Response, Failure> {
    let inner = &base.transport.inner;
    let options = &base.options;
    let encode = Failure::Encode;
    base.transport
        .authorize(security, &mut parts)
        .map_err(encode)?;
    parts.finish_cookies().map_err(encode)?;
    // The call ID and call path of the request being served, or a new call.
    CallContext::current()
        .unwrap_or_default()
        .write(&mut parts.headers);
    let url = format!("{}{}", inner.base_url, parts.target());
    let mut builder = inner
        .http
        .request(method.clone(), url)
        .headers(std::mem::take(&mut parts.headers));
    let timeout = options.timeout.or(inner.timeout);
    if let Some(t) = timeout {
        builder = builder.timeout(t);
    }
    builder = match parts.body.take() {
        Some(encode::Payload::Bytes(b)) => builder.body(b),
        Some(encode::Payload::Body(b)) => builder.body(b),
        Some(encode::Payload::Multipart(form)) => builder.multipart(form),
        None => builder,
    };
    let mut request = builder
        .build()
        .map_err(|source| Failure::Encode(EncodeError::new("/", source.to_string())))?;
    for d in &inner.decorators {
        d(&mut request);
    }
    let retry = options.retry.unwrap_or(inner.retry);
    let max = if is_idempotent(&method) || options.retry_non_idempotent {
        retry.max_attempts.max(1)
    } else {
        1
    };
    let mut pending = Some(request);
    let mut attempt = 1;
    loop {
        let Some(request) = pending.take() else {
            unreachable!("a request is pending at every attempt")
        };
        // Keep a copy while a retry is possible; a streamed body cannot be sent twice.
        let (this, copy) = if attempt < max {
            match request.try_clone() {
                Some(copy) => (request, Some(copy)),
                None => (request, None),
            }
        } else {
            (request, None)
        };
        let can_retry = copy.is_some();
        let result = inner.http.execute(this).await;
        let delay = match &result {
            Ok(r) if can_retry && is_retryable(r.status()) => {
                retry.delay(attempt, retry_after(r.headers()))
            }
            Err(e) if can_retry && e.is_connect() => retry.delay(attempt, None),
            _ => None,
        };
        match (result, delay) {
            (Ok(r), Some(d)) => {
                tracing::debug!(attempt, status = %r.status(), delay = ?d, "retrying");
            }
            (Err(e), Some(d)) => {
                tracing::debug!(attempt, error = %e, delay = ?d, "retrying");
            }
            (Ok(r), None) => {
                tracing::Span::current().record("attempts", attempt);
                return Ok(r);
            }
            (Err(e), None) => {
                tracing::Span::current().record("attempts", attempt);
                return Err(Failure::Transport(e, timeout));
            }
        }
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        pending = copy;
        attempt += 1;
    }
}

/// The whole response, compiled once: the body, up to the call's response limit.
async fn read_all(base: &CallBase, mut response: reqwest::Response) -> Result<Response, Failure> {
    let status = response.status();
    tracing::Span::current().record("status", status.as_u16());
    let headers = std::mem::take(response.headers_mut());
    let inner = &base.transport.inner;
    let timeout = base.options.timeout.or(inner.timeout);
    let limit = base.options.response_limit.or(inner.response_limit);
    let too_large = |limit, content_length| {
        tracing::debug!(limit, ?content_length, "response body over the limit");
        Failure::TooLarge {
            status,
            limit,
            content_length,
        }
    };
    // The length the server declares (hyper's, from `Content-Length`; none when chunked).
    let content_length = response.content_length();
    if let (Some(limit), Some(length)) = (limit, content_length) {
        if length > limit as u64 {
            return Err(too_large(limit, content_length));
        }
    }
    // Then the bytes as they arrive: a chunked body, or one longer than it said.
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Failure::Transport(e, timeout))?
    {
        total = total.saturating_add(chunk.len());
        if let Some(limit) = limit.filter(|&limit| total > limit) {
            return Err(too_large(limit, content_length));
        }
        chunks.push(chunk);
    }
    let body = match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => {
            let mut all = bytes::BytesMut::with_capacity(total);
            for chunk in &chunks {
                all.extend_from_slice(chunk);
            }
            all.freeze()
        }
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Decodes a response as declared, checking it against the spec if `check`.
// `CallError` is the public error of every call; the async callers return it the same way.
#[allow(clippy::result_large_err)]
fn decode_checked<I: Op>(check: bool, response: Response) -> Result<I::Ok, CallError<I::Error>> {
    let status = response.status;
    let result = match I::decode(&response) {
        Ok(result) => result,
        Err(DecodeError::Undeclared) => {
            return Err(CallError::UnexpectedStatus {
                operation: I::ID,
                status,
                headers: response.headers,
                body: response.body,
            });
        }
        Err(e) => {
            return Err(CallError::InvalidResponse {
                operation: I::ID,
                status,
                message: e.to_string(),
            });
        }
    };
    if check {
        let mut out = Violations::new();
        let root = crate::Path::root();
        let body = root.field("body");
        match &result {
            Ok(ok) if I::PLAIN_OK => ok.validate_at(&body, &mut out),
            Ok(ok) => ok.validate_at(&root, &mut out),
            Err(e) => e.validate_at(&root, &mut out),
        }
        if !out.is_empty() {
            return Err(CallError::InvalidResponse {
                operation: I::ID,
                status,
                message: out.to_string(),
            });
        }
    }
    result.map_err(|error| CallError::Api {
        operation: I::ID,
        status,
        error,
    })
}

mod job;
pub use crate::job::{JobStatus, JobView, Outcome};
pub use job::{JobHandle, SubmitFuture, submit};

/// Declares the call type of an operation (generated code): a newtype of [`Call`] that is
/// awaited as it, with [`Operation`]'s options.
#[doc(hidden)]
#[macro_export]
macro_rules! __call {
    ($(#[$attr:meta])* $name:ident($input:ty)) => {
        $(#[$attr])*
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct $name(pub $crate::client::Call<$input>);

        impl $crate::client::Operation for $name {
            type Input = $input;

            fn call_mut(&mut self) -> &mut $crate::client::Call<$input> {
                &mut self.0
            }

            fn into_call(self) -> $crate::client::Call<$input> {
                self.0
            }
        }

        impl ::core::future::IntoFuture for $name {
            type Output = <$crate::client::Call<$input> as ::core::future::IntoFuture>::Output;
            type IntoFuture = $crate::client::CallFuture<$input>;

            fn into_future(self) -> Self::IntoFuture {
                ::core::future::IntoFuture::into_future(self.0)
            }
        }
    };
}

/// Declares the call type of an `x-async` operation (generated code): awaiting it submits
/// the job and gives its [`JobHandle`].
#[doc(hidden)]
#[macro_export]
macro_rules! __job_call {
    ($(#[$attr:meta])* $name:ident($input:ty)) => {
        $(#[$attr])*
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct $name(pub $crate::client::Call<$input>);

        impl $crate::client::Operation for $name {
            type Input = $input;

            fn call_mut(&mut self) -> &mut $crate::client::Call<$input> {
                &mut self.0
            }

            fn into_call(self) -> $crate::client::Call<$input> {
                self.0
            }
        }

        impl ::core::future::IntoFuture for $name {
            type Output = ::core::result::Result<
                $crate::client::JobHandle<$input>,
                $crate::client::CallError<<$input as $crate::client::Op>::Error>,
            >;
            type IntoFuture = $crate::client::SubmitFuture<$input>;

            fn into_future(self) -> Self::IntoFuture {
                $crate::client::submit(self.0)
            }
        }
    };
}

/// Runs calls concurrently, at most `limit` at a time, and returns their results in the
/// order of `calls`. A failing call does not cancel the others.
pub async fn fan_out<I>(calls: I, limit: usize) -> Vec<<I::Item as IntoFuture>::Output>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    use futures_util::StreamExt as _;
    futures_util::stream::iter(calls.into_iter().map(IntoFuture::into_future))
        .buffered(limit.max(1))
        .collect()
        .await
}

/// Awaits several calls (of any APIs) concurrently and returns the tuple of their results;
/// a failing call does not cancel the others.
///
/// ```ignore
/// let (pet, user) = specbind::join!(pets.get_pet(1), users.get_user("ann"));
/// ```
#[macro_export]
macro_rules! join {
    ($($call:expr),+ $(,)?) => {
        $crate::__private::tokio::join!($(::core::future::IntoFuture::into_future($call)),+)
    };
}
