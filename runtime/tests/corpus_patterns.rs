//! Every `pattern` of the real-world corpus (`../shared/corpus/specs`), matched by
//! [`Pattern`] and by `regress` (an ECMA-262 engine) on the spec's own examples and on
//! generated strings: the answers agree wherever regress answers.
//!
//! The strings: the examples, defaults and enum values written beside the pattern; strings
//! generated to match the translated pattern (from its `regex-syntax` tree); and near misses
//! of all of them (a character deleted, replaced or inserted, non-ASCII and astral characters
//! among them). Without the corpus beside the repository the test says so and checks nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::Value;
use specbind::__private::{Engine, Pattern};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/specs");

/// Strings are kept short, so that regress, which backtracks, answers every one quickly.
const MAX_LEN: usize = 24;

/// Characters mixed into near misses: ASCII, Latin-1, a non-ASCII digit, white space that
/// ECMA-262 and Rust disagree on, a line terminator, and an astral code point.
const EXTRA: &[char] = &[
    'a', 'Z', '0', '-', '_', '.', '/', ' ', '@', ':', 'é', '٣', '\u{85}', '\u{a0}', '\n', '😀',
];

/// Every pattern of every corpus spec, with the strings found beside it.
fn corpus_patterns(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let mut cx = specbind_codegen::diag::Ctxt::default();
        let Ok(docs) =
            specbind_codegen::load::Docs::load(&file, &specbind_codegen::FsReader, &mut cx)
        else {
            panic!("{} does not load", file.display());
        };
        for doc in &docs.docs {
            walk(&doc.value, &mut out);
        }
    }
    out
}

fn strings_of(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::String(s)) => out.push(s.clone()),
        Some(Value::Array(a)) => a.iter().for_each(|v| strings_of(Some(v), out)),
        Some(Value::Object(m)) => strings_of(m.get("value"), out),
        _ => {}
    }
}

