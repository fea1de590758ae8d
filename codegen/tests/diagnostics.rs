//! Snapshots of the reports for broken specs: `specs/errors/<case>.yaml` → `<case>.stderr`,
//! as serde keeps a `.stderr` beside each bad input. `SPECBIND_BLESS=1` rewrites them.

mod support;

use specbind_codegen::{Kind, Options, Severity, check};
use support::{Rooted, compare, specs_in};

#[test]
fn reports_match_the_snapshots() {
    let mut failures = Vec::new();
    let cases = specs_in("specs/errors");
    assert!(
        cases.len() >= 3,
        "expected broken specs in specs/errors, found {cases:?}"
    );
    for case in cases {
        let report = check(&case, &Rooted, &Options::default());
        assert!(
            report.has_errors(),
            "{} should not pass the checks",
            case.display()
        );
        let rendered = format!("{report}\n");
        if let Err(e) = compare(&case.with_extension("stderr"), &rendered) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_mistake_in_broken_yaml_is_reported_at_once_with_line_and_pointer() {
    let report = check(
        std::path::Path::new("specs/errors/broken.yaml"),
        &Rooted,
        &Options::default(),
    );
    let find = |needle: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic mentions {needle:?} in:\n{report}"))
    };
    // (message fragment, line, pointer)
    let expected = [
        (
            "`#/components/schemas/Nope` does not exist",
            23,
            "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
        ),
        (
            "has `in: body`",
            29,
            "#/paths/~1things/post/parameters/0/in",
        ),
        (
            "`2000` is not a status code",
            35,
            "#/paths/~1things/post/responses/2000",
        ),
        (
            "declares no path parameter `id`",
            39,
            "#/paths/~1widgets~1{id}/get",
        ),
        (
            "client method names must be unique",
            42,
            "#/paths/~1widgets~1{id}/get/x-bind-client",
        ),
        (
            "path parameter `other` does not appear",
            56,
            "#/paths/~1gadgets~1{gadgetId}/get/parameters/1",
        ),
        ("operationId `getThing` is already used", 67, ""),
        ("path parameter `gizmoId` must be required", 72, ""),
        (
            "`minLength` must be a non-negative integer, got `-1`",
            90,
            "",
        ),
        (
            "`maxLength` must be a non-negative integer, got `\"ten\"`",
            94,
            "",
        ),
        (
            "`pattern` `[a-z` is not a valid ECMA-262 regular expression",
            98,
            "",
        ),
        ("unknown type `strng`", 101, ""),
    ];
    for (needle, line, pointer) in expected {
        let d = find(needle);
        if line > 0 {
            assert_eq!(d.line, Some(line), "line of {needle:?}: {d}");
        }
        if !pointer.is_empty() {
            assert_eq!(d.pointer, pointer, "pointer of {needle:?}: {d}");
        }
        assert!(d.pointer.starts_with("#/"), "{d}");
    }
    // Spec defects are warnings with a repaired result; what stays an error is a misuse of
    // specbind's own extensions.
    for d in &report.diagnostics {
        if d.severity == Severity::Error {
            assert_eq!(d.kind, Kind::Extension, "{d}");
        }
    }
    assert_eq!(report.error_count(), 2, "{report}");
}

#[test]
fn a_yaml_syntax_error_names_its_line() {
    let report = check(
        std::path::Path::new("specs/errors/bad_yaml.yaml"),
        &Rooted,
        &Options::default(),
    );
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    assert_eq!(report.diagnostics[0].line, Some(7), "{report}");
    assert!(
        report.diagnostics[0].message.starts_with("invalid YAML"),
        "{report}"
    );
}

#[test]
fn missing_file_is_a_plain_error() {
    let report = check(
        std::path::Path::new("specs/errors/no_such_file.yaml"),
        &Rooted,
        &Options::default(),
    );
    assert_eq!(report.diagnostics.len(), 1);
    assert!(
        report.to_string().contains("cannot read the spec"),
        "{report}"
    );
}

#[test]
fn a_quoted_scalar_continued_at_its_key_column_reads_as_libyaml_reads_it() {
    // Issue 15: libyaml (PyYAML, Go's yaml) reads this spec; so does specbind.
    let path = std::path::Path::new("codegen/tests/yaml/quoted_continued_at_key_column.yaml");
    let report = check(path, &Rooted, &Options::default());
    assert!(!report.has_errors(), "{report}");
}

#[test]
fn an_error_where_specbind_is_stricter_than_libyaml_says_so() {
    let report = check(
        std::path::Path::new("specs/errors/stricter_than_libyaml.yaml"),
        &Rooted,
        &Options::default(),
    );
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    let d = &report.diagnostics[0];
    assert_eq!((d.line, d.col), (Some(7), Some(19)), "{report}");
    assert!(d.message.starts_with("invalid YAML"), "{report}");
    assert!(d.message.contains("libyaml"), "{report}");
    assert!(d.message.contains("YAML 1.2"), "{report}");
}

#[test]
fn every_diagnostic_of_a_broken_spec_has_a_line_and_column() {
    let cases = specs_in("specs/errors");
    let mut checked = 0;
    for case in cases {
        let report = check(&case, &Rooted, &Options::default());
        for d in &report.diagnostics {
            // A document that is no spec at all has no node to point at.
            if d.message.starts_with("not an OpenAPI or Swagger document") {
                continue;
            }
            assert!(d.line.is_some() && d.col.is_some(), "{d}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} diagnostics checked");
}

#[test]
fn strict_makes_the_spec_defects_errors_and_nothing_else() {
    let path = std::path::Path::new("specs/errors/broken.yaml");
    let lenient = check(path, &Rooted, &Options::default());
    let mut options = Options::default();
    options.strict = true;
    let strict = check(path, &Rooted, &options);
    assert_eq!(lenient.diagnostics.len(), strict.diagnostics.len());
    let mut promoted = 0;
    for (l, s) in lenient.diagnostics.iter().zip(&strict.diagnostics) {
        assert_eq!((&l.message, l.kind), (&s.message, s.kind));
        let want = if l.kind.is_defect() {
            Severity::Error
        } else {
            l.severity
        };
        assert_eq!(s.severity, want, "{s}");
        if l.severity != s.severity {
            promoted += 1;
        }
    }
    assert!(
        promoted > 0,
        "no warning of broken.yaml is a defect:\n{lenient}"
    );
    assert!(
        strict
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning && !d.kind.is_defect()),
        "a warning that is not a defect stays one:\n{strict}"
    );
}

#[test]
fn the_readme_names_every_defect_that_strict_promotes() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    for kind in Kind::ALL.iter().filter(|k| k.is_defect()) {
        assert!(
            readme.contains(&format!("(`{}`)", kind.code())),
            "README.md does not list the defect `{kind}`"
        );
    }
}
