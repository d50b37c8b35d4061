//! Bad command lines: each gets a clear error and exit code 2 before anything
//! starts (no relay, no work directory).

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::process::Command;

fn refused(args: &[&str], says: &str) {
    let work = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_storeops-loadgen"))
        .arg("--work-dir")
        .arg(work.path().join("w"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr:?} lacks {says:?}");
    assert!(
        !work.path().join("w").exists(),
        "{args:?} started something"
    );
}

#[test]
fn bad_command_lines_are_refused_before_anything_starts() {
    refused(&["frobnicate"], "unknown command \"frobnicate\"");
    refused(&["compare", "--bogus", "1"], "unknown option --bogus");
    refused(
        &["compare", "--stores", "ten"],
        "--stores \"ten\" is not a number",
    );
    refused(&["compare", "--saturate-edits", "0"], "at least one edit");
    refused(
        &["compare", "--saturate-edits", "-5"],
        "--saturate-edits \"-5\" is not a number",
    );
    refused(
        &["compare", "--saturate", "5", "--saturate-edits", "100"],
        "give one of them",
    );
    refused(&["run", "--stores", "2"], "--relay-data DIR");
    refused(&["compare", "--steady"], "--steady needs a value");
}
