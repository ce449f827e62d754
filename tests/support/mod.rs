//! A fake AssemblyAI v2 API for the integration tests: a std-only HTTP/1.1 server on
//! `127.0.0.1` that plays the transcript state machine, records every request and injects faults.
//!
//! ```ignore
//! mod support;
//! use support::{FakeApi, Fault, Script};
//!
//! let api = FakeApi::start();
//! api.push_script(Script::after_polls(1, 2).failing("Audio duration is too short."));
//! api.inject(Fault::too_many_requests(1).on("POST", "/v2/transcript"));
//! // ... point the client at api.base_url() with api.key() ...
//! assert_eq!(api.count("GET", "/v2/transcript/"), 4);
//! ```

// Every tests/*.rs file compiles its own copy of this module and uses only part of it, so what
// one file leaves unused (items, re-exports) is not dead.
#![allow(dead_code, unused_imports)]

mod api;
mod conn;
mod content;
mod exports;
mod faults;
mod hash;
mod http;
mod ids;
mod jobs;
mod list;
mod script;

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

pub use faults::{Fault, FaultRule};
pub use hash::{Fnv64, fnv1a64};
pub use http::{KEEP_BODY_LIMIT, RecordedRequest};
pub use jobs::{UploadRecord, redacted_audio};
pub use script::Script;

/// The API key the fake accepts unless the builder sets another (made up, not a real key).
pub const TEST_KEY: &str = "aai-test-key-7d1f0c2e9b";
/// The project of the server's main key; `add_key` with another name makes a foreign project.
pub const MAIN_PROJECT: &str = "main";

/// How the fake answers a well-formed transcript id it doesn't know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NotFoundStyle {
    /// 404 `{"error":"Not found"}`, as the spec says.
    #[default]
    Status404,
    /// 400 `{"error":"Transcript lookup error, transcript id not found"}`, as the docs show.
    LookupError400,
}

/// State shared by the accept loop, the connection threads and the `FakeApi` handle.
struct Shared {
    base_url: String,
    state: Mutex<jobs::State>,
    faults: Mutex<faults::FaultQueue>,
    requests: Mutex<Vec<RecordedRequest>>,
    shutdown: conn::Shutdown,
    /// Open connections by id, so shutdown can close them.
    connections: Mutex<HashMap<u64, TcpStream>>,
    /// Told of each request as it is recorded (the standalone server's `--log`).
    on_request: Option<RequestHook>,
    /// Whether request bodies are hashed as they stream in.
    hash_bodies: bool,
}

/// A function told of every request the moment it is recorded, before it is answered.
pub type RequestHook = Arc<dyn Fn(&RecordedRequest) + Send + Sync>;

/// A test that panics while holding a lock must not turn every later request into a panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Options for [`FakeApi::builder`].
pub struct FakeApiBuilder {
    key: String,
    script: Script,
    not_found: NotFoundStyle,
    port: u16,
    on_request: Option<RequestHook>,
    hash_bodies: bool,
    list_clock_offset: i64,
}

impl FakeApiBuilder {
    /// Shifts the list endpoint's `created` and `completed` times by this many seconds, like a
    /// server listing its local time in another time zone (the list's times carry no offset).
    /// Defaults to 0: UTC. The `Date` header stays UTC.
    pub fn list_clock_offset(mut self, seconds: i64) -> FakeApiBuilder {
        self.list_clock_offset = seconds;
        self
    }

    /// The main API key. Defaults to [`TEST_KEY`].
    pub fn key(mut self, key: &str) -> FakeApiBuilder {
        self.key = key.to_string();
        self
    }

    /// The script of every job without a pushed one. Defaults to `Script::default()`.
    pub fn script(mut self, script: Script) -> FakeApiBuilder {
        self.script = script;
        self
    }

    /// The answer for an unknown transcript id. Defaults to 404.
    pub fn not_found(mut self, style: NotFoundStyle) -> FakeApiBuilder {
        self.not_found = style;
        self
    }

    /// The port on 127.0.0.1. Defaults to 0: any free port.
    pub fn port(mut self, port: u16) -> FakeApiBuilder {
        self.port = port;
        self
    }

    /// Calls `hook` with every request as it is recorded, before it is answered (a live request
    /// log for benchmarks, which read it while the server runs). Defaults to none.
    pub fn on_request(mut self, hook: impl Fn(&RecordedRequest) + Send + Sync + 'static) -> Self {
        self.on_request = Some(Arc::new(hook));
        self
    }

    /// Whether request bodies are hashed (FNV-1a 64) as they stream in. Defaults to true; off, an
    /// upload benchmark measures the client rather than the hash (byte-wise FNV runs at about
    /// 0.5 GB/s), and `body_fnv` is the hash of no bytes.
    pub fn hash_bodies(mut self, hash: bool) -> Self {
        self.hash_bodies = hash;
        self
    }

