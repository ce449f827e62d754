//! The tasks as requested: what each one takes.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::super::SpeakerType;
use super::super::lenient::{Lenient, lenient_struct, null_as_default};
use super::super::string_enum::string_enum;
use super::set::task_set;

task_set! {
/// The tasks of one Speech Understanding request, each under its own key.
///
/// Set the fields of the tasks to run; any number of them at once. A task
/// this version does not know goes in `extra` under its key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeechUnderstandingTasks {
    /// Translate the transcript (`translation`).
    pub translation: TranslationRequest,
    /// Name or label the speakers (`speaker_identification`).
    pub speaker_identification: SpeakerIdentificationRequest,
    /// Reformat dates, phone numbers and emails (`custom_formatting`).
    pub custom_formatting: CustomFormattingRequest,
    /// Summarize the transcript by topic (`summarization`).
    pub summarization: SummarizationRequest,
    /// List the action items, and optionally the decisions (`action_items`).
    pub action_items: ActionItemsRequest,
}
}

/// Each task alone converts into a set holding only it, so
/// `SpeechUnderstandingRequest::new(TranslationRequest::new(["es"]))` works.
macro_rules! single_task {
    ($($ty:ty => $field:ident),+) => {$(
        impl From<$ty> for SpeechUnderstandingTasks {
            fn from(task: $ty) -> Self {
                SpeechUnderstandingTasks {
                    $field: Some(task),
                    ..Self::default()
                }
            }
        }
    )+};
}

single_task!(
    TranslationRequest => translation,
    SpeakerIdentificationRequest => speaker_identification,
    CustomFormattingRequest => custom_formatting,
    SummarizationRequest => summarization,
    ActionItemsRequest => action_items
);

string_enum! {
    /// How a summary is written (`summary_type` of the summarization task).
    pub enum SummaryStyle {
        /// A paragraph per topic.
        Paragraph = "paragraph",
        /// Bullet points per topic.
        Bullets = "bullets",
    }
}

string_enum! {
    /// How much work a task spends (`effort`): `medium` suits long (about
    /// 1.5 h and more), multilingual or high-stakes audio. The API's default
    /// is `low`.
    pub enum TaskEffort {
        /// Faster and cheaper.
        Low = "low",
        /// More thorough.
        Medium = "medium",
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

    /// Use a formal style. The spec says it defaults to `true`, the SDKs to
    /// `false`: set it when it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal: Option<bool>,

    /// With speaker labels, also translate each utterance (its
    /// `translated_texts`). Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_original_utterance: Option<bool>,

    /// Translate into a target even when the audio already is in that
    /// language; such targets are skipped otherwise. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_translation: Option<bool>,
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
/// Identification of speakers by name or role; needs `speaker_labels`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeakerIdentificationRequest {
    /// Whether speakers get names or roles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub speaker_type: SpeakerType,

    /// The possible names or roles, each at most 35 characters. Required
    /// for `role` unless `speakers` is given; the API takes one or the other.
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

/// As a reply echoes it: `role`, `name` and `description` when they are
/// text (numbers and booleans as their text), every other key in `extra`.
impl super::super::lenient::Coerce for KnownSpeaker {
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
            if let Some(text) = map.next_value_seed(super::super::lenient::Seed::<String>::new())? {
                *slot = Some(text);
            }
        }
        Ok(Some(speaker))
    }
}

impl Lenient for KnownSpeaker {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        super::super::lenient::fit(d)
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

    /// Also reformat each utterance (the result's `formatted_utterances`).
    /// Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_utterances: Option<bool>,
}
}

impl CustomFormattingRequest {
    /// No pattern set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// A summary of the transcript by topic: sections with a headline each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SummarizationRequest {
    /// How the summary is written; required by the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub summary_type: SummaryStyle,

    /// How much work to spend; the API's default applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<TaskEffort>,
}
}

impl SummarizationRequest {
    /// A summary written as `summary_type`.
    pub fn new(summary_type: SummaryStyle) -> Self {
        SummarizationRequest {
            summary_type,
            effort: None,
        }
    }
}

lenient_struct! {
@echo
/// The action items agreed in the conversation; `{}` asks with the API's
/// defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActionItemsRequest {
    /// Also list the decisions taken. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_decisions: Option<bool>,

    /// How much work to spend; the API's default applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<TaskEffort>,
}
}

impl ActionItemsRequest {
    /// Action items with the API's defaults.
    pub fn new() -> Self {
        Self::default()
    }
}
