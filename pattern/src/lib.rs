//! ECMA-262 regular expressions as JSON Schema uses them (`pattern`, `format: regex`), read
//! exactly and translated for engines that cannot be stalled.
//!
//! JSON Schema says a `pattern` is an ECMA-262 regular expression, with Unicode semantics (the
//! `u` flag). [`translate`] parses one, with the `u` flag when the pattern is valid with it,
//! else with the web-compatibility syntax of ECMA-262's Annex B (which most specs in the wild
//! were written against), and writes the same language in the syntax of another engine:
//!
//! - [`Engine::Linear`]: the `regex` crate, which matches in time linear in the input. Every
//!   pattern without lookaround or backreferences gets this one.
//! - [`Engine::Backtracking`]: `fancy-regex`, for patterns with lookaround or
//!   backreferences, which no finite automaton expresses. Run it with a backtracking budget.
//!
//! What differs between ECMA-262 and those engines is written out, never left to chance:
//! `\d`, `\w`, `\s` and `.` become the explicit classes ECMA-262 defines, `\b` is the ASCII
//! word boundary, `\uXXXX` and `\u{...}` become code points, a class's `[` is a literal, a
//! reference to a group that did not take part matches the empty string, and so on. Where a
//! translation cannot keep a meaning exactly, [`Translation::caveats`] says so in words.
//!
//! Annex B patterns are read as JSON Schema asks, by code points: for text without characters
//! outside the Basic Multilingual Plane that is what a JavaScript engine does without the `u`
//! flag, character for character.

mod parse;
mod render;

/// Which engine a translated pattern is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// The `regex` crate: linear time in the input.
    Linear,
    /// `fancy-regex` (lookaround, backreferences): backtracking, to be run with a budget.
    Backtracking,
}

/// An ECMA-262 pattern, translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The engine the translation is written for.
    pub engine: Engine,
    /// The pattern in that engine's syntax, matching the same strings.
    pub regex: String,
    /// Whether the pattern is valid with the `u` flag (else it was read with Annex B's syntax).
    pub unicode: bool,
    /// Why the backtracking engine is needed (`lookahead`, `lookbehind`, `backreference`),
    /// for [`Engine::Backtracking`].
    pub needs: Vec<&'static str>,
    /// Where the translation's meaning differs from ECMA-262's, in words; empty when it is
    /// exact.
    pub caveats: Vec<String>,
}

/// A pattern that is not an ECMA-262 regular expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {offset}")]
pub struct Error {
    /// What is wrong.
    pub message: String,
    /// The 0-based index of the character (code point) where it was found.
    pub offset: usize,
}

/// How deeply groups may nest: a bound on the parser's stack for any input.
pub const MAX_DEPTH: usize = 256;

/// Parses `pattern` as ECMA-262 (with the `u` flag when it is valid with it, else with Annex
/// B's syntax) and translates it.
pub fn translate(pattern: &str) -> Result<Translation, Error> {
    let parsed = parse::parse_any(pattern)?;
    Ok(render::render(&parsed))
}

/// Checks that `pattern` is an ECMA-262 regular expression (with the `u` flag, or with Annex
/// B's syntax), as `format: regex` asks. Costs time linear in its length, whatever it is.
pub fn validate(pattern: &str) -> Result<(), Error> {
    parse::parse_any(pattern).map(|_| ())
}

#[cfg(test)]
mod tests;
