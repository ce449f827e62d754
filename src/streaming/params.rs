//! The connection parameters of a session and the `UpdateConfiguration`
//! message: every setting of the v3 spec, typed, plus an `extra` map.

use std::collections::BTreeMap;

use serde_json::Value;

use super::names::{StreamingMode, StreamingModel, VoiceFocus};
use crate::request::encode_query;
use crate::{Error, Result, Secret};

/// How the audio is encoded (`encoding`): an open set, so a value the
/// service adds later can be sent ([`AudioEncoding::Other`]).
///
/// The session chunks and paces raw samples (`pcm_s16le`, `pcm_mulaw`); any
/// other encoding (`opus`, `ogg_opus`, `aac`, or one unknown here) has no
/// fixed sample size, so its audio goes as given: one message per piece,
/// sent at once, paced by its source.
///
/// ```
/// use assemblyai::streaming::AudioEncoding;
///
/// assert_eq!("ogg_opus".parse::<AudioEncoding>().unwrap(), AudioEncoding::OggOpus);
/// assert_eq!("pcm_f32".parse::<AudioEncoding>().unwrap().as_str(), "pcm_f32");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AudioEncoding {
    /// `pcm_s16le`: signed 16-bit little-endian PCM, two bytes per sample.
    #[default]
    PcmS16le,
    /// `pcm_mulaw`: 8-bit G.711 µ-law, one byte per sample (telephony).
    PcmMulaw,
    /// `opus`: one raw Opus packet per message.
    Opus,
    /// `ogg_opus`: an Ogg Opus stream in arbitrary pieces.
    OggOpus,
    /// `aac`: AAC in ADTS frames.
    Aac,
    /// A value this version doesn't know, sent as is.
    Other(String),
}

impl AudioEncoding {
    /// The values documented when this version was made.
    pub const KNOWN: &'static [&'static str] =
        &["pcm_s16le", "pcm_mulaw", "opus", "ogg_opus", "aac"];

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            AudioEncoding::PcmS16le => "pcm_s16le",
            AudioEncoding::PcmMulaw => "pcm_mulaw",
            AudioEncoding::Opus => "opus",
            AudioEncoding::OggOpus => "ogg_opus",
            AudioEncoding::Aac => "aac",
            AudioEncoding::Other(name) => name,
        }
    }

    /// Bytes per sample of one channel, for raw sample encodings; `None`
    /// for compressed or unknown ones.
    pub fn bytes_per_sample(&self) -> Option<u32> {
        match self {
            AudioEncoding::PcmS16le => Some(2),
            AudioEncoding::PcmMulaw => Some(1),
            _ => None,
        }
    }

    /// The byte value of silence, used to pad the last chunk.
    pub(crate) fn silence(&self) -> u8 {
        match self {
            // µ-law encodes zero as 0xFF.
            AudioEncoding::PcmMulaw => 0xFF,
            _ => 0,
        }
    }
}

impl std::fmt::Display for AudioEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AudioEncoding {
    type Err = std::convert::Infallible;

    /// Any value parses: the known ones to their variant, others to `Other`.
    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        Ok(match text {
            "pcm_s16le" => AudioEncoding::PcmS16le,
            "pcm_mulaw" => AudioEncoding::PcmMulaw,
            "opus" => AudioEncoding::Opus,
            "ogg_opus" => AudioEncoding::OggOpus,
            "aac" => AudioEncoding::Aac,
            other => AudioEncoding::Other(other.to_owned()),
        })
    }
}

