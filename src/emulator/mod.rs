//! A faithful local AssemblyAI API (feature `emulator`): an HTTP/1.1 server that plays the v2
//! transcript state machine, derives exports from the words, serves v3 streaming (`/v3/ws`,
//! `/v3/token`) on the same port, records every request and injects faults, for tests and for
//! trying `aai` without an account. `aai emulator` serves it from the command line.
//!
//! ```
//! use assemblyai::emulator::{Emulator, Fault, Script};
//! use assemblyai::{Client, PollSchedule, TranscriptRequest, WaitOptions};
//! use std::time::Duration;
//!
//! let emulator = Emulator::builder()
//!     .key("my-test-key")
//!     .script(Script::after_polls(1, 1))
//!     .start()?;
//! // The first create request gets a 503 and the client retries it.
//! emulator.inject(Fault::status(503).on("POST", "/v2/transcript"));
//!
//! let client = Client::builder("my-test-key").base_url(emulator.base_url()).build()?;
//! let request = TranscriptRequest::new("https://example.com/talk.mp3");
//! let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(10)));
//! let job = client.create_transcript(&request)?;
//! let done = client.wait_for_transcript(&job.id, &wait)?;
//! assert!(done.text.unwrap_or_default().starts_with("Smoke from hundreds of wildfires"));
//! assert_eq!(emulator.count("POST", "/v2/transcript"), 2);
//! # Ok::<(), assemblyai::Error>(())
//! ```
//!
//! What it does, in the order a request meets it: injected faults ([`Emulator::inject`]) act
//! first, like a proxy in front of the API; then the request rate limit
//! ([`EmulatorBuilder::rate_limit`]); then authentication ([`EmulatorBuilder::key`]); then the
//! endpoint. Jobs follow their [`Script`]; the account's concurrency limit
//! ([`EmulatorBuilder::concurrency_limit`]) keeps extra jobs `queued` with `throttled: true`.
//! Nothing but its own socket is used: an `audio_url` is never fetched.
//!
//! What one client can cost is bounded ([`EmulatorBuilder::max_connections`],
//! [`EmulatorBuilder::idle_timeout`], strict request framing, WAV durations from real bytes), so
//! it can run next to other things on a laptop or a CI machine.
//!
//! Streaming, with the same base URL (the client derives `ws://HOST:PORT/v3/ws` from it):
//!
//! ```
//! use assemblyai::Client;
//! use assemblyai::emulator::{Emulator, speech};
//! use assemblyai::streaming::{StreamEvent, StreamingParams};
//!
//! let emulator = Emulator::start()?;
//! let client = Client::builder("any-key").base_url(emulator.base_url()).build()?;
//! let mut session = client.streaming().connect(&StreamingParams::new(16_000))?;
//! assert_eq!(session.begin().model(), Some("universal-3-6-pro")); // the server's default
//! // Test speech the emulator hears exactly: "alpha bravo", then a pause.
//! let samples = speech::speech(16_000, &[&[0, 1]], 200, 50, 400);
//! session.send_audio(&speech::pcm16_bytes(&samples))?;
//! session.terminate()?;
//! let finals: Vec<String> = session
//!     .events()
//!     .filter_map(|event| match event {
//!         StreamEvent::Final(turn) => Some(turn.transcript),
//!         _ => None,
//!     })
//!     .collect();
//! assert_eq!(finals, ["alpha bravo"]);
//! # Ok::<(), assemblyai::Error>(())
//! ```

mod api;
mod clip_form;
mod clip_reply;
mod clips;
mod conn;
mod content;
mod exports;
mod faults;
mod features;
mod gateway; // the LLM Gateway's /v1 routes, on the same port
mod hash;
mod http;
mod ids;
mod jobs;
mod list;
mod media;
mod models;
mod queue;
mod rate;
mod script;
mod shape;
mod streaming;

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

