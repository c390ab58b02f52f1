//! `trellis --help` and each command's help, as a user reads them: snapshots in `help/`
//! (written again with `TRELLIS_BLESS=1`).

mod common;

use std::process::Command;

fn help(args: &[&str], snapshot: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{args:?} fails");
    let text = String::from_utf8(output.stdout).expect("the help is UTF-8");
    common::snapshot(&text, snapshot);
}

#[test]
fn trellis_help() {
    help(&["--help"], "trellis.txt");
}

#[test]
fn pull_help() {
    help(&["pull", "--help"], "pull.txt");
}
