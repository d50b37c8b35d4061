//! Project automation with no dependencies beyond std.
//!
//! - `cargo xtask run`  — set up, build, start the relay and the app on a demo store.
//! - `cargo xtask test` — set up, build, then fmt, clippy and every test (end-to-end
//!   ones under Xvfb).
//! - `cargo xtask setup` — only the idempotent installs.
//! - `cargo xtask frontend` — only build the wasm UI into `frontend/dist`.
//! - `cargo xtask bench-shells` — the phone web app beside the desktop app (release
//!   builds, under Xvfb): `tests/benches/shells.rs`, numbers in `docs/benchmarks.md`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

type Result<T = ()> = std::result::Result<T, String>;

/// Debian packages the app, the UI tests and the screenshots need.
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "imagemagick",
    "fonts-noto-cjk",
    // The device token in the OS keyring: the D-Bus library the keyring crate links,
    // and a Secret Service (plus a session bus) for the keyring test.
    "libdbus-1-dev",
    "dbus",
    "gnome-keyring",
    // The phone web app: clang compiles SQLite's C to wasm (sqlite-wasm-rs); the
    // web app's tests drive a real Chromium through chromedriver.
    "clang",
    "chromium",
    "chromium-driver",
    // The relay on PostgreSQL: its tests start a private server of their own
    // (`storeops_storage_postgres::testing`), as the unprivileged `postgres` user.
    "postgresql",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(),
        Some("frontend") => setup().and_then(|_| build_frontend()),
        Some("web") => setup().and_then(|_| build_web()),
        Some("run") => run(),
        Some("test") => test(&args[1..]),
        Some("bench-shells") => bench_shells(),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|setup|frontend|web|bench-shells>\n\
                 \x20 run    start the relay and the app on a demo store\n\
                 \x20 test   fmt, clippy and every test, end-to-end included\n\
                 \x20 setup  install what the project needs (idempotent)\n\
                 \x20 web    build the phone web app into crates/web/dist (the relay embeds it)\n\
                 \x20 bench-shells  the phone web app and the desktop app on a year of data"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root. `cargo run` says where xtask's manifest is at run time; the
/// path baked in at build time is only a fallback (a binary reused from a shared
/// target directory may have been built in another checkout).
fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

fn status(c: &mut Command) -> Result {
    let shown = format!("{c:?}");
    let st = c
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({st})"))
    }
}

fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo() -> Command {
    cmd(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Where the project's cargo tools (wasm-bindgen, tauri-driver, cargo-fuzz) live:
/// `STOREOPS_TOOLS_DIR`, else `tools/` in the target directory. The project installs
/// them there itself, so nothing is assumed from `~/.cargo/bin`; `.ci/run` points it
/// at an empty directory on every run to prove the installs work from nothing.
fn tools_dir() -> PathBuf {
    std::env::var_os("STOREOPS_TOOLS_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| target_dir().join("tools"))
}

fn tool(name: &str) -> PathBuf {
    tools_dir().join("bin").join(name)
}

/// `PATH` with the tools directory first, for the tests (tauri-driver) and cargo's
/// own subcommand lookup (cargo-fuzz).
fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_dir().join("bin")];
    dirs.extend(
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    std::env::join_paths(dirs).unwrap_or_default()
}

/// `cargo install` of one tool into the tools directory. Its build directory sits in
/// the target directory, so a reinstall into an empty tools directory is only a copy.
fn cargo_install(krate: &str, version: Option<&str>, locked: bool) -> Result {
    let mut c = cargo();
    c.current_dir("/")
        .args(["install", krate, "--force", "--root"])
        .arg(tools_dir())
        .arg("--target-dir")
        .arg(target_dir().join("tool-builds"));
    if let Some(v) = version {
        c.args(["--version", v]);
    }
    if locked {
        c.arg("--locked");
    }
    status(&mut c)
}

/// The version a tool prints with `--version` (its second word), if it runs at all.
fn tool_version(name: &str) -> Option<String> {
    output(Command::new(tool(name)).arg("--version"))
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
}

// ---------------------------------------------------------------- setup

fn setup() -> Result {
    install_apt_packages()?;
    install_wasm_target()?;
    install_wasm_bindgen()?;
    install_tauri_driver()?;
    if has_nightly() {
        install_cargo_fuzz()?;
    } else {
        eprintln!("cargo-fuzz: not installed, no nightly toolchain on this machine to run it");
    }
    install_interop_packages()?;
    Ok(())
}

/// The real JS automerge-repo client for the interop tests, from npm.
fn install_interop_packages() -> Result {
    let dir = root().join("tests/interop");
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        eprintln!("JS automerge-repo client: node_modules up to date with package-lock.json");
        return Ok(());
    }
    // Any Node.js on PATH will do (the machine may bring a newer one than Debian's).
    if output(Command::new("node").arg("--version")).is_none()
        || output(Command::new("npm").arg("--version")).is_none()
    {
        apt_install(&["nodejs", "npm"])?;
    }
    step("installing the JS automerge-repo client (npm install)");
    status(
        Command::new("npm")
            .current_dir(&dir)
            .args(["install", "--no-audit", "--no-fund"]),
    )
}

fn install_apt_packages() -> Result {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            output(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
                .is_none_or(|s| !s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        eprintln!("Debian packages: all {} installed", APT_PACKAGES.len());
        return Ok(());
    }
    apt_install(&missing)
}

/// `apt-get update` + `install`, through sudo when not root.
fn apt_install(packages: &[&str]) -> Result {
    step(&format!(
        "installing Debian packages: {}",
        packages.join(" ")
    ));
    let sudo = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() != "0");
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        c.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        c
    };
    status(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q"]);
    install.args(packages);
    status(&mut install)
}

fn install_wasm_target() -> Result {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("wasm32-unknown-unknown target: installed");
        return Ok(());
    }
    step("adding the wasm32-unknown-unknown target");
    status(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
fn locked_version(krate: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{krate} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

fn install_wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    if tool_version("wasm-bindgen").as_deref() == Some(version.as_str()) {
        eprintln!(
            "wasm-bindgen-cli {version}: already in {}",
            tools_dir().display()
        );
        return Ok(());
    }
    step(&format!(
        "installing wasm-bindgen-cli {version} into {} (a few minutes the first time)",
        tools_dir().display()
    ));
    // Not --locked: its lockfile wants a crate version the registry mirror lacks.
    cargo_install("wasm-bindgen-cli", Some(&version), false)
}

/// The version of `krate` that `cargo install` put in the tools directory, from its
/// record (tauri-driver has no `--version`).
fn installed_version(krate: &str) -> Option<String> {
    let record = std::fs::read_to_string(tools_dir().join(".crates.toml")).ok()?;
    let prefix = format!("\"{krate} ");
    record.lines().find_map(|line| {
        let rest = line.strip_prefix(&prefix)?;
        let version = rest.split_whitespace().next()?;
        tool(krate).exists().then(|| version.to_owned())
    })
}

fn install_tauri_driver() -> Result {
    if installed_version("tauri-driver").is_some_and(|v| v.starts_with("2.")) {
        eprintln!("tauri-driver: already in {}", tools_dir().display());
        return Ok(());
    }
    step(&format!(
        "installing tauri-driver 2 into {}",
        tools_dir().display()
    ));
    cargo_install("tauri-driver", Some("^2"), true)
}

/// cargo-fuzz itself builds on stable; only running the targets needs nightly.
fn install_cargo_fuzz() -> Result {
    if tool_version("cargo-fuzz").is_some() {
        eprintln!("cargo-fuzz: already in {}", tools_dir().display());
        return Ok(());
    }
    step(&format!(
        "installing cargo-fuzz into {}",
        tools_dir().display()
    ));
    cargo_install("cargo-fuzz", None, true)
}

/// Whether a nightly toolchain is installed (cargo fuzz needs one to run).
fn has_nightly() -> bool {
    output(
        Command::new("rustup")
            .current_dir("/")
            .args(["toolchain", "list"]),
    )
    .unwrap_or_default()
    .lines()
    .any(|l| l.starts_with("nightly"))
}

// ---------------------------------------------------------------- builds

fn build_frontend() -> Result {
    // Optimised, as the phone gets it (one build serves both): unoptimised Yew needs
    // more than wasm's 1 MB stack on big renders, which then fail as out-of-bounds
    // memory accesses.
    step("building the UI (wasm, the `web` profile)");
    status(cargo().args([
        "build",
        "--profile",
        "web",
        "-p",
        "storeops-ui",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let dist = root().join("frontend/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    bind_wasm("storeops_ui", "web", &dist)?;
    copy_dir(&root().join("frontend/static"), &dist)
}

/// Runs wasm-bindgen (`--target web`) on `crate_name`'s wasm, built with `profile`, into `out`.
fn bind_wasm(crate_name: &str, profile: &str, out: &Path) -> Result {
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join(format!("{crate_name}.wasm"));
    status(
        Command::new(tool("wasm-bindgen"))
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                crate_name,
                "--out-dir",
            ])
            .arg(out)
            .arg(&wasm),
    )
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target)
            .map_err(|e| format!("cannot copy to {}: {e}", target.display()))?;
    }
    Ok(())
}

/// The phone web app, optimised, into `crates/web/dist`: the UI (`frontend/dist`, the
/// very build the desktop embeds), the device's worker (`storeops-web`), the page's files and the web app's
/// own (worker script, service worker, manifest, icons). The relay embeds the
/// directory when it is built, so this runs before the relay is built.
fn build_web() -> Result {
    build_frontend()?;
    step("building the phone web app's worker (wasm, the `web` profile)");
    status(cargo().args([
        "build",
        "--profile",
        "web",
        "-p",
        "storeops-web",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let dist = root().join("crates/web/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    // The UI as the desktop embeds it (the same build), then the worker's own files.
    copy_dir(&root().join("frontend/dist"), &dist)?;
    bind_wasm("storeops_web", "web", &dist)?;
    copy_dir(&root().join("crates/web/static"), &dist)
}

fn build_binaries() -> Result {
    step("building the relay and the app");
    status(cargo().args(["build", "-p", "storeops-relay", "-p", "storeops-app"]))
}

fn bin(name: &str) -> PathBuf {
    target_dir().join("debug").join(name)
}

// ---------------------------------------------------------------- display

/// An Xvfb server this process started; stopped on drop.
struct VirtualDisplay {
    child: Child,
    display: String,
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock file and socket; SIGKILL only if it hangs.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_xvfb() -> Result<VirtualDisplay> {
    let n = (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .ok_or("no free X display number")?;
    let display = format!(":{n}");
    let child = Command::new("Xvfb")
        .args([
            display.as_str(),
            "-screen",
            "0",
            "1440x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut child = child;
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("Xvfb did not start within 10 s".into());
        }
        if let Ok(Some(st)) = child.try_wait() {
            return Err(format!("Xvfb exited at start ({st})"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The socket appears a moment before the server accepts clients.
    std::thread::sleep(Duration::from_millis(500));
    Ok(VirtualDisplay { child, display })
}

/// Uses the existing display, or starts Xvfb when there is none.
fn ensure_display() -> Result<Option<VirtualDisplay>> {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return Ok(None);
    }
    let x = start_xvfb()?;
    eprintln!("no display found: running under Xvfb on {}", x.display);
    Ok(Some(x))
}

// ---------------------------------------------------------------- run

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        // SIGTERM so the relay shuts down gracefully.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn relay_cli(data_dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(bin("storeops-relay"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .output()
        .map_err(|e| format!("cannot run storeops-relay: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "storeops-relay {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn wait_for_port(addr: &str) -> Result {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on {addr} after 20 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn run() -> Result {
    setup()?;
    build_web()?;
    build_binaries()?;
    let data = root().join(".data/demo");
    let relay_dir = data.join("relay");
    let app_dir = data.join("app");
    let listen = std::env::var("STOREOPS_DEMO_LISTEN").unwrap_or_else(|_| "127.0.0.1:8787".into());

    step("preparing the demo store");
    let stores = relay_cli(&relay_dir, &["store", "list"])?;
    let store_id = match stores.lines().next().and_then(|l| l.split('\t').next()) {
        Some(id) => id.to_owned(),
        None => relay_cli(
            &relay_dir,
            &[
                "store",
                "create",
                "--name",
                "示范门店 Demo Store",
                "--template",
                "plan3",
                "--locale",
                "zh-CN",
                "--demo-people",
                "yes",
                "--demo-history",
                "yes",
            ],
        )?,
    };
    eprintln!("demo store: {store_id} (data in {})", data.display());

    step(&format!("starting the relay on {listen}"));
    let relay = Killed(
        Command::new(bin("storeops-relay"))
            .args(["serve", "--listen", &listen, "--data-dir"])
            .arg(&relay_dir)
            .spawn()
            .map_err(|e| format!("cannot start the relay: {e}"))?,
    );
    wait_for_port(&listen)?;

    let display = ensure_display()?;
    step("starting the app");
    let mut app = Command::new(bin("storeops-app"));
    app.env("STOREOPS_DATA_DIR", &app_dir);
    // Enrolled before (the token may be in the OS keyring, not in a file).
    if !app_dir.join("storeops.sqlite").exists() {
        // For the demo's store manager, so the laptop approves what the store
        // manager approves.
        // (A demo store from an older build may have no one there: then for no one.)
        let invite = [
            "invite", "create", "--store", &store_id, "--role", "manager",
        ];
        let for_holder = [&invite[..], &["--holder-of", "pos:store-manager"]].concat();
        let code =
            relay_cli(&relay_dir, &for_holder).or_else(|_| relay_cli(&relay_dir, &invite))?;
        app.env("STOREOPS_ENROL_URL", format!("http://{listen}"))
            .env("STOREOPS_ENROL_CODE", code)
            .env("STOREOPS_DEVICE_NAME", "店长的电脑 Manager's laptop");
    }
    if let Some(x) = &display {
        // Our own Xvfb has no desktop session: no keyring prompt, the token goes to
        // the private file.
        app.env("DISPLAY", &x.display)
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:");
    }
    let mut app = app
        .spawn()
        .map_err(|e| format!("cannot start the app: {e}"))?;

    if let Some(x) = &display {
        std::thread::sleep(Duration::from_secs(10));
        let shots = target_dir().join("screenshots");
        let _ = std::fs::create_dir_all(&shots);
        let shot = shots.join("run.png");
        status(
            Command::new("/usr/bin/import")
                .env("DISPLAY", &x.display)
                .args(["-window", "root"])
                .arg(&shot),
        )?;
        eprintln!("screenshot of the running app: {}", shot.display());
    }
    let limit = std::env::var("STOREOPS_RUN_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let grant = relay_cli(&relay_dir, &["store", "grant", "--valid-hours", "24"])?;
    eprintln!(
        "to invite staff: Settings → Invite a device. To open another store from a seed \
         template in a second app instance: relay http://{listen}, new-store code {grant}"
    );
    eprintln!(
        "phone web app: http://{listen}/ (on this machine; a phone on the network needs the \
         relay over https: see the README's \"The phone web app\"). Invite a phone from \
         Settings → Invite a device: it shows a QR code of the link."
    );
    eprintln!("Storeops is running; close the window or press Ctrl-C to stop.");
    let started = Instant::now();
    loop {
        if let Ok(Some(st)) = app.try_wait() {
            eprintln!("the app exited ({st})");
            break;
        }
        if limit.is_some_and(|l| started.elapsed() >= Duration::from_secs(l)) {
            let _ = app.kill();
            let _ = app.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(relay);
    drop(display);
    Ok(())
}

// ---------------------------------------------------------------- test

fn test(extra: &[String]) -> Result {
    setup()?;
    build_web()?;
    step("cargo fmt --check");
    status(cargo().args(["fmt", "--all", "--check"]))?;
    step("cargo clippy (native and wasm)");
    status(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    status(cargo().args([
        "clippy",
        "-p",
        "storeops-ui",
        "-p",
        "storeops-web",
        "-p",
        "storeops-client",
        "-p",
        "storeops-domain",
        "-p",
        "storeops-sync",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    build_binaries()?;
    let display = ensure_display()?;
    step("cargo test --workspace");
    let mut t = cargo();
    t.args(["test", "--workspace"])
        .args(extra)
        .env("PATH", path_with_tools());
    if let Some(x) = &display {
        t.env("DISPLAY", &x.display);
    }
    status(&mut t)?;
    fuzz_briefly()
}

/// The shells' benchmark: what a user of each waits for, on release builds.
fn bench_shells() -> Result {
    setup()?;
    build_web()?;
    step("building the relay and the app (release)");
    status(cargo().args([
        "build",
        "--release",
        "-p",
        "storeops-relay",
        "-p",
        "storeops-app",
    ]))?;
    let display = ensure_display()?;
    step("cargo bench -p storeops-e2e --bench shells");
    let mut b = cargo();
    b.args(["bench", "-p", "storeops-e2e", "--bench", "shells"])
        .env("PATH", path_with_tools());
    if let Some(x) = &display {
        b.env("DISPLAY", &x.display);
    }
    status(&mut b)
}

/// Runs every fuzz target for a short while (`STOREOPS_FUZZ_SECONDS`, default 20),
/// after replaying the committed regression inputs. Needs a nightly toolchain;
/// without one it says so and skips.
fn fuzz_briefly() -> Result {
    if !has_nightly() {
        eprintln!("skipping fuzzing: no nightly toolchain on this machine (cargo fuzz needs one)");
        return Ok(());
    }
    let seconds = std::env::var("STOREOPS_FUZZ_SECONDS").unwrap_or_else(|_| "20".into());
    let fuzz = root().join("fuzz");
    let targets = [
        "protocol_decode",
        "relay_frames",
        "stored_chunks",
        "command_input",
        "websocket_frames",
    ];
    for target in targets {
        step(&format!("fuzzing {target} for {seconds} s"));
        let corpus = fuzz.join("corpus").join(target);
        let regressions = fuzz.join("regressions").join(target);
        let _ = std::fs::create_dir_all(&regressions);
        // Through the rustup proxy: `$CARGO` is one toolchain's own binary and cannot
        // switch to nightly. Cargo finds `cargo-fuzz` on PATH, in the tools directory.
        let mut run = Command::new("rustup");
        run.current_dir(&fuzz)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO")
            .env("PATH", path_with_tools())
            .args([
                "run",
                "nightly",
                "cargo",
                "fuzz",
                "run",
                target,
                "--target-dir",
            ])
            .arg(target_dir().join("fuzz"))
            .arg(&corpus)
            .arg(&regressions)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"));
        status(&mut run).map_err(|e| {
            format!("{e}\nthe crashing input is in fuzz/artifacts/{target}/; copy it to fuzz/regressions/{target}/ once fixed")
        })?;
    }
    Ok(())
}
