//! The connection parameters of a session and the `UpdateConfiguration`
//! message: every setting of the v3 spec, typed, plus an `extra` map.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::request::encode_query;
use crate::{Error, Result, Secret};

/// A streaming speech model, e.g. `universal-streaming-english`.
///
/// An open set, like [`SpeechModel`](crate::SpeechModel): the constants are
/// the models the spec documents, and any other name is sent as is.
///
/// ```
/// use assemblyai::streaming::StreamingModel;
///
/// assert_eq!(StreamingModel::U3_RT_PRO.as_str(), "u3-rt-pro");
/// assert_eq!(StreamingModel::from("whisper-rt"), StreamingModel::WHISPER_RT);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StreamingModel(Cow<'static, str>);

impl StreamingModel {
    /// `universal-streaming-english`: the fastest English model.
    pub const UNIVERSAL_STREAMING_ENGLISH: StreamingModel =
        StreamingModel(Cow::Borrowed("universal-streaming-english"));
    /// `universal-streaming-multilingual`: English, Spanish, German, French,
    /// Portuguese and Italian.
    pub const UNIVERSAL_STREAMING_MULTILINGUAL: StreamingModel =
        StreamingModel(Cow::Borrowed("universal-streaming-multilingual"));
    /// `whisper-rt`: Whisper, 99+ languages.
    pub const WHISPER_RT: StreamingModel = StreamingModel(Cow::Borrowed("whisper-rt"));
    /// `u3-rt-pro`: Universal-3 Pro, the most accurate; supports `prompt`.
    pub const U3_RT_PRO: StreamingModel = StreamingModel(Cow::Borrowed("u3-rt-pro"));

    /// The documented names, for help texts.
    pub const KNOWN: &'static [&'static str] = &[
        "universal-streaming-english",
        "universal-streaming-multilingual",
        "whisper-rt",
        "u3-rt-pro",
    ];

    /// A model by name; any name is accepted.
    pub fn new(name: impl Into<String>) -> Self {
        StreamingModel(Cow::Owned(name.into()))
    }

    /// The name as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for StreamingModel {
    /// `universal-streaming-english`, the docs' default (sent explicitly:
    /// the spec marks the parameter required).
    fn default() -> Self {
        StreamingModel::UNIVERSAL_STREAMING_ENGLISH
    }
}

impl From<&str> for StreamingModel {
    fn from(name: &str) -> Self {
        StreamingModel::KNOWN
            .iter()
            .find(|known| **known == name)
            .map(|known| StreamingModel(Cow::Borrowed(known)))
            .unwrap_or_else(|| StreamingModel::new(name))
    }
}

impl fmt::Display for StreamingModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the audio samples are encoded. The session only sends raw mono
/// samples, so only the two raw encodings of the spec exist here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AudioEncoding {
    /// `pcm_s16le`: signed 16-bit little-endian PCM, two bytes per sample.
    #[default]
    PcmS16le,
    /// `pcm_mulaw`: 8-bit G.711 µ-law, one byte per sample (telephony).
    PcmMulaw,
}

impl AudioEncoding {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            AudioEncoding::PcmS16le => "pcm_s16le",
            AudioEncoding::PcmMulaw => "pcm_mulaw",
        }
    }

    /// Bytes per sample of one channel.
    pub fn bytes_per_sample(self) -> u32 {
        match self {
            AudioEncoding::PcmS16le => 2,
            AudioEncoding::PcmMulaw => 1,
        }
    }

    /// The byte value of silence, used to pad the last chunk.
    pub(crate) fn silence(self) -> u8 {
        match self {
            AudioEncoding::PcmS16le => 0,
            // µ-law encodes zero as 0xFF.
            AudioEncoding::PcmMulaw => 0xFF,
        }
    }
}

impl std::str::FromStr for AudioEncoding {
    type Err = crate::ParseValueError;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text {
            "pcm_s16le" => Ok(AudioEncoding::PcmS16le),
            "pcm_mulaw" => Ok(AudioEncoding::PcmMulaw),
            _ => Err(crate::ParseValueError::new(
                text,
                &["pcm_s16le", "pcm_mulaw"],
            )),
        }
    }
}

