//! Writing typed values into a request: path segments, query parameters in each style,
//! headers, cookies and bodies by media type.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::EncodeError;

/// Characters kept as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request body, by how it travels.
pub(crate) enum Payload {
    /// Bytes known up front (JSON, form, text): the request can be sent again.
    Bytes(Vec<u8>),
    /// A body that may be a stream.
    Body(reqwest::Body),
    /// A multipart form.
    Multipart(reqwest::multipart::Form),
}

/// The parts of a request a generated operation writes; the runtime adds the base URL,
/// credentials, the call context and the decorators.
#[derive(Default)]
pub struct RequestParts {
    path: String,
    query: String,
    pub(crate) headers: HeaderMap,
    cookies: String,
    pub(crate) body: Option<Payload>,
}

impl std::fmt::Debug for RequestParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestParts")
            .field("path", &self.path)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

/// The text of a scalar JSON value; `None` for arrays, objects and `null`.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn to_value<T: Serialize + ?Sized>(field: &str, value: &T) -> Result<Value, EncodeError> {
    serde_json::to_value(value).map_err(|e| EncodeError::new(field, e.to_string()))
}

/// The text of a parameter in `simple` style: scalars as they are, arrays joined by commas,
/// anything else as JSON. `None` for `null` (the parameter is left out).
fn simple_text(field: &str, v: &Value) -> Result<Option<String>, EncodeError> {
    Ok(match v {
        Value::Null => None,
        Value::Array(items) => match items.iter().map(scalar_text).collect::<Option<Vec<_>>>() {
            Some(texts) => Some(texts.join(",")),
            None => Some(json_text(field, v)?),
        },
        Value::Object(_) => Some(json_text(field, v)?),
        scalar => scalar_text(scalar),
    })
}

fn json_text(field: &str, v: &Value) -> Result<String, EncodeError> {
    serde_json::to_string(v).map_err(|e| EncodeError::new(field, e.to_string()))
}

