//! YAML to `serde_json::Value`, remembering where every node starts.
//!
//! saphyr-parser is a maintained, pure-Rust YAML 1.2 parser that reports a span for every
//! event, which is what line numbers in diagnostics need; serde_yaml is archived and its
//! successors do not expose node positions.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::Pos;

/// A YAML syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    },
    Map {
        map: Map<String, Value>,
        merges: Vec<Value>,
        key: Option<String>,
        anchor: usize,
    },
}

fn pos(span: &Span) -> Pos {
    let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
    let col = u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX);
    (line, col)
}

/// Parses the first document of `text`.
pub(crate) fn parse(text: &str) -> Result<Parsed, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    // Pointer of the node being built; segments are pushed when a key or item starts.
    let mut path: Vec<usize> = Vec::new();
    let mut ptr = String::new();
    let mut positions = HashMap::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut notes = Vec::new();
    let mut root: Option<Value> = None;

    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| YamlError {
            line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
            col: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
            message: e.info().to_owned(),
        })?;
        // A value is about to start: a mapping in key position records the key instead.
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Alias(_)
        );
        if is_node {
            if let Some(Frame::Map { key: None, .. }) = stack.last() {
                // This node is a key.
                let key = match event {
                    Event::Scalar(ref v, ..) => v.to_string(),
                    Event::Alias(id) => match anchors.get(&id) {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    },
                    _ => {
                        return Err(YamlError {
                            line: pos(&span).0,
                            col: pos(&span).1,
                            message: "mapping keys must be plain scalars".into(),
                        });
                    }
                };
                path.push(ptr.len());
                ptr.push('/');
                crate::diag::push_escaped(&mut ptr, &key);
                positions.entry(ptr.clone()).or_insert(pos(&span));
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
            } else if stack.is_empty() {
                positions.entry(String::new()).or_insert(pos(&span));
            }
        }
        let done: Option<Value> = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => None,
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
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    map: Map::new(),
                    merges: Vec::new(),
                    key: None,
                    anchor,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor }) => {
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
                    ..
                }) => {
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
        if tag.is_yaml_core_schema() || tag.handle == "!!" {
            match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => return Value::String(v.to_owned()),
                "null" => return Value::Null,
                _ => {}
            }
        } else {
            return Value::String(v.to_owned());
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
}
