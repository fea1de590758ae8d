//! YAML to `serde_json::Value`, remembering where every node starts.
//!
//! granit-parser is a maintained, pure-Rust (no `unsafe`) YAML 1.2 parser that reports a span
//! for every event, which is what line numbers in diagnostics need, and that reads the
//! indentation libyaml reads (quoted scalars and flow collections continued at or left of
//! their key's column). It was chosen over saphyr-parser, yaml-rust2, libyaml-safer and
//! unsafe-libyaml by measurement: see CORPUS.md, "YAML reader".

use std::collections::HashMap;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Span, StructureStyle, Tag};
use serde_json::{Map, Number, Value};

use super::Pos;

/// A YAML syntax error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct YamlError {
    pub(crate) line: u32,
    pub(crate) col: u32,
    pub(crate) message: String,
}

/// The parsed document, where each node starts, and non-fatal notes (pointer, message).
pub(crate) struct Parsed {
    pub(crate) value: Value,
    pub(crate) positions: HashMap<String, Pos>,
    pub(crate) notes: Vec<(String, String)>,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        flow: bool,
    },
    Map {
        map: Map<String, Value>,
        merges: Vec<Value>,
        key: Option<String>,
        anchor: usize,
        flow: bool,
    },
}

fn line_col(line: usize, col0: usize) -> Pos {
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col0.saturating_add(1)).unwrap_or(u32::MAX),
    )
}

/// Where a node starts: at its tag, if it has one before its content.
fn pos(span: &Span) -> Pos {
    let start = line_col(span.start.line(), span.start.col());
    match span.tag_start() {
        Some(tag) => start.min(line_col(tag.line(), tag.col())),
        None => start,
    }
}

/// The anchor id a node event defines, if any.
fn anchor_of(event: &Event<'_>) -> usize {
    match event {
        Event::Scalar(_, _, anchor, _)
        | Event::SequenceStart(_, anchor, _)
        | Event::MappingStart(_, anchor, _) => *anchor,
        _ => 0,
    }
}

/// Read as libyaml (and so PyYAML and Go's yaml) reads: continuation lines of quoted scalars
/// and flow collections at or left of their key's column, and a block scalar at the end of the
/// input without a line break (no line feed is added). Anchor events tell where an anchored
/// node's `&name` starts, which is where the node starts.
fn options() -> granit_parser::Options {
    granit_parser::options! {
        strict_indentation: false,
        block_scalar_eof_without_line_feed: true,
        emit_anchor_events: true,
    }
}

/// The parser's error, and where libyaml accepts what YAML 1.2 forbids, a plain word saying
/// that specbind stays with YAML 1.2 there.
fn syntax_error(e: &ScanError, in_flow: bool) -> YamlError {
    let (line, col) = line_col(e.marker().line(), e.marker().col());
    let mut message = e.info();
    let stricter = match e.kind() {
        ErrorKind::CommentNotSeparated => Some(
            "libyaml (PyYAML, Go's yaml) reads the `#` as the start of a comment, \
             but YAML 1.2 needs a space before it, and specbind keeps to YAML 1.2 here: \
             add a space before `#`",
        ),
        ErrorKind::PlainScalarStartsWithDashFlowIndicator => Some(
            "libyaml (PyYAML, Go's yaml) reads a lone `-` in `[...]` or `{...}` as a string, \
             but YAML 1.2 does not, and specbind keeps to YAML 1.2 here: quote it (`'-'`)",
        ),
        ErrorKind::MissingDocumentEndBeforeDirective => Some(
            "libyaml (PyYAML, Go's yaml) accepts a directive here, but YAML 1.2 needs a \
             `...` line before it, and specbind keeps to YAML 1.2 here",
        ),
        ErrorKind::TabInBlockIndentation | ErrorKind::TabInIndentation if in_flow => Some(
            "libyaml (PyYAML, Go's yaml) accepts a tab that indents a line inside `[...]` or \
             `{...}`, but YAML 1.2 does not, and specbind keeps to YAML 1.2 here: indent \
             with spaces",
        ),
        _ => None,
    };
    if let Some(note) = stricter {
        message.push_str("; ");
        message.push_str(note);
    }
    YamlError { line, col, message }
}

