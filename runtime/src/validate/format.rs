//! The string formats of JSON Schema (`format: date-time`, ...).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use base64::Engine as _;

/// A JSON Schema string `format` that specbind checks.
///
/// Checks are accurate but small: they follow the RFCs JSON Schema names,
/// without pulling in a crate per format. The `idn-*` and `iri*` variants
/// accept the same as their ASCII counterparts plus non-ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `email`: an RFC 5321 mailbox, `local@domain`.
    Email,
    /// `idn-email`: like `email`, with non-ASCII characters allowed.
    IdnEmail,
    /// `hostname`: an RFC 1123 host name.
    Hostname,
    /// `idn-hostname`: like `hostname`, with non-ASCII letters allowed.
    IdnHostname,
    /// `ipv4`: a dotted-quad IPv4 address, without leading zeros.
    Ipv4,
    /// `ipv6`: an RFC 4291 IPv6 address.
    Ipv6,
    /// `uri`: an RFC 3986 URI, with a scheme.
    Uri,
    /// `uri-reference`: an RFC 3986 URI or relative reference.
    UriReference,
    /// `iri`: an RFC 3987 IRI, with a scheme.
    Iri,
    /// `iri-reference`: an RFC 3987 IRI or relative reference.
    IriReference,
    /// `uri-template`: an RFC 6570 URI template.
    UriTemplate,
    /// `date-time`: an RFC 3339 `date-time`.
    DateTime,
    /// `date`: an RFC 3339 `full-date`, `YYYY-MM-DD`.
    Date,
    /// `time`: an RFC 3339 `full-time`, with an offset.
    Time,
    /// `duration`: an ISO 8601 duration such as `P1Y2M3DT4H5M6S` or `P3W`.
    Duration,
    /// `uuid`: an RFC 4122 UUID, `8-4-4-4-12` hex digits.
    Uuid,
    /// `byte`: standard, padded base64 (OpenAPI).
    Byte,
    /// `json-pointer`: an RFC 6901 JSON Pointer.
    JsonPointer,
    /// `relative-json-pointer`: a relative JSON Pointer.
    RelativeJsonPointer,
    /// `regex`: an ECMAScript regular expression.
    Regex,
}

impl Format {
    /// The name of the format as specs spell it, e.g. `"date-time"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::IdnEmail => "idn-email",
            Format::Hostname => "hostname",
            Format::IdnHostname => "idn-hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Uri => "uri",
            Format::UriReference => "uri-reference",
            Format::Iri => "iri",
            Format::IriReference => "iri-reference",
            Format::UriTemplate => "uri-template",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Duration => "duration",
            Format::Uuid => "uuid",
            Format::Byte => "byte",
            Format::JsonPointer => "json-pointer",
            Format::RelativeJsonPointer => "relative-json-pointer",
            Format::Regex => "regex",
        }
    }

    /// Whether `s` is a valid string of this format.
    pub fn is_valid(self, s: &str) -> bool {
        match self {
            Format::Email => is_email(s, false),
            Format::IdnEmail => is_email(s, true),
            Format::Hostname => is_hostname(s, false),
            Format::IdnHostname => is_hostname(s, true),
            Format::Ipv4 => Ipv4Addr::from_str(s).is_ok(),
            Format::Ipv6 => Ipv6Addr::from_str(s).is_ok(),
            Format::Uri => has_scheme(s) && is_uri_reference(s, false),
            Format::UriReference => is_uri_reference(s, false),
            Format::Iri => has_scheme(s) && is_uri_reference(s, true),
            Format::IriReference => is_uri_reference(s, true),
            Format::UriTemplate => is_uri_template(s),
            Format::DateTime => is_date_time(s),
            Format::Date => is_date(s),
            Format::Time => is_time(s),
            Format::Duration => is_duration(s),
            Format::Uuid => is_uuid(s),
            Format::Byte => base64::engine::general_purpose::STANDARD.decode(s).is_ok(),
            Format::JsonPointer => is_json_pointer(s),
            Format::RelativeJsonPointer => is_relative_json_pointer(s),
            Format::Regex => specbind_pattern::validate(s).is_ok(),
        }
    }
}

