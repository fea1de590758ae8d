//! Section 4 of the benchmarks of issue 9, body validation throughput, as a program of its
//! own (see `Cargo.toml` for why). `specbind-bench` runs it and puts its section in the
//! report; alone:
//!
//! ```text
//! specbind-bench-validate [--quick] [--runs N] [--figures FILE]
//! ```
//!
//! prints the markdown section; `--figures FILE` also writes its ratios to FILE, one per line,
//! for the report's summary.

// Shared with `specbind-bench`, which uses the parts this program does not.
#[allow(dead_code)]
#[path = "../../src/stats.rs"]
mod stats;
mod validate;

use std::path::{Path, PathBuf};

/// What the command line asked for.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    /// One round, short samples.
    pub(crate) quick: bool,
    /// Rounds, if given.
    pub(crate) runs: Option<usize>,
    figures: Option<PathBuf>,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut args = Self {
            quick: false,
            runs: None,
            figures: None,
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
                "--figures" => {
                    args.figures = Some(it.next().ok_or("--figures needs a file")?.into())
                }
                other => {
                    return Err(format!(
                        "unknown argument `{other}`\n\nusage: specbind-bench-validate [--quick] \
                         [--runs N] [--figures FILE]"
                    ));
                }
            }
        }
        Ok(args)
    }

    /// The number of rounds: `--runs`, else 1 in quick mode, else `default`.
    pub(crate) fn rounds(&self, default: usize) -> usize {
        self.runs.unwrap_or(if self.quick { 1 } else { default })
    }
}

/// Where things are.
#[derive(Debug, Clone)]
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
    match validate::run(&args, &paths) {
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
