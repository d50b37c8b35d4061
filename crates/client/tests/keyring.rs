//! With an OS keyring (a Secret Service on a D-Bus session), the device token lives
//! there and nowhere on disk; signing out removes it. The outer test starts a private
//! session bus with gnome-keyring (installed by `cargo xtask setup`) and runs the
//! inner one inside it.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::process::Command;

use storeops_client::{Enrolment, Replica};

#[test]
fn with_an_os_keyring_the_device_token_is_kept_there_not_on_disk() {
    let me = std::env::current_exe().unwrap();
    let script = format!(
        "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
         exec '{}' --exact inner_token_lives_in_the_keyring --ignored --nocapture",
        me.display()
    );
    // A fresh keyring directory: gnome-keyring makes its login keyring there with the
    // password given, unlocked, instead of prompting for an existing one.
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_RUNTIME_DIR", home.path())
        .output()
        .expect("dbus-run-session (package dbus) is needed; run `cargo xtask setup`");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("1 passed"),
        "the inner test did not run:\n{log}"
    );
}

#[test]
#[ignore = "run inside a D-Bus session with a Secret Service, by the test above"]
fn inner_token_lives_in_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Replica::open(dir.path()).unwrap();
    let enrolment = Enrolment {
        relay_url: "http://127.0.0.1:9".into(),
        device_id: "dev-keyring".into(),
        device_name: "Phone".into(),
        store_id: "store-keyring".into(),
        store_name: "Keyring store".into(),
        root_document_id: storeops_sync::DocumentId::from_bytes([3; 16]).to_string(),
        role: "staff".into(),
        person: None,
        relay_ca_pem: None,
    };
    r.save_enrolment(enrolment, "token-in-the-keyring").unwrap();
    assert!(
        !dir.path().join("device-token").exists(),
        "the token was written to disk although a keyring is available"
    );
    assert_eq!(r.token().unwrap(), "token-in-the-keyring");
    drop(r);
    let mut r = Replica::open(dir.path()).unwrap();
    assert_eq!(
        r.token().unwrap(),
        "token-in-the-keyring",
        "after a restart"
    );
    r.sign_out().unwrap();
    assert!(
        r.token().is_err(),
        "signing out removes it from the keyring"
    );
}
