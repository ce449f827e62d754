//! Speech model names: an open set of strings with a few documented values.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A speech model name, e.g. `assemblyai-stt-3-7`.
///
/// Not an enumeration: the catalogue changes every few months, so any name is
/// accepted and the server decides. Nothing in this crate picks a model: a
/// request names one only when its caller does, otherwise the account's
/// default runs and the transcript says which in `speech_model_used`.
///
/// ```
/// use assemblyai::SpeechModel;
///
/// assert_eq!(SpeechModel::UNIVERSAL_2.as_str(), "universal-2");
/// assert_eq!(SpeechModel::from("some-future-model").to_string(), "some-future-model");
/// assert!(SpeechModel::from("universal-3-pro").retirement().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpeechModel(Cow<'static, str>);

impl SpeechModel {
    /// `assemblyai-stt-3-7`: the flagship of November 2026, 32 languages.
    pub const ASSEMBLYAI_STT_3_7: SpeechModel = SpeechModel(Cow::Borrowed("assemblyai-stt-3-7"));

    /// `universal-3-5-pro`: deprecated in November 2026, still served when named.
    pub const UNIVERSAL_3_5_PRO: SpeechModel = SpeechModel(Cow::Borrowed("universal-3-5-pro"));

    /// `universal-2`: 99 languages; list it after another model to cover the
    /// languages that one lacks.
    pub const UNIVERSAL_2: SpeechModel = SpeechModel(Cow::Borrowed("universal-2"));

    /// Model names documented in December 2026, for completions and help:
    /// suggestions only, never a default and never a limit.
    pub const KNOWN: &'static [&'static str] =
        &["assemblyai-stt-3-7", "universal-3-5-pro", "universal-2"];

    /// A model by name; any name is accepted.
    pub fn new(name: impl Into<String>) -> Self {
        SpeechModel(Cow::Owned(name.into()))
    }

    /// The model's name as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the API answers when this model is named, if it is one the API
    /// is known to refuse ([`RETIRED_SPEECH_MODELS`]).
    pub fn retirement(&self) -> Option<&'static RetiredModel> {
        RETIRED_SPEECH_MODELS
            .iter()
            .find(|retired| retired.name.eq_ignore_ascii_case(self.as_str().trim()))
    }
}

/// A speech model name the API refuses, with what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetiredModel {
    /// The name, as sent in `speech_models`.
    pub name: &'static str,
    /// The API's reason: its own error text where a report quotes it.
    pub reason: &'static str,
}

/// Model names the API refuses with 400, as observed from the service
/// (`../shared/api-2026.md` §1.1 and §1.3, with their sources and dates).
///
/// Data, not a rule: the list only ever grows, and when it is stale nothing
/// breaks, since the server's own 400 about `speech_models` is treated the
/// same way (a configuration error naming where the choice came from, never
/// retried). Checking it first only saves an upload.
pub const RETIRED_SPEECH_MODELS: &[RetiredModel] = &[
    // TW1042 (2026-07-31), official from 2026-09-02 (CL0902).
    RetiredModel {
        name: "universal-3-pro",
        reason: "The \"universal-3-pro\" speech model(s) have been deprecated.",
    },
    // VAI385 (2026-11-20): refused, the error listing the accepted models.
    RetiredModel {
        name: "best",
        reason: "\"best\" is no longer an accepted speech model (refused since November 2026)",
    },
    // VAI0702 (2026-07-02).
    RetiredModel {
        name: "nano",
        reason: "\"nano\" is no longer an accepted speech model (refused since July 2026)",
    },
    // VAI385 (2026-11-20).
    RetiredModel {
        name: "slam-1",
        reason: "\"slam-1\" is no longer an accepted speech model (refused since November 2026)",
    },
];

/// What the API answers to the singular `speech_model` field (SUPO #11,
/// refused again in November 2026 per VAI385; `../shared/api-2026.md` §1.3).
pub const SINGULAR_SPEECH_MODEL_REFUSAL: &str = "speech_model is deprecated. Use \"speech_models\" \
     instead. See documentation: https://www.assemblyai.com/docs/pre-recorded-audio/select-the-speech-model";

impl fmt::Display for SpeechModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for SpeechModel {
    fn from(name: &str) -> Self {
        SpeechModel::new(name)
    }
}

impl From<String> for SpeechModel {
    fn from(name: String) -> Self {
        SpeechModel::new(name)
    }
}

impl std::str::FromStr for SpeechModel {
    type Err = std::convert::Infallible;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(SpeechModel::new(name))
    }
}

impl AsRef<str> for SpeechModel {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for SpeechModel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SpeechModel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SpeechModel::from)
    }
}

impl super::lenient::Coerce for SpeechModel {
    fn from_str(name: &str) -> Option<Self> {
        Some(SpeechModel::new(name))
    }

    fn from_string(name: String) -> Option<Self> {
        Some(SpeechModel::new(name))
    }
}

impl super::lenient::Lenient for SpeechModel {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        super::lenient::fit(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_names_are_found_whatever_their_case_and_others_are_not() {
        let retired = SpeechModel::from(" Universal-3-Pro").retirement().unwrap();
        assert_eq!(retired.name, "universal-3-pro");
        assert!(retired.reason.contains("deprecated"));
        for name in SpeechModel::KNOWN {
            assert!(SpeechModel::from(*name).retirement().is_none(), "{name}");
        }
        assert!(
            SpeechModel::from("universal-3-5-pro-next")
                .retirement()
                .is_none()
        );
    }

    #[test]
    fn any_name_parses_and_equals_the_constant_when_documented() {
        let models: Vec<SpeechModel> = serde_json::from_str(r#"["universal-2", "nano"]"#).unwrap();
        assert_eq!(models, [SpeechModel::UNIVERSAL_2, SpeechModel::new("nano")]);
    }
}