/// The settings of a streaming session, sent as query parameters of the
/// WebSocket upgrade.
///
/// `sample_rate` and `encoding` are always sent (they describe the audio);
/// every other field only when set, so the server's defaults decide the
/// rest, the model included. `extra` adds parameters this crate doesn't know
/// (strings as they are, anything else as JSON).
///
/// ```
/// use assemblyai::streaming::{StreamingMode, StreamingParams};
///
/// let mut params = StreamingParams::new(16_000);
/// params.mode = Some(StreamingMode::MIN_LATENCY);
/// params.keyterms_prompt = Some(vec!["AssemblyAI".into()]);
/// params.validate()?;
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct StreamingParams {
    /// The model. Defaults to none: the server's default model, which
    /// [`Begin::model`](super::Begin::model) names.
    pub speech_model: Option<StreamingModel>,
    /// Samples per second of the audio; it must match what is sent.
    pub sample_rate: u32,
    /// The encoding of the samples. Defaults to `pcm_s16le`.
    pub encoding: AudioEncoding,
    /// A turn-detection preset; explicit silences override it.
    pub mode: Option<StreamingMode>,
    /// Punctuation, casing and inverse text normalization on final turns.
    pub format_turns: Option<bool>,
    /// How confident the model must be that a turn ended (0.0–1.0).
    pub end_of_turn_confidence_threshold: Option<f64>,
    /// Silence (ms) that ends a turn when the model is confident.
    pub min_turn_silence: Option<u32>,
    /// Silence (ms) after which a turn ends regardless.
    pub max_turn_silence: Option<u32>,
    /// Frames with voice-activity confidence below this are silence (0.0–1.0).
    pub vad_threshold: Option<f64>,
    /// Seconds without audio or messages after which the server closes the
    /// session (5–3600); the session sends `KeepAlive` during gaps when set.
    pub inactivity_timeout: Option<u32>,
    /// Words and phrases to recognize better: at most 100, each up to 50
    /// characters. Sent as one JSON-array parameter.
    pub keyterms_prompt: Option<Vec<String>>,
    /// Context about the audio (not instructions); combinable with
    /// `keyterms_prompt` on the 2026 models.
    pub prompt: Option<String>,
    /// What the voice agent said last, as context for the next turn.
    pub agent_context: Option<String>,
    /// How many earlier turns are carried over as context (the server's
    /// default is 5; 0 turns carryover off).
    pub previous_context_n_turns: Option<u32>,
    /// Languages to bias towards (not a lock). Sent as one JSON array.
    pub language_codes: Option<Vec<String>>,
    /// Adds `language_code` and `language_confidence` to turns.
    pub language_detection: Option<bool>,
    /// Deprecated by the spec in favour of `speech_model`: `en` or `multi`.
    pub language: Option<String>,
    /// Steady partials about every second (the server's default is on).
    pub continuous_partials: Option<bool>,
    /// Whether partial turns are sent at all.
    pub include_partial_turns: Option<bool>,
    /// Delay (ms) before the first early partial of a turn.
    pub interruption_delay: Option<u32>,
    /// Which voice to focus on.
    pub voice_focus: Option<VoiceFocus>,
    /// How strictly `voice_focus` filters other voices (0.0–1.0).
    pub voice_focus_threshold: Option<f64>,
    /// Labels each turn with its speaker (`A`, `B`, ..., `PENDING` for turns
    /// too short to tell).
    pub speaker_labels: Option<bool>,
    /// The most speakers to tell apart with `speaker_labels`: a hard cap.
    pub max_speakers: Option<u32>,
    /// How often (ms) earlier turns' speakers may be revised mid-session
    /// (`SpeakerRevision` messages); the server raises a low value.
    pub speaker_labels_revision_interval_ms: Option<u32>,
    /// A domain model, e.g. `medical-v1`.
    pub domain: Option<String>,
    /// Redacts personal information from final turns.
    pub redact_pii: Option<bool>,
    /// Which kinds of personal information to redact; sent comma-separated.
    pub redact_pii_policies: Option<Vec<String>>,
    /// How redacted text is shown (`hash`, `entity_name`).
    pub redact_pii_sub: Option<String>,
    /// Masks profanity (removed from the spec's reference; still accepted by
    /// the SDKs).
    pub filter_profanity: Option<bool>,
    /// A `Heartbeat` message every 5 s of wall clock.
    pub session_heartbeat: Option<bool>,
    /// An LLM Gateway request run on each final turn (`LLMGatewayResponse`).
    pub llm_gateway: Option<Value>,
    /// Where the server POSTs the whole transcript when the session ends.
    pub webhook_url: Option<String>,
    /// The header name the webhook request carries.
    pub webhook_auth_header_name: Option<String>,
    /// The value of that header.
    pub webhook_auth_header_value: Option<Secret>,
    /// Parameters this crate doesn't know: a string is sent as is, any other
    /// value as JSON (`true`, `5`, `["a"]`, `{"model": ...}`).
    pub extra: BTreeMap<String, Value>,
}

