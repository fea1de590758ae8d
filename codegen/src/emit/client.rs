//! The reqwest client, as declarations: one `Client` per spec and, per operation with
//! `x-bind-client`, how its input is written into a request and its responses read, a call
//! type with setters for its optional inputs, and its success and error types (operations that
//! declare the same errors share one). Sending, retries, credentials and validation are
//! `sb::client`'s.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::operations::{BodyField, Sides, body_field, is_optional, param_ident, summary};
use super::server::{declaration, payload_type, response_checks};
use super::types::{Types, ident};
use crate::ident::{self, Namespace};
use crate::ir::http::{PathPart, PayloadKind, Style, Variant};
use crate::ir::{Api, Operation, ParamIn, SchemeKind, Status};

pub(crate) struct Client<'a> {
    api: &'a Api,
    types: Types<'a>,
    sides: &'a Sides,
}

/// The success type of an operation.
enum Ok {
    /// Its one success response's body (`()` when it has none).
    Plain(TokenStream),
    /// An enum of its success responses.
    Enum(syn::Ident),
}

impl<'a> Client<'a> {
    pub(crate) fn new(api: &'a Api, sides: &'a Sides) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
            sides,
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let mut types = Namespace::default();
        types.reserve("Client");
        types.reserve("BASE_URL");
        let mut methods_ns = Namespace::default();
        for reserved in ["new", "builder", "transport"] {
            methods_ns.reserve(reserved);
        }
        let setters = self.credentials(&mut methods_ns);
        // The error sets the client's operations use, named once.
        let mut set_names: Vec<Option<syn::Ident>> = vec![None; self.api.error_sets.len()];
        let mut items = Vec::new();
        let mut methods = Vec::new();
        for (i, op) in self.api.operations.iter().enumerate() {
            let (true, Some(input)) = (self.sides.client[i], &self.sides.inputs[i]) else {
                continue;
            };
            let call = format_ident!("{}", types.claim(op.type_name.clone()).0);
            let error = op.error_set.map(|s| {
                let set = &self.api.error_sets[s];
                let name = set_names[s]
                    .get_or_insert_with(|| format_ident!("{}", types.claim(set.name.clone()).0))
                    .clone();
                (s, name)
            });
            let ok = match op.ok_variants.as_slice() {
                [] => Ok::Plain(quote!(())),
                [v] if v.headers.is_empty() && matches!(v.status, Status::Code(_)) => {
                    Ok::Plain(match &v.payload {
                        Some(p) => {
                            let t = payload_type(&self.types, p);
                            if v.boxed { quote!(Box<#t>) } else { t }
                        }
                        None => quote!(()),
                    })
                }
                _ => Ok::Enum(format_ident!(
                    "{}",
                    types.claim(format!("{}Ok", op.type_name)).0
                )),
            };
            // Every operation has its own name for its errors (`GetPetError`), the set's or
            // an alias of it.
            let alias = match &error {
                Some((_, set)) => {
                    let own = format!("{}Error", op.type_name);
                    (*set != own).then(|| {
                        let (own, _) = types.claim(own);
                        let own = format_ident!("{}", own);
                        let doc = format!(" The declared error responses of {}.", summary(op));
                        quote!(#[doc = #doc] pub type #own = #set;)
                    })
                }
                None => None,
            };
            let want = op.bind_client.clone().unwrap_or_else(|| op.name.clone());
            let method = ident(&methods_ns.claim(want).0);
            let input = format_ident!("{}", input);
            items.push(self.operation(op, &call, &input, &ok, error.as_ref().map(|e| &e.1)));
            items.extend(alias);
            methods.push(self.method(op, &method, &call, &input));
        }
        for (s, name) in set_names.iter().enumerate() {
            if let Some(name) = name {
                items.push(self.error_set(s, name));
            }
        }
        let base_url = self.api.servers.first().cloned().unwrap_or_default();
        let client_doc = format!(
            " A client of {}: one method per operation with `x-bind-client`, each returning a call to await.",
            self.api.title
        );
        let base_doc = if base_url.starts_with("http://") || base_url.starts_with("https://") {
            " The base URL of the spec's first server; `Client::builder().base_url(..)` replaces it."
        } else {
            " The spec names no absolute server URL: give one with `Client::new(url)`."
        };
        // The inputs are in `operations`, which exists when some operation is bound.
        let use_inputs = if methods.is_empty() {
            quote!()
        } else {
            quote!(
                use super::operations as op;
            )
        };
        quote! {
            #use_inputs

            #[doc = #base_doc]
            pub const BASE_URL: &str = #base_url;

            #[doc = #client_doc]
            #[derive(Debug, Clone)]
            pub struct Client {
                transport: sb::client::Transport,
            }

            impl From<sb::client::Transport> for Client {
                fn from(transport: sb::client::Transport) -> Self {
                    Self { transport }
                }
            }

            impl Client {
                /// A client of `base_url` (such as `http://127.0.0.1:8080/v1`) with the default settings.
                pub fn new(base_url: &str) -> Result<Self, sb::client::BuildError> {
                    Self::builder().base_url(base_url).build()
                }

                /// A builder starting from [`BASE_URL`]: timeouts, retries, decorators, validation.
                pub fn builder() -> sb::client::Builder<Self> {
                    sb::client::Builder::new(BASE_URL)
                }

                /// The transport: base URL, settings, the reqwest client.
                pub fn transport(&self) -> &sb::client::Transport {
                    &self.transport
                }

                #(#setters)*
                #(#methods)*
            }

            #(#items)*
        }
    }

    /// The `with_*` methods that give a client the credentials of each security scheme.
    fn credentials(&self, ns: &mut Namespace) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for scheme in &self.api.security_schemes {
            let (name, _) = ns.claim(format!(
                "with_{}",
                ident::unraw(&ident::snake_name(&scheme.name))
            ));
            let f = format_ident!("{}", name);
            let s = &scheme.name;
            out.push(match &scheme.kind {
                SchemeKind::ApiKey { location, param } => {
                    let (loc, text) = match location {
                        ParamIn::Query => (quote!(Query), "query parameter"),
                        ParamIn::Cookie => (quote!(Cookie), "cookie"),
                        _ => (quote!(Header), "header"),
                    };
                    let doc = format!(" This client with the API key of `{s}` (the {text} `{param}`).");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, key: impl Into<String>) -> Self {
                            Self { transport: self.transport.with_credential(#s, sb::client::Credential::ApiKey { location: sb::client::KeyIn::#loc, name: #param, key: key.into() }) }
                        }
                    }
                }
                SchemeKind::Basic => {
                    let doc = format!(" This client with the HTTP basic credentials of `{s}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                            Self { transport: self.transport.with_credential(#s, sb::client::Credential::Basic { user: user.into(), password: password.into() }) }
                        }
                    }
                }
                SchemeKind::Bearer => {
                    let doc = format!(" This client with the bearer token of `{s}`.");
                    quote! {
                        #[doc = #doc]
                        pub fn #f(self, token: impl Into<String>) -> Self {
                            Self { transport: self.transport.with_credential(#s, sb::client::Credential::Bearer(token.into())) }
                        }
                    }
                }
                SchemeKind::Unsupported(_) => quote!(),
            });
        }
        out
    }

    /// The input type of `op` as the client sends it.
    fn input_type(&self, op: &Operation, input: &syn::Ident) -> TokenStream {
        match body_field(&self.types, op) {
            Some((BodyField::Generic(PayloadKind::Multipart), _)) => {
                quote!(op::#input<sb::client::multipart::Form>)
            }
            Some((BodyField::Generic(_), _)) => quote!(op::#input<sb::client::Body>),
            _ => quote!(op::#input),
        }
    }

    /// The client method that starts a call of `op`: required inputs are arguments.
    fn method(
        &self,
        op: &Operation,
        method: &syn::Ident,
        call: &syn::Ident,
        input: &syn::Ident,
    ) -> TokenStream {
        let mut args = Vec::new();
        let mut inits = Vec::new();
        let mut params: Vec<_> = op.params.iter().collect();
        params.sort_by_key(|p| (p.location != ParamIn::Path, !p.required));
        for p in params {
            let f = param_ident(p);
            let base = self.types.base(&p.node);
            if p.required || p.location == ParamIn::Path {
                args.push(quote!(#f: impl Into<#base>));
                inits.push(quote!(#f: #f.into(),));
            } else if let Some(default) = self.types.default_expr(&p.node) {
                inits.push(quote!(#f: #default,));
            } else {
                debug_assert!(is_optional(&self.types, p));
                inits.push(quote!(#f: None,));
            }
        }
        if let Some((body, required)) = body_field(&self.types, op) {
            let ty = self.body_type(&body);
            if required {
                args.push(quote!(body: impl Into<#ty>));
                inits.push(quote!(body: body.into(),));
            } else {
                inits.push(quote!(body: None,));
            }
        }
        let doc = doc_attrs(&op.doc, &summary(op));
        // The spec requires that many parameters; each is an argument all the same.
        let allow = if args.len() > 6 {
            quote!(#[allow(clippy::too_many_arguments, reason = "the spec requires each")])
        } else {
            quote!()
        };
        let call_expr = quote!(self.transport.call(op::#input { #(#inits)* }));
        let body = if wraps(op) {
            quote!(#call(#call_expr))
        } else {
            call_expr
        };
        quote! {
            #doc
            #allow
            pub fn #method(&self, #(#args),*) -> #call {
                #body
            }
        }
    }

    /// The Rust type of a body, as the client sends it.
    fn body_type(&self, body: &BodyField) -> TokenStream {
        match body {
            BodyField::Typed(t) => t.clone(),
            BodyField::Text => self.types.string(),
            BodyField::Generic(PayloadKind::Multipart) => quote!(sb::client::multipart::Form),
            BodyField::Generic(_) => quote!(sb::client::Body),
        }
    }

    fn operation(
        &self,
        op: &Operation,
        call: &syn::Ident,
        input: &syn::Ident,
        ok: &Ok,
        error: Option<&syn::Ident>,
    ) -> TokenStream {
        let summary = summary(op);
        let input_ty = self.input_type(op, input);
        let call_doc = format!(
            " A call of {summary}: await it, or pass it to `specbind::join!` or `specbind::client::fan_out`."
        );
        let declare = if op.is_async {
            quote!(sb::job_call!(#[doc = #call_doc] #call(#input_ty));)
        } else if wraps(op) {
            quote!(sb::call!(#[doc = #call_doc] #call(#input_ty));)
        } else {
            quote!(#[doc = #call_doc] pub type #call = sb::client::Call<#input_ty>;)
        };
        let setters = self.setters(op, call);
        let (ok_ty, ok_enum) = match ok {
            Ok::Plain(t) => (t.clone(), quote!()),
            Ok::Enum(name) => {
                let doc = format!(" The success responses of {summary}.");
                let vs = op
                    .ok_variants
                    .iter()
                    .map(|v| declaration(&self.types, v, " The status code."));
                let validate = self.types.validate_impl(
                    name,
                    response_checks(&self.types, &op.ok_variants, quote!(self)),
                );
                (
                    quote!(#name),
                    quote! {
                        #[doc = #doc]
                        #[derive(Debug, Clone, PartialEq)]
                        pub enum #name { #(#vs)* }
                        #validate
                    },
                )
            }
        };
        let err_ty = match error {
            Some(e) => quote!(#e),
            None => quote!(::std::convert::Infallible),
        };
        let id = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
        let method = format_ident!("{}", op.method.upper());
        let security = self.security(op);
        let encodes = self.encodes(op);
        let decode = self.decode(op, ok, error.is_some());
        let plain = matches!(ok, Ok::Plain(_));
        let plain_ok = if plain {
            quote!()
        } else {
            quote!(
                const PLAIN_OK: bool = false;
            )
        };
        quote! {
            #declare
            #setters
            #ok_enum
            impl sb::client::Op for #input_ty {
                type Ok = #ok_ty;
                type Error = #err_ty;
                const ID: &'static str = #id;
                const METHOD: sb::Method = sb::Method::#method;
                #security
                #plain_ok
                fn encode(self, r: &mut sb::client::RequestParts) -> sb::client::Encoded {
                    #(#encodes)*
                    Ok(())
                }
                fn decode(r: &sb::client::Response) -> sb::client::Decoded<Self> {
                    #decode
                }
            }
        }
    }

    /// Setters of the optional inputs.
    fn setters(&self, op: &Operation, call: &syn::Ident) -> TokenStream {
        let mut setters = Vec::new();
        for p in op
            .params
            .iter()
            .filter(|p| !p.required && p.location != ParamIn::Path)
        {
            let f = param_ident(p);
            let base = self.types.base(&p.node);
            let doc = format!(" Sets the {} parameter `{}`.", p.location.as_str(), p.wire);
            let value = if is_optional(&self.types, p) {
                quote!(Some(value.into()))
            } else {
                quote!(value.into())
            };
            setters.push(quote! {
                #[doc = #doc]
                pub fn #f(mut self, value: impl Into<#base>) -> Self {
                    self.0.input.#f = #value;
                    self
                }
            });
        }
        if let Some((body, false)) = body_field(&self.types, op) {
            let ty = self.body_type(&body);
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, value: impl Into<#ty>) -> Self {
                    self.0.input.body = Some(value.into());
                    self
                }
            });
        }
        if setters.is_empty() {
            quote!()
        } else {
            quote!(impl #call { #(#setters)* })
        }
    }

    /// The writes of the input into the request: the path, the parameters, the body.
    fn encodes(&self, op: &Operation) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for part in &op.template.parts {
            match part {
                PathPart::Text(t) => out.push(quote!(r.path(#t);)),
                PathPart::Param(name) => {
                    match op
                        .params
                        .iter()
                        .find(|p| p.location == ParamIn::Path && p.wire == *name)
                    {
                        Some(p) => {
                            let f = param_ident(p);
                            out.push(quote!(r.path_param(#name, &self.#f)?;));
                        }
                        None => {
                            let text = format!("{{{name}}}");
                            out.push(quote!(r.path(#text);));
                        }
                    }
                }
            }
        }
        for (key, value) in &op.fixed_query {
            out.push(quote!(r.query(#key, #value, None, true)?;));
        }
        for p in &op.params {
            let f = param_ident(p);
            let wire = &p.wire;
            match p.location {
                ParamIn::Path => {}
                ParamIn::Query => {
                    let (style, explode) = p.style();
                    let style = style_name(style);
                    match self.types.default_expr(&p.node).filter(|_| !p.required) {
                        Some(default) => out.push(quote!(r.query_unless(#wire, &self.#f, &#default, Some(#style), #explode)?;)),
                        None => out.push(quote!(r.query(#wire, &self.#f, Some(#style), #explode)?;)),
                    }
                }
                ParamIn::Header => out.push(quote!(r.header(#wire, &self.#f)?;)),
                ParamIn::Cookie => out.push(quote!(r.cookie(#wire, &self.#f)?;)),
            }
        }
        if let (Some(body), Some((field, required))) = (&op.body, body_field(&self.types, op)) {
            if let Some((chosen, _)) = body.payload() {
                let media = if chosen.media_type == "*/*" {
                    "application/json".to_owned()
                } else {
                    chosen.media_type.clone()
                };
                let write = |v: TokenStream| match (chosen.kind(), &field) {
                    (PayloadKind::Form, _) => quote!(r.form(#media, &#v)?;),
                    (_, BodyField::Typed(_)) => quote!(r.json(#media, &#v)?;),
                    (_, BodyField::Text) => quote!(r.text(#media, #v);),
                    (PayloadKind::Multipart, _) => quote!(r.multipart(#v);),
                    _ => quote!(r.bytes(#media, #v);),
                };
                out.push(if required {
                    write(quote!(self.body))
                } else {
                    let w = write(quote!(body));
                    quote!(if let Some(body) = self.body { #w })
                });
            }
        }
        // `Accept`: the media types of the payloads the call decodes.
        let mut accept: Vec<String> = Vec::new();
        for r in &op.responses {
            if let Some(i) = crate::ir::http::chosen(&r.content) {
                let m = r.content[i].media_type.to_ascii_lowercase();
                if !accept.contains(&m) {
                    accept.push(m);
                }
            }
        }
        if !accept.is_empty() {
            let accept = accept.join(", ");
            out.push(quote!(r.accept(#accept);));
        }
        out
    }

    /// The decoding of a response: the declared successes, the rest by the error set.
    fn decode(&self, op: &Operation, ok: &Ok, errors: bool) -> TokenStream {
        let mut success: Vec<&Variant> = op.ok_variants.iter().collect();
        success.sort_by_key(|v| rank(v.status));
        let mut arms = Vec::new();
        let default = success
            .iter()
            .find(|v| v.status == Status::Default)
            .copied();
        for v in success.iter().filter(|v| v.status != Status::Default) {
            let pat = pattern(v.status);
            let value = self.value(v, ok);
            arms.push(quote!(#pat => Ok(#value),));
        }
        // One success status and the rest by the error set (or undeclared): a runtime call.
        if let (None, [v]) = (default, success.as_slice())
            && let (Status::Code(code), Ok::Plain(_)) = (v.status, ok)
        {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            match v.payload.as_ref().map(|p| p.kind) {
                Some(PayloadKind::Json) => return quote!(r.json_or(#code)),
                None => return quote!(r.empty_or(#code)),
                Some(_) => {}
            }
        }
        let error = quote!(Err(sb::client::Errors::decode(r)?));
        match (default, errors) {
            (Some(d), true) => {
                // The error responses' statuses, then the default success.
                for v in op
                    .variants
                    .iter()
                    .filter(|v| !op.ok_variants.iter().any(|o| o.name == v.name))
                {
                    let pat = pattern(v.status);
                    arms.push(quote!(#pat => #error,));
                }
                let value = self.value(d, ok);
                arms.push(quote!(_ => Ok(#value),));
            }
            (Some(d), false) => {
                let value = self.value(d, ok);
                if arms.is_empty() {
                    return quote!(Ok(Ok(#value)));
                }
                arms.push(quote!(_ => Ok(#value),));
            }
            (None, true) => arms.push(quote!(_ => #error,)),
            (None, false) => {
                arms.push(quote!(_ => return Err(sb::client::DecodeError::Undeclared),))
            }
        }
        quote!(Ok(match r.status() { #(#arms)* }))
    }

    /// The value of a decoded success response.
    fn value(&self, v: &Variant, ok: &Ok) -> TokenStream {
        match ok {
            Ok::Plain(_) => body_read(v).unwrap_or(quote!(())),
            Ok::Enum(name) => variant_value(name, v),
        }
    }

    /// The error set `s`: its enum, validation and decoding.
    fn error_set(&self, s: usize, name: &syn::Ident) -> TokenStream {
        let set = &self.api.error_sets[s];
        let ops: Vec<String> = self
            .api
            .operations
            .iter()
            .filter(|o| set.operations.contains(&o.name))
            .map(|o| format!("`{}`", o.operation_id.as_deref().unwrap_or(&o.name)))
            .collect();
        let doc = if ops.len() > 3 {
            format!(
                " The declared error responses of {}, {} and {} more.",
                ops[0],
                ops[1],
                ops.len() - 2
            )
        } else {
            format!(" The declared error responses of {}.", ops.join(", "))
        };
        let vs = set
            .variants
            .iter()
            .map(|v| declaration(&self.types, v, " The status code."));
        let validate = self.types.validate_impl(
            name,
            response_checks(&self.types, &set.variants, quote!(self)),
        );
        let mut variants: Vec<&Variant> = set.variants.iter().collect();
        variants.sort_by_key(|v| rank(v.status));
        let mut arms: Vec<TokenStream> = variants
            .iter()
            .map(|v| {
                let pat = pattern(v.status);
                let value = variant_value(name, v);
                quote!(#pat => #value,)
            })
            .collect();
        if !variants.iter().any(|v| v.status == Status::Default) {
            arms.push(quote!(_ => return Err(sb::client::DecodeError::Undeclared),));
        }
        let decode = match (variants.as_slice(), arms.len()) {
            ([v], 1) => {
                let value = variant_value(name, v);
                quote!(Ok(#value))
            }
            _ => quote!(Ok(match r.status() { #(#arms)* })),
        };
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#vs)* }
            #validate
            impl sb::client::Errors for #name {
                fn decode(r: &sb::client::Response) -> Result<Self, sb::client::DecodeError> {
                    #decode
                }
            }
        }
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

/// Whether the call of `op` is a type of its own (it has setters of optional inputs, or it
/// is a job), rather than an alias of [`Call`](specbind::client::Call).
fn wraps(op: &Operation) -> bool {
    op.is_async
        || op
            .body
            .as_ref()
            .is_some_and(|b| !b.required && b.payload().is_some())
        || op
            .params
            .iter()
            .any(|p| !p.required && p.location != ParamIn::Path)
}

/// Decoding order: exact statuses, then ranges, then `default`.
fn rank(s: Status) -> u8 {
    match s {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    }
}

/// The match pattern of a status.
fn pattern(s: Status) -> TokenStream {
    match s {
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
    }
}

/// The read of a variant's body from `r`, boxed as the variant holds it.
fn body_read(v: &Variant) -> Option<TokenStream> {
    let read = match v.payload.as_ref()?.kind {
        PayloadKind::Json => quote!(r.json()?),
        PayloadKind::Form => quote!(r.form()?),
        PayloadKind::Text => quote!(r.text()?),
        _ => quote!(r.bytes()),
    };
    Some(if v.boxed {
        quote!(Box::new(#read))
    } else {
        read
    })
}

/// The value of variant `v` of enum `name`, read from `r`.
fn variant_value(name: &syn::Ident, v: &Variant) -> TokenStream {
    let n = ident(&v.name);
    if v.is_unit() {
        return quote!(#name::#n);
    }
    if v.is_tuple() {
        let b = body_read(v).unwrap_or(quote!(()));
        return quote!(#name::#n(#b));
    }
    let status = if matches!(v.status, Status::Code(_)) {
        quote!()
    } else {
        quote!(status: r.status(),)
    };
    let body = match body_read(v) {
        Some(b) => quote!(body: #b,),
        None => quote!(),
    };
    let headers = v.headers.iter().map(|h| {
        let f = ident(&h.name);
        let wire = h.wire.to_ascii_lowercase();
        if h.required {
            quote!(#f: r.required_header(#wire)?,)
        } else {
            quote!(#f: r.header(#wire)?,)
        }
    });
    quote!(#name::#n { #status #body #(#headers)* })
}

/// The spec's name of a style.
fn style_name(s: Style) -> &'static str {
    match s {
        Style::Simple => "simple",
        Style::Form => "form",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
    }
}
