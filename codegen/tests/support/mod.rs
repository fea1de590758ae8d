//! Shared helpers of the codegen tests.
#![allow(dead_code, reason = "each test binary uses a part of these helpers")]

use std::path::{Path, PathBuf};

use specbind_codegen::SourceReader;

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads paths relative to the workspace root, so reports name `specs/...`.
pub(crate) struct Rooted;

impl SourceReader for Rooted {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(root().join(path))
    }
}

/// Spec files directly in `dir` (relative to the root), sorted.
pub(crate) fn specs_in(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("spec folder exists")
        .flatten()
        .map(|e| Path::new(dir).join(e.file_name()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    out.sort();
    out
}

/// Compares `actual` with the file at `expected` (relative to the root); with
/// `SPECBIND_BLESS=1` writes it instead. Returns a description of the mismatch.
pub(crate) fn compare(expected: &Path, actual: &str) -> Result<(), String> {
    let path = root().join(expected);
    if std::env::var_os("SPECBIND_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("can create");
        std::fs::write(&path, actual).expect("can write");
        return Ok(());
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old == actual {
        return Ok(());
    }
    let mut diff = String::new();
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), actual.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    for i in first.saturating_sub(3)..(first + 8).min(a.len().max(b.len())) {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => diff.push_str(&format!("  {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    diff.push_str(&format!("- {x}\n"));
                }
                if let Some(y) = y {
                    diff.push_str(&format!("+ {y}\n"));
                }
            }
        }
    }
    Err(format!(
        "{} differs from the generated output (line {}):\n{diff}\nrun with SPECBIND_BLESS=1 to accept the new output",
        expected.display(),
        first + 1
    ))
}
