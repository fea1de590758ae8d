//! The intermediate representation: what the emitters see. Swagger 2.0, OpenAPI 3.0 and
//! OpenAPI 3.1 all lower to it; names in it are already Rust identifiers.

mod fidelity;
pub mod http;
mod layout;
mod operation;
mod schema;
mod views;

pub use fidelity::Fidelity;

pub(crate) use schema::Lower;

use serde_json::{Number, Value};

use crate::diag::Loc;
use crate::load::Version;

/// A whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// The version the spec was written in.
    pub version: Version,
    /// `info.title`.
    pub title: String,
    /// The name of the API in call paths: `x-api-name`, or the root file's name.
    pub name: String,
    /// `info.version`.
    pub api_version: String,
    /// Base URLs, server variables replaced by their defaults.
    pub servers: Vec<String>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Every Rust type to emit.
    pub types: TypeSpace,
    /// Number of named schemas the spec declares.
    pub named_schemas: usize,
    /// Every file the spec reached, the root first.
    pub inputs: Vec<std::path::PathBuf>,
    /// The root document as JSON, served at `/openapi.json`.
    pub spec_json: String,
    /// The root document as written (YAML or JSON), served at `/openapi.yaml`.
    pub spec_text: String,
    /// The path part of the first server URL (`/v1`), where the router mounts the operations;
    /// empty for none.
    pub base_path: String,
    /// Security schemes, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The distinct sets of error responses of the operations: operations that declare the
    /// same errors share one error type.
    pub error_sets: Vec<http::ErrorSet>,
    /// `x-bind-state`: the Rust type of the application state bound functions receive.
    pub bind_state: Option<String>,
}

/// Documentation carried from the spec to the generated items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// `title` or `summary`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
}

/// Index of a type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Every named Rust type of an API, in a deterministic order.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    /// The definitions; `TypeId(i)` is `defs[i]`.
    pub defs: Vec<TypeDef>,
}

impl TypeSpace {
    /// The definition of `id`.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }
}

/// A Rust type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name (UpperCamelCase, unique in the API).
    pub name: String,
    /// Where the schema is.
    pub origin: Loc,
    /// The spec's name for it, when it is a named schema.
    pub schema_name: Option<String>,
    /// Documentation.
    pub doc: Doc,
    /// Whether a value of this type may also be `null`.
    pub nullable: bool,
    /// `x-persist`: the model is stored.
    pub persist: Option<Persist>,
    /// When this type is the request or response view of another.
    pub view: Option<View>,
    /// What the type is.
    pub kind: TypeKind,
}

/// `x-persist` on a schema: `x-persist: {key: id}`, `x-persist: true`, or a Rust path naming the
/// author's own store (`x-persist: crate::store::PetStore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persist {
    /// The key property (default `id`).
    pub key: String,
    /// The author's implementation of the persistence trait, if given.
    pub store: Option<String>,
    /// Properties whose values are unique across the stored models (`unique: [name]`).
    pub unique: Vec<String>,
}

/// The key of a persisted model, as the emitter uses it.
#[derive(Debug, Clone, Copy)]
pub struct PersistKey<'a> {
    /// The key's field.
    pub field: &'a Field,
    /// Whether it is an integer (else a string or UUID).
    pub int: bool,
    /// Whether it is `Copy` (an integer or a UUID, not a newtype).
    pub copy: bool,
    /// The named schema (a newtype over an integer or string) the key is, if it is one.
    pub newtype: Option<TypeId>,
}

