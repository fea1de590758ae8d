//! The parser: ECMA-262's `Pattern` grammar (22.2.1), with the `u` flag or with Annex B's
//! web-compatibility grammar (B.1.2), into a small syntax tree.

use crate::{Error, MAX_DEPTH};

/// A class escape: `\d`, `\w` or `\s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Perl {
    Digit,
    Word,
    Space,
}

/// A member of a character class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// Code points `lo..=hi` (a single one has `lo == hi`); may include surrogates.
    Range(u32, u32),
    /// `\d`, `\D`, `\w`, ... (`true`: negated).
    Perl(Perl, bool),
    /// `\p{...}` / `\P{...}` (`true`: negated).
    Prop(String, bool),
}

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Empty,
    /// One code point (a lone surrogate when the pattern names one).
    Char(u32),
    /// `.`
    Dot,
    /// `[...]`, `\d`, `\p{..}`, ...
    Class {
        negated: bool,
        items: Vec<Item>,
    },
    /// `^`
    Start,
    /// `$`
    End,
    /// `\b` (`true`) or `\B` (`false`).
    Boundary(bool),
    /// `(...)` (with its capture index), `(?<name>...)`, `(?:...)` (no index).
    Group(Option<usize>, Box<Node>),
    /// `(?=...)`, `(?!...)`, `(?<=...)`, `(?<!...)`.
    Look {
        ahead: bool,
        negated: bool,
        node: Box<Node>,
    },
    /// `\1`, `\k<name>`: the index of the group.
    Backref(usize),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    Concat(Vec<Node>),
    Alt(Vec<Node>),
}

/// A parsed pattern.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) node: Node,
    /// Valid with the `u` flag.
    pub(crate) unicode: bool,
}

/// Parses with the `u` flag, else with Annex B; the error reported is the `u` one when both
/// fail and Annex B gets further.
pub(crate) fn parse_any(src: &str) -> Result<Parsed, Error> {
    let chars: Vec<char> = src.chars().collect();
    match Parser::new(&chars, true).run() {
        Ok(node) => Ok(node),
        Err(strict) => Parser::new(&chars, false).run().map_err(|legacy| {
            if legacy.offset >= strict.offset {
                legacy
            } else {
                strict
            }
        }),
    }
}

const SYNTAX: &str = "^$\\.*+?()[]{}|";

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    /// `u` flag.
    u: bool,
    /// Whether `\k<name>` is a reference (the `u` flag, or the pattern has named groups).
    named: bool,
    /// Capturing groups in the whole pattern (for `\N` in Annex B).
    total: usize,
    /// Capturing groups opened so far.
    opened: usize,
    names: Vec<(String, usize)>,
    /// Named references to resolve at the end: (name, offset).
    pending: Vec<(String, usize)>,
    depth: usize,
}

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, Error> {
    Err(Error {
        message: message.into(),
        offset,
    })
}

impl<'a> Parser<'a> {
    fn new(s: &'a [char], u: bool) -> Self {
        let (total, has_names) = prescan(s);
        Self {
            s,
            i: 0,
            u,
            named: u || has_names,
            total,
            opened: 0,
            names: Vec::new(),
            pending: Vec::new(),
            depth: 0,
        }
    }

