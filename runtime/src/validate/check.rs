//! One helper per JSON Schema keyword, called by generated
//! [`Validate`](super::Validate) impls.
//!
//! Each helper checks one value against one constraint and, when it is
//! broken, pushes one [`Violation`](super::Violation) whose keyword is the
//! JSON Schema keyword and whose message names the limit, e.g.
//! `must be at least 3 characters long, got 1`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::{Display, Write as _};

use serde_json::Value;

use super::{Format, Path, Pattern, Violations};

/// How many allowed values an `enum` message lists before `...`.
const MAX_LISTED: usize = 10;

/// Above this many items, `uniqueItems` compares serialized items in a hash
/// map instead of every pair with `PartialEq`.
const MAX_PAIRWISE: usize = 64;

/// `n` followed by `one` or `many`.
fn count(n: u64, one: &str, many: &str) -> String {
    let unit = if n == 1 { one } else { many };
    format!("{n} {unit}")
}

/// `minLength`: at least `min` characters (Unicode scalar values).
pub fn min_length(v: &str, min: u64, path: &Path<'_>, out: &mut Violations) {
    let n = v.chars().count() as u64;
    if n < min {
        let limit = count(min, "character", "characters");
        out.push(
            path,
            "minLength",
            format!("must be at least {limit} long, got {n}"),
        );
    }
}

/// `maxLength`: at most `max` characters (Unicode scalar values).
pub fn max_length(v: &str, max: u64, path: &Path<'_>, out: &mut Violations) {
    let n = v.chars().count() as u64;
    if n > max {
        let limit = count(max, "character", "characters");
        out.push(
            path,
            "maxLength",
            format!("must be at most {limit} long, got {n}"),
        );
    }
}

/// `pattern`: `p` matches somewhere in `v`. A value the backtracking engine cannot check
/// within its budget is a violation too, and is logged.
pub fn pattern(v: &str, p: &Pattern, path: &Path<'_>, out: &mut Violations) {
    match p.matches_within(v, out) {
        Ok(true) => {}
        Ok(false) => out.push(
            path,
            "pattern",
            format!("must match the pattern `{}`", p.source()),
        ),
        Err(e) => {
            #[cfg(any(feature = "router", feature = "client"))]
            tracing::warn!(
                pattern = p.source(),
                path = %path,
                len = v.len(),
                "{e}: the value is refused"
            );
            out.push(path, "pattern", format!("{e} (`{}`)", p.source()));
        }
    }
}

/// `readOnly`, with `reject_read_only`: a request that sets the property is refused.
pub fn read_only(present: bool, path: &Path<'_>, out: &mut Violations) {
    if present {
        out.push(path, "readOnly", "is read-only: a request may not set it");
    }
}

/// `format`: `v` is a valid string of format `f`.
pub fn format(v: &str, f: Format, path: &Path<'_>, out: &mut Violations) {
    if !f.is_valid(v) {
        out.push(path, "format", format!("must be a valid {}", f.name()));
    }
}

/// Pushes a violation of `keyword` unless `v` compares to `limit` as one of
/// `ok` (an incomparable value, such as NaN, never passes).
fn compare<T: PartialOrd + Display>(
    v: T,
    limit: T,
    ok: &[Ordering],
    keyword: &'static str,
    relation: &str,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if !v.partial_cmp(&limit).is_some_and(|o| ok.contains(&o)) {
        out.push(
            path,
            keyword,
            format!("must be {relation} {limit}, got {v}"),
        );
    }
}

/// `minimum`: `v >= min`.
pub fn minimum<T: PartialOrd + Display + Copy>(
    v: T,
    min: T,
    path: &Path<'_>,
    out: &mut Violations,
) {
    use Ordering::*;
    compare(
        v,
        min,
        &[Greater, Equal],
        "minimum",
        "greater than or equal to",
        path,
        out,
    );
}

/// `exclusiveMinimum`: `v > min`.
pub fn exclusive_minimum<T: PartialOrd + Display + Copy>(
    v: T,
    min: T,
    path: &Path<'_>,
    out: &mut Violations,
) {
    use Ordering::*;
    compare(
        v,
        min,
        &[Greater],
        "exclusiveMinimum",
        "greater than",
        path,
        out,
    );
}

/// `maximum`: `v <= max`.
pub fn maximum<T: PartialOrd + Display + Copy>(
    v: T,
    max: T,
    path: &Path<'_>,
    out: &mut Violations,
) {
    use Ordering::*;
    compare(
        v,
        max,
        &[Less, Equal],
        "maximum",
        "less than or equal to",
        path,
        out,
    );
}

