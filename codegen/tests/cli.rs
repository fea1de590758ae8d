//! The `specbind` binary: help texts, `check` reports, `routes`, and `generate` writing
//! exactly the goldens. Snapshots live in `codegen/tests/cli/`; `SPECBIND_BLESS=1` rewrites
//! them. Runs with `--features cli` (CI passes `--all-features`).

mod support;

use std::path::Path;
use std::process::{Command, Output};

use specbind_codegen::Options;
use support::{compare, root, specs_in};

fn specbind(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specbind"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the specbind binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn help_texts_match_the_snapshots() {
    let mut failures = Vec::new();
    for (args, name) in [
        (vec!["--help"], "help"),
        (vec!["generate", "--help"], "generate-help"),
        (vec!["check", "--help"], "check-help"),
        (vec!["routes", "--help"], "routes-help"),
    ] {
        let out = specbind(&args);
        assert!(out.status.success(), "{args:?}");
        if let Err(e) = compare(
            &Path::new("codegen/tests/cli").join(format!("{name}.txt")),
            &stdout(&out),
        ) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_builder_option_is_a_flag_of_generate_and_check() {
    for cmd in ["generate", "check"] {
        let help = stdout(&specbind(&[cmd, "--help"]));
        for flag in Options::FLAGS {
            assert!(
                help.contains(&format!("--{}[=<BOOL>]", flag.cli)),
                "`{cmd}` lacks --{}",
                flag.cli
            );
        }
    }
    // And the flag sets the same option the builder method does.
    let out_dir = std::env::temp_dir().join(format!("specbind-cli-flag-{}", std::process::id()));
    let out = specbind(&[
        "generate",
        "specs/petstore.yaml",
        "--enum-fallback",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let types = std::fs::read_to_string(out_dir.join("petstore/types.rs")).unwrap();
    let golden =
        std::fs::read_to_string(root().join("codegen/tests/golden/petstore_fallback/types.rs"))
            .unwrap();
    assert_eq!(
        types, golden,
        "--enum-fallback and .enum_fallback(true) differ"
    );
    std::fs::remove_dir_all(out_dir).ok();
}

#[test]
fn check_prints_the_same_reports_as_the_snapshots_and_fails() {
    for case in specs_in("specs/errors") {
        let out = specbind(&["check", case.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", case.display());
        let expected = std::fs::read_to_string(root().join(case.with_extension("stderr"))).unwrap();
        assert_eq!(stdout(&out), expected, "{}", case.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
}

#[test]
fn check_passes_our_specs_and_speaks_json() {
    let out = specbind(&["check", "specs/petstore.yaml", "specs/petstore_v2.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let out = specbind(&["check", "--format", "json", "specs/errors/broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let all = all.as_array().expect("an array");
    assert_eq!(all.len(), 14);
    assert_eq!(all[0]["line"], 23);
    assert_eq!(all[0]["severity"], "warning");
    assert_eq!(all[0]["kind"], "dangling-ref");
    assert!(all.iter().any(|d| d["severity"] == "error"));
    assert!(all[0]["pointer"].as_str().unwrap().starts_with("#/paths/"));
}

#[test]
fn human_errors_for_a_missing_file_and_bad_yaml() {
    let out = specbind(&["check", "specs/nope.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("specs/nope.yaml: error: cannot read the spec"),
        "{}",
        stdout(&out)
    );
    let out = specbind(&[
        "generate",
        "specs/errors/bad_yaml.yaml",
        "--out",
        "target/never",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("specs/errors/bad_yaml.yaml:7:11: error: invalid YAML"),
        "{stderr}"
    );
}

#[test]
fn routes_of_the_petstore() {
    let out = specbind(&["routes", "specs/petstore.yaml"]);
    assert!(out.status.success());
    compare(
        Path::new("codegen/tests/cli/routes-petstore.txt"),
        &stdout(&out),
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn generate_writes_exactly_the_goldens() {
    let out_dir =
        std::env::temp_dir().join(format!("specbind-cli-generate-{}", std::process::id()));
    let specs = specs_in("specs");
    // The strict accounts' goldens are generated with `--reject-read-only`.
    let (strict, plain): (Vec<_>, Vec<_>) = specs
        .iter()
        .partition(|s| s.ends_with("accounts_strict.yaml"));
    for (group, flags) in [(plain, vec![]), (strict, vec!["--reject-read-only"])] {
        let mut args = vec!["generate".to_owned()];
        args.extend(group.iter().map(|s| s.display().to_string()));
        args.extend(flags.iter().map(|f| (*f).to_owned()));
        args.extend(["--out".to_owned(), out_dir.display().to_string()]);
        let out = specbind(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for spec in specs {
        let name = specbind_codegen::builder::spec_name(&spec);
        let written = std::fs::read_to_string(out_dir.join(&name).join("types.rs")).unwrap();
        let golden = std::fs::read_to_string(
            root()
                .join("codegen/tests/golden")
                .join(&name)
                .join("types.rs"),
        )
        .unwrap();
        assert_eq!(written, golden, "{}", spec.display());
        let module = std::fs::read_to_string(out_dir.join(&name).join("mod.rs")).unwrap();
        assert!(module.contains("pub mod types;"), "{module}");
    }
    std::fs::remove_dir_all(out_dir).ok();
}

#[test]
fn generate_with_server_and_client_writes_their_goldens() {
    let out_dir = std::env::temp_dir().join(format!("specbind-cli-server-{}", std::process::id()));
    let out = specbind(&[
        "generate",
        "specs/gateway.yaml",
        "--server",
        "--client",
        "--not-implemented",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in ["types.rs", "server.rs", "client.rs"] {
        let written = std::fs::read_to_string(out_dir.join("gateway").join(file)).unwrap();
        let golden =
            std::fs::read_to_string(root().join("codegen/tests/golden/gateway").join(file))
                .unwrap();
        assert_eq!(written, golden, "{file}");
    }
    let module = std::fs::read_to_string(out_dir.join("gateway/mod.rs")).unwrap();
    assert!(
        module.contains("pub mod types;")
            && module.contains("pub mod server;")
            && module.contains("pub mod client;"),
        "{module}"
    );
    std::fs::remove_dir_all(out_dir).ok();
}

#[test]
fn many_warnings_of_one_kind_print_once_with_a_count_and_verbose_lists_them() {
    let spec = "specs/lenient/unnamed.yaml";
    let out = specbind(&["check", spec]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].starts_with("specs/lenient/unnamed.yaml:9:5: warning: operation has no `operationId`; it is named `get_a` (#/paths/~1a/get)"),
        "{text}"
    );
    assert_eq!(
        lines[3],
        "specs/lenient/unnamed.yaml: warning: 3 more warnings of kind `missing-operation-id` like the 3 above, 6 in all (`--verbose` or `SPECBIND_VERBOSE=1` lists every one)"
    );
    assert_eq!(lines[4], "0 errors, 6 warnings");
    let verbose = stdout(&specbind(&["check", "--verbose", spec]));
    assert_eq!(verbose.lines().count(), 7, "{verbose}");
    assert!(!verbose.contains("more warnings"), "{verbose}");
    // `generate` prints them the same way, on stderr, and the files on stdout.
    let out_dir = std::env::temp_dir().join(format!("specbind-cli-grouped-{}", std::process::id()));
    let out = specbind(&["generate", spec, "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    assert!(
        stderr.contains("3 more warnings of kind `missing-operation-id`"),
        "{stderr}"
    );
    assert!(stdout(&out).contains("unnamed/types.rs"));
    std::fs::remove_dir_all(out_dir).ok();
}

#[test]
fn strict_refuses_a_spec_with_defects_that_lenient_generates() {
    let spec = "specs/lenient/path_params.yaml";
    assert_eq!(specbind(&["check", spec]).status.code(), Some(0));
    let out = specbind(&["check", "--strict", spec]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "error: path template `/Accounts/{accound_sid}/Messages.json` has `{accound_sid}`"
        ),
        "{text}"
    );
    let out_dir = std::env::temp_dir().join(format!("specbind-cli-strict-{}", std::process::id()));
    let out = specbind(&[
        "generate",
        spec,
        "--client",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out_dir.join("path_params/client.rs").is_file());
    let out = specbind(&[
        "generate",
        spec,
        "--strict",
        "--out",
        out_dir.join("strict").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out_dir.join("strict").exists());
    std::fs::remove_dir_all(out_dir).ok();
}

#[test]
fn a_closed_stdout_is_no_panic() {
    // `specbind check --format json big.json | head -c 100`: the reader goes away first.
    let mut child = Command::new(env!("CARGO_BIN_EXE_specbind"))
        .args(["check", "--format", "json", "specs/errors/broken.yaml"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the specbind binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}
