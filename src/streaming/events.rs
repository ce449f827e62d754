//! What the server sends (`Begin`, `Turn`, `Termination`, `Error`, ...) and
//! the events a session reports, parsed leniently: unknown message types are
//! kept, unknown fields ignored, optional fields may be missing.

use std::time::{Duration, Instant};

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The `Begin` message: the session is open.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Begin {
    /// The session id (a UUID). Support asks for it.
    #[serde(default)]
    pub id: String,
    /// When the server will close the session with 3008, in Unix seconds.
    /// The spec once documented an ISO-8601 string; that form is read too.
    #[serde(default, deserialize_with = "unix_seconds")]
    pub expires_at: Option<i64>,
    /// The settings the server applied (`model`, `mode`, `api_version`,
    /// `speaker_labels`, `domain`, ...), when it says.
    #[serde(default)]
    pub configuration: Option<Value>,
}

impl Begin {
    /// The model the server runs this session on (`configuration.model`),
    /// when it says: the one to report, since an unset or redirected model
    /// (`u3-rt-pro` runs as `universal-3-5-pro`) is the server's choice.
    pub fn model(&self) -> Option<&str> {
        self.applied("model")
    }

    /// The turn-detection preset the server applied (`configuration.mode`).
    pub fn mode(&self) -> Option<&str> {
        self.applied("mode")
    }

    fn applied(&self, name: &str) -> Option<&str> {
        self.configuration.as_ref()?.get(name)?.as_str()
    }
}

/// One word of a [`Turn`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct StreamWord {
    /// The word as transcribed.
    pub text: String,
    /// Start, in ms from the start of this session's audio.
    pub start: i64,
    /// End, in ms from the start of this session's audio.
    pub end: i64,
    /// Confidence, 0.0 to 1.0.
    pub confidence: Option<f64>,
    /// Whether the word will not change any more.
    pub word_is_final: bool,
    /// The speaker, with `speaker_labels` (`PENDING` while undecided).
    pub speaker: Option<String>,
}

/// A `Turn` message: the running transcript of one speaking turn.
///
/// Each message carries the whole turn so far; partials are never to be
/// concatenated. [`raw_json`](Turn::raw_json) is the message exactly as sent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Turn {
    /// 0, 1, 2, ... within a session (it restarts in a new session).
    pub turn_order: u64,
    /// Whether punctuation and casing were applied.
    pub turn_is_formatted: bool,
    /// Whether the turn is over: the only sign of a final.
    pub end_of_turn: bool,
    /// The finalized words of the turn so far.
    pub transcript: String,
    /// Text at an utterance boundary, else empty.
    pub utterance: Option<String>,
    /// How sure the model is that the turn ended.
    pub end_of_turn_confidence: Option<f64>,
    /// The words, usually ending with one not yet final.
    pub words: Vec<StreamWord>,
    /// The language, with `language_detection`.
    pub language_code: Option<String>,
    /// Confidence in `language_code`.
    pub language_confidence: Option<f64>,
    /// The speaker, with `speaker_labels`: `A`, `B`, ..., or `PENDING`
    /// for a turn too short to tell (`UNKNOWN` before June 2026).
    pub speaker_label: Option<String>,
    /// How sure the server is of `speaker_label` (experimental, uncalibrated).
    pub speaker_confidence: Option<f64>,
    #[serde(skip)]
    raw: String,
}

impl Turn {
    /// The message as the server sent it (one line of JSON).
    pub fn raw_json(&self) -> &str {
        &self.raw
    }

    /// Whether the speaker of this turn is not decided yet (`PENDING`, or
    /// the older `UNKNOWN`): a later `SpeakerRevision` may name it.
    pub fn speaker_pending(&self) -> bool {
        matches!(self.speaker_label.as_deref(), Some("PENDING" | "UNKNOWN"))
    }

    /// Where the turn's last word ends, in ms of this session's audio.
    pub(crate) fn audio_end_ms(&self) -> Option<i64> {
        self.words.iter().map(|word| word.end).max()
    }
}

/// The `Termination` message: the session is over.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Termination {
    /// Seconds of audio the server received.
    pub audio_duration_seconds: Option<f64>,
    /// Seconds the session was open: what is billed.
    pub session_duration_seconds: Option<f64>,
}

