//! The `build.rs` front end: reads specs, writes `OUT_DIR/specbind/<name>/*.rs` when their
//! contents change, and tells Cargo which files to watch.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{FsReader, Options, Report};

/// Starts a builder for `build.rs`.
///
/// ```no_run
/// // build.rs
/// specbind_codegen::configure()
///     .spec("specs/petstore.yaml")
///     .compile();
/// ```
pub fn configure() -> Builder {
    Builder::default()
}

/// Options for generating code from specs in a build script.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Builder {
    specs: Vec<(PathBuf, Option<String>)>,
    out_dir: Option<PathBuf>,
    pub(crate) options: Options,
    quiet: bool,
    verbose: bool,
    layout: Layout,
}

/// How generated files are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layout {
    /// `<out>/specbind/<name>/*.rs`, with a `mod.rs` that includes the artefacts from
    /// `$OUT_DIR`: for build scripts and `include_spec!`.
    #[default]
    OutDir,
    /// `<out>/<name>/*.rs`, with a `mod.rs` of `pub mod types;` lines: for code committed to a
    /// source tree (the CLI's `generate`).
    Tree,
}

/// A failed build: every spec's problems.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A spec has errors.
    #[error("{path}:\n{report}")]
    Spec {
        /// The spec.
        path: PathBuf,
        /// Its problems.
        report: Report,
    },
    /// Writing output failed.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No output folder: not in a build script and none given.
    #[error("`OUT_DIR` is not set; call `out_dir()` outside a build script")]
    NoOutDir,
    /// Two specs would write the same module.
    #[error("two specs are both named `{0}`; give one another name with `spec_named()`")]
    DuplicateName(String),
}

/// The module name of a spec: its file stem in snake_case (`petstore-v2.yaml` → `petstore_v2`).
pub fn spec_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::ident::snake_name(&stem)
        .trim_start_matches("r#")
        .to_owned()
}

impl Builder {
    /// Adds a spec; its module is named after the file (`include_spec!("petstore")`).
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push((path.into(), None));
        self
    }

    /// Adds a spec under a module name of your choice.
    pub fn spec_named(mut self, path: impl Into<PathBuf>, name: impl Into<String>) -> Self {
        self.specs.push((path.into(), Some(name.into())));
        self
    }

    /// Where to write; defaults to `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Replaces every option at once.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// How files are laid out (default: [`Layout::OutDir`]).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Do not print spec warnings (as `cargo:warning` lines in a build script, on stderr
    /// elsewhere).
    pub fn quiet(mut self, on: bool) -> Self {
        self.quiet = on;
        self
    }

    /// Print every warning. By default, of many warnings of one kind the first few are
    /// printed and one line counts the rest; `SPECBIND_VERBOSE=1` in the environment does
    /// the same as `verbose(true)`.
    pub fn verbose(mut self, on: bool) -> Self {
        self.verbose = on;
        self
    }

    /// `verbose(true)`, or `SPECBIND_VERBOSE` set (and not `0`).
    fn is_verbose(&self) -> bool {
        self.verbose
            || std::env::var_os("SPECBIND_VERBOSE").is_some_and(|v| !v.is_empty() && v != "0")
    }

    /// The options generation runs with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Generates every spec; returns the files written or left unchanged.
    pub fn generate(self) -> Result<Vec<PathBuf>, Vec<BuildError>> {
        let in_build_script = std::env::var_os("CARGO_MANIFEST_DIR").is_some()
            && std::env::var_os("OUT_DIR").is_some();
        let out = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(o) if self.layout == Layout::OutDir => o.join("specbind"),
            Some(o) => o,
            None => return Err(vec![BuildError::NoOutDir]),
        };
        if in_build_script {
            println!("cargo:rerun-if-env-changed=SPECBIND_VERBOSE");
        }
        let verbose = self.is_verbose();
        let mut errors = Vec::new();
        let mut written = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (path, name) in &self.specs {
            let name = name.clone().unwrap_or_else(|| spec_name(path));
            if !names.insert(name.clone()) {
                errors.push(BuildError::DuplicateName(name));
                continue;
            }
            let result = crate::generate(path, &FsReader, &self.options);
            let inputs = match &result {
                Ok(g) => g.inputs.clone(),
                Err(_) => vec![path.clone()],
            };
            if in_build_script {
                for input in &inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
            match result {
                Ok(generated) => {
                    if !self.quiet {
                        let report = Report {
                            diagnostics: generated.warnings.clone(),
                        };
                        for line in warning_lines(&report, verbose, in_build_script) {
                            if in_build_script {
                                println!("{line}");
                            } else {
                                eprintln!("{line}");
                            }
                        }
                    }
                    let dir = out.join(&name);
                    let mut files = generated.files;
                    files.push(crate::GeneratedFile {
                        name: "mod".into(),
                        contents: module_file(&name, &files, self.layout),
                    });
                    for f in files {
                        let file = dir.join(format!("{}.rs", f.name));
                        match write_if_changed(&file, &f.contents) {
                            Ok(()) => written.push(file),
                            Err(source) => errors.push(BuildError::Io { path: file, source }),
                        }
                    }
                }
                Err(report) => errors.push(BuildError::Spec {
                    path: path.clone(),
                    report,
                }),
            }
        }
        if errors.is_empty() {
            Ok(written)
        } else {
            Err(errors)
        }
    }

    /// Generates every spec, or prints every problem and exits with status 1: the end of a
    /// build script, with no backtrace.
    pub fn compile(self) {
        let verbose = self.is_verbose();
        if let Err(errors) = self.generate() {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: specbind could not generate code\n");
            for e in errors {
                let _ = match &e {
                    BuildError::Spec { path, report } if verbose => {
                        writeln!(err, "{}:\n{}\n", path.display(), report.verbose())
                    }
                    _ => writeln!(err, "{e}\n"),
                };
            }
            std::process::exit(1);
        }
    }
}