    /// Binds and starts serving; panics if the port can't be bound.
    pub fn start(self) -> FakeApi {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .unwrap_or_else(|e| panic!("fake API cannot bind 127.0.0.1:{}: {e}", self.port));
        let addr = listener
            .local_addr()
            .expect("bound listener has an address");
        let shared = Arc::new(Shared {
            base_url: format!("http://{addr}"),
            state: Mutex::new(jobs::State {
                list_clock_offset: self.list_clock_offset,
                ..jobs::State::new(&self.key, self.script, self.not_found)
            }),
            faults: Mutex::default(),
            requests: Mutex::default(),
            shutdown: conn::Shutdown::default(),
            connections: Mutex::default(),
            on_request: self.on_request,
            hash_bodies: self.hash_bodies,
        });
        let accepting = Arc::clone(&shared);
        thread::Builder::new()
            .name("fake-api-accept".into())
            .spawn(move || conn::accept_loop(listener, accepting))
            .expect("spawn the accept thread");
        FakeApi {
            shared,
            key: self.key,
        }
    }
}

/// A running fake API; it shuts down (closing every connection) when dropped.
pub struct FakeApi {
    shared: Arc<Shared>,
    key: String,
}

impl FakeApi {
    /// Starts a server with the defaults: key [`TEST_KEY`], `Script::default()`, 404 for unknown ids.
    pub fn start() -> FakeApi {
        FakeApi::builder().start()
    }

    /// A server to configure: key, default script, unknown-id answer, port.
    pub fn builder() -> FakeApiBuilder {
        FakeApiBuilder {
            key: TEST_KEY.to_string(),
            script: Script::default(),
            not_found: NotFoundStyle::default(),
            port: 0,
            on_request: None,
            hash_bodies: true,
            list_clock_offset: 0,
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The main API key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Accepts `key` too, for `project`: [`MAIN_PROJECT`] for a second key of the same project,
    /// any other name for a foreign one (whose uploads the main key can't transcribe, and whose
    /// transcripts it can't see).
    pub fn add_key(&self, key: &str, project: &str) {
        lock(&self.shared.state)
            .keys
            .insert(key.to_string(), project.to_string());
    }

    /// Every request received so far, in order, including those a fault answered.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The requests with this method (any case) whose path starts with `path_prefix`.
    pub fn requests_to(&self, method: &str, path_prefix: &str) -> Vec<RecordedRequest> {
        let requests = lock(&self.shared.requests);
        let to = requests.iter().filter(|r| r.is_to(method, path_prefix));
        to.cloned().collect()
    }

    /// How many requests `requests_to` would return.
    pub fn count(&self, method: &str, path_prefix: &str) -> usize {
        let requests = lock(&self.shared.requests);
        requests
            .iter()
            .filter(|r| r.is_to(method, path_prefix))
            .count()
    }

    /// The script of every job created from now on without a pushed script.
    pub fn set_script(&self, script: Script) {
        lock(&self.shared.state).default_script = script;
    }

    /// The script of the next created job only; pushed scripts are used in order.
    pub fn push_script(&self, script: Script) {
        lock(&self.shared.state).next_scripts.push_back(script);
    }

    /// Adds a fault rule after those already injected; the first matching rule applies. Faults
    /// act before authentication and routing, like a proxy in front of the API.
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Every job's transcript, in creation order, as a GET would show it now (without counting
    /// as a poll). A long transcript is built here if no GET built it yet.
    pub fn transcripts(&self) -> Vec<serde_json::Value> {
        lock(&self.shared.state).transcripts()
    }

    /// Every successful upload, in order.
    pub fn uploads(&self) -> Vec<UploadRecord> {
        lock(&self.shared.state).uploads()
    }

    /// Adds a transcript of the main project, created now and shown exactly as given (for list and
    /// export tests). Missing `id`, `status` and `audio_url` are filled in with a fresh id,
    /// `completed` and the spec's sample URL. A `created` string (`2024-03-11T21:29:59.936851`)
    /// is what the list shows instead of now; the list order stays the insertion order.
    /// Returns the id.
    pub fn insert_transcript(&self, transcript: serde_json::Value) -> String {
        lock(&self.shared.state).insert(transcript)
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.shared.shutdown.trigger();
        // Wake the accept loop so it sees the flag and ends, releasing the port. Not joined: if
        // this connect failed, a test would hang instead of leaking one blocked thread.
        let _ = TcpStream::connect(self.shared.base_url.trim_start_matches("http://"));
        for connection in lock(&self.shared.connections).values() {
            let _ = connection.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// The text of the spec's example transcript, which the fake completes jobs with by default.
pub fn example_text() -> String {
    content::example()["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
