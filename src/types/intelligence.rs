//! Results of the audio intelligence models on a transcript: key phrases,
//! content moderation, topics, entities, sentiment and (deprecated) chapters.
//!
//! Times are in milliseconds. Fields the spec requires are plain values that
//! still parse from `null` or absence (then empty or zero).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lenient::null_as_default;
use super::{AudioIntelligenceModelStatus, EntityType, Sentiment, Timestamp};

/// Key phrases (`auto_highlights_result`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutoHighlightsResult {
    /// Whether the model produced a result.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: AudioIntelligenceModelStatus,

    /// The key phrases.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<AutoHighlightResult>,
}

/// One key phrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutoHighlightResult {
    /// How many times the phrase occurs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub count: i64,

    /// Relevance to the whole file, 0.0 to 1.0; higher is more relevant.
    #[serde(default, deserialize_with = "null_as_default")]
    pub rank: f64,

    /// The phrase.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// Where each occurrence is.
    #[serde(default, deserialize_with = "null_as_default")]
    pub timestamps: Vec<Timestamp>,
}

/// Content moderation (`content_safety_labels`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentSafetyLabelsResult {
    /// Whether the model produced a result.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: AudioIntelligenceModelStatus,

    /// The flagged sections.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<ContentSafetyLabelResult>,

    /// Confidence, 0.0 to 1.0, that each sensitive topic occurs in the file,
    /// by label (e.g. `disasters`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub summary: BTreeMap<String, f64>,

    /// How severe each sensitive topic is over the whole file, by label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity_score_summary: BTreeMap<String, SeverityScoreSummary>,
}

/// A section flagged by content moderation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentSafetyLabelResult {
    /// The text of the section.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// One label per sensitive topic found in the section.
    #[serde(default, deserialize_with = "null_as_default")]
    pub labels: Vec<ContentSafetyLabel>,

    /// Index of the section's first sentence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sentences_idx_start: i64,

    /// Index of the section's last sentence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sentences_idx_end: i64,

    /// Where the section is.
    #[serde(default, deserialize_with = "null_as_default")]
    pub timestamp: Timestamp,
}

/// A sensitive topic found in a section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentSafetyLabel {
    /// The topic, e.g. `disasters`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,

    /// Confidence, 0.0 to 1.0, that the topic is present.
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// How severe the topic is, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: f64,
}

/// Shares of low, medium and high severity for one topic, each 0.0 to 1.0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SeverityScoreSummary {
    /// Share of low severity.
    #[serde(default, deserialize_with = "null_as_default")]
    pub low: f64,

    /// Share of medium severity.
    #[serde(default, deserialize_with = "null_as_default")]
    pub medium: f64,

    /// Share of high severity.
    #[serde(default, deserialize_with = "null_as_default")]
    pub high: f64,
}

/// Topic detection, with IAB categories (`iab_categories_result`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicDetectionModelResult {
    /// Whether the model produced a result.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: AudioIntelligenceModelStatus,

    /// Topics per section of the text.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<TopicDetectionResult>,

    /// Relevance, 0.0 to 1.0, of each topic to the whole file, by label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub summary: BTreeMap<String, f64>,
}

/// The topics of one section of the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicDetectionResult {
    /// The text of the section.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// The topics found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<TopicDetectionLabel>>,

    /// Where the section is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}

/// A topic found in a section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicDetectionLabel {
    /// How relevant the topic is, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub relevance: f64,

    /// The IAB label; `>` separates a topic from its subtopic, e.g.
    /// `NewsAndPolitics>Weather`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,
}

/// An entity found by entity detection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entity {
    /// What kind of entity it is.
    #[serde(default, deserialize_with = "null_as_default")]
    pub entity_type: EntityType,

    /// The entity as written in the text.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// Where it starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// Where it ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,
}

/// The sentiment of one sentence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentimentAnalysisResult {
    /// The sentence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// When it starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When it ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,

    /// Positive, neutral or negative.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sentiment: Sentiment,

    /// Confidence in the sentiment, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// The speaker, with speaker labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel, with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// A chapter, from auto chapters.
///
/// # Deprecated
///
/// Auto chapters is deprecated by AssemblyAI in favour of its LLM Gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Chapter {
    /// A few words on the chapter.
    #[serde(default, deserialize_with = "null_as_default")]
    pub gist: String,

    /// A one-sentence summary.
    #[serde(default, deserialize_with = "null_as_default")]
    pub headline: String,

    /// A one-paragraph summary.
    #[serde(default, deserialize_with = "null_as_default")]
    pub summary: String,

    /// When the chapter starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When the chapter ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,
}
