//! The JSON Schema documents the anchors check: each a root that refers to a component
//! (`{"$ref": "#/components/schemas/issue"}`, or an array of `Pet`s) with the spec's
//! `components/schemas` embedded, so every `$ref` resolves as in the spec, and OpenAPI's
//! `nullable` turned into JSON Schema.
//!
//! Shared by `build.rs`, which writes them under `bench/target/validate-schemas/` for
//! `jsonschema-macros` (whose validators are generated at build time from a file), and by the
//! program, which compiles the same documents with `jsonschema` at run time.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// One schema document: its file name under `bench/target/validate-schemas/`, the spec it
/// comes from, and its root.
pub(crate) struct Doc {
    pub(crate) file: &'static str,
    pub(crate) spec: PathBuf,
    pub(crate) root: Value,
}

/// The documents, for the checkout at `root`, `bench/` at `bench` and the corpus at `corpus`:
/// the petstore's pets, the nested tree, GitHub's issue and the attack payload.
pub(crate) fn docs(root: &Path, bench: &Path, corpus: &Path) -> Vec<Doc> {
    vec![
        Doc {
            file: "pets.json",
            spec: root.join("specs/petstore.yaml"),
            root: json!({ "type": "array", "items": { "$ref": "#/components/schemas/Pet" } }),
        },
        Doc {
            file: "nested.json",
            spec: bench.join("specs/nested.yaml"),
            root: json!({ "$ref": "#/components/schemas/Node" }),
        },
        Doc {
            file: "github_issue.json",
            spec: corpus.join("github_api_3.0.json"),
            root: json!({ "$ref": "#/components/schemas/issue" }),
        },
        Doc {
            file: "attack.json",
            spec: bench.join("specs/attack.yaml"),
            root: json!({ "$ref": "#/components/schemas/Link" }),
        },
    ]
}

/// OpenAPI 3.0 schemas as JSON Schema (draft 4, which 3.0's Schema Object extends):
/// `nullable: true` becomes a `"null"` in `type` (and in `enum`), or an `anyOf` with
/// `{"type": "null"}` where there is no `type`. Everything else is left as it is.
pub(crate) fn nullable_to_json_schema(v: &mut Value) {
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

impl Doc {
    /// The document: the root with the spec's schemas embedded, `nullable` converted.
    pub(crate) fn document(&self) -> Result<Value, String> {
        let spec = &self.spec;
        let text =
            std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
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
        let mut root = self.root.clone();
        root["components"] = json!({ "schemas": schemas });
        Ok(root)
    }
}
