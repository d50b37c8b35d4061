//! The phone web app, served on the relay's own origin (so the page, `/v1/*` and
//! `/sync` need no CORS): the files embedded at build time (see `build.rs`), or those
//! of `--web-dir` when given, read once at start. Every page of the app (`/`,
//! `/enrol`) is `index.html`. Each file is kept compressed as well and sent so to
//! browsers that take gzip, with its content type, an `ETag` and `no-cache` (the
//! service worker keeps the app for offline use; the browser revalidates cheaply).
//! `sw.js` gets this build's version and file list, so each relay build has its own
//! offline cache and a new one installs cleanly.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The files `build.rs` embedded: (path under the app, bytes).
const EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_app.rs"));

/// The service worker's script, whose placeholders are filled in per build.
const SERVICE_WORKER: &str = "sw.js";

/// Only the relay's own code runs in the page: its scripts and wasm, talking to this
/// origin (a lifted token is the attacker's prize, so no injected script may run).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
     worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

#[derive(Debug)]
struct Asset {
    body: Bytes,
    gzip: Option<Bytes>,
    content_type: &'static str,
    etag: HeaderValue,
}

/// The web app's files, ready to serve.
#[derive(Debug, Default)]
pub struct WebApp {
    assets: HashMap<String, Asset>,
    /// The build's version: a digest of every file.
    version: String,
}

impl WebApp {
    /// The files of `dir`, or without one those built into the relay.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let files = match dir {
            Some(dir) => read_dir(dir)
                .with_context(|| format!("cannot read the web app in {}", dir.display()))?,
            None => EMBEDDED
                .iter()
                .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
                .collect(),
        };
        Ok(Self::from_files(files))
    }

    fn from_files(mut files: Vec<(String, Vec<u8>)>) -> Self {
        files.sort();
        let mut digest = Sha256::new();
        for (name, bytes) in &files {
            digest.update(name.as_bytes());
            digest.update((bytes.len() as u64).to_le_bytes());
            digest.update(bytes);
        }
        let version = hex(&digest.finalize()[..8]);
        let mut precache: Vec<String> = files
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| *name != SERVICE_WORKER && *name != "index.html")
            .map(|name| format!("./{name}"))
            .collect();
        precache.insert(0, "./".to_owned());
        let precache = serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into());
        let assets = files
            .into_iter()
            .map(|(name, bytes)| {
                let bytes = if name == SERVICE_WORKER {
                    String::from_utf8_lossy(&bytes)
                        .replace("\"__VERSION__\"", &format!("{version:?}"))
                        .replace("__FILES__", &precache)
                        .into_bytes()
                } else {
                    bytes
                };
                let asset = Asset::new(&name, bytes);
                (name, asset)
            })
            .collect();
        Self { assets, version }
    }

    /// Whether a web app was built into the relay (or given with `--web-dir`).
    pub fn is_built(&self) -> bool {
        self.assets.contains_key("index.html")
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The answer to `GET path`.
    pub fn response(&self, path: &str, request: &HeaderMap) -> Response {
        let name = match path.trim_start_matches('/') {
            "" | "enrol" | "index.html" => "index.html",
            other => other,
        };
        let Some(asset) = self.assets.get(name) else {
            if name == "index.html" {
                return (
                    StatusCode::NOT_FOUND,
                    "Storeops relay. The phone web app is not built into this relay: run \
                     `cargo xtask web` and build the relay again, or start it with \
                     --web-dir crates/web/dist.\n",
                )
                    .into_response();
            }
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, asset.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if name == "index.html" {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
        }
        let fresh = request
            .get(header::IF_NONE_MATCH)
            .is_some_and(|tags| tags.as_bytes() == asset.etag.as_bytes());
        if fresh {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        let takes_gzip = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        let body = match (&asset.gzip, takes_gzip) {
            (Some(gzip), true) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                gzip.clone()
            }
            _ => asset.body.clone(),
        };
        (StatusCode::OK, headers, body).into_response()
    }
}

impl Asset {
    fn new(name: &str, body: Vec<u8>) -> Self {
        let content_type = content_type(name);
        let etag = HeaderValue::from_str(&format!("\"{}\"", hex(&Sha256::digest(&body)[..12])))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        let gzip = compressible(content_type)
            .then(|| gzip(&body))
            .flatten()
            .filter(|z| z.len() < body.len())
            .map(Bytes::from);
        Self {
            body: Bytes::from(body),
            gzip,
            content_type,
            etag,
        }
    }
}

fn read_dir(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative.to_string_lossy().replace('\\', "/");
                files.push((name, std::fs::read(&path)?));
            }
        }
    }
    Ok(files)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    !matches!(content_type, "image/png" | "font/woff2")
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> WebApp {
        WebApp::from_files(vec![
            ("index.html".into(), b"<!doctype html><p>app</p>".repeat(20)),
            (
                "sw.js".into(),
                b"const VERSION = \"__VERSION__\"; const FILES = __FILES__;".to_vec(),
            ),
            ("storeops_ui_bg.wasm".into(), vec![0u8; 4096]),
            ("icon-192.png".into(), vec![1u8; 300]),
        ])
    }

    async fn body(r: Response) -> (StatusCode, HeaderMap, Vec<u8>) {
        let (parts, body) = r.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap()
            .to_vec();
        (parts.status, parts.headers, bytes)
    }

    #[tokio::test]
    async fn every_page_of_the_app_is_the_index_with_its_type_and_policy() {
        let app = app();
        for path in ["/", "/enrol", "/index.html"] {
            let (status, headers, bytes) = body(app.response(path, &HeaderMap::new())).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
            assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
            assert!(bytes.starts_with(b"<!doctype html>"));
        }
        let (status, _, _) = body(app.response("/../relay.sqlite", &HeaderMap::new())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn compressed_for_browsers_that_take_it_and_revalidated_by_etag() {
        let app = app();
        let mut gzip = HeaderMap::new();
        gzip.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip"),
        );
        let (_, headers, bytes) = body(app.response("/storeops_ui_bg.wasm", &gzip)).await;
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
        assert!(bytes.len() < 4096);
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, headers[header::ETAG].clone());
        let (status, _, bytes) = body(app.response("/storeops_ui_bg.wasm", &again)).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(bytes.is_empty());
        // Pictures are sent as they are.
        let (_, headers, _) = body(app.response("/icon-192.png", &gzip)).await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
    }

    #[tokio::test]
    async fn the_service_worker_caches_this_build_by_its_version() {
        let app = app();
        let (_, _, bytes) = body(app.response("/sw.js", &HeaderMap::new())).await;
        let script = String::from_utf8(bytes).unwrap();
        assert!(
            script.contains(&format!("\"{}\"", app.version())),
            "{script}"
        );
        assert!(
            script.contains(r#"["./","./icon-192.png","./storeops_ui_bg.wasm"]"#),
            "{script}"
        );
        let other = WebApp::from_files(vec![("index.html".into(), b"v2".to_vec())]);
        assert_ne!(other.version(), app.version());
    }

    #[tokio::test]
    async fn a_relay_without_the_web_app_says_how_to_build_it() {
        let app = WebApp::default();
        assert!(!app.is_built());
        let (status, _, bytes) = body(app.response("/", &HeaderMap::new())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(
            String::from_utf8(bytes)
                .unwrap()
                .contains("cargo xtask web")
        );
    }
}
