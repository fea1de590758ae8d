//! 4. Body validation throughput: specbind's generated models (`serde` + `validate()`), after
//!    and before (the baseline build, run as a worker), against the `jsonschema` crate and
//!    jsonschema-macros' build-time validators, on the same schemas and payloads; then the
//!    attack string (`attack.rs`) and the backtracking budget (`budget.rs`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use crate::models::{Input, Model, model};
use crate::stats::{Figure, Goal, cell, median, num, per_call_at_least, ratio, spread};
use crate::worker::Worker;
use crate::{Args, Paths, name, schemas};

/// A valid GitHub issue, written for this benchmark.
const GITHUB_ISSUE: &str = include_str!("../../specs/github_issue.json");

/// How deep the nested payload's tree goes (`serde_json` refuses documents nested more than
/// 128 arrays and objects deep; each level is an object and an array).
const DEPTH: usize = 60;

/// Pets in the petstore payload.
const PETS: usize = 10_000;

/// One schema and its payloads.
pub(crate) struct Case {
    label: String,
    /// The label's first words, for the summary.
    short: &'static str,
    valid: String,
    /// Variants of `valid`, most breaking one constraint each.
    variants: Vec<Variant>,
    /// Whether its throughput is measured (the attack case has its own figures).
    timed: bool,
    /// The generated model's name for [`model`] (and the worker).
    pub(crate) model_name: &'static str,
    validator: jsonschema::Validator,
    macro_is_valid: fn(&Value) -> bool,
    macro_validate: fn(&Value) -> Result<(), String>,
}

/// The sides, in the order of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// specbind at this checkout.
    After,
    /// specbind at the baseline commit, through the worker.
    Before,
    /// `jsonschema::Validator`, compiled at run time.
    Jsonschema,
    /// jsonschema-macros' validator, generated at build time.
    Macros,
}

pub(crate) const SIDES: [Side; 4] = [Side::After, Side::Before, Side::Jsonschema, Side::Macros];

/// The baseline worker, or why there is none.
pub(crate) struct Baseline {
    pub(crate) worker: Option<Worker>,
    /// The baseline's commit, for the report.
    pub(crate) commit: String,
    /// Why there is no worker.
    pub(crate) missing: String,
}

/// The default baseline build: `bench/target/baseline/target/release/specbind-bench-validate`.
fn default_baseline(paths: &Paths) -> PathBuf {
    paths
        .bench
        .join("target/baseline/target/release/specbind-bench-validate")
}

fn baseline(args: &Args, paths: &Paths) -> Result<Baseline, String> {
    let commit = std::fs::read_to_string(paths.bench.join("target/baseline/commit"))
        .map(|c| c.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    if args.no_baseline {
        return Ok(Baseline {
            worker: None,
            commit,
            missing: "not run (`--no-baseline`)".into(),
        });
    }
    let exe = args.baseline.clone().unwrap_or_else(|| default_baseline(paths));
    if !exe.exists() {
        if args.baseline.is_some() {
            return Err(format!("{} does not exist", exe.display()));
        }
        return Ok(Baseline {
            worker: None,
            commit,
            missing: format!(
                "not built: `{}` is missing (bash bench/run.sh builds it)",
                exe.display()
            ),
        });
    }
    Ok(Baseline {
        worker: Some(Worker::start(&exe)?),
        commit,
        missing: String::new(),
    })
}

/// A run-time jsonschema validator of the document `file` of [`schemas::docs`]: draft 4,
/// formats asserted (as specbind checks them), unknown formats ignored.
fn validator(docs: &[schemas::Doc], file: &str) -> Result<jsonschema::Validator, String> {
    let doc = docs
        .iter()
        .find(|d| d.file == file)
        .ok_or_else(|| format!("no schema document {file}"))?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&doc.document()?)
        .map_err(|e| {
            format!(
                "jsonschema cannot compile the schema of {}: {e}",
                doc.spec.display()
            )
        })
}

