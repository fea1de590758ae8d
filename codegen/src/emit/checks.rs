//! Validation code: the calls of `sb::check` that a value's constraints need, one runtime
//! call per constraint, for every emitter.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Number, Value};

use super::types::{Types, float_lit, format_variant, int_lit};
use crate::ir::{FloatFormat, IntFormat, Node, StrFormat, Ty};

/// How generated code reaches a value: as a place (for method calls), by reference, and by
/// value (for `Copy` values).
#[derive(Clone)]
pub(crate) struct Place {
    place: TokenStream,
    by_ref: TokenStream,
    by_val: TokenStream,
}

impl Place {
    /// A field of `self`.
    pub(crate) fn field(name: &syn::Ident) -> Self {
        Self::of(quote!(self.#name))
    }

    /// A place expression (`self.0`).
    pub(crate) fn of(place: TokenStream) -> Self {
        Self {
            by_ref: quote!(&#place),
            by_val: place.clone(),
            place,
        }
    }

    /// A binding `v` that is a reference.
    pub(crate) fn bound(v: TokenStream) -> Self {
        Self {
            place: v.clone(),
            by_ref: v.clone(),
            by_val: quote!(*#v),
        }
    }
}

/// Where a value is, for its error messages: the `Path` of the value being validated
/// (`path`, a `&Path` in scope) or an expression building a child of it.
pub(crate) struct Loc {
    by_ref: TokenStream,
    by_val: TokenStream,
}

impl Loc {
    /// The path in scope itself.
    pub(crate) fn root() -> Self {
        Self {
            by_ref: quote!(path),
            by_val: quote!(*path),
        }
    }

    /// An expression of type `Path`, such as `path.field("name")`.
    pub(crate) fn at(expr: TokenStream) -> Self {
        Self {
            by_ref: quote!(&#expr),
            by_val: expr,
        }
    }
}

impl Types<'_> {
    /// The checks of a non-null `node` at `place`, located at `path`: nothing, one call, or a
    /// block binding the path.
    pub(crate) fn checks_at(&self, node: &Node, place: &Place, path: &Loc) -> TokenStream {
        let p = quote!(&p);
        let calls = self.calls(node, place, &p);
        match calls.as_slice() {
            [] => quote!(),
            // One call on a scalar takes its path in place.
            [_] if !self.is_container(node) => {
                let calls = self.calls(node, place, &path.by_ref);
                quote!(#(#calls)*)
            }
            _ => {
                let path = &path.by_val;
                quote!({ let p = #path; #(#calls)* })
            }
        }
    }

    /// The checks of a value that may be absent or null: `optional` for an `Option` field,
    /// `nullable` for a nullable value (`Option` inside), both for `Option<Option<T>>`.
    pub(crate) fn checks_of(
        &self,
        node: &Node,
        place: &Place,
        path: &Loc,
        optional: bool,
        nullable: bool,
    ) -> TokenStream {
        let inner = Node {
            nullable: false,
            ..node.clone()
        };
        let pattern = match (optional, nullable) {
            (false, false) => return self.checks_at(&inner, place, path),
            (true, true) => quote!(Some(Some(v))),
            _ => quote!(Some(v)),
        };
        let body = self.checks_at(&inner, &Place::bound(quote!(v)), path);
        if body.is_empty() {
            return body;
        }
        let source = &place.by_ref;
        quote!(if let #pattern = #source { #body })
    }

    fn is_container(&self, node: &Node) -> bool {
        matches!(node.ty, Ty::Array(_) | Ty::Map(_))
    }

    /// One statement per constraint of `node` (never null here), located at `p` (a `&Path`).
    fn calls(&self, node: &Node, v: &Place, p: &TokenStream) -> Vec<TokenStream> {
        let c = &node.checks;
        let mut out = Vec::new();
        let ck = quote!(sb::check);
        let (place, by_ref, by_val) = (&v.place, &v.by_ref, &v.by_val);
        match &node.ty {
            Ty::Str(StrFormat::Plain) => {
                if let Some(n) = c.min_length {
                    out.push(quote!(#ck::min_length(#by_ref, #n, #p, out);));
                }
                if let Some(n) = c.max_length {
                    out.push(quote!(#ck::max_length(#by_ref, #n, #p, out);));
                }
                if let Some(pat) = &c.pattern {
                    out.push(quote! {
                        {
                            static PATTERN: sb::Pattern = sb::Pattern::new(#pat);
                            #ck::pattern(#by_ref, &PATTERN, #p, out);
                        }
                    });
                }
                if let Some(f) = c.format.as_deref().and_then(format_variant) {
                    let f = format_ident!("{}", f);
                    out.push(quote!(#ck::format(#by_ref, sb::Format::#f, #p, out);));
                }
                if let Some(values) = &c.enumeration {
                    let strs: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    if strs.len() == values.len() {
                        out.push(quote!(#ck::enum_str(#by_ref, &[#(#strs),*], #p, out);));
                    }
                }
                if let Some(Value::String(s)) = &c.constant {
                    out.push(quote!(#ck::const_value(#place.as_str(), #s, #p, out);));
                }
            }
            Ty::Int(f) => {
                let lit = |n: &Number| int_lit(*f, n);
                let mut bound = |n: &Option<Number>, func: &str| {
                    let Some(n) = n else { return };
                    // The type's own range says it already (`minimum: 0` of a `u64`).
                    if func == "minimum"
                        && matches!(f, IntFormat::U32 | IntFormat::U64)
                        && n.as_u64() == Some(0)
                    {
                        return;
                    }
                    let func = format_ident!("{}", func);
                    match lit(n) {
                        Some(l) => out.push(quote!(#ck::#func(#by_val, #l, #p, out);)),
                        None => {
                            let fl = float_lit(FloatFormat::F64, n.as_f64().unwrap_or(0.0));
                            out.push(quote!(#ck::#func(#by_val as f64, #fl, #p, out);));
                        }
                    }
                };
                bound(&c.minimum, "minimum");
                bound(&c.exclusive_minimum, "exclusive_minimum");
                bound(&c.maximum, "maximum");
                bound(&c.exclusive_maximum, "exclusive_maximum");
                if let Some(m) = &c.multiple_of {
                    if let Some(m) = m.as_i64() {
                        let m = Literal::i128_unsuffixed(i128::from(m));
                        out.push(quote!(#ck::multiple_of_int(i128::from(#by_val), #m, #p, out);));
                    } else if let Some(m) = m.as_f64() {
                        let m = float_lit(FloatFormat::F64, m);
                        out.push(quote!(#ck::multiple_of_float(#by_val as f64, #m, #p, out);));
                    }
                }
                if let Some(values) = &c.enumeration {
                    let lits: Option<Vec<TokenStream>> =
                        values.iter().map(|x| x.as_number().and_then(lit)).collect();
                    if let Some(lits) = lits {
                        out.push(quote!(#ck::enum_value(#by_ref, &[#(#lits),*], #p, out);));
                    }
                }
                if let Some(Value::Number(n)) = &c.constant {
                    if let Some(l) = lit(n) {
                        out.push(quote!(#ck::const_value(#by_ref, &#l, #p, out);));
                    }
                }
            }
            Ty::Float(f) => {
                let conv = match f {
                    FloatFormat::F32 => quote!(f64::from(#by_val)),
                    FloatFormat::F64 => quote!(#by_val),
                };
                let mut bound = |n: &Option<Number>, func: &str| {
                    if let Some(x) = n.as_ref().and_then(Number::as_f64) {
                        let func = format_ident!("{}", func);
                        let l = float_lit(FloatFormat::F64, x);
                        out.push(quote!(#ck::#func(#conv, #l, #p, out);));
                    }
                };
                bound(&c.minimum, "minimum");
                bound(&c.exclusive_minimum, "exclusive_minimum");
                bound(&c.maximum, "maximum");
                bound(&c.exclusive_maximum, "exclusive_maximum");
                if let Some(m) = c.multiple_of.as_ref().and_then(Number::as_f64) {
                    let m = float_lit(FloatFormat::F64, m);
                    out.push(quote!(#ck::multiple_of_float(#conv, #m, #p, out);));
                }
                if let Some(values) = &c.enumeration {
                    let lits: Option<Vec<TokenStream>> = values
                        .iter()
                        .map(|x| x.as_f64().map(|x| float_lit(*f, x)))
                        .collect();
                    if let Some(lits) = lits {
                        out.push(quote!(#ck::enum_value(#by_ref, &[#(#lits),*], #p, out);));
                    }
                }
            }
            Ty::Bool => {
                if let Some(values) = &c.enumeration {
                    let bools: Vec<bool> = values.iter().filter_map(Value::as_bool).collect();
                    if bools.len() == values.len() && bools.len() == 1 {
                        out.push(quote!(#ck::enum_value(#by_ref, &[#(#bools),*], #p, out);));
                    }
                }
            }
            Ty::Array(item) => {
                if let Some(n) = c.min_items {
                    out.push(quote!(#ck::min_items(#place.len(), #n, #p, out);));
                }
                if let Some(n) = c.max_items {
                    out.push(quote!(#ck::max_items(#place.len(), #n, #p, out);));
                }
                if c.unique_items {
                    out.push(quote!(#ck::unique_items(#by_ref, #p, out);));
                }
                out.extend(self.items(
                    item,
                    v,
                    p,
                    quote!(for (i, v) in #place.iter().enumerate()),
                    quote!(index(i)),
                ));
            }
            Ty::Map(value) => {
                if let Some(n) = c.min_properties {
                    out.push(quote!(#ck::min_properties(#place.len(), #n, #p, out);));
                }
                if let Some(n) = c.max_properties {
                    out.push(quote!(#ck::max_properties(#place.len(), #n, #p, out);));
                }
                out.extend(self.items(value, v, p, quote!(for (k, v) in #by_ref), quote!(key(k))));
            }
            Ty::Object => {
                if let Some(n) = c.min_properties {
                    out.push(quote!(#ck::min_properties(#place.len(), #n, #p, out);));
                }
                if let Some(n) = c.max_properties {
                    out.push(quote!(#ck::max_properties(#place.len(), #n, #p, out);));
                }
            }
            Ty::Any => {
                if let Some(values) = &c.enumeration {
                    let json: Vec<String> = values.iter().map(Value::to_string).collect();
                    out.push(quote!(#ck::enum_json_text(#by_ref, &[#(#json),*], #p, out);));
                }
                if let Some(k) = &c.constant {
                    let json = k.to_string();
                    out.push(quote!(#ck::const_json_text(#by_ref, #json, #p, out);));
                }
            }
            Ty::Named(id) => {
                if !self.is_trivial(*id) {
                    out.push(quote!(sb::Validate::validate_at(#by_ref, #p, out);));
                }
            }
            Ty::Str(_) => {}
        }
        out
    }

    /// The checks of every item of a container: a loop when the items have constraints of
    /// their own, one `validate_at` of the container when only their types do.
    fn items(
        &self,
        item: &Node,
        container: &Place,
        p: &TokenStream,
        head: TokenStream,
        step: TokenStream,
    ) -> Vec<TokenStream> {
        // Items are checked inside the block that binds `p` (a container is never checked
        // with its path in place).
        if !self.needs(item) {
            return Vec::new();
        }
        let inner = Node {
            nullable: false,
            ..item.clone()
        };
        let direct = !super::types::checks_apply(item) && !super::types::has_inner_checks(item);
        if direct {
            let by_ref = &container.by_ref;
            return vec![quote!(sb::Validate::validate_at(#by_ref, #p, out);)];
        }
        let q = quote!(&p);
        let body = self.calls(&inner, &Place::bound(quote!(v)), &q);
        if body.is_empty() {
            return Vec::new();
        }
        let body = if self.nullable(item) {
            quote!(if let Some(v) = v { #(#body)* })
        } else {
            quote!(#(#body)*)
        };
        vec![quote! {
            #head {
                let p = p.#step;
                #body
            }
        }]
    }
}
