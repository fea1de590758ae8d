//! The reqwest client: one `Client` per spec and, per operation with `x-bind-client`, a call
//! type holding the typed inputs, which encodes the request, decodes the declared responses
//! and validates both against the spec.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::shape::{Kind, Shapes, Variant, kind};
use super::types::Types;
use crate::ident::{self, Namespace};
use crate::ir::{Api, Doc, Node, Operation, ParamIn, SchemeKind, Status};

pub(crate) struct Client<'a> {
    api: &'a Api,
    types: Types<'a>,
}

impl Shapes for Client<'_> {
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
            (Kind::Multipart | Kind::Bytes, _) => quote!(::std::vec::Vec<u8>),
        }
    }
}

/// Whether a response is a success: below 400, or `default` when nothing else is.
fn is_success(v: &Variant, variants: &[Variant]) -> bool {
    match v.status {
        Status::Code(c) => c < 400,
        Status::Range(d) => d < 4,
        Status::Default => !variants.iter().any(|w| match w.status {
            Status::Code(c) => c < 400,
            Status::Range(d) => d < 4,
            Status::Default => false,
        }),
    }
}

/// A `snake_case` identifier, raw when it is a keyword.
fn snake_ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// How a set of response variants is typed on one side (success or error).
enum Side {
    /// No variant: `()` for success, `Infallible` for errors.
    Empty,
    /// One success variant with an exact status and no headers: its body (or `()`).
    Plain(Option<TokenStream>),
    /// An enum of the variants.
    Enum(syn::Ident),
}

