//! The translation against `regress` (an ECMA-262 engine) on every string of a small alphabet,
//! pattern by pattern: each construct ECMA-262 and the `regex` crate read differently.

use crate::{Engine, translate, validate};

/// The translation, compiled for its engine.
enum Ours {
    Linear(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

impl Ours {
    fn new(t: &crate::Translation) -> Self {
        let r = &t.regex;
        match t.engine {
            Engine::Linear => Self::Linear(
                regex::Regex::new(r).unwrap_or_else(|e| panic!("{r:?} does not compile: {e}")),
            ),
            Engine::Backtracking => Self::Backtracking(
                fancy_regex::Regex::new(r)
                    .unwrap_or_else(|e| panic!("{r:?} does not compile: {e}")),
            ),
        }
    }

    fn is_match(&self, s: &str) -> bool {
        match self {
            Self::Linear(re) => re.is_match(s),
            Self::Backtracking(re) => re.is_match(s).expect("within the budget"),
        }
    }
}

/// Every string of `alphabet` up to `len` characters.
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        let mut next = Vec::new();
        for s in &last {
            for c in alphabet {
                let mut t = s.clone();
                t.push(*c);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        last = next;
    }
    out
}

/// `pattern` on every string of `alphabet` up to `len`: the translation answers as regress.
fn agrees(pattern: &str, alphabet: &str, len: usize, engine: Engine) {
    let t = translate(pattern).unwrap_or_else(|e| panic!("{pattern:?}: {e}"));
    assert_eq!(t.engine, engine, "{pattern:?} → {:?}", t.regex);
    let re = if t.unicode {
        regress::Regex::with_flags(pattern, "u")
    } else {
        regress::Regex::new(pattern)
    }
    .unwrap_or_else(|e| panic!("regress does not read {pattern:?}: {e}"));
    let alphabet: Vec<char> = alphabet.chars().collect();
    let ours = Ours::new(&t);
    let mut checked = 0;
    for s in strings(&alphabet, len) {
        // Without `u`, a JavaScript engine reads UTF-16 code units; JSON Schema asks for code
        // points, which is what the translation matches. They agree on the BMP.
        if !t.unicode && s.chars().any(|c| c as u32 > 0xffff) {
            continue;
        }
        let want = re.find(&s).is_some();
        assert_eq!(
            ours.is_match(&s),
            want,
            "{pattern:?} (as {:?}) on {s:?}: regress says {want}",
            t.regex
        );
        checked += 1;
    }
    assert!(checked > alphabet.len(), "{pattern:?}: too few strings");
}

const L: Engine = Engine::Linear;
const B: Engine = Engine::Backtracking;

#[test]
fn classes_as_ecma_262_defines_them() {
    // `\d` and `\w` are ASCII; Unicode digits and letters are not in them.
    agrees(r"^\d+$", "0٣9a", 4, L);
    agrees(r"^\w+$", "aZ_é0-", 4, L);
    agrees(r"^\D\W$", "a0é_", 3, L);
    // `\s`: ECMA-262's white space and line terminators; U+0085 is not one of them.
    agrees(r"^\s$", " \t\n\u{a0}\u{85}\u{2028}\u{feff}\u{1680}a", 2, L);
    agrees(r"^\S+$", " a\u{85}\u{3000}", 3, L);
    agrees(r"^[\s\S]$", " a\n", 2, L);
    agrees(r"^[^\s]$", " a\u{a0}", 2, L);
    agrees(r"^[\S]$", " a\u{a0}", 2, L);
    // `.` stops at every ECMA-262 line terminator, and matches an astral code point whole.
    agrees(r"^.$", "a\n\r\u{2028}\u{2029}\u{85}😀", 2, L);
    agrees(r"^\p{L}+$", "aé1😀ж", 3, L);
    agrees(r"^\P{L}$", "aé1😀", 2, L);
    agrees(r"^\p{Script=Greek}$", "aαж", 2, L);
    agrees(r"^\p{Lu}\p{Ll}$", "AaÉé1", 3, L);
}

#[test]
fn anchors_and_boundaries() {
    // `$` is the end of the input only, not before a final newline.
    agrees(r"a$", "a\nb", 3, L);
    agrees(r"^a", "a\nb", 3, L);
    agrees(r"^a|b$", "abc", 3, L);
    agrees(r"^$", "a", 2, L);
    // `\b` is an ASCII word boundary: `é` is not a word character.
    agrees(r"\bfoo\b", "fo é_", 5, L);
    agrees(r"\Ba\B", "a b_é", 4, L);
    // The same with the backtracking engine, which spells the boundary out.
    agrees(r"(?=a)\bfoo\b", "fo é_", 5, B);
    agrees(r"(?=a)\Ba\B", "a b_é", 4, B);
}

#[test]
fn escapes() {
    agrees(r"^\u0041\x42$", "AB", 3, L);
    agrees(r"^\u{1F600}$", "😀a", 2, L);
    agrees(r"^\uD83D\uDE00$", "😀a", 2, L);
    agrees(r"^\t\n\v\f\r\0$", "\t\n\u{b}\u{c}\r\0", 6, L);
    agrees(r"^\cJ\ca$", "\n\u{1}a", 3, L);
    agrees(r"^[\cJ]$", "\nJc", 2, L);
    agrees(
        r"^\/\.\*\+\?\(\)\[\]\{\}\|\^\$\\$",
        "/.*+?()[]{}|^$\\",
        2,
        L,
    );
    agrees(r"^#\ $", "# ", 2, L);
    agrees(r"^&-~$", "&-~", 3, L);
}

#[test]
fn classes_with_ecma_syntax() {
    // `[` is a literal in a class, `&&` and `~~` are not set operations.
    agrees(r"^[a[b]$", "a[b]", 2, L);
    agrees(r"^[a&&b]$", "a&b", 2, L);
    agrees(r"^[~~]$", "~a", 2, L);
    agrees(r"^[a-]$", "a-b", 2, L);
    agrees(r"^[-a]$", "a-b", 2, L);
    agrees(r"^[\-]$", "a-", 2, L);
    agrees(r"^[\b]$", "\u{8}b", 2, L);
    agrees(r"^[\]]$", "]a", 2, L);
    agrees(r"^[\^a]$", "^a", 2, L);
    agrees(r"^[^]$", "a\n", 2, L);
    agrees(r"^[]$", "a", 2, L);
    agrees(r"^a[]?b$", "ab", 3, L);
    agrees(r"^[\u0000-\uFFFF]$", "a😀\u{ffff}", 2, L);
    agrees(r"^[^\u0000-\uFFFF]$", "a😀", 2, L);
    agrees(r"^[\uD800-\uDFFF]$", "a😀", 2, L);
    agrees(r"^[\w.-]+@[\w-]+\.[a-z]{2,}$", "a.-@b", 7, L);
}

#[test]
fn quantifiers_and_groups() {
    agrees(r"^a*?$", "ab", 3, L);
    agrees(r"^(a|b)+$", "abc", 4, L);
    agrees(r"^(?:ab)*$", "ab", 5, L);
    agrees(r"^a{2,3}$", "a", 5, L);
    agrees(r"^a{2,}$", "a", 5, L);
    agrees(r"^a{2}?$", "a", 4, L);
    agrees(r"^(?<year>\d{2})-?$", "1-", 4, L);
    agrees(r"^(?:a|)$", "a", 2, L);
    agrees(r"^(a+)+$", "ab", 6, L);
    agrees(r"^(?:\d{3}-)?\d{4}$", "1-", 8, L);
}

#[test]
fn annex_b_syntax() {
    // Not valid with `u`; read with the web-compatibility syntax.
    for p in [
        r"^\-$",
        r"^\a$",
        r"^a{$",
        r"^{}$",
        r"^]$",
        r"^\u12$",
        r"^\c1$",
        r"^[\c1]$",
        r"^\07$",
        r"^\8$",
        r"^[\w-.]+$",
        r"^[\d-z]$",
        r"^\k$",
        r"^\p$",
    ] {
        assert!(!translate(p).unwrap().unicode, "{p}");
        agrees(p, "a-{}]x4u12\\c1\u{7}8.z0kpL{}", 2, L);
    }
    // regress reads `\x4` as `x` then an optional `4`; Annex B says `x4`.
    let t = translate(r"^\x4$").unwrap();
    assert_eq!(t.regex, "^x4$");
    // `\1` without a group is an octal escape; `\10` with one group is octal `\10`.
    agrees(r"^\1$", "\u{1}1", 2, L);
    agrees(r"^(a)\10$", "a\u{8}10", 3, L);
}

#[test]
fn lookaround_and_backreferences() {
    agrees(r"(?=a)", "ab", 3, B);
    agrees(r"^(?!ab)a", "ab", 3, B);
    agrees(r"(?<=a)b", "ab", 3, B);
    agrees(r"(?<!a)b", "ab", 3, B);
    agrees(r"(?<=a+)b", "ab", 4, B);
    agrees(r"^(a)\1$", "ab", 3, B);
    agrees(r"^(a|b)\1$", "ab", 3, B);
    // A reference to a group that has not matched (yet) matches the empty string.
    agrees(r"^\1(a)$", "ab", 3, B);
    agrees(r"^(a)?\1b$", "ab", 3, B);
    agrees(r"^(?:(a)|b)\1$", "ab", 3, B);
    agrees(r"^(?<n>a)\k<n>$", "ab", 3, B);
    agrees(r"^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$", "a-_", 5, B);
    // Annex B: a lookahead may be repeated.
    agrees(r"^(?=a)*a$", "ab", 2, B);
    agrees(r"^(?=a)+a$", "ab", 2, B);
    agrees(r"^(?=(a))?\1a$", "ab", 3, B);
    agrees(r"^(?=(a)){2}\1a$", "ab", 3, B);
}

#[test]
fn what_needs_backtracking_is_said() {
    let t = translate(r"(?<=a)(?=b)\1(x)").unwrap();
    assert_eq!(t.needs, ["lookbehind", "lookahead", "backreference"]);
    let t = translate(r"^(?:(a)|b\1)+$").unwrap();
    assert_eq!(t.caveats.len(), 1, "{:?}", t.caveats);
    assert!(translate(r"^(a)\1$").unwrap().caveats.is_empty());
    assert!(translate(r"^[a-z]+$").unwrap().needs.is_empty());
}

#[test]
fn invalid_patterns_are_refused_with_a_place() {
    for (p, offset) in [
        ("(", 0),
        ("(a", 0),
        ("a)", 1),
        ("[a", 0),
        ("*a", 0),
        ("a**", 2),
        ("a{2,1}", 1),
        ("[z-a]", 2),
        ("(?i:a)", 0),
        ("\\", 0),
        ("(?<a>x)(?<a>y)", 7),
        ("\\k<b>(?<a>x)", 0),
        ("(?=a)", 99), // valid: checked below
    ] {
        if offset == 99 {
            assert!(validate(p).is_ok());
            continue;
        }
        let e = validate(p).expect_err(p);
        assert_eq!(e.offset, offset, "{p}: {e}");
    }
    // `\u{..}` and `\p` need `u`, `\-` outside a class needs Annex B: each alone is fine.
    assert!(
        validate(r"\u{110000}").is_ok(),
        "Annex B reads `u` repeated"
    );
    assert!(validate(r"\p{Nope").is_ok(), "Annex B reads `p{{Nope`");
}

#[test]
fn nesting_is_bounded() {
    let deep = "(".repeat(100_000);
    let e = validate(&deep).unwrap_err();
    assert!(e.message.contains("nest"), "{e}");
    let ok = format!("{}a{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(translate(&ok).unwrap().engine, Engine::Linear);
}
