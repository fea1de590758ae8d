//! specbind-codegen: OpenAPI/Swagger specs in; validated serde models, axum servers, reqwest
//! clients and the storage of `x-persist` models out, as Rust that links against the
//! `specbind` crate. A build script calls [`configure`]; `cargo install specbind-codegen
//! --features cli` installs the same generator as the `specbind` command.
//!
//! The pipeline is the module tree: [`load`] (YAML/JSON, versions, `$ref`s) → [`ir`]
//! (operations and a type space) → [`check`](mod@check) (every problem collected) → `emit` (one emitter
//! per artefact) → `format` (prettyplease and the `@generated` line).
//!
//! [`generate`] is the pure core: documents in, formatted files out, no environment access.
//! [`configure`] returns the builder a `build.rs` uses; it reads files and writes `OUT_DIR`.

pub mod builder;
pub mod check;
pub mod diag;
mod emit;
mod format;
mod ident;
pub mod ir;
pub mod load;
pub mod options;

pub use builder::{Builder, configure};
pub use diag::{Diagnostic, Kind, Report, Severity};
pub use options::{Flag, Options};

use std::path::{Path, PathBuf};

/// One generated artefact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Artefact name, also the file stem: `types`, `server`, `client`, `persist`, `mod`.
    pub name: String,
    /// Formatted Rust source starting with the `@generated` line.
    pub contents: String,
}

/// The result of generating one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted files, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings: constructs that degraded (for example to `serde_json::Value`).
    pub warnings: Vec<Diagnostic>,
    /// Every file the spec reached through `$ref`, the root first.
    pub inputs: Vec<PathBuf>,
    /// Figures about the spec, for reports.
    pub stats: Stats,
}

/// Figures about one generated spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Number of operations.
    pub operations: usize,
    /// Number of named schemas in the spec.
    pub schemas: usize,
    /// Number of Rust types emitted (named and inline schemas).
    pub types: usize,
    /// How much of the API is typed rather than `serde_json::Value`.
    pub fidelity: ir::Fidelity,
}

/// Reads the file a `$ref` names. The pure core never touches the file system itself.
pub trait SourceReader {
    /// Returns the text of `path`.
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// Reads from the file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsReader;

impl SourceReader for FsReader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// Generates code for the spec at `root`, reading it and every file it references through
/// `reader`. Errors are every problem found, all at once.
pub fn generate(
    root: &Path,
    reader: &dyn SourceReader,
    options: &Options,
) -> Result<Generated, Report> {
    let (api, report) = api(root, reader, options)?;
    let diagnostics = report.diagnostics;
    let source = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = emit::emit(&api, options, &source).map_err(|message| Report {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            kind: Kind::Other,
            file: root.to_owned(),
            line: None,
            col: None,
            pointer: String::new(),
            message,
        }],
    })?;
    Ok(Generated {
        files,
        warnings: diagnostics,
        inputs: api.inputs.clone(),
        stats: Stats {
            operations: api.operations.len(),
            schemas: api.named_schemas,
            types: api.types.defs.len(),
            fidelity: api.fidelity(),
        },
    })
}

/// Loads, lowers and checks the spec at `root`: its IR and the warnings, or every problem.
pub fn api(
    root: &Path,
    reader: &dyn SourceReader,
    options: &Options,
) -> Result<(ir::Api, Report), Report> {
    let mut cx = diag::Ctxt::default();
    let docs =
        load::Docs::load(root, reader, &mut cx).map_err(|diagnostics| Report { diagnostics })?;
    let api = ir::build(&docs, &mut cx, options);
    check::check(&api, &mut cx);
    if options.strict {
        cx.promote_defects();
    }
    let failed = cx.has_errors();
    let diagnostics = cx.finish(&docs);
    if failed {
        Err(Report { diagnostics })
    } else {
        Ok((api, Report { diagnostics }))
    }
}

/// Loads and checks the spec at `root` without emitting code: every problem, errors and
/// warnings, in source order.
pub fn check(root: &Path, reader: &dyn SourceReader, options: &Options) -> Report {
    match api(root, reader, options) {
        Ok((_, warnings)) => warnings,
        Err(report) => report,
    }
}

/// Generates code for a spec given as text, with no other file reachable.
pub fn generate_str(name: &str, text: &str, options: &Options) -> Result<Generated, Report> {
    struct One<'a>(&'a str, &'a str);
    impl SourceReader for One<'_> {
        fn read(&self, path: &Path) -> std::io::Result<String> {
            if path == Path::new(self.0) {
                Ok(self.1.to_owned())
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "only the root document is available",
                ))
            }
        }
    }
    generate(Path::new(name), &One(name, text), options)
}