pub use clips::ClipErrorShape;
pub use faults::{Fault, FaultRule};
pub use hash::{Fnv64, fnv1a64};
pub use http::{KEEP_BODY_LIMIT, RecordedRequest};
pub use jobs::UploadRecord;
pub use script::Script;
pub use streaming::{StreamFault, StreamSession, speech};

/// The project of the emulator's main key (or of every key when any is accepted); a key added
/// with [`Emulator::add_key`] under another name belongs to a foreign project.
pub const MAIN_PROJECT: &str = "main";

/// How the emulator answers a well-formed transcript id it doesn't know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NotFoundStyle {
    /// 400 `{"error":"Transcript lookup error, transcript id not found"}`, what the live API
    /// sends (its docs' error guide shows it).
    #[default]
    LookupError400,
    /// 404 `{"error":"Not found"}`, as the spec lists.
    Status404,
}

/// State shared by the accept loop, the connection threads and the `Emulator` handle.
struct Shared {
    base_url: String,
    state: Mutex<jobs::State>,
    faults: Mutex<faults::FaultQueue>,
    rate: Option<Mutex<rate::RateLimit>>,
    requests: Mutex<Vec<RecordedRequest>>,
    shutdown: conn::Shutdown,
    /// Open connections by id, so shutdown can close them.
    connections: Mutex<HashMap<u64, TcpStream>>,
    /// Told of each request as it is recorded (`aai emulator --log`).
    on_request: Option<RequestHook>,
    /// Whether request bodies are hashed as they stream in.
    hash_bodies: bool,
    /// Whether the recorded requests are kept (a long-running server would grow without bound).
    keep_requests: bool,
    /// v3 streaming: sessions, faults, tokens.
    streaming: Mutex<streaming::State>,
    /// The most connections served at once; beyond it, 503 and close.
    max_connections: usize,
    /// How long an HTTP connection may send nothing (between requests or within one).
    idle_timeout: Duration,
    /// The LLM Gateway's catalogue, limits and rate windows.
    gateway: gateway::Gateway,
    /// How the Sync STT and Dictation routes answer.
    clip_options: Mutex<clips::ClipOptions>,
    /// Connections accepted since the start.
    accepted: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// The API's state, with the concurrency limit's slots handed out as of now.
    fn state(&self) -> MutexGuard<'_, jobs::State> {
        let mut state = lock(&self.state);
        state.schedule(std::time::Instant::now());
        state
    }
}

/// A function told of every request the moment it is recorded, before it is answered.
pub type RequestHook = Arc<dyn Fn(&RecordedRequest) + Send + Sync>;

/// A panic while holding a lock must not turn every later request into a panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Options for [`Emulator::builder`]; [`EmulatorBuilder::start`] starts the server.
///
/// The scenarios a CI needs, together (the README's example):
///
/// ```
/// use assemblyai::emulator::{Emulator, Fault, Script};
/// use assemblyai::{Client, PollSchedule, TranscriptRequest, WaitOptions};
/// use std::time::Duration;
///
/// let emulator = Emulator::builder()
///     .key("test-key")
///     .concurrency_limit(5) // extra jobs stay queued, throttled: true
///     .rate_limit(20_000, Duration::from_secs(300)) // beyond it: 429 + Retry-After
///     .script(Script::after_between(Duration::ZERO, Duration::from_millis(200)))
///     .start()?; // a free port on 127.0.0.1; stops when dropped
/// emulator.push_script(Script::fail("Audio duration is too short.")); // the next job fails
/// emulator.inject(Fault::status(503).on("POST", "/v2/transcript")); // one 503, retried
///
/// let client = Client::builder("test-key").base_url(emulator.base_url()).build()?;
/// let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(20)));
/// let failed = client.transcribe("https://example.com/a.mp3", &TranscriptRequest::default(), &wait);
/// assert!(failed.unwrap_err().to_string().contains("Audio duration is too short."));
/// assert_eq!(emulator.count("POST", "/v2/transcript"), 2); // every request is recorded
/// # Ok::<(), assemblyai::Error>(())
/// ```
pub struct EmulatorBuilder {
    key: Option<String>,
    script: Script,
    not_found: NotFoundStyle,
    host: String,
    port: u16,
    on_request: Option<RequestHook>,
    hash_bodies: bool,
    keep_requests: bool,
    concurrency_limit: Option<usize>,
    rate_limit: Option<(u32, Duration)>,
    realistic: bool,
    list_clock_offset: i64,
    gateway_models: Vec<serde_json::Value>,
    gateway_rate_limit: (u32, Duration),
    gateway_failing: Vec<String>,
    account_model: String,
    streaming_rules: streaming::Rules,
    max_connections: usize,
    idle_timeout: Duration,
}

