//! 4 (d). The attack string of issue 14: BeezUP's URL pattern
//! (`^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$`, `bench/specs/attack.yaml`)
//! on `http://a.com/` + a run of `a`s + `!`, validated from JSON text as a server would. A
//! backtracking engine (specbind before: `regress`) takes time exponential in the run's length
//! to reject it; the others are linear.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use crate::Args;
use crate::models::Input;
use crate::stats::{median, num, spread};
use crate::validate::{Baseline, Case, SIDES, Side, time_side, verdicts};

/// What every attack string starts with.
pub(crate) const PREFIX: &str = "http://a.com/";

/// The length of the attack string of the agreement check.
pub(crate) const SHORT: usize = 26;

/// The length of issue 14's string (32 s to reject with `regress`).
const ISSUE: usize = 40;

/// The string of `len` bytes: [`PREFIX`], `a`s, then `!` if `attack` (else one more `a`,
/// which matches).
pub(crate) fn url(len: usize, attack: bool) -> String {
    let run = len - PREFIX.len() - 1;
    format!(
        "{PREFIX}{}{}",
        "a".repeat(run),
        if attack { "!" } else { "a" }
    )
}

/// The payload `{"url": url}`.
pub(crate) fn payload(url: &str) -> String {
    serde_json::json!({ "url": url }).to_string()
}

/// The geometric mean of `factors`, if any.
fn geometric_mean(factors: &[f64]) -> Option<f64> {
    if factors.is_empty() {
        return None;
    }
    Some((factors.iter().map(|f| f.ln()).sum::<f64>() / factors.len() as f64).exp())
}

/// `10^log10_seconds` seconds in a readable unit.
fn duration_log10(log10_seconds: f64) -> String {
    const YEAR: f64 = 365.25 * 86400.0;
    if log10_seconds < 12.0 {
        duration(10f64.powf(log10_seconds))
    } else {
        format!("10^{:.0} years", log10_seconds - YEAR.log10())
    }
}

/// `seconds` in a readable unit.
fn duration(seconds: f64) -> String {
    if seconds < 1e-3 {
        format!("{:.1} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.2} ms", seconds * 1e3)
    } else if seconds < 3600.0 {
        format!("{seconds:.1} s")
    } else {
        let years = seconds / (365.25 * 86400.0);
        if years < 1e6 {
            format!("{years:.0} years")
        } else {
            format!("10^{:.0} years", years.log10())
        }
    }
}

