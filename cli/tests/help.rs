//! `trellis --help` and each command's help, as a user reads them: snapshots in `help/`
//! (written again with `TRELLIS_BLESS=1`).

use std::process::Command;

fn help(args: &[&str], snapshot: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{args:?} fails");
    let text = String::from_utf8(output.stdout).expect("the help is UTF-8");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/help")
        .join(snapshot);
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, &text).expect("the snapshot writes");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        text, expected,
        "the help changed: write it with TRELLIS_BLESS=1"
    );
}

#[test]
fn trellis_help() {
    help(&["--help"], "trellis.txt");
}

#[test]
fn pull_help() {
    help(&["pull", "--help"], "pull.txt");
}
