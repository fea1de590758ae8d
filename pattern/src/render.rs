//! The syntax tree written for the `regex` crate (linear) or `fancy-regex` (backtracking),
//! with ECMA-262's meaning spelt out.

use std::fmt::Write as _;

use crate::parse::{Item, Node, Parsed, Perl};
use crate::{Engine, Translation};

/// ECMA-262's `WhiteSpace` and `LineTerminator`: what `\s` matches.
const SPACE: &str =
    r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
/// `\w`: the basic word characters (without the `i` flag, even with `u`).
const WORD: &str = "0-9A-Za-z_";
/// `\d`.
const DIGIT: &str = "0-9";
/// `.`: everything but line terminators.
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
/// A class that matches nothing: a lone surrogate never occurs in a Rust string.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";
/// A class that matches any character (`[^]`).
const ANY: &str = r"[\x{0}-\x{10FFFF}]";

pub(crate) fn render(parsed: &Parsed) -> Translation {
    let mut needs = Vec::new();
    let mut caveats = Vec::new();
    scan(&parsed.node, &mut needs, &mut caveats, 0, parsed);
    let engine = if needs.is_empty() {
        Engine::Linear
    } else {
        Engine::Backtracking
    };
    let mut out = String::new();
    Writer {
        out: &mut out,
        fancy: engine == Engine::Backtracking,
    }
    .node(&parsed.node);
    Translation {
        engine,
        regex: out,
        unicode: parsed.unicode,
        needs,
        caveats,
    }
}

/// Finds what needs backtracking, and where a translation is not exact. `repeated` counts
/// the enclosing quantifiers that can repeat.
fn scan(
    node: &Node,
    needs: &mut Vec<&'static str>,
    caveats: &mut Vec<String>,
    repeated: usize,
    parsed: &Parsed,
) {
    let mut need = |what: &'static str| {
        if !needs.contains(&what) {
            needs.push(what);
        }
    };
    match node {
        Node::Look { ahead, node, .. } => {
            need(if *ahead { "lookahead" } else { "lookbehind" });
            scan(node, needs, caveats, repeated, parsed);
        }
        Node::Backref(i) => {
            need("backreference");
            if repeated > 0 && group_in_repeat(&parsed.node, *i) {
                let c = format!(
                    "`\\{i}` refers to a group inside a repetition: ECMA-262 forgets the group's \
                     text at each new repetition, the backtracking engine keeps the last one"
                );
                if !caveats.contains(&c) {
                    caveats.push(c);
                }
            }
        }
        Node::Group(_, inner) => scan(inner, needs, caveats, repeated, parsed),
        Node::Repeat { node, max, .. } => {
            let more = usize::from(max.is_none_or(|m| m > 1));
            scan(node, needs, caveats, repeated + more, parsed);
        }
        Node::Concat(v) | Node::Alt(v) => {
            for n in v {
                scan(n, needs, caveats, repeated, parsed);
            }
        }
        _ => {}
    }
}

/// Whether group `index` is inside a quantifier that can repeat.
fn group_in_repeat(node: &Node, index: usize) -> bool {
    fn walk(node: &Node, index: usize, repeated: bool) -> bool {
        match node {
            Node::Group(Some(i), inner) if *i == index => repeated || walk(inner, index, repeated),
            Node::Group(_, inner) | Node::Look { node: inner, .. } => walk(inner, index, repeated),
            Node::Repeat { node, max, .. } => {
                walk(node, index, repeated || max.is_none_or(|m| m > 1))
            }
            Node::Concat(v) | Node::Alt(v) => v.iter().any(|n| walk(n, index, repeated)),
            _ => false,
        }
    }
    walk(node, index, false)
}

struct Writer<'a> {
    out: &'a mut String,
    fancy: bool,
}

fn perl_set(kind: Perl) -> &'static str {
    match kind {
        Perl::Digit => DIGIT,
        Perl::Word => WORD,
        Perl::Space => SPACE,
    }
}

fn is_surrogate(c: u32) -> bool {
    (0xd800..0xe000).contains(&c)
}