impl StreamingParams {
    /// Parameters for audio at `sample_rate` Hz, PCM16, every other setting
    /// left to the server.
    pub fn new(sample_rate: u32) -> Self {
        StreamingParams {
            sample_rate,
            ..StreamingParams::default()
        }
    }

    /// Checks what is certain (the audio's rate, the spec's ranges), so a
    /// bad value is reported before a session is opened (and billed) rather
    /// than by a close with code 3006. Model-specific rules are the server's.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the parameter and its accepted values.
    pub fn validate(&self) -> Result<()> {
        let bad = |message: String| Err(Error::invalid_input(message));
        if !(1_000..=384_000).contains(&self.sample_rate) {
            return bad(format!(
                "sample_rate {} is not a sample rate: give the audio's rate in Hz, e.g. 16000",
                self.sample_rate
            ));
        }
        check_unit(
            "end_of_turn_confidence_threshold",
            self.end_of_turn_confidence_threshold,
        )?;
        check_unit("vad_threshold", self.vad_threshold)?;
        check_unit("voice_focus_threshold", self.voice_focus_threshold)?;
        if let Some(seconds) = self.inactivity_timeout {
            if !(5..=3600).contains(&seconds) {
                return bad(format!(
                    "inactivity_timeout {seconds} is out of range: 5 to 3600 seconds"
                ));
            }
        }
        if let Some(speakers) = self.max_speakers {
            if !(1..=10).contains(&speakers) {
                return bad(format!("max_speakers {speakers} is out of range: 1 to 10"));
            }
        }
        if let Some(terms) = &self.keyterms_prompt {
            check_keyterms(terms)?;
        }
        if let Some(key) = self.extra.keys().find(|key| key.as_str() == "token") {
            return bad(format!(
                "extra parameter \"{key}\" is set by the client: use StreamingClient::with_token"
            ));
        }
        Ok(())
    }

    /// The query string, `sample_rate=...&encoding=...&...`, without `?`.
    pub(crate) fn query(&self) -> String {
        let json_list = |items: &Option<Vec<String>>| {
            items
                .as_ref()
                .map(|items| Value::from(items.clone()).to_string())
        };
        fn show<T: ToString>(value: &Option<T>) -> Option<String> {
            value.as_ref().map(T::to_string)
        }
        // One parameter holding a JSON array for lists: a repeated parameter
        // is refused by the server with 3006 (streaming-notes §3); PII
        // policies alone go comma-separated (api-2026.md §7.2).
        let pairs: [(&str, Option<String>); 32] = [
            ("speech_model", show(&self.speech_model)),
            ("sample_rate", Some(self.sample_rate.to_string())),
            ("encoding", Some(self.encoding.to_string())),
            ("mode", show(&self.mode)),
            ("format_turns", show(&self.format_turns)),
            (
                "end_of_turn_confidence_threshold",
                show(&self.end_of_turn_confidence_threshold),
            ),
            ("min_turn_silence", show(&self.min_turn_silence)),
            ("max_turn_silence", show(&self.max_turn_silence)),
            ("vad_threshold", show(&self.vad_threshold)),
            ("inactivity_timeout", show(&self.inactivity_timeout)),
            ("keyterms_prompt", json_list(&self.keyterms_prompt)),
            ("prompt", self.prompt.clone()),
            ("agent_context", self.agent_context.clone()),
            (
                "previous_context_n_turns",
                show(&self.previous_context_n_turns),
            ),
            ("language_codes", json_list(&self.language_codes)),
            ("language_detection", show(&self.language_detection)),
            ("language", self.language.clone()),
            ("continuous_partials", show(&self.continuous_partials)),
            ("include_partial_turns", show(&self.include_partial_turns)),
            ("interruption_delay", show(&self.interruption_delay)),
            ("voice_focus", show(&self.voice_focus)),
            ("voice_focus_threshold", show(&self.voice_focus_threshold)),
            ("speaker_labels", show(&self.speaker_labels)),
            ("max_speakers", show(&self.max_speakers)),
            (
                "speaker_labels_revision_interval_ms",
                show(&self.speaker_labels_revision_interval_ms),
            ),
            ("domain", self.domain.clone()),
            ("redact_pii", show(&self.redact_pii)),
            (
                "redact_pii_policies",
                self.redact_pii_policies.as_ref().map(|p| p.join(",")),
            ),
            ("redact_pii_sub", self.redact_pii_sub.clone()),
            ("filter_profanity", show(&self.filter_profanity)),
            ("session_heartbeat", show(&self.session_heartbeat)),
            (
                "llm_gateway",
                self.llm_gateway.as_ref().map(Value::to_string),
            ),
        ];
        let webhook = [
            ("webhook_url", self.webhook_url.clone()),
            (
                "webhook_auth_header_name",
                self.webhook_auth_header_name.clone(),
            ),
            (
                "webhook_auth_header_value",
                self.webhook_auth_header_value
                    .as_ref()
                    .map(|secret| secret.expose().to_owned()),
            ),
        ];
        let mut query: Vec<String> = pairs
            .into_iter()
            .chain(webhook)
            .filter(|(name, _)| !self.extra.contains_key(*name))
            .filter_map(|(name, value)| Some(format!("{name}={}", encode_query(&value?))))
            .collect();
        for (name, value) in &self.extra {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            query.push(format!("{}={}", encode_query(name), encode_query(&text)));
        }
        query.join("&")
    }
}

