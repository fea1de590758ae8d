//! The build-script front end: output layout, files rewritten only when they change, every
//! `$ref`'d file reported as an input, and problems of several specs reported together.

mod support;

use std::path::PathBuf;

use specbind_codegen::builder::BuildError;
use specbind_codegen::{FsReader, Options, configure, generate};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("specbind-builder-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_one_folder_per_spec_and_leaves_unchanged_files_alone() {
    let out = scratch("layout");
    let root = support::root();
    let written = configure()
        .spec(root.join("specs/petstore.yaml"))
        .spec_named(root.join("specs/petstore_v2.yaml"), "legacy")
        .out_dir(&out)
        .generate()
        .expect("our specs generate");
    let names: Vec<String> = written
        .iter()
        .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "specbind/petstore/types.rs",
            "specbind/petstore/persist.rs",
            "specbind/petstore/mod.rs",
            "specbind/legacy/types.rs",
            "specbind/legacy/persist.rs",
            "specbind/legacy/mod.rs"
        ]
    );
    let types = out.join("specbind/petstore/types.rs");
    let before = std::fs::metadata(&types).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    configure()
        .spec(root.join("specs/petstore.yaml"))
        .out_dir(&out)
        .generate()
        .unwrap();
    let after = std::fs::metadata(&types).unwrap().modified().unwrap();
    assert_eq!(before, after, "an unchanged file was rewritten");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn every_file_a_ref_reaches_is_an_input() {
    let root = support::root();
    let g = generate(
        &root.join("specs/split/api.yaml"),
        &FsReader,
        &Options::default(),
    )
    .unwrap();
    let inputs: Vec<String> = g
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(inputs, ["api.yaml", "common.yaml", "item.yaml"]);
    let types = &g.files[0].contents;
    for name in [
        "pub struct Item ",
        "pub struct Supplier ",
        "pub struct Problem ",
        "pub struct ItemCode(",
        "pub struct Inventory(",
    ] {
        assert!(types.contains(name), "missing {name:?}");
    }
}

#[test]
fn problems_of_every_spec_are_reported_together() {
    let root = support::root();
    let errors = configure()
        .spec(root.join("specs/errors/broken.yaml"))
        .spec(root.join("specs/errors/not_a_spec.yaml"))
        .spec(root.join("specs/petstore.yaml"))
        .spec_named(root.join("specs/petstore_v2.yaml"), "petstore")
        .out_dir(scratch("errors"))
        .generate()
        .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(matches!(&errors[0], BuildError::Spec { report, .. } if report.error_count() >= 2));
    assert!(matches!(&errors[1], BuildError::Spec { report, .. } if report.error_count() == 1));
    assert!(matches!(&errors[2], BuildError::DuplicateName(n) if n == "petstore"));
    let text = errors[0].to_string();
    assert!(
        text.contains("broken.yaml:42:7: error: `x-bind-client: fetch`"),
        "{text}"
    );
}
