//! The integration tests' fake AssemblyAI API: a thin shim over the library's emulator
//! (`assemblyai::emulator`, feature `emulator`), so the project has one fake. It keeps the
//! names the tests have always used and the tests' defaults: one key ([`TEST_KEY`]), 404 for
//! unknown ids, and every job completing with its script's content whatever was uploaded.
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

use std::time::Duration;

use assemblyai::emulator::{Emulator, EmulatorBuilder};

pub use assemblyai::emulator::{
    Fault, FaultRule, Fnv64, KEEP_BODY_LIMIT, MAIN_PROJECT, NotFoundStyle, RecordedRequest,
    RequestHook, Script, UploadRecord, example_text, fnv1a64, redacted_audio,
};

/// The API key the fake accepts unless the builder sets another (made up, not a real key).
pub const TEST_KEY: &str = "aai-test-key-7d1f0c2e9b";

/// Options for [`FakeApi::builder`].
pub struct FakeApiBuilder {
    key: String,
    inner: EmulatorBuilder,
}

impl FakeApiBuilder {
    /// The main API key. Defaults to [`TEST_KEY`].
    pub fn key(mut self, key: &str) -> FakeApiBuilder {
        self.key = key.to_string();
        self
    }

    /// The script of every job without a pushed one. Defaults to `Script::default()`.
    pub fn script(mut self, script: Script) -> FakeApiBuilder {
        self.inner = self.inner.script(script);
        self
    }

    /// The answer for an unknown transcript id. Defaults to 404.
    pub fn not_found(mut self, style: NotFoundStyle) -> FakeApiBuilder {
        self.inner = self.inner.not_found(style);
        self
    }

    /// The port on 127.0.0.1. Defaults to 0: any free port.
    pub fn port(mut self, port: u16) -> FakeApiBuilder {
        self.inner = self.inner.port(port);
        self
    }

    /// Calls `hook` with every request as it is recorded, before it is answered.
    pub fn on_request(mut self, hook: impl Fn(&RecordedRequest) + Send + Sync + 'static) -> Self {
        self.inner = self.inner.on_request(hook);
        self
    }

    /// Whether request bodies are hashed (FNV-1a 64) as they stream in. Defaults to true.
    pub fn hash_bodies(mut self, hash: bool) -> Self {
        self.inner = self.inner.hash_bodies(hash);
        self
    }

    /// At most `jobs` jobs processed at once; later ones stay `queued` with `throttled: true`
    /// until a slot frees. Defaults to no limit.
    pub fn concurrency_limit(mut self, jobs: usize) -> Self {
        self.inner = self.inner.concurrency_limit(jobs);
        self
    }

    /// At most `max_requests` requests in any `window`; beyond, 429 with `Retry-After`.
    /// Defaults to no limit.
    pub fn rate_limit(mut self, max_requests: u32, window: Duration) -> Self {
        self.inner = self.inner.rate_limit(max_requests, window);
        self
    }

    /// Whether jobs are shaped by their upload (a WAV's duration; non-audio fails). Defaults to
    /// false here, so tests can upload any bytes.
    pub fn realistic(mut self, realistic: bool) -> Self {
        self.inner = self.inner.realistic(realistic);
        self
    }

    /// Binds and starts serving; panics if the port can't be bound.
    pub fn start(self) -> FakeApi {
        let emulator = self
            .inner
            .key(&self.key)
            .start()
            .unwrap_or_else(|e| panic!("fake API cannot start: {e}"));
        FakeApi {
            emulator,
            key: self.key,
        }
    }
}

/// A running fake API; it shuts down (closing every connection) when dropped.
pub struct FakeApi {
    emulator: Emulator,
    key: String,
}

impl FakeApi {
    /// Starts a server with the defaults: key [`TEST_KEY`], `Script::default()`, 404 for unknown ids.
    pub fn start() -> FakeApi {
        FakeApi::builder().start()
    }

    /// A server to configure.
    pub fn builder() -> FakeApiBuilder {
        let inner = Emulator::builder()
            .not_found(NotFoundStyle::Status404)
            .realistic(false);
        FakeApiBuilder {
            key: TEST_KEY.to_string(),
            inner,
        }
    }

    /// The library emulator underneath, for what the shim doesn't wrap.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.emulator.base_url().to_string()
    }

    /// The main API key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Accepts `key` too, for `project` ([`MAIN_PROJECT`] or a foreign one).
    pub fn add_key(&self, key: &str, project: &str) {
        self.emulator.add_key(key, project)
    }

    /// Every request received so far, in order, including those a fault answered.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.emulator.requests()
    }

    /// The requests with this method (any case) whose path starts with `path_prefix`.
    pub fn requests_to(&self, method: &str, path_prefix: &str) -> Vec<RecordedRequest> {
        self.emulator.requests_to(method, path_prefix)
    }

    /// How many requests `requests_to` would return.
    pub fn count(&self, method: &str, path_prefix: &str) -> usize {
        self.emulator.count(method, path_prefix)
    }

    /// The script of every job created from now on without a pushed script.
    pub fn set_script(&self, script: Script) {
        self.emulator.set_script(script)
    }

    /// The script of the next created job only; pushed scripts are used in order.
    pub fn push_script(&self, script: Script) {
        self.emulator.push_script(script)
    }

    /// Adds a fault rule after those already injected; the first matching rule applies.
    pub fn inject(&self, rule: FaultRule) {
        self.emulator.inject(rule)
    }

    /// Every job's transcript, in creation order, as a GET would show it now.
    pub fn transcripts(&self) -> Vec<serde_json::Value> {
        self.emulator.transcripts()
    }

    /// Every successful upload, in order.
    pub fn uploads(&self) -> Vec<UploadRecord> {
        self.emulator.uploads()
    }

    /// Adds a transcript of the main project, shown exactly as given; returns the id.
    pub fn insert_transcript(&self, transcript: serde_json::Value) -> String {
        self.emulator.insert_transcript(transcript)
    }
}