/// A `Heartbeat` message (with `session_heartbeat`): the session's health,
/// every 5 s of wall clock.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Heartbeat {
    /// Audio the server received so far, ms.
    pub total_audio_received_ms: Option<f64>,
    /// How long the session has been open, ms.
    pub total_duration_ms: Option<f64>,
    /// Audio received over time elapsed (may exceed 1.0).
    pub realtime_factor: Option<f64>,
    /// The highest speech probability since the last heartbeat.
    pub max_speech_probability: Option<f64>,
}

/// One turn's new speaker in a [`StreamEvent::SpeakerRevision`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SpeakerRevision {
    /// The turn revised (of the current session).
    pub turn_order: u64,
    /// Its speaker now.
    pub speaker_label: Option<String>,
    /// Its words with their speakers, when sent.
    pub words: Vec<StreamWord>,
}

/// What a session reports, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StreamEvent {
    /// The session began.
    Begin(Begin),
    /// The connection failed mid-session in a way worth retrying, and a new
    /// session began: a new id, new billing, and turn numbering and word
    /// times restarted from 0. The audio not yet finalized by the old
    /// session is sent again, so no turn is lost or repeated.
    Restarted {
        /// The new session.
        begin: Begin,
        /// The session that ended.
        previous_session_id: String,
        /// Why it ended (close code and reason, or the network error).
        reason: String,
        /// Where the new session's audio starts in the whole stream: add it
        /// to word times to place them on one timeline.
        audio_offset: Duration,
        /// Audio sent to the old session that could not be kept for the new
        /// one (more than the unacknowledged buffer holds); usually zero.
        audio_lost: Duration,
    },
    /// Speech started (`u3-rt-pro` only), at `timestamp` ms.
    SpeechStarted {
        /// ms from the start of the session's audio.
        timestamp: i64,
    },
    /// A turn in progress; a later event for the same `turn_order` replaces it.
    Partial(Turn),
    /// A turn is over: reported once per turn.
    Final(Turn),
    /// The server's `Error` message, sent before it closes the session; what
    /// the session does about it follows (a new session, or an error).
    ServerError {
        /// The close code it announces.
        code: Option<u16>,
        /// The server's text.
        message: String,
    },
    /// The server's `Warning` message.
    Warning {
        /// Its code.
        code: Option<i64>,
        /// Its text.
        message: String,
    },
    /// The server's `Heartbeat` (with `session_heartbeat`).
    Heartbeat(Heartbeat),
    /// Earlier turns' speakers, revised (`SpeakerRevision`): apply them in
    /// order; the last revision of a `turn_order` wins.
    SpeakerRevision(Vec<SpeakerRevision>),
    /// The session ended; its durations.
    Termination(Termination),
    /// A message this crate doesn't know, as parsed JSON.
    Other(Value),
}

/// A server text frame, dispatched on `type`.
pub(crate) enum Incoming {
    Begin(Begin),
    Turn(Turn),
    Termination(Termination),
    Error { code: Option<u16>, message: String },
    Event(StreamEvent),
}

/// Parses a text frame; text that is not a JSON object is kept as `Other`.
pub(crate) fn parse(text: &str) -> Incoming {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Incoming::Event(StreamEvent::Other(Value::String(text.to_owned())));
    };
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let number = |name: &str| value.get(name).and_then(Value::as_i64);
    match kind {
        "Begin" => match Begin::deserialize(&value) {
            Ok(begin) => Incoming::Begin(begin),
            Err(_) => Incoming::Event(StreamEvent::Other(value)),
        },
        "Turn" => match Turn::deserialize(&value) {
            Ok(mut turn) => {
                turn.raw = text.trim().to_owned();
                Incoming::Turn(turn)
            }
            Err(_) => Incoming::Event(StreamEvent::Other(value)),
        },
        "Termination" => {
            Incoming::Termination(Termination::deserialize(&value).unwrap_or_default())
        }
        "SpeechStarted" => Incoming::Event(StreamEvent::SpeechStarted {
            timestamp: number("timestamp").unwrap_or(0),
        }),
        "Heartbeat" => match Heartbeat::deserialize(&value) {
            Ok(heartbeat) => Incoming::Event(StreamEvent::Heartbeat(heartbeat)),
            Err(_) => Incoming::Event(StreamEvent::Other(value)),
        },
        "SpeakerRevision" => match Vec::<SpeakerRevision>::deserialize(&value["revisions"]) {
            Ok(revisions) => Incoming::Event(StreamEvent::SpeakerRevision(revisions)),
            Err(_) => Incoming::Event(StreamEvent::Other(value)),
        },
        "Warning" => Incoming::Event(StreamEvent::Warning {
            code: number("warning_code"),
            message: field("warning").unwrap_or_default(),
        }),
        // Both SDKs also accept an untyped `{"error": "..."}`.
        "Error" | "" if value.get("error").is_some() => Incoming::Error {
            code: number("error_code").and_then(|code| u16::try_from(code).ok()),
            message: field("error").unwrap_or_else(|| value["error"].to_string()),
        },
        _ => Incoming::Event(StreamEvent::Other(value)),
    }
}

