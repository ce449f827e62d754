//! One connection after the upgrade: `Begin`, audio in (checked), turns out, `Terminate`.

use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tungstenite::protocol::frame::{CloseFrame, Frame};
use tungstenite::protocol::{Role, WebSocket, WebSocketConfig};
use tungstenite::{Message, Utf8Bytes};

use super::params::{Config, check_params};
use super::speech::{Heard, Recognizer, Said, mulaw_decode};
use super::{Rules, StreamFault, StreamSession};
use crate::emulator::lock;

/// The largest message the server takes; over it, close 1009 (api-2026.md §7.3).
const MAX_MESSAGE: usize = 128 * 1024;
/// How often the loop looks up from reading, for heartbeats and the idle limit.
const TICK: Duration = Duration::from_millis(50);
/// A session that receives nothing for this long is closed (the real one waits up to its
/// 3-hour cap; an emulator on a laptop should not hold a thread that long for nobody).
const IDLE_LIMIT: Duration = Duration::from_secs(600);
/// A turn shorter than this has no speaker yet (`PENDING`).
const PENDING_BELOW_MS: u64 = 1000;

/// What a session starts from.
pub(super) struct Start<'a> {
    pub stream: TcpStream,
    pub buffered: Vec<u8>,
    pub rules: &'a Rules,
    pub fault: Option<StreamFault>,
    pub log: &'a Arc<Mutex<StreamSession>>,
    pub api_version: String,
    pub speech_text: String,
}

struct Session<'a> {
    final_log: Option<std::path::PathBuf>,
    ws: WebSocket<TcpStream>,
    log: Arc<Mutex<StreamSession>>,
    config: Config,
    recognizer: Recognizer,
    turn_order: u64,
    /// Final turns sent with the speaker `PENDING`, revised before `Termination`.
    pending_speakers: Vec<u64>,
    begun: Instant,
    received_ms: f64,
    last_heard: Instant,
    next_heartbeat: Instant,
    rules: &'a Rules,
}

pub(super) fn run(start: Start<'_>) {
    let Start {
        stream,
        buffered,
        rules,
        fault,
        log,
        api_version,
        speech_text,
    } = start;
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let mut ws = WebSocket::from_partially_read(stream, buffered, Role::Server, Some(ws_config));
    let query = lock(log).query.clone();
    if let Some(StreamFault::CloseBeforeBegin { code, reason }) = &fault {
        let _ = ws.send(text(
            json!({"type": "Error", "error_code": code, "error": reason}),
        ));
        close(&mut ws, log, *code, reason);
        return;
    }
    let config = match check_params(&query) {
        Ok(config) => config,
        Err(problem) => {
            let message = format!("User Input Validation Error: {problem}");
            let _ = ws.send(text(
                json!({"type": "Error", "error_code": 3006, "error": message}),
            ));
            lock(log).refusal = Some(message.clone());
            close(&mut ws, log, 3006, &message);
            return;
        }
    };
    if let Some(StreamFault::SlowBegin(delay)) = &fault {
        std::thread::sleep(*delay);
    }
    // A UUID, as the service's session ids are.
    let id = crate::emulator::ids::new_id();
    {
        let mut log = lock(log);
        log.id = id.clone();
        log.model = Some(config.model.clone());
    }
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        + 10_800;
    let flag = |name: &str| query.get(name).map(|v| v.eq_ignore_ascii_case("true"));
    let begin = json!({
        "type": "Begin",
        "id": id,
        "expires_at": expires,
        "configuration": {
            "model": config.model,
            "mode": config.mode,
            "api_version": api_version,
            "speaker_labels": flag("speaker_labels"),
            "redact_pii": flag("redact_pii"),
            "filter_profanity": flag("filter_profanity"),
            "domain": query.get("domain"),
            "voice_focus": query.get("voice_focus"),
        },
    });
    if ws.send(text(begin)).is_err() {
        return;
    }
    match &fault {
        Some(StreamFault::PingFlood) => return flood(&mut ws),
        Some(StreamFault::SendAfterBegin(message)) => {
            let _ = ws.send(Message::Text(Utf8Bytes::from(message.as_str())));
        }
        _ => {}
    }
    let min_silence = config.min_turn_silence.unwrap_or(rules.min_turn_silence_ms);
    let now = Instant::now();
    let mut session = Session {
        final_log: rules.final_log.clone(),
        ws,
        log: Arc::clone(log),
        recognizer: Recognizer::new(config.rate, min_silence, &speech_text),
        config,
        turn_order: 0,
        pending_speakers: Vec::new(),
        begun: now,
        received_ms: 0.0,
        last_heard: now,
        next_heartbeat: now + rules.heartbeat_every,
        rules,
    };
    let _ = session.ws.get_ref().set_read_timeout(Some(TICK));
    session.serve(fault);
}

