//! What every generated operation does alike, written once: the route that reads the
//! request, checks its credentials, decodes and validates its input, calls the bound
//! function and answers. A generated server only declares, per operation, its input (an
//! [`Input`]), its responses (a [`Respond`]) and the call of its bound function (an
//! [`Operation`]).

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts as _, RawPathParams, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse as _, Response};
use serde::de::DeserializeOwned;

use super::decode::{self, Cookies, QueryParams};
use super::{ApiError, Call, Config, HandlerError, Shared, auth, check_response};
use crate::Validate;

/// One operation of a spec: a type the generated server declares per bound operation.
pub trait Operation: 'static {
    /// The application state (`x-bind-state`).
    type State: Clone + Send + Sync + 'static;
    /// The typed input.
    type Input: Input;
    /// The responses the bound function answers with.
    type Response: Respond;
    /// The `operationId` (or the generated name): the operation in logs, spans and jobs.
    const ID: &'static str;
    /// The security requirements: alternatives (any one) of requirements (all).
    const SECURITY: &'static [&'static [auth::Requirement]] = &[];
    /// For an `x-async` operation, the path prefix of its job routes (`/v1/jobs/`).
    const JOBS: &'static str = "";

    /// Calls the bound function.
    fn call(
        call: Call<Self::State>,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Response, HandlerError>> + Send;
}

/// The typed input of an operation: read from a request by a [`Decoder`].
pub trait Input: Validate + Sized + Send + 'static {
    /// Whether the operation takes a body (which is then read before [`Input::decode`]).
    const BODY: bool = false;

    /// Reads the input; every failure is a 4xx naming the field.
    fn decode(d: &mut Decoder<'_>) -> Result<Self, ApiError>;
}

/// The responses of an operation.
pub trait Respond: Validate + 'static {
    /// The HTTP response.
    fn respond(self) -> Response;
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// The path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl In {
    fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// How an array parameter is written (`style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b,c` (`simple`, or `form` without `explode`).
    Comma,
    /// Repeated keys, `a=1&a=2` (`form` with `explode`).
    Repeated,
    /// `a b c` (`spaceDelimited`).
    Space,
    /// `a|b|c` (`pipeDelimited`).
    Pipe,
}

/// A declared parameter: name, location and, for arrays, how items are written.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: In,
    /// How array items are written.
    pub style: Style,
}

impl Param {
    /// A path parameter (`simple`).
    pub const fn path(name: &'static str) -> Self {
        Self {
            name,
            location: In::Path,
            style: Style::Comma,
        }
    }

    /// A query parameter (`form`, exploded).
    pub const fn query(name: &'static str) -> Self {
        Self {
            name,
            location: In::Query,
            style: Style::Repeated,
        }
    }

    /// A header parameter (`simple`).
    pub const fn header(name: &'static str) -> Self {
        Self {
            name,
            location: In::Header,
            style: Style::Comma,
        }
    }

    /// A cookie parameter (`form`).
    pub const fn cookie(name: &'static str) -> Self {
        Self {
            name,
            location: In::Cookie,
            style: Style::Comma,
        }
    }

    /// This parameter with array items written in `style`.
    pub const fn style(self, style: Style) -> Self {
        Self { style, ..self }
    }

    fn missing(&self) -> ApiError {
        let loc = self.location.as_str();
        ApiError::bad_request(
            format!("/{loc}/{}", self.name),
            format!("{loc} parameter `{}` is required", self.name),
        )
    }
}

/// The media type a body is declared with, and how it is read.
#[derive(Debug, Clone, Copy)]
pub struct Media {
    /// The media type of the spec (`application/json`, `application/*+json`, `*/*`).
    pub media_type: &'static str,
    /// How it is read.
    pub kind: Kind,
}

impl Media {
    /// A JSON media type.
    pub const fn json(media_type: &'static str) -> Self {
        Self::of(media_type, Kind::Json)
    }

    /// A form media type.
    pub const fn form(media_type: &'static str) -> Self {
        Self::of(media_type, Kind::Form)
    }

