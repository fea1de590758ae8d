//! What the server and client emitters share: how payloads travel, response variants, and the
//! Rust form of parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::Types;
use crate::ident::{self, Namespace};
use crate::ir::{Api, Content, Doc, Node, Operation, Param, Response, Status, StrFormat, Ty};

/// Names of well-known statuses, for response variants.
pub(super) fn status_name(code: u16) -> String {
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

pub(super) fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

pub(super) fn is_form(media: &str) -> bool {
    media
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
}

pub(super) fn is_text(media: &str) -> bool {
    media.to_ascii_lowercase().starts_with("text/")
}

/// How a payload travels.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

pub(super) fn kind(c: &Content) -> Kind {
    if is_json(&c.media_type) {
        Kind::Json
    } else if is_form(&c.media_type) && c.node.is_some() {
        Kind::Form
    } else if c.media_type.to_ascii_lowercase().starts_with("multipart/") {
        Kind::Multipart
    } else if is_text(&c.media_type) {
        Kind::Text
    } else {
        Kind::Bytes
    }
}

/// How a response header's value becomes text.
#[derive(Clone, Copy)]
pub(super) enum HeaderText {
    /// `Display`.
    Plain,
    /// Items joined by commas (`simple` style).
    Joined,
    /// JSON.
    Json,
}

/// A response variant, ready to emit.
#[derive(Clone)]
pub(super) struct Variant {
    pub(super) name: syn::Ident,
    pub(super) status: Status,
    pub(super) doc: String,
    pub(super) body: Option<(Kind, TokenStream, String)>,
    /// The body's schema, for response validation.
    pub(super) node: Option<Node>,
    /// Declared headers: field, wire name, type, required, how to write its value.
    pub(super) headers: Vec<(syn::Ident, String, TokenStream, bool, HeaderText)>,
    /// The body's type before boxing, when the body is boxed to keep the enum small.
    pub(super) unboxed: Option<TokenStream>,
}

impl Variant {
    /// The variant in its enum: unit, a tuple of the body, or fields for a status that is not
    /// exact (documented as `status_doc`), the body and the headers.
    pub(super) fn declaration(&self, status_doc: &str) -> TokenStream {
        let n = &self.name;
        let doc = &self.doc;
        if self.is_unit() {
            return quote!(#[doc = #doc] #n,);
        }
        if self.is_tuple() {
            let (_, t, _) = self.body.as_ref().expect("tuple variants have a body");
            return quote!(#[doc = #doc] #n(#t),);
        }
        let status = if matches!(self.status, Status::Code(_)) {
            quote!()
        } else {
            quote!(#[doc = #status_doc] status: u16,)
        };
        let body = match &self.body {
            Some((_, t, _)) => quote!(/// The body.
                body: #t,),
            None => quote!(),
        };
        let headers = self.headers.iter().map(|(f, wire, t, required, _)| {
            let d = format!(" The `{wire}` header.");
            if *required {
                quote!(#[doc = #d] #f: #t,)
            } else {
                quote!(#[doc = #d] #f: ::std::option::Option<#t>,)
            }
        });
        quote!(#[doc = #doc] #n { #status #body #(#headers)* },)
    }

    pub(super) fn is_tuple(&self) -> bool {
        matches!(self.status, Status::Code(_)) && self.headers.is_empty() && self.body.is_some()
    }

    pub(super) fn is_unit(&self) -> bool {
        matches!(self.status, Status::Code(_)) && self.headers.is_empty() && self.body.is_none()
    }
}

/// Parameters, responses and payloads of operations, for an emitter that knows its API, its
/// types and how it represents each kind of payload.
pub(super) trait Shapes {
    /// The API.
    fn api(&self) -> &Api;
    /// The type emitter.
    fn types(&self) -> &Types<'_>;
    /// The Rust type of a payload of kind `k`.
    fn payload(&self, node: Option<&Node>, k: Kind) -> TokenStream;

    fn param_field(&self, p: &Param) -> (syn::Ident, TokenStream, TokenStream) {
        let name = format_ident!("{}", p.name.trim_start_matches("r#"));
        let name = if p.name.starts_with("r#") {
            syn::Ident::new_raw(&name.to_string(), proc_macro2::Span::call_site())
        } else {
            name
        };
        let has_default = self.types().default_expr(&p.node).is_some();
        let base = self.types().base(&p.node);
        let ty = if p.required || has_default {
            base
        } else {
            self.types().option(base)
        };
        let loc = p.location.as_str();
        let doc = format!(" The {loc} parameter `{}`.", p.wire);
        let doc = doc_attrs(
            &Doc {
                description: p.node.doc.description.clone(),
                ..Doc::default()
            },
            doc.trim(),
        );
        (name, ty, doc)
    }

    /// Whether values of the node have a text form (`FromStr` and `Display`).
    fn is_scalar(&self, n: &Node) -> bool {
        if self.types().nullable(n) || n.boxed {
            return false;
        }
        let plain = |t: &Ty| {
            matches!(
                t,
                Ty::Bool
                    | Ty::Int(_)
                    | Ty::Float(_)
                    | Ty::Str(
                        StrFormat::Plain | StrFormat::Uuid | StrFormat::Date | StrFormat::DateTime
                    )
            )
        };
        match &n.ty {
            t if plain(t) => true,
            Ty::Named(id) => match &self.api().types.get(*id).kind {
                crate::ir::TypeKind::Enum(_) => true,
                crate::ir::TypeKind::Newtype(inner) => !inner.nullable && plain(&inner.ty),
                crate::ir::TypeKind::Alias(inner) => self.is_scalar(inner),
                _ => false,
            },
            _ => false,
        }
    }

    fn variants(&self, op: &Operation) -> Vec<Variant> {
        let mut ns = Namespace::default();
        let mut out = Vec::new();
        let mut responses: Vec<&Response> = op.responses.iter().collect();
        if responses.is_empty() {
            return vec![Variant {
                name: format_ident!("NoContent"),
                status: Status::Code(204),
                doc: " 204: no content.".into(),
                body: None,
                node: None,
                headers: Vec::new(),
                unboxed: None,
            }];
        }
        responses.sort_by_key(|r| r.status);
        for r in responses {
            let want = match r.status {
                Status::Code(c) => status_name(c),
                Status::Range(d) => format!("Status{d}xx"),
                Status::Default => "Default".into(),
            };
            let (name, _) = ns.claim(want);
            let first = r
                .content
                .iter()
                .find(|c| kind(c) == Kind::Json)
                .or_else(|| r.content.first());
            let body = first.map(|c| {
                // A multipart response is sent as the handler's bytes.
                let k = match kind(c) {
                    Kind::Multipart => Kind::Bytes,
                    k => k,
                };
                let mt = match k {
                    Kind::Bytes => c.media_type.clone(),
                    _ => "application/json".to_owned(),
                };
                (k, self.payload(c.node.as_ref(), k), mt)
            });
            let mut hns = Namespace::default();
            hns.reserve("status");
            hns.reserve("body");
            let headers = r
                .headers
                .iter()
                .filter(|h| !h.wire.eq_ignore_ascii_case("content-type"))
                .map(|h| {
                    let (n, _) = hns.claim(ident::snake_name(&h.wire));
                    let n = if let Some(raw) = n.strip_prefix("r#") {
                        syn::Ident::new_raw(raw, proc_macro2::Span::call_site())
                    } else {
                        format_ident!("{}", n)
                    };
                    (n, h.wire.clone(), self.types().base(&h.node), h.required, {
                        match &h.node.ty {
                            _ if self.is_scalar(&h.node) => HeaderText::Plain,
                            Ty::Array(item) if self.is_scalar(item) => HeaderText::Joined,
                            _ => HeaderText::Json,
                        }
                    })
                })
                .collect();
            let code = match r.status {
                Status::Code(c) => c.to_string(),
                Status::Range(d) => format!("{d}XX"),
                Status::Default => "default".into(),
            };
            let text = r
                .doc
                .description
                .as_deref()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            let doc = if text.is_empty() {
                format!(" {code}.")
            } else {
                format!(" {code}: {}", text.replace('`', "'"))
            };
            out.push(Variant {
                name: format_ident!("{}", name),
                status: r.status,
                doc,
                body,
                node: first.and_then(|c| c.node.clone()),
                headers,
                unboxed: None,
            });
        }
        out
    }

    /// Boxes the body of the largest variant while it is much larger than the next one (what
    /// clippy's `large_enum_variant` flags), estimating sizes as the types emitter does.
    fn box_large_bodies(&self, variants: &mut [Variant]) {
        let size = |v: &Variant| -> usize {
            let body = match (&v.body, &v.node, &v.unboxed) {
                (_, _, Some(_)) => 8,
                (Some((Kind::Json | Kind::Form, _, _)), Some(n), None) => {
                    self.types().estimated_size(n)
                }
                (Some(_), _, None) => 32,
                (None, _, None) => 0,
            };
            body + 32 * v.headers.len() + 8
        };
        for _ in 0..variants.len() {
            let mut sizes: Vec<(usize, usize)> = variants
                .iter()
                .enumerate()
                .map(|(i, v)| (size(v), i))
                .collect();
            sizes.sort_unstable_by(|a, b| b.cmp(a));
            let [(largest, i), (second, _), ..] = sizes[..] else {
                return;
            };
            let v = &mut variants[i];
            let boxable =
                matches!(v.body, Some((Kind::Json | Kind::Form, _, _))) && v.unboxed.is_none();
            if largest < second + 150 || !boxable {
                return;
            }
            if let Some((_, t, _)) = &mut v.body {
                v.unboxed = Some(t.clone());
                *t = quote!(::std::boxed::Box<#t>);
            }
        }
    }

    /// The check of a parameter held in field `name` (an `Option` unless `required`), at
    /// `/{location}/{wire name}`.
    fn param_check(&self, p: &Param, name: &syn::Ident, required: bool) -> Option<TokenStream> {
        let loc = p.location.as_str();
        let mut inner = p.node.clone();
        inner.nullable = false;
        let body = self.types().base_checks(&inner, &quote!(v), 1);
        if body.is_empty() {
            return None;
        }
        let wire = &p.wire;
        Some(if required {
            quote! { { let v = &self.#name; let p = path.field(#loc); let p = p.field(#wire); #body } }
        } else {
            quote! { if let ::std::option::Option::Some(v) = &self.#name { let p = path.field(#loc); let p = p.field(#wire); #body } }
        })
    }

    /// The check of a JSON or form body held in field `body` (an `Option` unless
    /// `required`), at `/body`.
    fn body_check(&self, node: &Node, required: bool) -> Option<TokenStream> {
        if required {
            let b = self.types().node_checks(node, &quote!(&self.body), 1);
            return (!b.is_empty()).then(|| quote! { { let p = path.field("body"); #b } });
        }
        let mut inner = node.clone();
        inner.nullable = false;
        let b = self.types().base_checks(&inner, &quote!(v), 1);
        (!b.is_empty() && !self.types().nullable(node))
            .then(|| quote! { if let ::std::option::Option::Some(v) = &self.body { let p = path.field("body"); #b } })
    }
}