/// Pings, then the pieces of a message that never ends, a few bytes every 2 ms, until the
/// client goes: a WebSocket library reads on while a message is incomplete, so only a client
/// that bounds its reads by its own deadline gets its turn back.
fn flood(ws: &mut WebSocket<TcpStream>) {
    for _ in 0..100 {
        if ws.write(Message::Ping(b"flood".to_vec().into())).is_err() {
            return;
        }
    }
    let start = Frame::message(b"{\"type\":".to_vec(), OpCode::Data(Data::Text), false);
    if ws.write(Message::Frame(start)).is_err() {
        return;
    }
    loop {
        let piece = Frame::message(b" ".to_vec(), OpCode::Data(Data::Continue), false);
        let sent = ws.write(Message::Frame(piece)).and_then(|()| ws.flush());
        if sent.is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

impl Session<'_> {
    fn serve(&mut self, fault: Option<StreamFault>) {
        loop {
            let message = match self.ws.read() {
                Ok(message) => message,
                Err(tungstenite::Error::Io(err))
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if !self.tick() {
                        return;
                    }
                    continue;
                }
                Err(tungstenite::Error::Capacity(problem)) => {
                    self.fail(1009, &format!("Message too big: {problem}"));
                    return;
                }
                Err(_) => return, // the client went away
            };
            self.last_heard = Instant::now();
            let goes_on = match message {
                Message::Binary(bytes) => self.audio(&bytes, fault.as_ref()),
                Message::Text(message) => self.control(message.as_str(), fault.as_ref()),
                Message::Close(_) => false,
                _ => true,
            };
            if !goes_on {
                return;
            }
        }
    }

    /// Between messages: heartbeats and the idle limits; false when the session is over.
    fn tick(&mut self) -> bool {
        let now = Instant::now();
        if self.config.heartbeat && now >= self.next_heartbeat {
            self.next_heartbeat = now + self.rules.heartbeat_every;
            let elapsed_ms = self.begun.elapsed().as_secs_f64() * 1000.0;
            let beat = json!({
                "type": "Heartbeat",
                "total_audio_received_ms": self.received_ms.round(),
                "total_duration_ms": elapsed_ms.round(),
                "realtime_factor": self.received_ms / elapsed_ms.max(1.0),
                "max_speech_probability": 0.0,
            });
            if self.ws.send(text(beat)).is_err() {
                return false;
            }
            lock(&self.log).heartbeats += 1;
        }
        let idle = self.last_heard.elapsed();
        if self.config.inactivity.is_some_and(|limit| idle >= limit) {
            self.fail(3005, "Session idle for too long");
            return false;
        }
        idle < IDLE_LIMIT
    }

    /// One binary message; false when the session is over.
    fn audio(&mut self, bytes: &[u8], fault: Option<&StreamFault>) -> bool {
        let elapsed_ms = self.begun.elapsed().as_secs_f64() * 1000.0;
        {
            let mut log = lock(&self.log);
            log.audio.extend_from_slice(bytes);
            log.chunks.push((elapsed_ms, bytes.len()));
        }
        // Compressed audio is taken as it comes: not decoded, so not heard.
        let Some(sample_bytes) = self.config.sample_bytes else {
            return true;
        };
        let per_ms = f64::from(self.config.rate) * f64::from(sample_bytes) / 1000.0;
        let chunk_ms = bytes.len() as f64 / per_ms;
        if !(50.0..=1000.0).contains(&chunk_ms.round()) {
            let reason = format!(
                "Input duration violation: {chunk_ms:.0} ms. Expected between 50 and 1000 ms"
            );
            self.fail(3007, &reason);
            return false;
        }
        self.received_ms += chunk_ms;
        if self.received_ms > elapsed_ms + self.rules.pacing_slack_ms {
            let reason = format!(
                "Audio Transmission Rate Exceeded: Received {:.1} sec. audio in {:.3} sec",
                self.received_ms / 1000.0,
                elapsed_ms / 1000.0
            );
            self.fail(3007, &reason);
            return false;
        }
        let samples: Vec<i16> = if self.config.mulaw {
            bytes.iter().map(|b| mulaw_decode(*b)).collect()
        } else {
            bytes
                .chunks_exact(2)
                .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                .collect()
        };
        let mut said = Vec::new();
        self.recognizer.feed(samples.into_iter(), &mut said);
        if !self.say(said) {
            return false;
        }
        match fault {
            Some(StreamFault::CloseAfter {
                audio_ms,
                code,
                reason,
            }) if self.received_ms >= *audio_ms as f64 => {
                self.fail(*code, reason);
                false
            }
            Some(StreamFault::ErrorWithoutClose {
                audio_ms,
                code,
                reason,
            }) if self.received_ms >= *audio_ms as f64 => {
                let error = json!({"type": "Error", "error_code": code, "error": reason});
                let _ = self.ws.send(text(error));
                lock(&self.log).refusal = Some(reason.clone());
                // Silent from now on, as a hung server would be.
                let _ = self.ws.get_ref().set_read_timeout(None);
                while self.ws.read().is_ok() {}
                false
            }
            Some(StreamFault::DropAfter { audio_ms }) if self.received_ms >= *audio_ms as f64 => {
                let _ = self.ws.get_ref().shutdown(std::net::Shutdown::Both);
                false
            }
            _ => true,
        }
    }

    /// One text message; false when the session is over.
    fn control(&mut self, message: &str, fault: Option<&StreamFault>) -> bool {
        lock(&self.log).messages.push(message.to_owned());
        let parsed = serde_json::from_str::<Value>(message).unwrap_or(Value::Null);
        let kind = parsed["type"].as_str().unwrap_or_default().to_owned();
        match kind.as_str() {
            "Terminate" => {
                lock(&self.log).terminated = true;
                if matches!(fault, Some(StreamFault::IgnoreTerminate)) {
                    std::thread::sleep(Duration::from_secs(30));
                    return false;
                }
                let mut said = Vec::new();
                self.recognizer.flush(&mut said);
                self.say(said);
                // The speakers of turns too short to tell are settled at the end, as the
                // service does with a SpeakerRevision right before Termination.
                if !self.pending_speakers.is_empty() {
                    let revisions: Vec<Value> = std::mem::take(&mut self.pending_speakers)
                        .into_iter()
                        .map(
                            |order| json!({"turn_order": order, "speaker_label": "A", "words": []}),
                        )
                        .collect();
                    let revision = json!({"type": "SpeakerRevision", "revisions": revisions});
                    let _ = self.ws.send(text(revision));
                }
                let audio_s = (self.received_ms / 1000.0).round();
                let session_s = self.begun.elapsed().as_secs_f64().round();
                let _ = self.ws.send(text(json!({
                    "type": "Termination",
                    "audio_duration_seconds": audio_s,
                    "session_duration_seconds": session_s,
                })));
                close(&mut self.ws, &self.log, 1000, "");
                false
            }
            "ForceEndpoint" => {
                let mut said = Vec::new();
                self.recognizer.flush(&mut said);
                self.say(said)
            }
            "UpdateConfiguration" => {
                if let Some(on) = parsed["session_heartbeat"].as_bool() {
                    self.config.heartbeat = on;
                }
                true
            }
            "KeepAlive" => true,
            _ => {
                self.fail(3006, &format!("Invalid Message Type: {kind:?}"));
                false
            }
        }
    }

    /// Sends the turns; false when the client is gone.
    fn say(&mut self, said: Vec<Said>) -> bool {
        for said in said {
            let (words, end) = match said {
                Said::Partial(words) => (words, false),
                Said::Final(words) => (words, true),
            };
            let turn = self.turn(&words, end);
            let pending = turn["speaker_label"] == "PENDING";
            let sent = self.ws.send(text(turn)).is_ok();
            if let Some(path) = self.final_log.as_ref().filter(|_| end) {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs_f64();
                let id = lock(&self.log).id.clone();
                let line = format!(
                    "{now:.6}\t{id}\t{}\n",
                    transcript(&words, self.config.formatted)
                );
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path);
                if let Ok(mut file) = file {
                    let _ = std::io::Write::write_all(&mut file, line.as_bytes());
                }
            }
            if !sent {
                return false;
            }
            if end {
                if pending {
                    self.pending_speakers.push(self.turn_order);
                }
                let transcript = transcript(&words, self.config.formatted);
                lock(&self.log).finals.push(transcript);
                self.turn_order += 1;
            }
        }
        true
    }

    fn turn(&self, words: &[Heard], end: bool) -> Value {
        let formatted = end && self.config.formatted;
        let span = match (words.first(), words.last()) {
            (Some(first), Some(last)) => last.end_ms.saturating_sub(first.start_ms),
            _ => 0,
        };
        // Diarization labels a turn once it is long enough to tell (api-2026.md §7.3).
        let label = if span < PENDING_BELOW_MS {
            "PENDING"
        } else {
            "A"
        };
        let speaker = self.config.speaker_labels.then_some(label);
        let mut turn = json!({
            "type": "Turn",
            "turn_order": self.turn_order,
            "turn_is_formatted": formatted,
            "end_of_turn": end,
            "transcript": transcript(words, formatted),
            "end_of_turn_confidence": if end { 0.9 } else { 0.1 },
            "utterance": "",
            "words": words.iter().map(|w| {
                let mut word = json!({
                    "text": w.text,
                    "start": w.start_ms,
                    "end": w.end_ms,
                    "confidence": 0.99,
                    "word_is_final": true,
                });
                if let Some(speaker) = speaker {
                    word["speaker"] = json!(speaker);
                }
                word
            }).collect::<Vec<_>>(),
        });
        if let Some(speaker) = speaker {
            turn["speaker_label"] = json!(speaker);
        }
        turn
    }

    fn fail(&mut self, code: u16, reason: &str) {
        let _ = self.ws.send(text(
            json!({"type": "Error", "error_code": code, "error": reason}),
        ));
        close(
            &mut self.ws,
            &self.log,
            code,
            "See Error message for details",
        );
        lock(&self.log).refusal = Some(reason.to_owned());
    }
}

/// A turn's text: the words as heard, or with `formatted` capitalized and ending in a stop.
fn transcript(words: &[Heard], formatted: bool) -> String {
    let plain = |w: &Heard| {
        w.text
            .trim_matches(|c: char| c.is_ascii_punctuation())
            .to_lowercase()
    };
    if !formatted {
        return words.iter().map(plain).collect::<Vec<_>>().join(" ");
    }
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return text;
    };
    let mut out = format!("{}{}", first.to_uppercase(), chars.as_str());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

fn text(value: Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn close(ws: &mut WebSocket<TcpStream>, log: &Arc<Mutex<StreamSession>>, code: u16, reason: &str) {
    lock(log).closed_with = Some(code);
    // A close reason is at most 123 bytes (RFC 6455 §5.5): the Error frame has the whole text.
    let mut cut = reason.len().min(123);
    while !reason.is_char_boundary(cut) {
        cut -= 1;
    }
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: Utf8Bytes::from(&reason[..cut]),
    };
    let _ = ws.close(Some(frame));
    // Until the client answers the close (or goes), then the TCP connection ends.
    let _ = ws.get_ref().set_read_timeout(Some(Duration::from_secs(2)));
    while ws.read().is_ok() {}
}