/// `exclusiveMaximum`: `v < max`.
pub fn exclusive_maximum<T: PartialOrd + Display + Copy>(
    v: T,
    max: T,
    path: &Path<'_>,
    out: &mut Violations,
) {
    use Ordering::*;
    compare(v, max, &[Less], "exclusiveMaximum", "less than", path, out);
}

/// `multipleOf` on integers: `v % m == 0` (`m > 0`; a zero `m` is ignored).
pub fn multiple_of_int(v: i128, m: i128, path: &Path<'_>, out: &mut Violations) {
    // `checked_rem` is `None` only for `m == 0` or `i128::MIN % -1`, which
    // is 0.
    if v.checked_rem(m).is_some_and(|r| r != 0) {
        out.push(
            path,
            "multipleOf",
            format!("must be a multiple of {m}, got {v}"),
        );
    }
}

/// `multipleOf` on numbers, tolerant of binary rounding: `v / m` must be
/// within `1e-9` (relative) of an integer.
pub fn multiple_of_float(v: f64, m: f64, path: &Path<'_>, out: &mut Violations) {
    let q = v / m;
    // An infinite quotient means `v` dwarfs `m`: every such `f64` is an
    // integer multiple as far as `f64` can tell. A zero `m` gives NaN or
    // infinity and is ignored.
    if m == 0.0 || q.is_infinite() {
        return;
    }
    let off = (q - q.round()).abs();
    if off.is_nan() || off > 1e-9 * q.abs().max(1.0) {
        out.push(
            path,
            "multipleOf",
            format!("must be a multiple of {m}, got {v}"),
        );
    }
}

/// A count below `min` (`at_least`) or above `limit`: one violation of `keyword`.
fn bound_count(
    n: usize,
    limit: u64,
    at_least: bool,
    (one, many): (&str, &str),
    keyword: &'static str,
    path: &Path<'_>,
    out: &mut Violations,
) {
    let n64 = n as u64;
    if (at_least && n64 < limit) || (!at_least && n64 > limit) {
        let side = if at_least { "least" } else { "most" };
        let limit = count(limit, one, many);
        out.push(
            path,
            keyword,
            format!("must have at {side} {limit}, got {n}"),
        );
    }
}

/// `minItems`: at least `min` items.
pub fn min_items(len: usize, min: u64, path: &Path<'_>, out: &mut Violations) {
    bound_count(len, min, true, ("item", "items"), "minItems", path, out);
}

/// `maxItems`: at most `max` items.
pub fn max_items(len: usize, max: u64, path: &Path<'_>, out: &mut Violations) {
    bound_count(len, max, false, ("item", "items"), "maxItems", path, out);
}

/// `uniqueItems`: no two items are equal. Reports only the first duplicate
/// pair (the smallest second index, with its first occurrence).
pub fn unique_items<T: PartialEq + serde::Serialize>(
    items: &[T],
    path: &Path<'_>,
    out: &mut Violations,
) {
    if let Some((i, j)) = first_duplicate(items) {
        out.push(
            path,
            "uniqueItems",
            format!("must contain unique items, but items {i} and {j} are equal"),
        );
    }
}

/// The first pair `(i, j)`, `i < j`, of equal items, by smallest `j`.
fn first_duplicate<T: PartialEq + serde::Serialize>(items: &[T]) -> Option<(usize, usize)> {
    if items.len() > MAX_PAIRWISE {
        // Serialized forms are canonical enough for the types models hold
        // (maps serialize sorted by key); an item that does not serialize
        // falls back to pairwise comparison.
        let keys: Result<Vec<String>, _> = items.iter().map(serde_json::to_string).collect();
        if let Ok(keys) = keys {
            let mut seen = HashMap::with_capacity(keys.len());
            for (j, key) in keys.iter().enumerate() {
                if let Some(&i) = seen.get(key.as_str()) {
                    return Some((i, j));
                }
                seen.insert(key.as_str(), j);
            }
            return None;
        }
    }
    (1..items.len()).find_map(|j| (0..j).find(|&i| items[i] == items[j]).map(|i| (i, j)))
}

/// `minProperties`: at least `min` properties.
pub fn min_properties(n: usize, min: u64, path: &Path<'_>, out: &mut Violations) {
    bound_count(
        n,
        min,
        true,
        ("property", "properties"),
        "minProperties",
        path,
        out,
    );
}

