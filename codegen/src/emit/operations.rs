//! What the server and the client share: per bound operation, its typed input (parameters
//! and body) with its validation. The server decodes it from requests, the client encodes
//! it into them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::checks::{Loc, Place};
use super::docs::doc_attrs;
use super::types::{Types, ident};
use crate::ident::Namespace;
use crate::ir::http::PayloadKind;
use crate::ir::{Api, Doc, Operation, Param, ParamIn};

/// Which operations each side binds, and the names of their inputs.
pub(crate) struct Sides {
    /// Bound by the generated server (`x-bind-server`).
    pub(crate) server: Vec<bool>,
    /// Bound by the generated client (`x-bind-client`).
    pub(crate) client: Vec<bool>,
    /// The input type of each operation either side binds.
    pub(crate) inputs: Vec<Option<String>>,
}

impl Sides {
    pub(crate) fn new(api: &Api, opts: &crate::Options) -> Self {
        let server: Vec<bool> = api
            .operations
            .iter()
            .map(|o| opts.server && o.bind_server.is_some())
            .collect();
        let client: Vec<bool> = api
            .operations
            .iter()
            .map(|o| opts.client && o.bind_client.is_some())
            .collect();
        let mut names = Namespace::default();
        let inputs = api
            .operations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (server[i] || client[i]).then(|| names.claim(format!("{}Input", o.type_name)).0)
            })
            .collect();
        Self {
            server,
            client,
            inputs,
        }
    }

    pub(crate) fn any(&self) -> bool {
        self.inputs.iter().any(Option::is_some)
    }
}

/// How the body of an operation is held in its input.
pub(crate) enum BodyField {
    /// A typed value (JSON, form): its Rust type.
    Typed(TokenStream),
    /// Text.
    Text,
    /// Bytes or multipart, whose type differs by side: the input is generic over it.
    Generic(PayloadKind),
}

/// The body of `op` as its input holds it, and whether it is required.
pub(crate) fn body_field(types: &Types<'_>, op: &Operation) -> Option<(BodyField, bool)> {
    let body = op.body.as_ref()?;
    let (chosen, _) = body.payload()?;
    let field = match chosen.kind() {
        PayloadKind::Json | PayloadKind::Form => BodyField::Typed(match &chosen.node {
            Some(n) => types.value(n),
            None => quote!(sb::Value),
        }),
        PayloadKind::Text => BodyField::Text,
        k => BodyField::Generic(k),
    };
    Some((field, body.required))
}

/// The Rust field name of a parameter.
pub(crate) fn param_ident(p: &Param) -> syn::Ident {
    ident(&p.name)
}

/// Whether the input holds `p` as an `Option`: not required and without a default.
pub(crate) fn is_optional(types: &Types<'_>, p: &Param) -> bool {
    !p.required && p.location != ParamIn::Path && types.default_expr(&p.node).is_none()
}

pub(crate) struct Operations<'a> {
    api: &'a Api,
    types: Types<'a>,
    sides: &'a Sides,
}

impl<'a> Operations<'a> {
    pub(crate) fn new(api: &'a Api, sides: &'a Sides) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
            sides,
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let items = self
            .api
            .operations
            .iter()
            .zip(&self.sides.inputs)
            .filter_map(|(op, name)| Some(self.input(op, &format_ident!("{}", name.as_ref()?))));
        quote!(#(#items)*)
    }

    fn input(&self, op: &Operation, name: &syn::Ident) -> TokenStream {
        let summary = summary(op);
        let doc = format!(" The input of {summary}.");
        let body_doc = match body_field(&self.types, op) {
            Some((BodyField::Generic(PayloadKind::Multipart), _)) => {
                " `B` is the multipart body: `sb::server::Multipart` as the server reads it, `sb::client::multipart::Form` as the client sends it."
            }
            Some((BodyField::Generic(_), _)) => {
                " `B` is the body's bytes: `Vec<u8>` as the server reads them, `sb::client::Body` as the client sends them."
            }
            _ => "",
        };
        let mut fields = Vec::new();
        for p in &op.params {
            let f = param_ident(p);
            let base = self.types.base(&p.node);
            let ty = if is_optional(&self.types, p) {
                self.types.option(base)
            } else {
                base
            };
            let d = format!("The {} parameter `{}`.", p.location.as_str(), p.wire);
            let docs = doc_attrs(
                &Doc {
                    description: p.node.doc.description.clone(),
                    ..Doc::default()
                },
                &d,
            );
            fields.push(quote!(#docs pub #f: #ty,));
        }
        let mut generic = quote!();
        if let Some((body, required)) = body_field(&self.types, op) {
            let ty = match body {
                BodyField::Typed(t) => t,
                BodyField::Text => self.types.string(),
                BodyField::Generic(_) => {
                    generic = quote!(<B>);
                    quote!(B)
                }
            };
            let ty = if required { ty } else { self.types.option(ty) };
            fields.push(quote!(#[doc = " The request body."] pub body: #ty,));
        }
        let checks = self.checks(op);
        let validate = if generic.is_empty() {
            self.types.validate_impl(name, checks)
        } else if checks.is_empty() {
            quote!(impl<B> sb::Validate for #name<B> {})
        } else {
            quote! {
                impl<B> sb::Validate for #name<B> {
                    fn validate_at(&self, path: &sb::Path<'_>, out: &mut sb::Violations) {
                        #checks
                    }
                }
            }
        };
        let body_doc = if body_doc.is_empty() {
            quote!()
        } else {
            quote!(#[doc = ""] #[doc = #body_doc])
        };
        quote! {
            #[doc = #doc]
            #body_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name #generic {
                #(#fields)*
            }
            #validate
        }
    }

    /// The checks of the parameters, at `/{location}/{name}`, and of a typed body, at `/body`.
    fn checks(&self, op: &Operation) -> TokenStream {
        let mut at = Vec::new();
        let mut checks = Vec::new();
        for p in &op.params {
            let loc = format_ident!("at_{}", p.location.as_str());
            let wire = &p.wire;
            let c = self.types.checks_of(
                &p.node,
                &Place::field(&param_ident(p)),
                &Loc::at(quote!(#loc.field(#wire))),
                is_optional(&self.types, p),
                false,
            );
            if !c.is_empty() {
                if !at.contains(&p.location) {
                    at.push(p.location);
                }
                checks.push(c);
            }
        }
        if let (Some((BodyField::Typed(_), required)), Some(body)) =
            (body_field(&self.types, op), &op.body)
        {
            if let Some(node) = body.payload().and_then(|(c, _)| c.node.as_ref()) {
                checks.push(self.types.checks_of(
                    node,
                    &Place::field(&format_ident!("body")),
                    &Loc::at(quote!(path.field("body"))),
                    !required,
                    self.types.nullable(node),
                ));
            }
        }
        let bindings = at.iter().map(|l| {
            let name = format_ident!("at_{}", l.as_str());
            let seg = l.as_str();
            quote!(let #name = path.field(#seg);)
        });
        if checks.iter().all(TokenStream::is_empty) {
            return quote!();
        }
        quote!(#(#bindings)* #(#checks)*)
    }
}

/// `` `getPet`: GET /pets/{petId} ``, for docs.
pub(crate) fn summary(op: &Operation) -> String {
    format!(
        "`{}`: {} {}",
        op.operation_id.as_deref().unwrap_or(&op.name),
        op.method,
        op.path
    )
}