    /// A text media type.
    pub const fn text(media_type: &'static str) -> Self {
        Self::of(media_type, Kind::Text)
    }

    /// A media type read as bytes.
    pub const fn bytes(media_type: &'static str) -> Self {
        Self::of(media_type, Kind::Bytes)
    }

    /// A multipart media type.
    pub const fn multipart(media_type: &'static str) -> Self {
        Self::of(media_type, Kind::Multipart)
    }

    const fn of(media_type: &'static str, kind: Kind) -> Self {
        Self { media_type, kind }
    }
}

/// How a body of a media type is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// UTF-8 text.
    Text,
    /// Bytes.
    Bytes,
    /// `multipart/form-data`.
    Multipart,
}

/// Reads the parts of one request for an [`Input`]: each generated `decode` asks it for its
/// fields in turn.
pub struct Decoder<'a> {
    parts: &'a Parts,
    path: Option<RawPathParams>,
    query: Option<QueryParams<'a>>,
    cookies: Option<Cookies>,
    body: Bytes,
}

impl<'a> Decoder<'a> {
    /// A decoder of `parts` (with the path parameters the router matched) and `body`.
    pub fn new(parts: &'a Parts, path: Option<RawPathParams>, body: Bytes) -> Self {
        Self {
            parts,
            path,
            query: None,
            cookies: None,
            body,
        }
    }

    /// The raw text of parameter `p`, if present (the first one, for repeated keys).
    fn raw(&mut self, p: &Param) -> Result<Option<&str>, ApiError> {
        Ok(match p.location {
            In::Path => self
                .path
                .as_ref()
                .and_then(|path| path.iter().find(|(k, _)| *k == p.name).map(|(_, v)| v)),
            In::Query => {
                let parts = self.parts;
                self.query
                    .get_or_insert_with(|| QueryParams::parse(parts.uri.query()))
                    .first(p.name)
            }
            In::Header => match self.parts.headers.get(p.name) {
                None => None,
                Some(v) => Some(v.to_str().map_err(|_| {
                    ApiError::bad_request(
                        format!("/header/{}", p.name),
                        format!("header `{}` is not visible ASCII", p.name),
                    )
                })?),
            },
            In::Cookie => {
                let parts = self.parts;
                self.cookies
                    .get_or_insert_with(|| Cookies::parse(&parts.headers))
                    .get(p.name)
            }
        })
    }

