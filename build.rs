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
    builder.compile();
}