impl Writer<'_> {
    fn node(&mut self, node: &Node) {
        match node {
            Node::Empty => {}
            Node::Char(c) => self.literal(*c),
            Node::Dot => self.out.push_str(DOT),
            Node::Class { negated, items } => self.class(*negated, items),
            Node::Start => self.out.push('^'),
            Node::End => self.out.push('$'),
            // fancy-regex cannot switch Unicode off inside a pattern: it gets the boundary
            // spelt out with lookaround.
            Node::Boundary(true) if self.fancy => self.out.push_str(concat!(
                r"(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])",
                r"|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"
            )),
            Node::Boundary(false) if self.fancy => self.out.push_str(concat!(
                r"(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])",
                r"|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"
            )),
            Node::Boundary(true) => self.out.push_str(r"(?-u:\b)"),
            Node::Boundary(false) => self.out.push_str(r"(?-u:\B)"),
            Node::Group(index, inner) => {
                self.out.push_str(if self.fancy && index.is_some() {
                    "("
                } else {
                    "(?:"
                });
                self.node(inner);
                self.out.push(')');
            }
            Node::Look {
                ahead,
                negated,
                node,
            } => {
                self.out.push_str(match (ahead, negated) {
                    (true, false) => "(?=",
                    (true, true) => "(?!",
                    (false, false) => "(?<=",
                    (false, true) => "(?<!",
                });
                self.node(node);
                self.out.push(')');
            }
            // ECMA-262: a reference to a group that has not matched matches the empty string.
            Node::Backref(i) => {
                let _ = write!(self.out, r"(?({i})\{i}|)");
            }
            // Annex B's repeated lookahead: an iteration matches nothing, so ECMA-262's empty
            // check rejects every optional one; a required one is the assertion once. The
            // groups inside keep their numbers.
            Node::Repeat { node, min, .. } if matches!(**node, Node::Look { .. }) => {
                self.out.push_str("(?:");
                self.node(node);
                self.out.push_str(if *min == 0 { "(?!)|)" } else { ")" });
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                // One character, a class or a group repeats as it is.
                let unit = matches!(
                    **node,
                    Node::Char(_) | Node::Dot | Node::Class { .. } | Node::Group(..)
                );
                if unit {
                    self.node(node);
                } else {
                    self.out.push_str("(?:");
                    self.node(node);
                    self.out.push(')');
                }
                let _ = match (min, max) {
                    (0, None) => write!(self.out, "*"),
                    (1, None) => write!(self.out, "+"),
                    (0, Some(1)) => write!(self.out, "?"),
                    (n, None) => write!(self.out, "{{{n},}}"),
                    (n, Some(m)) if n == m => write!(self.out, "{{{n}}}"),
                    (n, Some(m)) => write!(self.out, "{{{n},{m}}}"),
                };
                if !greedy {
                    self.out.push('?');
                }
            }
            Node::Concat(v) => v.iter().for_each(|n| self.node(n)),
            Node::Alt(v) => {
                for (i, n) in v.iter().enumerate() {
                    if i > 0 {
                        self.out.push('|');
                    }
                    self.node(n);
                }
            }
        }
    }

    fn literal(&mut self, c: u32) {
        if is_surrogate(c) {
            self.out.push_str(NOTHING);
            return;
        }
        match char::from_u32(c) {
            Some(ch) if ch.is_ascii_alphanumeric() || ch == '_' => self.out.push(ch),
            Some(ch) if r"\.+*?()|[]{}^$#&-~".contains(ch) => {
                self.out.push('\\');
                self.out.push(ch);
            }
            Some(ch) if ch.is_ascii_graphic() || ch == ' ' => self.out.push(ch),
            _ => {
                let _ = write!(self.out, r"\x{{{c:X}}}");
            }
        }
    }

    fn class_char(&mut self, c: u32) {
        match char::from_u32(c) {
            Some(ch) if ch.is_ascii_alphanumeric() || ch == '_' || ch == ' ' => self.out.push(ch),
            Some(ch) if ch.is_ascii_punctuation() => {
                self.out.push('\\');
                self.out.push(ch);
            }
            _ => {
                let _ = write!(self.out, r"\x{{{c:X}}}");
            }
        }
    }

    fn class(&mut self, negated: bool, items: &[Item]) {
        // Surrogates never occur in a Rust string: cut them out of ranges.
        let mut kept: Vec<&Item> = Vec::new();
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for item in items {
            match item {
                Item::Range(lo, hi) => {
                    if *lo < 0xd800 {
                        ranges.push((*lo, (*hi).min(0xd7ff)));
                    }
                    if *hi >= 0xe000 {
                        ranges.push(((*lo).max(0xe000), *hi));
                    }
                }
                other => kept.push(other),
            }
        }
        if kept.is_empty() && ranges.is_empty() {
            self.out.push_str(if negated { ANY } else { NOTHING });
            return;
        }
        if let ([Item::Perl(kind, true)], [], false) = (kept.as_slice(), ranges.as_slice(), negated)
        {
            let _ = write!(self.out, "[^{}]", perl_set(*kind));
            return;
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        for (lo, hi) in ranges {
            self.class_char(lo);
            if hi != lo {
                self.out.push('-');
                self.class_char(hi);
            }
        }
        for item in kept {
            match item {
                Item::Perl(kind, neg) => {
                    let set = perl_set(*kind);
                    if *neg {
                        let _ = write!(self.out, "[^{set}]");
                    } else {
                        self.out.push_str(set);
                    }
                }
                Item::Prop(name, neg) => {
                    let _ = write!(self.out, r"\{}{{{name}}}", if *neg { 'P' } else { 'p' });
                }
                Item::Range(..) => {}
            }
        }
        self.out.push(']');
    }
}