impl TypeDef {
    /// The persisted model's key field, or why the model cannot be persisted.
    pub fn persist_key<'a>(&'a self, types: &'a TypeSpace) -> Result<PersistKey<'a>, String> {
        let Some(p) = &self.persist else {
            return Err("it has no `x-persist`".into());
        };
        let TypeKind::Struct(s) = &self.kind else {
            return Err("only an object schema can be persisted".into());
        };
        let Some(field) = s.fields.iter().find(|f| f.wire == p.key) else {
            return Err(format!("its key `{}` is not one of its properties", p.key));
        };
        if !field.required || field.node.nullable {
            return Err(format!(
                "its key `{}` must be required and not nullable",
                p.key
            ));
        }
        // Through aliases, to a scalar or a newtype over one.
        let mut node = &field.node;
        let mut newtype = None;
        for _ in 0..8 {
            let Ty::Named(id) = node.ty else { break };
            let def = types.get(id);
            match &def.kind {
                TypeKind::Alias(inner) => node = inner,
                TypeKind::Newtype(inner) if newtype.is_none() && !def.nullable => {
                    newtype = Some(id);
                    node = inner;
                }
                _ => break,
            }
        }
        let (int, copy) = match &node.ty {
            Ty::Int(IntFormat::I32 | IntFormat::I64 | IntFormat::U32) if !node.nullable => {
                (true, true)
            }
            Ty::Str(StrFormat::Uuid) if !node.nullable => (false, true),
            Ty::Str(StrFormat::Plain) if !node.nullable => (false, false),
            _ => {
                return Err(format!(
                    "its key `{}` must be an integer (int32, int64, uint32), a string or a uuid",
                    p.key
                ));
            }
        };
        Ok(PersistKey {
            field,
            int,
            copy: copy && newtype.is_none(),
            newtype,
        })
    }
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum.
    Enum(StrEnum),
    /// `oneOf` / `anyOf`.
    Union(Union),
    /// A named schema that is a primitive, array or map: a newtype with validation.
    Newtype(Node),
    /// A named schema that only refers to another: a type alias.
    Alias(Node),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// What happens to properties not listed.
    pub extra: Extra,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

/// Handling of properties an object does not list.
#[derive(Debug, Clone)]
pub enum Extra {
    /// Accepted and dropped (no `additionalProperties`).
    Ignore,
    /// Rejected (`additionalProperties: false`).
    Deny,
    /// Kept in a map field of that name.
    Map {
        /// Rust field name.
        name: String,
        /// Type of the values.
        node: Box<Node>,
    },
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust field name.
    pub name: String,
    /// JSON property name.
    pub wire: String,
    /// Type and constraints.
    pub node: Node,
    /// Listed in `required`.
    pub required: bool,
    /// `readOnly` / `writeOnly`.
    pub access: Access,
    /// In a request view under `reject_read_only`: a `readOnly` property kept only to refuse
    /// a request that sets it.
    pub refused: bool,
}

/// Which side of an exchange a property belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Access {
    /// Both.
    #[default]
    ReadWrite,
    /// `readOnly: true`: sent in responses, never taken from requests.
    ReadOnly,
    /// `writeOnly: true`: taken from requests, never sent in responses.
    WriteOnly,
}

impl Access {
    /// The access a schema's `readOnly` / `writeOnly` give.
    pub fn of(doc: &Doc) -> Self {
        match (doc.read_only, doc.write_only) {
            (true, false) => Self::ReadOnly,
            (false, true) => Self::WriteOnly,
            _ => Self::ReadWrite,
        }
    }
}

/// The side of an exchange a view of a schema is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Request bodies: without `readOnly` properties.
    Request,
    /// Response bodies: without `writeOnly` properties.
    Response,
}

/// A type made from another for one side of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// The full model.
    pub of: TypeId,
    /// The side.
    pub side: Side,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StrEnum {
    /// Variants in spec order.
    pub variants: Vec<EnumVariant>,
    /// Whether an `Unknown(String)` variant catches other values.
    pub fallback: bool,
    /// Variant that is the default, if the spec gives one.
    pub default: Option<usize>,
}

/// A variant of a string enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The string on the wire.
    pub value: String,
}

/// A `oneOf` / `anyOf`.
#[derive(Debug, Clone)]
pub struct Union {
    /// Variants in spec order (catch-all variants last).
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when variants are chosen by tag.
    pub tag: Option<String>,
}

