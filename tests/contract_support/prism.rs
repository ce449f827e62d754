//! Prism (Stoplight's mock server) serving AssemblyAI's published OpenAPI spec
//! with request validation on: the counterpart of the contract tests.
//!
//! Every request that breaks the spec gets a 400 with an `sl-violations`
//! header, and Prism logs it as a `[VALIDATOR] ✖ error` line; the log is kept
//! in a file so the tests can show those lines. In dynamic mode (`-d`) Prism
//! answers with random data valid for the response schema instead of the
//! spec's examples.
//!
//! Prism also *executes the callbacks* the spec declares (webhooks), to
//! whatever `webhook_url` a request names: tests only name [`WebhookSink`]s.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once, Weak};
use std::thread;
use std::time::{Duration, Instant};

use super::KEY;

/// The Prism version `.ci/run` installs.
pub const PRISM_VERSION: &str = "5.16.0";

/// How Prism makes its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The spec's examples.
    Static,
    /// Random data valid for the response schemas (`prism mock -d`).
    Dynamic,
}

/// A running Prism; killed when the last test using it lets go.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    pub mode: Mode,
}

static STATIC: Mutex<Weak<Prism>> = Mutex::new(Weak::new());
static DYNAMIC: Mutex<Weak<Prism>> = Mutex::new(Weak::new());

/// The Prism of `mode` shared by the tests running now, started if none is;
/// `None` (after saying why on stderr) when Prism or the spec is missing.
pub fn prism(mode: Mode) -> Option<Arc<Prism>> {
    let (bin, spec) = locate().map_err(skipped).ok()?;
    let cell = match mode {
        Mode::Static => &STATIC,
        Mode::Dynamic => &DYNAMIC,
    };
    // A test that panicked while holding the lock left nothing half-done.
    let mut shared = cell.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(running) = shared.upgrade() {
        return Some(running);
    }
    let started = Arc::new(Prism::start(&bin, &spec, mode));
    *shared = Arc::downgrade(&started);
    Some(started)
}

/// A Prism of `mode` for one test alone, for requests that break the spec on
/// purpose (their log lines would fail the tests sharing a Prism).
pub fn private_prism(mode: Mode) -> Option<Prism> {
    let (bin, spec) = locate().map_err(skipped).ok()?;
    Some(Prism::start(&bin, &spec, mode))
}

/// Says on stderr why the contract tests do nothing, and how to run them:
/// once per test binary, and past the test harness's output capture, so a
/// plain `cargo test` shows it.
fn skipped(why: String) {
    static SAID: Once = Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
            io::stderr(),
            "\ncontract tests skipped: {why}.\n  To run them: .ci/run, or \
             npm install --prefix target/prism @stoplight/prism-cli@{PRISM_VERSION}"
        );
    });
}

/// Prism's executable and the spec, or why they can't be used.
pub fn locate() -> Result<(PathBuf, PathBuf), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("spec/openapi-prism.json");
    if !spec.is_file() {
        return Err(format!("the spec {} is missing", spec.display()));
    }
    let bin = match std::env::var_os("PRISM_BIN").filter(|value| !value.is_empty()) {
        Some(value) => {
            let path = PathBuf::from(&value);
            let found = if path.components().count() == 1 {
                on_path(&value)
            } else {
                Some(path).filter(|path| path.is_file())
            };
            found.ok_or_else(|| {
                format!(
                    "PRISM_BIN is {}, which does not exist",
                    value.to_string_lossy()
                )
            })?
        }
        None => {
            let local = root.join("target/prism/node_modules/.bin/prism");
            if local.is_file() {
                local
            } else {
                on_path("prism").ok_or_else(|| {
                    "Prism was not found (not in PRISM_BIN, target/prism or PATH)".to_owned()
                })?
            }
        }
    };
    Ok((bin, spec))
}