impl EmulatorBuilder {
    /// How far ahead of real time streamed audio may arrive before the session is closed with
    /// 3007, as the server does. Defaults to 400 ms.
    pub fn streaming_pacing_slack(mut self, slack: Duration) -> EmulatorBuilder {
        self.streaming_rules.pacing_slack_ms = slack.as_secs_f64() * 1000.0;
        self
    }

    /// The silence that ends a streamed turn when the session doesn't set `min_turn_silence`.
    /// Defaults to 300 ms.
    pub fn streaming_turn_silence(mut self, silence: Duration) -> EmulatorBuilder {
        self.streaming_rules.min_turn_silence_ms = silence.as_millis() as u64;
        self
    }

    /// How often a streaming session with `session_heartbeat=true` gets a `Heartbeat`.
    /// Defaults to 5 s, as the service.
    pub fn streaming_heartbeat(mut self, every: Duration) -> EmulatorBuilder {
        self.streaming_rules.heartbeat_every = every.max(Duration::from_millis(10));
        self
    }

    /// Appends `unix_time<TAB>session_id<TAB>transcript` to `path` as each streamed final turn
    /// is sent (the streaming benchmark's latency figure). Defaults to none.
    pub fn streaming_final_log(mut self, path: impl Into<std::path::PathBuf>) -> EmulatorBuilder {
        self.streaming_rules.final_log = Some(path.into());
        self
    }

    /// The most connections served at once; one more is answered 503 and closed at once, so
    /// idle or slow clients can't use up the machine. Defaults to 512.
    pub fn max_connections(mut self, connections: usize) -> EmulatorBuilder {
        self.max_connections = connections.max(1);
        self
    }

