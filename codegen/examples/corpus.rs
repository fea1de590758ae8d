//! Corpus runner: generates every spec of a folder, compile-checks the generated code in one
//! scratch cargo workspace and prints a report.
//!
//! ```text
//! cargo run --release -p specbind-codegen --example corpus -- ../shared/corpus/specs \
//!     [--out DIR] [--only SUBSTRING[,...]] [--no-compile] [--server] [--client] [--jobs N]
//!     [--markdown FILE]
//! ```
//!
//! The exit code is 0 whatever the results are (it is a report, not a test), unless the runner
//! itself cannot run.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, IsTerminal};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use specbind_codegen::{FsReader, Options, Severity};

const USAGE: &str = "usage: corpus [SPECS_DIR] [--out DIR] [--only SUBSTRING[,...]] [--no-compile] \
                     [--server] [--client] [--jobs N] [--markdown FILE]";

/// Width of the first-error column in the text table.
const ERROR_WIDTH: usize = 120;

/// Index of the first-error column (the last).
const ERROR_COLUMN: usize = 12;

struct Args {
    specs: PathBuf,
    out: PathBuf,
    only: Option<String>,
    compile: bool,
    jobs: Option<String>,
    markdown: Option<PathBuf>,
    /// Also generate servers, every operation bound to a generic stub handler.
    server: bool,
    /// Also generate clients, every operation bound to a method.
    client: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        specs: PathBuf::from("../shared/corpus/specs"),
        out: PathBuf::from("target/corpus"),
        only: None,
        compile: true,
        jobs: None,
        markdown: None,
        server: false,
        client: false,
    };
    let mut it = std::env::args().skip(1);
    let mut positional = false;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--out" => args.out = value("--out")?.into(),
            "--only" => args.only = Some(value("--only")?),
            "--no-compile" => args.compile = false,
            "--server" => args.server = true,
            "--client" => args.client = true,
            "--jobs" | "-j" => args.jobs = Some(value("--jobs")?),
            "--markdown" => args.markdown = Some(value("--markdown")?.into()),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            s if !positional => {
                positional = true;
                args.specs = s.into();
            }
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(args)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GenStatus {
    Ok,
    Error,
    Panic,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CompileStatus {
    /// Not attempted (`--no-compile`, or generation failed).
    Skipped,
    Ok,
    Failed,
}

struct Row {
    file: String,
    version: String,
    ops: Option<usize>,
    schemas: Option<usize>,
    types: Option<usize>,
    gen_ms: f64,
    warnings: Option<usize>,
    /// Typed and `serde_json::Value` places, when generated.
    fidelity: Option<specbind_codegen::ir::Fidelity>,
    generated: GenStatus,
    compiled: CompileStatus,
    /// Crate name in the scratch workspace, when generated.
    krate: Option<String>,
    /// First error line (generation or compilation), with a short location.
    error: Option<String>,
}

impl Row {
    fn passed(&self, compile: bool) -> bool {
        self.generated == GenStatus::Ok && (!compile || self.compiled == CompileStatus::Ok)
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("corpus: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let specs = list_specs(&args.specs, args.only.as_deref())?;
    if specs.is_empty() {
        return Err(format!("no spec in `{}`", args.specs.display()));
    }
    let manifest = read_manifest(&args.specs);

    // Generation runs on a thread with a big stack so deep specs do not overflow it.
    let spec_list = specs.clone();
    let worker = std::thread::Builder::new()
        .name("generate".into())
        .stack_size(512 << 20)
        .spawn({
            let (server, client) = (args.server, args.client);
            move || generate_all(&spec_list, server, client)
        })
        .map_err(|e| format!("cannot spawn the generation thread: {e}"))?;
    let generated = worker
        .join()
        .map_err(|_| "the generation thread died".to_owned())?;

    let mut rows = Vec::with_capacity(specs.len());
    let mut outputs: Vec<Option<Vec<(String, String)>>> = Vec::with_capacity(specs.len());
    let mut used_names: HashMap<String, usize> = HashMap::new();
    for (path, result) in specs.iter().zip(generated) {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let version = spec_family(path, &file, &manifest);
        let mut row = Row {
            file,
            version,
            ops: None,
            schemas: None,
            types: None,
            gen_ms: result.ms,
            warnings: None,
            fidelity: None,
            generated: GenStatus::Error,
            compiled: CompileStatus::Skipped,
            krate: None,
            error: None,
        };
        let mut contents = None;
        match result.outcome {
            Outcome::Ok {
                stats,
                warnings,
                files,
            } => {
                row.generated = GenStatus::Ok;
                row.ops = Some(stats.operations);
                row.schemas = Some(stats.schemas);
                row.types = Some(stats.types);
                row.warnings = Some(warnings);
                row.fidelity = Some(stats.fidelity);
                if files.iter().any(|(n, _)| n == "types") {
                    let name = crate_name(path, &mut used_names);
                    row.krate = Some(name);
                    contents = Some(files);
                } else {
                    row.generated = GenStatus::Error;
                    row.error = Some("no `types` file in the output".into());
                }
            }
            Outcome::Error(first) => row.error = Some(first),
            Outcome::Panic(msg) => {
                row.generated = GenStatus::Panic;
                row.error = Some(format!("PANIC: {msg}"));
            }
        }
        rows.push(row);
        outputs.push(contents);
    }

    let mut cargo_note = None;
    if args.compile {
        cargo_note = compile_all(args, &mut rows, &outputs)?;
    }

    let report = render(args, &rows, cargo_note.as_deref());
    print!("{}", report.text);
    if let Some(md) = &args.markdown {
        if let Some(dir) = md.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(md, &report.markdown)
            .map_err(|e| format!("cannot write `{}`: {e}", md.display()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Listing and versions

fn list_specs(dir: &Path, only: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .filter(|p| {
            // `--only a,b`: file names containing any of the substrings.
            only.is_none_or(|s| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    s.split(',').any(|part| n.contains(part))
                })
            })
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// `filename -> spec_version` from `MANIFEST.tsv` next to (or inside) the specs folder.
fn read_manifest(specs: &Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let candidates = [
        specs.join("MANIFEST.tsv"),
        specs.join("..").join("MANIFEST.tsv"),
    ];
    let Some(text) = candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
    else {
        return map;
    };
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return map;
    };
    let cols: Vec<&str> = header.split('\t').collect();
    let (Some(fi), Some(vi)) = (
        cols.iter().position(|c| *c == "filename"),
        cols.iter().position(|c| *c == "spec_version"),
    ) else {
        return map;
    };
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        if let (Some(name), Some(ver)) = (f.get(fi), f.get(vi)) {
            map.insert((*name).to_owned(), (*ver).to_owned());
        }
    }
    map
}

/// The version family (`2.0`, `3.0`, `3.1`) from the spec's `swagger`/`openapi` field, or from
/// the manifest, or `?`.
fn spec_family(path: &Path, file: &str, manifest: &HashMap<String, String>) -> String {
    let raw = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| version_field(&text, path))
        .or_else(|| manifest.get(file).cloned());
    match raw {
        Some(v) if v.starts_with('2') => "2.0".into(),
        Some(v) if v.starts_with("3.0") => "3.0".into(),
        Some(v) if v.starts_with("3.1") => "3.1".into(),
        Some(v) => v,
        None => "?".into(),
    }
}

fn version_field(text: &str, path: &Path) -> Option<String> {
    if path.extension().is_some_and(|e| e == "json") {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let field = v.get("openapi").or_else(|| v.get("swagger"))?;
        return match field {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
    }
    // YAML: a top-level `swagger:` or `openapi:` line (no indentation).
    for line in text.lines() {
        for key in [
            "openapi:",
            "swagger:",
            "\"openapi\":",
            "\"swagger\":",
            "'openapi':",
        ] {
            if let Some(rest) = line.strip_prefix(key) {
                let v = rest.split('#').next().unwrap_or("").trim();
                let v = v.trim_end_matches(',').trim().trim_matches(['"', '\'']);
                if !v.is_empty() {
                    return Some(v.to_owned());
                }
            }
        }
    }
    None
}

fn crate_name(path: &Path, used: &mut HashMap<String, usize>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::from("c_");
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else {
            name.push('_');
        }
    }
    let n = used.entry(name.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        let _ = write!(name, "_{n}");
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Generation

enum Outcome {
    Ok {
        stats: specbind_codegen::Stats,
        warnings: usize,
        /// Generated files (`types.rs`, `server.rs`, and stub `handlers.rs` with servers).
        files: Vec<(String, String)>,
    },
    /// First error line.
    Error(String),
    /// Panic message and location.
    Panic(String),
}

struct GenResult {
    ms: f64,
    outcome: Outcome,
}

static PANIC_INFO: Mutex<Option<String>> = Mutex::new(None);

fn generate_all(specs: &[PathBuf], server: bool, client: bool) -> Vec<GenResult> {
    // Record panics instead of printing them; they are reported in the table.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let msg = panic_message(info.payload());
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC_INFO.lock() {
            *slot = Some(format!("{msg}{loc}"));
        }
    }));
    let mut options = Options::default();
    options.server = server;
    options.client = client;
    options.bind_all = server || client;
    let tty = std::io::stderr().is_terminal();
    let mut results = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        if tty {
            eprint!("\rgenerating {}/{} ", i + 1, specs.len());
        }
        let start = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            specbind_codegen::generate(spec, &FsReader, &options)
        }));
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let outcome = match result {
            Ok(Ok(g)) => {
                let mut files: Vec<(String, String)> =
                    g.files.into_iter().map(|f| (f.name, f.contents)).collect();
                if server {
                    files.push(("handlers".into(), stub_handlers(spec, &options)));
                }
                Outcome::Ok {
                    stats: g.stats,
                    warnings: g
                        .warnings
                        .iter()
                        .filter(|d| d.severity == Severity::Warning)
                        .count(),
                    files,
                }
            }
            Ok(Err(report)) => {
                let first = report
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == Severity::Error)
                    .or(report.diagnostics.first())
                    .map(|d| {
                        let mut d = d.clone();
                        // The folder is the same for every spec: keep the file name only.
                        if let Some(n) = d.file.file_name() {
                            d.file = PathBuf::from(n);
                        }
                        let mut line = d.to_string();
                        let n = report.error_count();
                        if n > 1 {
                            let _ = write!(line, " (+{} more errors)", n - 1);
                        }
                        line
                    })
                    .unwrap_or_else(|| "error report without diagnostics".into());
                Outcome::Error(first)
            }
            Err(payload) => {
                let msg = PANIC_INFO
                    .lock()
                    .ok()
                    .and_then(|mut s| s.take())
                    .unwrap_or_else(|| panic_message(payload.as_ref()));
                Outcome::Panic(msg)
            }
        };
        results.push(GenResult { ms, outcome });
    }
    if tty {
        eprintln!();
    }
    panic::set_hook(default_hook);
    results
}