    fn run(mut self) -> Result<Parsed, Error> {
        let node = self.disjunction()?;
        if self.i < self.s.len() {
            // Only an unmatched `)` stops a disjunction early.
            return err("unmatched `)`", self.i);
        }
        let mut node = node;
        if !self.pending.is_empty() {
            resolve(&mut node, &self.names, &self.pending)?;
        }
        Ok(Parsed {
            node,
            unicode: self.u,
        })
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(k, c)| self.peek_at(k) == Some(c))
    }

    fn disjunction(&mut self) -> Result<Node, Error> {
        let mut alts = vec![self.alternative()?];
        while self.eat('|') {
            alts.push(self.alternative()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn alternative(&mut self) -> Result<Node, Error> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            terms.push(self.term()?);
        }
        Ok(match terms.len() {
            0 => Node::Empty,
            1 => terms.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(terms),
        })
    }

    fn term(&mut self) -> Result<Node, Error> {
        let start = self.i;
        let Some(c) = self.peek() else {
            return err("unexpected end of pattern", start);
        };
        // Assertions.
        match c {
            '^' => {
                self.i += 1;
                return Ok(Node::Start);
            }
            '$' => {
                self.i += 1;
                return Ok(Node::End);
            }
            '\\' if matches!(self.peek_at(1), Some('b' | 'B')) => {
                let b = self.peek_at(1) == Some('b');
                self.i += 2;
                return Ok(Node::Boundary(b));
            }
            '(' if self.starts_with("(?=")
                || self.starts_with("(?!")
                || self.starts_with("(?<=")
                || self.starts_with("(?<!") =>
            {
                let ahead = !self.starts_with("(?<");
                let negated = self.s[self.i + if ahead { 2 } else { 3 }] == '!';
                self.i += if ahead { 3 } else { 4 };
                let node = self.group_body(start)?;
                let look = Node::Look {
                    ahead,
                    negated,
                    node: Box::new(node),
                };
                // Annex B lets a lookahead take a quantifier.
                if ahead && !self.u {
                    return self.quantified(look);
                }
                if self.quantifier_ahead() {
                    return err("a lookaround assertion cannot be repeated", self.i);
                }
                return Ok(look);
            }
            _ => {}
        }
        let atom = match c {
            '(' => self.group(start)?,
            '.' => {
                self.i += 1;
                Node::Dot
            }
            '[' => self.class()?,
            '\\' => self.atom_escape()?,
            '*' | '+' | '?' => return err(format!("nothing to repeat before `{c}`"), start),
            '{' => {
                if self.u {
                    return err("a lone `{` must be escaped (`\\{`)", start);
                }
                if self.braced_quantifier().is_some() {
                    return err("nothing to repeat before `{`", start);
                }
                self.i += 1;
                Node::Char('{' as u32)
            }
            '}' | ']' => {
                if self.u {
                    return err(format!("a lone `{c}` must be escaped (`\\{c}`)"), start);
                }
                self.i += 1;
                Node::Char(c as u32)
            }
            c => {
                self.i += 1;
                Node::Char(c as u32)
            }
        };
        self.quantified(atom)
    }

    /// Whether a quantifier starts here.
    fn quantifier_ahead(&self) -> bool {
        matches!(self.peek(), Some('*' | '+' | '?'))
            || (self.peek() == Some('{') && self.braced_quantifier().is_some())
    }

    /// `{n}`, `{n,}`, `{n,m}` at the current position: (min, max, length in chars).
    fn braced_quantifier(&self) -> Option<(u32, Option<u32>, usize)> {
        let mut k = 1;
        let digits = |k: &mut usize| -> Option<u32> {
            let from = *k;
            let mut n: u64 = 0;
            while let Some(d) = self.peek_at(*k).and_then(|c| c.to_digit(10)) {
                n = (n * 10 + u64::from(d)).min(u64::from(u32::MAX));
                *k += 1;
            }
            (*k > from).then(|| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let min = digits(&mut k)?;
        let max = if self.peek_at(k) == Some(',') {
            k += 1;
            if self.peek_at(k) == Some('}') {
                None
            } else {
                Some(digits(&mut k)?)
            }
        } else {
            Some(min)
        };
        (self.peek_at(k) == Some('}')).then_some((min, max, k + 1))
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, Error> {
        let start = self.i;
        let (min, max) = match self.peek() {
            Some('*') => {
                self.i += 1;
                (0, None)
            }
            Some('+') => {
                self.i += 1;
                (1, None)
            }
            Some('?') => {
                self.i += 1;
                (0, Some(1))
            }
            Some('{') => match self.braced_quantifier() {
                Some((min, max, len)) => {
                    self.i += len;
                    (min, max)
                }
                None if self.u => return err("a lone `{` must be escaped (`\\{`)", start),
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        if max.is_some_and(|m| m < min) {
            return err("numbers out of order in `{}` quantifier", start);
        }
        let greedy = !self.eat('?');
        if self.quantifier_ahead() {
            return err(
                "nothing to repeat: a quantifier follows a quantifier",
                self.i,
            );
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    fn group(&mut self, start: usize) -> Result<Node, Error> {
        if self.starts_with("(?:") {
            self.i += 3;
            let node = self.group_body(start)?;
            return Ok(Node::Group(None, Box::new(node)));
        }
        if self.starts_with("(?<") {
            self.i += 3;
            let name = self.group_name()?;
            self.opened += 1;
            let index = self.opened;
            if self.names.iter().any(|(n, _)| *n == name) {
                return err(format!("duplicate group name `{name}`"), start);
            }
            self.names.push((name, index));
            let node = self.group_body(start)?;
            return Ok(Node::Group(Some(index), Box::new(node)));
        }
        if self.starts_with("(?") {
            return err(
                "unsupported group: expected `(?:`, `(?<name>`, `(?=`, `(?!`, `(?<=` or `(?<!`",
                start,
            );
        }
        self.i += 1;
        self.opened += 1;
        let index = self.opened;
        let node = self.group_body(start)?;
        Ok(Node::Group(Some(index), Box::new(node)))
    }

    /// The disjunction of a group whose opening was consumed, and its `)`.
    fn group_body(&mut self, start: usize) -> Result<Node, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(
                format!("groups nest more than {MAX_DEPTH} deep"),
                self.i.saturating_sub(1),
            );
        }
        let node = self.disjunction()?;
        self.depth -= 1;
        if !self.eat(')') {
            return err("unterminated group: `(` without `)`", start);
        }
        Ok(node)
    }

    /// `name>` of `(?<name>` or `\k<name>`.
    fn group_name(&mut self) -> Result<String, Error> {
        let start = self.i;
        let mut name = String::new();
        loop {
            match self.peek() {
                Some('>') => {
                    self.i += 1;
                    break;
                }
                Some(c)
                    if c == '$'
                        || c == '_'
                        || c.is_alphabetic()
                        || (!name.is_empty()
                            && (c.is_alphanumeric() || c == '\u{200c}' || c == '\u{200d}')) =>
                {
                    name.push(c);
                    self.i += 1;
                }
                _ => return err("invalid group name", start),
            }
        }
        if name.is_empty() {
            return err("empty group name", start);
        }
        Ok(name)
    }

    fn atom_escape(&mut self) -> Result<Node, Error> {
        let start = self.i;
        self.i += 1; // `\`
        let Some(c) = self.peek() else {
            return err("`\\` at the end of the pattern", start);
        };
        match c {
            '1'..='9' => {
                let from = self.i;
                let mut n: usize = 0;
                while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d as usize);
                    self.i += 1;
                }
                if n <= self.total {
                    return Ok(Node::Backref(n));
                }
                if self.u {
                    return err(
                        format!("`\\{n}` refers to a group that does not exist"),
                        start,
                    );
                }
                self.i = from;
                if matches!(c, '8' | '9') {
                    self.i += 1;
                    return Ok(Node::Char(c as u32));
                }
                Ok(Node::Char(self.legacy_octal()))
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.i += 1;
                Ok(Node::Class {
                    negated: false,
                    items: vec![perl(c)],
                })
            }
            'p' | 'P' if self.u => {
                let item = self.property()?;
                Ok(Node::Class {
                    negated: false,
                    items: vec![item],
                })
            }
            'k' if self.named => {
                self.i += 1;
                if !self.eat('<') {
                    return err("`\\k` must be followed by `<name>`", start);
                }
                let name = self.group_name()?;
                self.pending.push((name, start));
                // Resolved when every group is known.
                Ok(Node::Backref(0))
            }
            _ => self.character_escape(start, false).map(Node::Char),
        }
    }

    /// `\p{...}` or `\P{...}`, at the `p`.
    fn property(&mut self) -> Result<Item, Error> {
        let start = self.i - 1;
        let negated = self.peek() == Some('P');
        self.i += 1;
        if !self.eat('{') {
            return err("`\\p` must be followed by `{Property}`", start);
        }
        let mut name = String::new();
        loop {
            match self.peek() {
                Some('}') => {
                    self.i += 1;
                    break;
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '=' => {
                    name.push(c);
                    self.i += 1;
                }
                _ => return err("invalid Unicode property name", start),
            }
        }
        if name.is_empty() {
            return err("empty Unicode property name", start);
        }
        Ok(Item::Prop(name, negated))
    }

    /// A `CharacterEscape` after `\` (the current character is the one after it); in a class
    /// when `in_class`.
    fn character_escape(&mut self, start: usize, in_class: bool) -> Result<u32, Error> {
        let Some(c) = self.peek() else {
            return err("`\\` at the end of the pattern", start);
        };
        match c {
            'f' => {
                self.i += 1;
                Ok(0x0c)
            }
            'n' => {
                self.i += 1;
                Ok(0x0a)
            }
            'r' => {
                self.i += 1;
                Ok(0x0d)
            }
            't' => {
                self.i += 1;
                Ok(0x09)
            }
            'v' => {
                self.i += 1;
                Ok(0x0b)
            }
            'c' => match self.peek_at(1) {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.i += 2;
                    Ok(l as u32 % 32)
                }
                Some(l) if in_class && !self.u && (l.is_ascii_digit() || l == '_') => {
                    self.i += 2;
                    Ok(l as u32 % 32)
                }
                _ if self.u => err("`\\c` must be followed by a letter", start),
                // Annex B: the `\` is itself, and `c` is read next.
                _ => Ok('\\' as u32),
            },
            '0' if !self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => {
                self.i += 1;
                Ok(0)
            }
            '0'..='9' => {
                if self.u {
                    return err("octal escapes are not allowed with the `u` flag", start);
                }
                if matches!(c, '8' | '9') {
                    self.i += 1;
                    return Ok(c as u32);
                }
                Ok(self.legacy_octal())
            }
            'x' => match (self.hex_at(1), self.hex_at(2)) {
                (Some(h), Some(l)) => {
                    self.i += 3;
                    Ok(h * 16 + l)
                }
                _ if self.u => err("`\\x` must be followed by two hex digits", start),
                _ => {
                    self.i += 1;
                    Ok('x' as u32)
                }
            },
            'u' => self.unicode_escape(start),
            c if self.u => {
                if SYNTAX.contains(c) || c == '/' || (in_class && c == '-') {
                    self.i += 1;
                    Ok(c as u32)
                } else {
                    err(format!("invalid escape `\\{c}`"), start)
                }
            }
            c => {
                self.i += 1;
                Ok(c as u32)
            }
        }
    }

    fn hex_at(&self, k: usize) -> Option<u32> {
        self.peek_at(k).and_then(|c| c.to_digit(16))
    }

    fn hex4_at(&self, k: usize) -> Option<u32> {
        let mut v = 0;
        for j in 0..4 {
            v = v * 16 + self.hex_at(k + j)?;
        }
        Some(v)
    }

    /// `\u` escapes, at the `u`.
    fn unicode_escape(&mut self, start: usize) -> Result<u32, Error> {
        if self.u && self.peek_at(1) == Some('{') {
            let mut k = 2;
            let mut v: u32 = 0;
            while let Some(h) = self.hex_at(k) {
                v = v.saturating_mul(16).saturating_add(h);
                k += 1;
            }
            if k == 2 || self.peek_at(k) != Some('}') || v > 0x10ffff {
                return err("invalid `\\u{...}` escape", start);
            }
            self.i += k + 1;
            return Ok(v);
        }
        let Some(v) = self.hex4_at(1) else {
            if self.u {
                return err(
                    "`\\u` must be followed by four hex digits or `{...}`",
                    start,
                );
            }
            self.i += 1;
            return Ok('u' as u32);
        };
        self.i += 5;
        // A surrogate pair written as two escapes is one code point.
        if (0xd800..0xdc00).contains(&v) && self.starts_with("\\u") {
            if let Some(lo) = self.hex4_at(2).filter(|lo| (0xdc00..0xe000).contains(lo)) {
                self.i += 6;
                return Ok(0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00));
            }
        }
        Ok(v)
    }

    /// Annex B's `LegacyOctalEscapeSequence`, at its first digit.
    fn legacy_octal(&mut self) -> u32 {
        let oct = |c: Option<char>| c.and_then(|c| c.to_digit(8));
        let Some(d1) = oct(self.peek()) else {
            return 0;
        };
        self.i += 1;
        let mut v = d1;
        let more = if d1 <= 3 { 2 } else { 1 };
        for _ in 0..more {
            match oct(self.peek()) {
                Some(d) => {
                    v = v * 8 + d;
                    self.i += 1;
                }
                None => break,
            }
        }
        v
    }

    fn class(&mut self) -> Result<Node, Error> {
        let start = self.i;
        self.i += 1;
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => return err("unterminated character class: `[` without `]`", start),
                Some(']') => {
                    self.i += 1;
                    break;
                }
                _ => {}
            }
            let first = self.class_atom()?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                let dash = self.i;
                self.i += 1;
                let second = self.class_atom()?;
                match (first, second) {
                    (Item::Range(a, _), Item::Range(b, _)) => {
                        if a > b {
                            return err("range out of order in character class", dash);
                        }
                        items.push(Item::Range(a, b));
                    }
                    (a, b) => {
                        if self.u {
                            return err(
                                "a class escape cannot be a bound of a character class range",
                                dash,
                            );
                        }
                        items.push(a);
                        items.push(Item::Range('-' as u32, '-' as u32));
                        items.push(b);
                    }
                }
            } else {
                items.push(first);
            }
        }
        Ok(Node::Class { negated, items })
    }

    fn class_atom(&mut self) -> Result<Item, Error> {
        let start = self.i;
        let Some(c) = self.peek() else {
            return err("unterminated character class: `[` without `]`", start);
        };
        if c != '\\' {
            self.i += 1;
            return Ok(Item::Range(c as u32, c as u32));
        }
        self.i += 1;
        let Some(e) = self.peek() else {
            return err("`\\` at the end of the pattern", start);
        };
        let one = |v: u32| Ok(Item::Range(v, v));
        match e {
            'b' => {
                self.i += 1;
                one(0x08)
            }
            '-' => {
                self.i += 1;
                one('-' as u32)
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.i += 1;
                Ok(perl(e))
            }
            'p' | 'P' if self.u => self.property(),
            _ => {
                let v = self.character_escape(start, true)?;
                one(v)
            }
        }
    }
}

