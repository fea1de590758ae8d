//! Validation of generated models against the JSON Schema constraints of
//! their spec.
//!
//! Every generated model implements [`Validate`]. Validation never stops at
//! the first problem: it walks the whole value and records every
//! [`Violation`], each located by the JSON Pointer of the offending value.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

pub mod check;
mod format;

pub use format::Format;

/// A location in a JSON document, built on the stack while validation
/// descends into a value.
///
/// Building a path allocates nothing: each segment borrows its parent. The
/// path becomes a `String` (an RFC 6901 JSON Pointer) only when a violation
/// is recorded.
///
/// ```
/// use specbind::Path;
///
/// let root = Path::root();
/// let pets = root.field("pets");
/// let third = pets.index(3);
/// assert_eq!(third.field("name").to_pointer(), "/pets/3/name");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

/// One segment of a [`Path`].
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Root,
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

impl Path<'static> {
    /// The root of the document: the JSON Pointer `""`.
    pub const fn root() -> Path<'static> {
        Path {
            parent: None,
            seg: Seg::Root,
        }
    }
}

impl<'a> Path<'a> {
    /// The field `name` of the object at this path.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Field(name),
        }
    }

    /// The item `i` of the array at this path.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// The entry `k` of the map (an object with `additionalProperties`) at
    /// this path.
    pub fn key(&'a self, k: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(k),
        }
    }

    /// This path as an RFC 6901 JSON Pointer: `""` for the root,
    /// `"/pets/3/name"` below it, with `~` escaped as `~0` and `/` as `~1`.
    pub fn to_pointer(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Path<'_> {
    /// Writes the JSON Pointer of this path (empty for the root).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            fmt::Display::fmt(parent, f)?;
        }
        match self.seg {
            Seg::Root => Ok(()),
            Seg::Index(i) => write!(f, "/{i}"),
            Seg::Field(s) | Seg::Key(s) => {
                f.write_char('/')?;
                for c in s.chars() {
                    match c {
                        '~' => f.write_str("~0")?,
                        '/' => f.write_str("~1")?,
                        c => f.write_char(c)?,
                    }
                }
                Ok(())
            }
        }
    }
}

/// One broken constraint: where, which JSON Schema keyword, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// JSON Pointer of the offending value (`""` for the root).
    pub path: String,
    /// The JSON Schema keyword that is broken, e.g. `"minLength"`.
    pub keyword: &'static str,
    /// What is wrong, e.g. `"must be at least 3 characters long, got 1"`.
    pub message: String,
}

impl fmt::Display for Violation {
    /// `path: message`, with the root path shown as `<root>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "<root>"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// Every [`Violation`] found while validating one value, in the order
/// found. Serializes as a JSON array of violations.
///
/// Its `Display` is `N violation(s): ` then each `path: message`, joined by
/// `; `, e.g. `2 violations: <root>: must be an object; /id: must be ...`.
///
/// One validation also carries the budget of the backtracking engine: at most
/// [`BACKTRACKING_RUNS`] values are matched with it, so that what one document costs is
/// bounded however many such values it holds.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Violations {
    list: Vec<Violation>,
    #[serde(skip)]
    backtracking_left: u32,
}

impl Default for Violations {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for Violations {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Violations {}

impl Violations {
    /// No violations.
    pub const fn new() -> Self {
        Violations {
            list: Vec::new(),
            backtracking_left: BACKTRACKING_RUNS,
        }
    }

    /// Takes one run of the backtracking engine from this validation's budget; `false` when
    /// it is spent.
    fn take_backtracking_run(&mut self) -> bool {
        if self.backtracking_left == 0 {
            return false;
        }
        self.backtracking_left -= 1;
        true
    }

    /// Records that the value at `path` breaks `keyword`.
    pub fn push(&mut self, path: &Path<'_>, keyword: &'static str, message: impl Into<String>) {
        self.list.push(Violation {
            path: path.to_pointer(),
            keyword,
            message: message.into(),
        });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many violations were recorded.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The violations, in the order recorded.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.list.iter()
    }

    /// The violations, in the order recorded.
    pub fn as_slice(&self) -> &[Violation] {
        &self.list
    }

    /// The violations, in the order recorded.
    pub fn into_vec(self) -> Vec<Violation> {
        self.list
    }