/// A variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub node: Node,
    /// Tag values selecting this variant (first one is written on serialisation).
    pub tags: Vec<String>,
}

/// A type expression with its constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The type.
    pub ty: Ty,
    /// May be `null`.
    pub nullable: bool,
    /// Stored behind a `Box` to break a cycle.
    pub boxed: bool,
    /// Constraints to validate.
    pub checks: Checks,
    /// The spec's default value.
    pub default: Option<Value>,
    /// Documentation.
    pub doc: Doc,
}

impl Node {
    /// A node of type `ty` with no constraints.
    pub fn new(ty: Ty) -> Self {
        Self {
            ty,
            nullable: false,
            boxed: false,
            checks: Checks::default(),
            default: None,
            doc: Doc::default(),
        }
    }
}

/// Rust types a node can have.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Anything: `serde_json::Value`.
    Any,
    /// A free-form object: `serde_json::Map<String, Value>`.
    Object,
    /// `bool`.
    Bool,
    /// An integer.
    Int(IntFormat),
    /// A floating-point number.
    Float(FloatFormat),
    /// A string.
    Str(StrFormat),
    /// `Vec<T>`.
    Array(Box<Node>),
    /// `BTreeMap<String, T>`.
    Map(Box<Node>),
    /// A named type.
    Named(TypeId),
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    /// `int32` (and smaller).
    I32,
    /// `int64` or no format.
    I64,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

/// Float widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatFormat {
    /// `float`.
    F32,
    /// `double` or no format.
    F64,
}

/// String representations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrFormat {
    /// `String`.
    Plain,
    /// `date-time`: `chrono::DateTime<Utc>`.
    DateTime,
    /// `date`: `chrono::NaiveDate`.
    Date,
    /// `uuid`: `uuid::Uuid`.
    Uuid,
    /// `byte`: base64 bytes.
    Byte,
}

/// Constraints a value must meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMAScript, checked to compile).
    pub pattern: Option<String>,
    /// A string `format` checked at run time (`email`, `uri`, ...).
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<Number>,
    /// `exclusiveMinimum` (3.1 form, or 2.0/3.0 `minimum` with `exclusiveMinimum: true`).
    pub exclusive_minimum: Option<Number>,
    /// `maximum`.
    pub maximum: Option<Number>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<Number>,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// `minProperties` (maps).
    pub min_properties: Option<u64>,
    /// `maxProperties` (maps).
    pub max_properties: Option<u64>,
    /// `enum` values other than `null`, when not lowered to a Rust enum.
    pub enumeration: Option<Vec<Value>>,
    /// `const`.
    pub constant: Option<Value>,
}

impl Checks {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// An HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Rust name (snake_case, unique in the API).
    pub name: String,
    /// UpperCamelCase form, for the names of its types.
    pub type_name: String,
    /// The spec's `operationId`, if any.
    pub operation_id: Option<String>,
    /// The HTTP method.
    pub method: http::Method,
    /// Path template (`/pets/{petId}`), as written.
    pub path: String,
    /// The path template, parsed.
    pub template: http::PathTemplate,
    /// Parameters (path, query, header, cookie).
    pub params: Vec<Param>,
    /// Query pairs the spec's path template fixes (`/rest?method=flickr.photos.search`):
    /// every call sends them.
    pub fixed_query: Vec<(String, String)>,
    /// Request body.
    pub body: Option<Body>,
    /// Declared responses in spec order.
    pub responses: Vec<Response>,
    /// The responses as both sides type them: one named variant per declared status, in
    /// status order (made by the layout pass).
    pub variants: Vec<http::Variant>,
    /// The index of the operation's error responses in [`Api::error_sets`], when it has any.
    pub error_set: Option<usize>,
    /// The responses a client takes as successes, boxed as their own enum needs.
    pub ok_variants: Vec<http::Variant>,
    /// `x-bind-server`.
    pub bind_server: Option<String>,
    /// `x-bind-client`.
    pub bind_client: Option<String>,
    /// `x-async: true`: served as a job (202, a job record, a worker).
    pub is_async: bool,
    /// `x-decorate-server`: a function returning a tower layer for this route only.
    pub decorate_server: Option<String>,
    /// Security requirements: alternatives (OR) of requirements (AND); empty: none required,
    /// an empty alternative: anonymous calls allowed.
    pub security: Vec<Vec<SecurityRequirement>>,
    /// Documentation.
    pub doc: Doc,
    /// Where the operation is.
    pub loc: Loc,
}

