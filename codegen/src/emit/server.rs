//! The axum server, as declarations: per bound operation, how its input is decoded, its
//! response enum and how each variant is sent, and the call of its bound function; then the
//! router of every route. What every operation does alike (credentials, decoding, validation,
//! the call, the response check) is `sb::server::route`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::checks::{Loc, Place};
use super::docs::doc_attrs;
use super::operations::{BodyField, Sides, body_field, is_optional, param_ident, summary};
use super::types::{Types, ident};
use crate::ident::Namespace;
use crate::ir::http::{Method, PayloadKind, Style, Variant};
use crate::ir::{Api, Operation, Param, ParamIn, SchemeKind, Side, Status, Ty};

pub(crate) struct Server<'a> {
    api: &'a Api,
    types: Types<'a>,
    sides: &'a Sides,
    not_implemented: bool,
}

/// What the server declares for one operation.
struct Names {
    /// The operation's marker type (`GetPet`).
    op: syn::Ident,
    /// Its input (`GetPetInput`), as the server reads it.
    input: syn::Ident,
    /// Its response enum (`GetPetResponse`).
    response: syn::Ident,
}

impl<'a> Server<'a> {
    pub(crate) fn new(api: &'a Api, opts: &crate::Options, sides: &'a Sides) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
            sides,
            not_implemented: opts.not_implemented,
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let state = match &self.api.bind_state {
            Some(path) => syn::parse_str::<syn::Type>(path)
                .map(|t| quote!(#t))
                .unwrap_or_else(|_| quote!(())),
            None => quote!(()),
        };
        let mut ns = Namespace::default();
        for taken in ["State", "API_NAME", "SPEC_JSON"] {
            ns.reserve(taken);
        }
        for name in self.sides.inputs.iter().flatten() {
            ns.reserve(name);
        }
        let mut items = Vec::new();
        // Routes in spec order: (route, [(method, handler, decorator)]).
        let mut routes: Routes = Vec::new();
        let mut jobs = Vec::new();
        let mut unbound = false;
        for (i, op) in self.api.operations.iter().enumerate() {
            let route = op
                .template
                .route(str::to_owned)
                .map(|r| format!("{}{r}", self.api.base_path));
            if !self.sides.server[i] {
                if let (true, Some(route)) = (self.not_implemented, route) {
                    unbound |=
                        add_route(&mut routes, route, op.method, quote!(not_implemented), None);
                }
                continue;
            }
            let Some(input) = &self.sides.inputs[i] else {
                continue;
            };
            let names = Names {
                op: format_ident!("{}", ns.claim(op.type_name.clone()).0),
                input: format_ident!("{}", input),
                response: format_ident!("{}", ns.claim(format!("{}Response", op.type_name)).0),
            };
            items.push(self.operation(op, &names));
            let marker = &names.op;
            if op.is_async {
                jobs.push((
                    op.operation_id.clone().unwrap_or_else(|| op.name.clone()),
                    marker.clone(),
                ));
            }
            if let Some(route) = route {
                let handler = if op.is_async {
                    quote!(sb::server::job_route::<#marker>)
                } else {
                    quote!(sb::server::route::<#marker>)
                };
                add_route(
                    &mut routes,
                    route,
                    op.method,
                    handler,
                    op.decorate_server.clone(),
                );
            }
        }
        let not_implemented = if unbound {
            quote! {
                /// Operations without `x-bind-server` answer 501.
                async fn not_implemented() -> sb::server::ApiError {
                    sb::server::ApiError::new(
                        sb::StatusCode::NOT_IMPLEMENTED,
                        "not_implemented",
                        "this operation is in the spec but not bound to a function",
                    )
                }
            }
        } else {
            quote!()
        };
        let route_calls = routes.iter().map(|(path, methods)| {
            let methods = methods.iter().enumerate().map(|(i, (m, h, decorate))| {
                let f = format_ident!("{}", m.as_str());
                let mut one = if i == 0 {
                    quote!(sb::routing::#f(#h))
                } else {
                    quote!(.#f(#h))
                };
                if let Some(d) = decorate {
                    let d: syn::Path =
                        syn::parse_str(d).unwrap_or_else(|_| syn::parse_quote!(invalid));
                    let route = if i == 0 {
                        one
                    } else {
                        quote!(sb::routing::#f(#h))
                    };
                    one = if i == 0 {
                        quote!(#route.layer(#d()))
                    } else {
                        quote!(.merge(#route.layer(#d())))
                    };
                }
                one
            });
            quote!(.route(#path, #(#methods)*))
        });
        let (worker, job_routes) = self.jobs(&jobs);
        let spec_json = &self.api.spec_json;
        let api_name = &self.api.name;
        let router_doc = format!(
            " The router of {}: every operation with `x-bind-server`, the spec at `/openapi.json`, JSON errors.",
            self.api.title
        );
        let inputs = self.inputs();
        quote! {
            /// The application state bound functions receive in their [`Call`](sb::server::Call).
            pub type State = #state;
            #inputs
            #(#items)*
            #not_implemented
            #worker

            #[doc = #router_doc]
            pub fn router(state: State) -> sb::Router {
                router_with(state, sb::server::Config::default())
            }

            /// [`router`] with limits, switches and an error formatter.
            pub fn router_with(state: State, config: sb::server::Config) -> sb::Router {
                let shared = sb::server::Shared { state, config: ::std::sync::Arc::new(config) };
                let config = ::std::sync::Arc::clone(&shared.config);
                let routes = sb::Router::new()
                    #(#route_calls)*
                    #job_routes
                    .with_state(shared);
                sb::server::finish(routes, &config, API_NAME, SPEC_JSON)
            }

            /// The name this server appends to the call path (`x-api-name`, or the spec's file
            /// name); `Config::api_name` replaces it.
            pub const API_NAME: &str = #api_name;
            /// The spec this server was generated from, as JSON (served at `/openapi.json`, and
            /// at `/openapi.yaml`: JSON is YAML).
            pub const SPEC_JSON: &str = #spec_json;
        }
    }

    /// The inputs of the bound operations under their server names: those of the shared
    /// module, with the server's body type where it differs by side.
    fn inputs(&self) -> TokenStream {
        let mut plain = Vec::new();
        let mut aliases = Vec::new();
        for (i, op) in self.api.operations.iter().enumerate() {
            let (true, Some(name)) = (self.sides.server[i], &self.sides.inputs[i]) else {
                continue;
            };
            let name = format_ident!("{}", name);
            match body_field(&self.types, op) {
                Some((BodyField::Generic(k), _)) => {
                    let body = server_body(k);
                    let doc = format!(" The input of {}, as the server reads it.", summary(op));
                    aliases.push(
                        quote!(#[doc = #doc] pub type #name = super::operations::#name<#body>;),
                    );
                }
                _ => plain.push(name),
            }
        }
        let plain = if plain.is_empty() {
            quote!()
        } else {
            quote!(pub use super::operations::{#(#plain),*};)
        };
        quote!(#plain #(#aliases)*)
    }

    fn operation(&self, op: &Operation, names: &Names) -> TokenStream {
        let summary = summary(op);
        let decode = self.decode(op, &names.input);
        let response = self.response(op, &names.response, &summary);
        let marker = &names.op;
        let (input, output) = (&names.input, &names.response);
        let id = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
        let handler: syn::Path = syn::parse_str(op.bind_server.as_deref().unwrap_or(""))
            .unwrap_or_else(|_| syn::parse_quote!(missing_handler));
        let security = self.security(op);
        let jobs = if op.is_async {
            let prefix = format!("{}/jobs/", self.api.base_path);
            quote!(const JOBS: &'static str = #prefix;)
        } else {
            quote!()
        };
        let mut doc = doc_attrs(&op.doc, &summary);
        let bound = format!(
            " Served by `{}`{}.",
            op.bind_server.as_deref().unwrap_or_default(),
            if op.is_async {
                " as a job (`x-async`): 202 with the job, its status at `Location`"
            } else {
                ""
            }
        );
        doc.extend(quote!(#[doc = ""] #[doc = #bound]));
        quote! {
            #decode
            #response
            #doc
            pub struct #marker;
            impl sb::server::Operation for #marker {
                type State = State;
                type Input = #input;
                type Response = #output;
                const ID: &'static str = #id;
                #security
                #jobs
                fn call(call: sb::server::Call<State>, input: #input) -> impl ::std::future::Future<Output = Result<#output, sb::server::HandlerError>> + Send {
                    #handler(call, input)
                }
            }
        }
    }

    /// `impl Input`: each field read by location and style, the body by media type.
    fn decode(&self, op: &Operation, input: &syn::Ident) -> TokenStream {
        let mut fields: Vec<TokenStream> = op.params.iter().map(|p| self.param_read(p)).collect();
        let body = op.body.as_ref().and_then(|b| Some((b, b.payload()?)));
        let reads_body = op.body.is_some();
        if let Some((body, (chosen, same))) = body {
            let accept = same.iter().map(|c| {
                let m = &c.media_type;
                match c.kind() {
                    PayloadKind::Json => quote!(sb::server::Media::json(#m)),
                    PayloadKind::Form => quote!(sb::server::Media::form(#m)),
                    PayloadKind::Text => quote!(sb::server::Media::text(#m)),
                    PayloadKind::Bytes => quote!(sb::server::Media::bytes(#m)),
                    PayloadKind::Multipart => quote!(sb::server::Media::multipart(#m)),
                }
            });
            let accept = quote!(&[#(#accept),*]);
            let read = match chosen.kind() {
                PayloadKind::Json | PayloadKind::Form
                    if same.iter().all(|c| c.kind() == PayloadKind::Json) =>
                {
                    quote!(d.json_body(#accept)?)
                }
                PayloadKind::Json | PayloadKind::Form => quote!(d.typed_body(#accept)?),
                PayloadKind::Text => quote!(d.text_body(#accept)?),
                PayloadKind::Bytes => quote!(d.bytes_body(#accept)?),
                PayloadKind::Multipart => {
                    let (required, typed) = self.multipart_fields(chosen.node.as_ref());
                    let read = quote!(d.multipart_body(#accept, &[#(#required),*])?);
                    if typed.is_empty() {
                        read
                    } else {
                        // Parts of a scalar type must read as it.
                        quote!(match #read {
                            Some(body) => { #(#typed)* Some(body) }
                            None => None,
                        })
                    }
                }
            };
            fields.push(if body.required {
                quote!(body: sb::server::required(#read)?,)
            } else {
                quote!(body: #read,)
            });
        }
        let body_const = if reads_body {
            quote!(
                const BODY: bool = true;
            )
        } else {
            quote!()
        };
        let d = if fields.is_empty() {
            quote!(_d)
        } else {
            quote!(d)
        };
        quote! {
            impl sb::server::Input for #input {
                #body_const
                fn decode(#d: &mut sb::server::Decoder<'_>) -> Result<Self, sb::server::ApiError> {
                    Ok(Self { #(#fields)* })
                }
            }
        }
    }

    /// The field of parameter `p`, read from the request.
    fn param_read(&self, p: &Param) -> TokenStream {
        let f = param_ident(p);
        let wire = &p.wire;
        let ctor = format_ident!("{}", p.location.as_str());
        let (style, explode) = p.style();
        let array = match &p.node.ty {
            Ty::Array(item) => self.types.is_scalar(item),
            _ => false,
        };
        // How array items are written, when not as the location's constructor assumes.
        let runtime_style = match (p.location, style, explode) {
            (ParamIn::Query, Style::Form, true) => None,
            (ParamIn::Query, Style::SpaceDelimited, _) => Some(quote!(Space)),
            (ParamIn::Query, Style::PipeDelimited, _) => Some(quote!(Pipe)),
            (ParamIn::Query, _, _) => Some(quote!(Comma)),
            _ => None,
        };
        let mut param = quote!(sb::server::Param::#ctor(#wire));
        if let (true, Some(s)) = (array, runtime_style) {
            param = quote!(#param.style(sb::server::Style::#s));
        }
        let (one, opt) = if array {
            (quote!(many), quote!(opt_many))
        } else if self.types.is_scalar(&p.node) {
            (quote!(one), quote!(opt))
        } else {
            (quote!(json), quote!(opt_json))
        };
        let value = if p.required || p.location == ParamIn::Path {
            quote!(d.#one(&#param)?)
        } else if let Some(default) = self.types.default_expr(&p.node) {
            match (&p.node.ty, &p.node.default) {
                (Ty::Str(_), Some(serde_json::Value::String(s))) if s.is_empty() => {
                    quote!(d.#opt(&#param)?.unwrap_or_default())
                }
                (Ty::Str(_), _) => quote!(d.#opt(&#param)?.unwrap_or_else(|| #default)),
                _ => quote!(d.#opt(&#param)?.unwrap_or(#default)),
            }
        } else {
            debug_assert!(is_optional(&self.types, p));
            quote!(d.#opt(&#param)?)
        };
        quote!(#f: #value,)
    }

    /// The required parts of a multipart body, and the reads of its scalar parts.
    fn multipart_fields(&self, node: Option<&crate::ir::Node>) -> (Vec<String>, Vec<TokenStream>) {
        let Some(crate::ir::Node {
            ty: Ty::Named(id), ..
        }) = node
        else {
            return (Vec::new(), Vec::new());
        };
        let crate::ir::TypeKind::Struct(s) = &self.api.types.get(*id).kind else {
            return (Vec::new(), Vec::new());
        };
        let required = s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire.clone())
            .collect();
        let typed = s
            .fields
            .iter()
            .filter(|f| {
                matches!(f.node.ty, Ty::Bool | Ty::Int(_) | Ty::Float(_))
                    || matches!(
                        f.node.ty,
                        Ty::Str(
                            crate::ir::StrFormat::Uuid
                                | crate::ir::StrFormat::Date
                                | crate::ir::StrFormat::DateTime
                        )
                    )
            })
            .map(|f| {
                let t = self.types.base(&f.node);
                let wire = &f.wire;
                quote!(body.field::<#t>(#wire)?;)
            })
            .collect();
        (required, typed)
    }

    /// The response enum of `op`, its validation, and how each variant is sent.
    fn response(&self, op: &Operation, name: &syn::Ident, summary: &str) -> TokenStream {
        let doc = format!(" The responses of {summary}.");
        let variants: Vec<TokenStream> = op
            .variants
            .iter()
            .map(|v| declaration(&self.types, v, " The status code to send."))
            .collect();
        let arms = op.variants.iter().map(|v| self.respond_arm(v));
        let validate = self
            .types
            .validate_impl(name, self.response_checks(&op.variants));
        let froms = self.froms(name, &op.variants);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
            #froms
            #validate
            impl sb::server::Respond for #name {
                fn respond(self) -> sb::server::Response {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    }

    /// How variant `v` is sent.
    fn respond_arm(&self, v: &Variant) -> TokenStream {
        let n = ident(&v.name);
        let status = match v.status {
            Status::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote!(sb::server::code(#c))
            }
            Status::Range(r) => {
                let fallback = proc_macro2::Literal::u16_unsuffixed(u16::from(r) * 100);
                quote!(sb::server::code_or(status, #fallback))
            }
            Status::Default => quote!(sb::server::code(status)),
        };
        let encode = match &v.payload {
            None => quote!(sb::server::empty(#status)),
            Some(p) => match p.kind {
                PayloadKind::Json | PayloadKind::Form => quote!(sb::server::json(#status, &body)),
                PayloadKind::Text => quote!(sb::server::text(#status, body)),
                _ => {
                    let mt = &p.media_type;
                    quote!(sb::server::bytes(#status, #mt, body))
                }
            },
        };
        if v.is_unit() {
            return quote!(Self::#n => #encode,);
        }
        if v.is_tuple() {
            return quote!(Self::#n(body) => #encode,);
        }
        let status_bind = if matches!(v.status, Status::Code(_)) {
            quote!()
        } else {
            quote!(status,)
        };
        let body_bind = if v.payload.is_some() {
            quote!(body,)
        } else {
            quote!()
        };
        if v.headers.is_empty() {
            return quote!(Self::#n { #status_bind #body_bind } => #encode,);
        }
        let mut binds = Vec::new();
        let mut sets = Vec::new();
        for h in &v.headers {
            let f = ident(&h.name);
            binds.push(quote!(#f,));
            let wire = &h.wire;
            let text = |v: TokenStream| match &h.node.ty {
                _ if self.types.is_scalar(&h.node) => v,
                Ty::Array(item) if self.types.is_scalar(item) => quote!(sb::server::joined(&#v)),
                _ => quote!(sb::server::json_text(&#v)),
            };
            sets.push(if h.required {
                let value = text(quote!(#f));
                quote!(response = sb::server::header(response, #wire, #value);)
            } else {
                let value = text(quote!(v));
                quote! {
                    if let Some(v) = #f {
                        response = sb::server::header(response, #wire, #value);
                    }
                }
            });
        }
        quote! {
            Self::#n { #status_bind #body_bind #(#binds)* } => {
                let mut response = #encode;
                #(#sets)*
                response
            }
        }
    }

    /// `From` for the bodies only one tuple variant carries, and from the full model of a
    /// response view (what a handler stored).
    fn froms(&self, output: &syn::Ident, variants: &[Variant]) -> TokenStream {
        let items = variants.iter().filter(|v| v.is_tuple()).filter_map(|v| {
            let p = v.payload.as_ref()?;
            let unique = variants
                .iter()
                .filter(|w| w.payload.as_ref().is_some_and(|q| same_type(q, p)))
                .count()
                == 1;
            if !unique {
                return None;
            }
            let n = ident(&v.name);
            let t = payload_type(&self.types, p);
            let wrap = |e: TokenStream| if v.boxed { quote!(Box::new(#e)) } else { e };
            let body = wrap(quote!(body));
            let full = match p.node.as_ref().map(|n| &n.ty) {
                Some(Ty::Named(id)) => self
                    .api
                    .types
                    .get(*id)
                    .view
                    .filter(|w| w.side == Side::Response),
                _ => None,
            };
            let from_full = full.map(|w| {
                let f = ident(&self.api.types.get(w.of).name);
                let body = wrap(quote!(sb::IntoView::into_view(body)));
                quote! {
                    impl From<super::types::#f> for #output {
                        fn from(body: super::types::#f) -> Self { Self::#n(#body) }
                    }
                }
            });
            Some(quote! {
                impl From<#t> for #output {
                    fn from(body: #t) -> Self { Self::#n(#body) }
                }
                #from_full
            })
        });
        quote!(#(#items)*)
    }

    /// The checks of the typed bodies of `variants`, at `/body`.
    fn response_checks(&self, variants: &[Variant]) -> TokenStream {
        response_checks(&self.types, variants, quote!(self))
    }

    /// `const SECURITY`: the alternatives of requirements.
    fn security(&self, op: &Operation) -> TokenStream {
        if op.security.is_empty() {
            return quote!();
        }
        let alternatives = op.security.iter().map(|alt| {
            let reqs = alt.iter().map(|r| {
                let scheme = self.api.security_schemes.iter().find(|s| s.name == r.scheme);
                let name = &r.scheme;
                let req = match scheme.map(|s| &s.kind) {
                    Some(SchemeKind::ApiKey { location, param }) => {
                        let loc = match location {
                            ParamIn::Query => quote!(Query),
                            ParamIn::Cookie => quote!(Cookie),
                            _ => quote!(Header),
                        };
                        quote!(sb::server::auth::Requirement::api_key(#name, sb::server::auth::KeyIn::#loc, #param))
                    }
                    Some(SchemeKind::Basic) => quote!(sb::server::auth::Requirement::basic(#name)),
                    Some(SchemeKind::Bearer) => quote!(sb::server::auth::Requirement::bearer(#name)),
                    Some(SchemeKind::Unsupported(_)) | None => {
                        quote!(sb::server::auth::Requirement::unsupported(#name))
                    }
                };
                let scopes = &r.scopes;
                if scopes.is_empty() {
                    req
                } else {
                    quote!(#req.scopes(&[#(#scopes),*]))
                }
            });
            quote!(&[#(#reqs),*])
        });
        quote!(const SECURITY: &'static [&'static [sb::server::auth::Requirement]] = &[#(#alternatives),*];)
    }

    /// The worker of the `x-async` operations and their job routes.
    fn jobs(&self, jobs: &[(String, syn::Ident)]) -> (TokenStream, TokenStream) {
        if jobs.is_empty() {
            return (quote!(), quote!());
        }
        let arms = jobs
            .iter()
            .map(|(id, marker)| quote!(#id => sb::server::run_job::<#marker>(shared, job),));
        let path = format!("{}/jobs/{{jobId}}", self.api.base_path);
        (
            quote! {
                /// A worker running the jobs of the `x-async` operations from `jobs`, with `state`
                /// and `config` as the server has them (spawn it, or run it in a process of its
                /// own).
                pub fn worker(state: State, config: sb::server::Config, jobs: sb::jobs::Jobs) -> sb::jobs::Worker {
                    let shared = sb::server::Shared { state, config: ::std::sync::Arc::new(config) };
                    let format = shared.clone();
                    sb::jobs::Worker::new(
                        jobs,
                        ::std::sync::Arc::new(move |job: sb::jobs::Job| -> sb::jobs::JobFuture {
                            let shared = shared.clone();
                            match job.operation.as_str() {
                                #(#arms)*
                                _ => sb::jobs::unknown_operation(&shared, &job),
                            }
                        }),
                        ::std::sync::Arc::new(move |e| format.error(e)),
                    )
                }
            },
            quote! {
                .route(#path, sb::routing::get(sb::jobs::status_route::<State>).delete(sb::jobs::cancel_route::<State>))
            },
        )
    }
}

/// The routes of a server: per route, in spec order, its methods and their handlers and
/// decorators.
type Routes = Vec<(String, Vec<(Method, TokenStream, Option<String>)>)>;

/// Adds a method to the route, keeping routes in spec order; a second operation of one
/// method on one route (their templates differed only in a query string, which `check`
/// reports) is left out. Whether it was added.
fn add_route(
    routes: &mut Routes,
    route: String,
    method: Method,
    handler: TokenStream,
    decorate: Option<String>,
) -> bool {
    match routes.iter_mut().find(|(r, _)| *r == route) {
        Some((_, methods)) if methods.iter().any(|(m, ..)| *m == method) => false,
        Some((_, methods)) => {
            methods.push((method, handler, decorate));
            true
        }
        None => {
            routes.push((route, vec![(method, handler, decorate)]));
            true
        }
    }
}

/// The server's type for a body whose type differs by side.
fn server_body(k: PayloadKind) -> TokenStream {
    match k {
        PayloadKind::Multipart => quote!(sb::server::decode::Multipart),
        _ => quote!(Vec<u8>),
    }
}

/// Whether two payloads have one Rust type.
pub(super) fn same_type(a: &crate::ir::http::Payload, b: &crate::ir::http::Payload) -> bool {
    match (a.kind.is_typed(), b.kind.is_typed()) {
        (true, true) => a.node == b.node,
        (false, false) => a.kind == b.kind,
        _ => false,
    }
}

/// The Rust type of a response payload.
pub(super) fn payload_type(types: &Types<'_>, p: &crate::ir::http::Payload) -> TokenStream {
    match p.kind {
        PayloadKind::Json | PayloadKind::Form => match &p.node {
            Some(n) => types.value(n),
            None => quote!(sb::Value),
        },
        PayloadKind::Text => types.string(),
        _ => quote!(Vec<u8>),
    }
}

/// The variant in its enum: unit, a tuple of the body, or fields for a status that is not
/// exact (documented as `status_doc`), the body and the headers.
pub(super) fn declaration(types: &Types<'_>, v: &Variant, status_doc: &str) -> TokenStream {
    let n = ident(&v.name);
    let doc = if v.summary.is_empty() {
        format!(" {}.", v.status_text())
    } else {
        format!(" {}: {}", v.status_text(), v.summary.replace('`', "'"))
    };
    let body_ty = v.payload.as_ref().map(|p| {
        let t = payload_type(types, p);
        if v.boxed { quote!(Box<#t>) } else { t }
    });
    if v.is_unit() {
        return quote!(#[doc = #doc] #n,);
    }
    if let (true, Some(t)) = (v.is_tuple(), &body_ty) {
        return quote!(#[doc = #doc] #n(#t),);
    }
    let status = if matches!(v.status, Status::Code(_)) {
        quote!()
    } else {
        quote!(#[doc = #status_doc] status: u16,)
    };
    let body = match &body_ty {
        Some(t) => quote!(#[doc = " The body."] body: #t,),
        None => quote!(),
    };
    let headers = v.headers.iter().map(|h| {
        let d = format!(" The `{}` header.", h.wire);
        let f = ident(&h.name);
        let t = types.base(&h.node);
        if h.required {
            quote!(#[doc = #d] #f: #t,)
        } else {
            quote!(#[doc = #d] #f: Option<#t>,)
        }
    });
    quote!(#[doc = #doc] #n { #status #body #(#headers)* },)
}

/// The checks of the typed bodies of `variants` of an enum held in `value`, at `/body`.
pub(super) fn response_checks(
    types: &Types<'_>,
    variants: &[Variant],
    value: TokenStream,
) -> TokenStream {
    let mut arms = Vec::new();
    for v in variants {
        let Some(node) = v
            .payload
            .as_ref()
            .filter(|p| p.kind.is_typed())
            .and_then(|p| p.node.as_ref())
        else {
            continue;
        };
        let b = types.checks_of(
            node,
            &Place::bound(quote!(body)),
            &Loc::at(quote!(path.field("body"))),
            false,
            types.nullable(node),
        );
        if b.is_empty() {
            continue;
        }
        let n = ident(&v.name);
        let pat = if v.is_tuple() {
            quote!(Self::#n(body))
        } else {
            quote!(Self::#n { body, .. })
        };
        arms.push((pat, b));
    }
    match arms.len() {
        0 => quote!(),
        1 if variants.len() > 1 => {
            let (pat, body) = &arms[0];
            quote!(if let #pat = #value { #body })
        }
        n => {
            let arms = arms.iter().map(|(pat, body)| quote!(#pat => { #body }));
            if n == variants.len() {
                quote!(match #value { #(#arms)* })
            } else {
                quote!(match #value { #(#arms)* _ => {} })
            }
        }
    }
}