/// `valid` with the value at `pointer` replaced by `new`, or removed if `new` is `None`.
fn edit(valid: &Value, pointer: &str, new: Option<Value>) -> Result<String, String> {
    let mut v = valid.clone();
    let missing = || format!("the payload has no {pointer}");
    match new {
        Some(new) => *v.pointer_mut(pointer).ok_or_else(missing)? = new,
        None => {
            let (parent, key) = pointer.rsplit_once('/').ok_or_else(missing)?;
            v.pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .and_then(|o| o.remove(key))
                .ok_or_else(missing)?;
        }
    }
    Ok(v.to_string())
}

/// A payload both sides must judge the same.
struct Variant {
    /// What was changed.
    what: String,
    text: String,
    /// The verdict expected.
    valid: bool,
}

/// An edit of a valid payload: what it does, the JSON pointer, the new value (`None`
/// removes the member), and whether the payload stays valid.
type Edit<'a> = (&'a str, String, Option<Value>, bool);

/// `valid` itself, then the variants `edits` make of it.
fn variants(valid: &Value, edits: Vec<Edit<'_>>) -> Result<Vec<Variant>, String> {
    let mut out = vec![Variant {
        what: "valid as written".into(),
        text: valid.to_string(),
        valid: true,
    }];
    for (what, pointer, new, stays_valid) in edits {
        out.push(Variant {
            what: what.to_owned(),
            text: edit(valid, &pointer, new)?,
            valid: stays_valid,
        });
    }
    Ok(out)
}

/// 10 000 petstore pets.
fn pets() -> Value {
    let statuses = ["available", "pending", "sold"];
    let pets: Vec<Value> = (1..=PETS)
        .map(|i| {
            let tag = if i % 2 == 0 { "dog" } else { "long-hair" };
            json!({
                "id": i,
                "name": format!("pet-{i}"),
                "tag": tag,
                "status": statuses[i % 3],
                "createdAt": format!("2024-05-{:02}T12:{:02}:{:02}Z", 1 + i % 28, i % 60, (i / 60) % 60),
            })
        })
        .collect();
    Value::Array(pets)
}

/// A tree `DEPTH` nodes deep, every level with two leaves beside the next level.
fn tree() -> Value {
    fn node(depth: usize) -> Value {
        let leaf = |i: usize| json!({ "name": format!("leaf_{depth}_{i}"), "kind": "leaf", "weight": i, "children": [] });
        let mut children = vec![leaf(1), leaf(2)];
        if depth + 1 < DEPTH {
            children.push(node(depth + 1));
        }
        json!({
            "name": format!("level_{depth}"),
            "weight": depth * 10,
            "ratio": 0.5,
            "kind": "branch",
            "tags": ["tree", format!("d{depth}")],
            "children": children,
        })
    }
    node(0)
}

/// `text` with every run of three or more `segment`s in a row written once, with a count.
fn collapse(text: &str, segment: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(segment) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let mut n = 0;
        while let Some(after) = rest.strip_prefix(segment) {
            rest = after;
            n += 1;
        }
        if n >= 3 {
            let _ = write!(out, "{segment}(×{n})");
        } else {
            out.push_str(&segment.repeat(n));
        }
    }
    out.push_str(rest);
    out
}