impl<'a> Client<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let bound: Vec<&Operation> = self
            .api
            .operations
            .iter()
            .filter(|o| o.bind_client.is_some())
            .collect();
        let mut types = Namespace::default();
        types.reserve("Client");
        let mut methods_ns = Namespace::default();
        for reserved in ["new", "builder", "transport", "into_transport"] {
            methods_ns.reserve(reserved);
        }
        let mut setters = Vec::new();
        for scheme in &self.api.security_schemes {
            let (name, _) = methods_ns.claim(format!(
                "with_{}",
                ident::unraw(&ident::snake_name(&scheme.name))
            ));
            let f = format_ident!("{}", name);
            let scheme_name = &scheme.name;
            setters.push(match &scheme.kind {
                SchemeKind::ApiKey { location, param } => {
                    let (loc, text) = match location {
                        ParamIn::Query => (quote!(Query), "query parameter"),
                        ParamIn::Cookie => (quote!(Cookie), "cookie"),
                        _ => (quote!(Header), "header"),
                    };
                    let doc = format!(" This client with the API key of `{scheme_name}` (the {text} `{param}`).");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                            Self { transport: self.transport.with_credential(#scheme_name, ::specbind::client::Credential::ApiKey { location: ::specbind::client::KeyIn::#loc, name: #param, key: key.into() }) }
                        }
                    }
                }
                SchemeKind::Basic => {
                    let doc = format!(" This client with the HTTP basic credentials of `{scheme_name}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                            Self { transport: self.transport.with_credential(#scheme_name, ::specbind::client::Credential::Basic { user: user.into(), password: password.into() }) }
                        }
                    }
                }
                SchemeKind::Bearer => {
                    let doc = format!(" This client with the bearer token of `{scheme_name}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                            Self { transport: self.transport.with_credential(#scheme_name, ::specbind::client::Credential::Bearer(token.into())) }
                        }
                    }
                }
                SchemeKind::Unsupported(_) => quote!(),
            });
        }
        let mut items = Vec::new();
        let mut methods = Vec::new();
        for op in &bound {
            let (call, _) = types.claim(op.type_name.clone());
            let (ok, _) = types.claim(format!("{}Ok", op.type_name));
            let (error, _) = types.claim(format!("{}Error", op.type_name));
            let want = op.bind_client.clone().unwrap_or_else(|| op.name.clone());
            let (method, _) = methods_ns.claim(want);
            let (item, method) = self.operation(
                op,
                &format_ident!("{}", call),
                &format_ident!("{}", ok),
                &format_ident!("{}", error),
                &snake_ident(&method),
            );
            items.push(item);
            methods.push(method);
        }
        let base_url = self.api.servers.first().cloned().unwrap_or_default();
        let title = &self.api.title;
        let client_doc = format!(
            " A client of {title}: one method per operation with `x-bind-client`, each returning a call to await."
        );
        let base_doc = if base_url.starts_with("http://") || base_url.starts_with("https://") {
            " The base URL of the spec's first server; `Client::builder().base_url(..)` replaces it.".to_owned()
        } else {
            " The spec names no absolute server URL: give one with `Client::new(url)`.".to_owned()
        };
        quote! {
            #[doc = #base_doc]
            pub const BASE_URL: &str = #base_url;

            #[doc = #client_doc]
            #[derive(Debug, Clone)]
            pub struct Client {
                transport: ::specbind::client::Transport,
            }

            impl ::std::convert::From<::specbind::client::Transport> for Client {
                fn from(transport: ::specbind::client::Transport) -> Self {
                    Self { transport }
                }
            }

            impl Client {
                /// A client of `base_url` (such as `http://127.0.0.1:8080/v1`) with the default settings.
                pub fn new(base_url: &str) -> ::std::result::Result<Self, ::specbind::client::BuildError> {
                    Self::builder().base_url(base_url).build()
                }

                /// A builder starting from [`BASE_URL`]: timeouts, retries, decorators, validation.
                pub fn builder() -> ::specbind::client::Builder<Self> {
                    ::specbind::client::Builder::new(BASE_URL)
                }

                /// The transport: base URL, settings, the reqwest client.
                pub fn transport(&self) -> &::specbind::client::Transport {
                    &self.transport
                }

                #(#setters)*
                #(#methods)*
            }

            #(#items)*
        }
    }

    /// The call type of `op` and the client method that makes one.
    fn operation(
        &self,
        op: &Operation,
        call: &syn::Ident,
        ok: &syn::Ident,
        error: &syn::Ident,
        method: &syn::Ident,
    ) -> (TokenStream, TokenStream) {
        let id = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
        let summary = format!("`{id}`: {} {}", op.method.to_uppercase(), op.path);
        let mut fields = Vec::new();
        let mut inits = Vec::new();
        let mut args = Vec::new();
        let mut setters = Vec::new();
        let mut checks = Vec::new();
        let mut encodes = Vec::new();
        // Path: literal pieces and parameters, in template order.
        let mut rest = op.path.as_str();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let (lit, var) = (&rest[..start], &rest[start + 1..start + len]);
            if !lit.is_empty() {
                encodes.push(quote!(request.path(#lit);));
            }
            match op
                .params
                .iter()
                .find(|p| p.location == ParamIn::Path && p.wire == var)
            {
                Some(p) => {
                    let f = snake_ident(&p.name);
                    let wire = &p.wire;
                    encodes.push(quote!(request.path_param(#wire, &self.#f)?;));
                }
                None => {
                    let text = &rest[start..=start + len];
                    encodes.push(quote!(request.path(#text);));
                }
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            encodes.push(quote!(request.path(#rest);));
        }
        for (key, value) in &op.fixed_query {
            encodes.push(quote!(request.query(#key, #value, ::std::option::Option::None, true)?;));
        }
        // Parameters: required ones are arguments, path parameters first; optional ones
        // have setters.
        let mut params: Vec<_> = op.params.iter().collect();
        params.sort_by_key(|p| (p.location != ParamIn::Path, !p.required));
        for p in params {
            let (name, _, doc) = self.param_field(p);
            let base = self.types.base(&p.node);
            let required = p.required || p.location == ParamIn::Path;
            let wire = &p.wire;
            if required {
                fields.push(quote!(#doc pub #name: #base,));
                args.push(quote!(#name: impl ::std::convert::Into<#base>));
                inits.push(quote!(#name: #name.into(),));
            } else {
                let opt = self.types.option(base.clone());
                fields.push(quote!(#doc pub #name: #opt,));
                inits.push(quote!(#name: ::std::option::Option::None,));
                let set_doc = format!(" Sets the {} parameter `{wire}`.", p.location.as_str());
                setters.push(quote! {
                    #[doc = #set_doc]
                    pub fn #name(mut self, value: impl ::std::convert::Into<#base>) -> Self {
                        self.#name = ::std::option::Option::Some(value.into());
                        self
                    }
                });
            }
            checks.extend(self.param_check(p, &name, required));
            match p.location {
                ParamIn::Path => {}
                ParamIn::Query => {
                    let explode = p
                        .explode
                        .unwrap_or(matches!(p.style.as_deref(), None | Some("form")));
                    let style = match &p.style {
                        Some(s) => quote!(::std::option::Option::Some(#s)),
                        None => quote!(::std::option::Option::None),
                    };
                    encodes.push(quote!(request.query(#wire, &self.#name, #style, #explode)?;));
                }
                ParamIn::Header => encodes.push(quote!(request.header(#wire, &self.#name)?;)),
                ParamIn::Cookie => encodes.push(quote!(request.cookie(#wire, &self.#name)?;)),
            }
        }
        // Body: the first JSON payload (else the first declared) is what the client sends.
        if let Some(body) = &op.body {
            let first = body
                .content
                .iter()
                .find(|c| kind(c) == Kind::Json)
                .or_else(|| body.content.first());
            if let Some(first) = first {
                let k = kind(first);
                let ty = match k {
                    Kind::Bytes => quote!(::specbind::client::Body),
                    Kind::Multipart => quote!(::specbind::client::multipart::Form),
                    _ => self.payload(first.node.as_ref(), k),
                };
                let media = if first.media_type == "*/*" {
                    "application/json".to_owned()
                } else {
                    first.media_type.clone()
                };
                let write = |v: TokenStream| match k {
                    Kind::Json => quote!(request.json(#media, &#v)?;),
                    Kind::Form => quote!(request.form(#media, &#v)?;),
                    Kind::Text => quote!(request.text(#media, #v);),
                    Kind::Bytes => quote!(request.bytes(#media, #v);),
                    Kind::Multipart => quote!(request.multipart(#v);),
                };
                let doc = doc_attrs(&Doc::default(), "The request body.");
                if body.required {
                    fields.push(quote!(#doc pub body: #ty,));
                    args.push(quote!(body: impl ::std::convert::Into<#ty>));
                    inits.push(quote!(body: body.into(),));
                    encodes.push(write(quote!(self.body)));
                } else {
                    let opt = self.types.option(ty.clone());
                    fields.push(quote!(#doc pub body: #opt,));
                    inits.push(quote!(body: ::std::option::Option::None,));
                    setters.push(quote! {
                        /// Sets the request body.
                        pub fn body(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                            self.body = ::std::option::Option::Some(value.into());
                            self
                        }
                    });
                    let w = write(quote!(body));
                    encodes
                        .push(quote!(if let ::std::option::Option::Some(body) = self.body { #w }));
                }
                if let (Kind::Json | Kind::Form, Some(n)) = (k, &first.node) {
                    checks.extend(self.body_check(n, body.required));
                }
            }
        }
        // Responses.
        let variants = self.variants(op);
        // `Accept`: the media types of the payloads the call decodes, so that a server that
        // can answer in several gives one of these.
        let mut accept: Vec<String> = Vec::new();
        for r in &op.responses {
            let first = r
                .content
                .iter()
                .find(|c| kind(c) == Kind::Json)
                .or_else(|| r.content.first());
            if let Some(c) = first {
                let m = c.media_type.to_ascii_lowercase();
                if !accept.contains(&m) {
                    accept.push(m);
                }
            }
        }
        if !accept.is_empty() {
            let accept = accept.join(", ");
            encodes.push(quote!(request.accept(#accept);));
        }
        // Each side is an enum of its own: large bodies are boxed per side.
        let (mut ok_list, mut err_list): (Vec<Variant>, Vec<Variant>) = variants
            .iter()
            .cloned()
            .partition(|v| is_success(v, &variants));
        self.box_large_bodies(&mut ok_list);
        self.box_large_bodies(&mut err_list);
        let variants: Vec<Variant> = ok_list.iter().chain(&err_list).cloned().collect();
        let oks: Vec<&Variant> = ok_list.iter().collect();
        let errs: Vec<&Variant> = err_list.iter().collect();
        let ok_side = match oks.as_slice() {
            [] => Side::Empty,
            [v] if v.headers.is_empty() && matches!(v.status, Status::Code(_)) => {
                Side::Plain(v.body.as_ref().map(|(_, t, _)| t.clone()))
            }
            _ => Side::Enum(ok.clone()),
        };
        let err_side = if errs.is_empty() {
            Side::Empty
        } else {
            Side::Enum(error.clone())
        };
        let ok_ty = match &ok_side {
            Side::Empty | Side::Plain(None) => quote!(()),
            Side::Plain(Some(t)) => t.clone(),
            Side::Enum(n) => quote!(#n),
        };
        let err_ty = match &err_side {
            Side::Enum(n) => quote!(#n),
            _ => quote!(::std::convert::Infallible),
        };
        let mut enums = Vec::new();
        if let Side::Enum(n) = &ok_side {
            let doc = format!(" The success responses of {summary}.");
            enums.push(response_enum(n, &doc, &oks));
        }
        if let Side::Enum(n) = &err_side {
            let doc = format!(" The declared error responses of {summary}.");
            enums.push(response_enum(n, &doc, &errs));
        }
        // Decoding: exact statuses, then ranges, then `default`.
        let mut ordered: Vec<&Variant> = variants.iter().collect();
        ordered.sort_by_key(|v| match v.status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        let mut arms = Vec::new();
        let mut only_default = None;
        let mut check_arms = Vec::new();
        for v in &ordered {
            let success = is_success(v, &variants);
            let pat = match v.status {
                Status::Code(c) => {
                    let c = proc_macro2::Literal::u16_unsuffixed(c);
                    quote!(#c)
                }
                Status::Range(d) => {
                    let lo = proc_macro2::Literal::u16_unsuffixed(u16::from(d) * 100);
                    let hi = proc_macro2::Literal::u16_unsuffixed(u16::from(d) * 100 + 99);
                    quote!(#lo..=#hi)
                }
                Status::Default => quote!(_),
            };
            let body_expr = v.body.as_ref().map(|(k, _, _)| match k {
                Kind::Json => quote!(response.json()?),
                Kind::Form => quote!(response.form()?),
                Kind::Text => quote!(response.text()?),
                Kind::Bytes | Kind::Multipart => quote!(response.bytes()),
            });
            let (side, enum_name) = if success {
                (&ok_side, ok)
            } else {
                (&err_side, error)
            };
            let wrap = |value: TokenStream| {
                if success {
                    quote!(::std::result::Result::Ok(#value))
                } else {
                    quote!(::std::result::Result::Err(#value))
                }
            };
            let n = &v.name;
            let value = match side {
                Side::Plain(_) | Side::Empty => body_expr.clone().unwrap_or(quote!(())),
                Side::Enum(_) if v.is_unit() => quote!(#enum_name::#n),
                Side::Enum(_) if v.is_tuple() => {
                    let b = body_expr.clone().unwrap_or(quote!(()));
                    quote!(#enum_name::#n(#b))
                }
                Side::Enum(_) => {
                    let status = if matches!(v.status, Status::Code(_)) {
                        quote!()
                    } else {
                        quote!(status: response.status(),)
                    };
                    let body = match &body_expr {
                        Some(b) => quote!(body: #b,),
                        None => quote!(),
                    };
                    let headers = v.headers.iter().map(|(f, wire, _, required, _)| {
                        let lower = wire.to_ascii_lowercase();
                        if *required {
                            quote!(#f: response.required_header(#lower)?,)
                        } else {
                            quote!(#f: response.header(#lower)?,)
                        }
                    });
                    quote!(#enum_name::#n { #status #body #(#headers)* })
                }
            };
            let value = wrap(value);
            if v.status == Status::Default {
                only_default = Some(value.clone());
            }
            arms.push(quote!(#pat => #value,));
            // Response validation of JSON and form bodies.
            if let (Some((Kind::Json | Kind::Form, _, _)), Some(node)) = (&v.body, &v.node) {
                let b = self.types.node_checks(node, &quote!(body), 1);
                if !b.is_empty() {
                    let inner = match side {
                        Side::Enum(_) if v.is_tuple() => quote!(#enum_name::#n(body)),
                        Side::Enum(_) => quote!(#enum_name::#n { body, .. }),
                        _ => quote!(body),
                    };
                    check_arms.push((wrap(inner), quote!({ let p = path.field("body"); #b })));
                }
            }
        }
        if !ordered.iter().any(|v| v.status == Status::Default) {
            arms.push(quote!(_ => return ::std::result::Result::Err(::specbind::client::DecodeError::Undeclared),));
        }
        let check_fn = if check_arms.is_empty() {
            quote!()
        } else {
            let total = variants.len();
            let arms = check_arms.iter().map(|(pat, body)| quote!(#pat => #body));
            let both = !matches!(ok_side, Side::Empty) && !matches!(err_side, Side::Empty);
            let body = if check_arms.len() == total && both {
                quote!(match result { #(#arms)* })
            } else if let [(pat, body)] = check_arms.as_slice() {
                quote!(if let #pat = result #body)
            } else {
                quote!(match result { #(#arms)* _ => {} })
            };
            quote! {
                fn check(result: &::std::result::Result<Self::Ok, Self::Error>, out: &mut ::specbind::__private::Violations) {
                    let path = ::specbind::__private::Path::root();
                    #body
                }
            }
        };
        let security = self.security(op);
        let method_const = format_ident!("{}", op.method.to_uppercase());
        let method_const = match op.method.as_str() {
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                quote!(::specbind::__private::Method::#method_const)
            }
            _ => quote!(::specbind::__private::Method::GET),
        };
        let validate = self.types.validate_impl(call, quote!(#(#checks)*));
        let call_doc = format!(
            " A call of {summary}: await it, or pass it to `specbind::join!` or `specbind::client::fan_out`."
        );
        let setters_impl = if setters.is_empty() {
            quote!()
        } else {
            quote!(impl #call { #(#setters)* })
        };
        // A lone `default` needs no match.
        let decode_body = match (ordered.as_slice(), &only_default) {
            ([_], Some(value)) => quote!(::std::result::Result::Ok(#value)),
            _ => quote!(::std::result::Result::Ok(match response.status() { #(#arms)* })),
        };
        // An `x-async` operation's call gives a job handle (`.await` it again for the result).
        let into_future = if op.is_async {
            quote! {
                impl ::std::future::IntoFuture for #call {
                    type Output = ::std::result::Result<::specbind::client::JobHandle<Self>, ::specbind::client::CallError<#err_ty>>;
                    type IntoFuture = ::specbind::client::SubmitFuture<Self>;

                    fn into_future(self) -> Self::IntoFuture {
                        ::specbind::client::submit(self)
                    }
                }
            }
        } else {
            quote! {
                impl ::std::future::IntoFuture for #call {
                    type Output = ::std::result::Result<#ok_ty, ::specbind::client::CallError<#err_ty>>;
                    type IntoFuture = ::specbind::client::CallFuture<Self>;

                    fn into_future(self) -> Self::IntoFuture {
                        ::specbind::client::send(self)
                    }
                }
            }
        };
        let item = quote! {
            #[doc = #call_doc]
            #[derive(Debug)]
            #[must_use = "a call does nothing until it is awaited"]
            pub struct #call {
                call_: ::specbind::client::CallBase,
                #(#fields)*
            }

            #setters_impl
            #validate
            #(#enums)*

            impl ::specbind::client::Operation for #call {
                type Ok = #ok_ty;
                type Error = #err_ty;
                const ID: &'static str = #id;
                const METHOD: ::specbind::__private::Method = #method_const;
                #security

                fn call_base(&self) -> &::specbind::client::CallBase {
                    &self.call_
                }

                fn call_base_mut(&mut self) -> &mut ::specbind::client::CallBase {
                    &mut self.call_
                }

                fn encode(self, request: &mut ::specbind::client::RequestParts) -> ::std::result::Result<(), ::specbind::client::EncodeError> {
                    #(#encodes)*
                    ::std::result::Result::Ok(())
                }

                fn decode(response: &::specbind::client::Response) -> ::std::result::Result<::std::result::Result<Self::Ok, Self::Error>, ::specbind::client::DecodeError> {
                    #decode_body
                }

                #check_fn
            }

            #into_future
        };
        let doc = doc_attrs(&op.doc, &summary);
        // The spec requires that many parameters; each is an argument all the same.
        let allow = if args.len() > 6 {
            quote!(#[allow(clippy::too_many_arguments)])
        } else {
            quote!()
        };
        let method = quote! {
            #doc
            #allow
            pub fn #method(&self, #(#args),*) -> #call {
                #call {
                    call_: self.transport.call(),
                    #(#inits)*
                }
            }
        };
        (item, method)
    }

    /// `const SECURITY`: the alternatives whose schemes the client can send.
    fn security(&self, op: &Operation) -> TokenStream {
        if op.security.is_empty() {
            return quote!();
        }
        let alts = op.security.iter().filter_map(|alt| {
            let names: Option<Vec<&str>> = alt
                .iter()
                .map(|r| {
                    self.api
                        .security_schemes
                        .iter()
                        .find(|s| s.name == r.scheme)
                        .filter(|s| !matches!(s.kind, SchemeKind::Unsupported(_)))
                        .map(|s| s.name.as_str())
                })
                .collect();
            let names = names?;
            Some(quote!(&[#(#names),*]))
        });
        quote!(const SECURITY: &'static [&'static [&'static str]] = &[#(#alts),*];)
    }
}

/// An enum of response variants, laid out as the server's response enum.
fn response_enum(name: &syn::Ident, doc: &str, variants: &[&Variant]) -> TokenStream {
    let vs = variants.iter().map(|v| v.declaration(" The status code."));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#vs)*
        }
    }
}