    /// `Ok(())` if nothing was recorded, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Violations {
    /// `N violation(s): ` then each `path: message`, joined by `; `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.list.len();
        write!(f, "{n} violation{}", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.list.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            fmt::Display::fmt(v, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// A value that can check itself against the JSON Schema constraints of its
/// spec. Implemented by every generated model.
pub trait Validate {
    /// Records in `out` every constraint this value, located at `path`,
    /// breaks. The default checks nothing: a type whose schema states no constraint.
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let _ = (path, out);
    }

    /// Checks this value as a whole document: `Ok(())`, or every violation
    /// found.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_at(&Path::root(), &mut out);
        out.into_result()
    }
}

/// Types that carry no constraint of their own: generated code checks their
/// limits where the schema states them.
macro_rules! no_op_validate {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Validate for $ty {
                #[inline]
                fn validate_at(&self, _path: &Path<'_>, _out: &mut Violations) {}
            }
        )*
    };
}

no_op_validate!(
    (),
    std::convert::Infallible,
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    String,
    str,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    uuid::Uuid,
    crate::Base64,
);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        if let Some(v) = self {
            v.validate_at(path, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        for (i, v) in self.iter().enumerate() {
            v.validate_at(&path.index(i), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        self.as_slice().validate_at(path, out);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        for (k, v) in self {
            v.validate_at(&path.key(k), out);
        }
    }
}

/// A JSON Schema `pattern`: an ECMA-262 regular expression, translated and compiled the
/// first time it is used.
///
/// A pattern that a finite automaton can express (no lookaround, no backreference) is matched
/// by the `regex` crate, in time linear in the input. The others go to `fancy-regex`, a
/// backtracking engine, with a budget of [`BACKTRACK_LIMIT`] backtracking steps on inputs of
/// at most [`BACKTRACKING_MAX_LEN`] bytes: past either bound the answer is
/// [`TooExpensive`], never a stall. `specbind-pattern` does the translation, keeping
/// ECMA-262's meaning (`\d` and `\w` are ASCII, `.` stops at line terminators, `$` is the end
/// of the input, ...).
///
/// ```
/// use specbind::__private::{Engine, Pattern};
///
/// static LOWER: Pattern = Pattern::new("^[a-z]+$");
/// assert_eq!(LOWER.matches("abc"), Ok(true));
/// assert_eq!(LOWER.matches("aBc"), Ok(false));
/// assert_eq!(LOWER.engine(), Engine::Linear);
/// ```
#[derive(Debug)]
pub struct Pattern {
    src: &'static str,
    re: OnceLock<Compiled>,
}

/// Backtracking steps the backtracking engine may take for one match (a few milliseconds).
pub const BACKTRACK_LIMIT: usize = 20_000;

/// Values one validation (one request body, one model) may match with the backtracking
/// engine; past that, a value is refused as too expensive to check.
pub const BACKTRACKING_RUNS: u32 = 32;

/// The longest input, in bytes, the backtracking engine is given.
pub const BACKTRACKING_MAX_LEN: usize = 4096;

/// A compiled pattern.
#[derive(Debug)]
enum Compiled {
    Linear(regex::Regex),
    Backtracking(Box<fancy_regex::Regex>),
    /// Not an ECMA-262 pattern, or too large to compile: not checked.
    Unchecked,
}

/// The engine a [`Pattern`] is matched with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The `regex` crate: linear time.
    Linear,
    /// `fancy-regex`, within [`BACKTRACK_LIMIT`] and [`BACKTRACKING_MAX_LEN`].
    Backtracking,
    /// None: the pattern is not checked (the generator warned about it).
    Unchecked,
}

/// A value the backtracking engine could not check within its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("pattern too expensive to check")]
pub struct TooExpensive;

impl Pattern {
    /// A pattern, not compiled yet; usable in a `static`.
    pub const fn new(src: &'static str) -> Self {
        Pattern {
            src,
            re: OnceLock::new(),
        }
    }

    /// The source of the pattern, as the spec wrote it.
    pub fn source(&self) -> &'static str {
        self.src
    }

    /// The engine that matches this pattern.
    pub fn engine(&self) -> Engine {
        match self.compiled() {
            Compiled::Linear(_) => Engine::Linear,
            Compiled::Backtracking(_) => Engine::Backtracking,
            Compiled::Unchecked => Engine::Unchecked,
        }
    }

    /// Whether the pattern matches somewhere in `s` (like JSON Schema, a pattern is not
    /// implicitly anchored), or [`TooExpensive`]. A pattern that is not ECMA-262 matches
    /// everything.
    pub fn matches(&self, s: &str) -> Result<bool, TooExpensive> {
        self.matches_within(s, &mut Violations::new())
    }

    /// [`Pattern::matches`], taking a run of the backtracking engine from the budget of the
    /// validation `out` is part of.
    pub(crate) fn matches_within(
        &self,
        s: &str,
        out: &mut Violations,
    ) -> Result<bool, TooExpensive> {
        match self.compiled() {
            Compiled::Linear(re) => Ok(re.is_match(s)),
            Compiled::Backtracking(_) if s.len() > BACKTRACKING_MAX_LEN => Err(TooExpensive),
            Compiled::Backtracking(_) if !out.take_backtracking_run() => Err(TooExpensive),
            Compiled::Backtracking(re) => re.is_match(s).map_err(|_| TooExpensive),
            Compiled::Unchecked => Ok(true),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.re.get_or_init(|| compile(self.src))
    }
}

fn compile(src: &str) -> Compiled {
    let Ok(t) = specbind_pattern::translate(src) else {
        return Compiled::Unchecked;
    };
    match t.engine {
        specbind_pattern::Engine::Linear => regex::RegexBuilder::new(&t.regex)
            .size_limit(64 << 20)
            .build()
            .map_or(Compiled::Unchecked, Compiled::Linear),
        specbind_pattern::Engine::Backtracking => fancy_regex::RegexBuilder::new(&t.regex)
            .backtrack_limit(BACKTRACK_LIMIT)
            .build()
            .map_or(Compiled::Unchecked, |re| {
                Compiled::Backtracking(Box::new(re))
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_pointers() {
        let root = Path::root();
        assert_eq!(root.to_pointer(), "");
        assert_eq!(root.to_string(), "");
        let pets = root.field("pets");
        let third = pets.index(3);
        let name = third.field("name");
        assert_eq!(name.to_pointer(), "/pets/3/name");
        assert_eq!(name.to_string(), "/pets/3/name");
        let tags = root.field("tags");
        let odd = tags.key("a/b~c");
        assert_eq!(odd.to_pointer(), "/tags/a~1b~0c");
        let copy = odd;
        assert_eq!(copy.field("").to_pointer(), "/tags/a~1b~0c/");
    }

    #[test]
    fn violations_api_and_display() {
        let mut out = Violations::new();
        assert!(out.is_empty());
        assert_eq!(out.clone().into_result(), Ok(()));
        let root = Path::root();
        out.push(&root, "type", "must be an object");
        let id = root.field("id");
        out.push(&id, "minimum", String::from("must be at least 1, got 0"));
        assert_eq!(out.len(), 2);
        assert_eq!(out.as_slice()[1].path, "/id");
        assert_eq!(out.iter().count(), 2);
        assert_eq!((&out).into_iter().count(), 2);
        assert_eq!(
            out.to_string(),
            "2 violations: <root>: must be an object; /id: must be at least 1, got 0"
        );
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            serde_json::json!([
                {"path": "", "keyword": "type", "message": "must be an object"},
                {"path": "/id", "keyword": "minimum", "message": "must be at least 1, got 0"},
            ])
        );
        let err: Box<dyn std::error::Error> = Box::new(out.clone());
        assert!(err.to_string().starts_with("2 violations: "));
        let keywords: Vec<_> = out.clone().into_iter().map(|v| v.keyword).collect();
        assert_eq!(keywords, ["type", "minimum"]);
        assert_eq!(out.clone().into_vec().len(), 2);
        assert_eq!(out.clone().into_result().unwrap_err(), out);

        let mut one = Violations::new();
        one.push(&id, "enum", "unknown value \"x\"");
        assert_eq!(one.to_string(), "1 violation: /id: unknown value \"x\"");
    }

    /// A model like the generator emits: a string with `minLength: 2`.
    struct Name(String);

    impl Validate for Name {
        fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
            check::min_length(&self.0, 2, path, out);
        }
    }

    #[test]
    fn validate_recurses_with_paths() {
        let ok = vec![Some(Name("ab".into())), None];
        assert_eq!(ok.validate(), Ok(()));

        let nested: BTreeMap<String, Vec<Option<Box<Name>>>> = BTreeMap::from([
            (
                "a/b".to_string(),
                vec![None, Some(Box::new(Name("x".into())))],
            ),
            ("ok".to_string(), vec![Some(Box::new(Name("xyz".into())))]),
            ("z~".to_string(), vec![Some(Box::new(Name(String::new())))]),
        ]);
        let errs = nested.validate().unwrap_err();
        let paths: Vec<_> = errs.iter().map(|v| (v.path.as_str(), v.keyword)).collect();
        assert_eq!(paths, [("/a~1b/1", "minLength"), ("/z~0/0", "minLength")]);

        // Through a reference and a slice, below a non-root path.
        let mut out = Violations::new();
        let items = [Name("q".into())];
        let root = Path::root();
        let body = root.field("body");
        <&[Name] as Validate>::validate_at(&&items[..], &body, &mut out);
        assert_eq!(out.as_slice()[0].path, "/body/0");

        // Leaves are no-ops.
        assert_eq!(1u8.validate(), Ok(()));
        assert_eq!("x".validate(), Ok(()));
        assert_eq!(serde_json::json!({"a": 1}).validate(), Ok(()));
        assert_eq!(uuid::Uuid::nil().validate(), Ok(()));
        assert_eq!(crate::Base64(vec![1]).validate(), Ok(()));
    }

    #[test]
    fn pattern_matches_unanchored() {
        static P: Pattern = Pattern::new("[0-9]{3}");
        assert_eq!(P.source(), "[0-9]{3}");
        assert_eq!(P.matches("ab123cd"), Ok(true));
        assert_eq!(P.matches("ab12cd"), Ok(false));
        static ANCHORED: Pattern = Pattern::new("^a+$");
        assert_eq!(ANCHORED.matches("aaa"), Ok(true));
        assert_eq!(ANCHORED.matches("aab"), Ok(false));
    }

    #[test]
    fn pattern_is_unicode_aware_and_lenient() {
        // `u` flag: `.` matches one astral code point.
        static ONE: Pattern = Pattern::new("^.$");
        assert_eq!(ONE.matches("😀"), Ok(true));
        // Not valid with `u` (identity escape), still valid with Annex B.
        static LOOSE: Pattern = Pattern::new(r"^\a$");
        assert_eq!(LOOSE.matches("a"), Ok(true));
    }

    #[test]
    fn catastrophic_patterns_are_linear() {
        // Nested quantifiers: exponential for a backtracking engine, answered at once here.
        static NESTED: Pattern = Pattern::new("^(a+)+$");
        static BEEZUP: Pattern =
            Pattern::new(r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$");
        assert_eq!(NESTED.engine(), Engine::Linear);
        assert_eq!(BEEZUP.engine(), Engine::Linear);
        let attack = format!("{}!", "a".repeat(10 * 1024));
        assert_eq!(NESTED.matches(&attack), Ok(false));
        assert_eq!(NESTED.matches(&"a".repeat(10 * 1024)), Ok(true));
        let url = format!("http://a.com/{}!", "a".repeat(10 * 1024));
        assert_eq!(BEEZUP.matches(&url), Ok(false));
        assert_eq!(BEEZUP.matches(&url[..url.len() - 1]), Ok(true));
    }

    #[test]
    fn backtracking_has_a_budget() {
        static LOOK: Pattern = Pattern::new(r"^(?!-)[a-z-]+$");
        assert_eq!(LOOK.engine(), Engine::Backtracking);
        assert_eq!(LOOK.matches("ab-c"), Ok(true));
        assert_eq!(LOOK.matches("-abc"), Ok(false));
        assert_eq!(
            LOOK.matches(&"a".repeat(BACKTRACKING_MAX_LEN + 1)),
            Err(TooExpensive)
        );
        // Exponential with backtracking: over the budget long before it could stall.
        static BLOWUP: Pattern = Pattern::new(r"^(?=a)(a|a)*\1b$");
        assert_eq!(BLOWUP.engine(), Engine::Backtracking);
        assert_eq!(BLOWUP.matches(&"a".repeat(64)), Err(TooExpensive));
        assert_eq!(BLOWUP.matches("aab"), Ok(true));
        // One validation runs it on at most BACKTRACKING_RUNS values.
        let mut out = Violations::new();
        let answered = (0..100)
            .filter(|_| LOOK.matches_within("ab-c", &mut out).is_ok())
            .count();
        assert_eq!(answered, BACKTRACKING_RUNS as usize);
        // The linear engine has no such budget.
        static LINEAR: Pattern = Pattern::new("^[a-z-]+$");
        assert!((0..100).all(|_| LINEAR.matches_within("ab-c", &mut out) == Ok(true)));
    }

    #[test]
    fn invalid_pattern_does_not_panic() {
        static BAD: Pattern = Pattern::new("(unclosed[");
        assert_eq!(BAD.engine(), Engine::Unchecked);
        assert_eq!(BAD.matches("anything"), Ok(true));
        assert_eq!(BAD.matches(""), Ok(true));
    }
}