fn cases(paths: &Paths) -> Result<Vec<Case>, String> {
    use specbind_bench_validate::macros;
    let petstore_spec = paths.root.join("specs/petstore.yaml");
    let nested_spec = paths.bench.join("specs/nested.yaml");
    let github_spec = paths.corpus.join("github_api_3.0.json");
    let attack_spec = paths.bench.join("specs/attack.yaml");
    let docs = schemas::docs(&paths.root, &paths.bench, &paths.corpus);
    let pets = pets();
    let last = format!("/{}", PETS - 1);
    let tree = tree();
    let deepest = "/children/2".repeat(DEPTH - 1);
    let issue: Value = serde_json::from_str(GITHUB_ISSUE).map_err(|e| e.to_string())?;
    Ok(vec![
        Case {
            short: "(a) petstore pets,",
            label: format!(
                "(a) {PETS} petstore `Pet`s (`allOf`), `{}`",
                name(&petstore_spec)
            ),
            valid: pets.to_string(),
            variants: variants(
                &pets,
                vec![
                    (
                        "the last pet's `tag` breaks `pattern`",
                        format!("{last}/tag"),
                        Some(json!("Long Hair")),
                        false,
                    ),
                    (
                        "the last pet's `name` breaks `minLength`",
                        format!("{last}/name"),
                        Some(json!("")),
                        false,
                    ),
                    (
                        "the last pet's `status` breaks `enum`",
                        format!("{last}/status"),
                        Some(json!("lost")),
                        false,
                    ),
                    (
                        "the last pet's `createdAt` breaks `format: date-time`",
                        format!("{last}/createdAt"),
                        Some(json!("yesterday")),
                        false,
                    ),
                    (
                        "the last pet has no `id` (`required` in the second branch)",
                        format!("{last}/id"),
                        None,
                        false,
                    ),
                    (
                        "the last pet has no `name` (`required` in `NewPet`, the first branch)",
                        format!("{last}/name"),
                        None,
                        false,
                    ),
                ],
            )?,
            timed: true,
            model_name: "pets",
            validator: validator(&docs, "pets.json")?,
            macro_is_valid: macros::Pets::is_valid,
            macro_validate: |v| macros::Pets::validate(v).map_err(|e| e.to_string()),
        },
        Case {
            short: "(b) nested tree,",
            label: format!(
                "(b) a `Node` tree {DEPTH} deep, `bench/specs/{}`",
                name(&nested_spec)
            ),
            valid: tree.to_string(),
            variants: variants(
                &tree,
                vec![
                    (
                        "the deepest node's `name` breaks `pattern`",
                        format!("{deepest}/name"),
                        Some(json!("Bad Name")),
                        false,
                    ),
                    (
                        "the deepest node's `name` breaks `maxLength`",
                        format!("{deepest}/name"),
                        Some(json!("a".repeat(33))),
                        false,
                    ),
                    (
                        "the deepest node's `weight` breaks `maximum`",
                        format!("{deepest}/weight"),
                        Some(json!(1001)),
                        false,
                    ),
                    (
                        "the deepest node's `ratio` breaks `exclusiveMaximum`",
                        format!("{deepest}/ratio"),
                        Some(json!(1.0)),
                        false,
                    ),
                    (
                        "the deepest node's `kind` breaks `enum`",
                        format!("{deepest}/kind"),
                        Some(json!("trunk")),
                        false,
                    ),
                    (
                        "the deepest node's `tags` break `uniqueItems`",
                        format!("{deepest}/tags"),
                        Some(json!(["x", "x"])),
                        false,
                    ),
                    (
                        "the deepest node's `tags` break `maxItems`",
                        format!("{deepest}/tags"),
                        Some(json!(["a", "b", "c", "d", "e"])),
                        false,
                    ),
                    (
                        "the deepest node has no `children` (`required`)",
                        format!("{deepest}/children"),
                        None,
                        false,
                    ),
                ],
            )?,
            timed: true,
            model_name: "nested",
            validator: validator(&docs, "nested.json")?,
            macro_is_valid: macros::Nested::is_valid,
            macro_validate: |v| macros::Nested::validate(v).map_err(|e| e.to_string()),
        },
        Case {
            short: "(c) GitHub issue,",
            label: format!("(c) a GitHub `issue`, `{}`", name(&github_spec)),
            valid: issue.to_string(),
            variants: variants(
                &issue,
                vec![
                    (
                        "`/milestone/creator/html_url` breaks `format: uri`",
                        "/milestone/creator/html_url".into(),
                        Some(json!("not a url")),
                        false,
                    ),
                    (
                        "`/closed_at` breaks `format: date-time`",
                        "/closed_at".into(),
                        Some(json!("soon")),
                        false,
                    ),
                    (
                        "`/author_association` breaks `enum`",
                        "/author_association".into(),
                        Some(json!("STRANGER")),
                        false,
                    ),
                    (
                        "`/labels/2` matches no `oneOf` branch",
                        "/labels/2".into(),
                        Some(json!(42)),
                        false,
                    ),
                    (
                        "`/assignee` is `null` (still valid: `nullable`)",
                        "/assignee".into(),
                        Some(Value::Null),
                        true,
                    ),
                    (
                        "`/reactions` has no `+1` (`required`)",
                        "/reactions/+1".into(),
                        None,
                        false,
                    ),
                    (
                        "`/user/login` is a number (`type`)",
                        "/user/login".into(),
                        Some(json!(7)),
                        false,
                    ),
                ],
            )?,
            timed: true,
            model_name: "github",
            validator: validator(&docs, "github_issue.json")?,
            macro_is_valid: macros::GithubIssue::is_valid,
            macro_validate: |v| macros::GithubIssue::validate(v).map_err(|e| e.to_string()),
        },
        Case {
            short: "(d) attack string,",
            label: format!("(d) BeezUP's URL pattern, `bench/specs/{}`", name(&attack_spec)),
            valid: crate::attack::payload(&crate::attack::url(crate::attack::SHORT, false)),
            variants: vec![
                Variant {
                    what: format!(
                        "the attack string at {} bytes (ends in `!`: breaks `pattern`)",
                        crate::attack::SHORT
                    ),
                    text: crate::attack::payload(&crate::attack::url(crate::attack::SHORT, true)),
                    valid: false,
                },
                Variant {
                    what: "a URL with a path of words, spaces, dots and dashes".into(),
                    text: crate::attack::payload("https://www.example.com/a/b c/d.e-f/"),
                    valid: true,
                },
                Variant {
                    what: "no dot before the top-level domain (breaks `pattern`)".into(),
                    text: crate::attack::payload("http://localhost/"),
                    valid: false,
                },
            ],
            timed: false,
            model_name: "attack",
            validator: validator(&docs, "attack.json")?,
            macro_is_valid: macros::Attack::is_valid,
            macro_validate: |v| macros::Attack::validate(v).map_err(|e| e.to_string()),
        },
    ])
}