pub(crate) fn run(
    args: &Args,
    case: &Case,
    baseline: &mut Baseline,
    before_name: &str,
) -> Result<String, String> {
    let sample = Duration::from_millis(if args.quick { 30 } else { 300 });
    let mut md = String::from("### 4 (d). The attack string: BeezUP's URL pattern\n\n");
    let _ = writeln!(
        md,
        "`bench/specs/attack.yaml`: one string field with the pattern \
         `^(https?:\\/\\/)?([\\da-z\\.-]+)\\.([a-z\\.]{{2,6}})([\\/\\w \\.-]*)*\\/?$` of \
         `beezup_api_2.0.yaml`. The string: `{PREFIX}`, then `a`s, then `!`, in the payload \
         `{{\"url\": ...}}`, validated from JSON text (as in (a)-(c)); its length in bytes is the \
         string's. Every side rejects it (the same string with an `a` instead of the `!` is \
         valid)."
    );

    // Before: regress, exponential. The lengths that finish in reasonable time, each for at
    // least one call; issue 14's 40 bytes once, in a full run.
    let top = if args.quick { 32 } else { 36 };
    let rounds = if args.quick { 1 } else { 3 };
    let mut before: Vec<(usize, Vec<f64>)> = Vec::new();
    if baseline.worker.is_some() {
        for len in SHORT..=top {
            eprintln!("validate: the attack string at {len} bytes, {before_name}");
            let text = payload(&url(len, true));
            let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            let mut times = Vec::new();
            for _ in 0..rounds {
                let t = time_side(
                    Side::Before,
                    case,
                    Input::Text,
                    &text,
                    &value,
                    sample,
                    1,
                    baseline,
                )?;
                times.extend(t);
            }
            before.push((len, times));
        }
    }
    let measured: Vec<(usize, f64)> = before
        .iter()
        .filter_map(|(len, t)| median(t.clone()).map(|m| (*len, m)))
        .collect();
    let at = |len: usize| measured.iter().find(|(l, _)| *l == len).map(|(_, t)| *t);
    // The growth per 2 bytes at the top four lengths, where the exponential dominates.
    let factors: Vec<f64> = measured
        .iter()
        .filter(|(len, _)| *len + 4 > top)
        .filter_map(|(len, t)| at(len - 2).map(|t2| t / t2))
        .collect();
    let factor = geometric_mean(&factors);
    // In seconds, as a base-10 logarithm (10 KiB is far beyond any float).
    let extrapolate = |len: usize| -> Option<f64> {
        let (last_len, last) = *measured.last()?;
        Some(last.log10() + factor?.log10() * (len as f64 - last_len as f64) / 2.0)
    };
    let issue_measured = if baseline.worker.is_some() && !args.quick {
        eprintln!("validate: the attack string at {ISSUE} bytes, {before_name}, once");
        let text = payload(&url(ISSUE, true));
        let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        time_side(
            Side::Before,
            case,
            Input::Text,
            &text,
            &value,
            Duration::ZERO,
            1,
            baseline,
        )?
    } else {
        None
    };

    let _ = writeln!(
        md,
        "\n**{before_name}** (`regress`: the pattern is not on the fast path), every length \
         from {SHORT} to {top} bytes, each at least {} ms and one call, median of {rounds} \
         round(s); then {ISSUE} bytes, once{}:\n\n\
         | string bytes | {before_name} | × per 2 more bytes | all rounds |\n\
         | ---: | ---: | ---: | ---: |",
        sample.as_millis(),
        if args.quick {
            " (skipped in quick mode: extrapolated only)"
        } else {
            ""
        }
    );
    if baseline.worker.is_none() {
        let _ = writeln!(md, "| — | {} | | |", baseline.missing);
    }
    for (len, times) in &before {
        let t = at(*len);
        let growth = match (t, len.checked_sub(2).and_then(at)) {
            (Some(t), Some(t2)) => format!("{:.2}×", t / t2),
            _ => String::new(),
        };
        let all = times
            .iter()
            .map(|t| duration(*t))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            md,
            "| {len} | {} | {growth} | {all} |",
            t.map_or_else(|| "n/a".into(), duration)
        );
    }
    if let Some(e) = extrapolate(ISSUE) {
        let _ = writeln!(
            md,
            "| {ISSUE} | *{} extrapolated* | *{}× per 2 bytes* | from {top} bytes |",
            duration_log10(e),
            num(factor, 2)
        );
    }
    if let Some(t) = issue_measured {
        let growth = at(top).map_or_else(String::new, |t2| {
            format!(
                "{:.2}× (per 2 bytes, from {top})",
                (t / t2).powf(2.0 / (ISSUE - top) as f64)
            )
        });
        let _ = writeln!(md, "| {ISSUE} | **{} measured** | {growth} | once |", duration(t));
    }
    let _ = writeln!(
        md,
        "\nThe growth factor for the extrapolation is the geometric mean of the last four \
         lengths' (× per 2 bytes: {}).\n",
        num(factor, 2)
    );

    // After and the anchors: 40 bytes, 1 KiB, 10 KiB.
    let lengths = [ISSUE, 1024, 10 * 1024];
    let rounds = args.rounds(5);
    let mut table = String::new();
    for len in lengths {
        eprintln!("validate: the attack string at {len} bytes, every side but before");
        let text = payload(&url(len, true));
        let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let valid = payload(&url(len, false));
        // Every side but before rejects it, and takes the same string with an `a` for valid.
        let rejected = verdicts(case, &text, None)?;
        let accepted = verdicts(case, &valid, None)?;
        let as_expected = rejected
            .iter()
            .flatten()
            .all(|r| r.is_err())
            && accepted.iter().flatten().all(|r| r.is_ok());
        let mut times: [Vec<f64>; 4] = Default::default();
        for round in 0..rounds {
            for k in 0..SIDES.len() {
                let side = SIDES[(k + round) % SIDES.len()];
                if side == Side::Before {
                    continue;
                }
                let t = time_side(side, case, Input::Text, &text, &value, sample, 3, baseline)?;
                times[k_of(side)].extend(t.map(|t| t * 1e6));
            }
        }
        let m: Vec<Option<f64>> = times.iter().map(|t| median(t.clone())).collect();
        let before = if len == ISSUE {
            match (issue_measured, extrapolate(len)) {
                (Some(t), _) => format!("**{}** (measured once)", duration(t)),
                (None, Some(e)) => format!("*{} extrapolated*", duration_log10(e)),
                (None, None) => "n/a".into(),
            }
        } else {
            extrapolate(len).map_or_else(
                || "n/a".into(),
                |e| format!("*{} extrapolated*", duration_log10(e)),
            )
        };
        let _ = writeln!(
            table,
            "| {len} | {} | {before} | {} | {} | {} | {} | {} |",
            num(m[0], 1),
            num(m[2], 1),
            num(m[3], 1),
            if as_expected { "yes" } else { "**no**" },
            spread(&times[0], 1),
            format!("{} / {}", spread(&times[2], 1), spread(&times[3], 1)),
        );
    }
    let _ = writeln!(
        md,
        "**specbind after** (`specbind-pattern` → the `regex` crate) and the anchors, from \
         JSON text, each sample at least {} ms, median of {rounds} round(s):\n\n\
         | string bytes | specbind after µs | {before_name} | jsonschema µs | jsonschema-macros \
         µs | every side rejects it, and takes it with `a` for `!` | after, all rounds | \
         jsonschema / macros, all rounds |\n\
         | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
        sample.as_millis()
    );
    md.push_str(&table);
    md.push('\n');
    Ok(md)
}

fn k_of(side: Side) -> usize {
    SIDES.iter().position(|s| *s == side).expect("a side")
}
