//! The persistence artefact: for every schema with `x-persist`, the runtime's `Model` impl
//! (collection, key, unique properties) and typed `load` / `insert` / `update` / `save` /
//! `delete` / `list` (and `next_id` for integer keys) over the backend the spec names, or
//! any `specbind::persist::Backend` (`Db`, `Memory`) when it names none.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::Types;
use crate::ir::{Api, TypeDef};

pub(crate) struct Persist<'a> {
    api: &'a Api,
    types: Types<'a>,
}

impl<'a> Persist<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Self {
            api,
            types: Types::new(api).for_sibling(),
        }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let models = self.api.types.defs.iter().map(|d| self.model(d));
        // A newtype key implements `Key` once, however many models it keys.
        let mut newtypes: Vec<(crate::ir::TypeId, bool)> = self
            .api
            .types
            .defs
            .iter()
            .filter_map(|d| d.persist_key(&self.api.types).ok())
            .filter_map(|k| k.newtype.map(|id| (id, k.int)))
            .collect();
        newtypes.sort_by_key(|(id, _)| id.0);
        newtypes.dedup_by_key(|(id, _)| id.0);
        let keys = newtypes.into_iter().map(|(id, int)| {
            let name = format_ident!("{}", self.api.types.get(id).name);
            let kind = if int { quote!(Int) } else { quote!(Text) };
            quote! {
                impl ::specbind::persist::Key for super::types::#name {
                    const KIND: ::specbind::persist::KeyKind = ::specbind::persist::KeyKind::#kind;
                    fn to_value(&self) -> ::specbind::persist::KeyValue {
                        ::specbind::persist::Key::to_value(&self.0)
                    }
                }
            }
        });
        quote!(#(#keys)* #(#models)*)
    }

    fn model(&self, def: &TypeDef) -> TokenStream {
        let (Some(p), Ok(key)) = (&def.persist, def.persist_key(&self.api.types)) else {
            return TokenStream::new();
        };
        let name = format_ident!("{}", def.name);
        let m = quote!(::specbind::persist);
        let collection = def.name.to_snake_case();
        let field = super::types::ident(&key.field.name);
        let key_ty = self.types.base(&key.field.node);
        let kind = if key.int { quote!(Int) } else { quote!(Text) };
        // Copy keys and newtypes are passed by value, string keys as `&str`.
        let (key_expr, arg_ty, arg_ref, start) = if key.copy {
            (
                quote!(self.#field),
                key_ty.clone(),
                quote!(&key),
                quote!(start.as_ref()),
            )
        } else if key.newtype.is_some() {
            (
                quote!(self.#field.clone()),
                key_ty.clone(),
                quote!(&key),
                quote!(start.as_ref()),
            )
        } else {
            (
                quote!(self.#field.clone()),
                quote!(&str),
                quote!(&key.to_owned()),
                quote!(start.map(::std::borrow::ToOwned::to_owned).as_ref()),
            )
        };
        let unique = &p.unique;
        let backend: TokenStream = match &p.store {
            Some(path) => match syn::parse_str::<syn::Path>(path) {
                Ok(path) => quote!(#path),
                Err(_) => return TokenStream::new(),
            },
            None => quote!(impl #m::Backend),
        };
        let ty = quote!(super::types::#name);
        let wire = &key.field.wire;
        let doc_model = format!(
            " `{}` is stored in the collection `{collection}`, keyed by `{wire}`.",
            def.name
        );
        let next_id = key.int.then(|| {
            quote! {
                /// A new key, never returned before by this database (from 1): for a model
                /// the server numbers itself.
                pub async fn next_id(db: &#backend) -> ::std::result::Result<i64, #m::PersistError> {
                    #m::next_id::<Self>(db).await
                }
            }
        });
        quote! {
            #[doc = #doc_model]
            impl #m::Model for #ty {
                type Key = #key_ty;
                const COLLECTION: #m::Collection = #m::Collection {
                    name: #collection,
                    key: #m::KeyKind::#kind,
                    unique: &[#(#unique),*],
                };
                fn key(&self) -> #key_ty {
                    #key_expr
                }
            }

            #[doc = #doc_model]
            ///
            /// Every save names the version it replaces, so a concurrent change is a
            /// [`Conflict`](::specbind::persist::Conflict) rather than a lost update, and a
            /// model that breaks the spec is never written.
            impl #ty {
                /// The model stored under `key`, checked against the spec, with its version.
                pub async fn load(db: &#backend, key: #arg_ty) -> ::std::result::Result<::std::option::Option<#m::Versioned<Self>>, #m::PersistError> {
                    #m::load::<Self>(db, #arg_ref).await
                }

                /// Stores this model as a new one (version 1); a conflict if its key is taken.
                pub async fn insert(&self, db: &#backend) -> ::std::result::Result<#m::Version, #m::PersistError> {
                    #m::save(db, self, ::std::option::Option::None).await
                }

                /// Replaces the model stored at `version`; returns the new version.
                pub async fn update(&self, db: &#backend, version: #m::Version) -> ::std::result::Result<#m::Version, #m::PersistError> {
                    #m::save(db, self, ::std::option::Option::Some(version)).await
                }

                /// [`insert`](Self::insert) when `expected` is `None`, else
                /// [`update`](Self::update).
                pub async fn save(&self, db: &#backend, expected: ::std::option::Option<#m::Version>) -> ::std::result::Result<#m::Version, #m::PersistError> {
                    #m::save(db, self, expected).await
                }

                /// Removes the model stored under `key` (only at version `expected`, if
                /// given); whether there was one.
                pub async fn delete(db: &#backend, key: #arg_ty, expected: ::std::option::Option<#m::Version>) -> ::std::result::Result<bool, #m::PersistError> {
                    #m::delete::<Self>(db, #arg_ref, expected).await
                }

                /// At most `limit` models with keys after `start`, in key order, and the
                /// `start` of the next page.
                pub async fn list(db: &#backend, start: ::std::option::Option<#arg_ty>, limit: u32) -> ::std::result::Result<#m::Page<Self>, #m::PersistError> {
                    #m::list::<Self>(db, #start, limit).await
                }

                #next_id
            }
        }
    }
}