impl Case {
    fn model(&self) -> Model {
        model(self.model_name).expect("every case has a model")
    }
}

/// Seconds per call of `side` on `text` (`value` is the same payload parsed), for at least
/// `sample` and `min_calls` calls; `None` where the side was not measured (no baseline).
/// `Input::ValidateOnly` is specbind's alone.
pub(crate) fn time_side(
    side: Side,
    case: &Case,
    input: Input,
    text: &str,
    value: &Value,
    sample: Duration,
    min_calls: u64,
    baseline: &mut Baseline,
) -> Result<Option<f64>, String> {
    let per = |f: &mut dyn FnMut()| per_call_at_least(sample, min_calls, f);
    Ok(match (side, input) {
        (Side::After, _) => crate::models::time(case.model(), input, text, value, sample, min_calls),
        (Side::Before, _) => match &mut baseline.worker {
            Some(w) => {
                w.load(case.model_name, text)?;
                w.time(input, sample, min_calls)?
            }
            None => None,
        },
        (_, Input::ValidateOnly) => None,
        (Side::Jsonschema, Input::Text) => Some(per(&mut || {
            let parsed: Result<Value, _> = serde_json::from_str(black_box(text));
            black_box(parsed.is_ok_and(|v| case.validator.is_valid(&v)));
        })),
        (Side::Jsonschema, Input::Value) => Some(per(&mut || {
            black_box(case.validator.is_valid(black_box(value)));
        })),
        (Side::Macros, Input::Text) => Some(per(&mut || {
            let parsed: Result<Value, _> = serde_json::from_str(black_box(text));
            black_box(parsed.is_ok_and(|v| (case.macro_is_valid)(&v)));
        })),
        (Side::Macros, Input::Value) => Some(per(&mut || {
            black_box((case.macro_is_valid)(black_box(value)));
        })),
    })
}