/// Reads `expires_at` as Unix seconds, or as an ISO-8601 UTC time.
fn unix_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_f64().map(|seconds| seconds as i64),
        Value::String(text) => crate::timestamp::parse_naive_utc(&text).map(|s| s as i64),
        _ => None,
    })
}

/// Turns `Turn` messages into partial and final events, one final per turn.
///
/// With `format_turns`, the server may send an unformatted final and then a
/// formatted one for the same `turn_order` (streaming-notes §6): the first is
/// held until the formatted one comes, the next turn starts, the session
/// ends, or `FORMATTED_WAIT` passes, and only one of them is reported.
pub(crate) struct TurnTracker {
    wants_formatting: bool,
    /// The turn orders already reported final in this session.
    last_final: Option<u64>,
    held: Option<(Turn, Instant)>,
}

/// How long an unformatted final waits for its formatted twin.
const FORMATTED_WAIT: Duration = Duration::from_millis(1500);

impl TurnTracker {
    pub(crate) fn new(wants_formatting: bool) -> Self {
        TurnTracker {
            wants_formatting,
            last_final: None,
            held: None,
        }
    }

    /// A new session numbers its turns from 0 again.
    pub(crate) fn restart(&mut self, out: &mut Vec<StreamEvent>) {
        self.flush(out);
        self.last_final = None;
    }

    /// The events for one `Turn` message.
    pub(crate) fn turn(&mut self, turn: Turn, out: &mut Vec<StreamEvent>) {
        if self
            .held
            .as_ref()
            .is_some_and(|(held, _)| held.turn_order != turn.turn_order)
        {
            self.flush(out);
        }
        let already_final = self
            .last_final
            .is_some_and(|order| turn.turn_order <= order);
        if !turn.end_of_turn {
            if !already_final {
                out.push(StreamEvent::Partial(turn));
            }
            return;
        }
        if let Some((held, _)) = &self.held {
            if held.turn_order == turn.turn_order && turn.turn_is_formatted {
                self.held = None;
                self.report_final(turn, out);
            }
            return;
        }
        if already_final {
            return;
        }
        if self.wants_formatting && !turn.turn_is_formatted {
            self.held = Some((turn, Instant::now()));
        } else {
            self.report_final(turn, out);
        }
    }

    /// Reports a held final whose formatted twin is overdue.
    pub(crate) fn tick(&mut self, out: &mut Vec<StreamEvent>) {
        if self
            .held
            .as_ref()
            .is_some_and(|(_, since)| since.elapsed() >= FORMATTED_WAIT)
        {
            self.flush(out);
        }
    }

    /// Reports whatever is held (at the end of a session).
    pub(crate) fn flush(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some((held, _)) = self.held.take() {
            self.report_final(held, out);
        }
    }

