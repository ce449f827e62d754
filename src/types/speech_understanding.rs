//! Speech understanding tasks: translation, speaker identification and custom
//! formatting, as requested (`speech_understanding.request`) and as reported
//! on the transcript (`speech_understanding.response`).
//!
//! On the wire each task is an object with one key naming it, e.g.
//! `{"translation": {...}}`. The enums here are written by hand rather than
//! derived so that a task kind this crate does not know is kept as raw JSON
//! (`Other`) instead of failing the whole transcript.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::SpeakerType;
use super::lenient::{Lenient, lenient_struct, null_as_default};

/// The `speech_understanding` parameter of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeechUnderstandingRequest {
    /// The task to run.
    pub request: SpeechUnderstandingTask,
}

impl SpeechUnderstandingRequest {
    /// A request to run `task`.
    pub fn new(task: impl Into<SpeechUnderstandingTask>) -> Self {
        SpeechUnderstandingRequest {
            request: task.into(),
        }
    }
}

lenient_struct! {
/// `speech_understanding` as the transcript reports it: the task asked for
/// and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SpeechUnderstanding {
    /// The task that was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<SpeechUnderstandingTask>,

    /// What the task produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<SpeechUnderstandingResult>,
}
}

/// One speech understanding task.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SpeechUnderstandingTask {
    /// Translate the transcript (`{"translation": {...}}`).
    Translation(TranslationRequest),
    /// Name or label the speakers (`{"speaker_identification": {...}}`).
    SpeakerIdentification(SpeakerIdentificationRequest),
    /// Reformat dates, phone numbers and emails (`{"custom_formatting": {...}}`).
    CustomFormatting(CustomFormattingRequest),
    /// A task this crate does not know, as raw JSON; sent as is.
    Other(Value),
}

impl From<TranslationRequest> for SpeechUnderstandingTask {
    fn from(task: TranslationRequest) -> Self {
        SpeechUnderstandingTask::Translation(task)
    }
}

impl From<SpeakerIdentificationRequest> for SpeechUnderstandingTask {
    fn from(task: SpeakerIdentificationRequest) -> Self {
        SpeechUnderstandingTask::SpeakerIdentification(task)
    }
}

impl From<CustomFormattingRequest> for SpeechUnderstandingTask {
    fn from(task: CustomFormattingRequest) -> Self {
        SpeechUnderstandingTask::CustomFormatting(task)
    }
}

/// Serializes `{key: value}` as a one-entry map.
fn tagged<S: Serializer, T: Serialize>(s: S, key: &str, value: &T) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// Parses `value[key]` as `T` when that key is present and parses.
fn untag<T: for<'de> Deserialize<'de>>(value: &Value, key: &str) -> Option<T> {
    T::deserialize(value.get(key)?).ok()
}

/// Parses `value[key]` leniently, as a response field, when that key is present.
fn untag_lenient<T: Lenient>(value: &Value, key: &str) -> Option<T> {
    T::lenient(value.get(key)?).ok().flatten()
}

/// The one-key objects of both enums are small: buffered as JSON, then told
/// apart by their key; a kind this crate does not know is kept as `Other`.
macro_rules! lenient_task {
    ($name:ident, $($variant:ident = $key:literal),+) => {
        impl Lenient for $name {
            fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                let Some(value) = Value::lenient(d)? else {
                    return Ok(None);
                };
                $(
                    if let Some(task) = untag_lenient(&value, $key) {
                        return Ok(Some(Self::$variant(task)));
                    }
                )+
                Ok(Some(Self::Other(value)))
            }
        }
    };
}

lenient_task!(
    SpeechUnderstandingTask,
    Translation = "translation",
    SpeakerIdentification = "speaker_identification",
    CustomFormatting = "custom_formatting"
);

lenient_task!(
    SpeechUnderstandingResult,
    Translation = "translation",
    SpeakerIdentification = "speaker_identification",
    CustomFormatting = "custom_formatting"
);

impl Serialize for SpeechUnderstandingTask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Translation(task) => tagged(s, "translation", task),
            Self::SpeakerIdentification(task) => tagged(s, "speaker_identification", task),
            Self::CustomFormatting(task) => tagged(s, "custom_formatting", task),
            Self::Other(value) => value.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for SpeechUnderstandingTask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(if let Some(task) = untag(&value, "translation") {
            Self::Translation(task)
        } else if let Some(task) = untag(&value, "speaker_identification") {
            Self::SpeakerIdentification(task)
        } else if let Some(task) = untag(&value, "custom_formatting") {
            Self::CustomFormatting(task)
        } else {
            Self::Other(value)
        })
    }
}

lenient_struct! {
@echo
/// Translation of the transcript into other languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TranslationRequest {
    /// Language codes to translate into, e.g. `["es", "de"]`. At least one.
    #[serde(default, deserialize_with = "null_as_default")]
    pub target_languages: Vec<String>,

    /// Use a formal style. Defaults to `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal: Option<bool>,

    /// With speaker labels, also translate each utterance (its
    /// `translated_texts`). Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_original_utterance: Option<bool>,
}
}

impl TranslationRequest {
    /// Translate into `target_languages`, e.g. `["es", "de"]`.
    pub fn new<I, S>(target_languages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        TranslationRequest {
            target_languages: target_languages.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }
}

lenient_struct! {
@echo
/// Identification of speakers by name or role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeakerIdentificationRequest {
    /// Whether speakers get names or roles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub speaker_type: SpeakerType,

    /// The possible names or roles, each at most 35 characters. Required
    /// for `role` unless `speakers` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_values: Option<Vec<String>>,

    /// The speakers with context, an alternative to `known_values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers: Option<Vec<KnownSpeaker>>,
}
}

