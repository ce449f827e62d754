//! One connection after the upgrade: `Begin`, audio in (checked), turns out, `Terminate`.

use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::frame::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{Role, WebSocket};
use tungstenite::{Message, Utf8Bytes};

use super::speech::{Heard, Recognizer, Said, WORDS, mulaw_decode};
use super::{Fault, Rules, SessionLog};

const MODELS: [&str; 4] = [
    "universal-streaming-english",
    "universal-streaming-multilingual",
    "whisper-rt",
    "u3-rt-pro",
];

struct Session {
    final_log: Option<std::path::PathBuf>,
    ws: WebSocket<TcpStream>,
    log: Arc<Mutex<SessionLog>>,
    rate: u32,
    mulaw: bool,
    formatted: bool,
    recognizer: Recognizer,
    turn_order: u64,
    begun: Instant,
    received_ms: f64,
}

pub fn run(stream: TcpStream, rules: &Rules, fault: Option<Fault>, log: &Arc<Mutex<SessionLog>>) {
    let mut ws = WebSocket::from_raw_socket(stream, Role::Server, None);
    let query = log.lock().unwrap().query.clone();
    if let Some(Fault::CloseBeforeBegin { code, reason }) = &fault {
        let _ = ws.send(text(
            json!({"type": "Error", "error_code": code, "error": reason}),
        ));
        close(&mut ws, log, *code, reason);
        return;
    }
    if let Err(problem) = check_params(&query) {
        let message = format!("User Input Validation Error: {problem}");
        let _ = ws.send(text(
            json!({"type": "Error", "error_code": 3006, "error": message}),
        ));
        close(&mut ws, log, 3006, &message);
        return;
    }
    if let Some(Fault::SlowBegin(delay)) = &fault {
        std::thread::sleep(*delay);
    }
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let id = format!("fake-session-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    log.lock().unwrap().id = id.clone();
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 10_800;
    let begin = json!({"type": "Begin", "id": id, "expires_at": expires});
    if ws.send(text(begin)).is_err() {
        return;
    }
    let rate: u32 = query["sample_rate"].parse().unwrap();
    let min_silence = query
        .get("min_turn_silence")
        .and_then(|v| v.parse().ok())
        .unwrap_or(rules.min_turn_silence_ms);
    let mut session = Session {
        final_log: rules.final_log.clone(),
        ws,
        log: Arc::clone(log),
        rate,
        mulaw: query.get("encoding").map(String::as_str) == Some("pcm_mulaw"),
        formatted: query.get("format_turns").map(String::as_str) == Some("true"),
        recognizer: Recognizer::new(rate, min_silence),
        turn_order: 0,
        begun: Instant::now(),
        received_ms: 0.0,
    };
    session.serve(rules, fault);
}

impl Session {
    fn serve(&mut self, rules: &Rules, fault: Option<Fault>) {
        loop {
            let message = match self.ws.read() {
                Ok(message) => message,
                Err(_) => return, // the client went away
            };
            match message {
                Message::Binary(bytes) => {
                    let elapsed_ms = self.begun.elapsed().as_secs_f64() * 1000.0;
                    let per_ms = self.rate as f64 * if self.mulaw { 1.0 } else { 2.0 } / 1000.0;
                    let chunk_ms = bytes.len() as f64 / per_ms;
                    {
                        let mut log = self.log.lock().unwrap();
                        log.audio.extend_from_slice(&bytes);
                        log.chunks.push((elapsed_ms, bytes.len()));
                    }
                    if !(50.0..=1000.0).contains(&chunk_ms.round()) {
                        let reason = format!(
                            "Input duration violation: {chunk_ms:.0} ms. Expected between 50 and 1000 ms"
                        );
                        self.fail(3007, &reason);
                        return;
                    }
                    self.received_ms += chunk_ms;
                    if self.received_ms > elapsed_ms + rules.pacing_slack_ms {
                        let reason = format!(
                            "Audio Transmission Rate Exceeded: Received {:.1} sec. audio in {:.3} sec",
                            self.received_ms / 1000.0,
                            elapsed_ms / 1000.0
                        );
                        self.fail(3007, &reason);
                        return;
                    }
                    let samples: Vec<i16> = if self.mulaw {
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
                        return;
                    }
                    match &fault {
                        Some(Fault::CloseAfter {
                            audio_ms,
                            code,
                            reason,
                        }) if self.received_ms >= *audio_ms as f64 => {
                            self.fail(*code, reason);
                            return;
                        }
                        Some(Fault::ErrorWithoutClose {
                            audio_ms,
                            code,
                            reason,
                        }) if self.received_ms >= *audio_ms as f64 => {
                            let error =
                                json!({"type": "Error", "error_code": code, "error": reason});
                            let _ = self.ws.send(text(error));
                            self.log.lock().unwrap().refusal = Some(reason.clone());
                            // Silent from now on, as a hung server would be.
                            while self.ws.read().is_ok() {}
                            return;
                        }
                        Some(Fault::DropAfter { audio_ms })
                            if self.received_ms >= *audio_ms as f64 =>
                        {
                            let _ = self.ws.get_ref().shutdown(std::net::Shutdown::Both);
                            return;
                        }
                        _ => {}
                    }
                }
                Message::Text(message) => {
                    self.log
                        .lock()
                        .unwrap()
                        .messages
                        .push(message.as_str().to_owned());
                    let kind = serde_json::from_str::<Value>(message.as_str())
                        .ok()
                        .and_then(|v| v["type"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    match kind.as_str() {
                        "Terminate" => {
                            self.log.lock().unwrap().terminated = true;
                            if matches!(fault, Some(Fault::IgnoreTerminate)) {
                                std::thread::sleep(Duration::from_secs(30));
                                return;
                            }
                            let mut said = Vec::new();
                            self.recognizer.flush(&mut said);
                            self.say(said);
                            let audio_s = (self.received_ms / 1000.0).round();
                            let session_s = self.begun.elapsed().as_secs_f64().round();
                            let _ = self.ws.send(text(json!({
                                "type": "Termination",
                                "audio_duration_seconds": audio_s,
                                "session_duration_seconds": session_s,
                            })));
                            close(&mut self.ws, &self.log, 1000, "");
                            return;
                        }
                        "ForceEndpoint" => {
                            let mut said = Vec::new();
                            self.recognizer.flush(&mut said);
                            self.say(said);
                        }
                        "KeepAlive" | "UpdateConfiguration" => {}
                        _ => {
                            self.fail(3006, &format!("Invalid Message Type: {kind:?}"));
                            return;
                        }
                    }
                }
                Message::Close(_) => return,
                _ => {}
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
            let sent = self.ws.send(text(turn)).is_ok();
            if let Some(path) = self.final_log.as_ref().filter(|_| end) {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs_f64();
                let id = self.log.lock().unwrap().id.clone();
                let line = format!("{now:.6}\t{id}\t{}\n", transcript(&words, self.formatted));
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
                let transcript = transcript(&words, self.formatted);
                self.log.lock().unwrap().finals.push(transcript);
                self.turn_order += 1;
            }
        }
        true
    }

    fn turn(&self, words: &[Heard], end: bool) -> Value {
        let formatted = end && self.formatted;
        json!({
            "type": "Turn",
            "turn_order": self.turn_order,
            "turn_is_formatted": formatted,
            "end_of_turn": end,
            "transcript": transcript(words, formatted),
            "end_of_turn_confidence": if end { 0.9 } else { 0.1 },
            "utterance": "",
            "words": words.iter().map(|w| json!({
                "text": WORDS[w.word],
                "start": w.start_ms,
                "end": w.end_ms,
                "confidence": 0.99,
                "word_is_final": true,
            })).collect::<Vec<_>>(),
        })
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
        self.log.lock().unwrap().refusal = Some(reason.to_owned());
    }
}

fn transcript(words: &[Heard], formatted: bool) -> String {
    let text = words
        .iter()
        .map(|w| WORDS[w.word])
        .collect::<Vec<_>>()
        .join(" ");
    if !formatted || text.is_empty() {
        return text;
    }
    let mut chars = text.chars();
    let first = chars.next().unwrap().to_uppercase().collect::<String>();
    format!("{first}{}.", chars.as_str())
}

fn text(value: Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn close(ws: &mut WebSocket<TcpStream>, log: &Arc<Mutex<SessionLog>>, code: u16, reason: &str) {
    log.lock().unwrap().closed_with = Some(code);
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: Utf8Bytes::from(reason),
    };
    let _ = ws.close(Some(frame));
    // Until the client answers the close (or goes), then the TCP connection ends.
    let _ = ws.get_ref().set_read_timeout(Some(Duration::from_secs(2)));
    while ws.read().is_ok() {}
}

/// The parameter checks of the real server: known values, a JSON array for keyterms.
fn check_params(query: &std::collections::BTreeMap<String, String>) -> Result<(), String> {
    match query.get("speech_model") {
        Some(model) if MODELS.contains(&model.as_str()) => {}
        Some(model) => return Err(format!("Invalid 'speech_model': {model}")),
        None => return Err("Invalid 'speech_model': required".into()),
    }
    match query.get("sample_rate").map(|v| v.parse::<u32>()) {
        Some(Ok(rate)) if rate >= 1000 => {}
        _ => return Err("Invalid 'sample_rate'".into()),
    }
    match query.get("encoding").map(String::as_str) {
        None | Some("pcm_s16le") | Some("pcm_mulaw") => {}
        Some(other) => return Err(format!("Invalid 'encoding': {other}")),
    }
    if let Some(terms) = query.get("keyterms_prompt") {
        match serde_json::from_str::<Value>(terms) {
            Ok(Value::Array(items)) if items.iter().all(Value::is_string) => {}
            _ => return Err("Invalid 'keyterms_prompt': Invalid JSON array".into()),
        }
    }
    for flag in [
        "format_turns",
        "speaker_labels",
        "language_detection",
        "filter_profanity",
    ] {
        if let Some(value) = query.get(flag) {
            if !["true", "false", "True", "False"].contains(&value.as_str()) {
                return Err(format!("Invalid '{flag}': {value}"));
            }
        }
    }
    Ok(())
}