/// `local@domain`: a dot-atom or quoted local part, and a host name or an
/// address literal (`[127.0.0.1]`, `[IPv6:::1]`).
fn is_email(s: &str, idn: bool) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        local
            .chars()
            .all(|c| !c.is_control() && (idn || c.is_ascii()))
    } else {
        local.split('.').all(|atom| {
            !atom.is_empty()
                && atom.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || "!#$%&'*+-/=?^_`{|}~".contains(c)
                        || (idn && !c.is_ascii() && !c.is_control() && !c.is_whitespace())
                })
        })
    };
    let domain_ok = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                Ipv6Addr::from_str(&literal[5..]).is_ok()
            }
            _ => Ipv4Addr::from_str(literal).is_ok(),
        },
        None => is_hostname(domain, idn),
    };
    local_ok && domain_ok
}

/// RFC 1123: dot-separated labels of 1 to 63 letters, digits and hyphens,
/// not starting or ending with a hyphen; at most 253 characters in all.
fn is_hostname(s: &str, idn: bool) -> bool {
    let len = if idn { s.chars().count() } else { s.len() };
    (1..=253).contains(&len)
        && s.split('.').all(|label| {
            (1..=63).contains(&label.chars().count())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| {
                    c == '-'
                        || if idn {
                            c.is_alphanumeric()
                        } else {
                            c.is_ascii_alphanumeric()
                        }
                })
        })
}

/// RFC 3986 `scheme ":"`: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Only characters RFC 3986 allows (plus, for an IRI, non-ASCII ones other
/// than controls), `%` only in `%XX` escapes, at most one `#`.
fn is_uri_reference(s: &str, iri: bool) -> bool {
    let mut bytes = s.bytes();
    let mut hashes = 0;
    while let Some(b) = bytes.next() {
        let ok = match b {
            b'%' => {
                bytes.next().is_some_and(|h| h.is_ascii_hexdigit())
                    && bytes.next().is_some_and(|h| h.is_ascii_hexdigit())
            }
            b'#' => {
                hashes += 1;
                hashes == 1
            }
            b if b.is_ascii() => b.is_ascii_alphanumeric() || b"-._~:/?[]@!$&'()*+,;=".contains(&b),
            _ => iri,
        };
        if !ok {
            return false;
        }
    }
    // Non-ASCII C1 controls (U+0080..U+009F) are not IRI characters either.
    !iri || !s.chars().any(char::is_control)
}

/// RFC 6570: no control characters, `{...}` expressions balanced and not
/// nested.
fn is_uri_template(s: &str) -> bool {
    let mut open = false;
    for c in s.chars() {
        match c {
            '{' if open => return false,
            '{' => open = true,
            '}' if !open => return false,
            '}' => open = false,
            c if c.is_control() => return false,
            _ => {}
        }
    }
    !open
}

/// RFC 3339 `date-time`: `full-date ("T" / "t") full-time`.
fn is_date_time(s: &str) -> bool {
    match (s.get(..10), s.as_bytes().get(10), s.get(11..)) {
        (Some(date), Some(b'T' | b't'), Some(time)) => is_date(date) && is_time(time),
        _ => false,
    }
}

/// Two ASCII digits at `i`, as a number.
fn two_digits(b: &[u8], i: usize) -> Option<i32> {
    match b.get(i..i + 2)? {
        [t, u] if t.is_ascii_digit() && u.is_ascii_digit() => {
            Some(i32::from(t - b'0') * 10 + i32::from(u - b'0'))
        }
        _ => None,
    }
}

