//! Timed pieces of a transcript: words, utterances, sentences, paragraphs,
//! and the responses of the sentences, paragraphs and word-search endpoints.
//!
//! Every time here is in milliseconds from the start of the file. Fields the
//! spec requires are plain values but still parse when the server sends
//! `null` or leaves them out (they are then empty or zero).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lenient::{null_as_default, opt_text_map, timestamp_pairs};

/// One recognised word.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Word {
    /// The word as written in the text.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// When the word starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When the word ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// The speaker (`A`, `B`, ...) with speaker labels; `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel (`1`, `2`, ...) with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// One speaker's turn, with speaker labels or multichannel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Utterance {
    /// What was said in this turn.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// When the turn starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When the turn ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// The words of the turn.
    #[serde(default, deserialize_with = "null_as_default")]
    pub words: Vec<Word>,

    /// The speaker, `A`, `B`, ...
    #[serde(default, deserialize_with = "null_as_default")]
    pub speaker: String,

    /// The audio channel (`1`, `2`, ...) with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,

    /// Translations of the turn by language code, with translation's
    /// `match_original_utterance`.
    #[serde(
        default,
        deserialize_with = "opt_text_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub translated_texts: Option<BTreeMap<String, String>>,
}

/// One sentence, from the sentences endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sentence {
    /// The sentence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// When the sentence starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When the sentence ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// The words of the sentence.
    #[serde(default, deserialize_with = "null_as_default")]
    pub words: Vec<Word>,

    /// The speaker, with speaker labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel, with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// One paragraph, from the paragraphs endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Paragraph {
    /// The paragraph.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// When the paragraph starts, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// When the paragraph ends, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// The words of the paragraph.
    #[serde(default, deserialize_with = "null_as_default")]
    pub words: Vec<Word>,
}

/// A span of the audio.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Timestamp {
    /// Start, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub start: i64,

    /// End, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub end: i64,
}

impl Timestamp {
    /// The span from `start` to `end`, in milliseconds.
    pub fn new(start: i64, end: i64) -> Self {
        Timestamp { start, end }
    }
}

/// The transcript split into sentences (`GET /v2/transcript/{id}/sentences`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentencesResponse {
    /// The transcript's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,

    /// The transcript's confidence, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// Duration of the audio, in seconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub audio_duration: f64,

    /// The sentences, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sentences: Vec<Sentence>,
}

/// The transcript split into paragraphs (`GET /v2/transcript/{id}/paragraphs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParagraphsResponse {
    /// The transcript's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,

    /// The transcript's confidence, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidence: f64,

    /// Duration of the audio, in seconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub audio_duration: f64,

    /// The paragraphs, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub paragraphs: Vec<Paragraph>,
}

/// Where words occur (`GET /v2/transcript/{id}/word-search`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WordSearchResponse {
    /// The transcript's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,

    /// Number of matches over all searched words.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_count: i64,

    /// One entry per searched word or phrase that was found.
    #[serde(default, deserialize_with = "null_as_default")]
    pub matches: Vec<WordSearchMatch>,
}

/// The occurrences of one searched word or phrase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WordSearchMatch {
    /// The word or phrase.
    #[serde(default, deserialize_with = "null_as_default")]
    pub text: String,

    /// How many times it occurs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub count: i64,

    /// `[start, end]` of each occurrence, in milliseconds.
    #[serde(default, deserialize_with = "timestamp_pairs")]
    pub timestamps: Vec<[i64; 2]>,

    /// Position of each occurrence in the transcript's `words`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub indexes: Vec<i64>,
}
