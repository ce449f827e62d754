//! A fake of AssemblyAI's Universal Streaming (v3) server for the tests: a WebSocket server on
//! `127.0.0.1` (tungstenite's framing, a hand-written handshake so auth can be refused with a
//! status) that checks the key or a temporary token, sends `Begin`, derives turns from the audio
//! it receives (see `speech.rs`), enforces the protocol's rules (50–1000 ms per message, no faster
//! than real time, valid parameters and messages), answers `Terminate` with the last final and
//! `Termination`, serves `GET /v3/token`, injects faults per connection and records everything.
//!
//! ```ignore
//! let fake = FakeStreaming::start();
//! fake.fault(0, Fault::CloseAfter { audio_ms: 800, code: 3005, reason: "Session Cancelled".into() });
//! // ... connect to fake.url() with fake.key() ...
//! let sessions = fake.sessions();
//! ```

// Each test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

mod session;
pub mod speech;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The key the fake accepts (made up).
pub const STREAMING_KEY: &str = "aai-stream-test-key-51c0";

/// A fault for one connection (numbered from 0 in arrival order).
#[derive(Clone, Debug)]
pub enum Fault {
    /// Refuse the handshake with this HTTP status.
    RejectHandshake(u16),
    /// Upgrade, then close with this code before `Begin` (after an `Error` frame).
    CloseBeforeBegin { code: u16, reason: String },
    /// Wait this long before `Begin`.
    SlowBegin(Duration),
    /// After this much audio, send an `Error` frame and close with `code`.
    CloseAfter {
        audio_ms: u64,
        code: u16,
        reason: String,
    },
    /// After this much audio, drop the TCP connection without a close frame.
    DropAfter { audio_ms: u64 },
    /// After this much audio, send an `Error` frame but never close, and go silent.
    ErrorWithoutClose {
        audio_ms: u64,
        code: u16,
        reason: String,
    },
    /// Never answer `Terminate`.
    IgnoreTerminate,
}

/// What one connection did.
#[derive(Clone, Debug, Default)]
pub struct SessionLog {
    /// The session id sent in `Begin` (empty if none was sent).
    pub id: String,
    pub query: BTreeMap<String, String>,
    /// The raw query string, as sent.
    pub raw_query: String,
    pub authorization: Option<String>,
    pub user_agent: Option<String>,
    /// Every audio byte received, in order.
    pub audio: Vec<u8>,
    /// Each binary message: ms after `Begin` it arrived, and its length in bytes.
    pub chunks: Vec<(f64, usize)>,
    /// Text messages received.
    pub messages: Vec<String>,
    /// The transcripts of the final turns sent.
    pub finals: Vec<String>,
    pub terminated: bool,
    /// The close code the fake sent, if it closed.
    pub closed_with: Option<u16>,
    /// Why the fake refused or closed, if it did.
    pub refusal: Option<String>,
}

#[derive(Default)]
struct State {
    sessions: Vec<Arc<Mutex<SessionLog>>>,
    faults: HashMap<usize, Fault>,
    tokens: Vec<String>,
    token_requests: Vec<String>,
    connections: usize,
}

/// Settings that hold for every connection.
#[derive(Clone, Debug)]
pub struct Rules {
    /// How far ahead of real time the audio may be, ms.
    pub pacing_slack_ms: f64,
    /// The silence that ends a turn when the client does not set `min_turn_silence`.
    pub min_turn_silence_ms: u64,
    /// A file to append a line to as each final turn is sent: Unix time (s), session id and
    /// transcript, tab-separated (for the benchmark's latency figure).
    pub final_log: Option<std::path::PathBuf>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            pacing_slack_ms: 400.0,
            min_turn_silence_ms: 300,
            final_log: None,
        }
    }
}

/// A running fake; it serves until the process ends.
#[derive(Clone)]
pub struct FakeStreaming {
    port: u16,
    state: Arc<Mutex<State>>,
    rules: Arc<Rules>,
}

impl FakeStreaming {
    pub fn start() -> Self {
        Self::with_rules(Rules::default())
    }

    pub fn with_rules(rules: Rules) -> Self {
        Self::on_port(0, rules)
    }

