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

/// One artefact's emitter.
type Emitter<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Every artefact of `api`, formatted, in a fixed order. Each artefact is emitted and
/// formatted on a thread of its own: formatting is most of generation's time, and token
/// streams cannot cross threads.
pub(crate) fn emit(api: &Api, opts: &Options, source: &str) -> Result<Vec<GeneratedFile>, String> {
    let sides = operations::Sides::new(api, opts);
    let mut artefacts: Vec<(&str, Emitter<'_>)> = Vec::new();
    if opts.models {
        artefacts.push(("types", Box::new(|| types::Types::new(api).emit())));
    }
    if opts.models
        && opts.persist
        && api
            .types
            .defs
            .iter()
            .any(|d| d.persist_key(&api.types).is_ok())
    {
        artefacts.push(("persist", Box::new(|| persist::Persist::new(api).emit())));
    }
    if sides.any() {
        artefacts.push((
            "operations",
            Box::new(|| operations::Operations::new(api, &sides).emit()),
        ));
    }
    if opts.server {
        artefacts.push((
            "server",
            Box::new(|| server::Server::new(api, opts, &sides).emit()),
        ));
    }
    if opts.client {
        artefacts.push((
            "client",
            Box::new(|| client::Client::new(api, &sides).emit()),
        ));
    }
    let render = |name: &str, emitter: &Emitter<'_>| {
        let tokens = emitter();
        let tokens = if uses(&tokens, "sb") {
            quote!(use ::specbind::__private as sb; #tokens)
        } else {
            tokens
        };
        Ok(GeneratedFile {
            name: name.to_owned(),
            contents: crate::format::render(tokens, source)?,
        })
    };
    std::thread::scope(|scope| {
        let threads: Vec<_> = artefacts
            .iter()
            .map(|(name, emitter)| scope.spawn(move || render(name, emitter)))
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Whether `tokens` use the identifier `name` anywhere.
fn uses(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => uses(&g.stream(), name),
        _ => false,
    })
}
