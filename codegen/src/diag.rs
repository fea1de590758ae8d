//! Diagnostics: every problem found in a spec, with its file, line and JSON pointer.
//!
//! Problems are collected in a [`Ctxt`] and reported once, all together, the way
//! `serde_derive` collects its errors.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec still generates; something degraded or was renamed.
    Warning,
    /// The spec cannot be generated faithfully.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

macro_rules! kinds {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal, $defect:literal;)+) => {
        /// What a diagnostic is about: a stable code per kind of problem, so that reports
        /// group by kind and `strict` promotes the spec defects, whatever the message says.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Self::$name),+];

            /// The stable code (`dangling-ref`), as `--format json` and grouped reports show it.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$name => $code,)+
                }
            }

            /// Whether this is a spec defect: the spec breaks a rule of OpenAPI, JSON Schema or
            /// YAML, and specbind repairs it with a warning. `strict` makes these errors.
            pub fn is_defect(self) -> bool {
                match self {
                    $(Self::$name => $defect,)+
                }
            }
        }
    };
}

kinds! {
    /// The spec cannot be read at all: no file, not YAML or JSON, not OpenAPI or Swagger.
    Unreadable = "unreadable", false;
    /// A note of the YAML reader (a duplicate key, ...).
    Yaml = "yaml", true;
    /// A `$ref` whose target does not exist or cannot be read; `serde_json::Value` there.
    DanglingRef = "dangling-ref", true;
    /// A `$ref` specbind does not follow (a remote document, an anchor).
    UnsupportedRef = "unsupported-ref", false;
    /// A `{name}` of a path template that no parameter declares.
    UndeclaredPathParam = "undeclared-path-param", true;
    /// A declared path parameter that the path template does not contain.
    UnusedPathParam = "unused-path-param", true;
    /// A query string in a path template (`/items?term={term}`).
    QueryInPath = "query-in-path", true;
    /// A parameter declared twice in one list.
    DuplicateParam = "duplicate-param", true;
    /// A path parameter without `required: true`.
    OptionalPathParam = "optional-path-param", true;
    /// A parameter with neither `schema` (or `content`) nor `type`.
    UntypedParam = "untyped-param", true;
    /// A parameter without a `name`.
    UnnamedParam = "unnamed-param", true;
    /// A parameter whose `in` is not a location of its spec version.
    UnknownParamIn = "unknown-param-in", true;
    /// A response key that is not a status code, a range or `default`.
    InvalidStatus = "invalid-status", true;
    /// A response without a `description`.
    MissingDescription = "missing-description", true;
    /// Two operations with one `operationId`.
    DuplicateOperationId = "duplicate-operation-id", true;
    /// Two paths that differ only in the names of their parameters.
    AmbiguousRoute = "ambiguous-route", true;
    /// A security requirement naming a scheme the spec does not declare.
    UndeclaredSecurityScheme = "undeclared-security-scheme", true;
    /// A schema that is not an object, or of an unknown `type`.
    InvalidSchema = "invalid-schema", true;
    /// A constraint keyword with a value of the wrong type (`minLength: -1`).
    InvalidConstraint = "invalid-constraint", true;
    /// A `pattern` that is not an ECMAScript regular expression; it is not checked.
    InvalidPattern = "invalid-pattern", true;
    /// A `pattern` with lookaround or backreferences: checked by the budgeted backtracking
    /// engine.
    BacktrackingPattern = "backtracking-pattern", false;
    /// An operation without an `operationId`; named from its method and path.
    MissingOperationId = "missing-operation-id", false;
    /// Names that collide after case conversion; suffixed.
    NameCollision = "name-collision", false;
    /// An enum value listed twice.
    DuplicateEnumValue = "duplicate-enum-value", false;
    /// `nullable` in a 3.1 spec; honoured.
    Nullable31 = "nullable-3.1", false;
    /// A construct specbind represents as `serde_json::Value` or more loosely than the spec.
    Degraded = "degraded", false;
    /// A discriminator whose variants are not all `$ref`s; told apart by shape.
    UntaggedDiscriminator = "untagged-discriminator", false;
    /// specbind's own extensions (`x-bind-*`, `x-persist`, `x-async`) used wrongly.
    Extension = "extension", false;
    /// Anything else.
    Other = "other", false;
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is.
    pub kind: Kind,
    /// The file the problem is in, as it was named (relative paths stay relative).
    pub file: PathBuf,
    /// 1-based line, when the parser can tell.
    pub line: Option<u32>,
    /// 1-based column, when the parser can tell.
    pub col: Option<u32>,
    /// JSON pointer to the offending node, as a URI fragment (`#/paths/~1pets/get`).
    pub pointer: String,
    /// Plain lowercase words, names in backticks, no trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}: {}", self.severity, self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " ({})", self.pointer)?;
        }
        Ok(())
    }
}