/// Every side's verdict on one payload, in the order of [`SIDES`] (`None`: not run, as the
/// baseline when `baseline` is `None`); for specbind, from text and from a `Value`, which
/// must agree.
pub(crate) fn verdicts(
    case: &Case,
    text: &str,
    baseline: Option<&mut Baseline>,
) -> Result<Vec<Option<Result<(), String>>>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let m = case.model();
    let (after_text, after_value) = ((m.text)(text), (m.value)(&value));
    if after_text.is_ok() != after_value.is_ok() {
        return Err(format!(
            "specbind's verdicts from text and from a Value differ: {after_text:?} / \
             {after_value:?}"
        ));
    }
    let before = match baseline.and_then(|b| b.worker.as_mut()) {
        Some(w) => {
            w.load(case.model_name, text)?;
            Some(w.verdict()?)
        }
        None => None,
    };
    let js = case.validator.validate(&value).map_err(|e| e.to_string());
    if js.is_ok() != case.validator.is_valid(&value) {
        return Err("jsonschema's `validate` and `is_valid` differ".into());
    }
    let macros = (case.macro_validate)(&value);
    if macros.is_ok() != (case.macro_is_valid)(&value) {
        return Err("jsonschema-macros' `validate` and `is_valid` differ".into());
    }
    Ok(vec![Some(after_text), before, Some(js), Some(macros)])
}

/// A verdict as a table cell.
fn show(r: &Option<Result<(), String>>) -> String {
    match r {
        None => "not run".to_owned(),
        Some(Ok(())) => "valid".to_owned(),
        Some(Err(e)) => format!("invalid: {}", cell(&collapse(e, "/children/2"), 120)),
    }
}

/// One measured row: a case, an input, every side's times (µs, one per round).
struct Row<'a> {
    case: &'a Case,
    input: Input,
    times: [Vec<f64>; 4],
}

