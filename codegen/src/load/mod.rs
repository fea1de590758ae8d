//! Loading: the root document and every document its `$ref`s reach, parsed from YAML or
//! JSON into `serde_json::Value`s (in source order) with a map back to lines.

mod json;
mod yaml;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::SourceReader;
use crate::diag::{Ctxt, Diagnostic, Kind, Loc, Severity};

/// A 1-based line and column.
pub type Pos = (u32, u32);

/// The spec versions specbind reads; all end up in the same IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
}

impl Version {
    /// How the version is usually written (`2.0`, `3.0`, `3.1`).
    pub fn family(self) -> &'static str {
        match self {
            Self::Swagger2 => "2.0",
            Self::OpenApi30 => "3.0",
            Self::OpenApi31 => "3.1",
        }
    }
}

/// One parsed file.
#[derive(Debug)]
pub struct Document {
    /// The path as named by the caller or by the `$ref` that reached it.
    pub path: PathBuf,
    /// The parsed value, maps in source order.
    pub value: Value,
    text: String,
    positions: OnceCell<HashMap<String, Pos>>,
}

impl Document {
    /// The file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn positions(&self) -> &HashMap<String, Pos> {
        self.positions.get_or_init(|| json::positions(&self.text))
    }
}

/// The root document (index 0) and every document reached from it.
#[derive(Debug)]
pub struct Docs {
    /// The documents, root first, in the order they were reached.
    pub docs: Vec<Document>,
    index: HashMap<PathBuf, usize>,
    failed: BTreeMap<PathBuf, String>,
    /// Version of the root document.
    pub version: Version,
}

/// Parses one text, choosing JSON or YAML from the content.
fn parse(path: &Path, text: String) -> Result<(Document, Vec<(String, String)>), Diagnostic> {
    let looks_json = text.trim_start().starts_with('{')
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if looks_json {
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            let doc = Document {
                path: path.to_owned(),
                value,
                text,
                positions: OnceCell::new(),
            };
            return Ok((doc, Vec::new()));
        }
    }
    match yaml::parse(&text) {
        Ok(parsed) => {
            let cell = OnceCell::new();
            let _ = cell.set(parsed.positions);
            let doc = Document {
                path: path.to_owned(),
                value: parsed.value,
                text,
                positions: cell,
            };
            Ok((doc, parsed.notes))
        }
        Err(e) => Err(Diagnostic {
            severity: Severity::Error,
            kind: Kind::Unreadable,
            file: path.to_owned(),
            line: Some(e.line),
            col: Some(e.col),
            pointer: String::new(),
            message: format!(
                "invalid {}: {}",
                if looks_json { "JSON" } else { "YAML" },
                e.message
            ),
        }),
    }
}

fn fatal(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        kind: Kind::Unreadable,
        file: path.to_owned(),
        line: None,
        col: None,
        pointer: String::new(),
        message,
    }
}

/// Lexically normalises `a/./b/../c` to `a/c`.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes in a `$ref` fragment.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Keys whose values are payloads, not spec: a `$ref` inside them is data.
fn is_payload_key(k: &str) -> bool {
    matches!(k, "example" | "examples" | "default" | "enum" | "const") || k.starts_with("x-")
}

/// Calls `f` with every `$ref` string of `v` outside example payloads.
fn each_ref(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                f(r);
            }
            for (k, v) in m {
                if !is_payload_key(k) {
                    each_ref(v, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| each_ref(v, f)),
        _ => {}
    }
}

