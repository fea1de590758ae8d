//! Rust identifiers from spec names: case conversion, keywords, collisions.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition; `self`, `Self`, `super`, `crate` cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps ASCII letters and digits; everything else separates words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

/// An UpperCamelCase type or variant name; `prefix` goes before a leading digit, `empty`
/// stands for a name with no letters or digits.
fn camel(raw: &str, prefix: &str, empty: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = empty.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// A type name: `io.k8s.api.core.v1.Pod` → `IoK8sApiCoreV1Pod`, `2FA` → `T2fa`.
pub(crate) fn type_name(raw: &str) -> String {
    camel(raw, "T", "Unnamed")
}

/// An enum variant name: `available` → `Available`, `200` → `V200`, `` → `Empty`.
pub(crate) fn variant_name(raw: &str) -> String {
    camel(raw, "V", "Empty")
}

/// A field, function or module name: `camelCase` → `camel_case`, `type` → `r#type`,
/// `self` → `self_`, `123abc` → `_123abc`.
pub(crate) fn snake_name(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "field".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if matches!(s.as_str(), "self" | "super" | "crate") {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// The name without a raw-identifier prefix: what serde calls the field.
pub(crate) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Names taken in one scope; a second claim of a name gets a numeric suffix.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    used: HashSet<String>,
}

impl Namespace {
    /// Reserves a name without claiming it from a spec name.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// Claims `want`; returns the name given and whether it had to change.
    pub(crate) fn claim(&mut self, want: String) -> (String, bool) {
        if self.used.insert(want.clone()) {
            return (want, false);
        }
        let (base, raw) = match want.strip_prefix("r#") {
            Some(b) => (b.to_owned(), true),
            None => (want.clone(), false),
        };
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        for n in 2.. {
            let candidate = format!("{base}{sep}{n}");
            // A suffixed keyword is no longer a keyword.
            let _ = raw;
            if self.used.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
        unreachable!("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("io.k8s.api.core.v1.Pod"), "IoK8sApiCoreV1Pod");
        assert_eq!(type_name("2FA-Settings"), "T2faSettings");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("Два"), "Unnamed");
        assert_eq!(variant_name("foo-bar"), "FooBar");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(snake_name("camelCase"), "camel_case");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("123abc"), "_123abc");
        assert_eq!(snake_name("with space"), "with_space");
        assert_eq!(snake_name("$ref"), "r#ref");
        assert_eq!(snake_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(snake_name("repos/get"), "repos_get");
    }

    #[test]
    fn collisions_get_a_suffix() {
        let mut ns = Namespace::default();
        assert_eq!(
            ns.claim("UserProfile".into()),
            ("UserProfile".into(), false)
        );
        assert_eq!(
            ns.claim("UserProfile".into()),
            ("UserProfile2".into(), true)
        );
        assert_eq!(ns.claim("V1".into()), ("V1".into(), false));
        assert_eq!(ns.claim("V1".into()), ("V1_2".into(), true));
        assert_eq!(ns.claim("r#type".into()), ("r#type".into(), false));
        assert_eq!(ns.claim("r#type".into()), ("type2".into(), true));
    }
}
