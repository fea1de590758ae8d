//! Emitters: IR in, token streams out, one module per artefact. Generated code reaches the
//! runtime through one alias, `sb` (`use ::specbind::__private as sb;`), at the top of each
//! file that uses it.

mod checks;
mod client;
mod docs;
mod operations;
mod persist;
mod server;
mod types;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use crate::ir::Api;
use crate::{GeneratedFile, Options};

/// Every artefact of `api`, formatted, in a fixed order.
pub(crate) fn emit(api: &Api, opts: &Options, source: &str) -> Result<Vec<GeneratedFile>, String> {
    let mut artefacts: Vec<(&str, TokenStream)> = Vec::new();
    if opts.models {
        artefacts.push(("types", types::Types::new(api).emit()));
    }
    if opts.models
        && opts.persist
        && api
            .types
            .defs
            .iter()
            .any(|d| d.persist_key(&api.types).is_ok())
    {
        artefacts.push(("persist", persist::Persist::new(api).emit()));
    }
    let sides = operations::Sides::new(api, opts);
    if sides.any() {
        artefacts.push((
            "operations",
            operations::Operations::new(api, &sides).emit(),
        ));
    }
    if opts.server {
        artefacts.push(("server", server::Server::new(api, opts, &sides).emit()));
    }
    if opts.client {
        artefacts.push(("client", client::Client::new(api, &sides).emit()));
    }
    artefacts
        .into_iter()
        .map(|(name, tokens)| {
            let tokens = if uses(&tokens, "sb") {
                quote!(use ::specbind::__private as sb; #tokens)
            } else {
                tokens
            };
            Ok(GeneratedFile {
                name: name.to_owned(),
                contents: crate::format::render(tokens, source)?,
            })
        })
        .collect()
}

/// Whether `tokens` use the identifier `name` anywhere.
fn uses(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => uses(&g.stream(), name),
        _ => false,
    })
}
