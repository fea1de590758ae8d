//! What the root build script wrote to `OUT_DIR` is byte for byte the goldens of
//! `codegen/tests/golden` (which the `specbind generate` CLI is also tested against).

#[test]
fn build_script_output_equals_the_goldens() {
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/tests/golden");
    let out = std::path::Path::new(env!("OUT_DIR")).join("specbind");
    let mut compared = 0;
    for entry in std::fs::read_dir(&golden).expect("goldens exist") {
        let name = entry.expect("readable").file_name();
        for file in std::fs::read_dir(golden.join(&name)).expect("a golden folder") {
            let file = file.expect("readable").file_name();
            let expected =
                std::fs::read_to_string(golden.join(&name).join(&file)).expect("golden file");
            let actual = std::fs::read_to_string(out.join(&name).join(&file))
                .unwrap_or_else(|e| panic!("build.rs did not write {name:?}/{file:?}: {e}"));
            assert!(
                actual == expected,
                "{name:?}/{file:?}: build.rs output differs from the golden"
            );
            compared += 1;
        }
    }
    assert!(compared >= 8, "only {compared} goldens");
}