/// One scheme of a security requirement, with the scopes it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// The scheme's name.
    pub scheme: String,
    /// Required scopes (OAuth 2).
    pub scopes: Vec<String>,
}

/// A security scheme of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the spec.
    pub name: String,
    /// What credentials it takes.
    pub kind: SchemeKind,
}

/// Kinds of security schemes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where.
        location: ParamIn,
        /// The header, parameter or cookie name.
        param: String,
    },
    /// HTTP basic.
    Basic,
    /// HTTP bearer (also OAuth 2 and OpenID Connect, whose tokens travel as bearer tokens).
    Bearer,
    /// Anything else (mutual TLS, other HTTP schemes): not enforced by the generated server.
    Unsupported(String),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamIn {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie.
    Cookie,
}

impl ParamIn {
    /// `path`, `query`, `header` or `cookie`, as the spec and error paths name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Location.
    pub location: ParamIn,
    /// Required.
    pub required: bool,
    /// Type and constraints.
    pub node: Node,
    /// `style` (3.x) or derived from `collectionFormat` (2.0).
    pub style: Option<String>,
    /// `explode`.
    pub explode: Option<bool>,
}

impl Param {
    /// The parameter's style and `explode`, OpenAPI's defaults resolved.
    pub fn style(&self) -> (http::Style, bool) {
        http::Style::resolve(self.location, self.style.as_deref(), self.explode)
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Required.
    pub required: bool,
    /// Media types in spec order.
    pub content: Vec<Content>,
}

impl Body {
    /// The content that decides the body's Rust type (the first JSON one, else the first),
    /// and the others of the same type, which are accepted too.
    pub fn payload(&self) -> Option<(&Content, Vec<&Content>)> {
        let chosen = &self.content[http::chosen(&self.content)?];
        let kind = chosen.kind();
        let same = self
            .content
            .iter()
            .filter(|c| {
                let k = c.kind();
                (k == kind || k.is_typed() && kind.is_typed()) && c.node == chosen.node
                    || !kind.is_typed() && k == kind
            })
            .collect();
        Some((chosen, same))
    }
}

/// A payload for one media type.
#[derive(Debug, Clone)]
pub struct Content {
    /// `application/json`, ...
    pub media_type: String,
    /// Its schema, `None` when the spec gives none.
    pub node: Option<Node>,
}

impl Content {
    /// How it travels.
    pub fn kind(&self) -> http::PayloadKind {
        http::kind(self)
    }
}

/// Status of a declared response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// An exact code.
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    /// `default`.
    Default,
}

/// A declared response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status.
    pub status: Status,
    /// Bodies by media type.
    pub content: Vec<Content>,
    /// Declared headers.
    pub headers: Vec<Param>,
    /// Documentation.
    pub doc: Doc,
}

