//! A fast path for the commonest `pattern`s: a whole string made of character classes with
//! counts (`^[a-z][a-z0-9-]*$`, `^[0-9]{1,18}$`, `^secrets/[0-9a-f]{32}$`). Such a pattern is
//! matched by one pass per piece over the string instead of the backtracking `regress`
//! engine; any other pattern is left to `regress`.
//!
//! Supported: `^` ... `$` around pieces; a piece is a literal character (letters, digits, and
//! `-_/:@,;=!%&~'"<>#` or an escaped `\.` `\-` `\/` `\+` ...), `\d`, `\w`, or a class `[...]`
//! of ASCII characters, ranges and `\d` `\w` (not negated), followed by `*`, `+`, `?`,
//! `{n}`, `{n,}` or `{n,m}`.

/// One character class with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    /// Which ASCII characters match (bit per code point 0..128).
    class: u128,
    min: usize,
    max: usize,
}

/// An anchored sequence of pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Simple {
    pieces: Vec<Piece>,
}

const DIGITS: u128 = ((1u128 << 10) - 1) << b'0';

fn word() -> u128 {
    let mut c = DIGITS | (1u128 << b'_');
    for b in b'a'..=b'z' {
        c |= 1u128 << b;
    }
    for b in b'A'..=b'Z' {
        c |= 1u128 << b;
    }
    c
}

/// The class of an escape `\x` inside or outside a class, if it is one we handle.
fn escape(c: char) -> Option<u128> {
    match c {
        'd' => Some(DIGITS),
        'w' => Some(word()),
        c if c.is_ascii_punctuation() => Some(1u128 << (c as u8)),
        _ => None,
    }
}

fn literal(c: char) -> Option<u128> {
    (c.is_ascii_alphanumeric() || "-_/:@,;=!%&~'\"<># ".contains(c)).then(|| 1u128 << (c as u8))
}

impl Simple {
    /// The pattern as pieces, or `None` when `regress` must match it.
    pub(crate) fn parse(src: &str) -> Option<Self> {
        let body = src.strip_prefix('^')?.strip_suffix('$')?;
        if body.ends_with('\\') {
            return None;
        }
        let mut chars = body.chars().peekable();
        let mut pieces = Vec::new();
        while let Some(c) = chars.next() {
            let class = match c {
                '\\' => escape(chars.next()?)?,
                '[' => {
                    let mut class = 0u128;
                    let mut first = true;
                    loop {
                        let c = chars.next()?;
                        let lo = match c {
                            ']' if !first => break,
                            '^' if first => return None,
                            '\\' => {
                                let e = chars.next()?;
                                match e {
                                    'd' | 'w' => {
                                        class |= escape(e)?;
                                        first = false;
                                        continue;
                                    }
                                    e if e.is_ascii_punctuation() => e,
                                    _ => return None,
                                }
                            }
                            '[' => return None,
                            c if c.is_ascii() && !c.is_ascii_control() => c,
                            _ => return None,
                        };
                        first = false;
                        if chars.peek() == Some(&'-') {
                            chars.next();
                            match chars.peek() {
                                Some(']') => {
                                    class |= (1u128 << (lo as u8)) | (1u128 << b'-');
                                    continue;
                                }
                                Some(&hi) if hi.is_ascii_alphanumeric() && hi >= lo => {
                                    chars.next();
                                    for b in (lo as u8)..=(hi as u8) {
                                        class |= 1u128 << b;
                                    }
                                }
                                _ => return None,
                            }
                        } else {
                            class |= 1u128 << (lo as u8);
                        }
                    }
                    class
                }
                c => literal(c)?,
            };
            let (min, max) = match chars.peek() {
                Some('*') => (0, usize::MAX),
                Some('+') => (1, usize::MAX),
                Some('?') => (0, 1),
                Some('{') => {
                    chars.next();
                    let mut spec = String::new();
                    loop {
                        match chars.next()? {
                            '}' => break,
                            c if c.is_ascii_digit() || c == ',' => spec.push(c),
                            _ => return None,
                        }
                    }
                    let (min, max) = match spec.split_once(',') {
                        None => {
                            let n = spec.parse().ok()?;
                            (n, n)
                        }
                        Some((a, "")) => (a.parse().ok()?, usize::MAX),
                        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                    };
                    if min > max {
                        return None;
                    }
                    pieces.push(Piece { class, min, max });
                    // Lazy or possessive forms are not ours.
                    if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) {
                        return None;
                    }
                    continue;
                }
                _ => (1, 1),
            };
            if (min, max) != (1, 1) {
                chars.next();
            }
            if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) {
                return None;
            }
            pieces.push(Piece { class, min, max });
        }
        Some(Self { pieces })
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        // ASCII only: any other character is in none of our classes.
        let bytes = s.as_bytes();
        if !s.is_ascii() {
            return false;
        }
        let n = bytes.len();
        // `reach[p]`: the pieces so far can end at byte `p`.
        let mut reach = vec![false; n + 1];
        reach[0] = true;
        let mut next = vec![false; n + 1];
        for piece in &self.pieces {
            next.iter_mut().for_each(|r| *r = false);
            let mut any = false;
            // Run lengths of the class ending... computed from each start going right.
            let mut p = 0;
            while p <= n {
                if reach[p] {
                    let mut len = 0;
                    while len < piece.max
                        && p + len < n
                        && piece.class & (1u128 << bytes[p + len]) != 0
                    {
                        len += 1;
                        if len >= piece.min {
                            next[p + len] = true;
                        }
                    }
                    if piece.min == 0 {
                        next[p] = true;
                    }
                    any |= len >= piece.min;
                }
                p += 1;
            }
            if !any {
                return false;
            }
            std::mem::swap(&mut reach, &mut next);
        }
        reach[n]
    }
}

