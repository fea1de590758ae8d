//! Generates, with specbind, the models the validation benchmark checks: the petstore's
//! (`specs/petstore.yaml` of the checkout), the nested tree's (`bench/specs/nested.yaml`),
//! GitHub's (`github_api_3.0.json` of the shared corpus, read where it lies), models only, and
//! the attack string's (`bench/specs/attack.yaml`, BeezUP's URL pattern).
//!
//! With the `driver` feature, also writes the JSON Schema documents the anchors check
//! (`src/schemas.rs`) under `bench/target/validate-schemas/`, where `jsonschema-macros` reads
//! them at compile time (`src/lib.rs`), and hands the version of jsonschema, from
//! `Cargo.lock`, to the report.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/schemas.rs"]
mod schemas;

/// The version of `package` in `Cargo.lock`, or `?`.
fn locked_version(lock: &str, package: &str) -> String {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return version.trim_matches('"').to_owned();
        }
    }
    "?".to_owned()
}

fn main() {
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("SPECBIND_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("../../../shared/corpus/specs"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-env-changed=SPECBIND_CORPUS");
    println!("cargo:rerun-if-changed=src/schemas.rs");

    let lock = std::fs::read_to_string(here.join("Cargo.lock")).unwrap_or_default();
    println!(
        "cargo:rustc-env=SPECBIND_BENCH_JSONSCHEMA_VERSION={}",
        locked_version(&lock, "jsonschema")
    );

    specbind_codegen::configure()
        .spec(here.join("../../specs/petstore.yaml"))
        .persist(false)
        .quiet(true)
        .compile();
    specbind_codegen::configure()
        .spec(here.join("../specs/nested.yaml"))
        .quiet(true)
        .compile();
    specbind_codegen::configure()
        .spec_named(corpus.join("github_api_3.0.json"), "github")
        .persist(false)
        .quiet(true)
        .compile();
    specbind_codegen::configure()
        .spec(here.join("../specs/attack.yaml"))
        .quiet(true)
        .compile();

    if std::env::var_os("CARGO_FEATURE_DRIVER").is_some() {
        // Never committed: bench/target/ is ignored. The macro reads them relative to this
        // package (`../target/validate-schemas/...`).
        let out = here.join("../target/validate-schemas");
        std::fs::create_dir_all(&out)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", out.display()));
        for doc in schemas::docs(&here.join("../.."), &here.join(".."), &corpus) {
            println!("cargo:rerun-if-changed={}", doc.spec.display());
            let text = doc.document().unwrap_or_else(|e| panic!("{e}")).to_string();
            let file = out.join(doc.file);
            // Rewritten only when it changed.
            if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&file, text)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
            }
        }
    }
}
