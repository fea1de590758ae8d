//! Diagnostics: every problem found in a spec, with its file, line and JSON pointer.
//!
//! Problems are collected in a [`Ctxt`] and reported once, all together, the way
//! `serde_derive` collects its errors.

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

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        let errors = self.error_count();
        let warnings = self.diagnostics.len() - errors;
        write!(
            f,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )
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
    raw: Vec<(Severity, Loc, String)>,
}

impl Ctxt {
    /// Records an error at `loc`.
    pub fn error(&mut self, loc: &Loc, msg: impl Into<String>) {
        self.raw.push((Severity::Error, loc.clone(), msg.into()));
    }

    /// Records a warning at `loc`.
    pub fn warn(&mut self, loc: &Loc, msg: impl Into<String>) {
        self.raw.push((Severity::Warning, loc.clone(), msg.into()));
    }

    /// Whether an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.raw.iter().any(|(s, _, _)| *s == Severity::Error)
    }

    /// Takes the recorded diagnostics, resolving lines through `docs`.
    pub(crate) fn finish(self, docs: &crate::load::Docs) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .raw
            .into_iter()
            .map(|(severity, loc, message)| {
                let (file, pos) = docs.position(&loc);
                Diagnostic {
                    severity,
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
