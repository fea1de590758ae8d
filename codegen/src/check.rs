//! Checks over the whole IR, after lowering: what no single schema or operation shows.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Ctxt, Kind};
use crate::ir::Api;

/// Whether `s` is a Rust path such as `crate::handlers::get_pet`.
fn is_rust_path(s: &str) -> bool {
    !s.is_empty()
        && s.split("::").all(|seg| {
            let seg = seg.strip_prefix("r#").unwrap_or(seg);
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Records every problem of `api` in `cx`.
pub fn check(api: &Api, cx: &mut Ctxt) {
    let mut routes: BTreeSet<(crate::ir::http::Method, &str)> = BTreeSet::new();
    let mut client_methods: BTreeMap<&str, String> = BTreeMap::new();
    for op in &api.operations {
        for req in op.security.iter().flatten() {
            let name = &req.scheme;
            if !api.security_schemes.iter().any(|s| &s.name == name) {
                cx.warn(
                    Kind::UndeclaredSecurityScheme,
                    &op.loc.join("security"),
                    format!("security requirement names `{name}`, which is not a declared security scheme; no call can meet it (a server answers 401 unless another requirement is met)"),
                );
            }
        }
        if let Some(path) = &op.bind_server {
            if !is_rust_path(path) {
                cx.error(
                    Kind::Extension,
                    &op.loc.join("x-bind-server"),
                    format!("`x-bind-server` must be a Rust path such as `crate::handlers::get_pet`, got `{path}`"),
                );
            }
        }
        if let Some(path) = &op.decorate_server {
            if !is_rust_path(path) {
                cx.error(
                    Kind::Extension,
                    &op.loc.join("x-decorate-server"),
                    format!("`x-decorate-server` must be a Rust path to a function returning a layer, got `{path}`"),
                );
            }
        }
        if let Some(name) = &op.bind_client {
            if !is_rust_path(name) || name.contains("::") {
                cx.error(
                    Kind::Extension,
                    &op.loc.join("x-bind-client"),
                    format!(
                        "`x-bind-client` must be a method name such as `get_pet`, got `{name}`"
                    ),
                );
            } else if name == &op.name {
                // The operation's own (unique) name, as `bind_all` gives it: the emitter
                // renames it if it meets a method every client has.
            } else if matches!(name.as_str(), "new" | "builder" | "transport")
                || name.starts_with("with_")
            {
                cx.error(
                    Kind::Extension,
                    &op.loc.join("x-bind-client"),
                    format!("`x-bind-client: {name}` would clash with a method every generated client has (`new`, `builder`, `transport`, `with_*`)"),
                );
            } else if let Some(first) =
                client_methods.insert(name, format!("{} {}", op.method, op.path))
            {
                cx.error(
                    Kind::Extension,
                    &op.loc.join("x-bind-client"),
                    format!("`x-bind-client: {name}` is already the method of `{first}`; client method names must be unique"),
                );
            }
        }
        // Two operations of one method on one route (after `?` query strings are cut off and
        // parameter names unified): a router takes one.
        if !routes.insert((op.method, &op.path)) {
            cx.warn(
                Kind::AmbiguousRoute,
                &op.loc,
                format!("`{} {}` is also the route of an earlier operation; a server routes the earlier one", op.method, op.path),
            );
        }
        if op.template.route(str::to_owned).is_none() {
            cx.warn(
                Kind::Degraded,
                &op.loc,
                format!("`{}` has text after a parameter in one segment, which the axum router cannot route; a generated server leaves `{} {}` out (a client calls it)", op.path, op.method, op.path),
            );
        }
    }
    check_persisted(api, cx);
    check_async(api, cx);
}

/// `x-async`: an operation served as a job needs a bound function, and the job routes
/// (`<base>/jobs/{jobId}`) must not be taken by the spec.
fn check_async(api: &Api, cx: &mut Ctxt) {
    if !api.operations.iter().any(|o| o.is_async) {
        return;
    }
    for op in &api.operations {
        if op.is_async && op.bind_server.is_none() {
            cx.warn(
                Kind::Extension,
                &op.loc.join("x-async"),
                format!(
                    "`{}` has `x-async` but no `x-bind-server`: no worker can run its jobs",
                    op.name
                ),
            );
        }
        if op.path.starts_with("/jobs/") && op.path.matches('/').count() == 2 {
            cx.error(
                Kind::Extension,
                &op.loc,
                format!("`{}` takes the route `/jobs/{{jobId}}` that the spec's `x-async` operations need for their job status", op.path),
            );
        }
    }
}

/// `x-persist`: a model that cannot be stored is generated without persistence, with a
/// warning; a wrong store path or unique property is an error.
fn check_persisted(api: &Api, cx: &mut Ctxt) {
    for def in &api.types.defs {
        let Some(p) = &def.persist else { continue };
        let loc = def.origin.join("x-persist");
        if let Some(store) = &p.store {
            if !is_rust_path(store) {
                cx.error(
                    Kind::Extension,
                    &loc,
                    format!("`x-persist` must name a Rust type such as `crate::store::PetStore`, got `{store}`"),
                );
            }
        }
        if let Err(why) = def.persist_key(&api.types) {
            cx.warn(
                Kind::Extension,
                &loc,
                format!("`{}` is generated without persistence: {why}", def.name),
            );
            continue;
        }
        let fields = match &def.kind {
            crate::ir::TypeKind::Struct(s) => s.fields.as_slice(),
            _ => &[],
        };
        for u in &p.unique {
            let ok_name = !u.is_empty()
                && u.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !fields.iter().any(|f| &f.wire == u) {
                cx.error(
                    Kind::Extension,
                    &loc.join("unique"),
                    format!("unique property `{u}` is not a property of `{}`", def.name),
                );
            } else if !ok_name {
                cx.error(
                    Kind::Extension,
                    &loc.join("unique"),
                    format!("unique property `{u}` may only have letters, digits, `_` and `-`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_paths() {
        assert!(super::is_rust_path("crate::handlers::get_pet"));
        assert!(super::is_rust_path("get_pet"));
        assert!(!super::is_rust_path("crate::handlers::"));
        assert!(!super::is_rust_path("get-pet"));
    }
}