    /// When a held final must be reported at the latest.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.held.as_ref().map(|(_, since)| *since + FORMATTED_WAIT)
    }

    fn report_final(&mut self, turn: Turn, out: &mut Vec<StreamEvent>) {
        self.last_final = Some(turn.turn_order);
        out.push(StreamEvent::Final(turn));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(order: u64, end: bool, formatted: bool, text: &str) -> Turn {
        let json = format!(
            r#"{{"type":"Turn","turn_order":{order},"end_of_turn":{end},"turn_is_formatted":{formatted},"transcript":"{text}","words":[]}}"#
        );
        match parse(&json) {
            Incoming::Turn(turn) => turn,
            _ => panic!("not a turn"),
        }
    }

    fn texts(events: &[StreamEvent]) -> Vec<String> {
        events
            .iter()
            .map(|event| match event {
                StreamEvent::Partial(t) => format!("p{}:{}", t.turn_order, t.transcript),
                StreamEvent::Final(t) => format!("f{}:{}", t.turn_order, t.transcript),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn one_final_per_turn_even_when_the_server_repeats_it() {
        let mut tracker = TurnTracker::new(false);
        let mut out = Vec::new();
        tracker.turn(turn(0, false, false, "hi"), &mut out);
        tracker.turn(turn(0, true, false, "hi there"), &mut out);
        tracker.turn(turn(0, true, true, "Hi there."), &mut out);
        tracker.turn(turn(1, false, false, "next"), &mut out);
        assert_eq!(texts(&out), ["p0:hi", "f0:hi there", "p1:next"]);
    }

    #[test]
    fn with_format_turns_the_formatted_final_replaces_the_plain_one() {
        let mut tracker = TurnTracker::new(true);
        let mut out = Vec::new();
        tracker.turn(turn(0, true, false, "hi there"), &mut out);
        assert!(out.is_empty(), "held for its formatted twin");
        tracker.turn(turn(0, true, true, "Hi there."), &mut out);
        tracker.turn(turn(1, true, false, "plain only"), &mut out);
        tracker.turn(turn(2, false, false, "x"), &mut out);
        assert_eq!(texts(&out), ["f0:Hi there.", "f1:plain only", "p2:x"]);
    }

    #[test]
    fn heartbeats_and_speaker_revisions_are_typed() {
        let Incoming::Event(StreamEvent::Heartbeat(beat)) =
            parse(r#"{"type":"Heartbeat","realtime_factor":1.2,"total_audio_received_ms":5000}"#)
        else {
            panic!("not a heartbeat")
        };
        assert_eq!(beat.realtime_factor, Some(1.2));
        let Incoming::Event(StreamEvent::SpeakerRevision(revisions)) = parse(
            r#"{"type":"SpeakerRevision","revisions":[{"turn_order":2,"speaker_label":"B","words":[]}]}"#,
        ) else {
            panic!("not a revision")
        };
        assert_eq!(revisions[0].turn_order, 2);
        assert_eq!(revisions[0].speaker_label.as_deref(), Some("B"));
        let Incoming::Turn(turn) = parse(r#"{"type":"Turn","speaker_label":"PENDING"}"#) else {
            panic!("not a turn")
        };
        assert!(turn.speaker_pending());
        let Incoming::Begin(begin) = parse(
            r#"{"type":"Begin","id":"s","configuration":{"model":"universal-3-6-pro","mode":"balanced"}}"#,
        ) else {
            panic!("not a begin")
        };
        assert_eq!(begin.model(), Some("universal-3-6-pro"));
        assert_eq!(begin.mode(), Some("balanced"));
    }

    #[test]
    fn unknown_messages_and_error_frames_are_kept() {
        assert!(matches!(
            parse(r#"{"type":"LLMGatewayResponse","turn_order":1}"#),
            Incoming::Event(StreamEvent::Other(_))
        ));
        assert!(matches!(
            parse(r#"{"type":"Error","error_code":3007,"error":"too fast"}"#),
            Incoming::Error {
                code: Some(3007),
                ..
            }
        ));
        assert!(matches!(
            parse(r#"{"error":"bad"}"#),
            Incoming::Error { code: None, .. }
        ));
        let Incoming::Begin(begin) = parse(r#"{"type":"Begin","id":"s1","expires_at":1772570132}"#)
        else {
            panic!("not a begin")
        };
        assert_eq!(begin.expires_at, Some(1772570132));
        assert!(matches!(
            parse(r#"{"type":"Termination"}"#),
            Incoming::Termination(Termination {
                audio_duration_seconds: None,
                ..
            })
        ));
    }
}
