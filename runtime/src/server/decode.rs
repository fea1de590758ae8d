//! Reading requests: path, query, header and cookie parameters, and bodies by media type.
//! Every failure is a 4xx [`ApiError`] naming the field (`/query/limit`, `/body/pets/3/name`).

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The last segment of a type's path, for messages (`i32`, `PetStatus`).
fn short_type<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

pub(crate) fn parse<T: FromStr>(location: &str, name: &str, raw: &str) -> Result<T, ApiError>
where
    T::Err: Display,
{
    raw.parse::<T>().map_err(|e| {
        ApiError::bad_request(
            format!("/{location}/{name}"),
            format!(
                "{location} parameter `{name}`: cannot read {raw:?} as {}: {e}",
                short_type::<T>()
            ),
        )
    })
}

/// Reads a value without a plain text form (a union, an object): as JSON, or else as a JSON
/// string (so `NameOrId` accepts both `42` and `my-name`).
pub(crate) fn loose<T: DeserializeOwned>(
    location: &str,
    name: &str,
    raw: &str,
) -> Result<T, ApiError> {
    serde_json::from_str(raw)
        .or_else(|e| {
            serde_json::from_value(serde_json::Value::String(raw.to_owned())).map_err(|_| e)
        })
        .map_err(|e| {
            ApiError::bad_request(
                format!("/{location}/{name}"),
                format!("{location} parameter `{name}`: {raw:?} does not fit its schema: {e}"),
            )
        })
}

fn missing(location: &str, name: &str) -> ApiError {
    ApiError::bad_request(
        format!("/{location}/{name}"),
        format!("{location} parameter `{name}` is required"),
    )
}

/// Splits a non-exploded array value (`a,b,c`) by the style's separator.
fn split<'a>(raw: &'a str, style: Option<&str>) -> impl Iterator<Item = &'a str> {
    let sep = match style {
        Some("spaceDelimited") => ' ',
        Some("pipeDelimited") => '|',
        _ => ',',
    };
    raw.split(sep).filter(|s| !s.is_empty())
}

/// Path parameters, percent-decoded by the router.
#[derive(Debug, Default)]
pub struct PathParams(Vec<(String, String)>);

impl PathParams {
    /// Takes the path parameters of the matched route.
    pub async fn extract(parts: &mut Parts) -> Result<Self, ApiError> {
        let raw = RawPathParams::from_request_parts(parts, &())
            .await
            .map_err(|e| ApiError::bad_request("/path", format!("the path cannot be read: {e}")))?;
        Ok(Self(
            raw.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        ))
    }

    /// A path parameter.
    pub fn get<T: FromStr>(&self, name: &str) -> Result<T, ApiError>
    where
        T::Err: Display,
    {
        match self.0.iter().find(|(k, _)| k == name) {
            Some((_, v)) => parse("path", name, v),
            None => Err(missing("path", name)),
        }
    }

    /// A path parameter without a plain text form, read as JSON or as a string.
    pub fn loose<T: DeserializeOwned>(&self, name: &str) -> Result<T, ApiError> {
        match self.0.iter().find(|(k, _)| k == name) {
            Some((_, v)) => loose("path", name, v),
            None => Err(missing("path", name)),
        }
    }

    /// A path parameter that is an array (`simple` style: `a,b,c`).
    pub fn array<T: FromStr>(&self, name: &str) -> Result<Vec<T>, ApiError>
    where
        T::Err: Display,
    {
        match self.0.iter().find(|(k, _)| k == name) {
            Some((_, v)) => split(v, None).map(|s| parse("path", name, s)).collect(),
            None => Err(missing("path", name)),
        }
    }
}