/// RFC 3339 `full-date`: exactly `YYYY-MM-DD`, a real calendar day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (
        two_digits(b, 0),
        two_digits(b, 2),
        two_digits(b, 5),
        two_digits(b, 8),
    ) {
        (Some(c), Some(y), Some(m), Some(d)) => {
            chrono::NaiveDate::from_ymd_opt(c * 100 + y, m as u32, d as u32).is_some()
        }
        _ => false,
    }
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac]` then `Z` or `+HH:MM`/`-HH:MM`.
/// Second 60 (a leap second) is allowed only at 23:59 UTC.
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
        return false;
    }
    let (Some(h), Some(m), Some(sec)) = (two_digits(b, 0), two_digits(b, 3), two_digits(b, 6))
    else {
        return false;
    };
    let mut rest = &b[8..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            match (two_digits(rest, 1), two_digits(rest, 4)) {
                (Some(oh), Some(om)) if oh <= 23 && om <= 59 => {
                    let minutes = oh * 60 + om;
                    if *sign == b'-' { -minutes } else { minutes }
                }
                _ => return false,
            }
        }
        _ => return false,
    };
    h <= 23
        && m <= 59
        && (sec <= 59 || (sec == 60 && (h * 60 + m - offset).rem_euclid(24 * 60) == 23 * 60 + 59))
}

/// ISO 8601 duration (RFC 3339 appendix A): `PnW`, or `P` then date units
/// `Y M D` and/or `T` then time units `H M S`, in that order, at least one
/// unit in all and at least one after a `T`.
fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let Some(date_units) = duration_units(date, b"YMD") else {
        return false;
    };
    match time {
        None => date_units > 0,
        Some(time) => duration_units(time, b"HMS").is_some_and(|n| n > 0),
    }
}

/// How many `<digits><unit>` pairs `s` is made of, units in the order of
/// `units`, each at most once; `None` if `s` is anything else.
fn duration_units(s: &str, units: &[u8]) -> Option<usize> {
    let b = s.as_bytes();
    let (mut i, mut next, mut count) = (0, 0, 0);
    while i < b.len() {
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let unit = *b.get(i + digits)?;
        if digits == 0 {
            return None;
        }
        next += units.get(next..)?.iter().position(|&u| u == unit)? + 1;
        i += digits + 1;
        count += 1;
    }
    Some(count)
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// RFC 6901: `""`, or `/`-prefixed with every `~` followed by `0` or `1`.
fn is_json_pointer(s: &str) -> bool {
    let b = s.as_bytes();
    (b.is_empty() || b[0] == b'/')
        && b.iter()
            .enumerate()
            .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// A non-negative integer without leading zeros, then `#` or a JSON
/// Pointer.
fn is_relative_json_pointer(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits > 1 && s.starts_with('0')) {
        return false;
    }
    let rest = &s[digits..];
    rest == "#" || is_json_pointer(rest)
}

#[cfg(test)]
mod tests {
    use super::Format::{self, *};

    const ALL: [Format; 20] = [
        Email,
        IdnEmail,
        Hostname,
        IdnHostname,
        Ipv4,
        Ipv6,
        Uri,
        UriReference,
        Iri,
        IriReference,
        UriTemplate,
        DateTime,
        Date,
        Time,
        Duration,
        Uuid,
        Byte,
        JsonPointer,
        RelativeJsonPointer,
        Regex,
    ];

    fn valid(f: Format, cases: &[&str]) {
        for s in cases {
            assert!(f.is_valid(s), "{} should accept {s:?}", f.name());
        }
    }

    fn invalid(f: Format, cases: &[&str]) {
        for s in cases {
            assert!(!f.is_valid(s), "{} should reject {s:?}", f.name());
        }
    }