impl RequestParts {
    /// Empty parts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a literal piece of the path template (`/pets/`).
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter, percent-encoded (`simple` style: arrays joined by commas).
    pub fn path_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let field = format!("/path/{name}");
        let v = to_value(&field, value)?;
        match &v {
            Value::Array(items) if items.iter().all(|i| scalar_text(i).is_some()) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.path.push(',');
                    }
                    let text = scalar_text(item).unwrap_or_default();
                    let _ = write!(self.path, "{}", utf8_percent_encode(&text, SEGMENT));
                }
            }
            _ => {
                let Some(text) = simple_text(&field, &v)? else {
                    return Err(EncodeError::new(field, "a path parameter cannot be null"));
                };
                if text.is_empty() {
                    return Err(EncodeError::new(field, "a path parameter cannot be empty"));
                }
                let _ = write!(self.path, "{}", utf8_percent_encode(&text, SEGMENT));
            }
        }
        Ok(())
    }

    fn pair(&mut self, name: &str, value: &str) {
        let mut s = form_urlencoded::Serializer::for_suffix(std::mem::take(&mut self.query), 0);
        s.append_pair(name, value);
        self.query = s.finish();
    }

    /// Adds a query parameter in its style (`form`, `spaceDelimited`, `pipeDelimited`,
    /// `deepObject`); `None` and `null` leave it out.
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Option<&str>,
        explode: bool,
    ) -> Result<(), EncodeError> {
        let field = format!("/query/{name}");
        let v = to_value(&field, value)?;
        match &v {
            Value::Null => {}
            Value::Array(items) if items.iter().all(|i| scalar_text(i).is_some()) => {
                let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
                if explode && matches!(style, None | Some("form")) {
                    for t in &texts {
                        self.pair(name, t);
                    }
                } else {
                    let sep = match style {
                        Some("spaceDelimited") => " ",
                        Some("pipeDelimited") => "|",
                        _ => ",",
                    };
                    self.pair(name, &texts.join(sep));
                }
            }
            Value::Object(map) if style == Some("deepObject") => {
                for (k, item) in map {
                    if let Some(text) = simple_text(&field, item)? {
                        self.pair(&format!("{name}[{k}]"), &text);
                    }
                }
            }
            other => {
                if let Some(text) = simple_text(&field, other)? {
                    self.pair(name, &text);
                }
            }
        }
        Ok(())
    }

    /// Adds a query parameter, as [`RequestParts::query`], unless it has its default value
    /// (which the server takes when it is absent).
    pub fn query_unless<T: Serialize + PartialEq + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        default: &T,
        style: Option<&str>,
        explode: bool,
    ) -> Result<(), EncodeError> {
        if value == default {
            return Ok(());
        }
        self.query(name, value, style, explode)
    }

    /// Sets a header parameter; `None` and `null` leave it out.
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let field = format!("/header/{name}");
        let v = to_value(&field, value)?;
        if let Some(text) = simple_text(&field, &v)? {
            let name = HeaderName::try_from(name)
                .map_err(|_| EncodeError::new(&field, "not a valid header name"))?;
            let value = HeaderValue::try_from(text)
                .map_err(|_| EncodeError::new(&field, "not a valid header value"))?;
            self.headers.insert(name, value);
        }
        Ok(())
    }

    /// Adds a cookie parameter; `None` and `null` leave it out.
    pub fn cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let field = format!("/cookie/{name}");
        let v = to_value(&field, value)?;
        if let Some(text) = simple_text(&field, &v)? {
            if text.contains([';', '\r', '\n']) || !text.is_ascii() {
                return Err(EncodeError::new(field, "not a valid cookie value"));
            }
            if !self.cookies.is_empty() {
                self.cookies.push_str("; ");
            }
            let _ = write!(self.cookies, "{name}={text}");
        }
        Ok(())
    }

    fn content_type(&mut self, media: &'static str) {
        if let Ok(v) = HeaderValue::from_str(media) {
            self.headers.insert(CONTENT_TYPE, v);
        }
    }

    /// The media types the operation can decode (`Accept`), unless a parameter set it.
    pub fn accept(&mut self, media: &'static str) {
        if let Ok(v) = HeaderValue::from_str(media) {
            self.headers.entry(ACCEPT).or_insert(v);
        }
    }

    /// A JSON body, sent as `media` (`application/json`, `application/merge-patch+json`, ...).
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        media: &'static str,
        body: &T,
    ) -> Result<(), EncodeError> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| EncodeError::new("/body", e.to_string()))?;
        self.content_type(media);
        self.body = Some(Payload::Bytes(bytes));
        Ok(())
    }

    /// A form-urlencoded body; its properties must be scalars or arrays of scalars.
    pub fn form<T: Serialize + ?Sized>(
        &mut self,
        media: &'static str,
        body: &T,
    ) -> Result<(), EncodeError> {
        let v = to_value("/body", body)?;
        let Value::Object(map) = v else {
            return Err(EncodeError::new("/body", "a form body must be an object"));
        };
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, item) in &map {
            match item {
                Value::Null => {}
                Value::Array(items) => {
                    for i in items {
                        let text = match scalar_text(i) {
                            Some(t) => t,
                            None => json_text("/body", i)?,
                        };
                        s.append_pair(k, &text);
                    }
                }
                other => {
                    let text = match scalar_text(other) {
                        Some(t) => t,
                        None => json_text("/body", other)?,
                    };
                    s.append_pair(k, &text);
                }
            }
        }
        self.content_type(media);
        self.body = Some(Payload::Bytes(s.finish().into_bytes()));
        Ok(())
    }

    /// A text body.
    pub fn text(&mut self, media: &'static str, body: String) {
        self.content_type(media);
        self.body = Some(Payload::Bytes(body.into_bytes()));
    }

    /// A binary body: bytes, or a stream (`reqwest::Body::wrap_stream`, a `tokio::fs::File`).
    pub fn bytes(&mut self, media: &'static str, body: impl Into<reqwest::Body>) {
        self.content_type(media);
        self.body = Some(Payload::Body(body.into()));
    }

    /// A multipart body; its parts may be streams.
    pub fn multipart(&mut self, form: reqwest::multipart::Form) {
        self.headers.remove(CONTENT_TYPE);
        self.body = Some(Payload::Multipart(form));
    }

    /// The path and query, to append to the base URL.
    pub(crate) fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// Adds a query pair (API keys).
    pub(crate) fn add_query(&mut self, name: &str, value: &str) {
        self.pair(name, value);
    }

    /// Adds a cookie (API keys).
    pub(crate) fn add_cookie(&mut self, name: &str, value: &str) {
        if !self.cookies.is_empty() {
            self.cookies.push_str("; ");
        }
        let _ = write!(self.cookies, "{name}={value}");
    }

    /// The `Cookie` header, if any cookie was added.
    pub(crate) fn finish_cookies(&mut self) -> Result<(), EncodeError> {
        if !self.cookies.is_empty() {
            let v = HeaderValue::try_from(std::mem::take(&mut self.cookies))
                .map_err(|_| EncodeError::new("/cookie", "not a valid cookie value"))?;
            self.headers.insert(COOKIE, v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::RequestParts;

    #[test]
    fn paths_are_percent_encoded() {
        let mut r = RequestParts::new();
        r.path("/files/");
        r.path_param("name", "a b/c?").unwrap();
        r.path("/tags/");
        r.path_param("tags", &["x", "y z"]).unwrap();
        assert_eq!(r.target(), "/files/a%20b%2Fc%3F/tags/x,y%20z");
        assert!(r.path_param("empty", "").is_err());
    }

    #[test]
    fn query_styles() {
        let mut r = RequestParts::new();
        r.query("a", &[1, 2], None, true).unwrap();
        r.query("b", &[1, 2], Some("form"), false).unwrap();
        r.query("c", &["x", "y"], Some("pipeDelimited"), false)
            .unwrap();
        r.query("d", &Option::<i32>::None, None, true).unwrap();
        r.query(
            "e",
            &serde_json::json!({"k": "v"}),
            Some("deepObject"),
            true,
        )
        .unwrap();
        r.query("f", "a&b", None, true).unwrap();
        assert_eq!(r.target(), "?a=1&a=2&b=1%2C2&c=x%7Cy&e%5Bk%5D=v&f=a%26b");
    }

    #[test]
    fn headers_refuse_bad_values() {
        let mut r = RequestParts::new();
        r.header("X-Ok", &7).unwrap();
        let e = r.header("X-Bad", "a\nb").unwrap_err();
        assert_eq!(e.field, "/header/X-Bad");
        assert_eq!(r.headers["x-ok"], "7");
    }
}
