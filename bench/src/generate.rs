//! 1. Generation time: specbind against progenitor on the same OpenAPI 3.0 specs, from the
//!    spec's text to formatted Rust source, models and client (what progenitor generates).

use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::stats::{Figure, Goal, cell, lines, median, num, ratio, secs, spread};
use crate::{Args, Paths};

/// The specs both generators are timed on, largest last.
pub(crate) fn specs(paths: &Paths) -> Vec<PathBuf> {
    vec![
        paths.root.join("specs/petstore.yaml"),
        paths.corpus.join("oxide_nexus_3.0.json"),
        paths.corpus.join("github_api_3.0.json"),
    ]
}

/// The file name of `path`, for tables.
pub(crate) fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// specbind's options for a fair comparison with progenitor: models and a client binding
/// every operation; no server, no persistence.
pub(crate) fn client_options() -> specbind_codegen::Options {
    let mut options = specbind_codegen::Options::default();
    options.models = true;
    options.client = true;
    options.bind_all = true;
    options.server = false;
    options.persist = false;
    options
}

/// specbind: reads, generates and formats `spec`; the files (`types`, `client`) or every
/// error.
pub(crate) fn specbind(
    spec: &Path,
    options: &specbind_codegen::Options,
) -> Result<Vec<specbind_codegen::GeneratedFile>, String> {
    specbind_codegen::generate(spec, &specbind_codegen::FsReader, options)
        .map(|g| g.files)
        .map_err(|report| report.to_string())
}

/// progenitor: reads `spec`, parses it with `openapiv3`, generates with
/// `progenitor_impl::Generator::default()` and formats with prettyplease. A panic is caught
/// and returned as an error, its message kept; the panic hook must be silenced by the caller
/// (see [`Quiet`]).
pub(crate) fn progenitor(spec: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read: {e}"))?;
    let is_yaml = spec.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let api: openapiv3::OpenAPI = if is_yaml {
        serde_yaml::from_str(&text).map_err(|e| format!("openapiv3 cannot parse it: {e}"))?
    } else {
        serde_json::from_str(&text).map_err(|e| format!("openapiv3 cannot parse it: {e}"))?
    };
    let tokens = panic::catch_unwind(AssertUnwindSafe(|| {
        progenitor_impl::Generator::default().generate_tokens(&api)
    }))
    .map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "(no message)".to_owned());
        format!("panicked: {message}")
    })?
    .map_err(|e| format!("error: {e}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("its output does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Silences the panic hook while it lives (progenitor panics on some specs; the message is
/// kept from the payload instead).
pub(crate) struct Quiet(Option<Hook>);

/// A panic hook, as `std::panic::take_hook` returns it.
type Hook = Box<dyn Fn(&panic::PanicHookInfo<'_>) + Sync + Send>;

impl Quiet {
    pub(crate) fn new() -> Self {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        Self(Some(previous))
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        if let Some(previous) = self.0.take() {
            panic::set_hook(previous);
        }
    }
}

/// One generator's figures on one spec.
#[derive(Debug, Default)]
struct Side {
    seconds: Vec<f64>,
    lines: usize,
    error: Option<String>,
}

impl Side {
    fn record<T>(
        &mut self,
        start: Instant,
        result: Result<T, String>,
        count: impl Fn(&T) -> usize,
    ) {
        let elapsed = secs(start);
        match result {
            Ok(out) => {
                self.seconds.push(elapsed);
                self.lines = count(&out);
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn ms(&self) -> Option<f64> {
        median(self.seconds.iter().map(|s| s * 1000.0).collect())
    }

    fn cell(&self) -> String {
        match &self.error {
            Some(_) => "fails".to_owned(),
            None => num(self.ms(), 1),
        }
    }
}

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<(String, Vec<Figure>), String> {
    let rounds = args.rounds(7);
    let options = client_options();
    let _quiet = Quiet::new();
    let mut rows = Vec::new();
    for spec in specs(paths) {
        if !spec.exists() {
            return Err(format!("{} not found", spec.display()));
        }
        eprintln!("generate: {} ({rounds} rounds)", name(&spec));
        let (mut sb, mut pg) = (Side::default(), Side::default());
        for round in 0..rounds {
            // Alternate which goes first, so neither always finds the caches warm.
            for which in [round % 2, 1 - round % 2] {
                if which == 0 && sb.error.is_none() {
                    let start = Instant::now();
                    let out = specbind(&spec, &options);
                    sb.record(start, out, |files| {
                        files.iter().map(|f| lines(&f.contents)).sum()
                    });
                } else if which == 1 && pg.error.is_none() {
                    let start = Instant::now();
                    let out = progenitor(&spec);
                    pg.record(start, out, |text| lines(text));
                }
            }
        }
        rows.push((spec, sb, pg));
    }

    let mut md = String::from("## 1. Generation time: specbind vs progenitor\n\n");
    md.push_str(
        "From the spec's text to formatted Rust source, in this process, release build: \
         specbind's `generate` (parse, `$ref`s, lowering, checks, emission, prettyplease) \
         with models and a client binding every operation (`bind_all`; no server, no \
         persistence), against `openapiv3` parsing plus \
         `progenitor_impl::Generator::default().generate_tokens` plus prettyplease (the same \
         prettyplease version as specbind's). The two alternate within each round; median of \
         the rounds.\n\n",
    );
    let _ = writeln!(
        md,
        "Command: `bench/target/release/specbind-bench generate` ({rounds} round(s)).\n"
    );
    md.push_str(
        "| spec | size KiB | specbind ms | progenitor ms | ratio specbind/progenitor | \
         specbind ms, all rounds | progenitor ms, all rounds | lines out, specbind | lines \
         out, progenitor |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut failures = String::new();
    let mut figures = Vec::new();
    for (spec, sb, pg) in &rows {
        if sb.error.is_none() && pg.error.is_none() {
            figures.push(Figure::new(
                format!("1. generation time, `{}`", name(spec)),
                "specbind / progenitor",
                sb.ms(),
                pg.ms(),
                Goal::None,
            ));
        }
        let size = std::fs::metadata(spec).map_or(0, |m| m.len() / 1024);
        let ms = |s: &Side| s.seconds.iter().map(|s| s * 1000.0).collect::<Vec<_>>();
        let lines = |s: &Side| match s.error {
            Some(_) => "—".to_owned(),
            None => s.lines.to_string(),
        };
        let _ = writeln!(
            md,
            "| {} | {size} | {} | {} | {} | {} | {} | {} | {} |",
            name(spec),
            sb.cell(),
            pg.cell(),
            ratio(sb.ms(), pg.ms()),
            spread(&ms(sb), 1),
            spread(&ms(pg), 1),
            lines(sb),
            lines(pg),
        );
        for (who, side) in [("specbind", sb), ("progenitor", pg)] {
            if let Some(e) = &side.error {
                let _ = writeln!(failures, "| {} | {who} | {} |", name(spec), cell(e, 300));
            }
        }
    }
    md.push_str(
        "\nGoal: none set by the issue (lower ratio is better). Lines out count the formatted \
         files (specbind: `types.rs` + `client.rs`; progenitor: its one file).\n",
    );
    if !failures.is_empty() {
        md.push_str(
            "\nFailures (not timed):\n\n| spec | generator | error |\n| --- | --- | --- |\n",
        );
        md.push_str(&failures);
    }
    Ok((md, figures))
}