/// One generic stub per operation, matching any input and response type of the generated
/// server: enough to compile-check the server of a spec nobody wrote handlers for.
fn stub_handlers(spec: &Path, options: &Options) -> String {
    let mut out = String::from("// Stub handlers written by the corpus runner.\n");
    if let Ok((api, _)) = specbind_codegen::api(spec, &FsReader, options) {
        for op in &api.operations {
            let _ = writeln!(
                out,
                "/// Stub.\npub async fn {}<I, R>(_call: ::specbind::server::Call<()>, _input: I) -> ::std::result::Result<R, ::specbind::server::HandlerError> {{\n    ::std::result::Result::Err(::specbind::server::HandlerError::msg(\"stub\"))\n}}",
                op.name
            );
        }
    }
    out
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".into()
    }
}

// ---------------------------------------------------------------------------------------------
// Compile check

/// Writes `path` only when its content changed, so cargo's fingerprints stay fresh.
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Per-crate results of the cargo run.
#[derive(Default)]
struct CrateResult {
    errors: usize,
    first_error: Option<String>,
    artifact: bool,
}

/// Writes the scratch workspace, runs one `cargo check` and fills the `compiled` column.
/// Returns a note when cargo itself went wrong.
fn compile_all(
    args: &Args,
    rows: &mut [Row],
    outputs: &[Option<Vec<(String, String)>>],
) -> Result<Option<String>, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let out = cwd.join(&args.out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runtime = runtime
        .canonicalize()
        .map_err(|e| format!("cannot find the runtime at `{}`: {e}", runtime.display()))?;
    let main_root = runtime.parent().map(Path::to_path_buf);

    let mut members = Vec::new();
    for (row, contents) in rows.iter().zip(outputs) {
        let (Some(name), Some(contents)) = (&row.krate, contents) else {
            continue;
        };
        let dir = out.join(name);
        let manifest = format!(
            "[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\
             \n[lib]\npath = \"src/lib.rs\"\ntest = false\ndoctest = false\n\
             \n[dependencies]\nspecbind = {{ path = {}, features = [\"client\", \"server\"] }}\n",
            toml_str(name),
            toml_str(&runtime.to_string_lossy()),
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        let mut lib = String::new();
        for (file, text) in contents {
            let _ = writeln!(lib, "pub mod {file} {{\n    include!(\"{file}.rs\");\n}}");
            write_if_changed(&dir.join(format!("src/{file}.rs")), text)?;
        }
        write_if_changed(&dir.join("src/lib.rs"), &lib)?;
        members.push(name.clone());
    }
    if members.is_empty() {
        return Ok(Some("nothing to compile".into()));
    }
    let mut ws = String::from(
        "# Written by codegen/examples/corpus.rs; one crate per generated spec.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for m in &members {
        let _ = writeln!(ws, "    {},", toml_str(m));
    }
    ws.push_str("]\n\n[workspace.package]\nedition = \"2024\"\n");
    write_if_changed(&out.join("Cargo.toml"), &ws)?;
    // Start from the project's lock file so the runtime's dependencies resolve to the same,
    // already downloaded versions.
    let lock = out.join("Cargo.lock");
    if !lock.exists()
        && let Some(root) = &main_root
    {
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = out.join("target");
    let stderr_log = out.join("cargo-stderr.log");
    let stderr_file = std::fs::File::create(&stderr_log)
        .map_err(|e| format!("cannot create `{}`: {e}", stderr_log.display()))?;
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&out)
        .arg("check")
        .arg("--workspace")
        .arg("--keep-going")
        .arg("--message-format=json")
        .arg("--target-dir")
        .arg(&target_dir);
    if let Some(j) = &args.jobs {
        cmd.arg("--jobs").arg(j);
    }
    // Variables `cargo run` sets for this example must not leak into the nested build.
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::from(stderr_file));
    eprintln!(
        "compile check: {} crates in `{}` (cargo stderr: `{}`)",
        members.len(),
        out.display(),
        stderr_log.display()
    );
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run `{cargo}`: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");

    let index: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut results: Vec<CrateResult> = members.iter().map(|_| CrateResult::default()).collect();
    let mut other_errors: Vec<String> = Vec::new();
    let mut build_finished: Option<bool> = None;
    let mut done = 0usize;
    let tty = std::io::stderr().is_terminal();
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let reason = msg.get("reason").and_then(|r| r.as_str()).unwrap_or("");
        let target = msg
            .pointer("/target/name")
            .and_then(|t| t.as_str())
            .unwrap_or("");
        let slot = index.get(target).copied().or_else(|| {
            // Fall back to the package id (`path+file:///…/c_name#0.0.0`).
            let id = msg.get("package_id").and_then(|p| p.as_str())?;
            members
                .iter()
                .position(|m| id.contains(&format!("/{m}#")) || id.contains(&format!("#{m}@")))
        });
        match reason {
            "compiler-message" => {
                let level = msg
                    .pointer("/message/level")
                    .and_then(|l| l.as_str())
                    .unwrap_or("");
                if level != "error" && level != "error: internal compiler error" {
                    continue;
                }
                let text = msg
                    .pointer("/message/message")
                    .and_then(|m| m.as_str())
                    .unwrap_or("");
                if text.starts_with("aborting due to") {
                    continue;
                }
                let first = first_error_line(&msg);
                match slot {
                    Some(i) => {
                        let r = &mut results[i];
                        r.errors += 1;
                        r.first_error.get_or_insert(first);
                    }
                    None => other_errors.push(format!("{target}: {first}")),
                }
            }
            "compiler-artifact" => {
                if let Some(i) = slot {
                    results[i].artifact = true;
                    done += 1;
                    let (lead, end) = if tty { ("\r", " ") } else { ("", "\n") };
                    if tty || done % 10 == 0 || done == members.len() {
                        eprint!(
                            "{lead}checked {done}/{} ({:.0}s){end}",
                            members.len(),
                            start.elapsed().as_secs_f64()
                        );
                    }
                }
            }
            "build-finished" => {
                build_finished = msg.get("success").and_then(|s| s.as_bool());
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| format!("cargo: {e}"))?;
    if tty {
        eprintln!();
    }
    eprintln!(
        "cargo check finished in {:.1}s ({status})",
        start.elapsed().as_secs_f64()
    );

    let mut note = None;
    if build_finished.is_none() {
        let tail = std::fs::read_to_string(&stderr_log).unwrap_or_default();
        let first = tail
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("no `build-finished` message")
            .to_owned();
        note = Some(format!("cargo did not finish the build: {first}"));
    }
    if !other_errors.is_empty() {
        let first = &other_errors[0];
        let msg = format!(
            "{} error(s) outside the generated crates, first: {first}",
            other_errors.len()
        );
        note = Some(match note {
            Some(n) => format!("{n}; {msg}"),
            None => msg,
        });
    }

    for row in rows.iter_mut() {
        let Some(i) = row.krate.as_deref().and_then(|k| index.get(k).copied()) else {
            continue;
        };
        let r = &results[i];
        if r.errors == 0 && r.artifact {
            row.compiled = CompileStatus::Ok;
        } else {
            row.compiled = CompileStatus::Failed;
            row.error = Some(match &r.first_error {
                Some(e) if r.errors > 1 => format!("{e} (+{} more errors)", r.errors - 1),
                Some(e) => e.clone(),
                None if !other_errors.is_empty() => {
                    format!("not checked: a dependency failed ({})", other_errors[0])
                }
                None => "not checked (cargo stopped before this crate)".into(),
            });
        }
    }
    Ok(note)
}

/// `error[E0412]: cannot find type `X` in this scope (types.rs:12:5)`.
fn first_error_line(msg: &serde_json::Value) -> String {
    let rendered = msg
        .pointer("/message/rendered")
        .and_then(|r| r.as_str())
        .or_else(|| msg.pointer("/message/message").and_then(|m| m.as_str()))
        .unwrap_or("error");
    let mut line = rendered.lines().next().unwrap_or("error").trim().to_owned();
    let spans = msg
        .pointer("/message/spans")
        .and_then(|s| s.as_array())
        .cloned()
        .unwrap_or_default();
    let primary = spans
        .iter()
        .find(|s| s.get("is_primary").and_then(|p| p.as_bool()) == Some(true))
        .or(spans.first());
    if let Some(span) = primary {
        let file = span.get("file_name").and_then(|f| f.as_str()).unwrap_or("");
        let file = Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let l = span.get("line_start").and_then(|l| l.as_u64()).unwrap_or(0);
        let _ = write!(line, " ({file}:{l})");
    }
    line
}

// ---------------------------------------------------------------------------------------------
// Report

struct Rendered {
    text: String,
    markdown: String,
}

fn opt(n: Option<usize>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn render(args: &Args, rows: &[Row], cargo_note: Option<&str>) -> Rendered {
    let header = [
        "file",
        "ver",
        "ops",
        "schemas",
        "types",
        "gen ms",
        "warnings",
        "Value",
        "typed",
        "io typed",
        "generated",
        "compiled",
        "first error",
    ];
    let pct = |share: f64| format!("{:.1}%", 100.0 * share);
    let cells: Vec<[String; 13]> = rows
        .iter()
        .map(|r| {
            [
                r.file.clone(),
                r.version.clone(),
                opt(r.ops),
                opt(r.schemas),
                opt(r.types),
                format!("{:.1}", r.gen_ms),
                opt(r.warnings),
                opt(r.fidelity.map(|f| f.schema_values)),
                r.fidelity
                    .map_or_else(|| "-".into(), |f| pct(f.schema_share())),
                r.fidelity.map_or_else(|| "-".into(), |f| pct(f.io_share())),
                match r.generated {
                    GenStatus::Ok => "yes",
                    GenStatus::Error => "no",
                    GenStatus::Panic => "PANIC",
                }
                .into(),
                match r.compiled {
                    CompileStatus::Ok => "yes",
                    CompileStatus::Failed => "no",
                    CompileStatus::Skipped => "-",
                }
                .into(),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();

    // Text table.
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate().take(ERROR_COLUMN) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let numeric = [
        false, false, true, true, true, true, true, true, true, true, false, false, false,
    ];
    let mut text = String::new();
    let fmt_row = |text: &mut String, row: &[String]| {
        let mut parts = Vec::with_capacity(row.len());
        for (i, c) in row.iter().enumerate() {
            if i == ERROR_COLUMN {
                parts.push(truncate(c, ERROR_WIDTH));
            } else if numeric[i] {
                parts.push(format!("{c:>w$}", w = widths[i]));
            } else {
                parts.push(format!("{c:<w$}", w = widths[i]));
            }
        }
        let _ = writeln!(text, "{}", parts.join(" | ").trim_end());
    };
    let head: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    fmt_row(&mut text, &head);
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| "-".repeat(if i == ERROR_COLUMN { 11 } else { *w }))
        .collect();
    let _ = writeln!(text, "{}", rule.join("-|-"));
    for row in &cells {
        fmt_row(&mut text, row);
    }
    text.push('\n');

    // Summary.
    let mut summary = String::new();
    let mut families: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for fam in ["2.0", "3.0", "3.1"] {
        families.insert(fam, (0, 0, 0));
    }
    for r in rows {
        let e = families.entry(r.version.as_str()).or_default();
        e.0 += 1;
        if r.generated == GenStatus::Ok {
            e.1 += 1;
        }
        if r.compiled == CompileStatus::Ok {
            e.2 += 1;
        }
    }
    for (fam, (total, generated, compiled)) in &families {
        if *total == 0 && !["2.0", "3.0", "3.1"].contains(fam) {
            continue;
        }
        let pct = |n: usize| {
            if *total == 0 {
                0.0
            } else {
                100.0 * n as f64 / *total as f64
            }
        };
        if args.compile {
            let _ = writeln!(
                summary,
                "{fam}: generated {generated}/{total}, compiled {compiled}/{total} ({:.0}%)",
                pct(*compiled)
            );
        } else {
            let _ = writeln!(
                summary,
                "{fam}: generated {generated}/{total} ({:.0}%), compiled -",
                pct(*generated)
            );
        }
    }
    let total_ms: f64 = rows.iter().map(|r| r.gen_ms).sum();
    let panics = rows
        .iter()
        .filter(|r| r.generated == GenStatus::Panic)
        .count();
    let _ = writeln!(
        summary,
        "total generation time: {} ({} specs)",
        fmt_duration(Duration::from_secs_f64(total_ms / 1000.0)),
        rows.len()
    );
    let _ = writeln!(summary, "panics: {panics}");
    let mut all = specbind_codegen::ir::Fidelity::default();
    for f in rows.iter().filter_map(|r| r.fidelity) {
        all.schema_nodes += f.schema_nodes;
        all.schema_values += f.schema_values;
        all.io += f.io;
        all.io_values += f.io_values;
    }
    let _ = writeln!(
        summary,
        "typed: schema nodes {:.1}% ({} `Value` of {}), operation inputs and outputs {:.1}% ({} `Value` of {})",
        100.0 * all.schema_share(),
        all.schema_values,
        all.schema_nodes,
        100.0 * all.io_share(),
        all.io_values,
        all.io,
    );
    if let Some(note) = cargo_note {
        let _ = writeln!(summary, "cargo: {note}");
    }
    let passed = rows.iter().filter(|r| r.passed(args.compile)).count();
    let _ = writeln!(summary, "{passed} passed, {} failed", rows.len() - passed);
    text.push_str(&summary);

    // Markdown.
    let mut md = String::from("# specbind corpus report\n\n");
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let aligns: Vec<&str> = numeric
        .iter()
        .map(|n| if *n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(md, "|{}|", aligns.join("|"));
    for row in &cells {
        let escaped: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = if i == ERROR_COLUMN {
                    truncate(c, ERROR_WIDTH)
                } else {
                    c.clone()
                };
                md_cell(&c)
            })
            .collect();
        let _ = writeln!(md, "| {} |", escaped.join(" | "));
    }
    md.push_str("\n## Summary\n\n```text\n");
    md.push_str(&summary);
    md.push_str("```\n\n## Failures\n\n");
    let failures: Vec<&Row> = rows.iter().filter(|r| !r.passed(args.compile)).collect();
    if failures.is_empty() {
        md.push_str("None.\n");
    }
    for r in failures {
        let stage = match (r.generated, r.compiled) {
            (GenStatus::Panic, _) => "generation panicked",
            (GenStatus::Error, _) => "generation failed",
            (GenStatus::Ok, _) => "compilation failed",
        };
        let _ = writeln!(
            md,
            "- `{}` ({}): {stage}: `{}`",
            r.file,
            r.version,
            r.error.as_deref().unwrap_or("").replace('`', "'")
        );
    }
    Rendered { text, markdown: md }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn fmt_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2}s", ms / 1000.0)
    } else {
        format!("{ms:.1}ms")
    }
}
