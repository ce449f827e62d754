//! Results of the audio intelligence models on a transcript: key phrases,
//! content moderation, topics, entities, sentiment and (deprecated) chapters.
//!
//! Times are in milliseconds. Fields the spec requires are plain values that
//! still parse from `null` or absence (then empty or zero).

use std::collections::BTreeMap;

use serde::Serialize;

use super::lenient::lenient_struct;
use super::{AudioIntelligenceModelStatus, EntityType, Sentiment, Timestamp};

lenient_struct! {
/// Key phrases (`auto_highlights_result`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AutoHighlightsResult {
    /// Whether the model produced a result.
    pub status: AudioIntelligenceModelStatus,

    /// The key phrases.
    pub results: Vec<AutoHighlightResult>,
}
}

lenient_struct! {
/// One key phrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AutoHighlightResult {
    /// How many times the phrase occurs.
    pub count: i64,

    /// Relevance to the whole file, 0.0 to 1.0; higher is more relevant.
    pub rank: f64,

    /// The phrase.
    pub text: String,

    /// Where each occurrence is.
    pub timestamps: Vec<Timestamp>,
}
}

lenient_struct! {
/// Content moderation (`content_safety_labels`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ContentSafetyLabelsResult {
    /// Whether the model produced a result.
    pub status: AudioIntelligenceModelStatus,

    /// The flagged sections.
    pub results: Vec<ContentSafetyLabelResult>,

    /// Confidence, 0.0 to 1.0, that each sensitive topic occurs in the file,
    /// by label (e.g. `disasters`).
    pub summary: BTreeMap<String, f64>,

    /// How severe each sensitive topic is over the whole file, by label.
    pub severity_score_summary: BTreeMap<String, SeverityScoreSummary>,
}
}

lenient_struct! {
/// A section flagged by content moderation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ContentSafetyLabelResult {
    /// The text of the section.
    pub text: String,

    /// One label per sensitive topic found in the section.
    pub labels: Vec<ContentSafetyLabel>,

    /// Index of the section's first sentence.
    pub sentences_idx_start: i64,

    /// Index of the section's last sentence.
    pub sentences_idx_end: i64,

    /// Where the section is.
    pub timestamp: Timestamp,
}
}

lenient_struct! {
/// A sensitive topic found in a section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ContentSafetyLabel {
    /// The topic, e.g. `disasters`.
    pub label: String,

    /// Confidence, 0.0 to 1.0, that the topic is present.
    pub confidence: f64,

    /// How severe the topic is, 0.0 to 1.0.
    pub severity: f64,
}
}

lenient_struct! {
/// Shares of low, medium and high severity for one topic, each 0.0 to 1.0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SeverityScoreSummary {
    /// Share of low severity.
    pub low: f64,

    /// Share of medium severity.
    pub medium: f64,

    /// Share of high severity.
    pub high: f64,
}
}

lenient_struct! {
/// Topic detection, with IAB categories (`iab_categories_result`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TopicDetectionModelResult {
    /// Whether the model produced a result.
    pub status: AudioIntelligenceModelStatus,

    /// Topics per section of the text.
    pub results: Vec<TopicDetectionResult>,

    /// Relevance, 0.0 to 1.0, of each topic to the whole file, by label.
    pub summary: BTreeMap<String, f64>,
}
}

lenient_struct! {
/// The topics of one section of the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TopicDetectionResult {
    /// The text of the section.
    pub text: String,

    /// The topics found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<TopicDetectionLabel>>,

    /// Where the section is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}
}

lenient_struct! {
/// A topic found in a section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TopicDetectionLabel {
    /// How relevant the topic is, 0.0 to 1.0.
    pub relevance: f64,

    /// The IAB label; `>` separates a topic from its subtopic, e.g.
    /// `NewsAndPolitics>Weather`.
    pub label: String,
}
}

lenient_struct! {
/// An entity found by entity detection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entity {
    /// What kind of entity it is.
    pub entity_type: EntityType,

    /// The entity as written in the text.
    pub text: String,

    /// Where it starts, in milliseconds.
    pub start: i64,

    /// Where it ends, in milliseconds.
    pub end: i64,
}
}

lenient_struct! {
/// The sentiment of one sentence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SentimentAnalysisResult {
    /// The sentence.
    pub text: String,

    /// When it starts, in milliseconds.
    pub start: i64,

    /// When it ends, in milliseconds.
    pub end: i64,

    /// Positive, neutral or negative.
    pub sentiment: Sentiment,

    /// Confidence in the sentiment, 0.0 to 1.0.
    pub confidence: f64,

    /// The speaker, with speaker labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel, with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}
}

lenient_struct! {
/// A chapter, from auto chapters.
///
/// # Deprecated
///
/// Auto chapters is deprecated by AssemblyAI in favour of its LLM Gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Chapter {
    /// A few words on the chapter.
    pub gist: String,

    /// A one-sentence summary.
    pub headline: String,

    /// A one-paragraph summary.
    pub summary: String,

    /// When the chapter starts, in milliseconds.
    pub start: i64,

    /// When the chapter ends, in milliseconds.
    pub end: i64,
}
}
