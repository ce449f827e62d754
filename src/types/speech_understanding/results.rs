//! The tasks as reported: what each one produced.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::super::Utterance;
use super::super::lenient::{Lenient, lenient_struct};
use super::set::task_set;
use super::{SummaryStyle, TaskEffort};

task_set! {
/// What each task of a Speech Understanding request produced, under the
/// task's key.
///
/// Read leniently: a task this version does not know, or a result that does
/// not fit its type, is kept in `extra` as raw JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SpeechUnderstandingResults {
    /// Translation ran; the texts are in the transcript's `translated_texts`.
    pub translation: TranslationResponse,
    /// Speaker identification ran.
    pub speaker_identification: SpeakerIdentificationResponse,
    /// Custom formatting ran.
    pub custom_formatting: CustomFormattingResponse,
    /// The summary, by topic.
    pub summarization: SummarizationResponse,
    /// The action items.
    pub action_items: ActionItemsResponse,
}
}

impl<'de> Deserialize<'de> for SpeechUnderstandingResults {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::lenient(d)?.unwrap_or_default())
    }
}

/// Whether a task's `status` says it worked: the API and its SDKs write
/// `success`, the March 2026 spec's example `completed`
/// (`../shared/api-2026.md` §3.1).
fn is_success(status: &str) -> bool {
    status.eq_ignore_ascii_case("success") || status.eq_ignore_ascii_case("completed")
}

impl SpeechUnderstandingResults {
    /// Each task present with its `status` as reported (`None` when the
    /// result has none), in the order of [`names`](Self::names).
    pub fn statuses(&self) -> Vec<(&str, Option<&str>)> {
        let known = [
            ("translation", self.translation.as_ref().map(|r| &r.status)),
            (
                "speaker_identification",
                self.speaker_identification.as_ref().map(|r| &r.status),
            ),
            (
                "custom_formatting",
                self.custom_formatting.as_ref().map(|r| &r.status),
            ),
            (
                "summarization",
                self.summarization.as_ref().map(|r| &r.status),
            ),
            (
                "action_items",
                self.action_items.as_ref().map(|r| &r.status),
            ),
        ];
        let mut statuses: Vec<(&str, Option<&str>)> = known
            .into_iter()
            .filter_map(|(name, status)| Some((name, status?.as_deref())))
            .collect();
        for (name, value) in &self.extra {
            statuses.push((name, value.get("status").and_then(|s| s.as_str())));
        }
        statuses
    }

    /// The tasks that reported a status other than success (`success` or
    /// `completed`), with that status: the transcript itself still completed,
    /// but these results are missing or partial.
    pub fn unsuccessful(&self) -> Vec<(&str, &str)> {
        self.statuses()
            .into_iter()
            .filter_map(|(name, status)| Some((name, status?)))
            .filter(|(_, status)| !is_success(status))
            .collect()
    }
}

lenient_struct! {
/// Outcome of translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranslationResponse {
    /// The task's status, e.g. `success`; any string is kept.
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

    /// The task's status, e.g. `success`; any string is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
}

lenient_struct! {
/// Outcome of custom formatting.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CustomFormattingResponse {
    /// Original strings mapped to their reformatted versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<BTreeMap<String, String>>,

    /// The transcript text with the formats applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted_text: Option<String>,

    /// The utterances with the formats applied, when `format_utterances`
    /// was asked and there are utterances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted_utterances: Option<Vec<Utterance>>,

    /// The task's status, e.g. `success`; any string is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
}

lenient_struct! {
/// Outcome of summarization: the summary as sections by topic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SummarizationResponse {
    /// The task's status, e.g. `success`; any string is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,

    /// How the summary was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_type: Option<SummaryStyle>,

    /// The effort spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<TaskEffort>,

    /// The sections, in the order of the audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Vec<SummarySection>>,
}
}

lenient_struct! {
/// One topic of a summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SummarySection {
    /// Start of the topic in the audio, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,

    /// End of the topic in the audio, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,

    /// The summary of the topic: a paragraph or bullet points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,

    /// A one-line title for the topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
}
}

lenient_struct! {
/// Outcome of action items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionItemsResponse {
    /// The task's status, e.g. `success`; any string is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,

    /// The effort spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<TaskEffort>,

    /// The items, in the order of the audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ActionItem>>,
}
}

lenient_struct! {
/// One action item (or decision).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionItem {
    /// What is to be done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_item: Option<String>,

    /// The words of the audio it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,

    /// Where the quote is in the audio, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}
}