    /// A scalar parameter (read by its `FromStr`), if present.
    pub fn opt<T: std::str::FromStr>(&mut self, p: &Param) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        let loc = p.location.as_str();
        self.raw(p)?
            .map(|raw| decode::parse(loc, p.name, raw))
            .transpose()
    }

    /// A scalar parameter the spec requires.
    pub fn one<T: std::str::FromStr>(&mut self, p: &Param) -> Result<T, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.opt(p)?.ok_or_else(|| p.missing())
    }

    /// An array parameter, if present.
    pub fn opt_many<T: std::str::FromStr>(&mut self, p: &Param) -> Result<Option<Vec<T>>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        let loc = p.location.as_str();
        let values: Vec<&str> = match (p.location, p.style) {
            (In::Query, Style::Repeated) => {
                let parts = self.parts;
                self.query
                    .get_or_insert_with(|| QueryParams::parse(parts.uri.query()))
                    .all(p.name)
            }
            (_, style) => match self.raw(p)? {
                None => Vec::new(),
                Some(raw) => {
                    let sep = match style {
                        Style::Space => ' ',
                        Style::Pipe => '|',
                        Style::Comma | Style::Repeated => ',',
                    };
                    return raw
                        .split(sep)
                        .filter(|s| !s.is_empty())
                        .map(|s| decode::parse(loc, p.name, s))
                        .collect::<Result<Vec<T>, _>>()
                        .map(Some);
                }
            },
        };
        if values.is_empty() {
            return Ok(None);
        }
        values
            .into_iter()
            .map(|v| decode::parse(loc, p.name, v))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
    }

    /// An array parameter the spec requires.
    pub fn many<T: std::str::FromStr>(&mut self, p: &Param) -> Result<Vec<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.opt_many(p)?.ok_or_else(|| p.missing())
    }

    /// A parameter without a plain text form (a union, an object), read as JSON or as a
    /// string, if present.
    pub fn opt_json<T: DeserializeOwned>(&mut self, p: &Param) -> Result<Option<T>, ApiError> {
        let loc = p.location.as_str();
        self.raw(p)?
            .map(|raw| decode::loose(loc, p.name, raw))
            .transpose()
    }

    /// A parameter without a plain text form the spec requires.
    pub fn json<T: DeserializeOwned>(&mut self, p: &Param) -> Result<T, ApiError> {
        self.opt_json(p)?.ok_or_else(|| p.missing())
    }

    /// The media type of the body, checked against what the operation accepts: its kind, or
    /// `None` for no body at all; 415 for another media type.
    fn media(&self, accept: &[Media]) -> Result<Option<Kind>, ApiError> {
        let actual = decode::media_type(&self.parts.headers);
        if self.body.is_empty() && actual.is_none() {
            return Ok(None);
        }
        if let Some(m) = &actual {
            if let Some(media) = accept.iter().find(|a| decode::accepts(a.media_type, m)) {
                return Ok(Some(media.kind));
            }
        }
        let accepted: Vec<&str> = accept.iter().map(|a| a.media_type).collect();
        Err(decode::unsupported(actual.as_deref(), &accepted))
    }

    /// A body of JSON media types, if sent.
    pub fn json_body<T: DeserializeOwned>(
        &mut self,
        accept: &[Media],
    ) -> Result<Option<T>, ApiError> {
        match self.media(accept)? {
            None => Ok(None),
            Some(_) => decode::json(&self.body).map(Some),
        }
    }

    /// A body of JSON or form media types, if sent.
    pub fn typed_body<T: DeserializeOwned>(
        &mut self,
        accept: &[Media],
    ) -> Result<Option<T>, ApiError> {
        match self.media(accept)? {
            None => Ok(None),
            Some(Kind::Form) => decode::form(&self.body).map(Some),
            Some(_) => decode::json(&self.body).map(Some),
        }
    }

    /// A text body, if sent.
    pub fn text_body(&mut self, accept: &[Media]) -> Result<Option<String>, ApiError> {
        match self.media(accept)? {
            None => Ok(None),
            Some(_) => decode::text(std::mem::take(&mut self.body)).map(Some),
        }
    }

    /// A body of bytes, if sent.
    pub fn bytes_body(&mut self, accept: &[Media]) -> Result<Option<Vec<u8>>, ApiError> {
        match self.media(accept)? {
            None => Ok(None),
            Some(_) => Ok(Some(std::mem::take(&mut self.body).to_vec())),
        }
    }

    /// A `multipart/form-data` body, if sent; `required` fields must be there and `typed`
    /// ones must read as their types (checked by the generated code).
    pub fn multipart_body(
        &mut self,
        accept: &[Media],
        required: &[&str],
    ) -> Result<Option<decode::Multipart>, ApiError> {
        match self.media(accept)? {
            None => Ok(None),
            Some(_) => {
                let body = std::mem::take(&mut self.body);
                // The body is in memory: the parse never waits, one poll finishes it.
                let parse = std::pin::pin!(decode::multipart(&self.parts.headers, body, required));
                let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
                match parse.poll(&mut cx) {
                    std::task::Poll::Ready(parsed) => parsed.map(Some),
                    std::task::Poll::Pending => {
                        Err(ApiError::bad_request("/body", "malformed multipart body"))
                    }
                }
            }
        }
    }
}

/// The status of a declared response code; one that is not a status (a `default` response
/// given a code outside 100..=999) is 500.
pub fn code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The status of a response of a declared range (`4XX`): `code`, or `fallback` when `code`
/// is not a status.
pub fn code_or(code: u16, fallback: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or_else(|_| self::code(fallback))
}

/// `response` with a declared header set from the text form of `value`.
pub fn header(
    mut response: Response,
    name: &'static str,
    value: impl std::fmt::Display,
) -> Response {
    super::set_header(response.headers_mut(), name, value);
    response
}

