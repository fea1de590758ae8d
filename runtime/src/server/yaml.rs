//! The YAML form of a JSON document, for `/openapi.yaml`: block mappings and sequences, plain
//! scalars where YAML reads them back as the same string, JSON-quoted ones elsewhere.

use serde_json::Value;

/// `json` as YAML; text that is not JSON is returned as it is (JSON is YAML too).
pub(crate) fn from_json(json: &str) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(v) => {
            let mut out = String::new();
            node(&v, 0, &mut out, true);
            out
        }
        Err(_) => json.to_owned(),
    }
}

/// Whether `s` reads back as itself as a plain YAML scalar (in a block context).
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '/') {
        return false;
    }
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    if reserved.iter().any(|r| s.eq_ignore_ascii_case(r)) {
        return false;
    }
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || " _-./{}()".contains(c))
        && !s.ends_with(' ')
        && !s.contains(" #")
        && !s.starts_with("{")
}

fn scalar(s: &str) -> String {
    if plain(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// Writes `v` at depth `depth`; `fresh` when it starts a line of its own.
fn node(v: &Value, depth: usize, out: &mut String, fresh: bool) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            if !fresh {
                out.push('\n');
            }
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 || !fresh {
                    indent(out, depth);
                }
                out.push_str(&scalar(k));
                out.push(':');
                child(v, depth + 1, out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            if !fresh {
                out.push('\n');
            }
            for (i, v) in a.iter().enumerate() {
                if i > 0 || !fresh {
                    indent(out, depth);
                }
                out.push('-');
                child(v, depth + 1, out);
            }
        }
        other => {
            out.push_str(&leaf(other));
            out.push('\n');
        }
    }
}

/// A value after `key:` or `-`.
fn child(v: &Value, depth: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => node(v, depth, out, false),
        Value::Array(a) if !a.is_empty() => node(v, depth, out, false),
        other => {
            out.push(' ');
            out.push_str(&leaf(other));
            out.push('\n');
        }
    }
}

fn leaf(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn yaml_of_json() {
        let json = r#"{"openapi":"3.0.3","info":{"title":"A: b","version":"1"},"paths":{"/p/{id}":{"get":{"operationId":"getP","tags":["a","true"],"x":[{"k":1,"m":null}],"e":{},"l":[]}}}}"#;
        let yaml = super::from_json(json);
        assert_eq!(
            yaml,
            "openapi: \"3.0.3\"\ninfo:\n  title: \"A: b\"\n  version: \"1\"\npaths:\n  /p/{id}:\n    get:\n      operationId: getP\n      tags:\n        - a\n        - \"true\"\n      x:\n        -\n          k: 1\n          m: null\n      e: {}\n      l: []\n"
        );
    }
}
