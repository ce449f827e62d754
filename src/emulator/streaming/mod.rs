//! v3 streaming on the emulator's own port, as AssemblyAI answers it in December 2026
//! (api-2026.md §8.4): `GET /v3/ws` upgrades to a WebSocket session (`Begin`, turns heard from
//! the audio, `Termination`), `GET /v3/token` mints single-use temporary tokens. One
//! `ASSEMBLYAI_BASE_URL` therefore reaches every API the client speaks.
//!
//! The session enforces the protocol as the server does (50–1000 ms of audio per message, no
//! faster than real time, known values for known parameters, a message of at most 128 KB) and
//! ignores parameters it doesn't know. Faults per connection ([`StreamFault`]) and a log of every
//! session ([`StreamSession`]) serve the tests.

mod params;
mod session;
pub mod speech;

use std::collections::{BTreeMap, HashMap};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use super::http::{RecordedRequest, Response};
use super::{Shared, lock};

/// A fault for one streaming connection (numbered from 0 in arrival order).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum StreamFault {
    /// Refuse the handshake with this HTTP status.
    RejectHandshake(u16),
    /// Upgrade, then close with this code before `Begin` (after an `Error` frame).
    CloseBeforeBegin {
        /// The close code.
        code: u16,
        /// The `Error` frame's text.
        reason: String,
    },
    /// Wait this long before `Begin`.
    SlowBegin(Duration),
    /// After this much audio, send an `Error` frame and close with `code`.
    CloseAfter {
        /// Audio received first, ms.
        audio_ms: u64,
        /// The close code.
        code: u16,
        /// The `Error` frame's text.
        reason: String,
    },
    /// After this much audio, drop the TCP connection without a close frame.
    DropAfter {
        /// Audio received first, ms.
        audio_ms: u64,
    },
    /// After this much audio, send an `Error` frame but never close, and go silent.
    ErrorWithoutClose {
        /// Audio received first, ms.
        audio_ms: u64,
        /// The code the frame announces.
        code: u16,
        /// Its text.
        reason: String,
    },
    /// Never answer `Terminate`.
    IgnoreTerminate,
    /// After `Begin`, send pings, then an endless fragmented message, never a whole
    /// one, and answer nothing: a client's reads must still end by their deadlines.
    PingFlood,
    /// Send this text frame right after `Begin` (a `Warning`, a `Termination` with odd numbers,
    /// any message a test needs), then go on as usual.
    SendAfterBegin(String),
}

/// What one streaming connection did.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct StreamSession {
    /// The session id sent in `Begin` (empty if none was sent).
    pub id: String,
    /// The decoded query parameters.
    pub query: BTreeMap<String, String>,
    /// The raw query string, as sent.
    pub raw_query: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// The model `Begin` named.
    pub model: Option<String>,
    /// Every audio byte received, in order.
    pub audio: Vec<u8>,
    /// Each binary message: ms after `Begin` it arrived, and its length in bytes.
    pub chunks: Vec<(f64, usize)>,
    /// Text messages received.
    pub messages: Vec<String>,
    /// The transcripts of the final turns sent.
    pub finals: Vec<String>,
    /// Whether the client sent `Terminate`.
    pub terminated: bool,
    /// How many `Heartbeat` messages were sent.
    pub heartbeats: usize,
    /// The close code the emulator sent, if it closed.
    pub closed_with: Option<u16>,
    /// Why the emulator refused or closed, if it did.
    pub refusal: Option<String>,
}

/// Settings of every streaming session.
#[derive(Clone, Debug)]
pub(super) struct Rules {
    /// How far ahead of real time the audio may be, ms.
    pub pacing_slack_ms: f64,
    /// The silence that ends a turn when the client does not set `min_turn_silence`.
    pub min_turn_silence_ms: u64,
    /// How often `Heartbeat` is sent with `session_heartbeat=true`.
    pub heartbeat_every: Duration,
    /// A file to append a line to as each final turn is sent: Unix time (s), session id and
    /// transcript, tab-separated (for the benchmark's latency figure).
    pub final_log: Option<PathBuf>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            pacing_slack_ms: 400.0,
            min_turn_silence_ms: 300,
            heartbeat_every: Duration::from_secs(5),
            final_log: None,
        }
    }
}

/// The streaming side of the emulator's state.
#[derive(Default)]
pub(super) struct State {
    pub rules: Rules,
    sessions: Vec<Arc<Mutex<StreamSession>>>,
    faults: HashMap<usize, StreamFault>,
    tokens: Vec<String>,
    token_requests: Vec<String>,
    minted: u64,
}