    /// How long an HTTP connection may send nothing, between requests or inside one, before it
    /// is closed. Defaults to 30 s. (A streaming session has its own limits.)
    pub fn idle_timeout(mut self, timeout: Duration) -> EmulatorBuilder {
        self.idle_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The LLM Gateway's catalogue (`GET /v1/models`, each entry an object with at least an
    /// `id`): chat accepts these models only, and a model's `context_length` bounds its
    /// prompts. Defaults to three models in the live catalogue's shape.
    pub fn gateway_models(mut self, models: Vec<serde_json::Value>) -> EmulatorBuilder {
        self.gateway_models = models;
        self
    }

    /// The LLM Gateway's per-model rate limit: at most `per_model` requests to one model (and
    /// to `/v1/understanding`) in any `window`; beyond it, 429 with `X-RateLimit-Limit`,
    /// `-Remaining` and `-Reset` (seconds until a request leaves the window), headers that
    /// every gateway reply carries. Defaults to 30 a minute, the live gateway's.
    pub fn gateway_rate_limit(mut self, per_model: u32, window: Duration) -> EmulatorBuilder {
        self.gateway_rate_limit = (per_model, window);
        self
    }

    /// Makes the LLM Gateway's `model` fail (as an upstream provider outage), so a request
    /// naming it is answered by its first `fallbacks` model that does not, or gets a 500.
    /// Defaults to none.
    pub fn gateway_failing_model(mut self, model: &str) -> EmulatorBuilder {
        self.gateway_failing.push(model.to_owned());
        self
    }

    /// The only API key accepted (any other gets the API's 401 body). Defaults to none: any
    /// non-empty key is accepted, all of one project.
    pub fn key(mut self, key: &str) -> EmulatorBuilder {
        self.key = Some(key.to_string());
        self
    }

    /// The script of every job without a pushed one ([`Emulator::push_script`]). Defaults to
    /// `Script::default()`: `processing` at the first GET, done at the second.
    pub fn script(mut self, script: Script) -> EmulatorBuilder {
        self.script = script;
        self
    }

    /// The answer for a well-formed but unknown transcript id. Defaults to the live API's
    /// 400 lookup error.
    pub fn not_found(mut self, style: NotFoundStyle) -> EmulatorBuilder {
        self.not_found = style;
        self
    }

    /// The address to bind. Defaults to `127.0.0.1`: only this machine can connect.
    pub fn host(mut self, host: &str) -> EmulatorBuilder {
        self.host = host.to_string();
        self
    }

    /// The port. Defaults to 0: any free port ([`Emulator::base_url`] tells which).
    pub fn port(mut self, port: u16) -> EmulatorBuilder {
        self.port = port;
        self
    }

    /// Calls `hook` with every request as it is recorded, before it is answered (a live request
    /// log). Defaults to none.
    pub fn on_request(
        mut self,
        hook: impl Fn(&RecordedRequest) + Send + Sync + 'static,
    ) -> EmulatorBuilder {
        self.on_request = Some(Arc::new(hook));
        self
    }

    /// Whether request bodies are hashed (FNV-1a 64, [`RecordedRequest::body_fnv`]) as they
    /// stream in. Defaults to true; off, an upload benchmark measures the client rather than the
    /// hash (byte-wise FNV runs at about 0.5 GB/s).
    pub fn hash_bodies(mut self, hash: bool) -> EmulatorBuilder {
        self.hash_bodies = hash;
        self
    }

    /// Whether every request is kept for [`Emulator::requests`]. Defaults to true; a server
    /// that runs for days (`aai emulator`) turns it off so memory doesn't grow with traffic.
    pub fn keep_requests(mut self, keep: bool) -> EmulatorBuilder {
        self.keep_requests = keep;
        self
    }

    /// The account's concurrency limit: at most `jobs` transcripts are processed at once; later
    /// ones stay `queued` with `throttled: true` until a slot frees, first in first out, as the
    /// API does. Their script's clock (polls or time) starts when they get a slot. Defaults to
    /// no limit.
    pub fn concurrency_limit(mut self, jobs: usize) -> EmulatorBuilder {
        self.concurrency_limit = Some(jobs.max(1));
        self
    }

    /// The account's request rate limit: at most `max_requests` requests in any `window`; beyond
    /// it, requests get 429 `{"error":"Too Many Requests"}` with `Retry-After` (whole seconds,
    /// at least 1) until the oldest request leaves the window. Refused requests don't count.
    /// Defaults to no limit (the live API allows 20,000 per 5 minutes).
    pub fn rate_limit(mut self, max_requests: u32, window: Duration) -> EmulatorBuilder {
        self.rate_limit = Some((max_requests.max(1), window));
        self
    }

    /// Whether jobs are shaped by their upload, as the API shapes them by the audio: a WAV's
    /// duration sets `audio_duration` and the word timings; an upload without a known audio or
    /// video container signature ends in `status: error` with the API's message for
    /// undecodable audio; a URL on a `.invalid` host fails with the API's download error.
    /// Defaults to true; off, every job gets its script's content whatever was uploaded.
    pub fn realistic(mut self, realistic: bool) -> EmulatorBuilder {
        self.realistic = realistic;
        self
    }

    /// Shifts the list endpoint's `created` and `completed` times by this many seconds, like a
    /// server listing its local time in another time zone (the list's times carry no offset).
    /// Defaults to 0: UTC. The `Date` header stays UTC.
    pub fn list_clock_offset(mut self, seconds: i64) -> EmulatorBuilder {
        self.list_clock_offset = seconds;
        self
    }

    /// The speech model a job runs on when its request names none, and
    /// reports in `speech_model_used`: the account's default. Defaults to
    /// `assemblyai-stt-3-7`, a new account's default since 2026-11-17.
    pub fn account_default_model(mut self, model: &str) -> EmulatorBuilder {
        self.account_model = model.to_string();
        self
    }

    /// Binds and starts serving on background threads.
    ///
    /// # Errors
    ///
    /// [`Error::Io`](crate::Error::Io) when the address can't be bound (port taken, bad host).
    pub fn start(self) -> crate::Result<Emulator> {
        let io = |context: String| move |source| crate::Error::Io { context, source };
        let at = format!("{}:{}", self.host, self.port);
        let listener = TcpListener::bind(at.as_str()).map_err(io(format!("cannot bind {at}")))?;
        let addr = listener
            .local_addr()
            .map_err(io(format!("cannot read the address bound for {at}")))?;
        let shared = Arc::new(Shared {
            base_url: format!("http://{addr}"),
            state: Mutex::new(jobs::State {
                list_clock_offset: self.list_clock_offset,
                account_model: self.account_model,
                ..jobs::State::new(
                    self.key.as_deref(),
                    self.script,
                    self.not_found,
                    self.concurrency_limit,
                    self.realistic,
                )
            }),
            faults: Mutex::default(),
            rate: self
                .rate_limit
                .map(|(max, window)| Mutex::new(rate::RateLimit::new(max, window))),
            requests: Mutex::default(),
            shutdown: conn::Shutdown::default(),
            connections: Mutex::default(),
            on_request: self.on_request,
            hash_bodies: self.hash_bodies,
            keep_requests: self.keep_requests,
            streaming: Mutex::new(streaming::State::new(self.streaming_rules)),
            max_connections: self.max_connections,
            idle_timeout: self.idle_timeout,
            gateway: gateway::Gateway::new(
                self.gateway_models,
                self.gateway_rate_limit.0,
                self.gateway_rate_limit.1,
                self.gateway_failing,
            ),
            clip_options: Mutex::default(),
            accepted: Default::default(),
        });
        let accepting = Arc::clone(&shared);
        thread::Builder::new()
            .name("emulator-accept".into())
            .spawn(move || conn::accept_loop(listener, accepting))
            .map_err(io("cannot start the emulator's accept thread".into()))?;
        Ok(Emulator { shared })
    }
}

/// A running emulator; it shuts down (closing every connection) when dropped.
pub struct Emulator {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator with the defaults on a free loopback port.
    ///
    /// # Errors
    ///
    /// [`Error::Io`](crate::Error::Io) when no port can be bound.
    pub fn start() -> crate::Result<Emulator> {
        Emulator::builder().start()
    }

