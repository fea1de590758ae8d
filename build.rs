//! Generates every spec in `specs/` into `OUT_DIR`, exactly as a user's build script would.

fn main() {
    // Our specs' warnings (one collision on purpose) are asserted by the golden tests.
    let mut builder = specbind_codegen::configure().quiet(true);
    let mut specs: Vec<_> = std::fs::read_dir("specs")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    println!("cargo:rerun-if-changed=specs");
    for spec in specs {
        builder = builder.spec(spec);
    }
    // A spec split over several files; every file it reaches is watched.
    builder = builder.spec_named("specs/split/api.yaml", "split");
    builder.compile();
    // The petstore again, with an `Unknown(String)` fallback on string enums.
    specbind_codegen::configure()
        .spec_named("specs/petstore.yaml", "petstore_fallback")
        .enum_fallback(true)
        .compile();
}