fn walk(v: &Value, out: &mut BTreeMap<String, Vec<String>>) {
    match v {
        Value::Object(m) => {
            // A parameter writes its example beside its schema.
            let schema_pattern = m
                .get("schema")
                .and_then(|s| s.get("pattern"))
                .and_then(Value::as_str);
            for p in m
                .get("pattern")
                .and_then(Value::as_str)
                .into_iter()
                .chain(schema_pattern)
            {
                let found = out.entry(p.to_owned()).or_default();
                for k in [
                    "example",
                    "examples",
                    "default",
                    "enum",
                    "x-example",
                    "const",
                ] {
                    strings_of(m.get(k), found);
                }
            }
            for (k, v) in m {
                if !matches!(k.as_str(), "example" | "examples" | "x-example" | "default") {
                    walk(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// A string the regex tree matches (lookaround ignored), or `None` past [`MAX_LEN`].
fn sample(hir: &Hir, rng: &mut Rng, out: &mut String) {
    if out.chars().count() > MAX_LEN {
        return;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges();
            if !ranges.is_empty() {
                let r = ranges[rng.below(ranges.len())];
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                // Mostly the start of a range, sometimes anywhere in it.
                let span = (hi - lo).min(64) as usize;
                let c = lo + u32::try_from(rng.below(span + 1)).unwrap_or(0);
                out.push(char::from_u32(c).unwrap_or(r.start()));
            }
        }
        HirKind::Class(Class::Bytes(_)) => {}
        HirKind::Repetition(r) => {
            let extra = r.max.map_or(3, |m| (m - r.min).min(3));
            let n = r.min.min(MAX_LEN as u32)
                + u32::try_from(rng.below(extra as usize + 1)).unwrap_or(0);
            for _ in 0..n {
                sample(&r.sub, rng, out);
            }
        }
        HirKind::Capture(c) => sample(&c.sub, rng, out),
        HirKind::Concat(v) => v.iter().for_each(|h| sample(h, rng, out)),
        HirKind::Alternation(v) => sample(&v[rng.below(v.len())], rng, out),
    }
}

/// Near misses of `s`: one character deleted, replaced or inserted, and a few more.
fn mutations(s: &str, rng: &mut Rng, out: &mut Vec<String>) {
    let chars: Vec<char> = s.chars().collect();
    for _ in 0..6 {
        let mut m = chars.clone();
        let extra = EXTRA[rng.below(EXTRA.len())];
        match rng.below(4) {
            0 if !m.is_empty() => {
                m.remove(rng.below(m.len()));
            }
            1 if !m.is_empty() => {
                let i = rng.below(m.len());
                m[i] = extra;
            }
            2 => m.insert(rng.below(m.len() + 1), extra),
            _ => m.push(extra),
        }
        out.push(m.into_iter().collect());
    }
    out.push(String::new());
    out.push(format!("{s}\n"));
    out.push(s.to_uppercase());
}

/// The strings to try for `pattern`.
fn strings(pattern: &str, found: &[String], translated: Option<&str>) -> Vec<String> {
    let mut rng = Rng(pattern.len() as u64 ^ 0x5eed);
    let mut base: Vec<String> = found
        .iter()
        .filter(|s| s.chars().count() <= MAX_LEN)
        .cloned()
        .collect();
    if let Some(hir) = translated.and_then(|t| regex_syntax::parse(t).ok()) {
        for _ in 0..24 {
            let mut s = String::new();
            sample(&hir, &mut rng, &mut s);
            if s.chars().count() <= MAX_LEN {
                base.push(s);
            }
        }
    }
    let mut out = base.clone();
    for s in &base {
        mutations(s, &mut rng, &mut out);
    }
    for _ in 0..16 {
        let n = rng.below(8);
        out.push((0..n).map(|_| EXTRA[rng.below(EXTRA.len())]).collect());
    }
    out.sort();
    out.dedup();
    out
}

#[derive(Default, Debug)]
struct Tally {
    patterns: usize,
    linear: usize,
    backtracking: usize,
    unchecked: usize,
    compared: usize,
    skipped_astral: usize,
    regress_slow: usize,
    disagreements: Vec<String>,
}

#[test]
fn corpus_patterns_agree_with_regress() {
    let dir = Path::new(CORPUS);
    if !dir.is_dir() {
        eprintln!("the corpus is not at {CORPUS}: nothing to compare");
        return;
    }
    let patterns = corpus_patterns(dir);
    let mut tally = Tally::default();
    for (src, found) in &patterns {
        tally.patterns += 1;
        let translation = specbind_pattern::translate(src).ok();
        // `Pattern` wants a `'static` source, as generated code has.
        let p: &'static Pattern = Box::leak(Box::new(Pattern::new(Box::leak(
            src.clone().into_boxed_str(),
        ))));
        match p.engine() {
            Engine::Linear => tally.linear += 1,
            Engine::Backtracking => tally.backtracking += 1,
            Engine::Unchecked => {
                tally.unchecked += 1;
                continue;
            }
        }
        let t = translation.expect("a checked pattern translates");
        let linear_regex =
            (t.engine == specbind_pattern::Engine::Linear).then_some(t.regex.as_str());
        let unicode = t.unicode;
        let strings = strings(src, found, linear_regex);
        // regress in a thread of its own, so that a string it would take long over cannot
        // stall the test: such a string is left out, and counted.
        let (tx, rx) = mpsc::channel();
        let (src2, strings2) = (src.clone(), strings.clone());
        std::thread::spawn(move || {
            let re = if unicode {
                regress::Regex::with_flags(&src2, "u")
            } else {
                regress::Regex::new(&src2)
            };
            let Ok(re) = re else { return };
            for s in strings2 {
                if tx.send(re.find(&s).is_some()).is_err() {
                    return;
                }
            }
        });
        for s in &strings {
            let Ok(want) = rx.recv_timeout(Duration::from_secs(5)) else {
                tally.regress_slow += 1;
                break;
            };
            // Without `u`, JavaScript reads UTF-16 code units, JSON Schema code points; the
            // two agree on the Basic Multilingual Plane.
            if !unicode && s.chars().any(|c| u32::from(c) > 0xffff) {
                tally.skipped_astral += 1;
                continue;
            }
            tally.compared += 1;
            match p.matches(s) {
                Ok(got) if got == want => {}
                got => tally.disagreements.push(format!(
                    "{src:?} on {s:?}: regress {want}, specbind {got:?} (as {:?})",
                    t.regex
                )),
            }
        }
    }
    eprintln!("{tally:#?}");
    assert!(
        tally.patterns >= 200,
        "the corpus has more patterns than {}",
        tally.patterns
    );
    assert!(
        tally.compared > 10 * tally.patterns,
        "too few strings compared"
    );
    assert_eq!(tally.unchecked, 0, "every corpus pattern is checked");
    assert!(tally.disagreements.is_empty(), "{:#?}", tally.disagreements);
}