impl SpeakerIdentificationRequest {
    /// Identify speakers by `speaker_type`; set `known_values` or `speakers` next.
    pub fn new(speaker_type: SpeakerType) -> Self {
        SpeakerIdentificationRequest {
            speaker_type,
            known_values: None,
            speakers: None,
        }
    }
}

/// A speaker described for speaker identification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KnownSpeaker {
    /// The speaker's role, when identifying by role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,

    /// The speaker's name, when identifying by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,

    /// What distinguishes this speaker in the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Any further context, e.g. `company` or `title`; the API accepts any key.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// As a transcript echoes it: `role`, `name` and `description` when they
/// are text (numbers and booleans as their text), every other key in `extra`.
impl super::lenient::Coerce for KnownSpeaker {
    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut speaker = KnownSpeaker::default();
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "role" => &mut speaker.role,
                "name" => &mut speaker.name,
                "description" => &mut speaker.description,
                _ => {
                    let value: Value = map.next_value()?;
                    speaker.extra.insert(key, value);
                    continue;
                }
            };
            if let Some(text) = map.next_value_seed(super::lenient::Seed::<String>::new())? {
                *slot = Some(text);
            }
        }
        Ok(Some(speaker))
    }
}

impl Lenient for KnownSpeaker {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        super::lenient::fit(d)
    }
}

lenient_struct! {
@echo
/// Custom formats for dates, phone numbers and emails in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFormattingRequest {
    /// Date pattern, e.g. `mm/dd/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,

    /// Phone number pattern, e.g. `(xxx)xxx-xxxx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,

    /// Email pattern, e.g. `username@domain.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}
}

impl CustomFormattingRequest {
    /// No pattern set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The outcome of a speech understanding task.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SpeechUnderstandingResult {
    /// Translation ran; the texts are in the transcript's `translated_texts`.
    Translation(TranslationResponse),
    /// Speaker identification ran.
    SpeakerIdentification(SpeakerIdentificationResponse),
    /// Custom formatting ran.
    CustomFormatting(CustomFormattingResponse),
    /// A result this crate does not know, as raw JSON.
    Other(Value),
}

impl Serialize for SpeechUnderstandingResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Translation(result) => tagged(s, "translation", result),
            Self::SpeakerIdentification(result) => tagged(s, "speaker_identification", result),
            Self::CustomFormatting(result) => tagged(s, "custom_formatting", result),
            Self::Other(value) => value.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for SpeechUnderstandingResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(if let Some(result) = untag(&value, "translation") {
            Self::Translation(result)
        } else if let Some(result) = untag(&value, "speaker_identification") {
            Self::SpeakerIdentification(result)
        } else if let Some(result) = untag(&value, "custom_formatting") {
            Self::CustomFormatting(result)
        } else {
            Self::Other(value)
        })
    }
}

lenient_struct! {
/// Outcome of translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranslationResponse {
    /// The task's status, e.g. `success`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
}

lenient_struct! {
/// Outcome of speaker identification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SpeakerIdentificationResponse {
    /// Generic speaker labels (`A`, `B`, ...) mapped to the names or roles found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<BTreeMap<String, String>>,

    /// The task's status, e.g. `success`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
}

lenient_struct! {
/// Outcome of custom formatting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CustomFormattingResponse {
    /// Original strings mapped to their reformatted versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<BTreeMap<String, String>>,

    /// The transcript text with the formats applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted_text: Option<String>,
}
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn translation_request_serializes_under_its_task_key() {
        let mut task = TranslationRequest::new(["es", "de"]);
        task.formal = Some(true);
        let request = SpeechUnderstandingRequest::new(task);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"request": {"translation": {"target_languages": ["es", "de"], "formal": true}}})
        );
    }

    #[test]
    fn each_task_kind_round_trips() {
        let tasks = [
            json!({"speaker_identification": {"speaker_type": "role", "known_values": ["Host"],
                   "speakers": [{"role": "Host", "company": "ACME"}]}}),
            json!({"custom_formatting": {"date": "mm/dd/yyyy"}}),
            json!({"translation": {"target_languages": ["fr"]}}),
        ];
        for json in tasks {
            let task: SpeechUnderstandingTask = serde_json::from_value(json.clone()).unwrap();
            assert!(
                !matches!(task, SpeechUnderstandingTask::Other(_)),
                "{task:?}"
            );
            assert_eq!(serde_json::to_value(&task).unwrap(), json);
        }
    }

    #[test]
    fn unknown_task_kind_is_kept_as_raw_json() {
        let json = json!({"summarize": {"style": "short"}});
        let task: SpeechUnderstandingTask = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(task, SpeechUnderstandingTask::Other(json.clone()));
        assert_eq!(serde_json::to_value(&task).unwrap(), json);
    }

    #[test]
    fn transcript_side_reports_request_and_response() {
        let json = json!({
            "request": {"speaker_identification": {"speaker_type": "name"}},
            "response": {"speaker_identification": {"mapping": {"A": "Ann"}, "status": "success"}}
        });
        let su: SpeechUnderstanding = serde_json::from_value(json).unwrap();
        let Some(SpeechUnderstandingResult::SpeakerIdentification(result)) = su.response else {
            panic!("wrong response kind");
        };
        assert_eq!(result.mapping.unwrap()["A"], "Ann");
        assert_eq!(result.status.as_deref(), Some("success"));
    }
}