    /// An emulator to configure; every option says its default.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            key: None,
            script: Script::default(),
            not_found: NotFoundStyle::default(),
            host: "127.0.0.1".into(),
            port: 0,
            on_request: None,
            hash_bodies: true,
            keep_requests: true,
            concurrency_limit: None,
            rate_limit: None,
            realistic: true,
            list_clock_offset: 0,
            gateway_models: gateway::default_catalogue(),
            gateway_rate_limit: (30, Duration::from_secs(60)),
            gateway_failing: Vec::new(),
            account_model: models::DEFAULT_ACCOUNT_MODEL.to_string(),
            streaming_rules: streaming::Rules::default(),
            max_connections: 512,
            idle_timeout: Duration::from_secs(30),
        }
    }

    /// The v3 streaming WebSocket URL of this emulator, `ws://HOST:PORT/v3/ws` (what
    /// `Client::streaming` derives from [`base_url`](Self::base_url) by itself).
    pub fn streaming_url(&self) -> String {
        format!(
            "{}/v3/ws",
            self.shared.base_url.replacen("http://", "ws://", 1)
        )
    }

    /// Injects `fault` into streaming connection number `connection` (from 0, in arrival
    /// order, counting refused ones).
    pub fn inject_stream(&self, connection: usize, fault: StreamFault) {
        lock(&self.shared.streaming).fault(connection, fault);
    }

    /// Every streaming connection so far, in arrival order.
    pub fn stream_sessions(&self) -> Vec<StreamSession> {
        lock(&self.shared.streaming).sessions()
    }

    /// The query strings of the `GET /v3/token` requests, in order.
    pub fn stream_token_requests(&self) -> Vec<String> {
        lock(&self.shared.streaming).token_requests()
    }

    /// `http://HOST:PORT`, without a trailing slash: the base URL for
    /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url) or `ASSEMBLYAI_BASE_URL`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Accepts `key` too, for `project`: [`MAIN_PROJECT`] for a second key of the same project,
    /// any other name for a foreign one (whose uploads the main key can't transcribe, and whose
    /// transcripts it can't see).
    pub fn add_key(&self, key: &str, project: &str) {
        lock(&self.shared.state)
            .keys
            .insert(key.to_string(), project.to_string());
    }

    /// Every request received so far, in order, including those a fault or the rate limit
    /// answered.
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
    /// as a poll).
    pub fn transcripts(&self) -> Vec<serde_json::Value> {
        lock(&self.shared.state).transcripts()
    }

    /// Every successful upload, in order.
    pub fn uploads(&self) -> Vec<UploadRecord> {
        lock(&self.shared.state).uploads()
    }

    /// Adds a transcript of the main project, created now and shown exactly as given (for list
    /// and export tests). Missing `id`, `status` and `audio_url` are filled in with a fresh id,
    /// `completed` and the spec's sample URL. A `created` string (`2024-03-11T21:29:59.936851`)
    /// is what the list shows instead of now; the list order stays the insertion order.
    /// Returns the id.
    ///
    /// # Panics
    ///
    /// When `transcript` is not a JSON object or its `id` is not a string.
    pub fn insert_transcript(&self, transcript: serde_json::Value) -> String {
        lock(&self.shared.state).insert(transcript)
    }

    /// How many connections the emulator has accepted since it started: a
    /// client that keeps its connection warm opens one for many requests.
    pub fn connections_accepted(&self) -> u64 {
        self.shared
            .accepted
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Which shape the Sync STT and Dictation routes give their errors (a
    /// 413 among them): RFC 9457 problem details (the default) or the
    /// legacy `{"error_code","message"}`. Request-parse errors keep their
    /// own `{"error","error_code"}` shape either way.
    pub fn set_clip_error_shape(&self, shape: ClipErrorShape) {
        lock(&self.shared.clip_options).shape = shape;
    }

    /// Makes every later dictation report its LLM clean-up as failed with
    /// this `llm_error` (`"timeout"`, `"error"`): still a 200, with
    /// `llm_response: null`. `None` restores the clean-up.
    pub fn set_dictation_llm_error(&self, error: Option<&str>) {
        lock(&self.shared.clip_options).llm_error = error.map(str::to_owned);
    }

    /// Stops serving now rather than at drop: the port is released and open connections close.
    pub fn stop(&self) {
        self.shared.shutdown.trigger();
        // Wake the accept loop so it sees the flag and ends, releasing the port. Not joined: if
        // this connect failed, the caller would hang instead of leaking one blocked thread.
        let _ = TcpStream::connect(self.shared.base_url.trim_start_matches("http://"));
        for connection in lock(&self.shared.connections).values() {
            let _ = connection.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The text of the spec's example transcript, which jobs complete with by default.
pub fn example_text() -> String {
    content::example()["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The bytes served as job `id`'s redacted audio (`redacted_audio_url`): 16 KiB derived from
/// the id, so a test can check a download.
pub fn redacted_audio(id: &str) -> Vec<u8> {
    jobs::redacted_audio(id)
}