fn on_path(name: impl AsRef<Path>) -> Option<PathBuf> {
    let name = name.as_ref();
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Where Prism says it is ready.
pub const LISTENING: &str = "Prism is listening on";

impl Prism {
    fn start(bin: &Path, spec: &Path, mode: Mode) -> Prism {
        let mut failures = String::new();
        // Another process may take the free port between our probe and
        // Prism's bind; a new port is then tried.
        for _ in 0..3 {
            match Prism::try_start(bin, spec, mode) {
                Ok(prism) => return prism,
                Err(why) => failures.push_str(&format!("{why}\n")),
            }
        }
        panic!("Prism did not start:\n{failures}");
    }

    fn try_start(bin: &Path, spec: &Path, mode: Mode) -> Result<Prism, String> {
        let port = free_port();
        let name = match mode {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        };
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("prism-{name}-{}-{port}.log", std::process::id()));
        let file = File::create(&log).map_err(|err| format!("{}: {err}", log.display()))?;
        let file2 = file.try_clone().map_err(|err| err.to_string())?;
        let mut command = Command::new(bin);
        command.arg("mock");
        if mode == Mode::Dynamic {
            command.arg("-d");
        }
        command
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            // Plain log lines, whatever the CI environment asks of chalk.
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(file2);
        let child = command
            .spawn()
            .map_err(|err| format!("cannot run {}: {err}", bin.display()))?;
        let mut prism = Prism {
            child,
            port,
            log,
            mode,
        };
        // Prism takes a few seconds to read the spec; the limit is generous
        // for slow CI machines and only bounds a hang.
        let give_up = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism exited with {status}:\n{}",
                    prism.log_text(0)
                ));
            }
            if prism.log_text(0).contains(LISTENING)
                && TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                return Ok(prism);
            }
            if Instant::now() > give_up {
                return Err(format!(
                    "Prism was not listening after 60 s:\n{}",
                    prism.log_text(0)
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A position in the log; lines after it belong to what follows.
    pub fn log_mark(&self) -> u64 {
        fs::metadata(&self.log).map_or(0, |meta| meta.len())
    }

    fn log_text(&self, from: u64) -> String {
        let bytes = fs::read(&self.log).unwrap_or_default();
        let from = (from as usize).min(bytes.len());
        String::from_utf8_lossy(&bytes[from..]).into_owned()
    }

    /// Waits until Prism has logged every request sent before this call, by
    /// sending a marker request and waiting for its log line (Prism's logger
    /// may write after it has answered).
    pub fn flush_log(&self) {
        let from = self.log_mark();
        let marker = format!("/v2/transcript/{}", marker_id());
        let _ = raw(self, "GET", &marker, None);
        let give_up = Instant::now() + Duration::from_secs(30);
        while !self.log_text(from).contains(&marker) && Instant::now() < give_up {
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The log lines since `mark` that report a request breaking the spec.
    /// Violations of Prism's own generated responses (`Violation: response`)
    /// are not the client's and are left out.
    pub fn request_violations_since(&self, mark: u64) -> Vec<String> {
        self.flush_log();
        self.log_text(mark)
            .lines()
            .filter(|line| line.contains("[VALIDATOR]"))
            .filter(|line| {
                line.contains("Request did not pass")
                    || (line.contains('✖') && !line.contains("Violation: response"))
            })
            .map(str::to_owned)
            .collect()
    }

    /// Fails the test, quoting Prism, if any request since `mark` broke the spec.
    pub fn assert_no_request_violations_since(&self, mark: u64, what: &str) {
        let violations = self.request_violations_since(mark);
        assert!(
            violations.is_empty(),
            "{what}: Prism ({:?}) rejected requests as breaking the spec:\n{}\n(log: {})",
            self.mode,
            violations.join("\n"),
            self.log.display()
        );
    }

    /// The last `lines` lines of the log since `mark`, for failure messages.
    pub fn log_tail_since(&self, mark: u64, lines: usize) -> String {
        let text = self.log_text(mark);
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The log is kept when a test fails, for its message points to it.
        if !thread::panicking() {
            let _ = fs::remove_file(&self.log);
        }
    }
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// A UUID-shaped id that differs per call, for marker requests.
fn marker_id() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let pid = u64::from(std::process::id());
    format!(
        "0000aa11-0000-4000-8000-{:012x}",
        ((pid << 24) | count) & 0xffff_ffff_ffff
    )
}

/// A reply read by the raw client.
pub struct RawReply {
    pub status: u16,
    /// The `sl-violations` header: Prism's list of what broke the spec.
    pub violations: Option<String>,
    pub body: Vec<u8>,
}

impl RawReply {
    /// The violations located in the request (the client's fault), if any.
    pub fn request_violations(&self) -> Option<String> {
        let header = self.violations.as_deref()?;
        let list: serde_json::Value = serde_json::from_str(header).ok()?;
        let ours: Vec<&serde_json::Value> = list
            .as_array()?
            .iter()
            .filter(|violation| violation["location"][0] == "request")
            .collect();
        (!ours.is_empty()).then(|| serde_json::to_string_pretty(&ours).unwrap_or_default())
    }
}

/// Sends one request with ureq directly, to read the `sl-violations` header
/// that the library does not expose.
pub fn raw(prism: &Prism, method: &str, path: &str, json: Option<&[u8]>) -> RawReply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", prism.base_url()))
        .header("Authorization", KEY)
        .header("Content-Type", "application/json");
    let result = match json {
        Some(body) => agent.run(request.body(body).expect("a valid request")),
        None => agent.run(request.body(()).expect("a valid request")),
    };
    let mut response = result.unwrap_or_else(|err| panic!("{method} {path}: {err}"));
    let violations = response
        .headers()
        .get("sl-violations")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut body = Vec::new();
    let _ = response.body_mut().as_reader().read_to_end(&mut body);
    RawReply {
        status: response.status().as_u16(),
        violations,
        body,
    }
}
