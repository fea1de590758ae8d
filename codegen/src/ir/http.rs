//! The HTTP side of operations, decided once for every emitter: the method, the path
//! template, parameter styles with their defaults resolved, how each payload travels, and the
//! named response variants.

use super::{Content, Node, ParamIn, Status};

/// A response as both sides type it: a variant of the operation's response enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The variant's name (`Ok`, `NotFound`, `Status4xx`, `Default`), unique in the operation.
    pub name: String,
    /// The status it is sent with.
    pub status: Status,
    /// The first line of the response's description.
    pub summary: String,
    /// The body, if the response has one.
    pub payload: Option<Payload>,
    /// The declared headers (`Content-Type` left out).
    pub headers: Vec<Header>,
    /// The body is held in a `Box`, to keep the enum small.
    pub boxed: bool,
}

impl Variant {
    /// Whether the variant is a tuple of its body: an exact status, a body, no headers.
    pub fn is_tuple(&self) -> bool {
        matches!(self.status, Status::Code(_)) && self.headers.is_empty() && self.payload.is_some()
    }

    /// Whether the variant carries nothing: an exact status, no body, no headers.
    pub fn is_unit(&self) -> bool {
        matches!(self.status, Status::Code(_)) && self.headers.is_empty() && self.payload.is_none()
    }

    /// Whether a client takes the response as a success: a status below 400.
    pub fn is_success(&self) -> bool {
        match self.status {
            Status::Code(c) => c < 400,
            Status::Range(d) => d < 4,
            Status::Default => false,
        }
    }

    /// The status for messages and docs: `404`, `4XX`, `default`.
    pub fn status_text(&self) -> String {
        match self.status {
            Status::Code(c) => c.to_string(),
            Status::Range(d) => format!("{d}XX"),
            Status::Default => "default".into(),
        }
    }
}

/// A response body: how it travels and its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// How it travels (a multipart response is sent as bytes).
    pub kind: PayloadKind,
    /// The media type a server sends it with.
    pub media_type: String,
    /// Its schema, for JSON and form bodies that have one.
    pub node: Option<Node>,
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The Rust field name.
    pub name: String,
    /// The header's name, lowercase.
    pub wire: String,
    /// Its type.
    pub node: Node,
    /// Whether the response always has it.
    pub required: bool,
}

/// Error responses that several operations declare alike.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorSet {
    /// The Rust name of the error type.
    pub name: String,
    /// The variants.
    pub variants: Vec<Variant>,
    /// The names of the operations (their Rust names) that declare them, in spec order.
    pub operations: Vec<String>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// Every method, in the order a path item lists them.
    pub const ALL: [Method; 8] = [
        Self::Get,
        Self::Put,
        Self::Post,
        Self::Delete,
        Self::Options,
        Self::Head,
        Self::Patch,
        Self::Trace,
    ];

    /// The method of a path item's key (`get`), if it is one.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == key)
    }

    /// The lowercase name, as a path item and axum's routing functions write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Options => "options",
            Self::Head => "head",
            Self::Patch => "patch",
            Self::Trace => "trace",
        }
    }

    /// The uppercase name, as HTTP writes it.
    pub fn upper(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.upper())
    }
}

/// A path template, parsed once: `/pets/{petId}/photos`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// Its pieces in order.
    pub parts: Vec<PathPart>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text, as written.
    Text(String),
    /// A parameter, by its name in the template.
    Param(String),
}

impl PathTemplate {
    /// Parses `path`; an unclosed `{` is text.
    pub fn parse(path: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                parts.push(PathPart::Text(rest[..start].to_owned()));
            }
            parts.push(PathPart::Param(rest[start + 1..start + len].to_owned()));
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Text(rest.to_owned()));
        }
        Self { parts }
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(n) => Some(n.as_str()),
            PathPart::Text(_) => None,
        })
    }

    /// The template as a router matches it, each parameter named by `name`; `None` when a
    /// parameter does not fill a whole segment (`/badges/{id}.json`), which a router cannot
    /// match.
    pub fn route(&self, name: impl Fn(&str) -> String) -> Option<String> {
        let mut out = String::new();
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                PathPart::Text(t) => out.push_str(t),
                PathPart::Param(n) => {
                    let before = i == 0
                        || matches!(&self.parts[i - 1], PathPart::Text(t) if t.ends_with('/'));
                    let after = match self.parts.get(i + 1) {
                        None => true,
                        Some(PathPart::Text(t)) => t.starts_with('/'),
                        Some(PathPart::Param(_)) => false,
                    };
                    if !before || !after {
                        return None;
                    }
                    out.push('{');
                    out.push_str(&name(n));
                    out.push('}');
                }
            }
        }
        Some(out)
    }

    /// The template with its parameters' names left out (`/pets/{}`): two templates of one
    /// shape are one route to a router.
    pub fn shape(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                PathPart::Text(t) => t.as_str(),
                PathPart::Param(_) => "{}",
            })
            .collect()
    }
}

/// How a parameter's value is written (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b,c` (path and header default).
    Simple,
    /// `name=a&name=b`, or `name=a,b` without `explode` (query and cookie default).
    Form,
    /// `.a.b` (path).
    Label,
    /// `;name=a` (path).
    Matrix,
    /// `a b c` (query).
    SpaceDelimited,
    /// `a|b|c` (query).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