/// `maxProperties`: at most `max` properties.
pub fn max_properties(n: usize, max: u64, path: &Path<'_>, out: &mut Violations) {
    bound_count(
        n,
        max,
        false,
        ("property", "properties"),
        "maxProperties",
        path,
        out,
    );
}

/// `one of a, b, ...` with at most [`MAX_LISTED`] values listed.
fn one_of<T>(allowed: &[T], show: impl Fn(&T) -> String) -> String {
    let mut s = String::from("must be one of ");
    for (i, a) in allowed.iter().take(MAX_LISTED).enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&show(a));
    }
    if allowed.len() > MAX_LISTED {
        s.push_str(", ...");
    }
    s
}

/// `enum` of strings: `v` is one of `allowed`.
pub fn enum_str(v: &str, allowed: &[&str], path: &Path<'_>, out: &mut Violations) {
    if !allowed.contains(&v) {
        let mut msg = one_of(allowed, |a| format!("{a:?}"));
        let _ = write!(msg, ", got {v:?}");
        out.push(path, "enum", msg);
    }
}

/// `enum` of typed values (numbers, ...): `v` is one of `allowed`.
pub fn enum_value<T: PartialEq + std::fmt::Debug>(
    v: &T,
    allowed: &[T],
    path: &Path<'_>,
    out: &mut Violations,
) {
    if !allowed.contains(v) {
        let mut msg = one_of(allowed, |a| format!("{a:?}"));
        let _ = write!(msg, ", got {v:?}");
        out.push(path, "enum", msg);
    }
}

/// `enum` of arbitrary JSON values: `v` equals one of `allowed`, numbers
/// compared by value (`1` equals `1.0`).
pub fn enum_json(v: &Value, allowed: &[Value], path: &Path<'_>, out: &mut Violations) {
    if !allowed.iter().any(|a| json_eq(v, a)) {
        let mut msg = one_of(allowed, Value::to_string);
        let _ = write!(msg, ", got {v}");
        out.push(path, "enum", msg);
    }
}

/// `const`: `v` equals `expected`, numbers compared by value.
pub fn const_json(v: &Value, expected: &Value, path: &Path<'_>, out: &mut Violations) {
    if !json_eq(v, expected) {
        out.push(
            path,
            "const",
            format!("must be equal to {expected}, got {v}"),
        );
    }
}

/// `const` of a typed value (string, number, boolean): `v` equals `expected`.
pub fn const_value<T: PartialEq + std::fmt::Debug + ?Sized>(
    v: &T,
    expected: &T,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if v != expected {
        out.push(
            path,
            "const",
            format!("must be equal to {expected:?}, got {v:?}"),
        );
    }
}

/// A value the generated enum does not know (its `Unknown(String)`
/// variant): an `enum` violation.
pub fn unknown_enum(v: &str, path: &Path<'_>, out: &mut Violations) {
    out.push(path, "enum", format!("unknown value {v:?}"));
}

