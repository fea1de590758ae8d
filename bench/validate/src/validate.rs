//! 4. Body validation throughput: specbind's generated models (`serde` + `validate()`)
//!    against the `jsonschema` crate on the same schemas and payloads.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use specbind::Validate;

use crate::stats::{Figure, Goal, cell, median, num, per_call, ratio, spread};
use crate::{Args, Paths, name};

/// A valid GitHub issue, written for this benchmark.
const GITHUB_ISSUE: &str = include_str!("../../specs/github_issue.json");

/// How deep the nested payload's tree goes (`serde_json` refuses documents nested more than
/// 128 arrays and objects deep; each level is an object and an array).
const DEPTH: usize = 60;

/// Pets in the petstore payload.
const PETS: usize = 10_000;

/// specbind's verdict from JSON text: deserialize into the generated type, then validate.
fn specbind_text<T: DeserializeOwned + Validate>(text: &str) -> Result<(), String> {
    let value: T = serde_json::from_str(text).map_err(|e| format!("deserialize: {e}"))?;
    value.validate().map_err(|v| format!("validate: {v}"))
}

/// specbind's verdict from a parsed `Value`: deserialize from it, then validate.
fn specbind_value<T: DeserializeOwned + Validate>(value: &Value) -> Result<(), String> {
    let value = T::deserialize(value).map_err(|e| format!("deserialize: {e}"))?;
    value.validate().map_err(|v| format!("validate: {v}"))
}

/// specbind's `validate()` alone, on the value deserialized once from `text`: seconds per
/// call, or `None` if `text` does not deserialize.
fn specbind_validate_only<T: DeserializeOwned + Validate>(
    text: &str,
    sample: Duration,
) -> Option<f64> {
    let value: T = serde_json::from_str(text).ok()?;
    Some(per_call(sample, || {
        black_box(black_box(&value).validate().is_ok());
    }))
}

/// One schema and its payloads.
struct Case {
    label: String,
    /// The label's first words, for the summary.
    short: &'static str,
    valid: String,
    /// Variants of `valid`, most breaking one constraint each.
    variants: Vec<Variant>,
    validator: jsonschema::Validator,
    text: fn(&str) -> Result<(), String>,
    value: fn(&Value) -> Result<(), String>,
    validate_only: fn(&str, Duration) -> Option<f64>,
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

/// OpenAPI 3.0 schemas as JSON Schema (draft 4, which 3.0's Schema Object extends):
/// `nullable: true` becomes a `"null"` in `type` (and in `enum`), or an `anyOf` with
/// `{"type": "null"}` where there is no `type`. Everything else is left as it is.
fn nullable_to_json_schema(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(nullable_to_json_schema),
        Value::Object(map) => {
            map.values_mut().for_each(nullable_to_json_schema);
            if map.get("nullable") != Some(&Value::Bool(true)) {
                return;
            }
            map.remove("nullable");
            if let Some(Value::String(t)) = map.get("type") {
                let t = t.clone();
                map.insert("type".into(), json!([t, "null"]));
                if let Some(Value::Array(values)) = map.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
            } else if !map.contains_key("$ref") {
                let inner = Value::Object(std::mem::take(map));
                *v = json!({ "anyOf": [inner, { "type": "null" }] });
            }
        }
        _ => {}
    }
}

/// A jsonschema validator of `root` (which `$ref`s `#/components/schemas/...`) with the
/// spec's schemas embedded under `components/schemas`, so the references resolve as in the
/// spec. Draft 4, formats asserted (as specbind checks them).
fn validator(spec: &Path, mut root: Value) -> Result<jsonschema::Validator, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let doc: Value = if spec.extension().is_some_and(|e| e == "yaml") {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?
    } else {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?
    };
    let mut schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .ok_or_else(|| format!("{} has no components/schemas", spec.display()))?;
    nullable_to_json_schema(&mut schemas);
    root["components"] = json!({ "schemas": schemas });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| {
            format!(
                "jsonschema cannot compile the schema of {}: {e}",
                spec.display()
            )
        })
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

