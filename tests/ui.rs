//! Compile-time behaviour of `#[derive(Model)]`: every mistake in `tests/ui/` must fail with the
//! message in its `.stderr` snapshot, and every model in `tests/ui-pass/` must keep compiling.
//!
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test --test ui`, then read them: the
//! messages are the feature.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