/// Lowers loaded documents to the IR, recording problems in `cx`.
pub(crate) fn build(
    docs: &crate::load::Docs,
    cx: &mut crate::diag::Ctxt,
    opts: &crate::Options,
) -> Api {
    let root = docs.root();
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let info = root.get("info");
    let title = text(info.and_then(|i| i.get("title")));
    let api_version = text(info.and_then(|i| i.get("version")));
    let servers = match docs.version {
        Version::Swagger2 => {
            let host = text(root.get("host"));
            let base = text(root.get("basePath"));
            let scheme = root
                .get("schemes")
                .and_then(|s| s.get(0))
                .and_then(Value::as_str)
                .unwrap_or("https");
            if host.is_empty() {
                vec![base]
            } else {
                vec![format!("{scheme}://{host}{base}")]
            }
        }
        _ => root
            .get("servers")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|s| {
                        let mut url = s.get("url")?.as_str()?.to_owned();
                        if let Some(Value::Object(vars)) = s.get("variables") {
                            for (k, v) in vars {
                                let d = text(v.get("default"));
                                url = url.replace(&format!("{{{k}}}"), &d);
                            }
                        }
                        Some(url)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let base_path = servers.first().map(|u| base_path(u)).unwrap_or_default();
    let security_schemes = security_schemes(root, docs.version);
    let mut lower = Lower::new(docs, cx, opts);
    let named_schemas = lower.register_named();
    let mut operations = lower.operations();
    lower.webhooks();
    let types = lower.finish(&mut operations);
    let name = root
        .get("x-api-name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            docs.docs[0]
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let name: String = name
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut api = Api {
        version: docs.version,
        title,
        name,
        api_version,
        servers,
        operations,
        types,
        named_schemas,
        inputs: docs.docs.iter().map(|d| d.path.clone()).collect(),
        spec_json: serde_json::to_string(root).unwrap_or_default(),
        spec_text: docs.docs[0].text().to_owned(),
        base_path,
        security_schemes,
        bind_state: root
            .get("x-bind-state")
            .and_then(Value::as_str)
            .map(str::to_owned),
        error_sets: Vec::new(),
    };
    layout::layout(&mut api);
    api
}

/// The path of a server URL: `http://host:8080/v1/` → `/v1`; templated or root paths → ``.
fn base_path(url: &str) -> String {
    let path = match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("", |j| &url[i + 3 + j..]),
        None => url,
    };
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    if path.starts_with('/') && !path.contains('{') {
        path.to_owned()
    } else {
        String::new()
    }
}

fn security_schemes(root: &Value, version: Version) -> Vec<SecurityScheme> {
    let section = match version {
        Version::Swagger2 => root.get("securityDefinitions"),
        _ => root
            .get("components")
            .and_then(|c| c.get("securitySchemes")),
    };
    let Some(Value::Object(schemes)) = section else {
        return Vec::new();
    };
    schemes
        .iter()
        .map(|(name, s)| {
            let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let kind = match text("type").as_str() {
                "apiKey" => match text("in").as_str() {
                    "header" => SchemeKind::ApiKey {
                        location: ParamIn::Header,
                        param: text("name"),
                    },
                    "query" => SchemeKind::ApiKey {
                        location: ParamIn::Query,
                        param: text("name"),
                    },
                    "cookie" => SchemeKind::ApiKey {
                        location: ParamIn::Cookie,
                        param: text("name"),
                    },
                    other => SchemeKind::Unsupported(format!("apiKey in {other}")),
                },
                "basic" => SchemeKind::Basic,
                "http" => match text("scheme").to_ascii_lowercase().as_str() {
                    "basic" => SchemeKind::Basic,
                    "bearer" => SchemeKind::Bearer,
                    other => SchemeKind::Unsupported(format!("http {other}")),
                },
                "oauth2" | "openIdConnect" => SchemeKind::Bearer,
                other => SchemeKind::Unsupported(other.to_owned()),
            };
            SecurityScheme {
                name: name.clone(),
                kind,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn base_paths() {
        assert_eq!(super::base_path("http://127.0.0.1:8080/v1"), "/v1");
        assert_eq!(super::base_path("https://api.example.com/"), "");
        assert_eq!(super::base_path("/api/v2/"), "/api/v2");
        assert_eq!(
            super::base_path("https://{region}.example.com/{version}"),
            ""
        );
        assert_eq!(super::base_path("https://example.com"), "");
    }
}
