//! What a Dictation request sends (the `config` part) and what it answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::types::raw::{RawJson, keeps_raw_json};

use crate::types::string_enum::string_enum;

/// The `config` part of a Dictation request. Every field is optional and
/// sent only when set. The API accepts exactly these fields (an unknown
/// one is a 400), under these names; it also takes the aliases `prompt`
/// for `stt_prompt` and `keyterms` or `word_boost` for `keyterms_prompt`,
/// but never two names of one field, so this type sends the canonical ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DictationRequest {
    /// Samples per second of raw PCM (required for it; ignored for WAV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Channels of raw PCM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u16>,
    /// The languages of the audio; `["en"]` on the server when unset. A
    /// code it does not take is a 400 that lists the ones it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_codes: Option<Vec<String>>,
    /// A description of the audio for the speech model, up to 6,000
    /// characters (alias `prompt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stt_prompt: Option<String>,
    /// Words and phrases to recognise: up to 100 terms and 8,000
    /// characters together (aliases `keyterms`, `word_boost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,
    /// What the LLM should make of the text, up to 2,048 characters; it
    /// replaces the default clean-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm_instruction: Option<String>,
    /// Which model tier runs the rewrite; the server's default (`fast`)
    /// when unset. Newer than the docs we hold: the Python SDK 1.8.2 sends
    /// it (`assemblyai/dictation/v1/models.py`, `DictationConfig.rewrite_mode`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite_mode: Option<RewriteMode>,
    /// Fields this crate does not know yet, sent as given (the API refuses
    /// fields it does not know, so only for ones it added).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// Which model tier runs a dictation's LLM rewrite.
    pub enum RewriteMode {
        /// Quicker; the server's default.
        Fast = "fast",
        /// Follows detailed formatting instructions more reliably, slower.
        Smart = "smart",
    }
}

string_enum! {
    /// Why the LLM clean-up of a dictation failed (the text is still there).
    pub enum LlmError {
        /// The rewrite missed its 5 s deadline.
        Timeout = "timeout",
        /// The rewrite failed.
        Error = "error",
    }
}

/// A Dictation reply: the verbatim text and the LLM's clean-up of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Dictation {
    /// The verbatim transcript.
    pub text: String,
    /// Its words (without times: the API gives none).
    pub words: Vec<DictationWord>,
    /// The mean confidence, 0 to 1.
    pub confidence: Option<f64>,
    /// The cleaned-up text; `None` when the clean-up failed ([`llm_error`](Self::llm_error)).
    pub llm_response: Option<String>,
    /// Why the clean-up failed, when it did.
    pub llm_error: Option<LlmError>,
    /// The audio's duration in milliseconds.
    pub audio_duration_ms: Option<u64>,
    /// The server's id of the request, for support.
    pub session_id: Option<String>,
    /// The server's time for the whole request, in milliseconds.
    pub request_time_ms: Option<f64>,
    /// The server's time for the transcription, in milliseconds.
    pub sync_time_ms: Option<f64>,
    /// The server's time for authentication, in milliseconds.
    pub auth_time_ms: Option<f64>,
    /// Whether the live route refused the recording as too long and it was
    /// sent again, whole, to `/v1/transcribe` (not part of the reply).
    #[serde(skip)]
    pub resent_whole: bool,
    /// The reply as sent, when the client keeps it (`keep_raw_json`).
    #[serde(skip)]
    raw_json: RawJson,
}

impl Dictation {
    /// The text to show: the clean-up, or the verbatim text when there is
    /// none (the SDKs' `final_text`).
    pub fn final_text(&self) -> &str {
        self.llm_response.as_deref().unwrap_or(&self.text)
    }
}

/// One word of a dictation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DictationWord {
    /// The word.
    pub text: String,
    /// Confidence, 0 to 1.
    pub confidence: Option<f64>,
}

keeps_raw_json!(Dictation);