fn perl(c: char) -> Item {
    let kind = match c.to_ascii_lowercase() {
        'd' => Perl::Digit,
        'w' => Perl::Word,
        _ => Perl::Space,
    };
    Item::Perl(kind, c.is_ascii_uppercase())
}

/// Counts capturing groups and tells whether any is named, without parsing.
fn prescan(s: &[char]) -> (usize, bool) {
    let (mut total, mut named, mut in_class) = (0, false, false);
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => {
                if s.get(i + 1) != Some(&'?') {
                    total += 1;
                } else if s.get(i + 2) == Some(&'<') && !matches!(s.get(i + 3), Some('=' | '!')) {
                    total += 1;
                    named = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (total, named)
}

/// Replaces the placeholder of each `\k<name>`, in order, with the group's index.
fn resolve(
    node: &mut Node,
    names: &[(String, usize)],
    pending: &[(String, usize)],
) -> Result<(), Error> {
    let mut indexes = Vec::with_capacity(pending.len());
    for (name, offset) in pending {
        match names.iter().find(|(n, _)| n == name) {
            Some((_, i)) => indexes.push(*i),
            None => return err(format!("`\\k<{name}>` names no group"), *offset),
        }
    }
    let mut next = indexes.into_iter();
    // The placeholders were pushed in source order; a pre-order walk meets them in that order.
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n {
            Node::Backref(i) if *i == 0 => *i = next.next().unwrap_or(0),
            Node::Group(_, inner) | Node::Repeat { node: inner, .. } => stack.push(inner),
            Node::Look { node: inner, .. } => stack.push(inner),
            Node::Concat(v) | Node::Alt(v) => stack.extend(v.iter_mut().rev()),
            _ => {}
        }
    }
    Ok(())
}