impl Docs {
    /// Loads `root` and every file its `$ref`s name, relative to the referring file.
    pub fn load(
        root: &Path,
        reader: &dyn SourceReader,
        cx: &mut Ctxt,
    ) -> Result<Self, Vec<Diagnostic>> {
        let text = reader
            .read(root)
            .map_err(|e| vec![fatal(root, format!("cannot read the spec: {e}"))])?;
        let (doc, notes) = parse(root, text).map_err(|d| vec![d])?;
        let version = detect_version(&doc.value).map_err(|m| vec![fatal(root, m)])?;
        let mut docs = Docs {
            docs: Vec::new(),
            index: HashMap::new(),
            failed: BTreeMap::new(),
            version,
        };
        let mut queue = VecDeque::new();
        docs.add(doc, notes, cx, &mut queue);
        while let Some(path) = queue.pop_front() {
            if docs.index.contains_key(&path) || docs.failed.contains_key(&path) {
                continue;
            }
            match reader
                .read(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| {
                    parse(&path, text).map_err(|d| {
                        format!(
                            "{}{}",
                            d.message,
                            d.line.map(|l| format!(" at line {l}")).unwrap_or_default()
                        )
                    })
                }) {
                Ok((doc, notes)) => docs.add(doc, notes, cx, &mut queue),
                Err(e) => {
                    docs.failed.insert(path, e);
                }
            }
        }
        Ok(docs)
    }

    fn add(
        &mut self,
        doc: Document,
        notes: Vec<(String, String)>,
        cx: &mut Ctxt,
        queue: &mut VecDeque<PathBuf>,
    ) {
        let id = self.docs.len();
        for (ptr, msg) in notes {
            cx.warn(Kind::Yaml, &Loc::new(id, ptr), msg);
        }
        let base = doc.path.parent().map(Path::to_owned).unwrap_or_default();
        each_ref(&doc.value, &mut |r| {
            let file = r.split('#').next().unwrap_or("");
            if !file.is_empty() && !file.contains("://") {
                queue.push_back(normalize(&base.join(file)));
            }
        });
        self.index.insert(normalize(&doc.path), id);
        self.docs.push(doc);
    }

    /// The root document.
    pub fn root(&self) -> &Value {
        &self.docs[0].value
    }

    /// The value at `loc`, if any.
    pub fn get(&self, loc: &Loc) -> Option<&Value> {
        self.docs.get(loc.doc)?.value.pointer(&loc.ptr)
    }

    /// Resolves `reference` found in document `from` to the location it names, or says why
    /// it cannot: a [`Kind::DanglingRef`] or a [`Kind::UnsupportedRef`], and a message.
    pub fn resolve(&self, from: usize, reference: &str) -> Result<Loc, (Kind, String)> {
        let (file, frag) = match reference.split_once('#') {
            Some((f, p)) => (f, p),
            None => (reference, ""),
        };
        let doc = if file.is_empty() {
            from
        } else if file.contains("://") {
            return Err((
                Kind::UnsupportedRef,
                format!("`$ref` `{reference}` names a remote document; only local files are read"),
            ));
        } else {
            let base = self.docs[from]
                .path
                .parent()
                .map(Path::to_owned)
                .unwrap_or_default();
            let path = normalize(&base.join(file));
            match self.index.get(&path) {
                Some(&i) => i,
                None => {
                    let why = self
                        .failed
                        .get(&path)
                        .map(String::as_str)
                        .unwrap_or("it was not loaded");
                    return Err((
                        Kind::DanglingRef,
                        format!(
                            "`$ref` `{reference}` names `{}`, which cannot be read: {why}",
                            path.display()
                        ),
                    ));
                }
            }
        };
        let ptr = percent_decode(frag);
        if !ptr.is_empty() && !ptr.starts_with('/') {
            return Err((
                Kind::UnsupportedRef,
                format!("`$ref` `{reference}` is not a JSON pointer (anchors are not supported)"),
            ));
        }
        let loc = Loc::new(doc, ptr);
        if self.get(&loc).is_none() {
            return Err((
                Kind::DanglingRef,
                format!("`$ref` target `{reference}` does not exist"),
            ));
        }
        Ok(loc)
    }

