//! Test helper: opens a device's data directory (already enrolled) without
//! syncing and adds tasks as fast as it can, printing `saved <title>` after each
//! command returned — the moment the UI would show "Saved". The crash test kills
//! it with SIGKILL at random moments.

use std::io::Write;

use storeops_api::Handles;
use storeops_api::command::AddTask;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(prefix)) = (args.next(), args.next()) else {
        eprintln!("usage: offline_writer DATA_DIR TITLE_PREFIX");
        std::process::exit(2);
    };
    let device = match storeops_client::Device::open(std::path::Path::new(&dir)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot open {dir}: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let title = format!("{prefix}-{n}");
        if let Err(e) = device.handle(AddTask::titled(title.clone())) {
            eprintln!("add_task failed: {e}");
            std::process::exit(1);
        }
        // Only now may the UI say "Saved".
        if writeln!(out, "saved {title}")
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}
