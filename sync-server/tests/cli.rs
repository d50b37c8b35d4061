//! The `storeops-relay` command line with good and bad input.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::process::{Command, Output};

fn relay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storeops-relay"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_store_invite_and_device_lifecycle_works_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = relay(&[
        "store",
        "create",
        "--data-dir",
        d,
        "--name",
        "Demo",
        "--template",
        "plan2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(store.starts_with("store-"));
    let list = relay(&["store", "list", "--data-dir", d]);
    assert!(String::from_utf8_lossy(&list.stdout).contains(&store));
    let invite = relay(&[
        "invite",
        "create",
        "--data-dir",
        d,
        "--store",
        &store,
        "--role",
        "staff",
    ]);
    assert!(invite.status.success(), "{}", stderr(&invite));
    let grant = relay(&["store", "grant", "--data-dir", d, "--valid-hours", "2"]);
    assert!(grant.status.success(), "{}", stderr(&grant));
    assert_eq!(String::from_utf8_lossy(&grant.stdout).trim().len(), 19);
    let backup = dir.path().join("backup.sqlite");
    let out = relay(&["backup", "--data-dir", d, "--to", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(backup.metadata().unwrap().len() > 0);
    // A second backup to the same file is refused rather than overwriting it.
    let again = relay(&["backup", "--data-dir", d, "--to", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("exists"));
}

#[test]
fn bad_input_gets_a_clear_error_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["teleport"], "unknown command"),
        (
            &[
                "store",
                "create",
                "--data-dir",
                d,
                "--name",
                "X",
                "--template",
                "plan9",
            ],
            "plan9",
        ),
        (
            &["store", "create", "--data-dir", d, "--template", "plan1"],
            "missing --name",
        ),
        (
            &[
                "store",
                "create",
                "--data-dir",
                d,
                "--name",
                "X",
                "--template",
                "plan1",
                "--locale",
                "fr",
            ],
            "fr",
        ),
        (
            &[
                "invite",
                "create",
                "--data-dir",
                d,
                "--store",
                "store-x",
                "--role",
                "boss",
            ],
            "not a role",
        ),
        (
            &[
                "invite",
                "create",
                "--data-dir",
                d,
                "--store",
                "store-x",
                "--role",
                "staff",
            ],
            "no store",
        ),
        (
            &[
                "invite",
                "create",
                "--data-dir",
                d,
                "--store",
                "s",
                "--role",
                "staff",
                "--valid-hours",
                "-3",
            ],
            "valid-hours",
        ),
        (
            &["store", "grant", "--data-dir", d, "--valid-hours", "0"],
            "valid-hours",
        ),
        (
            &["store", "grant", "--data-dir", d, "--store", "x"],
            "store",
        ),
        (
            &["device", "revoke", "--data-dir", d, "dev-nope"],
            "no device",
        ),
        (&["serve", "--listen", "not-an-address"], "--listen"),
        (
            &["serve", "--config", "/nonexistent/relay.toml"],
            "cannot read the config file",
        ),
        (
            &["store", "list", "--data-dir", d, "--colour", "blue"],
            "unknown option --colour",
        ),
        (&["store", "list", "--data-dir"], "needs a value"),
        (
            &[
                "store",
                "create",
                "--data-dir",
                d,
                "--name",
                "X",
                "--template",
                "plan1",
                "--demo-people",
                "maybe",
            ],
            "yes or no",
        ),
    ];
    for (args, expected) in cases {
        let out = relay(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = stderr(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // Nothing was created by the failed commands.
    let list = relay(&["store", "list", "--data-dir", d]);
    assert!(list.stdout.is_empty());
}

#[test]
fn the_example_config_is_printed_and_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let out = relay(&["config"]);
    assert!(out.status.success());
    let path = dir.path().join("relay.toml");
    std::fs::write(&path, &out.stdout).unwrap();
    let d = dir.path().join("data");
    let list = relay(&[
        "store",
        "list",
        "--config",
        path.to_str().unwrap(),
        "--data-dir",
        d.to_str().unwrap(),
    ]);
    assert!(list.status.success(), "{}", stderr(&list));
}
