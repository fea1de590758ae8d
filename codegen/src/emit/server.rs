//! The axum server: per bound operation an input type, a response enum and a route that
//! decodes, validates, calls the bound function and encodes; `router(state)` assembles them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::shape::{HeaderText, Kind, Shapes, Variant, kind};
use super::types::Types;
use crate::ident::{self, Namespace};
use crate::ir::{
    Api, Doc, Node, Operation, Param, ParamIn, SchemeKind, Side, Status, StrFormat, Ty,
};

pub(crate) struct Server<'a> {
    api: &'a Api,
    types: Types<'a>,
    not_implemented: bool,
}

/// One method of a path: its route function and its decorator.
struct Route {
    method: String,
    handler: syn::Ident,
    decorate: Option<String>,
}

/// Adds `route` to the methods of `path`, keeping paths in spec order.
fn add_route(routes: &mut Vec<(String, Vec<Route>)>, path: &str, route: Route) {
    match routes.iter_mut().find(|(p, _)| p == path) {
        // Two operations on one route and method (their templates differed only in a query
        // string, which `check` reports): the first is routed.
        Some((_, methods)) if methods.iter().any(|m| m.method == route.method) => {}
        Some((_, methods)) => methods.push(route),
        None => routes.push((path.to_owned(), vec![route])),
    }
}

impl Shapes for Server<'_> {
    fn api(&self) -> &Api {
        self.api
    }

    fn types(&self) -> &Types<'_> {
        &self.types
    }

    fn payload(&self, node: Option<&Node>, k: Kind) -> TokenStream {
        match (k, node) {
            (Kind::Json | Kind::Form, Some(n)) => self.types.value(n),
            (Kind::Json | Kind::Form, None) => quote!(::specbind::__private::serde_json::Value),
            (Kind::Text, _) => self.types.string(),
            (Kind::Multipart, _) => quote!(::specbind::server::decode::Multipart),
            (Kind::Bytes, _) => quote!(::std::vec::Vec<u8>),
        }
    }
}

