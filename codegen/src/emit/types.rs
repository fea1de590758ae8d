//! Models: one serde type per schema that needs one, each with a generated `validate_at`.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Number, Value};

use super::checks::{Loc, Place};
use super::docs::doc_attrs;
use crate::ident::unraw;
use crate::ir::{
    Api, Extra, Field, FloatFormat, IntFormat, Node, Side, StrEnum, StrFormat, Struct, Ty, TypeDef,
    TypeKind, Union,
};

/// Prelude names a schema may shadow; used bare unless it does.
const PRELUDE: &[&str] = &["String", "Vec", "Option", "Box"];

pub(crate) struct Types<'a> {
    api: &'a Api,
    shadowed: HashSet<&'static str>,
    /// Types whose `validate_at` checks nothing, so callers can skip them.
    trivial: Vec<bool>,
    /// Path to the types module from where the code goes (`super::types::` for the server).
    prefix: TokenStream,
}

pub(crate) fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

impl<'a> Types<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        let shadowed = PRELUDE
            .iter()
            .copied()
            .filter(|p| api.types.defs.iter().any(|d| d.name == *p))
            .collect();
        let mut this = Self {
            api,
            shadowed,
            trivial: vec![true; api.types.defs.len()],
            prefix: TokenStream::new(),
        };
        // Fixpoint: a type is non-trivial when anything it holds needs a check.
        loop {
            let mut changed = false;
            for (i, d) in api.types.defs.iter().enumerate() {
                if this.trivial[i] && !this.def_is_trivial(d) {
                    this.trivial[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break this;
            }
        }
    }

    /// The same emitter for code in a sibling module of `types`.
    pub(crate) fn for_sibling(mut self) -> Self {
        self.prefix = quote!(super::types::);
        self
    }

    fn def_is_trivial(&self, d: &TypeDef) -> bool {
        match &d.kind {
            TypeKind::Struct(s) => {
                s.min_properties.is_none()
                    && s.max_properties.is_none()
                    && s.fields.iter().all(|f| !f.refused && !self.needs(&f.node))
                    && match &s.extra {
                        Extra::Map { node, .. } => !self.needs(node),
                        _ => true,
                    }
            }
            TypeKind::Enum(e) => !e.fallback,
            TypeKind::Union(u) => u.variants.iter().all(|v| !self.needs(&v.node)),
            TypeKind::Newtype(n) | TypeKind::Alias(n) => !self.needs(n),
        }
    }

    fn prelude(&self, name: &'static str, full: TokenStream) -> TokenStream {
        if self.shadowed.contains(name) {
            full
        } else {
            let id = format_ident!("{}", name);
            quote!(#id)
        }
    }

    pub(crate) fn string(&self) -> TokenStream {
        self.prelude("String", quote!(::std::string::String))
    }

    pub(crate) fn option(&self, inner: TokenStream) -> TokenStream {
        let o = self.prelude("Option", quote!(::std::option::Option));
        quote!(#o<#inner>)
    }

    fn def(&self, node: &Node) -> Option<&TypeDef> {
        match node.ty {
            Ty::Named(id) => Some(self.api.types.get(id)),
            _ => None,
        }
    }

    /// Whether a value of this node may be `null`.
    pub(crate) fn nullable(&self, node: &Node) -> bool {
        node.nullable
            || self.def(node).is_some_and(|d| {
                d.nullable
                    && matches!(
                        d.kind,
                        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_)
                    )
            })
    }

    /// The Rust type of a node, without the `Option` of nullability.
    pub(crate) fn base(&self, node: &Node) -> TokenStream {
        let t = match &node.ty {
            Ty::Any => quote!(sb::Value),
            Ty::Object => {
                let s = self.string();
                quote!(sb::Map<#s, sb::Value>)
            }
            Ty::Bool => quote!(bool),
            Ty::Int(IntFormat::I32) => quote!(i32),
            Ty::Int(IntFormat::I64) => quote!(i64),
            Ty::Int(IntFormat::U32) => quote!(u32),
            Ty::Int(IntFormat::U64) => quote!(u64),
            Ty::Float(FloatFormat::F32) => quote!(f32),
            Ty::Float(FloatFormat::F64) => quote!(f64),
            Ty::Str(StrFormat::Plain) => self.string(),
            Ty::Str(StrFormat::DateTime) => {
                quote!(sb::DateTime<sb::Utc>)
            }
            Ty::Str(StrFormat::Date) => quote!(sb::NaiveDate),
            Ty::Str(StrFormat::Uuid) => quote!(sb::Uuid),
            Ty::Str(StrFormat::Byte) => quote!(sb::Base64),
            Ty::Array(item) => {
                let v = self.prelude("Vec", quote!(::std::vec::Vec));
                let item = self.value(item);
                quote!(#v<#item>)
            }
            Ty::Map(value) => {
                let s = self.string();
                let value = self.value(value);
                quote!(::std::collections::BTreeMap<#s, #value>)
            }
            Ty::Named(id) => {
                let name = ident(&self.api.types.get(*id).name);
                let prefix = &self.prefix;
                quote!(#prefix #name)
            }
        };
        if node.boxed {
            let b = self.prelude("Box", quote!(::std::boxed::Box));
            quote!(#b<#t>)
        } else {
            t
        }
    }

    /// The Rust type of a node in value position (array item, map value, newtype).
    pub(crate) fn value(&self, node: &Node) -> TokenStream {
        let base = self.base(node);
        if self.nullable(node) {
            self.option(base)
        } else {
            base
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let items = self.api.types.defs.iter().map(|d| {
            let item = match &d.kind {
                TypeKind::Struct(s) => self.structure(d, s),
                TypeKind::Enum(e) => self.str_enum(d, e),
                TypeKind::Union(u) => self.union(d, u),
                TypeKind::Newtype(n) => self.newtype(d, n),
                TypeKind::Alias(n) => {
                    let docs = doc_attrs(&d.doc, &self.fallback_doc(d));
                    let name = ident(&d.name);
                    let target = self.value(n);
                    quote! { #docs pub type #name = #target; }
                }
            };
            let conversion = self.view_conversion(d);
            quote! { #item #conversion }
        });
        quote! { #(#items)* }
    }

    /// A response view is made from its full model: `From` and `IntoView` (which nested views
    /// and containers of them use).
    fn view_conversion(&self, d: &TypeDef) -> TokenStream {
        let Some(view) = d.view.filter(|v| v.side == Side::Response) else {
            return quote!();
        };
        let full = self.api.types.get(view.of);
        let (name, from) = (ident(&d.name), ident(&full.name));
        let convert = |changed: bool, v: TokenStream| {
            if changed {
                quote!(sb::IntoView::into_view(#v))
            } else {
                v
            }
        };
        let body = match (&d.kind, &full.kind) {
            (TypeKind::Struct(s), TypeKind::Struct(o)) => {
                let mut fields: Vec<TokenStream> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let n = ident(&f.name);
                        let changed = o
                            .fields
                            .iter()
                            .any(|x| x.wire == f.wire && x.node != f.node);
                        let v = convert(changed, quote!(self.#n));
                        quote!(#n: #v)
                    })
                    .collect();
                if let (Extra::Map { name, node }, Extra::Map { node: old, .. }) =
                    (&s.extra, &o.extra)
                {
                    let n = ident(name);
                    let v = convert(node != old, quote!(self.#n));
                    fields.push(quote!(#n: #v));
                }
                quote!(#name { #(#fields),* })
            }
            (TypeKind::Union(u), TypeKind::Union(o)) => {
                let arms = u.variants.iter().zip(&o.variants).map(|(v, w)| {
                    let vn = ident(&v.name);
                    let unboxed = |n: &Node| Node {
                        boxed: false,
                        ..n.clone()
                    };
                    let changed = unboxed(&v.node) != unboxed(&w.node);
                    // The layout pass may box a variant of one and not of the other.
                    let inner = if w.node.boxed && !v.node.boxed {
                        quote!(*v)
                    } else {
                        quote!(v)
                    };
                    let mut e = convert(changed, inner);
                    if v.node.boxed && !w.node.boxed {
                        e = quote!(Box::new(#e));
                    }
                    quote!(#from::#vn(v) => #name::#vn(#e),)
                });
                quote!(match self { #(#arms)* })
            }
            (TypeKind::Newtype(_), TypeKind::Newtype(_)) => {
                quote!(#name(sb::IntoView::into_view(self.0)))
            }
            // An alias names its target's type, which converts itself.
            _ => return quote!(),
        };
        quote! {
            impl sb::IntoView<#name> for #from {
                fn into_view(self) -> #name { #body }
            }
            impl ::std::convert::From<#from> for #name {
                fn from(value: #from) -> Self { sb::IntoView::into_view(value) }
            }
        }
    }

    fn fallback_doc(&self, d: &TypeDef) -> String {
        match &d.schema_name {
            Some(s) => format!("The `{}` schema.", s.replace('`', "'")),
            None => format!("`{}`, a schema defined inline.", d.name),
        }
    }

    /// `impl Validate for #name` running `body` (which sees `path` and `out`); the trait's
    /// default checks nothing.
    pub(crate) fn validate_impl(&self, name: &syn::Ident, body: TokenStream) -> TokenStream {
        if body.is_empty() {
            quote!(impl sb::Validate for #name {})
        } else {
            quote! {
                impl sb::Validate for #name {
                    fn validate_at(&self, path: &sb::Path<'_>, out: &mut sb::Violations) {
                        #body
                    }
                }
            }
        }
    }

    /// A default value as a Rust expression, when the node's type can hold it simply.
    pub(crate) fn default_expr(&self, node: &Node) -> Option<TokenStream> {
        let d = node.default.as_ref()?;
        if node.boxed {
            return None;
        }
        match (&node.ty, d) {
            (Ty::Bool, Value::Bool(b)) => Some(quote!(#b)),
            (Ty::Int(f), Value::Number(n)) => int_lit(*f, n),
            (Ty::Float(f), Value::Number(n)) => n.as_f64().map(|x| float_lit(*f, x)),
            (Ty::Str(StrFormat::Plain), Value::String(s)) => {
                if s.is_empty() {
                    let st = self.string();
                    Some(quote!(#st::new()))
                } else {
                    Some(quote!(::std::borrow::ToOwned::to_owned(#s)))
                }
            }
            (Ty::Named(id), Value::String(s)) => match &self.api.types.get(*id).kind {
                TypeKind::Enum(e) => {
                    let v = e.variants.iter().find(|v| v.value == *s)?;
                    let t = ident(&self.api.types.get(*id).name);
                    let var = ident(&v.name);
                    let prefix = &self.prefix;
                    Some(quote!(#prefix #t::#var))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn structure(&self, d: &TypeDef, s: &Struct) -> TokenStream {
        let name = ident(&d.name);
        let docs = doc_attrs(&d.doc, &self.fallback_doc(d));
        let mut fields = Vec::new();
        let mut defaults = Vec::new();
        let mut checks = Vec::new();
        let mut all_optional = true;
        for f in &s.fields {
            let (field, default, check) = self.field(&d.name, f);
            all_optional &= !f.required && default.is_none();
            fields.push(field);
            defaults.extend(default);
            checks.push(check);
        }
        let mut serde_attrs = vec![quote!(crate = "sb::serde")];
        match &s.extra {
            Extra::Deny => serde_attrs.push(quote!(deny_unknown_fields)),
            Extra::Map { name, node } => {
                let fname = ident(name);
                let st = self.string();
                let value = self.value(node);
                fields.push(quote! {
                    /// Properties not listed in the schema.
                    #[serde(flatten)]
                    pub #fname: ::std::collections::BTreeMap<#st, #value>,
                });
                let body = self.checks_of(
                    node,
                    &Place::bound(quote!(v)),
                    &Loc::at(quote!(path.key(k))),
                    false,
                    self.nullable(node),
                );
                if !body.is_empty() {
                    checks.push(quote!(for (k, v) in &self.#fname { #body }));
                }
            }
            Extra::Ignore => {}
        }
        if s.min_properties.is_some() || s.max_properties.is_some() {
            let required = s.fields.iter().filter(|f| f.required).count()
                + s.fields
                    .iter()
                    .filter(|f| !f.required && self.default_expr(&f.node).is_some())
                    .count();
            let mut terms = Vec::new();
            if required > 0 {
                terms.push(quote!(#required));
            }
            for f in s
                .fields
                .iter()
                .filter(|f| !f.required && self.default_expr(&f.node).is_none())
            {
                let fname = ident(&f.name);
                terms.push(quote!(usize::from(self.#fname.is_some())));
            }
            if let Extra::Map { name, .. } = &s.extra {
                let fname = ident(name);
                terms.push(quote!(self.#fname.len()));
            }
            let count = if terms.is_empty() {
                quote!(0)
            } else {
                quote!(#(#terms)+*)
            };
            let mut c = quote!(let count: usize = #count;);
            if let Some(n) = s.min_properties {
                c.extend(quote!(sb::check::min_properties(count, #n, path, out);));
            }
            if let Some(n) = s.max_properties {
                c.extend(quote!(sb::check::max_properties(count, #n, path, out);));
            }
            checks.push(c);
        }
        let derive_default = if all_optional {
            quote!(Default,)
        } else {
            quote!()
        };
        let default_impl = if defaults.is_empty() {
            quote!()
        } else {
            quote! { impl #name { #(#defaults)* } }
        };
        let validate = self.validate_impl(&name, quote!(#(#checks)*));
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #derive_default sb::Serialize, sb::Deserialize)]
            #[serde(#(#serde_attrs),*)]
            pub struct #name {
                #(#fields)*
            }
            #default_impl
            #validate
        }
    }

    /// A struct field: its declaration, its default function, its checks.
    fn field(&self, owner: &str, f: &Field) -> (TokenStream, Option<TokenStream>, TokenStream) {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let mut attrs = Vec::new();
        if unraw(&f.name) != f.wire {
            attrs.push(quote!(rename = #wire));
        }
        let nullable = self.nullable(&f.node);
        let base = self.base(&f.node);
        let is_none = if self.shadowed.contains("Option") {
            "::std::option::Option::is_none"
        } else {
            "Option::is_none"
        };
        let default = if f.required || f.refused {
            None
        } else {
            self.default_expr(&f.node)
        };
        let mut default_fn = None;
        // How to reach the value for checks: a pattern binding `v`.
        let (ty, binding) = match (f.required, nullable) {
            (true, false) => (base, Binding::Plain),
            (true, true) => {
                // Without `deserialize_with`, serde would take a missing `Option` as `None`.
                attrs.push(quote!(deserialize_with = "sb::Deserialize::deserialize"));
                (self.option(base), Binding::Some)
            }
            (false, true) => {
                attrs.push(quote!(default));
                attrs.push(quote!(skip_serializing_if = #is_none));
                attrs.push(quote!(deserialize_with = "sb::double_option::deserialize"));
                let inner = self.option(base);
                (self.option(inner), Binding::SomeSome)
            }
            (false, false) => match default {
                Some(expr) => {
                    let fn_name = format_ident!("default_{}", unraw(&f.name));
                    let path = format!("{owner}::{fn_name}");
                    attrs.push(quote!(default = #path));
                    default_fn = Some(quote! {
                        fn #fn_name() -> #base { #expr }
                    });
                    (base, Binding::Plain)
                }
                None => {
                    attrs.push(quote!(default));
                    attrs.push(quote!(skip_serializing_if = #is_none));
                    attrs.push(quote!(deserialize_with = "sb::non_null::deserialize"));
                    (self.option(base), Binding::Some)
                }
            },
        };
        let docs = doc_attrs(
            &f.node.doc,
            &format!("The `{}` property.", f.wire.replace('`', "'")),
        );
        let serde = if attrs.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#(#attrs),*)])
        };
        let decl = quote! {
            #docs
            #serde
            pub #fname: #ty,
        };
        if f.refused {
            let decl = quote! {
                #[doc = " A `readOnly` property: a request that sets it is refused."]
                #serde
                pub #fname: #ty,
            };
            let check = quote! {
                sb::check::read_only(self.#fname.is_some(), &path.field(#wire), out);
            };
            return (decl, None, check);
        }
        // Checks on the inner value, not counting the nullability handled by the binding.
        let check = self.checks_of(
            &f.node,
            &Place::field(&fname),
            &Loc::at(quote!(path.field(#wire))),
            !matches!(binding, Binding::Plain),
            matches!(binding, Binding::SomeSome),
        );
        (decl, default_fn, check)
    }

    /// Whether values of the node have a text form (`FromStr` and `Display`): what a
    /// parameter or header of it is read and written as.
    pub(crate) fn is_scalar(&self, n: &Node) -> bool {
        if self.nullable(n) || n.boxed {
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
            Ty::Named(id) => match &self.api.types.get(*id).kind {
                TypeKind::Enum(_) => true,
                TypeKind::Newtype(inner) => !inner.nullable && plain(&inner.ty),
                TypeKind::Alias(inner) => self.is_scalar(inner),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether a named type's `validate_at` checks nothing.
    pub(crate) fn is_trivial(&self, id: crate::ir::TypeId) -> bool {
        self.trivial[id.0]
    }

    /// Whether values of the node need any check.
    pub(crate) fn needs(&self, node: &Node) -> bool {
        checks_apply(node)
            || match &node.ty {
                Ty::Named(id) => !self.trivial[id.0],
                Ty::Array(i) | Ty::Map(i) => self.needs(i),
                _ => false,
            }
    }

    fn str_enum(&self, d: &TypeDef, e: &StrEnum) -> TokenStream {
        let name = ident(&d.name);
        let docs = doc_attrs(&d.doc, &self.fallback_doc(d));
        let variants = e.variants.iter().enumerate().map(|(i, v)| {
            let vn = ident(&v.name);
            let value = &v.value;
            let default = if e.default == Some(i) {
                quote!(#[default])
            } else {
                quote!()
            };
            let doc = if value.is_empty() {
                " The empty string.".to_owned()
            } else {
                format!(" `{}`", value.replace('`', "'"))
            };
            if v.name == v.value {
                quote! { #[doc = #doc] #default #vn, }
            } else {
                quote! { #[doc = #doc] #default #[serde(rename = #value)] #vn, }
            }
        });
        let arms = e.variants.iter().map(|v| {
            let vn = ident(&v.name);
            let value = &v.value;
            quote!(Self::#vn => #value,)
        });
        let (derive_copy, fallback_variant, fallback_arm, ret) = if e.fallback {
            let st = self.string();
            (
                quote!(),
                quote! {
                    /// A value the spec does not list; `validate()` reports it.
                    #[serde(untagged)]
                    Unknown(#st),
                },
                quote!(Self::Unknown(v) => v.as_str(),),
                quote!(&str),
            )
        } else {
            (quote!(Copy,), quote!(), quote!(), quote!(&'static str))
        };
        let allow = if enum_names_lint(&d.name, e.variants.iter().map(|v| v.name.as_str())) {
            quote!(#[allow(clippy::enum_variant_names, reason = "variant names are the spec's values")])
        } else {
            quote!()
        };
        let derive_default = if e.default.is_some() {
            quote!(Default,)
        } else {
            quote!()
        };
        let parse_arms = e.variants.iter().map(|v| {
            let vn = ident(&v.name);
            let value = &v.value;
            quote!(#value => ::std::result::Result::Ok(Self::#vn),)
        });
        let expected: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
        let parse_fallback = if e.fallback {
            quote!(other => ::std::result::Result::Ok(Self::Unknown(::std::borrow::ToOwned::to_owned(other))),)
        } else {
            quote!(other => ::std::result::Result::Err(sb::ParseEnumError::new(other, &[#(#expected),*])),)
        };
        let validate = if e.fallback {
            self.validate_impl(
                &name,
                quote! {
                    if let Self::Unknown(v) = self {
                        sb::check::unknown_enum(v, path, out);
                    }
                },
            )
        } else {
            self.validate_impl(&name, quote!())
        };
        quote! {
            #docs
            #allow
            #[derive(Debug, Clone, #derive_copy #derive_default PartialEq, Eq, Hash, sb::Serialize, sb::Deserialize)]
            #[serde(crate = "sb::serde")]
            pub enum #name {
                #(#variants)*
                #fallback_variant
            }
            impl #name {
                /// The value as written on the wire.
                pub fn as_str(&self) -> #ret {
                    match self {
                        #(#arms)*
                        #fallback_arm
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = sb::ParseEnumError;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    match value {
                        #(#parse_arms)*
                        #parse_fallback
                    }
                }
            }
            #validate
        }
    }

    fn union(&self, d: &TypeDef, u: &Union) -> TokenStream {
        let name = ident(&d.name);
        let docs = doc_attrs(&d.doc, &self.fallback_doc(d));
        let ty_of = |i: usize| self.value(&u.variants[i].node);
        let variants = u.variants.iter().enumerate().map(|(i, v)| {
            let vn = ident(&v.name);
            let t = ty_of(i);
            let doc = match (&v.node.ty, v.tags.first()) {
                (_, Some(tag)) if u.tag.is_some() => {
                    format!(" Chosen when the tag is `{}`.", tag.replace('`', "'"))
                }
                (Ty::Named(id), _) => format!(" A `{}`.", self.api.types.get(*id).name),
                _ => " A value of this shape.".to_owned(),
            };
            quote! { #[doc = #doc] #vn(#t), }
        });
        // Validation: one arm per variant that has anything to check; a nullable variant
        // matches `Some` in its pattern.
        let mut exhaustive = true;
        let checked: Vec<(TokenStream, TokenStream)> = u
            .variants
            .iter()
            .filter_map(|v| {
                let inner = Node {
                    nullable: false,
                    ..v.node.clone()
                };
                let body = self.checks_at(&inner, &Place::bound(quote!(v)), &Loc::root());
                if body.is_empty() {
                    return None;
                }
                let vn = ident(&v.name);
                if self.nullable(&v.node) {
                    exhaustive = false;
                    Some((quote!(Self::#vn(Some(v))), body))
                } else {
                    Some((quote!(Self::#vn(v)), body))
                }
            })
            .collect();
        let arms = checked.iter().map(|(pat, body)| quote!(#pat => { #body }));
        let body = match checked.len() {
            0 => quote!(),
            1 => {
                let (pat, body) = &checked[0];
                quote!(if let #pat = self { #body })
            }
            n if n == u.variants.len() && exhaustive => quote!(match self { #(#arms)* }),
            _ => quote!(match self { #(#arms)* _ => {} }),
        };
        let validate = self.validate_impl(&name, body);
        let allow = if enum_names_lint(&d.name, u.variants.iter().map(|v| v.name.as_str())) {
            quote!(#[allow(clippy::enum_variant_names, reason = "variant names are the spec's schema names")])
        } else {
            quote!()
        };
        match &u.tag {
            None => quote! {
                #docs
                #allow
                #[derive(Debug, Clone, PartialEq, sb::Serialize, sb::Deserialize)]
                #[serde(crate = "sb::serde", untagged)]
                pub enum #name {
                    #(#variants)*
                }
                #validate
            },
            Some(tag) => {
                let mut seen = HashSet::new();
                let mut expected = Vec::new();
                let de_arms = u
                    .variants
                    .iter()
                    .filter_map(|v| {
                        let tags: Vec<&String> = v
                            .tags
                            .iter()
                            .filter(|t| seen.insert((*t).clone()))
                            .collect();
                        if tags.is_empty() {
                            return None;
                        }
                        expected.extend(tags.iter().map(|t| t.as_str().to_owned()));
                        let vn = ident(&v.name);
                        Some(quote!(#(#tags)|* => sb::tagged::from_value(value).map(Self::#vn),))
                    })
                    .collect::<Vec<_>>();
                let ser_arms = u.variants.iter().map(|v| {
                    let vn = ident(&v.name);
                    let tag_value = v.tags.first().cloned().unwrap_or_default();
                    quote!(Self::#vn(v) => sb::tagged::serialize(v, #tag, #tag_value, serializer),)
                });
                quote! {
                    #docs
                    #allow
                    #[derive(Debug, Clone, PartialEq)]
                    pub enum #name {
                        #(#variants)*
                    }
                    impl sb::Serialize for #name {
                        fn serialize<S: sb::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                            match self {
                                #(#ser_arms)*
                            }
                        }
                    }
                    impl<'de> sb::Deserialize<'de> for #name {
                        fn deserialize<D: sb::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            let (tag, value) = sb::tagged::split(deserializer, #tag)?;
                            match tag.as_str() {
                                #(#de_arms)*
                                other => ::std::result::Result::Err(sb::tagged::unknown_tag(#tag, other, &[#(#expected),*])),
                            }
                        }
                    }
                    #validate
                }
            }
        }
    }

    fn newtype(&self, d: &TypeDef, n: &Node) -> TokenStream {
        let name = ident(&d.name);
        let docs = doc_attrs(&d.doc, &self.fallback_doc(d));
        let inner = self.value(n);
        let body = self.checks_of(
            n,
            &Place::of(quote!(self.0)),
            &Loc::root(),
            false,
            self.nullable(n),
        );
        let scalar = !self.nullable(n)
            && !n.boxed
            && matches!(
                n.ty,
                Ty::Bool
                    | Ty::Int(_)
                    | Ty::Float(_)
                    | Ty::Str(
                        StrFormat::Plain | StrFormat::Uuid | StrFormat::Date | StrFormat::DateTime
                    )
            );
        let from_str = if scalar {
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = <#inner as ::std::str::FromStr>::Err;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        value.parse().map(Self)
                    }
                }
            }
        } else {
            quote!()
        };
        let validate = self.validate_impl(&name, body);
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, sb::Serialize, sb::Deserialize)]
            #[serde(crate = "sb::serde", transparent)]
            pub struct #name(pub #inner);
            impl ::std::convert::From<#inner> for #name {
                fn from(value: #inner) -> Self { Self(value) }
            }
            impl ::std::ops::Deref for #name {
                type Target = #inner;
                fn deref(&self) -> &#inner { &self.0 }
            }
            #from_str
            #validate
        }
    }
}

enum Binding {
    Plain,
    Some,
    SomeSome,
}

/// Whether any constraint of the node is one the emitter checks for its type.
pub(super) fn checks_apply(node: &Node) -> bool {
    let c = &node.checks;
    let bounds = c.minimum.is_some()
        || c.maximum.is_some()
        || c.exclusive_minimum.is_some()
        || c.exclusive_maximum.is_some()
        || c.multiple_of.is_some()
        || c.enumeration.is_some()
        || c.constant.is_some();
    match &node.ty {
        Ty::Str(StrFormat::Plain) => {
            c.min_length.is_some()
                || c.max_length.is_some()
                || c.pattern.is_some()
                || c.format.as_deref().and_then(format_variant).is_some()
                || c.enumeration.is_some()
                || c.constant.is_some()
        }
        Ty::Int(_) | Ty::Float(_) => bounds,
        Ty::Bool => c.enumeration.as_ref().is_some_and(|e| e.len() == 1),
        Ty::Array(_) => c.min_items.is_some() || c.max_items.is_some() || c.unique_items,
        Ty::Map(_) | Ty::Object => c.min_properties.is_some() || c.max_properties.is_some(),
        Ty::Any => c.enumeration.is_some() || c.constant.is_some(),
        Ty::Str(_) | Ty::Named(_) => false,
    }
}

pub(super) fn has_inner_checks(node: &Node) -> bool {
    match &node.ty {
        Ty::Array(i) | Ty::Map(i) => checks_apply(i) || has_inner_checks(i),
        _ => false,
    }
}

pub(super) fn int_lit(f: IntFormat, n: &Number) -> Option<TokenStream> {
    let lit = match f {
        IntFormat::I32 => Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?),
        IntFormat::I64 => Literal::i64_suffixed(n.as_i64()?),
        IntFormat::U32 => Literal::u32_suffixed(u32::try_from(n.as_u64()?).ok()?),
        IntFormat::U64 => Literal::u64_suffixed(n.as_u64()?),
    };
    Some(quote!(#lit))
}

pub(super) fn float_lit(f: FloatFormat, x: f64) -> TokenStream {
    match f {
        FloatFormat::F32 => {
            let l = Literal::f32_suffixed(x as f32);
            quote!(#l)
        }
        FloatFormat::F64 => {
            let l = Literal::f64_suffixed(x);
            quote!(#l)
        }
    }
}

pub(super) fn format_variant(f: &str) -> Option<&'static str> {
    Some(match f {
        "email" => "Email",
        "idn-email" => "IdnEmail",
        "hostname" => "Hostname",
        "idn-hostname" => "IdnHostname",
        "ipv4" => "Ipv4",
        "ipv6" => "Ipv6",
        "uri" => "Uri",
        "uri-reference" => "UriReference",
        "iri" => "Iri",
        "iri-reference" => "IriReference",
        "uri-template" => "UriTemplate",
        "time" => "Time",
        "duration" => "Duration",
        "json-pointer" => "JsonPointer",
        "relative-json-pointer" => "RelativeJsonPointer",
        "regex" => "Regex",
        _ => return None,
    })
}

/// The words of an UpperCamelCase name.
fn camel_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

/// Whether clippy's `enum_variant_names` would fire: three or more variants sharing a first
/// or last word, or a variant that starts or ends with the enum's name.
fn enum_names_lint<'a>(enum_name: &str, variants: impl Iterator<Item = &'a str>) -> bool {
    let variants: Vec<&str> = variants.collect();
    if variants.iter().any(|v| {
        let v = v.trim_end_matches('_');
        v.len() > enum_name.len() && (v.starts_with(enum_name) || v.ends_with(enum_name))
    }) {
        return true;
    }
    if variants.len() < 3 {
        return false;
    }
    let first = camel_words(variants[0]);
    let same_first = variants.iter().all(|v| {
        let w = camel_words(v);
        w.len() > 1 && w.first() == first.first()
    });
    let same_last = variants.iter().all(|v| {
        let w = camel_words(v);
        w.len() > 1 && w.last() == first.last()
    });
    same_first || same_last
}
