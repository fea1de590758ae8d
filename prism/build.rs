//! Generates models and a client for each corpus spec that `.ci/prism.sh` mocks. The corpus
//! is `$SPECBIND_CORPUS`, or else `../shared/corpus/specs` beside the workspace; without it
//! nothing is generated and `corpus_missing` is set, so the crate and its tests are empty.

use std::path::PathBuf;

/// Module name and file of each mocked spec (the table of `.ci/prism.sh`).
const SPECS: [(&str, &str); 12] = [
    ("alertmanager", "prometheus_alertmanager_2.0.yaml"),
    ("holidays", "canada-holidays_api_3.0.yaml"),
    ("petstore3", "swagger_petstore3_3.0.yaml"),
    ("museum", "redocly_museum_3.1.yaml"),
    ("apisguru", "apisguru_api_2.0.yaml"),
    ("ynab", "ynab_api_2.0.yaml"),
    ("firecracker", "firecracker_api_2.0.yaml"),
    ("nytimes", "nytimes_timeswire_2.0.yaml"),
    ("petstore_expanded", "oai_petstore-expanded_3.0.yaml"),
    ("listennotes", "listennotes_api_3.0.yaml"),
    ("conduit", "realworld_conduit_3.1.yml"),
    ("adyen_transfer", "adyen_transfer-v4_3.1.yaml"),
];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(corpus_missing)");
    println!("cargo::rerun-if-env-changed=SPECBIND_CORPUS");
    let corpus = match std::env::var_os("SPECBIND_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => {
            // The workspace root is the parent of this package.
            let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("..");
            root.join("../shared/corpus/specs")
        }
    };
    // Watch the folder itself, so that it appearing or going away reruns this script.
    println!("cargo::rerun-if-changed={}", corpus.display());
    let missing: Vec<_> = SPECS
        .iter()
        .map(|(_, file)| corpus.join(file))
        .filter(|path| !path.is_file())
        .collect();
    if !missing.is_empty() {
        let what = if corpus.is_dir() {
            missing
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            corpus.display().to_string()
        };
        println!("cargo::warning=corpus not found ({what}): the Prism tests are skipped");
        println!("cargo::rustc-cfg=corpus_missing");
        return;
    }
    let mut builder = specbind_codegen::configure()
        .client(true)
        .bind_all(true)
        .quiet(true);
    for (name, file) in SPECS {
        builder = builder.spec_named(corpus.join(file), name);
    }
    builder.compile();
}