fn cases(paths: &Paths) -> Result<Vec<Case>, String> {
    use specbind_bench_validate::{github, nested, petstore};
    let petstore_spec = paths.root.join("specs/petstore.yaml");
    let nested_spec = paths.bench.join("specs/nested.yaml");
    let github_spec = paths.corpus.join("github_api_3.0.json");
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
            validator: validator(
                &petstore_spec,
                json!({ "type": "array", "items": { "$ref": "#/components/schemas/Pet" } }),
            )?,
            text: specbind_text::<Vec<petstore::types::Pet>>,
            value: specbind_value::<Vec<petstore::types::Pet>>,
            validate_only: specbind_validate_only::<Vec<petstore::types::Pet>>,
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
            validator: validator(&nested_spec, json!({ "$ref": "#/components/schemas/Node" }))?,
            text: specbind_text::<nested::types::Node>,
            value: specbind_value::<nested::types::Node>,
            validate_only: specbind_validate_only::<nested::types::Node>,
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
            validator: validator(
                &github_spec,
                json!({ "$ref": "#/components/schemas/issue" }),
            )?,
            text: specbind_text::<github::types::Issue>,
            value: specbind_value::<github::types::Issue>,
            validate_only: specbind_validate_only::<github::types::Issue>,
        },
    ])
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

/// Both sides' verdicts on one payload, as table cells; whether they agree with `expected`.
fn verdicts(case: &Case, text: &str, expected: bool) -> Result<(String, String, bool), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let sb_text = (case.text)(text);
    let sb_value = (case.value)(&value);
    if sb_text.is_ok() != sb_value.is_ok() {
        return Err(format!(
            "specbind's verdicts from text and from a Value differ: {sb_text:?} / {sb_value:?}"
        ));
    }
    let js = case.validator.validate(&value).map_err(|e| e.to_string());
    let show = |r: &Result<(), String>| match r {
        Ok(()) => "valid".to_owned(),
        Err(e) => format!("invalid: {}", cell(&collapse(e, "/children/2"), 160)),
    };
    let agree = sb_text.is_ok() == expected && js.is_ok() == expected;
    Ok((show(&sb_text), show(&js), agree))
}

