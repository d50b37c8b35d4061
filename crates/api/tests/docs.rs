//! `docs/design/app-api.md` is checked against the crate: every command and every
//! error code is documented, and the page names no command that does not exist.

use storeops_api::{COMMANDS, ErrorCode};

fn page() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/design/app-api.md");
    std::fs::read_to_string(path).expect("docs/design/app-api.md")
}

#[test]
fn every_command_has_a_row_and_every_row_a_command() {
    let page = page();
    for name in COMMANDS {
        assert!(
            page.contains(&format!("| `{name}` |")),
            "docs/design/app-api.md has no row for the command `{name}`"
        );
    }
    let commands_section = page
        .split("## Commands")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Commands section");
    for row in commands_section.lines().filter(|l| l.starts_with("| `")) {
        let name = row
            .trim_start_matches("| `")
            .split('`')
            .next()
            .unwrap_or("");
        assert!(
            COMMANDS.contains(&name),
            "docs/design/app-api.md documents `{name}`, which is not a command"
        );
    }
}

#[test]
fn every_error_code_is_documented() {
    let page = page();
    for code in ErrorCode::ALL {
        assert!(
            page.contains(&format!("| `{}` |", code.as_str())),
            "docs/design/app-api.md does not list the error code `{}`",
            code.as_str()
        );
    }
}