#[cfg(test)]
mod tests {
    use super::Simple;

    #[test]
    fn what_is_simple() {
        for p in [
            "^[a-z][a-z0-9-]*$",
            "^[0-9]{1,18}$",
            "^secrets/[0-9a-f]{32}$",
            "^\\d{3}-\\d{4}$",
            "^[A-Za-z_][\\w.-]{0,63}$",
            "^v[0-9]+\\.[0-9]+$",
        ] {
            assert!(Simple::parse(p).is_some(), "{p}");
        }
        for p in [
            "[a-z]+",
            "^[^a-z]+$",
            "^(ab)+$",
            "^a|b$",
            "^a+?$",
            "^\\s+$",
            "^é+$",
            "^[a-z]{3,1}$",
        ] {
            assert!(Simple::parse(p).is_none(), "{p}");
        }
    }

    /// Every string of a small alphabet up to length 6 is matched as `regress` matches it.
    #[test]
    fn agrees_with_regress() {
        let patterns = [
            "^[a-z][a-z0-9-]*$",
            "^[a-b]*b$",
            "^a?b{2,3}[ab]*$",
            "^[0-9]{1,3}$",
            "^\\d+-?\\d*$",
            "^[ab-]+$",
            "^[-a]{2}b?$",
            "^a{0,}b{1,}$",
            "^$",
            "^a*a*a*b$",
        ];
        let alphabet = ['a', 'b', '0', '1', '-', 'Z', 'é'];
        for src in patterns {
            let simple = Simple::parse(src).unwrap_or_else(|| panic!("{src} is simple"));
            let re = regress::Regex::with_flags(src, "u").expect("compiles");
            let mut words = vec![String::new()];
            for _ in 0..6 {
                let mut longer = Vec::new();
                for w in &words {
                    for c in alphabet {
                        let mut w = w.clone();
                        w.push(c);
                        longer.push(w);
                    }
                }
                for w in words.iter().chain(&longer) {
                    assert_eq!(simple.is_match(w), re.find(w).is_some(), "{src} on {w:?}");
                }
                words = longer;
                if words.len() > 20_000 {
                    break;
                }
            }
        }
    }
}
