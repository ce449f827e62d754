//! Timed pieces of a transcript: words, utterances, sentences, paragraphs,
//! and the responses of the sentences, paragraphs and word-search endpoints.
//!
//! Every time here is in milliseconds from the start of the file. Fields the
//! spec requires are plain values but still parse when the server sends
//! `null` or leaves them out (they are then empty or zero).

use std::collections::BTreeMap;

use serde::Serialize;

use super::SpeechModel;
use super::lenient::lenient_struct;
use super::raw::{RawJson, keeps_raw_json};

lenient_struct! {
/// One recognised word.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Word {
    /// The word as written in the text.
    pub text: String,

    /// When the word starts, in milliseconds.
    pub start: i64,

    /// When the word ends, in milliseconds.
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    pub confidence: f64,

    /// The speaker (`A`, `B`, ...) with speaker labels; `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel (`1`, `2`, ...) with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}
}

lenient_struct! {
/// One speaker's turn, with speaker labels or multichannel.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Utterance {
    /// What was said in this turn.
    pub text: String,

    /// When the turn starts, in milliseconds.
    pub start: i64,

    /// When the turn ends, in milliseconds.
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    pub confidence: f64,

    /// The words of the turn.
    pub words: Vec<Word>,

    /// The speaker, `A`, `B`, ...
    pub speaker: String,

    /// The audio channel (`1`, `2`, ...) with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,

    /// Translations of the turn by language code, with translation's
    /// `match_original_utterance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_texts: Option<BTreeMap<String, String>>,
}
}

lenient_struct! {
/// One sentence, from the sentences endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Sentence {
    /// The sentence.
    pub text: String,

    /// When the sentence starts, in milliseconds.
    pub start: i64,

    /// When the sentence ends, in milliseconds.
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    pub confidence: f64,

    /// The words of the sentence.
    pub words: Vec<Word>,

    /// The speaker, with speaker labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,

    /// The audio channel, with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}
}

lenient_struct! {
/// One paragraph, from the paragraphs endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Paragraph {
    /// The paragraph.
    pub text: String,

    /// When the paragraph starts, in milliseconds.
    pub start: i64,

    /// When the paragraph ends, in milliseconds.
    pub end: i64,

    /// Confidence, 0.0 (low) to 1.0 (high).
    pub confidence: f64,

    /// The words of the paragraph.
    pub words: Vec<Word>,
}
}

lenient_struct! {
/// A span of the audio.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Timestamp {
    /// Start, in milliseconds.
    pub start: i64,

    /// End, in milliseconds.
    pub end: i64,
}
}

impl Timestamp {
    /// The span from `start` to `end`, in milliseconds.
    pub fn new(start: i64, end: i64) -> Self {
        Timestamp { start, end }
    }
}

lenient_struct! {
/// The transcript split into sentences (`GET /v2/transcript/{id}/sentences`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SentencesResponse {
    /// The transcript's id.
    pub id: String,

    /// The transcript's confidence, 0.0 to 1.0.
    pub confidence: f64,

    /// Duration of the audio, in seconds.
    pub audio_duration: f64,

    /// The speech model that transcribed the audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model_used: Option<SpeechModel>,

    /// The sentences, in order.
    pub sentences: Vec<Sentence>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

lenient_struct! {
/// The transcript split into paragraphs (`GET /v2/transcript/{id}/paragraphs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ParagraphsResponse {
    /// The transcript's id.
    pub id: String,

    /// The transcript's confidence, 0.0 to 1.0.
    pub confidence: f64,

    /// Duration of the audio, in seconds.
    pub audio_duration: f64,

    /// The speech model that transcribed the audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model_used: Option<SpeechModel>,

    /// The paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

lenient_struct! {
/// Where words occur (`GET /v2/transcript/{id}/word-search`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WordSearchResponse {
    /// The transcript's id.
    pub id: String,

    /// Number of matches over all searched words.
    pub total_count: i64,

    /// One entry per searched word or phrase that was found.
    pub matches: Vec<WordSearchMatch>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

lenient_struct! {
/// The occurrences of one searched word or phrase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WordSearchMatch {
    /// The word or phrase.
    pub text: String,

    /// How many times it occurs.
    pub count: i64,

    /// `[start, end]` of each occurrence, in milliseconds.
    pub timestamps: Vec<[i64; 2]>,

    /// Position of each occurrence in the transcript's `words`.
    pub indexes: Vec<i64>,
}
}

keeps_raw_json!(SentencesResponse, ParagraphsResponse, WordSearchResponse);
