//! `specbind`: the command-line front end of specbind-codegen, over the same core as the
//! build-script builder.
//!
//! - `specbind generate SPEC... --out DIR`: one formatted file per artefact, byte for byte
//!   what a build script writes.
//! - `specbind check SPEC...`: every problem as `file:line:col: error|warning: message
//!   (#/pointer)`; exit status 1 on errors.
//! - `specbind routes SPEC`: the operations as a table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{
    Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use specbind_codegen::builder::{BuildError, Layout};
use specbind_codegen::ir::{Api, Operation, Ty};
use specbind_codegen::{FsReader, Options, Report, configure};

#[derive(Debug, Parser)]
#[command(
    name = "specbind",
    version,
    about = "Turn OpenAPI/Swagger specs into Rust: validated models, servers and clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Generate code for each spec into DIR/<name>/, one file per artefact
    Generate {
        /// Spec files (YAML or JSON; Swagger 2.0, OpenAPI 3.0 or 3.1)
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Output folder
        #[arg(long, short)]
        out: PathBuf,
        /// Print every warning (by default, of many of one kind the first few and a count)
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        options: OptionFlags,
    },
    /// Load and check specs, printing every problem; exit status 1 on errors
    Check {
        /// Spec files
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print every warning (by default, of many of one kind the first few and a count)
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        options: OptionFlags,
    },
    /// Print the operations of a spec as a table
    Routes {
        /// Spec file
        spec: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// file:line:col: severity: message (#/pointer)
    Human,
    /// One JSON array of diagnostics
    Json,
}

/// Every generation option as a flag, from the single list in `specbind_codegen::options`.
#[derive(Debug, Clone)]
struct OptionFlags(Options);

impl FromArgMatches for OptionFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut options = Options::default();
        for flag in Options::FLAGS {
            if let Some(v) = m.get_one::<bool>(flag.name) {
                (flag.set)(&mut options, *v);
            }
        }
        Ok(Self(options))
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for OptionFlags {
    fn augment_args(mut cmd: Command) -> Command {
        for flag in Options::FLAGS {
            cmd = cmd.arg(
                Arg::new(flag.name)
                    .long(flag.cli)
                    .help(flag.help.trim().to_owned())
                    .value_name("BOOL")
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true")
                    .value_parser(clap::value_parser!(bool))
                    .action(ArgAction::Set)
                    .help_heading("Generation options"),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// `println!` that does not panic when stdout is closed (`specbind check ... | head`): what
/// cannot be written is dropped.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Generate {
            specs,
            out,
            verbose,
            options,
        } => generate(specs, out, verbose, options.0),
        Cmd::Check {
            specs,
            format,
            verbose,
            options,
        } => check(&specs, format, verbose, &options.0),
        Cmd::Routes { spec } => routes(&spec),
    }
}

fn generate(specs: Vec<PathBuf>, out: PathBuf, verbose: bool, options: Options) -> ExitCode {
    // Warnings go to stderr (grouped by kind unless `verbose`), the files written to stdout.
    let mut builder = configure()
        .with_options(options)
        .out_dir(&out)
        .layout(Layout::Tree)
        .verbose(verbose);
    for spec in specs {
        builder = builder.spec(spec);
    }
    match builder.generate() {
        Ok(files) => {
            for f in files {
                out!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in errors {
                match e {
                    BuildError::Spec { report, .. } if verbose => {
                        eprintln!("{}", report.verbose());
                    }
                    BuildError::Spec { report, .. } => eprintln!("{report}"),
                    other => eprintln!("error: {other}"),
                }
            }
            ExitCode::FAILURE
        }
    }
}

fn check(specs: &[PathBuf], format: Format, verbose: bool, options: &Options) -> ExitCode {
    let reports: Vec<Report> = specs
        .iter()
        .map(|s| specbind_codegen::check(s, &FsReader, options))
        .collect();
    let failed = reports.iter().any(Report::has_errors);
    match format {
        Format::Human => {
            for r in &reports {
                if verbose {
                    out!("{}", r.verbose());
                } else {
                    out!("{r}");
                }
            }
        }
        Format::Json => {
            let all: Vec<serde_json::Value> = reports
                .iter()
                .flat_map(|r| &r.diagnostics)
                .map(|d| {
                    serde_json::json!({
                        "file": d.file.display().to_string(),
                        "line": d.line,
                        "col": d.col,
                        "severity": d.severity.to_string(),
                        "kind": d.kind.code(),
                        "message": d.message,
                        "pointer": d.pointer,
                    })
                })
                .collect();
            out!("{}", serde_json::Value::Array(all));
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Names of persisted models an operation's bodies and responses use.
fn persisted(api: &Api, op: &Operation) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bodies = op.body.iter().flat_map(|b| &b.content);
    let responses = op.responses.iter().flat_map(|r| &r.content);
    for content in bodies.chain(responses) {
        let mut node = content.node.as_ref();
        while let Some(n) = node {
            match &n.ty {
                Ty::Named(id) => {
                    let def = api.types.get(*id);
                    if def.persist.is_some() && !out.contains(&def.name) {
                        out.push(def.name.clone());
                    }
                    node = None;
                }
                Ty::Array(item) => node = Some(item),
                _ => node = None,
            }
        }
    }
    out
}

fn routes(spec: &std::path::Path) -> ExitCode {
    let api = match specbind_codegen::api(spec, &FsReader, &Options::default()) {
        Ok((api, _)) => api,
        Err(report) => {
            eprintln!("{report}");
            return ExitCode::FAILURE;
        }
    };
    let header = [
        "METHOD",
        "PATH",
        "OPERATION",
        "SERVER",
        "CLIENT",
        "SECURITY",
        "PERSISTS",
    ];
    let rows: Vec<[String; 7]> = api
        .operations
        .iter()
        .map(|op| {
            let security = if op.security.is_empty() {
                "-".to_owned()
            } else {
                op.security
                    .iter()
                    .map(|alt| {
                        if alt.is_empty() {
                            "none".to_owned()
                        } else {
                            alt.iter()
                                .map(|r| r.scheme.as_str())
                                .collect::<Vec<_>>()
                                .join("+")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            let persists = persisted(&api, op);
            [
                op.method.upper().to_owned(),
                op.path.clone(),
                op.operation_id
                    .clone()
                    .unwrap_or_else(|| format!("({})", op.name)),
                op.bind_server.clone().unwrap_or_else(|| "-".into()),
                op.bind_client.clone().unwrap_or_else(|| "-".into()),
                security,
                if persists.is_empty() {
                    "-".into()
                } else {
                    persists.join(", ")
                },
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out!("{}", parts.join("  ").trim_end());
    };
    line(&header.map(str::to_owned));
    for row in &rows {
        line(row);
    }
    ExitCode::SUCCESS
}
