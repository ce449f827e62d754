//! Speech model names: an open set of strings with a few documented values.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A speech model name, e.g. `universal-3-pro`.
///
/// Not an enumeration: the spec dropped its model enum in February 2026 and
/// the set of models changes faster than this crate, so any name is accepted
/// and the server decides. The constants are the models documented today.
///
/// ```
/// use assemblyai::SpeechModel;
///
/// assert_eq!(SpeechModel::UNIVERSAL_2.as_str(), "universal-2");
/// assert_eq!(SpeechModel::from("slam-1").to_string(), "slam-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpeechModel(Cow<'static, str>);

impl SpeechModel {
    /// `universal-3-pro`: highest accuracy, supports `prompt`, `temperature`
    /// and `remove_audio_tags`; English, Spanish, Portuguese, French, German, Italian.
    pub const UNIVERSAL_3_PRO: SpeechModel = SpeechModel(Cow::Borrowed("universal-3-pro"));

    /// `universal-2`: 99 languages, fastest.
    pub const UNIVERSAL_2: SpeechModel = SpeechModel(Cow::Borrowed("universal-2"));

    /// The documented model names, for help texts.
    pub const KNOWN: &'static [&'static str] = &["universal-3-pro", "universal-2"];

    /// A model by name; any name is accepted.
    pub fn new(name: impl Into<String>) -> Self {
        SpeechModel(Cow::Owned(name.into()))
    }

    /// The model's name as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The recommended priority list, `[universal-3-pro, universal-2]`:
    /// Universal-3 Pro where it supports the language, Universal-2 otherwise.
    /// [`TranscriptRequest::new`](crate::TranscriptRequest::new) starts with it.
    pub fn default_list() -> Vec<SpeechModel> {
        vec![SpeechModel::UNIVERSAL_3_PRO, SpeechModel::UNIVERSAL_2]
    }
}

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
    fn default_list_is_universal_3_pro_then_universal_2() {
        let json = serde_json::to_string(&SpeechModel::default_list()).unwrap();
        assert_eq!(json, r#"["universal-3-pro","universal-2"]"#);
    }

    #[test]
    fn any_name_parses_and_equals_the_constant_when_documented() {
        let models: Vec<SpeechModel> = serde_json::from_str(r#"["universal-2", "nano"]"#).unwrap();
        assert_eq!(models, [SpeechModel::UNIVERSAL_2, SpeechModel::new("nano")]);
    }
}