pub(crate) fn run(args: &Args, paths: &Paths) -> Result<(String, Vec<Figure>), String> {
    let rounds = args.rounds(7);
    let sample = Duration::from_millis(if args.quick { 30 } else { 300 });
    let cases = cases(paths)?;

    let mut agreement = String::new();
    let mut disagreements = 0;
    for case in &cases {
        for variant in &case.variants {
            let (sb, js, agree) = verdicts(case, &variant.text, variant.valid)?;
            if !agree {
                disagreements += 1;
            }
            let mark = if agree { "yes" } else { "**no**" };
            let expected = if variant.valid { "valid" } else { "invalid" };
            let _ = writeln!(
                agreement,
                "| {} | {} | {expected} | {sb} | {js} | {mark} |",
                case.label, variant.what
            );
        }
    }

    // Rows: per case, from text then from a Value; per side, µs per payload of every round.
    let mut rows = Vec::new();
    for case in &cases {
        eprintln!("validate: {} ({rounds} rounds)", case.label);
        let value: Value = serde_json::from_str(&case.valid).map_err(|e| e.to_string())?;
        let (mut text_times, mut value_times) =
            ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
        let mut validate_only = Vec::new();
        for round in 0..rounds {
            if let Some(s) = (case.validate_only)(&case.valid, sample) {
                validate_only.push(s * 1e6);
            }
            for which in [round % 2, 1 - round % 2] {
                let (t, v) = if which == 0 {
                    (
                        per_call(sample, || {
                            black_box((case.text)(black_box(&case.valid)).is_ok());
                        }),
                        per_call(sample, || {
                            black_box((case.value)(black_box(&value)).is_ok());
                        }),
                    )
                } else {
                    (
                        per_call(sample, || {
                            let parsed: Result<Value, _> =
                                serde_json::from_str(black_box(&case.valid));
                            black_box(parsed.is_ok_and(|v| case.validator.is_valid(&v)));
                        }),
                        per_call(sample, || {
                            black_box(case.validator.is_valid(black_box(&value)));
                        }),
                    )
                };
                text_times[which].push(t * 1e6);
                value_times[which].push(v * 1e6);
            }
        }
        let validate_only = median(validate_only);
        rows.push((case, "from JSON text", text_times, validate_only));
        rows.push((
            case,
            "from a parsed `serde_json::Value`",
            value_times,
            validate_only,
        ));
    }

    let mut md = String::from("## 4. Body validation throughput: specbind vs jsonschema\n\n");
    let _ = writeln!(
        md,
        "specbind: the models generated in `bench/validate/build.rs` (`serde` deserialization, then \
         `Validate::validate`); jsonschema {}: a validator compiled once, outside the loop, from \
         the spec's component schemas embedded under `components/schemas` (draft 4, formats \
         asserted, OpenAPI's `nullable` turned into a `\"null\"` type). From text: \
         `serde_json::from_str::<T>` + `validate()` against `serde_json::from_str::<Value>` + \
         `is_valid`; from a `Value`: `T::deserialize(&value)` + `validate()` against \
         `is_valid(&value)`. Each sample repeats the call for at least {} ms; the sides \
         alternate; median of {rounds} round(s).\n",
        JSONSCHEMA_VERSION,
        sample.as_millis()
    );
    md.push_str(
        "Command: `bench/target/release/specbind-bench-validate` (a package of its own, \
         `bench/validate/`, so that serde_json has its default features as in a user's \
         build).\n\n",
    );
    md.push_str(
        "| payload | size KiB | input | specbind µs | jsonschema µs | speed-up jsonschema/specbind | \
         goal | specbind µs, all rounds | jsonschema µs, all rounds | of specbind's, \
         `validate()` alone µs |\n\
         | --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n",
    );
    let mut figures = Vec::new();
    for (case, input, [sb, js], validate_only) in &rows {
        let (a, b) = (median(sb.clone()), median(js.clone()));
        figures.push(Figure::new(
            format!("4. validation, {} {input}", case.short),
            "jsonschema time / specbind time",
            b,
            a,
            Goal::AtLeast(3.0),
        ));
        let _ = writeln!(
            md,
            "| {} | {} | {input} | {} | {} | {} | ≥ 3.00× | {} | {} | {} |",
            case.label,
            case.valid.len() / 1024,
            num(a, 1),
            num(b, 1),
            ratio(b, a),
            spread(sb, 1),
            spread(js, 1),
            num(*validate_only, 1),
        );
    }
    md.push_str(
        "\nGoal: specbind ≥ 3× as fast as jsonschema. The speed-up is jsonschema's time over \
         specbind's. specbind's side also builds the typed value (which a server needs \
         anyway); jsonschema's only answers yes or no. The last column is specbind's \
         `validate()` alone on a value already deserialized (median of the rounds, timed \
         apart): the rest of specbind's time is serde building the typed value.\n\nBoth \
         sides must agree on every payload, valid and broken:\n\n\
         | payload | variant | expected | specbind | jsonschema | both as expected |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    md.push_str(&agreement);
    if disagreements > 0 {
        let _ = writeln!(md, "\n**{disagreements} verdict(s) not as expected.**");
    }
    md.push_str(
        "\nWhat the two check differently: jsonschema knows no OpenAPI `format` such as `int32`, \
         `int64` or `byte` (specbind's integer types and base64 decoding check them); serde \
         reports a missing required field, a wrong type, a value outside an `enum` or a \
         malformed `date-time` as a deserialization error where jsonschema reports a violation \
         (both reject the payload); `pattern`s run on `regress` (ECMAScript) in specbind and on \
         jsonschema's own regex engine. The variants above break `pattern`, `minLength`, \
         `maxLength`, `maximum`, `exclusiveMaximum`, `enum`, `uniqueItems`, `maxItems`, \
         `required` (in either branch of `Pet`'s `allOf`), `type`, `oneOf`, `format: date-time` \
         and `format: uri` once each, and use `nullable`; both sides see every one of them.\n",
    );
    Ok((md, figures))
}

/// The jsonschema version this was built with (from `Cargo.lock`, through `build.rs`).
const JSONSCHEMA_VERSION: &str = env!("SPECBIND_BENCH_JSONSCHEMA_VERSION");