/// The settings of a streaming session, sent as query parameters of the
/// WebSocket upgrade.
///
/// `speech_model`, `sample_rate` and `encoding` are always sent; every other
/// field is sent only when set. `extra` adds parameters this crate doesn't
/// know (strings as they are, anything else as JSON).
///
/// ```
/// use assemblyai::streaming::StreamingParams;
///
/// let mut params = StreamingParams::new(16_000);
/// params.format_turns = Some(true);
/// params.keyterms_prompt = Some(vec!["AssemblyAI".into()]);
/// params.validate()?;
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct StreamingParams {
    /// The model. Defaults to `universal-streaming-english`.
    pub speech_model: StreamingModel,
    /// Samples per second of the audio; it must match what is sent.
    pub sample_rate: u32,
    /// The encoding of the samples. Defaults to `pcm_s16le`.
    pub encoding: AudioEncoding,
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
    /// Free-text instructions (`u3-rt-pro` only, beta).
    pub prompt: Option<String>,
    /// Adds `language_code` and `language_confidence` to turns.
    pub language_detection: Option<bool>,
    /// Deprecated by the spec in favour of `speech_model`: `en` or `multi`.
    pub language: Option<String>,
    /// Labels each turn with its speaker (`A`, `B`, ...).
    pub speaker_labels: Option<bool>,
    /// The most speakers to expect with `speaker_labels` (1–10).
    pub max_speakers: Option<u32>,
    /// Masks profanity (removed from the spec's reference; still accepted by
    /// the SDKs).
    pub filter_profanity: Option<bool>,
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
    /// Parameters for audio at `sample_rate` Hz, PCM16, the default model.
    pub fn new(sample_rate: u32) -> Self {
        StreamingParams {
            sample_rate,
            ..StreamingParams::default()
        }
    }

    /// Checks the spec's ranges, so a bad value is reported before a session
    /// is opened (and billed) rather than by a close with code 3006.
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

    /// The query string, `speech_model=...&sample_rate=...&...`, without `?`.
    pub(crate) fn query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("speech_model", self.speech_model.as_str().to_owned()),
            ("sample_rate", self.sample_rate.to_string()),
            ("encoding", self.encoding.as_str().to_owned()),
        ];
        let mut add = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        };
        add("format_turns", self.format_turns.map(|b| b.to_string()));
        add(
            "end_of_turn_confidence_threshold",
            self.end_of_turn_confidence_threshold.map(|v| v.to_string()),
        );
        add(
            "min_turn_silence",
            self.min_turn_silence.map(|v| v.to_string()),
        );
        add(
            "max_turn_silence",
            self.max_turn_silence.map(|v| v.to_string()),
        );
        add("vad_threshold", self.vad_threshold.map(|v| v.to_string()));
        add(
            "inactivity_timeout",
            self.inactivity_timeout.map(|v| v.to_string()),
        );
        // One parameter holding a JSON array: a repeated parameter is refused
        // by the server with 3006 (streaming-notes §3).
        add(
            "keyterms_prompt",
            self.keyterms_prompt
                .as_ref()
                .map(|terms| Value::from(terms.clone()).to_string()),
        );
        add("prompt", self.prompt.clone());
        add(
            "language_detection",
            self.language_detection.map(|b| b.to_string()),
        );
        add("language", self.language.clone());
        add("speaker_labels", self.speaker_labels.map(|b| b.to_string()));
        add("max_speakers", self.max_speakers.map(|v| v.to_string()));
        add(
            "filter_profanity",
            self.filter_profanity.map(|b| b.to_string()),
        );
        add("webhook_url", self.webhook_url.clone());
        add(
            "webhook_auth_header_name",
            self.webhook_auth_header_name.clone(),
        );
        add(
            "webhook_auth_header_value",
            self.webhook_auth_header_value
                .as_ref()
                .map(|secret| secret.expose().to_owned()),
        );
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(name, _)| !self.extra.contains_key(*name))
            .map(|(name, value)| format!("{name}={}", encode_query(value)))
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

fn check_unit(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(Error::invalid_input(format!(
            "{name} {v} is out of range: 0.0 to 1.0"
        ))),
        _ => Ok(()),
    }
}

fn check_keyterms(terms: &[String]) -> Result<()> {
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

/// An `UpdateConfiguration` message: the settings to change mid-session.
/// Only the fields set are sent; a new `keyterms_prompt` replaces the old
/// list and an empty one clears it.
///
/// ```
/// use assemblyai::streaming::UpdateConfiguration;
///
/// let mut update = UpdateConfiguration::default();
/// update.max_turn_silence = Some(5000);
/// assert_eq!(
///     update.to_json(),
///     r#"{"type":"UpdateConfiguration","max_turn_silence":5000}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UpdateConfiguration {
    /// See [`StreamingParams::end_of_turn_confidence_threshold`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_of_turn_confidence_threshold: Option<f64>,
    /// See [`StreamingParams::min_turn_silence`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_turn_silence: Option<u32>,
    /// See [`StreamingParams::max_turn_silence`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_turn_silence: Option<u32>,
    /// See [`StreamingParams::vad_threshold`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_threshold: Option<f64>,
    /// See [`StreamingParams::keyterms_prompt`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,
    /// See [`StreamingParams::prompt`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// See [`StreamingParams::format_turns`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_turns: Option<bool>,
    /// Settings this crate doesn't know, sent as they are.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl UpdateConfiguration {
    /// The message as sent.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Tagged<'a> {
            r#type: &'static str,
            #[serde(flatten)]
            update: &'a UpdateConfiguration,
        }
        serde_json::to_string(&Tagged {
            r#type: "UpdateConfiguration",
            update: self,
        })
        .unwrap_or_default()
    }

    /// Checks the ranges, as [`StreamingParams::validate`] does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<()> {
        check_unit(
            "end_of_turn_confidence_threshold",
            self.end_of_turn_confidence_threshold,
        )?;
        check_unit("vad_threshold", self.vad_threshold)?;
        match &self.keyterms_prompt {
            Some(terms) => check_keyterms(terms),
            None => Ok(()),
        }
    }
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
            "speech_model=universal-streaming-english&sample_rate=8000&encoding=pcm_mulaw\
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

    #[test]
    fn update_configuration_sends_only_what_changes() {
        let update = UpdateConfiguration {
            keyterms_prompt: Some(vec![]),
            min_turn_silence: Some(200),
            ..UpdateConfiguration::default()
        };
        assert_eq!(
            update.to_json(),
            r#"{"type":"UpdateConfiguration","min_turn_silence":200,"keyterms_prompt":[]}"#
        );
    }
}
