//! Support for end-to-end tests: the real relay as a process, the real app driven
//! through WebDriver — the desktop app under tauri-driver + WebKitWebDriver, the phone
//! web app in a real Chromium under chromedriver, with mobile emulation — screenshots.
//!
//! The binaries are found next to the test executable (`target/debug`), so run
//! `cargo xtask test`, which builds them first and provides a display.

pub mod chaos;
pub mod riverside;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

/// `target/debug`, where cargo put the binaries.
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/deps/<test> → target/debug
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn binary(name: &str) -> Result<PathBuf> {
    let path = bin_dir().join(name);
    if !path.exists() {
        bail!(
            "{} is missing; run `cargo xtask test`, which builds it first",
            path.display()
        );
    }
    Ok(path)
}

/// Where screenshots and logs of a test go: `target/e2e-artifacts/<test>/`.
pub fn artifacts(test: &str) -> PathBuf {
    let dir = bin_dir().join("..").join("e2e-artifacts").join(test);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A free TCP port on loopback.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, within: Duration) -> Result<()> {
    let deadline = Instant::now() + within;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("nothing listens on port {port} after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `storeops-relay` with arguments and `--data-dir`; returns its stdout.
pub fn relay_cli(data_dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(binary("storeops-relay")?)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .output()?;
    if !out.status.success() {
        bail!(
            "storeops-relay {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Creates a store from plan 3 in the relay's `data_dir` (with someone in every
/// position when `demo_people`); its id and a manager's invite code.
pub fn store_with_manager_invite(
    data_dir: &Path,
    name: &str,
    locale: &str,
    demo_people: bool,
) -> Result<(String, String)> {
    let mut args = vec![
        "store",
        "create",
        "--name",
        name,
        "--template",
        "plan3",
        "--locale",
        locale,
    ];
    if demo_people {
        args.extend(["--demo-people", "yes"]);
    }
    let store = relay_cli(data_dir, &args)?;
    let code = relay_cli(
        data_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )?;
    Ok((store, code))
}

/// A relay process on loopback; stopped (SIGTERM) on drop.
#[derive(Debug)]
pub struct RelayProcess {
    child: Option<Child>,
    pub port: u16,
    data_dir: PathBuf,
    log: PathBuf,
    /// `STOREOPS_RELAY__*` settings, at every (re)start.
    env: Vec<(String, String)>,
}

impl RelayProcess {
    pub fn start(data_dir: &Path, port: u16, log: &Path) -> Result<Self> {
        Self::start_with(data_dir, port, log, &[])
    }

    /// Starts with settings: `("REGISTRY_REQUESTS_BURST", "100")` is
    /// `STOREOPS_RELAY__REGISTRY_REQUESTS_BURST=100`.
    pub fn start_with(
        data_dir: &Path,
        port: u16,
        log: &Path,
        settings: &[(&str, &str)],
    ) -> Result<Self> {
        let mut r = Self {
            child: None,
            port,
            data_dir: data_dir.to_owned(),
            log: log.to_owned(),
            env: settings
                .iter()
                .map(|(k, v)| (format!("STOREOPS_RELAY__{k}"), (*v).to_owned()))
                .collect(),
        };
        r.restart()?;
        Ok(r)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the relay with SIGKILL: no chance to flush or say goodbye.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops gracefully (SIGTERM).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            terminate(&mut c);
        }
    }

    pub fn restart(&mut self) -> Result<()> {
        self.stop();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let child = Command::new(binary("storeops-relay")?)
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        wait_for_port(self.port, Duration::from_secs(20))
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One app instance with a WebDriver session: the desktop app under tauri-driver, or
/// the phone web app in Chromium under chromedriver ([`AppSession::phone`]).
#[derive(Debug)]
pub struct AppSession {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    pub name: String,
    artifacts: PathBuf,
    /// The phone: how to open the browser again on the same profile, and where.
    phone: Option<Phone>,
}

#[derive(Debug)]
struct Phone {
    /// The driver's address without the session.
    driver: String,
    capabilities: Value,
    url: String,
}

/// A phone screen: Chromium's mobile emulation at this size, with touch.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub width: u32,
    pub height: u32,
}

impl Screen {
    pub const SMALL: Screen = Screen {
        width: 360,
        height: 640,
    };
    pub const IPHONE: Screen = Screen {
        width: 390,
        height: 844,
    };
}

/// The phone's browser: Debian's Chromium.
const CHROMIUM: &str = "/usr/bin/chromium";

impl AppSession {
    /// Starts tauri-driver on free ports and the app with its own data directory.
    /// A session that fails to start (the native driver losing a port race, say)
    /// is retried on fresh ports, up to three times.
    pub fn start(name: &str, data_dir: &Path, artifacts: &Path) -> Result<Self> {
        let mut last = None;
        for attempt in 1..=4 {
            match Self::try_start(name, data_dir, artifacts, attempt) {
                Ok(s) => return Ok(s),
                Err(e) => last = Some(e),
            }
            std::thread::sleep(Duration::from_secs(2));
        }
        Err(last.unwrap_or_else(|| anyhow!("no attempt made")))
    }

    fn try_start(name: &str, data_dir: &Path, artifacts: &Path, attempt: u32) -> Result<Self> {
        let app = binary("storeops-app")?;
        // From PATH: `cargo xtask test` puts the tools directory it installed into first.
        let driver_bin = "tauri-driver";
        let (port, native) = (free_port()?, free_port()?);
        let log = std::fs::File::create(artifacts.join(format!("{name}-app-{attempt}.log")))?;
        let driver = Command::new(driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("STOREOPS_DATA_DIR", data_dir)
            // No desktop session here: no D-Bus autolaunch (or keyring prompt) either;
            // the token goes to the private file (the keyring has its own test).
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("cannot start tauri-driver; run `cargo xtask test`, which installs it")?;
        let mut session = Self {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .build(),
            name: name.into(),
            artifacts: artifacts.to_owned(),
            phone: None,
        };
        wait_for_port(port, Duration::from_secs(20))?;
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": app }
                }
            }
        });
        let resp = session.call("POST", "/session", Some(caps))?;
        let id = resp["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {resp}"))?
            .to_owned();
        session.base = format!("{}/session/{id}", session.base);
        Ok(session)
    }

    /// The phone web app: a real Chromium (headless, mobile emulation of `screen` with
    /// touch, its profile in `profile_dir`) under chromedriver, opened at `url`.
    pub fn phone(
        name: &str,
        profile_dir: &Path,
        screen: Screen,
        url: &str,
        artifacts: &Path,
    ) -> Result<Self> {
        let port = free_port()?;
        let log = std::fs::File::create(artifacts.join(format!("{name}-chromedriver.log")))?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("cannot start chromedriver; run `cargo xtask test`, which installs it")?;
        wait_for_port(port, Duration::from_secs(20))?;
        std::fs::create_dir_all(profile_dir)?;
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            format!("--user-data-dir={}", profile_dir.display()),
                        ],
                        "mobileEmulation": {
                            "deviceMetrics": {
                                "width": screen.width,
                                "height": screen.height,
                                "pixelRatio": 2.0,
                                "touch": true,
                                "mobile": true,
                            },
                            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
                        },
                    }
                }
            }
        });
        let driver_base = format!("http://127.0.0.1:{port}");
        let mut session = Self {
            driver,
            base: driver_base.clone(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .build(),
            name: name.into(),
            artifacts: artifacts.to_owned(),
            phone: Some(Phone {
                driver: driver_base,
                capabilities,
                url: url.to_owned(),
            }),
        };
        session.open_browser()?;
        Ok(session)
    }

    /// A new browser session on the phone's profile, at its address.
    fn open_browser(&mut self) -> Result<()> {
        let phone = self.phone.as_ref().ok_or_else(|| anyhow!("not a phone"))?;
        let (root, capabilities, url) = (
            phone.driver.clone(),
            phone.capabilities.clone(),
            phone.url.clone(),
        );
        self.base = root;
        let resp = self.call("POST", "/session", Some(capabilities))?;
        let id = resp["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {resp}"))?
            .to_owned();
        self.base = format!("{}/session/{id}", self.base);
        self.goto(&url)
    }

    /// Opens `url` in the page (the phone's browser: typing it in the address bar).
    pub fn goto(&self, url: &str) -> Result<()> {
        self.call("POST", "/url", Some(json!({ "url": url })))?;
        Ok(())
    }

    /// The current tab's WebDriver handle.
    pub fn current_window(&self) -> Result<String> {
        let v = self.call("GET", "/window", None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Opens `url` in a new tab and switches to it; returns the tab's handle.
    pub fn new_tab(&self, url: &str) -> Result<String> {
        let v = self.call("POST", "/window/new", Some(json!({ "type": "tab" })))?;
        let handle = v["handle"].as_str().unwrap_or_default().to_owned();
        self.switch_to(&handle)?;
        self.goto(url)?;
        Ok(handle)
    }

    /// Switches to the tab `handle`.
    pub fn switch_to(&self, handle: &str) -> Result<()> {
        self.call("POST", "/window", Some(json!({ "handle": handle })))?;
        Ok(())
    }

    /// Reloads the page, as pulling down on a phone does.
    pub fn reload(&self) -> Result<()> {
        self.call("POST", "/refresh", Some(json!({})))?;
        Ok(())
    }

    /// The phone: kills its browser with SIGKILL (nothing flushed), then opens it again
    /// on the same profile at the app's address, as a person reopening it would.
    pub fn kill_and_reopen_browser(&mut self) -> Result<()> {
        let browser = descendants(self.driver.id())
            .into_iter()
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim().starts_with("chromium"))
            })
            .ok_or_else(|| anyhow!("{}: no chromium under chromedriver", self.name))?;
        let below = descendants(browser);
        Command::new("kill")
            .arg("-KILL")
            .arg(browser.to_string())
            .status()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while (alive(browser) || below.iter().any(|p| alive(*p))) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        for p in below.into_iter().filter(|p| alive(*p)) {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(p.to_string())
                .status();
        }
        // The dead session goes; a new one opens on the same profile.
        let _ = self.agent.delete(&self.base).call();
        self.open_browser()
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let req = self.agent.request(method, &url);
        let resp = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let value: Value = match resp {
            Ok(r) => r.into_json()?,
            Err(ureq::Error::Status(code, r)) => {
                let body = r.into_string().unwrap_or_default();
                bail!("WebDriver {method} {path} answered {code}: {body}");
            }
            Err(e) => bail!("WebDriver {method} {path} failed: {e}"),
        };
        Ok(value.get("value").cloned().unwrap_or(value))
    }

    /// Runs a script in the page and returns its result.
    pub fn script(&self, script: &str, args: Value) -> Result<Value> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an asynchronous script in the page: it ends by calling its last argument
    /// (`arguments[arguments.length - 1]`) with the result.
    pub fn script_async(&self, script: &str, args: Value) -> Result<Value> {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// How long an asynchronous script may run (WebDriver's default is 30 s).
    pub fn set_script_timeout(&self, within: Duration) -> Result<()> {
        self.call(
            "POST",
            "/timeouts",
            Some(json!({ "script": within.as_millis() as u64 })),
        )?;
        Ok(())
    }

    /// Waits until `script` returns something truthy; returns it.
    pub fn wait_for(
        &self,
        what: &str,
        script: &str,
        args: Value,
        within: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + within;
        let mut last = Value::Null;
        while Instant::now() < deadline {
            match self.script(script, args.clone()) {
                Ok(v) if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) => {
                    return Ok(v);
                }
                Ok(v) => last = v,
                Err(e) => last = json!(e.to_string()),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.screenshot(&format!("timeout-{}", what.replace(' ', "-")));
        bail!(
            "{}: timed out after {within:?} waiting for {what} (last: {last}); the page showed: {}",
            self.name,
            self.page_summary()
        )
    }

    /// What a person would see that explains a stuck test: the error banner, the sync
    /// bar, every filled-in field and every busy button; and the page's own last errors
    /// (a panic in the UI), which a person would not see.
    pub fn page_summary(&self) -> String {
        self.script(
            "const text = s => document.querySelector(s)?.innerText?.trim() ?? null;
             return {
               error: text('#error-banner'),
               sync: text('.sync-bar'),
               fields: [...document.querySelectorAll('input, textarea, select')]
                 .filter(e => e.id && e.value).map(e => e.id + '=' + e.value),
               busy: [...document.querySelectorAll('[aria-busy=true]')].map(e => e.id || e.className),
               screen: text('h1'),
               errors: window.storeopsErrors ?? [],
             };",
            json!([]),
        )
        .map_or_else(|e| format!("(unreadable: {e})"), |v| v.to_string())
    }

    /// Waits for an element matching `css` and returns its WebDriver id.
    pub fn element(&self, css: &str) -> Result<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let r = self.call(
                "POST",
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            );
            if let Ok(v) = r
                && let Some(id) = v
                    .as_object()
                    .and_then(|o| o.values().next())
                    .and_then(Value::as_str)
            {
                return Ok(id.to_owned());
            }
            if Instant::now() > deadline {
                let _ = self.screenshot("missing-element");
                bail!("{}: no element {css} after 30 s", self.name);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens a screen by its navigation, as a person would: its tab, or on a phone where
    /// the tab bar has no room for it, "More" and then the screen; waits until it shows
    /// its data.
    pub fn open_screen(&self, slug: &str) -> Result<()> {
        let tab = format!("#nav-{slug}");
        self.element(&tab)?;
        let shown = self.script(
            "const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0",
            json!([tab]),
        )?;
        if shown == json!(true) {
            self.click(&tab)?;
        } else {
            self.click("#nav-more")?;
            self.click(&format!("#more-{slug}"))?;
        }
        self.wait_for(
            &format!("the {slug} screen"),
            "return !!document.querySelector('#screen-' + arguments[0]) && !document.querySelector('.loading')",
            json!([slug]),
            Duration::from_secs(10),
        )?;
        Ok(())
    }

    /// Sends a DevTools command to the phone's browser (Chromium only).
    pub fn devtools(&self, cmd: &str, params: Value) -> Result<Value> {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// When this desktop app's process started, in milliseconds since the Unix epoch
    /// (from /proc, to ~10 ms: the kernel counts in clock ticks).
    pub fn app_started_at_ms(&self) -> Result<f64> {
        let app = descendants(self.driver.id())
            .into_iter()
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim() == "storeops-app")
            })
            .ok_or_else(|| anyhow!("{}: no storeops-app process", self.name))?;
        let stat = std::fs::read_to_string(format!("/proc/{app}/stat"))?;
        // Fields after the command's closing parenthesis; starttime is field 22.
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let ticks: f64 = after
            .split_whitespace()
            .nth(19)
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| anyhow!("unreadable /proc/{app}/stat"))?;
        let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
            .split_whitespace()
            .next()
            .and_then(|u| u.parse().ok())
            .ok_or_else(|| anyhow!("unreadable /proc/uptime"))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs_f64();
        // Linux reports starttime in USER_HZ, 100 on every architecture we run on.
        Ok((now - (uptime - ticks / 100.0)) * 1000.0)
    }

    /// Switches the UI's language (`zh` or `en`) in Settings.
    pub fn choose_language(&self, lang: &str) -> Result<()> {
        self.open_screen("settings")?;
        self.click(&format!("#lang-{lang}"))
    }

    /// Clicks the element matching `css`. A re-render between finding and
    /// clicking (a stale element) or an overlay in the way is retried briefly.
    pub fn click(&self, css: &str) -> Result<()> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let el = self.element(css)?;
            // Open a folded section it is in (Today's "Upcoming"), as a person would, and
            // centre it: sticky headers and tab bars cover the edges of a phone screen.
            self.script(
                "const e = document.querySelector(arguments[0]);
                 for (let d = e?.closest('details:not([open])'); d; d = d.closest('details:not([open])')) d.open = true;
                 e?.scrollIntoView({ block: 'center' })",
                json!([css]),
            )?;
            match self.call("POST", &format!("/element/{el}/click"), Some(json!({}))) {
                Ok(_) => return Ok(()),
                Err(e) => {
                    let retry = e.to_string().contains("stale element")
                        || e.to_string().contains("click intercepted");
                    if !retry || attempt >= 5 {
                        return Err(e);
                    }
                    std::thread::sleep(Duration::from_millis(150));
                }
            }
        }
    }

    /// Clears a field and types into it (retrying if it is re-rendered meanwhile).
    pub fn fill(&self, css: &str, text: &str) -> Result<()> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let el = self.element(css)?;
            let done = self
                .call("POST", &format!("/element/{el}/clear"), Some(json!({})))
                .and_then(|_| {
                    self.call(
                        "POST",
                        &format!("/element/{el}/value"),
                        Some(json!({ "text": text })),
                    )
                });
            match done {
                Ok(_) => return Ok(()),
                Err(e) if e.to_string().contains("stale element") && attempt < 5 => {
                    std::thread::sleep(Duration::from_millis(150));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Enrols through the enrol screen and waits until the store's documents have arrived.
    pub fn enrol(&self, relay_url: &str, code: &str, device_name: &str) -> Result<()> {
        self.fill("#relay-url", relay_url)?;
        self.fill("#invite-code", code)?;
        self.fill("#device-name", device_name)?;
        self.click("#enrol-button")?;
        self.wait_for(
            "the store's data",
            "return document.querySelector('#sync-state')?.dataset.arrived === 'true'",
            json!([]),
            Duration::from_secs(30),
        )?;
        Ok(())
    }

    /// Picks `value` in the `<select>` matching `css`, as a person would.
    pub fn select(&self, css: &str, value: &str) -> Result<()> {
        self.element(css)?;
        let ok = self.script(
            "const s = document.querySelector(arguments[0]);
             if (![...s.options].some(o => o.value === arguments[1])) return false;
             s.value = arguments[1];
             s.dispatchEvent(new Event('change', { bubbles: true }));
             s.dispatchEvent(new Event('input', { bubbles: true }));
             return true;",
            json!([css, value]),
        )?;
        if ok != json!(true) {
            bail!("{}: {css} has no option {value:?}", self.name);
        }
        Ok(())
    }

    /// The visible text of the first element matching `css`.
    pub fn text(&self, css: &str) -> Result<String> {
        self.element(css)?;
        let t = self.script(
            "return document.querySelector(arguments[0]).innerText",
            json!([css]),
        )?;
        Ok(t.as_str().unwrap_or_default().trim().to_owned())
    }

    /// Saves a screenshot of the window as `<artifacts>/<app>-<name>.png`.
    pub fn screenshot(&self, name: &str) -> Result<PathBuf> {
        std::thread::sleep(Duration::from_millis(500));
        let b64 = self.call("GET", "/screenshot", None)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .context("screenshot is not base64")?;
        let path = self.artifacts.join(format!("{}-{name}.png", self.name));
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    /// Sets the window size (e.g. phone 390×844).
    pub fn resize(&self, width: u32, height: u32) -> Result<()> {
        if self.phone.is_some() {
            // A phone has no window to resize: another phone's screen, through DevTools.
            self.devtools(
                "Emulation.setDeviceMetricsOverride",
                json!({
                    "width": width,
                    "height": height,
                    "deviceScaleFactor": 2.0,
                    "mobile": true,
                }),
            )?;
            return Ok(());
        }
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )?;
        Ok(())
    }
}

/// Every process below `pid` (children, grandchildren, …), from /proc.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // pid (comm) state ppid ...; comm may hold spaces, so split after ')'.
            if let Some(ppid) = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok())
            {
                parent_of.push((p, ppid));
            }
        }
    }
    let mut out = vec![];
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for (child, _) in parent_of.iter().filter(|(_, pp)| *pp == p) {
            out.push(*child);
            frontier.push(*child);
        }
    }
    out
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            !s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

