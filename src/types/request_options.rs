//! The objects inside a transcript request: options grouped by feature.

use serde::{Deserialize, Serialize};

use super::AudioRedactionMethod;
use super::lenient::lenient_struct;
use super::string_enum::string_enum;

string_enum! {
    /// A domain-specific correction (`domain`).
    pub enum Domain {
        /// Medical Mode: medical terms in English, Spanish, German and French.
        MedicalV1 = "medical-v1",
    }
}

string_enum! {
    /// How strongly key terms are matched (`keyterms_match_strength`).
    pub enum KeytermsMatchStrength {
        /// Prefer the key terms more strongly.
        High = "high",
        /// The usual strength.
        Standard = "standard",
    }
}

lenient_struct! {
@echo
/// Options for key terms (`keyterms_prompt_options`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeytermsPromptOptions {
    /// How strongly key terms are matched; the server's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_match_strength: Option<KeytermsMatchStrength>,
}
}

impl KeytermsPromptOptions {
    /// No options set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// Options for automatic language detection (`language_detection_options`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LanguageDetectionOptions {
    /// Languages to choose from. Defaults to `["all"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_languages: Option<Vec<String>>,

    /// Language to use when the detected one is not expected: one of
    /// `expected_languages`, or `auto` (the default) for the most likely of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_language: Option<String>,

    /// Detect switching between languages. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_switching: Option<bool>,

    /// Below this confidence, 0.0 to 1.0, code switching is not applied.
    /// Defaults to 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_switching_confidence_threshold: Option<f64>,

    /// A regional spelling for English, e.g. `en_au` or `en_uk`, used when
    /// the detected language is English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localization: Option<String>,
}
}

impl LanguageDetectionOptions {
    /// No options set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// A range of possible speakers, for diarization (`speaker_options`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeakerOptions {
    /// At least this many speakers. Defaults to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_speakers_expected: Option<i64>,

    /// At most this many speakers. Defaults by duration: no limit up to
    /// 2 minutes, 10 up to 10 minutes, 30 beyond. Too high hurts accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_speakers_expected: Option<i64>,
}
}

impl SpeakerOptions {
    /// Between `min` and `max` speakers.
    pub fn new(min: i64, max: i64) -> Self {
        SpeakerOptions {
            min_speakers_expected: Some(min),
            max_speakers_expected: Some(max),
        }
    }
}

lenient_struct! {
@echo
/// Options for the PII-redacted audio (`redact_pii_audio_options`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RedactPiiAudioOptions {
    /// Produce redacted audio even when the file has no speech.
    /// Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_redacted_no_speech_audio: Option<bool>,

    /// Replace PII with silence instead of the default beep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_audio_redaction_method: Option<AudioRedactionMethod>,
}
}

impl RedactPiiAudioOptions {
    /// No options set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// A spelling rule: write `to` wherever one of `from` was heard.
///
/// `from` is matched case-insensitively; `to` is written as given and,
/// per AssemblyAI's docs, should be a single word.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomSpelling {
    /// Words or phrases to replace.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub from: Vec<String>,

    /// The replacement.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub to: String,
}
}

impl CustomSpelling {
    /// Replace each of `from` by `to`.
    pub fn new<I, S>(from: I, to: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CustomSpelling {
            from: from.into_iter().map(Into::into).collect(),
            to: to.into(),
        }
    }
}