/// Every problem found in a spec, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct Report {
    /// The problems, sorted by file, line and pointer.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Number of errors in the report.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether the report holds at least one error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The report as lines, without the closing count. Every error is shown; of the warnings
    /// of one kind, when there are more than [`SHOWN_PER_KIND`] + 1, the first
    /// [`SHOWN_PER_KIND`] are shown and one line at the end counts the rest, unless `verbose`.
    pub fn lines(&self, verbose: bool) -> Vec<String> {
        let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
        for d in self.warnings() {
            *per_kind.entry(d.kind).or_default() += 1;
        }
        let grouped = |kind: &Kind| !verbose && per_kind[kind] > SHOWN_PER_KIND + 1;
        let mut shown: BTreeMap<Kind, usize> = BTreeMap::new();
        // The kinds that were cut short, in the order their first warning comes.
        let mut cut: Vec<(Kind, &Diagnostic)> = Vec::new();
        let mut out = Vec::new();
        for d in &self.diagnostics {
            if d.severity == Severity::Warning && grouped(&d.kind) {
                let n = shown.entry(d.kind).or_default();
                *n += 1;
                if *n == 1 {
                    cut.push((d.kind, d));
                }
                if *n > SHOWN_PER_KIND {
                    continue;
                }
            }
            out.push(d.to_string());
        }
        for (kind, first) in cut {
            let total = per_kind[&kind];
            out.push(format!(
                "{}: warning: {} more warnings of kind `{kind}` like the {SHOWN_PER_KIND} above, {total} in all (`--verbose` or `SPECBIND_VERBOSE=1` lists every one)",
                first.file.display(),
                total - SHOWN_PER_KIND,
            ));
        }
        out
    }

    /// The warnings, in source order.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// The closing count: `2 errors, 1 warning`.
    pub fn counts(&self) -> String {
        let errors = self.error_count();
        let warnings = self.diagnostics.len() - errors;
        format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )
    }

    /// Every diagnostic, none left out, and the count.
    pub fn verbose(&self) -> impl fmt::Display + '_ {
        struct Verbose<'a>(&'a Report);
        impl fmt::Display for Verbose<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for line in self.0.lines(true) {
                    writeln!(f, "{line}")?;
                }
                f.write_str(&self.0.counts())
            }
        }
        Verbose(self)
    }
}

/// How many warnings of one kind a report shows before it counts the rest.
pub const SHOWN_PER_KIND: usize = 3;

/// The report as [`Report::lines`] shows it (many warnings of one kind counted, not listed),
/// and the count.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.lines(false) {
            writeln!(f, "{line}")?;
        }
        f.write_str(&self.counts())
    }
}

/// Where a node is: a document and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Index of the document in the loaded set (0 is the root).
    pub doc: usize,
    /// JSON pointer without the leading `#` (`/components/schemas/Pet`).
    pub ptr: String,
}

impl Loc {
    /// A location in document `doc`.
    pub fn new(doc: usize, ptr: impl Into<String>) -> Self {
        Self {
            doc,
            ptr: ptr.into(),
        }
    }

    /// The location of child `key` (escaped per RFC 6901).
    pub fn join(&self, key: &str) -> Self {
        let mut ptr = String::with_capacity(self.ptr.len() + key.len() + 1);
        ptr.push_str(&self.ptr);
        ptr.push('/');
        push_escaped(&mut ptr, key);
        Self { doc: self.doc, ptr }
    }

    /// The location of array item `i`.
    pub fn index(&self, i: usize) -> Self {
        Self {
            doc: self.doc,
            ptr: format!("{}/{i}", self.ptr),
        }
    }