fn side_index(side: Side) -> usize {
    SIDES.iter().position(|s| *s == side).expect("a side")
}

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<(String, Vec<Figure>), String> {
    let rounds = args.rounds(7);
    let sample = Duration::from_millis(if args.quick { 30 } else { 300 });
    let cases = cases(paths)?;
    let mut baseline = baseline(args, paths)?;
    let before_name = format!("specbind before ({})", baseline.commit);

    let mut agreement = String::new();
    let mut disagreements = 0;
    for case in &cases {
        for variant in &case.variants {
            let v = verdicts(case, &variant.text, Some(&mut baseline))?;
            let agree = v
                .iter()
                .flatten()
                .all(|r| r.is_ok() == variant.valid);
            if !agree {
                disagreements += 1;
            }
            let mark = if agree { "yes" } else { "**no**" };
            let expected = if variant.valid { "valid" } else { "invalid" };
            let _ = writeln!(
                agreement,
                "| {} | {} | {expected} | {} | {} | {} | {} | {mark} |",
                case.label,
                variant.what,
                show(&v[0]),
                show(&v[1]),
                show(&v[2]),
                show(&v[3]),
            );
        }
    }

    // Per case and input, per side, µs per payload of every round; the sides alternate, in
    // an order that turns each round.
    let mut rows = Vec::new();
    let mut validate_only: Vec<[Vec<f64>; 2]> = Vec::new();
    for case in cases.iter().filter(|c| c.timed) {
        eprintln!("validate: {} ({rounds} rounds)", case.label);
        let value: Value = serde_json::from_str(&case.valid).map_err(|e| e.to_string())?;
        let mut text_row = Row {
            case,
            input: Input::Text,
            times: Default::default(),
        };
        let mut value_row = Row {
            case,
            input: Input::Value,
            times: Default::default(),
        };
        let mut alone: [Vec<f64>; 2] = Default::default();
        for round in 0..rounds {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for which in order {
                let side = [Side::After, Side::Before][which];
                let t = time_side(
                    side,
                    case,
                    Input::ValidateOnly,
                    &case.valid,
                    &value,
                    sample,
                    3,
                    &mut baseline,
                )?;
                if let Some(t) = t {
                    alone[which].push(t * 1e6);
                }
            }
            for k in 0..SIDES.len() {
                let side = SIDES[(k + round) % SIDES.len()];
                for row in [&mut text_row, &mut value_row] {
                    let t = time_side(
                        side,
                        case,
                        row.input,
                        &case.valid,
                        &value,
                        sample,
                        3,
                        &mut baseline,
                    )?;
                    if let Some(t) = t {
                        row.times[side_index(side)].push(t * 1e6);
                    }
                }
            }
        }
        rows.push(text_row);
        rows.push(value_row);
        validate_only.push(alone);
    }

    let mut md = String::from(
        "## 4. Body validation throughput: specbind (after and before) vs jsonschema and \
         jsonschema-macros\n\n",
    );
    let _ = writeln!(
        md,
        "Four sides on the same payloads and schemas. **specbind after**: the models generated \
         in `bench/validate/build.rs` by this checkout (`serde` deserialization, then \
         `Validate::validate`; patterns on `specbind-pattern` → `regex`, lookaround on \
         `fancy-regex`). **{before_name}**: the same harness sources built against specbind at \
         that commit (patterns on the hand-written simple-pattern fast path, else `regress`), \
         run as a worker on a pipe (`bench/target/baseline/`, built by `bench/run.sh`){}. \
         **jsonschema {v}**: a validator compiled once, outside the loop, from the spec's \
         component schemas embedded under `components/schemas` (draft 4, formats asserted, \
         OpenAPI's `nullable` turned into a `\"null\"` type). **jsonschema-macros {v}**: \
         `#[jsonschema::validator(path = ..., draft = Draft4, validate_formats = true)]`, the \
         same documents written by `build.rs` under `bench/target/validate-schemas/` and \
         compiled into Rust at build time. From text: `serde_json::from_str::<T>` + \
         `validate()` against `serde_json::from_str::<Value>` + `is_valid`; from a `Value`: \
         `T::deserialize(&value)` + `validate()` against `is_valid(&value)`. Each sample \
         repeats the call for at least {} ms; the sides alternate, in an order that turns \
         every round; median of {rounds} round(s).\n",
        if baseline.worker.is_none() {
            format!(" — **{}**", baseline.missing)
        } else {
            String::new()
        },
        sample.as_millis(),
        v = JSONSCHEMA_VERSION,
    );
    md.push_str(
        "Command: `bench/target/release/specbind-bench-validate` (a package of its own, \
         `bench/validate/`, so that serde_json has its default features as in a user's \
         build).\n\n",
    );
    let _ = writeln!(
        md,
        "| payload | size KiB | input | specbind after µs | {before_name} µs | jsonschema µs | \
         jsonschema-macros µs | before / after | jsonschema / after (goal ≥ 3×) | \
         jsonschema-macros / after |\n\
         | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut figures = Vec::new();
    let input_name = |i: Input| match i {
        Input::Text => "from JSON text",
        _ => "from a parsed `serde_json::Value`",
    };
    for row in &rows {
        let m: Vec<Option<f64>> = row.times.iter().map(|t| median(t.clone())).collect();
        let input = input_name(row.input);
        figures.push(Figure::new(
            format!("4. validation, {} {input}", row.case.short),
            "jsonschema time / specbind time",
            m[2],
            m[0],
            Goal::AtLeast(3.0),
        ));
        figures.push(Figure::new(
            format!("4. validation, {} {input}", row.case.short),
            "jsonschema-macros time / specbind time",
            m[3],
            m[0],
            Goal::None,
        ));
        figures.push(Figure::new(
            format!("4. validation, {} {input}", row.case.short),
            "specbind before / after (time)",
            m[1],
            m[0],
            Goal::None,
        ));
        let _ = writeln!(
            md,
            "| {} | {} | {input} | {} | {} | {} | {} | {} | {} | {} |",
            row.case.label,
            row.case.valid.len() / 1024,
            num(m[0], 1),
            num(m[1], 1),
            num(m[2], 1),
            num(m[3], 1),
            ratio(m[1], m[0]),
            ratio(m[2], m[0]),
            ratio(m[3], m[0]),
        );
    }
    let _ = writeln!(
        md,
        "\nThe ratios are the other side's time over specbind after's (above 1: specbind after \
         is faster). specbind's sides also build the typed value (which a server needs \
         anyway); jsonschema's only answer yes or no. Every round:\n\n\
         | payload | input | specbind after µs | {before_name} µs | jsonschema µs | \
         jsonschema-macros µs |\n| --- | --- | ---: | ---: | ---: | ---: |"
    );
    for row in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            row.case.short.trim_end_matches(','),
            input_name(row.input),
            spread(&row.times[0], 1),
            spread(&row.times[1], 1),
            spread(&row.times[2], 1),
            spread(&row.times[3], 1),
        );
    }
    let _ = writeln!(
        md,
        "\nspecbind's `validate()` alone, on a value already deserialized (timed apart, median \
         of the rounds; the rest of specbind's time is serde building the typed value):\n\n\
         | payload | after µs | before µs | before / after | after, all rounds | before, all \
         rounds |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for (case, [after, before]) in cases.iter().filter(|c| c.timed).zip(&validate_only) {
        let (a, b) = (median(after.clone()), median(before.clone()));
        figures.push(Figure::new(
            format!("4. validation, {} `validate()` alone", case.short),
            "specbind before / after (time)",
            b,
            a,
            Goal::None,
        ));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            case.short.trim_end_matches(','),
            num(a, 2),
            num(b, 2),
            ratio(b, a),
            spread(after, 2),
            spread(before, 2),
        );
    }
    let _ = writeln!(
        md,
        "\nEvery side must give the expected verdict on every payload, valid and broken:\n\n\
         | payload | variant | expected | specbind after | {before_name} | jsonschema | \
         jsonschema-macros | all as expected |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    md.push_str(&agreement);
    if disagreements > 0 {
        let _ = writeln!(md, "\n**{disagreements} payload(s) with a verdict not as expected.**");
    }
    md.push_str(
        "\nWhat the sides check differently: jsonschema knows no OpenAPI `format` such as \
         `int32`, `int64` or `byte` (specbind's integer types and base64 decoding check them); \
         serde reports a missing required field, a wrong type, a value outside an `enum` or a \
         malformed `date-time` as a deserialization error where jsonschema reports a violation \
         (both reject the payload); `pattern`s run on `specbind-pattern`'s translation for the \
         `regex` crate (after), on the fast path or `regress` (before), and on jsonschema's \
         own translation for `fancy-regex`, which hands patterns without lookaround to `regex` \
         (both anchors). The variants above break `pattern`, `minLength`, `maxLength`, \
         `maximum`, `exclusiveMaximum`, `enum`, `uniqueItems`, `maxItems`, `required` (in \
         either branch of `Pet`'s `allOf`), `type`, `oneOf`, `format: date-time` and \
         `format: uri` once each, and use `nullable`; every side sees every one of them.\n\n",
    );

    let attack_case = cases
        .iter()
        .find(|c| c.model_name == "attack")
        .ok_or("no attack case")?;
    md.push_str(&crate::attack::run(args, attack_case, &mut baseline, &before_name)?);
    md.push_str(&crate::budget::run(args, paths)?);
    Ok((md, figures))
}

/// The jsonschema version this was built with (from `Cargo.lock`, through `build.rs`).
const JSONSCHEMA_VERSION: &str = env!("SPECBIND_BENCH_JSONSCHEMA_VERSION");
