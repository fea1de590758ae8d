//! Compile-fail snapshots: a generated server whose bound function is missing or has the
//! wrong signature must fail `cargo build` with an error that names the bound function.
//!
//! Each fixture in `tests/compile-fail/` includes the checked-in petstore golden
//! (`codegen/tests/golden/petstore/{types,server}.rs`) next to a hand-written `mod handlers`
//! that gets `get_pet` wrong; the expected compiler output is the `.stderr` file beside it.
//! The fixtures are not cargo targets (they sit in a subfolder); trybuild builds them.
//!
//! The snapshots are rustc's own diagnostics, so they depend on the compiler version: they
//! were recorded with rustc 1.95.0, the toolchain of the project's machines and CI. After a
//! toolchain bump, or a change of the generated route code, re-record them with
//! `TRYBUILD=overwrite cargo test --test compile_fail` and review the diff.
//!
//! The generated route calls the bound function through a per-operation `bind_*` helper, so
//! each mistake is one error naming the function and the signature it must have. trybuild
//! blanks line numbers of files other than the fixture, but not those inside rustc's `help:`
//! suggestions, which quote the golden: the argument-type snapshots carry a golden line number
//! and are re-recorded with the goldens.

#[test]
fn bound_function_errors() {
    trybuild::TestCases::new().compile_fail("tests/compile-fail/*.rs");
}