impl State {
    pub fn new(rules: Rules) -> State {
        State {
            rules,
            ..State::default()
        }
    }

    pub fn fault(&mut self, connection: usize, fault: StreamFault) {
        self.faults.insert(connection, fault);
    }

    pub fn sessions(&self) -> Vec<StreamSession> {
        self.sessions.iter().map(|s| lock(s).clone()).collect()
    }

    pub fn token_requests(&self) -> Vec<String> {
        self.token_requests.clone()
    }
}

/// Whether a request is a WebSocket upgrade to the streaming endpoint.
pub(super) fn is_upgrade(request: &RecordedRequest) -> bool {
    request.method == "GET"
        && request.path == "/v3/ws"
        && request
            .header("upgrade")
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// `GET /v3/token?expires_in_seconds=N[&max_session_duration_seconds=M]` with the key.
pub(super) fn token(shared: &Shared, request: &RecordedRequest) -> Response {
    let key = request.header("authorization").unwrap_or("");
    let mut streaming = lock(&shared.streaming);
    streaming.token_requests.push(request.raw_query.clone());
    if shared.state().project_of(key).is_none() {
        return Response::error(401, "Invalid API key");
    }
    let number = |name| {
        request
            .query_param(name)
            .map(|v| v.parse::<u64>().map_err(|_| ()))
    };
    let expires = match number("expires_in_seconds") {
        Some(Ok(seconds)) if (1..=600).contains(&seconds) => seconds,
        _ => return Response::error(400, "expires_in_seconds must be 1 to 600"),
    };
    match number("max_session_duration_seconds") {
        None => {}
        Some(Ok(seconds)) if (60..=10_800).contains(&seconds) => {}
        _ => return Response::error(400, "max_session_duration_seconds must be 60 to 10800"),
    }
    streaming.minted += 1;
    let token = format!("tmp-token-{}-{}", streaming.minted, super::ids::new_id());
    streaming.tokens.push(token.clone());
    Response::json(200, &json!({"token": token, "expires_in_seconds": expires}))
}

/// Serves an upgrade request on `stream`: checks the credentials and the connection's fault,
/// answers `101`, and runs the session until either side ends it. `buffered` holds bytes read
/// past the request head.
pub(super) fn serve(
    shared: &Shared,
    request: &RecordedRequest,
    stream: &TcpStream,
    buffered: Vec<u8>,
) -> std::io::Result<()> {
    let query: BTreeMap<String, String> = request.query.iter().cloned().collect();
    let (fault, log, rules) = {
        let mut streaming = lock(&shared.streaming);
        let index = streaming.sessions.len();
        let log = Arc::new(Mutex::new(StreamSession {
            query: query.clone(),
            raw_query: request.raw_query.clone(),
            authorization: request.header("authorization").map(str::to_owned),
            user_agent: request.header("user-agent").map(str::to_owned),
            ..StreamSession::default()
        }));
        streaming.sessions.push(Arc::clone(&log));
        let fault = streaming.faults.get(&index).cloned();
        (fault, log, streaming.rules.clone())
    };
    let mut writer = stream;
    let authorized = match (request.header("authorization"), query.get("token")) {
        (_, Some(token)) => {
            let mut streaming = lock(&shared.streaming);
            // Single use: a token opens one session.
            match streaming.tokens.iter().position(|t| t == token) {
                Some(at) => {
                    streaming.tokens.remove(at);
                    true
                }
                None => false,
            }
        }
        (Some(key), None) => shared.state().project_of(key).is_some(),
        (None, None) => false,
    };
    if !authorized {
        lock(&log).refusal = Some("401".into());
        return Response::error(401, "Invalid API key or token").write_to(&mut writer, true);
    }
    if let Some(StreamFault::RejectHandshake(status)) = fault {
        lock(&log).refusal = Some(status.to_string());
        return Response::error(status, "Service temporarily unavailable")
            .write_to(&mut writer, true);
    }
    let Some(key) = request.header("sec-websocket-key") else {
        return Response::error(400, "not a WebSocket upgrade").write_to(&mut writer, true);
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let upgrade = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    std::io::Write::write_all(&mut writer, upgrade.as_bytes())?;
    let stream = stream.try_clone()?;
    let api_version = request
        .header("assemblyai-version")
        .unwrap_or("2025-05-12")
        .to_owned();
    session::run(session::Start {
        stream,
        buffered,
        rules: &rules,
        fault,
        log: &log,
        api_version,
        speech_text: super::example_text(),
    });
    Ok(())
}
