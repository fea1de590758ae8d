//! Generation time: load (parse + `$ref`s), and the whole of `generate` (load, lower, check,
//! emit, prettyplease), median of several runs per spec.
//!
//! `cargo bench -p specbind-codegen --bench generate -- [SPEC...]`; with no argument it times
//! the GitHub and Stripe specs of `../shared/corpus/specs` and our petstore.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use specbind_codegen::diag::Ctxt;
use specbind_codegen::load::Docs;
use specbind_codegen::{FsReader, Options, generate};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();
    if specs.is_empty() {
        let corpus = root.join("../shared/corpus/specs");
        specs = vec![
            root.join("specs/petstore.yaml"),
            corpus.join("github_api_3.0.json"),
            corpus.join("stripe_api_3.0.yaml"),
        ];
    }
    let runs = 7;
    println!("| spec | size KiB | types | lines out | load ms | generate ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for spec in specs {
        if !spec.exists() {
            eprintln!("skipping {}: not found", spec.display());
            continue;
        }
        let size = std::fs::metadata(&spec)
            .map(|m| m.len() / 1024)
            .unwrap_or(0);
        let mut load = Vec::new();
        let mut total = Vec::new();
        let mut types = 0;
        let mut lines = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let mut cx = Ctxt::default();
            let docs = Docs::load(&spec, &FsReader, &mut cx);
            load.push(t.elapsed());
            drop(docs);
            let t = Instant::now();
            let out = generate(&spec, &FsReader, &Options::default());
            total.push(t.elapsed());
            match out {
                Ok(g) => {
                    types = g.stats.types;
                    lines = g.files.iter().map(|f| f.contents.lines().count()).sum();
                }
                Err(r) => eprintln!("{}: {} errors", spec.display(), r.error_count()),
            }
        }
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!(
            "| {name} | {size} | {types} | {lines} | {} | {} |",
            ms(median(load)),
            ms(median(total))
        );
    }
}
