//! Section 4 of the benchmarks of issue 9, body validation throughput, as a program of its
//! own (see `Cargo.toml` for why). `specbind-bench` runs it and puts its section in the
//! report; alone:
//!
//! ```text
//! specbind-bench-validate [--quick] [--runs N] [--figures FILE] [--baseline EXE | --no-baseline]
//! ```
//!
//! prints the markdown section; `--figures FILE` also writes its ratios to FILE, one per line,
//! for the report's summary. `--baseline EXE` is this program built against the baseline
//! specbind (default: `bench/target/baseline/target/release/specbind-bench-validate`, which
//! `bench/run.sh` builds); it is run as a worker (`--worker`) for specbind's "before" figures.

// Shared with `specbind-bench`, which uses the parts this program does not.
#[allow(dead_code)]
#[path = "../../src/stats.rs"]
mod stats;

mod models;
mod worker;

#[cfg(feature = "driver")]
mod attack;
#[cfg(feature = "driver")]
mod budget;
#[cfg(feature = "driver")]
mod schemas;
#[cfg(feature = "driver")]
mod validate;

use std::path::{Path, PathBuf};

const USAGE: &str = "usage: specbind-bench-validate [--quick] [--runs N] [--figures FILE] \
                     [--baseline EXE | --no-baseline] | --worker";

/// What the command line asked for.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    /// One round, short samples.
    pub(crate) quick: bool,
    /// Rounds, if given.
    pub(crate) runs: Option<usize>,
    figures: Option<PathBuf>,
    /// Serve the driver's requests on standard input (see `worker.rs`).
    worker: bool,
    /// The baseline build to run as a worker, if not the default one.
    pub(crate) baseline: Option<PathBuf>,
    /// No "before" figures.
    pub(crate) no_baseline: bool,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut args = Self {
            quick: false,
            runs: None,
            figures: None,
            worker: false,
            baseline: None,
            no_baseline: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--quick" => args.quick = true,
                "--worker" => args.worker = true,
                "--no-baseline" => args.no_baseline = true,
                "--runs" => {
                    let n = it.next().and_then(|v| v.parse::<usize>().ok());
                    args.runs = Some(
                        n.filter(|&n| n > 0)
                            .ok_or("--runs needs a number above 0")?,
                    );
                }
                "--figures" => {
                    args.figures = Some(it.next().ok_or("--figures needs a file")?.into())
                }
                "--baseline" => {
                    args.baseline = Some(it.next().ok_or("--baseline needs a program")?.into())
                }
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        Ok(args)
    }

    /// The number of rounds: `--runs`, else 1 in quick mode, else `default`.
    #[cfg_attr(not(feature = "driver"), allow(dead_code))]
    pub(crate) fn rounds(&self, default: usize) -> usize {
        self.runs.unwrap_or(if self.quick { 1 } else { default })
    }
}

/// Where things are.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "driver"), allow(dead_code))]
pub(crate) struct Paths {
    /// The specbind checkout.
    pub(crate) root: PathBuf,
    /// `bench/`.
    pub(crate) bench: PathBuf,
    /// The shared corpus of specs (`../shared/corpus/specs` next to the checkout, or
    /// `$SPECBIND_CORPUS`).
    pub(crate) corpus: PathBuf,
}

/// The file name of `path`, for tables.
#[cfg_attr(not(feature = "driver"), allow(dead_code))]
pub(crate) fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn main() {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if args.worker {
        if let Err(e) = worker::serve() {
            eprintln!("specbind-bench-validate --worker: {e}");
            std::process::exit(1);
        }
        return;
    }
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = bench.join("..");
    let corpus = std::env::var_os("SPECBIND_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/specs"));
    let paths = Paths {
        root,
        bench,
        corpus,
    };
    drive(&args, &paths);
}

#[cfg(feature = "driver")]
fn drive(args: &Args, paths: &Paths) {
    match validate::run(args, paths) {
        Ok((markdown, figures)) => {
            if let Some(file) = &args.figures {
                let lines: Vec<String> = figures.iter().map(stats::Figure::to_line).collect();
                if let Err(e) = std::fs::write(file, lines.join("\n")) {
                    eprintln!("cannot write {}: {e}", file.display());
                    std::process::exit(1);
                }
            }
            print!("{markdown}");
        }
        Err(e) => {
            eprintln!("specbind-bench-validate: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(not(feature = "driver"))]
fn drive(_: &Args, _: &Paths) {
    eprintln!(
        "specbind-bench-validate: built without the `driver` feature (the baseline build): \
         it only serves a driver (`--worker`)"
    );
    std::process::exit(2);
}