/// JSON Schema equality: like `==`, but numbers are equal when their values
/// are (`1 == 1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, xv)| y.get(k).is_some_and(|yv| json_eq(xv, yv)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Runs `f` at `/pets/3/name` and returns what it pushed.
    fn run(f: impl FnOnce(&Path<'_>, &mut Violations)) -> Vec<(String, &'static str, String)> {
        let root = Path::root();
        let pets = root.field("pets");
        let third = pets.index(3);
        let name = third.field("name");
        let mut out = Violations::new();
        f(&name, &mut out);
        out.into_iter()
            .map(|v| (v.path, v.keyword, v.message))
            .collect()
    }

    /// Asserts `f` pushed exactly one violation of `keyword` at
    /// `/pets/3/name`, and returns its message.
    fn fails(keyword: &str, f: impl FnOnce(&Path<'_>, &mut Violations)) -> String {
        let mut got = run(f);
        assert_eq!(got.len(), 1, "expected one violation, got {got:?}");
        let (path, kw, msg) = got.remove(0);
        assert_eq!(path, "/pets/3/name");
        assert_eq!(kw, keyword);
        msg
    }

    fn passes(f: impl FnOnce(&Path<'_>, &mut Violations)) {
        assert_eq!(run(f), []);
    }

    #[test]
    fn escaped_key_path() {
        let root = Path::root();
        let tags = root.field("tags");
        let key = tags.key("a/b~c");
        let mut out = Violations::new();
        min_length("", 1, &key, &mut out);
        assert_eq!(out.as_slice()[0].path, "/tags/a~1b~0c");
        assert_eq!(out.as_slice()[0].keyword, "minLength");
    }

    #[test]
    fn lengths() {
        passes(|p, o| min_length("abc", 3, p, o));
        passes(|p, o| min_length("ééé", 3, p, o)); // 6 bytes, 3 characters
        let msg = fails("minLength", |p, o| min_length("a", 3, p, o));
        assert_eq!(msg, "must be at least 3 characters long, got 1");
        let msg = fails("minLength", |p, o| min_length("", 1, p, o));
        assert_eq!(msg, "must be at least 1 character long, got 0");
        passes(|p, o| max_length("ééé", 3, p, o));
        let msg = fails("maxLength", |p, o| max_length("abcd", 3, p, o));
        assert_eq!(msg, "must be at most 3 characters long, got 4");
    }

    #[test]
    fn pattern_and_format() {
        static LOWER: Pattern = Pattern::new("^[a-z]+$");
        passes(|p, o| pattern("abc", &LOWER, p, o));
        let msg = fails("pattern", |p, o| pattern("aBc", &LOWER, p, o));
        assert_eq!(msg, "must match the pattern `^[a-z]+$`");

        passes(|p, o| format("2020-01-01", Format::Date, p, o));
        let msg = fails("format", |p, o| format("2020-1-1", Format::Date, p, o));
        assert_eq!(msg, "must be a valid date");
        let msg = fails("format", |p, o| format("x", Format::DateTime, p, o));
        assert_eq!(msg, "must be a valid date-time");
    }

    #[test]
    fn bounds() {
        passes(|p, o| minimum(3, 3, p, o));
        let msg = fails("minimum", |p, o| minimum(2, 3, p, o));
        assert_eq!(msg, "must be greater than or equal to 3, got 2");
        passes(|p, o| exclusive_minimum(3.5, 3.0, p, o));
        let msg = fails("exclusiveMinimum", |p, o| exclusive_minimum(3.0, 3.0, p, o));
        assert_eq!(msg, "must be greater than 3, got 3");
        passes(|p, o| maximum(10u64, 10, p, o));
        let msg = fails("maximum", |p, o| maximum(11u64, 10, p, o));
        assert_eq!(msg, "must be less than or equal to 10, got 11");
        passes(|p, o| exclusive_maximum(-1i32, 0, p, o));
        let msg = fails("exclusiveMaximum", |p, o| exclusive_maximum(0i32, 0, p, o));
        assert_eq!(msg, "must be less than 0, got 0");
        fails("minimum", |p, o| minimum(f64::NAN, 0.0, p, o));
    }

    #[test]
    fn multiples() {
        passes(|p, o| multiple_of_int(-12, 4, p, o));
        passes(|p, o| multiple_of_int(0, 7, p, o));
        passes(|p, o| multiple_of_int(i128::MIN, 2, p, o));
        passes(|p, o| multiple_of_int(5, 0, p, o));
        let msg = fails("multipleOf", |p, o| multiple_of_int(10, 4, p, o));
        assert_eq!(msg, "must be a multiple of 4, got 10");

        passes(|p, o| multiple_of_float(0.3, 0.1, p, o));
        passes(|p, o| multiple_of_float(19.99, 0.01, p, o));
        passes(|p, o| multiple_of_float(-4.5, 1.5, p, o));
        passes(|p, o| multiple_of_float(1e308, 1e-10, p, o));
        passes(|p, o| multiple_of_float(1.0, 0.0, p, o));
        let msg = fails("multipleOf", |p, o| multiple_of_float(0.35, 0.1, p, o));
        assert_eq!(msg, "must be a multiple of 0.1, got 0.35");
        fails("multipleOf", |p, o| multiple_of_float(7.0, 2.0, p, o));
    }

    #[test]
    fn items() {
        passes(|p, o| min_items(2, 2, p, o));
        let msg = fails("minItems", |p, o| min_items(0, 1, p, o));
        assert_eq!(msg, "must have at least 1 item, got 0");
        passes(|p, o| max_items(2, 2, p, o));
        let msg = fails("maxItems", |p, o| max_items(3, 2, p, o));
        assert_eq!(msg, "must have at most 2 items, got 3");
    }

    #[test]
    fn unique() {
        passes(|p, o| unique_items::<i32>(&[], p, o));
        passes(|p, o| unique_items(&[1, 2, 3], p, o));
        let msg = fails("uniqueItems", |p, o| {
            unique_items(&["a", "b", "c", "d", "b", "a"], p, o)
        });
        assert_eq!(
            msg,
            "must contain unique items, but items 1 and 4 are equal"
        );

        // Above the pairwise limit: compared serialized, same first pair.
        let mut many: Vec<f64> = (0..100).map(f64::from).collect();
        passes(|p, o| unique_items(&many, p, o));
        many[90] = 7.0;
        many[95] = 3.0;
        let msg = fails("uniqueItems", |p, o| unique_items(&many, p, o));
        assert!(msg.ends_with("items 7 and 90 are equal"), "{msg}");

        let objects: Vec<Value> = (0..70)
            .map(|i| json!({"id": i % 69, "x": [i % 69]}))
            .collect();
        let msg = fails("uniqueItems", |p, o| unique_items(&objects, p, o));
        assert!(msg.ends_with("items 0 and 69 are equal"), "{msg}");
    }

    #[test]
    fn properties() {
        passes(|p, o| min_properties(1, 1, p, o));
        let msg = fails("minProperties", |p, o| min_properties(1, 2, p, o));
        assert_eq!(msg, "must have at least 2 properties, got 1");
        passes(|p, o| max_properties(0, 0, p, o));
        let msg = fails("maxProperties", |p, o| max_properties(2, 1, p, o));
        assert_eq!(msg, "must have at most 1 property, got 2");
    }

    #[test]
    fn enums() {
        passes(|p, o| enum_str("pending", &["available", "pending"], p, o));
        let msg = fails("enum", |p, o| {
            enum_str("x", &["available", "pending"], p, o)
        });
        assert_eq!(msg, r#"must be one of "available", "pending", got "x""#);

        let many: Vec<String> = (0..12).map(|i| format!("v{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let msg = fails("enum", |p, o| enum_str("x", &many, p, o));
        assert!(msg.starts_with(r#"must be one of "v0", "v1","#));
        assert!(msg.ends_with(r#""v9", ..., got "x""#), "{msg}");

        passes(|p, o| enum_value(&2, &[1, 2, 3], p, o));
        let msg = fails("enum", |p, o| enum_value(&4, &[1, 2, 3], p, o));
        assert_eq!(msg, "must be one of 1, 2, 3, got 4");

        let allowed = [json!("a"), json!(1), json!(null), json!({"k": [1]})];
        passes(|p, o| enum_json(&json!(null), &allowed, p, o));
        passes(|p, o| enum_json(&json!(1.0), &allowed, p, o));
        passes(|p, o| enum_json(&json!({"k": [1.0]}), &allowed, p, o));
        let msg = fails("enum", |p, o| enum_json(&json!(true), &allowed, p, o));
        assert_eq!(msg, r#"must be one of "a", 1, null, {"k":[1]}, got true"#);
        fails("enum", |p, o| {
            enum_json(&json!({"k": [1], "j": 2}), &allowed, p, o)
        });

        let msg = fails("enum", |p, o| unknown_enum("x", p, o));
        assert_eq!(msg, r#"unknown value "x""#);
    }

    #[test]
    fn consts() {
        passes(|p, o| const_json(&json!("cat"), &json!("cat"), p, o));
        passes(|p, o| const_json(&json!(2), &json!(2.0), p, o));
        passes(|p, o| const_json(&json!(-1), &json!(-1), p, o));
        let msg = fails("const", |p, o| {
            const_json(&json!("dog"), &json!("cat"), p, o)
        });
        assert_eq!(msg, r#"must be equal to "cat", got "dog""#);
        fails("const", |p, o| {
            const_json(&json!([1, 2]), &json!([1]), p, o)
        });
        fails("const", |p, o| {
            const_json(&json!(u64::MAX), &json!(-1), p, o)
        });
    }

    #[test]
    fn const_value_names_the_expected_value() {
        let root = Path::root();
        let mut out = Violations::new();
        const_value("order.v1", "order.v1", &root.field("kind"), &mut out);
        assert!(out.is_empty());
        const_value("order.v2", "order.v1", &root.field("kind"), &mut out);
        const_value(&3i64, &2i64, &root.field("n"), &mut out);
        let got: Vec<(&str, &str)> = out.iter().map(|v| (v.path.as_str(), v.keyword)).collect();
        assert_eq!(got, vec![("/kind", "const"), ("/n", "const")]);
        assert_eq!(
            out.as_slice()[0].message,
            "must be equal to \"order.v1\", got \"order.v2\""
        );
    }
}