pub(super) fn check_unit(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(Error::invalid_input(format!(
            "{name} {v} is out of range: 0.0 to 1.0"
        ))),
        _ => Ok(()),
    }
}

pub(super) fn check_keyterms(terms: &[String]) -> Result<()> {
    if terms.len() > 100 {
        return Err(Error::invalid_input(format!(
            "keyterms_prompt has {} terms; the most is 100",
            terms.len()
        )));
    }
    // The server silently ignores a longer term: better to say so.
    if let Some(long) = terms.iter().find(|term| term.chars().count() > 50) {
        return Err(Error::invalid_input(format!(
            "keyterms_prompt term \"{long}\" is over 50 characters, which the server ignores"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyterms_go_as_one_json_array_and_booleans_lowercase() {
        let mut params = StreamingParams::new(8000);
        params.encoding = AudioEncoding::PcmMulaw;
        params.format_turns = Some(true);
        params.keyterms_prompt = Some(vec!["Assembly AI".into(), "µ".into()]);
        params.end_of_turn_confidence_threshold = Some(0.0);
        let query = params.query();
        assert_eq!(
            query,
            "sample_rate=8000&encoding=pcm_mulaw\
             &format_turns=true&end_of_turn_confidence_threshold=0\
             &keyterms_prompt=%5B%22Assembly%20AI%22%2C%22%C2%B5%22%5D"
        );
    }

    #[test]
    fn extra_parameters_override_and_encode_as_json() {
        let mut params = StreamingParams::new(16000);
        params
            .extra
            .insert("sample_rate".into(), Value::from(48000));
        params
            .extra
            .insert("mode".into(), Value::from("min_latency"));
        params.extra.insert("voice_focus".into(), Value::from(true));
        let query = params.query();
        assert!(!query.contains("sample_rate=16000"), "{query}");
        assert!(query.contains("sample_rate=48000"), "{query}");
        assert!(query.contains("mode=min_latency&"), "{query}");
        assert!(query.ends_with("voice_focus=true"), "{query}");
    }

    #[test]
    fn out_of_range_values_are_refused_before_connecting() {
        let mut params = StreamingParams::new(16000);
        assert!(params.validate().is_ok());
        params.max_speakers = Some(11);
        assert!(
            params
                .validate()
                .unwrap_err()
                .to_string()
                .contains("max_speakers")
        );
        params.max_speakers = None;
        params.keyterms_prompt = Some(vec!["x".repeat(51)]);
        assert!(params.validate().is_err());
        params.keyterms_prompt = Some(vec!["x".into(); 101]);
        assert!(params.validate().is_err());
        assert!(StreamingParams::new(0).validate().is_err());
    }
}
