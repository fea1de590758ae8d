//! specbind "before": the driver runs this same program, built against the baseline specbind
//! (`bench/run.sh` builds it under `bench/target/baseline/`), as a worker on a pipe, so that
//! one run measures the baseline's models and the current ones on the same payloads, round
//! after round, alternating with the anchors.
//!
//! The protocol is one line per request and one per answer (JSON text has no raw newline):
//!
//! ```text
//! load <model>\t<JSON text>           ok
//! verdict                              ok valid | ok invalid: <why>
//! time <text|value|validate> <ms> <n>  ok <seconds per call> | ok none
//! quit
//! ```
//!
//! `time` calls the model on the loaded payload for at least `<ms>` milliseconds and at
//! least `<n>` times. A request that fails is answered `error <why>`.

use std::io::{BufRead, Write};
use std::time::Duration;

use serde_json::Value;

use crate::models::{Input, Model, model, time};

/// What the worker has loaded.
struct Loaded {
    model: Model,
    text: String,
    value: Value,
}

/// Serves requests on standard input until `quit` or its end.
pub(crate) fn serve() -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    let mut loaded: Option<Loaded> = None;
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("reading a request: {e}"))?;
        if line == "quit" {
            break;
        }
        let answer = answer(&line, &mut loaded).unwrap_or_else(|e| format!("error {e}"));
        writeln!(stdout, "{}", answer.replace(['\n', '\r'], " "))
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("writing an answer: {e}"))?;
    }
    Ok(())
}

fn answer(line: &str, loaded: &mut Option<Loaded>) -> Result<String, String> {
    if let Some(rest) = line.strip_prefix("load ") {
        let (name, text) = rest.split_once('\t').ok_or("load: no tab")?;
        let model = model(name).ok_or_else(|| format!("load: no model `{name}`"))?;
        let value = serde_json::from_str(text).map_err(|e| format!("load: {e}"))?;
        *loaded = Some(Loaded {
            model,
            text: text.to_owned(),
            value,
        });
        return Ok("ok".into());
    }
    let l = loaded.as_ref().ok_or("nothing loaded")?;
    let mut words = line.split(' ');
    match words.next() {
        Some("verdict") => {
            let (text, value) = ((l.model.text)(&l.text), (l.model.value)(&l.value));
            if text.is_ok() != value.is_ok() {
                return Err(format!(
                    "the verdicts from text and from a Value differ: {text:?} / {value:?}"
                ));
            }
            Ok(match text {
                Ok(()) => "ok valid".into(),
                Err(e) => format!("ok invalid: {e}"),
            })
        }
        Some("time") => {
            let input = words
                .next()
                .and_then(Input::from_word)
                .ok_or("time: which input?")?;
            let ms: u64 = words
                .next()
                .and_then(|w| w.parse().ok())
                .ok_or("time: how long?")?;
            let n: u64 = words
                .next()
                .and_then(|w| w.parse().ok())
                .ok_or("time: how many calls?")?;
            let t = time(
                l.model,
                input,
                &l.text,
                &l.value,
                Duration::from_millis(ms),
                n,
            );
            Ok(t.map_or_else(|| "ok none".into(), |t| format!("ok {t:e}")))
        }
        _ => Err(format!("unknown request `{}`", line.chars().take(40).collect::<String>())),
    }
}

/// The driver's end of a worker.
#[cfg(feature = "driver")]
pub(crate) struct Worker {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    /// The model and a hash of the text last loaded.
    loaded: Option<(&'static str, u64)>,
}

#[cfg(feature = "driver")]
impl Worker {
    /// Starts `exe --worker`.
    pub(crate) fn start(exe: &std::path::Path) -> Result<Self, String> {
        use std::process::{Command, Stdio};
        let mut child = Command::new(exe)
            .arg("--worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Self {
            child,
            stdin,
            stdout,
            loaded: None,
        })
    }

    fn call(&mut self, request: &str) -> Result<String, String> {
        let broken = |e: std::io::Error| format!("the baseline worker: {e}");
        self.stdin
            .write_all(request.as_bytes())
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush())
            .map_err(broken)?;
        let mut line = String::new();
        if self.stdout.read_line(&mut line).map_err(broken)? == 0 {
            return Err("the baseline worker stopped".into());
        }
        let line = line.trim_end();
        match line.strip_prefix("ok") {
            Some(rest) => Ok(rest.trim_start().to_owned()),
            None => Err(format!(
                "the baseline worker: {}",
                line.strip_prefix("error ").unwrap_or(line)
            )),
        }
    }

    /// Loads `text` for `model`, unless it is what was loaded last.
    pub(crate) fn load(&mut self, model: &'static str, text: &str) -> Result<(), String> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        let key = (model, hasher.finish());
        if self.loaded != Some(key) {
            self.loaded = None;
            self.call(&format!("load {model}\t{text}"))?;
            self.loaded = Some(key);
        }
        Ok(())
    }

    /// The baseline's verdict on what is loaded.
    pub(crate) fn verdict(&mut self) -> Result<Result<(), String>, String> {
        let answer = self.call("verdict")?;
        Ok(match answer.strip_prefix("invalid: ") {
            Some(why) => Err(why.to_owned()),
            None if answer == "valid" => Ok(()),
            None => return Err(format!("the baseline worker answered `{answer}`")),
        })
    }

    /// Seconds per call on what is loaded.
    pub(crate) fn time(
        &mut self,
        input: Input,
        sample: Duration,
        min_calls: u64,
    ) -> Result<Option<f64>, String> {
        let answer = self.call(&format!(
            "time {} {} {min_calls}",
            input.word(),
            sample.as_millis()
        ))?;
        if answer == "none" {
            return Ok(None);
        }
        answer
            .parse()
            .map(Some)
            .map_err(|_| format!("the baseline worker answered `{answer}`"))
    }
}

#[cfg(feature = "driver")]
impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.stdin.write_all(b"quit\n");
        let _ = self.stdin.flush();
        let _ = self.child.wait();
    }
}
