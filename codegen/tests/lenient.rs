//! Specs with the defects real specs have (`specs/lenient/*.yaml`): each defect is a located
//! warning saying what was done, the spec still generates, and `strict` refuses it. The
//! reports are snapshots (`<case>.stderr`, `SPECBIND_BLESS=1` rewrites them); the generated
//! code is in the goldens (`lenient_<case>`), compiled by the root package, whose
//! `tests/lenient.rs` calls the clients.

mod support;

use specbind_codegen::{Kind, Options, Severity, check, generate};
use support::{Rooted, compare, specs_in};

fn client_options() -> Options {
    let mut options = Options::default();
    options.client = true;
    options.bind_all = true;
    options
}

fn strict() -> Options {
    let mut options = client_options();
    options.strict = true;
    options
}

#[test]
fn defects_are_warnings_and_the_reports_match_the_snapshots() {
    let cases = specs_in("specs/lenient");
    assert!(cases.len() >= 6, "{cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let report = check(&case, &Rooted, &client_options());
        assert!(!report.has_errors(), "{}:\n{report}", case.display());
        assert!(
            !report.diagnostics.is_empty(),
            "{} has no defect",
            case.display()
        );
        for d in &report.diagnostics {
            assert!(d.pointer.starts_with("#/") && d.line.is_some(), "{d}");
        }
        if let Err(e) = compare(&case.with_extension("stderr"), &format!("{report}\n")) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn strict_refuses_every_spec_with_a_defect_and_no_other() {
    for case in specs_in("specs/lenient") {
        let lenient = check(&case, &Rooted, &client_options());
        let defects = lenient.warnings().filter(|d| d.kind.is_defect()).count();
        let refused = generate(&case, &Rooted, &strict());
        match refused {
            Err(report) => {
                assert_eq!(
                    report.error_count(),
                    defects,
                    "{}:\n{report}",
                    case.display()
                );
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .all(|d| (d.severity == Severity::Error) == d.kind.is_defect()),
                    "{report}"
                );
            }
            Ok(_) => assert_eq!(defects, 0, "{} passed --strict", case.display()),
        }
    }
    // Of the four kinds of issue 15, each refuses its spec.
    for (case, kind) in [
        ("specs/lenient/dangling_ref.yaml", Kind::DanglingRef),
        ("specs/lenient/dangling_ref_v2.yaml", Kind::DanglingRef),
        ("specs/lenient/path_params.yaml", Kind::UndeclaredPathParam),
        ("specs/lenient/path_params.yaml", Kind::UnusedPathParam),
        ("specs/lenient/query_in_path.yaml", Kind::QueryInPath),
    ] {
        let report = check(std::path::Path::new(case), &Rooted, &strict());
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.kind == kind && d.severity == Severity::Error),
            "{case}: no `{kind}` error:\n{report}"
        );
    }
}

/// The generated client of a case.
fn client(case: &str) -> String {
    let g = generate(
        std::path::Path::new(&format!("specs/lenient/{case}.yaml")),
        &Rooted,
        &client_options(),
    )
    .unwrap_or_else(|r| panic!("{case}: {r}"));
    let types = &g.files.iter().find(|f| f.name == "types").unwrap().contents;
    let inputs = &g
        .files
        .iter()
        .find(|f| f.name == "operations")
        .unwrap()
        .contents;
    let client = &g
        .files
        .iter()
        .find(|f| f.name == "client")
        .unwrap()
        .contents;
    format!("{types}\n{inputs}\n{client}")
}

fn assert_has(code: &str, needles: &[&str]) {
    for n in needles {
        assert!(code.contains(n), "the generated code lacks {n:?}");
    }
}

#[test]
fn a_dangling_ref_is_a_value_where_it_is_used() {
    assert_has(
        &client("dangling_ref"),
        &[
            "pub source: Option<sb::Value>",
            "pub applied_by: Option<sb::Value>",
            // The request body it names is a JSON value; the 404 keeps its status.
            "pub body: Option<sb::Value>",
            "NotFound(sb::Value)",
        ],
    );
    assert_has(
        &client("dangling_ref_v2"),
        &["pub bulk_envelope_status: Option<sb::Value>"],
    );
}

#[test]
fn path_parameters_follow_the_template() {
    let code = client("path_params");
    // `{accound_sid}` and the declared `account_sid` are one parameter, of the declared type.
    assert_has(
        &code,
        &[
            "pub struct ListMessageInput {",
            "pub account_sid: String,",
            "r.path_param(\"accound_sid\", &self.account_sid)?;",
        ],
    );
    // `{CallSid}`, which no parameter declares, is a required string; `Sid`, which the
    // template lacks, is gone, and so is `QueueSid`.
    assert_has(&code, &["pub call_sid: String,", "r.path(\".json\");"]);
    assert!(
        !code.contains("pub sid:") && !code.contains("queue_sid"),
        "{code}"
    );
}

#[test]
fn a_query_string_in_a_template_is_query_parameters() {
    let code = client("query_in_path");
    assert_has(
        &code,
        &[
            "r.path(\"/api/iconsets/v3/latest\");",
            "pub term: String,",
            "pub amount: i64,",
            "r.query(\"term\", &self.term",
            "r.query(\"amount\", &self.amount",
            // `{?page,style}`: optional.
            "pub page: Option<String>,",
            // `?method=...`: sent by every call.
            ".query(\"method\", \"flickr.photos.search\"",
        ],
    );
    assert!(!code.contains("latest?"), "{code}");
}

#[test]
fn parameter_defects_still_give_typed_parameters() {
    assert_has(
        &client("parameters"),
        &[
            "pub item_id: String,",
            "pub fields: Option<String>,",
            "pub cursor: Option<String>,",
            "pub limit: Option<i32>,",
        ],
    );
}

#[test]
fn fidelity_counts_the_value_places() {
    let g = generate(
        std::path::Path::new("specs/lenient/dangling_ref.yaml"),
        &Rooted,
        &client_options(),
    )
    .unwrap();
    let f = g.stats.fidelity;
    // `Conversation`: id, source (a dangling `$ref`), tags and their item; `Tag`: name,
    // applied_by (a dangling `$ref`).
    assert_eq!((f.schema_nodes, f.schema_values), (6, 2), "{f:?}");
    // Parameters id, display_as and id; the bodies of two 200s, of the dangling 404 and of the
    // dangling request body.
    assert_eq!((f.io, f.io_values), (7, 2), "{f:?}");
    assert!((f.io_share() - 5.0 / 7.0).abs() < 1e-9);
}

#[test]
fn a_schemas_section_that_is_a_ref_names_the_schemas_of_its_file() {
    struct Files;
    impl specbind_codegen::SourceReader for Files {
        fn read(&self, path: &std::path::Path) -> std::io::Result<String> {
            match path.to_str() {
                Some("api.yaml") => Ok("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    $ref: schemas.yaml\n".into()),
                Some("schemas.yaml") => Ok("Pet:\n  type: object\n  properties:\n    name: {type: string}\n".into()),
                _ => Err(std::io::ErrorKind::NotFound.into()),
            }
        }
    }
    let g = generate(
        std::path::Path::new("api.yaml"),
        &Files,
        &Options::default(),
    )
    .unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(g.stats.schemas, 1);
    assert!(
        g.files[0].contents.contains("pub struct Pet {"),
        "{}",
        g.files[0].contents
    );
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
}