    pub fn on_port(port: u16, rules: Rules) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let fake = FakeStreaming {
            port,
            state: Arc::default(),
            rules: Arc::new(rules),
        };
        let server = fake.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = server.clone();
                thread::spawn(move || server.serve(stream));
            }
        });
        fake
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/v3/ws", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn key(&self) -> &'static str {
        STREAMING_KEY
    }

    /// Injects `fault` into connection number `connection` (from 0).
    pub fn fault(&self, connection: usize, fault: Fault) {
        self.state.lock().unwrap().faults.insert(connection, fault);
    }

    /// A copy of every connection's log, in arrival order.
    pub fn sessions(&self) -> Vec<SessionLog> {
        let state = self.state.lock().unwrap();
        state
            .sessions
            .iter()
            .map(|s| s.lock().unwrap().clone())
            .collect()
    }

    /// The query strings of the token requests.
    pub fn token_requests(&self) -> Vec<String> {
        self.state.lock().unwrap().token_requests.clone()
    }

    /// Milliseconds of audio received so far, over all sessions (PCM16 at `rate`).
    pub fn audio_ms(&self, rate: u32) -> u64 {
        let bytes: usize = self.sessions().iter().map(|s| s.audio.len()).sum();
        bytes as u64 * 1000 / (rate as u64 * 2)
    }

    fn serve(&self, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let Some(head) = read_head(&mut stream) else {
            return;
        };
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_owned();
        let target = request_line
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let headers: HashMap<String, String> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
        let query = parse_query(raw_query);
        if path == "/v3/token" {
            self.token(&mut stream, &headers, raw_query, &query);
            return;
        }
        let (index, fault, log) = {
            let mut state = self.state.lock().unwrap();
            let index = state.connections;
            state.connections += 1;
            let log = Arc::new(Mutex::new(SessionLog {
                query: query.clone(),
                raw_query: raw_query.to_owned(),
                authorization: headers.get("authorization").cloned(),
                user_agent: headers.get("user-agent").cloned(),
                ..SessionLog::default()
            }));
            state.sessions.push(Arc::clone(&log));
            (index, state.faults.get(&index).cloned(), log)
        };
        let _ = index;
        if path != "/v3/ws" {
            respond(&mut stream, 404, r#"{"error":"Not found"}"#);
            return;
        }
        let authorized = match (headers.get("authorization"), query.get("token")) {
            (_, Some(token)) => {
                let mut state = self.state.lock().unwrap();
                // Single use: a token opens one session.
                match state.tokens.iter().position(|t| t == token) {
                    Some(at) => {
                        state.tokens.remove(at);
                        true
                    }
                    None => false,
                }
            }
            (Some(key), None) => key == STREAMING_KEY,
            (None, None) => false,
        };
        if !authorized {
            // Echoes what it was given, as a careless server might: the client must not print it.
            let given = headers.get("authorization").cloned().unwrap_or_default();
            log.lock().unwrap().refusal = Some("401".into());
            respond(
                &mut stream,
                401,
                &format!(r#"{{"error":"Invalid API key or token: {given}"}}"#),
            );
            return;
        }
        if let Some(Fault::RejectHandshake(status)) = fault {
            log.lock().unwrap().refusal = Some(status.to_string());
            respond(
                &mut stream,
                status,
                r#"{"error":"Service temporarily unavailable"}"#,
            );
            return;
        }
        let Some(key) = headers.get("sec-websocket-key") else {
            respond(&mut stream, 400, r#"{"error":"not a WebSocket upgrade"}"#);
            return;
        };
        let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
        let upgrade = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {accept}\r\n\r\n"
        );
        if stream.write_all(upgrade.as_bytes()).is_err() {
            return;
        }
        session::run(stream, &self.rules, fault, &log);
    }

    fn token(
        &self,
        stream: &mut TcpStream,
        headers: &HashMap<String, String>,
        raw_query: &str,
        query: &BTreeMap<String, String>,
    ) {
        let mut state = self.state.lock().unwrap();
        state.token_requests.push(raw_query.to_owned());
        if headers.get("authorization").map(String::as_str) != Some(STREAMING_KEY) {
            drop(state);
            respond(stream, 401, r#"{"error":"Invalid API key"}"#);
            return;
        }
        let expires = query
            .get("expires_in_seconds")
            .and_then(|v| v.parse::<u64>().ok());
        let Some(expires) = expires.filter(|e| (1..=600).contains(e)) else {
            drop(state);
            respond(
                stream,
                400,
                r#"{"error":"expires_in_seconds must be 1 to 600"}"#,
            );
            return;
        };
        let token = format!(
            "tmp-token-{}",
            state.tokens.len() + state.token_requests.len()
        );
        state.tokens.push(token.clone());
        drop(state);
        respond(
            stream,
            200,
            &format!(r#"{{"token":"{token}","expires_in_seconds":{expires}}}"#),
        );
    }
}

/// Reads an HTTP request head, byte by byte (nothing else is sent before the answer).
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).ok()
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Error",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

pub fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