/// The text of an array header value: its items joined by commas (`simple` style).
pub fn joined<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The text of a header value with no plain text form: JSON.
pub fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A required body: 400 when it is absent.
pub fn required<T>(body: Option<T>) -> Result<T, ApiError> {
    body.ok_or_else(decode::missing_body)
}

/// Reads and validates the input of a request: the path parameters, the body if the input
/// takes one, then [`Input::decode`] and its constraints.
async fn input<I: Input>(parts: &mut Parts, body: Body, config: &Config) -> Result<I, ApiError> {
    let path = RawPathParams::from_request_parts(parts, &()).await.ok();
    let bytes = if I::BODY {
        decode::read(body, config.body_limit).await?
    } else {
        Bytes::new()
    };
    let input = I::decode(&mut Decoder::new(parts, path, bytes))?;
    input.validate().map_err(ApiError::validation)?;
    Ok(input)
}

/// The identity of a request, when the operation requires security.
async fn identity(
    parts: &Parts,
    config: &Config,
    security: &'static [&'static [auth::Requirement]],
) -> Result<Option<auth::Identity>, ApiError> {
    if security.is_empty() {
        Ok(None)
    } else {
        auth::authorize(parts, config, security).await
    }
}

/// The response of the bound function's answer: checked against the spec (when the server
/// validates responses), then encoded.
fn answer<R: Respond>(
    config: &Config,
    operation: &'static str,
    result: Result<R, HandlerError>,
) -> Response {
    match result {
        Ok(response) => match check_response(config, operation, &response) {
            Ok(()) => response.respond(),
            Err(e) => e.into_response(),
        },
        Err(e) => e.into_response(),
    }
}

/// The route of operation `O`: credentials, input, the bound function, the answer.
pub async fn route<O: Operation>(
    State(shared): State<Shared<O::State>>,
    request: Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let identity = match identity(&parts, &shared.config, O::SECURITY).await {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    let input = match input::<O::Input>(&mut parts, body, &shared.config).await {
        Ok(input) => input,
        Err(e) => return e.into_response(),
    };
    let call = shared.call(&parts, O::ID, identity);
    answer(&shared.config, O::ID, O::call(call, input).await)
}

/// The route of an `x-async` operation `O`: credentials and input checked as by [`route`],
/// then the request stored as a job and answered 202, its status under [`Operation::JOBS`].
#[cfg(feature = "jobs")]
pub async fn job_route<O: Operation>(
    State(shared): State<Shared<O::State>>,
    request: Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let identity = match identity(&parts, &shared.config, O::SECURITY).await {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    let bytes = match decode::read(body, shared.config.body_limit).await {
        Ok(bytes) => bytes,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = input::<O::Input>(&mut parts, Body::from(bytes.clone()), &shared.config).await {
        return e.into_response();
    }
    crate::jobs::submit(&shared, O::ID, O::JOBS, &parts, &bytes, identity.as_ref()).await
}

/// Runs a job of operation `O` (for a worker): the stored request decoded again, the bound
/// function called in the job's call context.
#[cfg(feature = "jobs")]
pub fn run_job<O: Operation>(
    shared: Shared<O::State>,
    job: crate::jobs::Job,
) -> crate::jobs::JobFuture {
    Box::pin(async move {
        // A stored request that no longer decodes ends the job with its error response.
        let (mut parts, body) = match job.request.to_parts() {
            Ok(request) => request,
            Err(e) => return Ok(shared.error(e)),
        };
        let input = match input::<O::Input>(&mut parts, Body::from(body), &shared.config).await {
            Ok(input) => input,
            Err(e) => return Ok(shared.error(e)),
        };
        let call = shared.job_call(&parts, O::ID, &job);
        match O::call(call, input).await {
            Ok(response) => match check_response(&shared.config, O::ID, &response) {
                Ok(()) => Ok(response.respond()),
                Err(e) => Ok(shared.error(e)),
            },
            Err(e) => Err(shared.error(e)),
        }
    })
}
