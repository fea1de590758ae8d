//! Emitters: IR in, token streams out, one module per artefact.

mod client;
mod docs;
mod persist;
mod server;
mod shape;
mod types;

use proc_macro2::TokenStream;

use crate::ir::Api;
use crate::{GeneratedFile, Options};

/// Every artefact of `api`, formatted, in a fixed order.
pub(crate) fn emit(api: &Api, opts: &Options, source: &str) -> Result<Vec<GeneratedFile>, String> {
    let mut files = Vec::new();
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
    if opts.server {
        artefacts.push(("server", server::Server::new(api, opts).emit()));
    }
    if opts.client {
        artefacts.push(("client", client::Client::new(api).emit()));
    }
    for (name, tokens) in artefacts {
        files.push(GeneratedFile {
            name: name.to_owned(),
            contents: crate::format::render(tokens, source)?,
        });
    }
    Ok(files)
}