/// What the builder prints of a spec's warnings: in a build script, `cargo:warning` lines. A
/// thousand warnings of one kind are a few lines, not a thousand, unless `verbose`.
fn warning_lines(report: &Report, verbose: bool, in_build_script: bool) -> Vec<String> {
    let prefix = if in_build_script {
        "cargo:warning="
    } else {
        ""
    };
    report
        .lines(verbose)
        .into_iter()
        .map(|line| format!("{prefix}{line}"))
        .collect()
}

/// The `mod.rs` of a spec: one module per artefact, each including its file from `OUT_DIR`.
fn module_file(name: &str, files: &[crate::GeneratedFile], layout: Layout) -> String {
    let mut s = String::from("// @generated by specbind; do not edit.\n");
    for f in files {
        let doc = match f.name.as_str() {
            "types" => "Models: serde types with `validate()`.",
            "server" => "The axum server.",
            "client" => "The reqwest client.",
            "persist" => "Persistence of the `x-persist` models.",
            _ => "Generated code.",
        };
        match layout {
            Layout::OutDir => s.push_str(&format!(
                "#[doc = \"{doc}\"]\npub mod {0} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/specbind/{name}/{0}.rs\"));\n}}\n",
                f.name
            )),
            Layout::Tree => s.push_str(&format!("#[doc = \"{doc}\"]\npub mod {};\n", f.name)),
        }
    }
    s
}

/// Writes `contents` unless the file already holds them, so Cargo does not rebuild for nothing.
fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use crate::{Diagnostic, Kind, Report, Severity};

    #[test]
    fn a_build_script_prints_a_few_lines_for_a_thousand_warnings_of_one_kind() {
        let diagnostics = (1..=1000)
            .map(|line| Diagnostic {
                severity: Severity::Warning,
                kind: Kind::MissingOperationId,
                file: "api.yaml".into(),
                line: Some(line),
                col: Some(5),
                pointer: format!("#/paths/~1p{line}/get"),
                message: "operation has no `operationId`".into(),
            })
            .collect();
        let report = Report { diagnostics };
        let lines = super::warning_lines(&report, false, true);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with("cargo:warning=api.yaml"))
        );
        assert!(lines[3].contains("997 more warnings of kind `missing-operation-id`"));
        assert_eq!(super::warning_lines(&report, true, true).len(), 1000);
    }
}