/// The query string, decoded once.
#[derive(Debug, Default)]
pub struct QueryParams<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> QueryParams<'a> {
    /// Parses `a=1&b=2` (form-urlencoded, `+` as space).
    pub fn parse(query: Option<&'a str>) -> Self {
        Self(form_urlencoded::parse(query.unwrap_or("").as_bytes()).collect())
    }

    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
            .collect()
    }

    /// An optional scalar parameter.
    pub fn optional<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: Display,
    {
        self.first(name)
            .map(|v| parse("query", name, v))
            .transpose()
    }

    /// A required scalar parameter.
    pub fn required<T: FromStr>(&self, name: &str) -> Result<T, ApiError>
    where
        T::Err: Display,
    {
        self.optional(name)?.ok_or_else(|| missing("query", name))
    }

    /// An array parameter: repeated keys when `explode` (the default of `form`), otherwise one
    /// value split by the style's separator. `None` when absent.
    pub fn array<T: FromStr>(
        &self,
        name: &str,
        explode: bool,
        style: Option<&str>,
    ) -> Result<Option<Vec<T>>, ApiError>
    where
        T::Err: Display,
    {
        let values: Vec<&str> = self
            .0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        let items: Vec<&str> = if explode {
            values
        } else {
            values.into_iter().flat_map(|v| split(v, style)).collect()
        };
        items
            .into_iter()
            .map(|v| parse("query", name, v))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
    }

    /// A parameter without a plain text form (a union, an object), read as JSON or as a string.
    pub fn loose<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.first(name)
            .map(|v| loose("query", name, v))
            .transpose()
    }
}

/// A header parameter (names are case-insensitive).
pub fn header<T: FromStr>(headers: &HeaderMap, name: &str) -> Result<Option<T>, ApiError>
where
    T::Err: Display,
{
    match headers.get(name) {
        None => Ok(None),
        Some(v) => {
            let text = v.to_str().map_err(|_| {
                ApiError::bad_request(
                    format!("/header/{name}"),
                    format!("header `{name}` is not visible ASCII"),
                )
            })?;
            parse("header", name, text).map(Some)
        }
    }
}

/// A header without a plain text form, read as JSON or as a string.
pub fn header_loose<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<T>, ApiError> {
    match header::<String>(headers, name)? {
        None => Ok(None),
        Some(v) => loose("header", name, &v).map(Some),
    }
}

/// A required header parameter.
pub fn required_header<T: FromStr>(headers: &HeaderMap, name: &str) -> Result<T, ApiError>
where
    T::Err: Display,
{
    header(headers, name)?.ok_or_else(|| missing("header", name))
}

/// Cookies of the request.
#[derive(Debug, Default)]
pub struct Cookies(Vec<(String, String)>);

impl Cookies {
    /// Reads every `Cookie` header.
    pub fn parse(headers: &HeaderMap) -> Self {
        let mut out = Vec::new();
        for v in headers.get_all(header::COOKIE) {
            for pair in v.to_str().unwrap_or("").split(';') {
                if let Some((k, v)) = pair.trim().split_once('=') {
                    out.push((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()));
                }
            }
        }
        Self(out)
    }

    /// The value of cookie `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie parameter.
    pub fn optional<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: Display,
    {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| parse("cookie", name, v))
            .transpose()
    }

    /// A cookie without a plain text form, read as JSON or as a string.
    pub fn loose<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| loose("cookie", name, v))
            .transpose()
    }

    /// A required cookie parameter.
    pub fn required<T: FromStr>(&self, name: &str) -> Result<T, ApiError>
    where
        T::Err: Display,
    {
        self.optional(name)?.ok_or_else(|| missing("cookie", name))
    }
}

/// The media type of the request body, lowercased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// Whether a media type of the spec (`application/json`, `application/*+json`, `*/*`)
/// accepts `actual`.
pub fn accepts(spec: &str, actual: &str) -> bool {
    let spec = spec
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if spec == actual || spec == "*/*" {
        return true;
    }
    if let Some(prefix) = spec.strip_suffix("/*") {
        return actual.split('/').next() == Some(prefix);
    }
    // `application/json` also accepts `application/problem+json` and the like.
    spec == "application/json" && actual.starts_with("application/") && actual.ends_with("+json")
}

/// 415 naming what the operation accepts.
pub fn unsupported(actual: Option<&str>, accepted: &[&str]) -> ApiError {
    let got = actual.map_or_else(|| "no `Content-Type`".to_owned(), |a| format!("`{a}`"));
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!(
            "request body has {got}; this operation accepts {}",
            accepted
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .at("/header/Content-Type")
}

/// 400 for a required body that is absent.
pub fn missing_body() -> ApiError {
    ApiError::bad_request("/body", "a request body is required")
}

/// Reads the whole body, at most `limit` bytes however it is sent (chunked included).
pub async fn read(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<http_body_util::LengthLimitError>())
            .is_some();
        if too_large {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {limit} bytes"),
            )
            .at("/body")
        } else {
            ApiError::bad_request("/body", format!("the request body cannot be read: {e}"))
        }
    })
}

