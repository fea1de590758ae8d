//! The benchmarks of issue 9: every figure is a ratio against an anchor measured in the same
//! run, from medians of several runs. `bash bench/run.sh` runs them all and writes
//! `bench/report.md`; this binary prints one markdown section per benchmark:
//!
//! ```text
//! specbind-bench [generate] [client-build] [server-build] [validate] [--quick] [--runs N]
//! ```
//!
//! With no section named, all four run. `--quick` runs one round of each with short samples,
//! to check the harness (its figures mean little); `--runs N` sets the number of rounds.

mod cargo;
mod client_build;
mod generate;
mod server_build;
// Shared with `specbind-bench-validate` (bench/validate/), which uses parts this program
// does not.
#[allow(dead_code)]
mod stats;
mod validate;

use std::path::PathBuf;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    /// One round, short samples.
    pub(crate) quick: bool,
    /// Rounds, if given (each section has its own default).
    pub(crate) runs: Option<usize>,
    sections: Vec<String>,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut args = Self {
            quick: false,
            runs: None,
            sections: Vec::new(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--quick" => args.quick = true,
                "--runs" => {
                    let n = it.next().and_then(|v| v.parse::<usize>().ok());
                    args.runs = Some(
                        n.filter(|&n| n > 0)
                            .ok_or("--runs needs a number above 0")?,
                    );
                }
                "-h" | "--help" => return Err(USAGE.into()),
                s if SECTIONS.contains(&s) => args.sections.push(arg),
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        if args.sections.is_empty() {
            args.sections = SECTIONS.iter().map(|s| (*s).to_owned()).collect();
        }
        Ok(args)
    }

    /// The number of rounds: `--runs`, else 1 in quick mode, else `default`.
    pub(crate) fn rounds(&self, default: usize) -> usize {
        self.runs.unwrap_or(if self.quick { 1 } else { default })
    }
}

const SECTIONS: [&str; 4] = ["generate", "client-build", "server-build", "validate"];

const USAGE: &str = "usage: specbind-bench [generate] [client-build] [server-build] [validate] \
                     [--quick] [--runs N]\n\nPrints one markdown section per benchmark; with no \
                     section named, all of them.";

/// Where things are.
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    /// The specbind checkout (the parent of `bench/`).
    pub(crate) root: PathBuf,
    /// The shared corpus of specs (`../shared/corpus/specs` next to the checkout, or
    /// `$SPECBIND_CORPUS`).
    pub(crate) corpus: PathBuf,
    /// Scratch crates, made at run time: `bench/target/scratch`.
    pub(crate) scratch: PathBuf,
}

impl Paths {
    fn new() -> Self {
        let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = bench
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| bench.join(".."));
        let corpus = std::env::var_os("SPECBIND_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpus/specs"));
        let scratch = bench.join("target/scratch");
        Self {
            root,
            corpus,
            scratch,
        }
    }
}

fn main() {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let paths = Paths::new();
    let mut failed = false;
    let mut figures = Vec::new();
    let mut sections = String::new();
    for section in &args.sections {
        let result = match section.as_str() {
            "generate" => generate::run(&args, &paths),
            "client-build" => client_build::run(&args, &paths),
            "server-build" => server_build::run(&args, &paths),
            "validate" => validate::run(&args, &paths),
            _ => unreachable!("sections are checked when parsing"),
        };
        match result {
            Ok((markdown, mut figs)) => {
                sections.push_str(&markdown);
                sections.push('\n');
                figures.append(&mut figs);
            }
            Err(e) => {
                failed = true;
                eprintln!("specbind-bench {section}: {e}");
                sections.push_str(&format!("**`{section}` failed:** {e}\n\n"));
            }
        }
    }
    println!(
        "## Summary\n\nEvery ratio of the sections below, each measured side by side with its \
         anchor in this run. Nothing here passes or fails a build.\n\n{}\n{sections}",
        stats::summary(&figures)
    );
    if failed {
        std::process::exit(1);
    }
}
