//! 2. Compile time of generated client code: a scratch crate holding specbind's models and
//!    client for the Oxide Nexus spec against one holding progenitor's.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::cargo::{Member, Start, Workspace, specbind_dependency};
use crate::generate::{Quiet, client_options, name, progenitor, specbind, specs};
use crate::stats::{Figure, Goal, lines, median, num, ratio, spread};
use crate::{Args, Paths};

const SPECBIND: &str = "specbind_client";
const PROGENITOR: &str = "progenitor_client_crate";

/// What progenitor's generated code needs, as its README and `cargo progenitor` list it.
const PROGENITOR_DEPENDENCIES: &str = r#"progenitor-client = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
uuid = { version = "1", default-features = false, features = ["std", "serde"] }
regress = "0.10"
futures = "0.3"
bytes = "1"
# For its websocket upgrades (the Nexus has some).
base64 = "0.22"
rand = "0.9"
"#;

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<(String, Vec<Figure>), String> {
    let rounds = args.rounds(5);
    // The spec: the Nexus, or if progenitor fails on it the largest spec where it works.
    let mut specs = specs(paths);
    let nexus = specs.remove(1);
    specs.sort_by_key(|s| std::cmp::Reverse(std::fs::metadata(s).map_or(0, |m| m.len())));
    specs.insert(0, nexus);
    let mut skipped = Vec::new();
    let mut chosen = None;
    {
        let _quiet = Quiet::new();
        for spec in specs {
            match progenitor(&spec) {
                Ok(code) => {
                    chosen = Some((spec, code));
                    break;
                }
                Err(e) => skipped.push((spec, e)),
            }
        }
    }
    let Some((spec, progenitor_code)) = chosen else {
        return Err("progenitor fails on every spec".into());
    };
    let files = specbind(&spec, &client_options())?;
    eprintln!("client-build: {} ({rounds} rounds)", name(&spec));

    let mut lib =
        String::from("//! specbind's models and client, as `bench/run.sh` generated them.\n");
    let mut specbind_files = Vec::new();
    let mut specbind_lines = 0;
    for f in &files {
        let _ = writeln!(lib, "pub mod {0} {{\n    include!(\"{0}.rs\");\n}}", f.name);
        specbind_lines += lines(&f.contents);
        specbind_files.push((format!("src/{}.rs", f.name), f.contents.clone()));
    }
    specbind_files.push(("src/lib.rs".into(), lib));
    let members = [
        Member {
            name: SPECBIND.into(),
            dependencies: specbind_dependency(&paths.root, &["client"]),
            files: specbind_files,
        },
        Member {
            name: PROGENITOR.into(),
            dependencies: PROGENITOR_DEPENDENCIES.into(),
            files: vec![
                ("src/generated.rs".into(), progenitor_code.clone()),
                (
                    "src/lib.rs".into(),
                    "//! progenitor's client, as `bench/run.sh` generated it.\n\
                     include!(\"generated.rs\");\n"
                        .into(),
                ),
            ],
        },
    ];
    let ws = Workspace::create(paths.scratch.join("client"), &members)?;
    let touched = |m: &Member| -> Vec<PathBuf> {
        m.files
            .iter()
            .filter(|(p, _)| p != "src/lib.rs")
            .map(|(p, _)| ws.dir.join(&m.name).join(p))
            .collect()
    };
    let crates = [
        (SPECBIND, touched(&members[0])),
        (PROGENITOR, touched(&members[1])),
    ];
    for command in ["check", "build"] {
        for (krate, _) in &crates {
            eprintln!("  warming: cargo {command} -p {krate} (dependencies, untimed)");
            ws.warm(command, krate)?;
        }
    }

    // Rows: (command, start) → per crate, seconds of every round.
    let measures = [
        ("check", Start::Clean),
        ("check", Start::Touched),
        ("build", Start::Clean),
        ("build", Start::Touched),
    ];
    let mut times = vec![[Vec::new(), Vec::new()]; measures.len()];
    for round in 0..rounds {
        for (i, (command, start)) in measures.iter().enumerate() {
            // A B A B, the first alternating between rounds.
            for which in [round % 2, 1 - round % 2] {
                let (krate, touch) = &crates[which];
                let s = ws.time(command, krate, *start, touch)?;
                eprintln!(
                    "  round {}: cargo {command} ({}) {krate}: {s:.2} s",
                    round + 1,
                    start.label()
                );
                times[i][which].push(s);
            }
        }
    }

    let mut md =
        String::from("## 2. Compile time of the generated client: specbind vs progenitor\n\n");
    let _ = writeln!(
        md,
        "Spec: `{}`. Two scratch crates in one workspace under `bench/target/scratch/client/` \
         (written at run time): `{SPECBIND}` holds specbind's `types.rs` and `client.rs` (models \
         and a client binding every operation) over the `specbind` runtime with its `client` \
         feature only; `{PROGENITOR}` holds progenitor's generated file over `progenitor-client` \
         0.15, reqwest 0.13 and the crates its code names. Dependencies are built first, \
         untimed; then each figure is the wall time of `cargo check|build -p <crate>` (debug, \
         the crate alone), the crates alternating A B A B, median of {rounds} round(s).\n",
        name(&spec)
    );
    if !skipped.is_empty() {
        md.push_str("progenitor failed on a spec tried before this one, so it is not used:\n\n");
        for (s, e) in &skipped {
            let _ = writeln!(md, "- `{}`: {}", name(s), crate::stats::cell(e, 300));
        }
        md.push('\n');
    }
    md.push_str("Command: `bench/target/release/specbind-bench client-build`.\n\n");
    md.push_str(
        "| measure | specbind s | progenitor s | ratio specbind/progenitor | goal | specbind s, all \
         rounds | progenitor s, all rounds |\n| --- | ---: | ---: | ---: | --- | ---: | ---: |\n",
    );
    let mut figures = Vec::new();
    for ((command, start), [sb, pg]) in measures.iter().zip(&times) {
        let (a, b) = (median(sb.clone()), median(pg.clone()));
        figures.push(Figure::new(
            format!(
                "2. client compile time, `cargo {command}`, {}",
                start.label()
            ),
            "specbind / progenitor",
            a,
            b,
            Goal::AtMost(0.7),
        ));
        let _ = writeln!(
            md,
            "| `cargo {command}`, {} | {} | {} | {} | ≤ 0.70× | {} | {} |",
            start.label(),
            num(a, 2),
            num(b, 2),
            ratio(a, b),
            spread(sb, 2),
            spread(pg, 2),
        );
    }
    let progenitor_lines = lines(&progenitor_code);
    let _ = writeln!(
        md,
        "| lines of generated code | {specbind_lines} | {progenitor_lines} | {} | — | | |",
        ratio(Some(specbind_lines as f64), Some(progenitor_lines as f64))
    );
    md.push_str(
        "\nGoal: specbind ≤ 0.70× progenitor. The two do not generate the same code (see the \
         lines): specbind's client builder has timeouts, retries, decorators and validation of \
         what is sent and received; progenitor's client is a thinner reqwest wrapper. The \
         figures measure what a user of each pays to compile the spec's models and client.\n",
    );
    Ok((md, figures))
}