/// Decodes a JSON body; a failure names the field (`/body/pets/3/name`).
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // The fast path: a valid body is read once, by serde_json alone. Only a body that fails
    // is read again, tracking the path, to name the field at fault.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let mut field = String::from("/body");
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => field.push_str(&format!("/{index}")),
                Segment::Map { key } => {
                    field.push('/');
                    field.push_str(&key.replace('~', "~0").replace('/', "~1"));
                }
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let inner = e.into_inner();
        let message = inner.to_string();
        // `missing field `name``: point at the field itself.
        if let Some(name) = message
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            field.push('/');
            field.push_str(name);
        }
        ApiError::bad_request(field, format!("invalid JSON body: {message}"))
    })?;
    Ok(value)
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_urlencoded::from_bytes(bytes)
        .map_err(|e| ApiError::bad_request("/body", format!("invalid form body: {e}")))
}

/// Decodes a text body.
pub fn text(bytes: Bytes) -> Result<String, ApiError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::bad_request("/body", "the text body is not UTF-8"))
}

/// One part of a `multipart/form-data` body: a field or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's media type, if given.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

/// A `multipart/form-data` body, read whole (within the body limit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// Every part, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The first part named `name`.
    pub fn get(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// Every part named `name` (a repeated field, several files).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Part> + 'a {
        self.parts.iter().filter(move |p| p.name == name)
    }

    /// The text of field `name`.
    ///
    /// # Errors
    /// 400 when the field is not UTF-8.
    pub fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        self.get(name)
            .map(|p| {
                std::str::from_utf8(&p.bytes).map_err(|_| {
                    ApiError::bad_request(
                        format!("/body/{name}"),
                        format!("form field `{name}` is not UTF-8 text"),
                    )
                })
            })
            .transpose()
    }

    /// Field `name` read as a `T` (`i32`, `bool`, an enum, ...).
    ///
    /// # Errors
    /// 400 naming the field when it does not parse.
    pub fn field<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: Display,
    {
        self.text(name)?
            .map(|t| {
                t.parse::<T>().map_err(|e| {
                    ApiError::bad_request(
                        format!("/body/{name}"),
                        format!(
                            "form field `{name}`: cannot read {t:?} as {}: {e}",
                            short_type::<T>()
                        ),
                    )
                })
            })
            .transpose()
    }
}

/// Parses a `multipart/form-data` body; every name in `required` must be present.
///
/// # Errors
/// 400 for a malformed body or a missing required part, naming it.
pub async fn multipart(
    headers: &HeaderMap,
    bytes: Bytes,
    required: &[&str],
) -> Result<Multipart, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|e| {
        ApiError::bad_request(
            "/header/Content-Type",
            format!("multipart body without a usable boundary: {e}"),
        )
    })?;
    let mut reader = multer::Multipart::new(OnceStream(Some(bytes)), boundary);
    let mut parts = Vec::new();
    loop {
        let field = reader.next_field().await.map_err(|e| {
            ApiError::bad_request("/body", format!("malformed multipart body: {e}"))
        })?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let bytes = field.bytes().await.map_err(|e| {
            ApiError::bad_request(
                format!("/body/{name}"),
                format!("malformed multipart part `{name}`: {e}"),
            )
        })?;
        parts.push(Part {
            name,
            file_name,
            content_type,
            bytes,
        });
    }
    let body = Multipart { parts };
    if let Some(missing) = required.iter().find(|r| body.get(r).is_none()) {
        return Err(ApiError::bad_request(
            format!("/body/{missing}"),
            format!("form field `{missing}` is required"),
        ));
    }
    Ok(body)
}

/// A one-item stream of the body, as multer reads it.
struct OnceStream(Option<Bytes>);

impl futures_core::Stream for OnceStream {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().map(Ok))
    }
}