    /// The file of `loc` and the nearest known position at or above its pointer.
    pub fn position(&self, loc: &Loc) -> (PathBuf, Option<Pos>) {
        let Some(doc) = self.docs.get(loc.doc) else {
            return (PathBuf::new(), None);
        };
        let positions = doc.positions();
        let mut ptr = loc.ptr.as_str();
        loop {
            if let Some(p) = positions.get(ptr) {
                return (doc.path.clone(), Some(*p));
            }
            match ptr.rfind('/') {
                Some(i) => ptr = &ptr[..i],
                None => return (doc.path.clone(), None),
            }
        }
    }
}

fn detect_version(root: &Value) -> Result<Version, String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if !root.is_object() {
        return Err("not an OpenAPI or Swagger document: the top level is not a mapping".into());
    }
    if let Some(v) = root.get("openapi") {
        let v = text(v);
        return if v.starts_with("3.0") {
            Ok(Version::OpenApi30)
        } else if v.starts_with("3.1") {
            Ok(Version::OpenApi31)
        } else {
            Err(format!(
                "unsupported OpenAPI version `{v}`; specbind reads 2.0, 3.0.x and 3.1.x"
            ))
        };
    }
    if let Some(v) = root.get("swagger") {
        let v = text(v);
        return if v == "2.0" || v == "2" {
            Ok(Version::Swagger2)
        } else {
            Err(format!(
                "unsupported Swagger version `{v}`; specbind reads 2.0, 3.0.x and 3.1.x"
            ))
        };
    }
    Err("not an OpenAPI or Swagger document: no `openapi` or `swagger` field".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Mem(Vec<(&'static str, &'static str)>);
    impl SourceReader for Mem {
        fn read(&self, path: &Path) -> std::io::Result<String> {
            self.0
                .iter()
                .find(|(p, _)| Path::new(p) == path)
                .map(|(_, t)| (*t).to_owned())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
        }
    }

    #[test]
    fn external_refs_are_loaded_relative_to_the_referrer() {
        let mem = Mem(vec![
            (
                "specs/api.yaml",
                "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      $ref: 'models/a.yaml#/A'\n",
            ),
            ("specs/models/a.yaml", "A:\n  $ref: '../shared.json#/B'\n"),
            ("specs/shared.json", "{\"B\": {\"type\": \"string\"}}"),
        ]);
        let mut cx = Ctxt::default();
        let docs = Docs::load(Path::new("specs/api.yaml"), &mem, &mut cx).unwrap();
        assert_eq!(docs.docs.len(), 3);
        let a = docs.resolve(0, "models/a.yaml#/A").unwrap();
        let b = docs.resolve(a.doc, "../shared.json#/B").unwrap();
        assert_eq!(docs.get(&b).unwrap()["type"], "string");
        assert!(docs.resolve(0, "#/components/schemas/Nope").is_err());
        assert!(
            docs.resolve(0, "missing.yaml#/X")
                .unwrap_err()
                .1
                .contains("cannot be read")
        );
    }

    #[test]
    fn versions() {
        let mut cx = Ctxt::default();
        let mem = Mem(vec![
            ("a.yaml", "swagger: '2.0'\n"),
            ("b.yaml", "openapi: 3.1.0\n"),
            ("c.yaml", "info: {}\n"),
            ("d.yaml", "openapi: 4.0.0\n"),
        ]);
        assert_eq!(
            Docs::load(Path::new("a.yaml"), &mem, &mut cx)
                .unwrap()
                .version,
            Version::Swagger2
        );
        assert_eq!(
            Docs::load(Path::new("b.yaml"), &mem, &mut cx)
                .unwrap()
                .version,
            Version::OpenApi31
        );
        assert!(Docs::load(Path::new("c.yaml"), &mem, &mut cx).is_err());
        assert!(Docs::load(Path::new("d.yaml"), &mem, &mut cx).is_err());
    }

    #[test]
    fn percent_escapes_in_pointers() {
        assert_eq!(
            percent_decode("/paths/~1pets~1%7Bid%7D"),
            "/paths/~1pets~1{id}"
        );
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }
}