impl Style {
    /// The style and `explode` of a parameter at `location`, with OpenAPI's defaults: `form`
    /// and exploded in the query and cookies, `simple` and not exploded in the path and
    /// headers; `explode` defaults to true for `form` only.
    pub fn resolve(location: ParamIn, style: Option<&str>, explode: Option<bool>) -> (Self, bool) {
        let style = match style {
            Some("simple") => Self::Simple,
            Some("form") => Self::Form,
            Some("label") => Self::Label,
            Some("matrix") => Self::Matrix,
            Some("spaceDelimited") => Self::SpaceDelimited,
            Some("pipeDelimited") => Self::PipeDelimited,
            Some("deepObject") => Self::DeepObject,
            // Unknown styles read as the location's default.
            _ => match location {
                ParamIn::Query | ParamIn::Cookie => Self::Form,
                ParamIn::Path | ParamIn::Header => Self::Simple,
            },
        };
        (style, explode.unwrap_or(style == Self::Form))
    }
}

/// How a payload travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// JSON (`application/json`, `*+json`, `*/*`).
    Json,
    /// `application/x-www-form-urlencoded` with a schema.
    Form,
    /// `multipart/*`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else, as bytes.
    Bytes,
}

impl PayloadKind {
    /// The kind of a payload of media type `media`, `typed` when it has a schema.
    pub fn of(media: &str, typed: bool) -> Self {
        let m = media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if m == "application/json" || m.ends_with("+json") || m == "*/*" {
            Self::Json
        } else if m == "application/x-www-form-urlencoded" && typed {
            Self::Form
        } else if m.starts_with("multipart/") {
            Self::Multipart
        } else if m.starts_with("text/") {
            Self::Text
        } else {
            Self::Bytes
        }
    }

    /// Whether the payload is a serde value of its schema.
    pub fn is_typed(self) -> bool {
        matches!(self, Self::Json | Self::Form)
    }
}

/// The kind of a content entry.
pub fn kind(c: &Content) -> PayloadKind {
    PayloadKind::of(&c.media_type, c.node.is_some())
}

/// The index of the content that decides a body's Rust type: the first JSON one, else the
/// first.
pub fn chosen(content: &[Content]) -> Option<usize> {
    content
        .iter()
        .position(|c| kind(c) == PayloadKind::Json)
        .or(if content.is_empty() { None } else { Some(0) })
}

/// The variant name of a response status (`NotFound`, `Status4xx`, `Default`).
pub fn variant_name(status: Status) -> String {
    let code = match status {
        Status::Code(c) => c,
        Status::Range(d) => return format!("Status{d}xx"),
        Status::Default => return "Default".into(),
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_parsed_once() {
        let t = PathTemplate::parse("/pets/{petId}/photos/{n}");
        assert_eq!(t.params().collect::<Vec<_>>(), ["petId", "n"]);
        assert_eq!(t.shape(), "/pets/{}/photos/{}");
        assert_eq!(
            t.route(|n| n.to_ascii_lowercase()).as_deref(),
            Some("/pets/{petid}/photos/{n}")
        );
        // Text beside a parameter in one segment: no router route.
        let json = PathTemplate::parse("/badges/{id}.json");
        assert_eq!(json.params().collect::<Vec<_>>(), ["id"]);
        assert_eq!(json.route(str::to_owned), None);
        assert_eq!(PathTemplate::parse("/{a}{b}").route(str::to_owned), None);
        assert_eq!(
            PathTemplate::parse("/").route(str::to_owned).as_deref(),
            Some("/")
        );
        assert_eq!(
            PathTemplate::parse("/x/{open").parts,
            [PathPart::Text("/x/{open".into())]
        );
    }

    #[test]
    fn styles_have_their_defaults() {
        assert_eq!(
            Style::resolve(ParamIn::Query, None, None),
            (Style::Form, true)
        );
        assert_eq!(
            Style::resolve(ParamIn::Cookie, None, None),
            (Style::Form, true)
        );
        assert_eq!(
            Style::resolve(ParamIn::Path, None, None),
            (Style::Simple, false)
        );
        assert_eq!(
            Style::resolve(ParamIn::Header, None, None),
            (Style::Simple, false)
        );
        assert_eq!(
            Style::resolve(ParamIn::Query, Some("form"), Some(false)),
            (Style::Form, false)
        );
        assert_eq!(
            Style::resolve(ParamIn::Query, Some("pipeDelimited"), None),
            (Style::PipeDelimited, false)
        );
        assert_eq!(
            Style::resolve(ParamIn::Query, Some("deepObject"), Some(true)),
            (Style::DeepObject, true)
        );
    }

    #[test]
    fn payload_kinds_and_the_chosen_body() {
        assert_eq!(
            PayloadKind::of("application/problem+json", true),
            PayloadKind::Json
        );
        assert_eq!(
            PayloadKind::of("Application/JSON; charset=utf-8", false),
            PayloadKind::Json
        );
        assert_eq!(
            PayloadKind::of("application/x-www-form-urlencoded", true),
            PayloadKind::Form
        );
        assert_eq!(
            PayloadKind::of("application/x-www-form-urlencoded", false),
            PayloadKind::Bytes
        );
        assert_eq!(
            PayloadKind::of("multipart/form-data", true),
            PayloadKind::Multipart
        );
        assert_eq!(PayloadKind::of("text/plain", true), PayloadKind::Text);
        assert_eq!(PayloadKind::of("image/png", false), PayloadKind::Bytes);
        let c = |m: &str| Content {
            media_type: m.into(),
            node: None,
        };
        assert_eq!(chosen(&[c("text/plain"), c("application/json")]), Some(1));
        assert_eq!(chosen(&[c("text/plain"), c("image/png")]), Some(0));
        assert_eq!(chosen(&[]), None);
        assert_eq!(Method::parse("patch"), Some(Method::Patch));
        assert_eq!(Method::parse("x-foo"), None);
        assert_eq!(variant_name(Status::Code(404)), "NotFound");
        assert_eq!(variant_name(Status::Code(299)), "Status299");
        assert_eq!(variant_name(Status::Range(4)), "Status4xx");
    }
}
