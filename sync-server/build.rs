//! Embeds the phone web app (`crates/web/dist`, built by `cargo xtask web`) in the
//! relay binary: writes `$OUT_DIR/web_app.rs`, a list of (path, bytes). Without a
//! built web app the list is empty and the relay says so at `/` (or serves
//! `--web-dir`); nothing else needs the web app, so `cargo build` works without it.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dist = manifest.join("../crates/web/dist");
    // A directory is scanned as a whole; before the first web build, watch its parent
    // so the first build is noticed.
    let watched = if dist.is_dir() {
        dist.clone()
    } else {
        manifest.join("../crates/web")
    };
    println!("cargo:rerun-if-changed={}", watched.display());
    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();
    let mut out = String::from("&[\n");
    for (name, path) in &files {
        out.push_str(&format!(
            "    ({name:?}, include_bytes!({:?}) as &[u8]),\n",
            path.display().to_string()
        ));
    }
    out.push_str("]\n");
    let target =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("web_app.rs");
    std::fs::write(&target, out).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative.to_string_lossy().replace('\\', "/");
            let absolute = path.canonicalize().unwrap_or(path);
            files.push((name, absolute));
        }
    }
}
