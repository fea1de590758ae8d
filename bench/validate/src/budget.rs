//! 4 (e). The backtracking budget: how long `specbind::__private::Pattern::matches` takes to
//! answer, or to give up (`TooExpensive`), on patterns that need the backtracking engine
//! (lookaround, backreferences): adversarial ones on inputs of the longest length it accepts,
//! and the corpus's own lookaround patterns (linode, oxide nexus) on long inputs. The current
//! runtime only (the baseline has no budget).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use specbind::__private::{Engine, Pattern};
use specbind::validate::{BACKTRACK_LIMIT, BACKTRACKING_MAX_LEN};

use crate::stats::{median, num, per_call, spread};
use crate::{Args, Paths};

/// Every `pattern` string in `v`, in document order.
fn patterns(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("pattern", Value::String(p)) => out.push(p.clone()),
                    _ => patterns(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
        _ => {}
    }
}

/// The distinct patterns of `spec` that need the backtracking engine.
fn lookaround_patterns(spec: &Path) -> Result<Vec<&'static str>, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let doc: Value = if spec.extension().is_some_and(|e| e == "yaml") {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?
    } else {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?
    };
    let mut all = Vec::new();
    patterns(&doc, &mut all);
    let mut out: Vec<&'static str> = Vec::new();
    for p in all {
        if out.iter().any(|q| *q == p) {
            continue;
        }
        let leaked: &'static str = Box::leak(p.into_boxed_str());
        if Pattern::new(leaked).engine() == Engine::Backtracking {
            out.push(leaked);
        }
    }
    Ok(out)
}

/// One pattern on one input.
struct Probe {
    pattern: &'static str,
    from: String,
    input_name: String,
    input: String,
}

fn answer(r: Result<bool, impl std::fmt::Display>) -> String {
    match r {
        Ok(true) => "matches".into(),
        Ok(false) => "does not match".into(),
        Err(e) => format!("**{e}**"),
    }
}

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<String, String> {
    let rounds = args.rounds(5);
    let sample = Duration::from_millis(if args.quick { 30 } else { 200 });
    let max = BACKTRACKING_MAX_LEN;
    let a = |n: usize| "a".repeat(n);
    let mut probes = vec![
        Probe {
            pattern: r"^(?=a)(a|a)*\1b$",
            from: "adversarial".into(),
            input_name: format!("`a` × {max}"),
            input: a(max),
        },
        Probe {
            pattern: r"^((?=a)a+)+$",
            from: "adversarial".into(),
            input_name: format!("`a` × {} + `b`", max - 1),
            input: a(max - 1) + "b",
        },
        Probe {
            pattern: r"^(\w+\s?)*(?=x)$",
            from: "adversarial".into(),
            input_name: format!("`a` × {max}"),
            input: a(max),
        },
        Probe {
            pattern: r"^(\w+\s?)*(?=x)$",
            from: "adversarial".into(),
            input_name: "`a` × 24".into(),
            input: a(24),
        },
        Probe {
            pattern: r"^(?=a)(a|a)*\1b$",
            from: "adversarial".into(),
            input_name: format!("`a` × {} (over the length bound)", max + 1),
            input: a(max + 1),
        },
    ];
    for (spec, from) in [
        ("linode_api_3.0.yaml", "linode"),
        ("oxide_nexus_3.0.json", "oxide nexus"),
    ] {
        for pattern in lookaround_patterns(&paths.corpus.join(spec))? {
            probes.push(Probe {
                pattern,
                from: from.into(),
                input_name: format!("`a` × {max}"),
                input: a(max),
            });
            probes.push(Probe {
                pattern,
                from: from.into(),
                input_name: format!("`aB3-` × {} + `aB3c`", max / 4 - 1),
                input: "aB3-".repeat(max / 4 - 1) + "aB3c",
            });
        }
    }

    let mut md = String::from("### 4 (e). The backtracking budget\n\n");
    let _ = writeln!(
        md,
        "`specbind::__private::Pattern::matches` (specbind after only) on patterns that need \
         the backtracking engine (`fancy-regex`, within {BACKTRACK_LIMIT} backtracking steps, \
         on inputs of at most {max} bytes; past either bound the answer is `TooExpensive` and \
         the value is refused). The pattern is compiled before timing; each sample at least \
         {} ms and 3 calls, median of {rounds} round(s).\n\n\
         | pattern | from | input | answer | µs per call | all rounds |\n\
         | --- | --- | --- | --- | ---: | ---: |",
        sample.as_millis()
    );
    for probe in &probes {
        eprintln!("validate: budget, {} on {}", probe.pattern, probe.input_name);
        let pattern = Pattern::new(probe.pattern);
        let result = pattern.matches(&probe.input);
        let times: Vec<f64> = (0..rounds)
            .map(|_| {
                per_call(sample, || {
                    black_box(pattern.matches(black_box(&probe.input)).is_ok());
                }) * 1e6
            })
            .collect();
        let _ = writeln!(
            md,
            "| `` {} `` | {} | {} | {} | {} | {} |",
            probe.pattern.replace('|', "\\|"),
            probe.from,
            probe.input_name,
            answer(result),
            num(median(times.clone()), 1),
            spread(&times, 1),
        );
    }
    md.push_str(
        "\nThe corpus rows are every distinct `pattern` of those specs that needs the \
         backtracking engine, each on two inputs of the longest length it accepts: letters, and \
         letters, digits and dashes ending in a letter.\n\n",
    );
    Ok(md)
}
