//! Generates every spec in `specs/` into `OUT_DIR`, exactly as a user's build script would.
//! Our specs' warnings (one collision on purpose) are asserted by the golden tests, so the
//! builders are quiet.

fn main() {
    // The petstore gets its server (`crate::handlers` implements it) and its client.
    specbind_codegen::configure()
        .spec("specs/petstore.yaml")
        .server(true)
        .client(true)
        .quiet(true)
        .compile();
    // The server-coverage spec.
    specbind_codegen::configure()
        .spec("specs/gateway.yaml")
        .server(true)
        .client(true)
        .not_implemented(true)
        .quiet(true)
        .compile();
    // Three services that call each other, for the call context: `public` -> `user` ->
    // `login`.
    for name in ["public", "user", "login"] {
        specbind_codegen::configure()
            .spec_named(format!("specs/mesh/{name}.yaml"), format!("mesh_{name}"))
            .server(true)
            .client(true)
            .quiet(true)
            .compile();
    }
    // Asynchronous job requests (`x-async`): orders, with server, worker and client.
    specbind_codegen::configure()
        .spec("specs/orders.yaml")
        .server(true)
        .client(true)
        .quiet(true)
        .compile();
    // readOnly and writeOnly: request and response views; the strict one refuses readOnly
    // properties in requests.
    specbind_codegen::configure()
        .spec("specs/accounts.yaml")
        .server(true)
        .client(true)
        .quiet(true)
        .compile();
    specbind_codegen::configure()
        .spec("specs/accounts_strict.yaml")
        .server(true)
        .client(true)
        .reject_read_only(true)
        .quiet(true)
        .compile();
    // The petstore again, with an `Unknown(String)` fallback on string enums.
    specbind_codegen::configure()
        .spec_named("specs/petstore.yaml", "petstore_fallback")
        .enum_fallback(true)
        .quiet(true)
        .compile();
    // Every other spec: models.
    let mut specs: Vec<_> = std::fs::read_dir("specs")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .filter(|p| {
            !p.ends_with("petstore.yaml")
                && !p.ends_with("gateway.yaml")
                && !p.ends_with("accounts.yaml")
                && !p.ends_with("accounts_strict.yaml")
                && !p.ends_with("orders.yaml")
        })
        .collect();
    specs.sort();
    println!("cargo:rerun-if-changed=specs");
    let mut builder = specbind_codegen::configure().quiet(true);
    for spec in specs {
        builder = builder.spec(spec);
    }
    // A spec split over several files; every file it reaches is watched.
    builder
        .spec_named("specs/split/api.yaml", "split")
        .compile();
    // Specs with the defects real specs have (`specs/lenient/`): generated with warnings, each
    // defect repaired, with a client (`tests/lenient.rs` calls it).
    let mut lenient: Vec<_> = std::fs::read_dir("specs/lenient")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    lenient.sort();
    let mut builder = specbind_codegen::configure()
        .client(true)
        .bind_all(true)
        .quiet(true);
    for spec in lenient {
        let name = format!("lenient_{}", specbind_codegen::builder::spec_name(&spec));
        builder = builder.spec_named(spec, name);
    }
    builder.compile();
    // A server of the routes an axum router cannot take as written: every operation answers
    // 501, and building the router must not panic.
    specbind_codegen::configure()
        .spec_named("specs/lenient/routes.yaml", "lenient_routes_server")
        .server(true)
        .not_implemented(true)
        .quiet(true)
        .compile();
}