/// Parses the first document of `text`.
pub(crate) fn parse(text: &str) -> Result<Parsed, YamlError> {
    let mut parser = Parser::new_from_str_with_options(text, options());
    let mut stack: Vec<Frame> = Vec::new();
    // Open flow collections (`[...]`, `{...}`), for the wording of syntax errors.
    let mut flow_depth = 0usize;
    // Pointer of the node being built; segments are pushed when a key or item starts.
    let mut path: Vec<usize> = Vec::new();
    let mut ptr = String::new();
    let mut positions: HashMap<String, Pos> = HashMap::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut notes = Vec::new();
    let mut root: Option<Value> = None;
    // The pointer whose position the last node recorded, when that node has an anchor: its
    // `Event::Anchor` follows and moves the position back to the `&name`.
    let mut anchored: Option<String> = None;

    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| syntax_error(&e, flow_depth > 0))?;
        if let Event::Anchor(..) = event {
            if let Some(p) = anchored.take().and_then(|p| positions.get_mut(&p)) {
                *p = (*p).min(pos(&span));
            }
            continue;
        }
        anchored = None;
        // An empty node comes as a plain `~` with an empty span; libyaml reads it as an empty
        // plain scalar, which matters when it is a key.
        let event = match event {
            Event::Scalar(v, ScalarStyle::Plain, anchor, tag) if span.is_empty() && v == "~" => {
                Event::Scalar("".into(), ScalarStyle::Plain, anchor, tag)
            }
            other => other,
        };
        // A value is about to start: a mapping in key position records the key instead.
        if event.is_node() {
            let anchor = anchor_of(&event);
            if let Some(Frame::Map { key: None, .. }) = stack.last() {
                // This node is a key.
                let key = match event {
                    Event::Scalar(ref v, ..) => {
                        // An anchored key may be aliased later, as a key or a value.
                        if anchor > 0 {
                            anchors.insert(anchor, Value::String(v.to_string()));
                        }
                        v.to_string()
                    }
                    Event::Alias(id) => match anchors.get(&id) {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    },
                    _ => {
                        let (line, col) = pos(&span);
                        return Err(YamlError {
                            line,
                            col,
                            message: "a mapping key must be a string, not a mapping or a \
                                      sequence; libyaml reads such a key, but a JSON object \
                                      cannot hold it, so specbind does not"
                                .into(),
                        });
                    }
                };
                path.push(ptr.len());
                ptr.push('/');
                crate::diag::push_escaped(&mut ptr, &key);
                positions.entry(ptr.clone()).or_insert(pos(&span));
                if anchor > 0 {
                    anchored = Some(ptr.clone());
                }
                if let Some(Frame::Map { key: k, .. }) = stack.last_mut() {
                    *k = Some(key);
                }
                continue;
            }
            if let Some(Frame::Seq { items, .. }) = stack.last() {
                let i = items.len();
                path.push(ptr.len());
                ptr.push('/');
                ptr.push_str(&i.to_string());
                positions.entry(ptr.clone()).or_insert(pos(&span));
                if anchor > 0 {
                    anchored = Some(ptr.clone());
                }
            } else if stack.is_empty() {
                positions.entry(String::new()).or_insert(pos(&span));
                if anchor > 0 {
                    anchored = Some(String::new());
                }
            }
        }
        let done: Option<Value> = match event {
            Event::DocumentEnd | Event::StreamEnd => {
                if root.is_some() || event == Event::StreamEnd {
                    break;
                }
                None
            }
            Event::Alias(id) => Some(anchors.get(&id).cloned().unwrap_or(Value::Null)),
            Event::Scalar(v, style, anchor, tag) => {
                let value = scalar(&v, style, tag.as_deref());
                if anchor > 0 {
                    anchors.insert(anchor, value.clone());
                }
                Some(value)
            }
            Event::SequenceStart(style, anchor, _) => {
                let flow = style == StructureStyle::Flow;
                flow_depth += usize::from(flow);
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    flow,
                });
                None
            }
            Event::MappingStart(style, anchor, _) => {
                let flow = style == StructureStyle::Flow;
                flow_depth += usize::from(flow);
                stack.push(Frame::Map {
                    map: Map::new(),
                    merges: Vec::new(),
                    key: None,
                    anchor,
                    flow,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    anchor,
                    flow,
                }) => {
                    flow_depth -= usize::from(flow);
                    let v = Value::Array(items);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    Some(v)
                }
                Some(Frame::Map {
                    mut map,
                    merges,
                    anchor,
                    flow,
                    ..
                }) => {
                    flow_depth -= usize::from(flow);
                    for merged in merges {
                        let sources = match merged {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        for source in sources {
                            if let Value::Object(m) = source {
                                for (k, v) in m {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                    let v = Value::Object(map);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    Some(v)
                }
                None => None,
            },
            // Stream and document starts, and what the parser only emits on request
            // (comments, anchor names, unresolved aliases).
            _ => None,
        };
        let Some(value) = done else { continue };
        // Attach the finished node to its parent.
        match stack.last_mut() {
            None => {
                root = Some(value);
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(value);
                if let Some(len) = path.pop() {
                    ptr.truncate(len);
                }
            }
            Some(Frame::Map {
                map, merges, key, ..
            }) => {
                let k = key.take().unwrap_or_default();
                if k == "<<" {
                    merges.push(value);
                } else if map.insert(k.clone(), value).is_some() {
                    notes.push((
                        ptr.clone(),
                        format!("duplicate key `{k}`; the last one wins"),
                    ));
                }
                if let Some(len) = path.pop() {
                    ptr.truncate(len);
                }
            }
        }
    }
    Ok(Parsed {
        value: root.unwrap_or(Value::Null),
        positions,
        notes,
    })
}

/// Resolves a scalar with the YAML 1.2 core schema.
fn scalar(v: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        match tag.suffix_in_namespace("tag:yaml.org,2002:").as_deref() {
            Some("str" | "binary" | "timestamp") => return Value::String(v.to_owned()),
            Some("null") => return Value::Null,
            Some(_) => {}
            None => return Value::String(v.to_owned()),
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(v.to_owned());
    }
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let b = v.as_bytes();
    let first = b[0];
    if first.is_ascii_digit() || ((first == b'-' || first == b'+' || first == b'.') && b.len() > 1)
    {
        if let Some(n) = number(v) {
            return Value::Number(n);
        }
    }
    Value::String(v.to_owned())
}

fn number(v: &str) -> Option<Number> {
    let digits = v.strip_prefix('+').unwrap_or(v);
    if let Some(hex) = digits.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        return u64::from_str_radix(oct, 8).ok().map(Number::from);
    }
    let body = digits.strip_prefix('-').unwrap_or(digits);
    if !body.is_empty() && body.bytes().all(|c| c.is_ascii_digit()) {
        if let Ok(i) = digits.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = digits.parse::<u64>() {
            return Some(Number::from(u));
        }
    }
    // Core schema float: [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let ok = body.bytes().any(|c| c.is_ascii_digit())
        && body
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'))
        && body.bytes().filter(|&c| c == b'.').count() <= 1;
    if ok {
        if let Ok(f) = digits.parse::<f64>() {
            return Number::from_f64(f);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_follow_the_core_schema() {
        let p = parse("a: 1\nb: '1'\nc: 1.0\nd: yes\ne: ~\nf: true\n200: x\ng: 0x1F\nh: 1.2.3\n")
            .unwrap();
        assert_eq!(
            p.value,
            serde_json::json!({"a": 1, "b": "1", "c": 1.0, "d": "yes", "e": null, "f": true,
                "200": "x", "g": 31, "h": "1.2.3"})
        );
    }

    #[test]
    fn positions_point_at_keys_and_items() {
        let p = parse(
            "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      tags:\n        - a\n        - b\n",
        )
        .unwrap();
        assert_eq!(p.positions["/paths/~1pets/get"], (4, 5));
        assert_eq!(p.positions["/paths/~1pets/get/tags/1"], (7, 11));
        assert_eq!(p.positions["/openapi"], (1, 1));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let p = parse("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(p.value["use"], serde_json::json!({"x": 1, "y": 2}));
        assert_eq!(p.value["merged"], serde_json::json!({"y": 3, "x": 1}));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = parse("a: 1\nb: \"unclosed\nc: [\n").err().unwrap();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn duplicate_keys_are_noted() {
        let p = parse("a: 1\na: 2\n").unwrap();
        assert_eq!(p.value["a"], 2);
        assert_eq!(p.notes.len(), 1);
    }

    /// `codegen/tests/yaml/<case>.yaml` reads as `<case>.json`, which is what libyaml gives
    /// (PyYAML's `yaml.load(.., Loader=yaml.CSafeLoader)`, dumped with `json.dumps`).
    #[test]
    fn reads_what_libyaml_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml");
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        cases.sort();
        assert!(cases.len() >= 10, "expected the cases of {dir:?}");
        let mut failures = Vec::new();
        for case in &cases {
            let text = std::fs::read_to_string(case).unwrap();
            let want: Value = serde_json::from_str(
                &std::fs::read_to_string(case.with_extension("json")).unwrap(),
            )
            .unwrap();
            match parse(&text) {
                Ok(p) if p.value == want => {}
                Ok(p) => failures.push(format!("{}: read {}", case.display(), p.value)),
                Err(e) => failures.push(format!("{}: {e:?}", case.display())),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn keys_after_a_quoted_scalar_continued_at_the_key_column_keep_their_lines() {
        let p = parse("a:\n  b: 'x\n  y'\n  c: [1,\n  2]\n  d: 3\n").unwrap();
        assert_eq!(p.value["a"]["b"], "x y");
        assert_eq!(p.positions["/a/b"], (2, 3));
        assert_eq!(p.positions["/a/c"], (4, 3));
        assert_eq!(p.positions["/a/c/1"], (5, 3));
        assert_eq!(p.positions["/a/d"], (6, 3));
    }

    #[test]
    fn a_node_starts_at_its_anchor_or_tag() {
        let p = parse("s:\n  - &a x\n  - !!str 1\n  - *a\n  - &m\n    k: v\n&k key: *k\n").unwrap();
        assert_eq!(p.value["s"], serde_json::json!(["x", "1", "x", {"k": "v"}]));
        assert_eq!(p.value["key"], "key");
        assert_eq!(p.positions["/s/0"], (2, 5));
        assert_eq!(p.positions["/s/1"], (3, 5));
        assert_eq!(p.positions["/s/2"], (4, 5));
        assert_eq!(p.positions["/s/3"], (5, 5));
        assert_eq!(p.positions["/s/3/k"], (6, 5));
        assert_eq!(p.positions["/key"], (7, 1));
    }

    #[test]
    fn columns_count_characters() {
        let p = parse("é: 'ü\n  ö'\nnext: [ä,\n ß]\n").unwrap();
        assert_eq!(p.positions["/next"], (3, 1));
        assert_eq!(p.positions["/next/0"], (3, 8));
        assert_eq!(p.positions["/next/1"], (4, 2));
    }

    #[test]
    fn an_empty_key_is_empty_and_a_tilde_key_is_a_tilde() {
        let p = parse("? \n: a\n~: b\n").unwrap();
        assert_eq!(p.value, serde_json::json!({"": "a", "~": "b"}));
    }

    /// Where libyaml reads what YAML 1.2 forbids and specbind does not follow it, the error
    /// says so; where libyaml rejects the input too, it does not.
    #[test]
    fn errors_say_where_specbind_is_stricter_than_libyaml() {
        let stricter = [
            ("a: \"x\"# c\n", (1, 7)),
            ("a: [x, y]# c\n", (1, 10)),
            ("a: |# c\n  x\n", (1, 5)),
            ("a: [-, b]\n", (1, 5)),
            ("a: 1\n%YAML 1.2\n---\nb: 2\n", (2, 1)),
            ("a: [\n\tb]\n", (2, 2)),
            ("? [a]\n: 1\n", (1, 3)),
        ];
        for (text, at) in stricter {
            let e = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text:?} parsed"));
            assert!(e.message.contains("libyaml"), "{text:?}: {e:?}");
            assert_eq!((e.line, e.col), at, "{text:?}: {e:?}");
        }
        for text in [
            "a: b: c\n",
            "a:\n\t- b\n",
            "a: \"x\\qy\"\n",
            "a: *nope\n",
            "a: [\n",
        ] {
            let e = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text:?} parsed"));
            assert!(!e.message.contains("libyaml"), "{text:?}: {e:?}");
        }
    }

    /// Every syntax error has a 1-based line and column inside the text (or just past it).
    #[test]
    fn every_syntax_error_has_a_line_and_column() {
        let broken = [
            "a: 'unclosed\n",
            "a: \"unclosed\n",
            "a: [1, 2\n",
            "a: {b: 1\n",
            "a: 1\n b: 2\n",
            "a: b: c\n",
            "a:\n\t- b\n",
            "a: \"x\\qy\"\n",
            "a: *nope\n",
            "a: \"x\"# c\n",
            "a: [-]\n",
            "a: 1\n%YAML 1.2\n---\n",
            "a: \"x\n---\ny\"\n",
            "a: 1\n\u{feff}b: 2\n",
            "a: >\n \n   \n x\n",
            "- a\nb: c\n",
            "a: &\n",
            "a: !<x\n",
            "[a]]\n",
            "{a: 1}}\n",
            "? [a]\n: 1\n",
            "a:\n  - b\n  c: d\n",
        ];
        for text in broken {
            let e = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text:?} parsed"));
            let lines: Vec<&str> = text.split('\n').collect();
            assert!(e.line >= 1 && e.col >= 1, "{text:?}: {e:?}");
            let line = lines
                .get(e.line as usize - 1)
                .unwrap_or_else(|| panic!("{text:?}: {e:?}"));
            assert!(
                e.col as usize <= line.chars().count() + 1,
                "{text:?}: {e:?}"
            );
        }
    }
}