impl AppSession {
    /// Kills the desktop app process with SIGKILL (no chance to flush anything).
    pub fn kill_app(&self) -> Result<()> {
        let app = descendants(self.driver.id())
            .into_iter()
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim() == "storeops-app")
            })
            .ok_or_else(|| anyhow!("{}: no storeops-app process under tauri-driver", self.name))?;
        Command::new("kill")
            .arg("-KILL")
            .arg(app.to_string())
            .status()?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(app) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }
}

impl Drop for AppSession {
    fn drop(&mut self) {
        let below = descendants(self.driver.id());
        let _ = self.agent.delete(&self.base).call();
        // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too (and
        // chromedriver its browser).
        terminate(&mut self.driver);
        // Whatever outlived its parent (the app, the native driver) goes too.
        let deadline = Instant::now() + Duration::from_secs(5);
        while below.iter().any(|p| alive(*p)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        for p in below.into_iter().filter(|p| alive(*p)) {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(p.to_string())
                .status();
        }
    }
}

/// Titles of the tasks in a tasks document as the relay stored it.
pub fn stored_task_titles(
    relay_dir: &Path,
    doc: &storeops_sync::DocumentId,
) -> Result<std::collections::BTreeSet<String>> {
    use storeops_storage::DocumentStore;
    let store = storeops_storage::SqliteStore::open(&relay_dir.join("relay.sqlite"))?;
    let stored = store
        .load(doc)?
        .ok_or_else(|| anyhow!("the relay has no document {doc}"))?;
    let mut am = automerge::Automerge::new();
    for chunk in &stored.chunks {
        am.load_incremental(chunk)?;
    }
    Ok(storeops_domain::read_tasks(&am)?
        .into_iter()
        .map(|(_, t)| t.title)
        .collect())
}

/// Each of the device's task documents with its heads: equal on two devices
/// when they hold the same tasks documents at the same heads.
pub fn task_heads(
    device: &storeops_client::Device,
) -> Vec<(
    storeops_sync::DocumentId,
    Option<Vec<automerge::ChangeHash>>,
)> {
    let replica = device.replica();
    replica
        .task_documents()
        .into_iter()
        .map(|doc| (doc, replica.heads(&doc)))
        .collect()
}

/// The titles of every task in every tasks document of `store` (the first one
/// and the weeks'), as the relay (stopped) has them in `relay_dir`.
pub fn stored_store_task_titles(
    relay_dir: &Path,
    store: &str,
) -> Result<std::collections::BTreeSet<String>> {
    use storeops_storage::DocumentStore;
    let db = storeops_storage::SqliteStore::open(&relay_dir.join("relay.sqlite"))?;
    let mut titles = std::collections::BTreeSet::new();
    for (doc, meta) in db.documents_of(store)? {
        if meta.kind == storeops_domain::kind::TASKS {
            titles.extend(stored_task_titles(relay_dir, &doc)?);
        }
    }
    Ok(titles)
}

/// A store's org document as the relay (stopped) has it in `relay_dir`.
pub fn stored_org(relay_dir: &Path, store_id: &str) -> Result<storeops_domain::OrgDoc> {
    use storeops_storage::DocumentStore;
    let listing = relay_cli(relay_dir, &["store", "list"])?;
    let root: storeops_sync::DocumentId = listing
        .lines()
        .find_map(|l| {
            let mut cols = l.split('\t');
            (cols.next() == Some(store_id))
                .then(|| cols.next())
                .flatten()
        })
        .ok_or_else(|| anyhow!("no store {store_id} on the relay"))?
        .parse()?;
    let store = storeops_storage::SqliteStore::open(&relay_dir.join("relay.sqlite"))?;
    let load = |doc: &storeops_sync::DocumentId| -> Result<automerge::Automerge> {
        let stored = store
            .load(doc)?
            .ok_or_else(|| anyhow!("the relay has no document {doc}"))?;
        let mut am = automerge::Automerge::new();
        for chunk in &stored.chunks {
            am.load_incremental(chunk)?;
        }
        Ok(am)
    };
    let root = storeops_domain::read_store(&load(&root)?)?;
    Ok(storeops_domain::read_org(&load(
        &root.documents.org.parse()?,
    )?)?)
}