impl<'a> Server<'a> {
    pub(crate) fn new(api: &'a Api, opts: &crate::Options) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
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
        let bound: Vec<&Operation> = self
            .api
            .operations
            .iter()
            .filter(|o| o.bind_server.is_some() && crate::ir::routable(&o.path))
            .collect();
        let mut names = Namespace::default();
        let mut items = Vec::new();
        let mut routes: Vec<(String, Vec<Route>)> = Vec::new();
        for op in &bound {
            let (input, _) = names.claim(format!("{}Input", op.type_name));
            let (output, _) = names.claim(format!("{}Response", op.type_name));
            let route_fn = format_ident!("route_{}", ident::unraw(&op.name));
            items.push(self.operation(
                op,
                &format_ident!("{}", input),
                &format_ident!("{}", output),
                &route_fn,
            ));
            add_route(
                &mut routes,
                &op.path,
                Route {
                    method: op.method.clone(),
                    handler: route_fn,
                    decorate: op.decorate_server.clone(),
                },
            );
        }
        if self.not_implemented {
            for op in self
                .api
                .operations
                .iter()
                .filter(|o| o.bind_server.is_none() && crate::ir::routable(&o.path))
            {
                add_route(
                    &mut routes,
                    &op.path,
                    Route {
                        method: op.method.clone(),
                        handler: format_ident!("not_implemented"),
                        decorate: None,
                    },
                );
            }
        }
        let not_implemented_fn = if self.not_implemented
            && self
                .api
                .operations
                .iter()
                .any(|o| o.bind_server.is_none() && crate::ir::routable(&o.path))
        {
            quote! {
                /// Operations without `x-bind-server` answer 501.
                async fn not_implemented() -> ::specbind::server::ApiError {
                    ::specbind::server::ApiError::new(
                        ::specbind::__private::axum::http::StatusCode::NOT_IMPLEMENTED,
                        "not_implemented",
                        "this operation is in the spec but not bound to a function",
                    )
                }
            }
        } else {
            quote!()
        };
        let route_calls = routes.iter().map(|(path, methods)| {
            let mut method_router = TokenStream::new();
            for (i, route) in methods.iter().enumerate() {
                let m = format_ident!("{}", route.method);
                let f = &route.handler;
                let mut one = quote!(::specbind::__private::axum::routing::#m(#f));
                if let Some(d) = &route.decorate {
                    let d: syn::Path =
                        syn::parse_str(d).unwrap_or_else(|_| syn::parse_quote!(invalid));
                    one = quote!(#one.layer(#d()));
                }
                method_router = if i == 0 {
                    one
                } else {
                    quote!(#method_router.merge(#one))
                };
            }
            let full = format!("{}{path}", self.api.base_path);
            quote!(.route(#full, #method_router))
        });
        let async_ops: Vec<&&Operation> = bound.iter().filter(|o| o.is_async).collect();
        let (worker_fn, job_routes) = if async_ops.is_empty() {
            (quote!(), quote!())
        } else {
            let arms = async_ops.iter().map(|op| {
                let name = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
                let run = format_ident!("run_{}", ident::unraw(&op.name));
                quote!(#name => #run(shared, job),)
            });
            let jobs_path = format!("{}/jobs/{{jobId}}", self.api.base_path);
            (
                quote! {
                    /// A worker running the jobs of the `x-async` operations from `jobs`, with
                    /// `state` and `config` as the server has them (spawn it, or run it in a
                    /// process of its own).
                    pub fn worker(state: State, config: ::specbind::server::Config, jobs: ::specbind::jobs::Jobs) -> ::specbind::jobs::Worker {
                        let shared = ::specbind::server::Shared { state, config: ::std::sync::Arc::new(config) };
                        let format = shared.clone();
                        ::specbind::jobs::Worker::new(
                            jobs,
                            ::std::sync::Arc::new(move |job: ::specbind::jobs::Job| -> ::specbind::jobs::JobFuture {
                                let shared = shared.clone();
                                match job.operation.as_str() {
                                    #(#arms)*
                                    _ => ::specbind::jobs::unknown_operation(&shared, &job),
                                }
                            }),
                            ::std::sync::Arc::new(move |e| format.error(e)),
                        )
                    }
                },
                quote! {
                    .route(#jobs_path, ::specbind::__private::axum::routing::get(::specbind::jobs::status_route::<State>).delete(::specbind::jobs::cancel_route::<State>))
                },
            )
        };
        let spec_json = &self.api.spec_json;
        let api_name = &self.api.name;
        let spec_text = &self.api.spec_text;
        let title = &self.api.title;
        let router_doc = format!(
            " The router of {title}: every operation with `x-bind-server`, the spec at `/openapi.json`, JSON errors."
        );
        quote! {
            /// The application state bound functions receive in their [`Call`](::specbind::server::Call).
            pub type State = #state;

            #(#items)*
            #not_implemented_fn
            #worker_fn

            #[doc = #router_doc]
            pub fn router(state: State) -> ::specbind::__private::axum::Router {
                router_with(state, ::specbind::server::Config::default())
            }

            /// [`router`] with limits, switches and an error formatter.
            pub fn router_with(state: State, config: ::specbind::server::Config) -> ::specbind::__private::axum::Router {
                let shared = ::specbind::server::Shared { state, config: ::std::sync::Arc::new(config) };
                let config = ::std::sync::Arc::clone(&shared.config);
                let routes = ::specbind::__private::axum::Router::new()
                    #(#route_calls)*
                    #job_routes
                    .with_state(shared);
                ::specbind::server::finish(routes, &config, API_NAME, SPEC_JSON, SPEC)
            }

            /// The name this server appends to the call path (`x-api-name`, or the spec's file
            /// name); `Config::api_name` replaces it.
            pub const API_NAME: &str = #api_name;
            /// The spec this server was generated from, as written (served at `/openapi.yaml`).
            pub const SPEC: &str = #spec_text;
            /// The spec as JSON (served at `/openapi.json`).
            pub const SPEC_JSON: &str = #spec_json;
        }
    }

    /// The expression reading parameter `p`, of the field's type.
    fn param_read(&self, p: &Param) -> TokenStream {
        let wire = &p.wire;
        let default = self.types.default_expr(&p.node);
        let scalar = |n: &Node| self.is_scalar(n);
        let explode = p
            .explode
            .unwrap_or(matches!(p.style.as_deref(), None | Some("form")));
        let style = match &p.style {
            Some(s) => quote!(::std::option::Option::Some(#s)),
            None => quote!(::std::option::Option::None),
        };
        let optional = match (p.location, &p.node.ty) {
            (ParamIn::Path, Ty::Array(item)) if scalar(item) => {
                quote!(::std::option::Option::Some(path_.array(#wire)?))
            }
            (ParamIn::Path, _) if scalar(&p.node) => {
                quote!(::std::option::Option::Some(path_.get(#wire)?))
            }
            (ParamIn::Path, _) => quote!(::std::option::Option::Some(path_.loose(#wire)?)),
            (ParamIn::Query, Ty::Array(item)) if scalar(item) => {
                quote!(query_.array(#wire, #explode, #style)?)
            }
            (ParamIn::Query, _) if scalar(&p.node) => quote!(query_.optional(#wire)?),
            (ParamIn::Query, _) => quote!(query_.loose(#wire)?),
            (ParamIn::Header, _) if scalar(&p.node) => {
                quote!(::specbind::server::decode::header(&parts_.headers, #wire)?)
            }
            (ParamIn::Header, _) => {
                quote!(::specbind::server::decode::header_loose(&parts_.headers, #wire)?)
            }
            (ParamIn::Cookie, _) if scalar(&p.node) => quote!(cookies_.optional(#wire)?),
            (ParamIn::Cookie, _) => quote!(cookies_.loose(#wire)?),
        };
        let loc = p.location.as_str();
        if p.required {
            let msg = format!("{loc} parameter `{wire}` is required");
            let field = format!("/{loc}/{wire}");
            quote!(match #optional { ::std::option::Option::Some(v) => v, ::std::option::Option::None => return ::std::result::Result::Err(::specbind::server::ApiError::bad_request(#field, #msg)) })
        } else if let Some(d) = default {
            // Literals are cheap; a `String` default is built only when needed.
            if d.to_string().replace(' ', "").ends_with("String::new()") {
                quote!(#optional.unwrap_or_default())
            } else if matches!(p.node.ty, Ty::Str(_)) {
                quote!(#optional.unwrap_or_else(|| #d))
            } else {
                quote!(#optional.unwrap_or(#d))
            }
        } else {
            optional
        }
    }

    fn operation(
        &self,
        op: &Operation,
        input: &syn::Ident,
        output: &syn::Ident,
        route_fn: &syn::Ident,
    ) -> TokenStream {
        let summary = format!(
            "`{}`: {} {}",
            op.operation_id.as_deref().unwrap_or(&op.name),
            op.method.to_uppercase(),
            op.path
        );
        let input_doc = format!(" The input of {summary}.");
        let output_doc = format!(" The responses of {summary}.");
        // Input fields.
        let mut fields = Vec::new();
        let mut reads = Vec::new();
        let mut checks = Vec::new();
        let mut field_names = Vec::new();
        let needs_path = op.params.iter().any(|p| p.location == ParamIn::Path);
        let needs_query = op.params.iter().any(|p| p.location == ParamIn::Query);
        let needs_cookies = op.params.iter().any(|p| p.location == ParamIn::Cookie);
        for p in &op.params {
            let (name, ty, doc) = self.param_field(p);
            let read = self.param_read(p);
            let required = p.required || self.types.default_expr(&p.node).is_some();
            checks.extend(self.param_check(p, &name, required));
            fields.push(quote!(#doc pub #name: #ty,));
            // A parameter called `foo` (or another of clippy's placeholder names) is read into
            // `foo_`: a local of that name is a `disallowed_names` lint in the user's crate.
            if matches!(name.to_string().as_str(), "foo" | "baz" | "quux") {
                let local = format_ident!("{}_", name);
                reads.push(quote!(let #local = #read;));
                field_names.push(quote!(#name: #local));
            } else {
                reads.push(quote!(let #name = #read;));
                field_names.push(quote!(#name));
            }
        }
        // Body: the first JSON (or form, text, bytes) payload decides the field's type; every
        // declared media type is accepted.
        let mut body_read = quote!();
        if let Some(body) = &op.body {
            let first = body
                .content
                .iter()
                .find(|c| kind(c) == Kind::Json)
                .or_else(|| body.content.first());
            if let Some(first) = first {
                let k = kind(first);
                let payload = self.payload(first.node.as_ref(), k);
                let accepted: Vec<&str> =
                    body.content.iter().map(|c| c.media_type.as_str()).collect();
                let decode_arms = body.content.iter().filter_map(|c| {
                    let mt = &c.media_type;
                    let same_type = self.payload(c.node.as_ref(), kind(c)).to_string() == payload.to_string();
                    let decode = match (kind(c), same_type) {
                        (Kind::Json, true) => quote!(::specbind::server::decode::json(&bytes_)?),
                        (Kind::Form, true) => quote!(::specbind::server::decode::form(&bytes_)?),
                        (Kind::Text, true) => quote!(::specbind::server::decode::text(bytes_)?),
                        (Kind::Bytes, true) => quote!(bytes_.to_vec()),
                        (Kind::Multipart, true) => {
                            let required = self.required_fields(c.node.as_ref());
                            let typed = self.typed_parts(c.node.as_ref());
                            let read = quote!(::specbind::server::decode::multipart(&parts_.headers, bytes_, &[#(#required),*]).await?);
                            if typed.is_empty() {
                                read
                            } else {
                                quote!({
                                    let form_ = #read;
                                    #(#typed)*
                                    form_
                                })
                            }
                        }
                        _ => return None,
                    };
                    Some(quote!(::std::option::Option::Some(m) if ::specbind::server::decode::accepts(#mt, m) => #decode,))
                }).collect::<Vec<_>>();
                let name = format_ident!("body");
                let doc = doc_attrs(&Doc::default(), "The request body.");
                let read = quote! {
                    let bytes_ = ::specbind::server::decode::read(body_, config_.body_limit).await?;
                    let media_ = ::specbind::server::decode::media_type(&parts_.headers);
                    let body = if bytes_.is_empty() && media_.is_none() {
                        ::std::option::Option::None
                    } else {
                        ::std::option::Option::Some(match media_.as_deref() {
                            #(#decode_arms)*
                            other => return ::std::result::Result::Err(::specbind::server::decode::unsupported(other, &[#(#accepted),*])),
                        })
                    };
                };
                if body.required {
                    fields.push(quote!(#doc pub body: #payload,));
                    body_read = quote! {
                        #read
                        let ::std::option::Option::Some(body) = body else {
                            return ::std::result::Result::Err(::specbind::server::decode::missing_body());
                        };
                    };
                    if let (Kind::Json | Kind::Form, Some(n)) = (k, &first.node) {
                        checks.extend(self.body_check(n, true));
                    }
                } else {
                    let opt = self.types.option(payload);
                    fields.push(quote!(#doc pub body: #opt,));
                    body_read = read;
                    if let (Kind::Json | Kind::Form, Some(n)) = (k, &first.node) {
                        checks.extend(self.body_check(n, false));
                    }
                }
                field_names.push(quote!(#name));
            }
        }
        let path_read = if needs_path {
            quote!(let path_ = ::specbind::server::decode::PathParams::extract(parts_).await?;)
        } else {
            quote!()
        };
        let query_read = if needs_query {
            quote!(let query_ = ::specbind::server::decode::QueryParams::parse(parts_.uri.query());)
        } else {
            quote!()
        };
        let cookie_read = if needs_cookies {
            quote!(let cookies_ = ::specbind::server::decode::Cookies::parse(&parts_.headers);)
        } else {
            quote!()
        };
        let body_param = if op.body.is_some() {
            quote!(body_)
        } else {
            quote!(_body_)
        };
        let config_param = if op.body.is_some() {
            quote!(config_)
        } else {
            quote!(_config_)
        };
        let parts_param = if op.params.iter().any(|p| p.location != ParamIn::Path)
            || op.body.is_some()
            || needs_path
        {
            quote!(parts_)
        } else {
            quote!(_parts_)
        };
        let validate = self.types.validate_impl(input, quote!(#(#checks)*));
        let decode = quote! {
            impl #input {
                async fn decode(
                    #parts_param: &mut ::specbind::__private::axum::http::request::Parts,
                    #body_param: ::specbind::__private::axum::body::Body,
                    #config_param: &::specbind::server::Config,
                ) -> ::std::result::Result<Self, ::specbind::server::ApiError> {
                    #path_read
                    #query_read
                    #cookie_read
                    #(#reads)*
                    #body_read
                    let input_ = Self { #(#field_names),* };
                    ::specbind::__private::Validate::validate(&input_).map_err(::specbind::server::ApiError::validation)?;
                    ::std::result::Result::Ok(input_)
                }
            }
        };
        // Responses.
        let mut variants = self.variants(op);
        self.box_large_bodies(&mut variants);
        let enum_variants = variants
            .iter()
            .map(|v| v.declaration(" The status code to send."));
        let arms = variants.iter().map(|v| {
            let n = &v.name;
            let status = match v.status {
                Status::Code(c) => quote!(::specbind::server::status(#c, ::specbind::__private::axum::http::StatusCode::OK)),
                Status::Range(r) => {
                    let fallback = u16::from(r) * 100;
                    quote!(::specbind::server::status(status, ::specbind::server::status(#fallback, ::specbind::__private::axum::http::StatusCode::INTERNAL_SERVER_ERROR)))
                }
                Status::Default => quote!(::specbind::server::status(status, ::specbind::__private::axum::http::StatusCode::INTERNAL_SERVER_ERROR)),
            };
            let encode = match &v.body {
                None => quote!(::specbind::server::empty(#status)),
                Some((Kind::Json | Kind::Form, _, _)) => quote!(::specbind::server::json(#status, &body)),
                Some((Kind::Text, _, _)) => quote!(::specbind::server::text(#status, body)),
                Some((Kind::Bytes | Kind::Multipart, _, mt)) => quote!(::specbind::server::bytes(#status, #mt, body)),
            };
            if v.is_unit() {
                quote!(Self::#n => #encode,)
            } else if v.is_tuple() {
                quote!(Self::#n(body) => #encode,)
            } else {
                let status_bind = if matches!(v.status, Status::Code(_)) { quote!() } else { quote!(status,) };
                let body_bind = if v.body.is_some() { quote!(body,) } else { quote!() };
                let header_binds = v.headers.iter().map(|(f, ..)| quote!(#f,));
                let sets = v.headers.iter().map(|(f, wire, _, required, text)| {
                    let lower = wire.to_ascii_lowercase();
                    let value = match text {
                        HeaderText::Plain => quote!(v),
                        HeaderText::Joined => quote!(v.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(",")),
                        HeaderText::Json => quote!(::specbind::__private::serde_json::to_string(&v).unwrap_or_default()),
                    };
                    if *required {
                        quote!({ let v = #f; ::specbind::server::set_header(response.headers_mut(), #lower, #value); })
                    } else {
                        quote!(if let ::std::option::Option::Some(v) = #f { ::specbind::server::set_header(response.headers_mut(), #lower, #value); })
                    }
                });
                if v.headers.is_empty() {
                    quote!(Self::#n { #status_bind #body_bind } => #encode,)
                } else {
                    quote!(Self::#n { #status_bind #body_bind #(#header_binds)* } => {
                        let mut response = #encode;
                        #(#sets)*
                        response
                    })
                }
            }
        });
        // `From` for bodies that only one tuple variant carries.
        let froms = variants.iter().filter(|v| v.is_tuple()).filter_map(|v| {
            let (_, boxed, _) = v.body.as_ref()?;
            let t = v.unboxed.as_ref().unwrap_or(boxed);
            let unique = variants
                .iter()
                .filter(|w| {
                    w.body.as_ref().is_some_and(|(_, u, _)| {
                        w.unboxed.as_ref().unwrap_or(u).to_string() == t.to_string()
                    })
                })
                .count()
                == 1;
            let n = &v.name;
            let wrap = if v.unboxed.is_some() {
                quote!(::std::boxed::Box::new(body))
            } else {
                quote!(body)
            };
            // A response view is also made from its full model, so a handler can answer with
            // the model it stored.
            let full = match v.node.as_ref().map(|n| &n.ty) {
                Some(Ty::Named(id)) => self
                    .api
                    .types
                    .get(*id)
                    .view
                    .filter(|w| w.side == Side::Response),
                _ => None,
            };
            let from_full = full.map(|w| {
                let f = super::types::ident(&self.api.types.get(w.of).name);
                let wrap = if v.unboxed.is_some() {
                    quote!(::std::boxed::Box::new(
                        ::specbind::__private::IntoView::into_view(body)
                    ))
                } else {
                    quote!(::specbind::__private::IntoView::into_view(body))
                };
                quote! {
                    impl ::std::convert::From<super::types::#f> for #output {
                        fn from(body: super::types::#f) -> Self { Self::#n(#wrap) }
                    }
                }
            });
            unique.then(|| {
                quote! {
                    impl ::std::convert::From<#t> for #output {
                        fn from(body: #t) -> Self { Self::#n(#wrap) }
                    }
                    #from_full
                }
            })
        });
        let handler: syn::Path = syn::parse_str(op.bind_server.as_deref().unwrap_or(""))
            .unwrap_or_else(|_| syn::parse_quote!(missing_handler));
        let op_name = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
        // Calling the bound function through this helper keeps a wrong signature or a future
        // that is not `Send` to one error that names the function.
        let bind_fn = format_ident!("bind_{}", route_fn.to_string().trim_start_matches("route_"));
        let bind_doc = format!(
            " Calls `{}`, whose future must be `Send` like axum's handlers.",
            op.bind_server.as_deref().unwrap_or_default()
        );
        let (authorize, identity) = self.security(op);
        let response_validate = self.response_validate(output, &variants);
        let doc = doc_attrs(&op.doc, &summary);
        let route = if op.is_async {
            self.async_route(
                &doc,
                route_fn,
                input,
                &op_name,
                (&authorize, &identity),
                &bind_fn,
                &handler,
            )
        } else {
            self.sync_route(
                &doc,
                route_fn,
                input,
                output,
                &op_name,
                (&authorize, &identity),
                &bind_fn,
                &handler,
            )
        };
        let input_fields_doc = quote!(#[doc = #input_doc]);
        quote! {
            #input_fields_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #input {
                #(#fields)*
            }
            #decode
            #validate

            #[doc = #output_doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #output {
                #(#enum_variants)*
            }
            #(#froms)*
            #response_validate
            impl ::specbind::__private::axum::response::IntoResponse for #output {
                fn into_response(self) -> ::specbind::__private::axum::response::Response {
                    match self {
                        #(#arms)*
                    }
                }
            }

            #[doc = #bind_doc]
            fn #bind_fn<F, Fut>(f: F, call: ::specbind::server::Call<State>, input: #input) -> Fut
            where
                F: ::std::ops::FnOnce(::specbind::server::Call<State>, #input) -> Fut,
                Fut: ::std::marker::Send,
            {
                f(call, input)
            }

            #route
        }
    }

    /// The route of a synchronous operation: decode, call the bound function, answer.
    #[allow(clippy::too_many_arguments)]
    fn sync_route(
        &self,
        doc: &TokenStream,
        route_fn: &syn::Ident,
        input: &syn::Ident,
        output: &syn::Ident,
        op_name: &str,
        (authorize, identity): (&TokenStream, &TokenStream),
        bind_fn: &syn::Ident,
        handler: &syn::Path,
    ) -> TokenStream {
        quote! {
            #doc
            async fn #route_fn(
                ::specbind::__private::axum::extract::State(shared): ::specbind::__private::axum::extract::State<::specbind::server::Shared<State>>,
                request: ::specbind::__private::axum::extract::Request,
            ) -> ::specbind::__private::axum::response::Response {
                use ::specbind::__private::axum::response::IntoResponse as _;
                let (mut parts, body) = request.into_parts();
                #authorize
                let input = match #input::decode(&mut parts, body, &shared.config).await {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(e) => return e.into_response(),
                };
                let call = shared.call(&parts, #op_name, #identity);
                let result: ::std::result::Result<#output, ::specbind::server::HandlerError> = #bind_fn(#handler, call, input).await;
                match result {
                    ::std::result::Result::Ok(response) => {
                        if let ::std::result::Result::Err(e) = ::specbind::server::check_response(&shared.config, #op_name, &response) {
                            return e.into_response();
                        }
                        response.into_response()
                    }
                    ::std::result::Result::Err(e) => e.into_response(),
                }
            }
        }
    }

    /// The route of an `x-async` operation (decode, then store and queue a job: 202) and the
    /// function a worker runs the job with (decode the stored request again, call the bound
    /// function, answer).
    #[allow(clippy::too_many_arguments)]
    fn async_route(
        &self,
        doc: &TokenStream,
        route_fn: &syn::Ident,
        input: &syn::Ident,
        op_name: &str,
        (authorize, identity): (&TokenStream, &TokenStream),
        bind_fn: &syn::Ident,
        handler: &syn::Path,
    ) -> TokenStream {
        let run_fn = format_ident!("run_{}", route_fn.to_string().trim_start_matches("route_"));
        let jobs_prefix = format!("{}/jobs/", self.api.base_path);
        let run_doc = format!(" Runs a job of `{op_name}` (for [`worker`]).");
        quote! {
            #doc
            ///
            /// Served asynchronously (`x-async`): answers 202 with the job, and its status at
            /// `Location`.
            async fn #route_fn(
                ::specbind::__private::axum::extract::State(shared): ::specbind::__private::axum::extract::State<::specbind::server::Shared<State>>,
                request: ::specbind::__private::axum::extract::Request,
            ) -> ::specbind::__private::axum::response::Response {
                use ::specbind::__private::axum::response::IntoResponse as _;
                let (mut parts, body) = request.into_parts();
                #authorize
                let identity_: ::std::option::Option<::specbind::server::auth::Identity> = #identity;
                let body = match ::specbind::server::decode::read(body, shared.config.body_limit).await {
                    ::std::result::Result::Ok(body) => body,
                    ::std::result::Result::Err(e) => return e.into_response(),
                };
                if let ::std::result::Result::Err(e) = #input::decode(&mut parts, ::specbind::__private::axum::body::Body::from(body.clone()), &shared.config).await {
                    return e.into_response();
                }
                ::specbind::jobs::submit(&shared, #op_name, #jobs_prefix, &parts, &body, identity_.as_ref()).await
            }

            #[doc = #run_doc]
            fn #run_fn(shared: ::specbind::server::Shared<State>, job: ::specbind::jobs::Job) -> ::specbind::jobs::JobFuture {
                ::std::boxed::Box::pin(async move {
                    use ::specbind::__private::axum::response::IntoResponse as _;
                    let (mut parts, body) = match job.request.to_parts() {
                        ::std::result::Result::Ok(request) => request,
                        ::std::result::Result::Err(e) => return ::std::result::Result::Ok(shared.error(e)),
                    };
                    let input = match #input::decode(&mut parts, ::specbind::__private::axum::body::Body::from(body), &shared.config).await {
                        ::std::result::Result::Ok(input) => input,
                        ::std::result::Result::Err(e) => return ::std::result::Result::Ok(shared.error(e)),
                    };
                    let call = shared.job_call(&parts, #op_name, &job);
                    match #bind_fn(#handler, call, input).await {
                        ::std::result::Result::Ok(response) => {
                            if let ::std::result::Result::Err(e) = ::specbind::server::check_response(&shared.config, #op_name, &response) {
                                return ::std::result::Result::Ok(shared.error(e));
                            }
                            ::std::result::Result::Ok(response.into_response())
                        }
                        ::std::result::Result::Err(e) => ::std::result::Result::Err(shared.error(e)),
                    }
                })
            }
        }
    }

    /// The authorization step of a route and the identity expression it binds.
    fn security(&self, op: &Operation) -> (TokenStream, TokenStream) {
        if op.security.is_empty() {
            return (quote!(), quote!(::std::option::Option::None));
        }
        let mut alternatives = Vec::new();
        for alt in &op.security {
            let mut reqs = Vec::new();
            let mut supported = true;
            for r in alt {
                let Some(scheme) = self
                    .api
                    .security_schemes
                    .iter()
                    .find(|s| s.name == r.scheme)
                else {
                    supported = false;
                    continue;
                };
                let name = &scheme.name;
                let scheme = match &scheme.kind {
                    SchemeKind::ApiKey { location, param } => {
                        let loc = match location {
                            ParamIn::Query => quote!(Query),
                            ParamIn::Cookie => quote!(Cookie),
                            _ => quote!(Header),
                        };
                        quote!(::specbind::server::auth::Scheme::ApiKey { name: #name, location: ::specbind::server::auth::KeyIn::#loc, param: #param })
                    }
                    SchemeKind::Basic => {
                        quote!(::specbind::server::auth::Scheme::Basic { name: #name })
                    }
                    SchemeKind::Bearer => {
                        quote!(::specbind::server::auth::Scheme::Bearer { name: #name })
                    }
                    SchemeKind::Unsupported(_) => {
                        supported = false;
                        continue;
                    }
                };
                let scopes = &r.scopes;
                reqs.push(quote!(::specbind::server::auth::Requirement { scheme: #scheme, scopes: &[#(#scopes),*] }));
            }
            // An alternative with a scheme the server cannot check can never be met.
            if supported {
                alternatives.push(quote!(&[#(#reqs),*]));
            }
        }
        if alternatives.is_empty() {
            let check = quote! {
                return ::specbind::server::ApiError::new(
                    ::specbind::__private::axum::http::StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this operation's security schemes are not supported by the server",
                ).into_response();
            };
            return (check, quote!(::std::option::Option::None));
        }
        let check = quote! {
            static SECURITY: &[&[::specbind::server::auth::Requirement]] = &[#(#alternatives),*];
            let identity = match ::specbind::server::auth::authorize(&parts, &shared.config, SECURITY).await {
                ::std::result::Result::Ok(identity) => identity,
                ::std::result::Result::Err(e) => return e.into_response(),
            };
        };
        (check, quote!(identity))
    }

    /// `Validate` for a response enum: its bodies, at `/body`.
    fn response_validate(&self, output: &syn::Ident, variants: &[Variant]) -> TokenStream {
        let mut arms = Vec::new();
        for v in variants {
            let Some((Kind::Json | Kind::Form, _, _)) = &v.body else {
                continue;
            };
            let Some(node) = &v.node else { continue };
            let b = self.types.node_checks(node, &quote!(body), 1);
            if b.is_empty() {
                continue;
            }
            let n = &v.name;
            let pat = if v.is_tuple() {
                quote!(Self::#n(body))
            } else {
                quote!(Self::#n { body, .. })
            };
            arms.push((pat, quote!({ let p = path.field("body"); #b })));
        }
        let body = match arms.len() {
            0 => quote!(),
            1 if variants.len() > 1 => {
                let (pat, body) = &arms[0];
                quote!(if let #pat = self #body)
            }
            n => {
                let arms = arms.iter().map(|(pat, body)| quote!(#pat => #body));
                if n == variants.len() {
                    quote!(match self { #(#arms)* })
                } else {
                    quote!(match self { #(#arms)* _ => {} })
                }
            }
        };
        self.types.validate_impl(output, body)
    }

    /// Checks that the scalar fields of a multipart body read as their schema's types.
    fn typed_parts(&self, node: Option<&Node>) -> Vec<TokenStream> {
        let Some(Node {
            ty: Ty::Named(id), ..
        }) = node
        else {
            return Vec::new();
        };
        let crate::ir::TypeKind::Struct(s) = &self.api.types.get(*id).kind else {
            return Vec::new();
        };
        s.fields
            .iter()
            .filter(|f| {
                matches!(
                    f.node.ty,
                    Ty::Bool
                        | Ty::Int(_)
                        | Ty::Float(_)
                        | Ty::Str(StrFormat::Uuid | StrFormat::Date | StrFormat::DateTime)
                )
            })
            .map(|f| {
                let t = self.types.base(&f.node);
                let wire = &f.wire;
                quote!(form_.field::<#t>(#wire)?;)
            })
            .collect()
    }

    /// Wire names of the required properties of an object body.
    fn required_fields(&self, node: Option<&Node>) -> Vec<String> {
        let Some(Node {
            ty: Ty::Named(id), ..
        }) = node
        else {
            return Vec::new();
        };
        match &self.api.types.get(*id).kind {
            crate::ir::TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.wire.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}
