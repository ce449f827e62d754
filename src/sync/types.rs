//! What a Sync STT request sends (the `config` part) and what it answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::types::raw::{RawJson, keeps_raw_json};

/// The `config` part of a Sync STT request, and the model header. Every
/// field is optional and sent only when set, so the server's defaults
/// decide the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SyncRequest {
    /// The model, sent as the `X-AAI-Model` header, not in the config.
    /// Defaults to [`DEFAULT_SYNC_MODEL`](super::DEFAULT_SYNC_MODEL), since
    /// the API requires the header.
    #[serde(skip)]
    pub model: Option<String>,
    /// A description of the audio that guides the model; up to 6,000
    /// characters (Node SDK 4.41; the docs said 4,096). When set, the
    /// server ignores `language_codes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Words and phrases to recognise: up to 100 terms and 8,000
    /// characters together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,
    /// Earlier turns of the conversation, oldest first. The server trims
    /// what is over its caps (500 turns, 16,000 characters), oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_context: Option<Vec<String>>,
    /// The languages of the audio (ISO 639-1: `en`, `es`, ...); the server
    /// says which it takes. Defaults to English on the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_codes: Option<Vec<String>>,
    /// Samples per second of raw PCM (required for it; a WAV header has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Channels of raw PCM, 1 or 2 (stereo is down-mixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u16>,
    /// Whether words carry `start` and `end` (ms), at some latency.
    /// Defaults to `false` on the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamps: Option<bool>,
    /// Fields this crate does not know yet, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Sync STT reply: the clip's text and words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SyncTranscript {
    /// The whole text.
    pub text: String,
    /// Each word with its confidence, and times when asked for.
    pub words: Vec<SyncWord>,
    /// The mean confidence, 0 to 1.
    pub confidence: Option<f64>,
    /// The audio's duration in milliseconds.
    pub audio_duration_ms: Option<u64>,
    /// The server's id of the request, for support.
    pub session_id: Option<String>,
    /// The server's time for the request, in milliseconds.
    pub request_time_ms: Option<f64>,
    /// The language the server transcribed.
    pub language_code: Option<String>,
    /// The reply as sent, when the client keeps it (`keep_raw_json`).
    #[serde(skip)]
    raw_json: RawJson,
}

/// One word of a Sync transcript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SyncWord {
    /// The word.
    pub text: String,
    /// Confidence, 0 to 1.
    pub confidence: Option<f64>,
    /// Start in milliseconds, with `timestamps` (none for a word that could not be aligned).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    /// End in milliseconds, with `timestamps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
}

keeps_raw_json!(SyncTranscript);