    #[test]
    fn names() {
        let names: Vec<_> = ALL.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "email",
                "idn-email",
                "hostname",
                "idn-hostname",
                "ipv4",
                "ipv6",
                "uri",
                "uri-reference",
                "iri",
                "iri-reference",
                "uri-template",
                "date-time",
                "date",
                "time",
                "duration",
                "uuid",
                "byte",
                "json-pointer",
                "relative-json-pointer",
                "regex",
            ]
        );
    }

    #[test]
    fn email() {
        valid(
            Email,
            &[
                "joe.bloggs@example.com",
                "te~st+tag@sub.example.org",
                "\"joe bloggs\"@example.com",
                "joe@[127.0.0.1]",
                "joe@[IPv6:::1]",
                "a@localhost",
            ],
        );
        invalid(
            Email,
            &[
                "",
                "2962",
                "@example.com",
                "a@b@example.com",
                ".joe@example.com",
                "joe.@example.com",
                "jo..e@example.com",
                "joe@-example.com",
                "joe@exa mple.com",
                "joe@[127.0.0.300]",
                "joe@[IPv6:1.2.3.4]",
                "joé@example.com",
                "joe@",
            ],
        );
        valid(IdnEmail, &["실례@실례.테스트", "joé@exämple.com", "a@b.c"]);
        invalid(IdnEmail, &["2962", "joé@", "a b@c.d"]);
    }

    #[test]
    fn hostname() {
        let long_label = "a".repeat(63);
        let too_long_label = "a".repeat(64);
        let long_name = ["a".repeat(63).as_str(); 4].join(".");
        valid(
            Hostname,
            &[
                "www.example.com",
                "xn--4gbwdl.xn--wgbh1c",
                "a",
                "1host",
                &long_label,
            ],
        );
        invalid(
            Hostname,
            &[
                "",
                ".",
                "-a.com",
                "a-.com",
                "a..com",
                "a_b.com",
                "exämple.com",
                &too_long_label,
                &long_name,
            ],
        );
        valid(IdnHostname, &["실례.테스트", "exämple.com", "a-b"]);
        invalid(IdnHostname, &["", "-실례", "a b", "a..b"]);
    }

    #[test]
    fn ip() {
        valid(Ipv4, &["192.168.0.1", "0.0.0.0", "255.255.255.255"]);
        invalid(
            Ipv4,
            &["01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.5", " 1.2.3.4"],
        );
        valid(
            Ipv6,
            &["::1", "2001:db8::7", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8"],
        );
        invalid(
            Ipv6,
            &["", "12345::", "1:2:3:4:5:6:7:8:9", "::1%eth0", "1.2.3.4"],
        );
    }

    #[test]
    fn uri() {
        valid(
            Uri,
            &[
                "http://foo.bar/?baz=qux#quux",
                "http://[2001:db8::7]/c=GB?objectClass?one",
                "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
                "mailto:John.Doe@example.com",
                "http://x.com/%C3%A9",
                "tel:+1-816-555-1212",
            ],
        );
        invalid(
            Uri,
            &[
                "",
                "//foo.bar/?baz=qux#quux",
                "abc",
                "1http://x",
                ":// should fail",
                "http:// shouldfail.com",
                "http://x.com/%zz",
                "http://x.com/%4",
                "http://x.com/\\path",
                "http://x.com/#a#b",
                "http://exämple.com",
                "http://x.com/a\tb",
            ],
        );
        valid(
            UriReference,
            &["", "/abc", "abc", "#fragment", "../a?b=c", "http://x"],
        );
        invalid(
            UriReference,
            &["\\\\WINDOWS\\fileshare", "#frag\\ment", "a b", "%g0"],
        );
        valid(Iri, &["http://ƒøø.ßår/?∂éœ=πîx#πîüx", "urn:x"]);
        invalid(Iri, &["/relative", "http://a b", "http://x/\u{85}"]);
        valid(IriReference, &["//ƒøø.ßår/?∂éœ=πîx#πîüx", "#ƒrägmênt"]);
        invalid(IriReference, &["\\\\WINDOWS\\filëshare", "a\u{7f}"]);
    }

    #[test]
    fn uri_template() {
        valid(
            UriTemplate,
            &[
                "http://example.com/dictionary/{term:1}/{term}",
                "/pets{?limit}",
                "plain",
            ],
        );
        invalid(
            UriTemplate,
            &["http://example.com/{term", "a}", "{a{b}}", "{a}\n"],
        );
    }

    #[test]
    fn date_time() {
        valid(
            DateTime,
            &[
                "1963-06-19T08:30:06.283185Z",
                "1963-06-19T08:30:06Z",
                "1963-06-19t08:30:06.283185z",
                "1937-01-01T12:00:27.87+00:20",
                "1998-12-31T23:59:60Z",
                "1998-12-31T15:59:60.123-08:00",
            ],
        );
        invalid(
            DateTime,
            &[
                "",
                "1990-02-31T15:59:59.123-08:00",
                "1990-12-31T15:59:59-24:00",
                "1963-06-19T08:30:06.283185",
                "06/19/1963 08:30:06 PST",
                "1963-06-19 08:30:06Z",
                "1963-6-19T08:30:06Z",
                "1998-12-31T23:59:61Z",
                "1998-12-31T22:59:60Z",
                "1998-12-31T23:58:60Z",
                "1963-06-19T08:30:06.Z",
                "1963-06-19T08:30:06Z ",
                "1963-06-1\u{e9}08:30:06Z",
            ],
        );
    }

    #[test]
    fn date() {
        valid(Date, &["1963-06-19", "2020-02-29", "0001-01-01"]);
        invalid(
            Date,
            &[
                "",
                "06/19/1963",
                "2013-350",
                "1998-1-20",
                "1998-01-1",
                "2021-02-29",
                "2020-13-01",
                "2020-00-10",
                "2020-11-31",
                "+2020-1-01",
                "1963-06-19T08:30:06Z",
                "1963-06-1\u{e9}",
            ],
        );
    }

    #[test]
    fn time() {
        valid(
            Time,
            &[
                "08:30:06Z",
                "08:30:06z",
                "08:30:06.283185Z",
                "08:30:06+00:20",
                "08:30:06-08:00",
                "23:59:60Z",
                "15:59:60-08:00",
                "23:59:60+00:00",
            ],
        );
        invalid(
            Time,
            &[
                "",
                "08:30:06",
                "8:30:06Z",
                "08:30:06 PST",
                "01:01:01,1111Z",
                "24:00:00Z",
                "12:60:00Z",
                "12:00:61Z",
                "22:59:60Z",
                "23:59:60+01:00",
                "08:30:06+24:00",
                "08:30:06+00:60",
                "08:30:06+0800",
                "08:30:06.Z",
                "08:30:06Z1",
            ],
        );
    }

    #[test]
    fn duration() {
        valid(
            Duration,
            &[
                "P1Y2M3DT4H5M6S",
                "P4Y",
                "PT0S",
                "P0D",
                "P1M",
                "PT1M",
                "PT36H",
                "P3W",
                "P1DT2H",
            ],
        );
        invalid(
            Duration,
            &[
                "", "P", "PT", "P1YT", "PT1D", "P1D2H", "P2D1Y", "P1Y2W", "P1", "PW", "1Y",
                "P1Y1Y", "PT1H2H", "P1.5Y", "p1y", "P-1D", "PT1S1M",
            ],
        );
    }

    #[test]
    fn uuid() {
        valid(
            Uuid,
            &[
                "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
                "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
            ],
        );
        invalid(
            Uuid,
            &[
                "",
                "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
                "2eb8aa08aa9811eab4aa73b441d16380",
                "2eb8aa08-aa98-11ea-b4aa-73b441d1638g",
                "2eb8aa08-aa98-11ea-73b441d16380-b4aa",
                "2eb8aa08-aa98-11ea-b4aa-73b441d16380a",
            ],
        );
    }

    #[test]
    fn byte() {
        valid(Byte, &["", "aGVsbG8=", "aGVsbG8gd29ybGQ=", "+/+/"]);
        invalid(Byte, &["aGVsbG8", "aGVsbG8=x", "-_-_", "a", "not base64!"]);
    }

    #[test]
    fn json_pointers() {
        valid(
            JsonPointer,
            &["", "/", "/foo/bar~0/baz~1/%a", "/foo//bar", "/~01"],
        );
        invalid(JsonPointer, &["foo", "/foo/bar~", "/~2", "#/foo", "0/a"]);
        valid(
            RelativeJsonPointer,
            &["1", "0/foo/bar", "2/0/baz/1/zip", "0#", "120/foo/bar"],
        );
        invalid(
            RelativeJsonPointer,
            &[
                "", "/foo/bar", "-1/foo", "+1/foo", "0##", "01/a", "01#", "1/~2", "a",
            ],
        );
    }

    #[test]
    fn regex() {
        valid(Regex, &["([abc])+\\s+$", "^[a-z]+$", "", "\\p{L}"]);
        invalid(Regex, &["^(abc]", "(", "[", "a{2,1}"]);
    }

    #[test]
    fn every_format_accepts_and_rejects_something() {
        // Guards that no format is accidentally "always valid".
        for f in ALL {
            assert!(
                !f.is_valid("  not valid \u{1} ~~ {("),
                "{} accepted junk",
                f.name()
            );
        }
    }
}
