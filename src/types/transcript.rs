//! The transcript resource, as returned by create, get and delete.

use std::collections::BTreeMap;

use serde::Serialize;

use super::lenient::lenient_struct;
use super::raw::{RawJson, keeps_raw_json};
use super::{
    AutoHighlightsResult, Chapter, ContentSafetyLabelsResult, CustomSpelling, Domain, Entity,
    KeytermsPromptOptions, LanguageCode, LanguageDetectionOptions, PiiPolicy,
    RedactPiiAudioOptions, RedactPiiAudioQuality, RemoveAudioTags, SentimentAnalysisResult,
    SpeechModel, SpeechUnderstanding, SubstitutionPolicy, TopicDetectionModelResult,
    TranscriptMetadata, TranscriptStatus, Utterance, Word,
};

lenient_struct! {
required(id, status);
/// A transcript: its status, and once completed its text, words and results.
///
/// Only `id` and `status` are required. Every other field is optional because
/// the live API leaves keys out and sends `null` where the spec says it
/// won't; unknown keys are ignored and unknown enum values are kept as
/// `Other`. A field of another type than documented is coerced where the
/// meaning is certain (`"true"`, `36.288` for `audio_duration`, rounded) and
/// otherwise dropped, never failing the transcript; `raw_json` keeps the text
/// as sent. Times are in milliseconds except `audio_duration` (seconds).
/// Request options are echoed back; they are `None` when not set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Transcript {
    /// The transcript's id: a UUID today; older ones have other shapes.
    pub id: String,

    /// Where the job is; `completed` and `error` are final.
    pub status: TranscriptStatus,

    /// Why the transcript failed, when `status` is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,

    /// The URL of the media that was transcribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,

    /// The full text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,

    /// Every word, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Word>>,

    /// Turn-by-turn utterances, with speaker labels or multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utterances: Option<Vec<Utterance>>,

    /// Confidence of the whole transcript, 0.0 (low) to 1.0 (high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,

    /// Duration of the media, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_duration: Option<i64>,

    /// Number of audio channels, with multichannel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_channels: Option<i64>,

    /// Where transcription started in the file, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_start_from: Option<i64>,

    /// Where transcription ended in the file, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_end_at: Option<i64>,

    /// The language of the audio, given or detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<LanguageCode>,

    /// The languages for code switching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_codes: Option<Vec<LanguageCode>>,

    /// Whether automatic language detection was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_detection: Option<bool>,

    /// The language detection options that were used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_detection_options: Option<LanguageDetectionOptions>,

    /// Confidence in the detected language, 0.0 to 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_confidence: Option<f64>,

    /// The language confidence below which the transcript fails, 0.0 to 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_confidence_threshold: Option<f64>,

    /// The speech models that were requested, in priority order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_models: Option<Vec<SpeechModel>>,

    /// The speech model that actually ran: the account's default when the
    /// request named none, and the only record of what was billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model_used: Option<SpeechModel>,

    /// What the server has to say about the job: warnings (a model fallback,
    /// a skipped Medical Mode) and the domain that ran. Absent when there is
    /// nothing to say; [`warnings`](Self::warnings) gathers every warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<TranscriptMetadata>,

    /// The domain correction that was asked for, e.g. `medical-v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,

    /// The single speech model requested.
    ///
    /// # Deprecated
    ///
    /// Replaced by `speech_models`; read `speech_model_used` for the model that ran.
    #[deprecated = "read `speech_model_used`"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model: Option<SpeechModel>,

    /// Whether punctuation was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub punctuate: Option<bool>,

    /// Whether the text was formatted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_text: Option<bool>,

    /// Whether filler words were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disfluencies: Option<bool>,

    /// Whether profanity was masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_profanity: Option<bool>,

    /// Whether channels were transcribed separately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multichannel: Option<bool>,

    /// Whether speakers were labelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_labels: Option<bool>,

    /// The number of speakers that was expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_expected: Option<i64>,

    /// The fraction of speech below which audio was to be rejected, 0.0 to 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_threshold: Option<f64>,

    /// The spelling rules that were applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_spelling: Option<Vec<CustomSpelling>>,

    /// The key terms that were boosted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,

    /// The prompt that was given to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,

    /// The key term options that were used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt_options: Option<KeytermsPromptOptions>,

    /// The decoding temperature that was used, 0.0 to 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,

    /// Which audio tags were removed from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_audio_tags: Option<RemoveAudioTags>,

    /// Whether PII was redacted from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii: Option<bool>,

    /// The kinds of PII that were redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_policies: Option<Vec<PiiPolicy>>,

    /// How redacted PII was replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_sub: Option<SubstitutionPolicy>,

    /// Whether the unredacted text was asked for as well.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_return_unredacted: Option<bool>,

    /// The exact terms that were redacted as well, by label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_static_entities: Option<BTreeMap<String, Vec<String>>>,

    /// The text before redaction, with `redact_pii_return_unredacted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unredacted_text: Option<String>,

    /// The words before redaction, with `redact_pii_return_unredacted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unredacted_words: Option<Vec<Word>>,

    /// The utterances before redaction, when there are utterances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unredacted_utterances: Option<Vec<Utterance>>,

    /// Whether PII-redacted audio was produced (see the redacted-audio endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio: Option<bool>,

    /// File type of the redacted audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio_quality: Option<RedactPiiAudioQuality>,

    /// The redacted audio options that were used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio_options: Option<RedactPiiAudioOptions>,

    /// Whether key phrases were on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_highlights: Option<bool>,

    /// The key phrases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_highlights_result: Option<AutoHighlightsResult>,

    /// Whether content moderation was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_safety: Option<bool>,

    /// The content moderation results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_safety_labels: Option<ContentSafetyLabelsResult>,

    /// Whether topic detection was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iab_categories: Option<bool>,

    /// The topic detection results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iab_categories_result: Option<TopicDetectionModelResult>,

    /// Whether entity detection was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_detection: Option<bool>,

    /// The entities found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<Entity>>,

    /// Whether sentiment analysis was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_analysis: Option<bool>,

    /// The sentiment of each sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_analysis_results: Option<Vec<SentimentAnalysisResult>>,

    /// The speech understanding task and its outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_understanding: Option<SpeechUnderstanding>,

    /// The translations of the text, by language code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_texts: Option<BTreeMap<String, String>>,

    /// `true` while the job waits because of the account's concurrency limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttled: Option<bool>,

    /// Where the completion notice is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,

    /// The HTTP status the webhook endpoint answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_status_code: Option<i64>,

    /// Whether a webhook auth header was given (its value is never echoed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_auth: Option<bool>,

    /// The name of the webhook auth header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_auth_header_name: Option<String>,

    /// The chapters, from auto chapters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapters: Option<Vec<Chapter>>,

    /// Whether auto chapters was on.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_chapters: Option<bool>,

    /// Whether summarization was on.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summarization: Option<bool>,

    /// The summary, with summarization.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,

    /// The summary type, with summarization.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_type: Option<String>,

    /// The summary model, with summarization.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_model: Option<String>,

    /// Always `assemblyai_default`.
    ///
    /// # Deprecated
    ///
    /// Has no meaning, per the spec.
    #[deprecated = "has no meaning"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acoustic_model: Option<String>,

    /// Always `assemblyai_default`.
    ///
    /// # Deprecated
    ///
    /// Has no meaning, per the spec.
    #[deprecated = "has no meaning"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_model: Option<String>,

    /// Speed boost.
    ///
    /// # Deprecated
    ///
    /// Has no meaning, per the spec.
    #[deprecated = "has no meaning"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_boost: Option<bool>,

    /// Custom topics.
    ///
    /// # Deprecated
    ///
    /// Has no meaning, per the spec.
    #[deprecated = "has no meaning"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_topics: Option<bool>,

    /// Topics.
    ///
    /// # Deprecated
    ///
    /// Has no meaning, per the spec.
    #[deprecated = "has no meaning"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,

    #[serde(skip)]
    raw_json: RawJson,
}
}

keeps_raw_json!(Transcript);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::raw::KeepsRawJson;

    fn minimal() -> Transcript {
        serde_json::from_str(r#"{"id": "x", "status": "queued"}"#).unwrap()
    }

    #[test]
    fn raw_json_is_kept_but_not_compared_or_dumped() {
        let mut transcript = minimal();
        assert_eq!(transcript.raw_json(), None);
        let json = r#"{"id": "x", "status": "queued", "text": "long"}"#;
        transcript.set_raw_json(json.into());
        assert_eq!(transcript.raw_json(), Some(json));
        assert_eq!(transcript, minimal());
        let debug = format!("{transcript:?}");
        assert!(
            debug.contains("<47 bytes>") && !debug.contains("long"),
            "{debug}"
        );
    }

    #[test]
    fn raw_json_is_not_serialized() {
        let mut transcript = minimal();
        transcript.set_raw_json("{}".into());
        let json = serde_json::to_string(&transcript).unwrap();
        assert_eq!(json, r#"{"id":"x","status":"queued"}"#);
    }
}