    /// The last segment of the pointer, unescaped.
    pub fn last(&self) -> String {
        unescape(self.ptr.rsplit('/').next().unwrap_or(""))
    }
}

/// Appends `key` escaped per RFC 6901.
pub(crate) fn push_escaped(out: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Unescapes one RFC 6901 segment.
pub(crate) fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// Collects diagnostics while loading, lowering and checking.
#[derive(Debug, Default)]
pub struct Ctxt {
    raw: Vec<(Severity, Kind, Loc, String)>,
}

impl Ctxt {
    /// Records an error of `kind` at `loc`.
    pub fn error(&mut self, kind: Kind, loc: &Loc, msg: impl Into<String>) {
        self.raw
            .push((Severity::Error, kind, loc.clone(), msg.into()));
    }

    /// Records a warning of `kind` at `loc`.
    pub fn warn(&mut self, kind: Kind, loc: &Loc, msg: impl Into<String>) {
        self.raw
            .push((Severity::Warning, kind, loc.clone(), msg.into()));
    }

    /// Makes every spec defect recorded so far an error (`strict`).
    pub fn promote_defects(&mut self) {
        for (severity, kind, ..) in &mut self.raw {
            if kind.is_defect() {
                *severity = Severity::Error;
            }
        }
    }

    /// Whether an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.raw.iter().any(|(s, ..)| *s == Severity::Error)
    }

    /// Takes the recorded diagnostics, resolving lines through `docs`.
    pub(crate) fn finish(self, docs: &crate::load::Docs) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .raw
            .into_iter()
            .map(|(severity, kind, loc, message)| {
                let (file, pos) = docs.position(&loc);
                Diagnostic {
                    severity,
                    kind,
                    file,
                    line: pos.map(|p| p.0),
                    col: pos.map(|p| p.1),
                    pointer: format!("#{}", loc.ptr),
                    message,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.file, a.line, &a.pointer, b.severity, &a.message)
                .cmp(&(&b.file, b.line, &b.pointer, a.severity, &b.message))
        });
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kind_codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in Kind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "`{code}` is the code of two kinds");
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'-'
                    || b == b'.'),
                "`{code}` is not kebab-case"
            );
        }
    }
}

#[cfg(test)]
mod report_tests {
    use super::{Diagnostic, Kind, Report, SHOWN_PER_KIND, Severity};

    fn d(severity: Severity, kind: Kind, line: u32) -> Diagnostic {
        Diagnostic {
            severity,
            kind,
            file: "api.yaml".into(),
            line: Some(line),
            col: Some(3),
            pointer: format!("#/paths/~1p{line}/get"),
            message: format!("problem {line}"),
        }
    }

    #[test]
    fn many_warnings_of_one_kind_are_counted_once_and_errors_never() {
        let mut diagnostics = Vec::new();
        for line in 1..=1000 {
            diagnostics.push(d(Severity::Warning, Kind::MissingOperationId, line));
        }
        for line in [2000, 2001] {
            diagnostics.push(d(Severity::Warning, Kind::NameCollision, line));
        }
        for line in 3000..3010 {
            diagnostics.push(d(Severity::Error, Kind::DanglingRef, line));
        }
        let report = Report { diagnostics };
        let lines = report.lines(false);
        assert_eq!(lines.len(), SHOWN_PER_KIND + 2 + 10 + 1, "{lines:#?}");
        assert_eq!(
            lines[0],
            "api.yaml:1:3: warning: problem 1 (#/paths/~1p1/get)"
        );
        assert_eq!(
            lines.last().unwrap(),
            "api.yaml: warning: 997 more warnings of kind `missing-operation-id` like the 3 above, 1000 in all (`--verbose` or `SPECBIND_VERBOSE=1` lists every one)"
        );
        assert!(report.to_string().ends_with("\n10 errors, 1002 warnings"));
        assert_eq!(report.lines(true).len(), 1012);
        assert_eq!(report.verbose().to_string().lines().count(), 1013);
    }

    #[test]
    fn one_more_than_the_shown_warnings_is_listed_not_counted() {
        let diagnostics = (1..=SHOWN_PER_KIND as u32 + 1)
            .map(|line| d(Severity::Warning, Kind::Degraded, line))
            .collect();
        let report = Report { diagnostics };
        assert_eq!(report.lines(false), report.lines(true));
    }
}
