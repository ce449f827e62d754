//! The body of `POST /v2/transcript`: what to transcribe and how.

use serde::{Deserialize, Serialize};

use super::lenient::lenient_struct;
use super::{
    AudioRedactionMethod, LanguageCode, PiiPolicy, RedactPiiAudioQuality, RemoveAudioTags, Secret,
    SpeechModel, SpeechUnderstandingRequest, SubstitutionPolicy, SummaryModel, SummaryType,
};

/// A transcription job to submit (`TranscriptParams` in the spec).
///
/// Every parameter of the API is a `pub` field; unset `Option`s are not sent,
/// so the API's default applies (each field's docs state it). Parameters this
/// crate does not know yet go in [`extra`](Self::extra).
///
/// ```
/// use assemblyai::{LanguageCode, TranscriptRequest};
///
/// let mut request = TranscriptRequest::new("https://assembly.ai/wildfires.mp3");
/// request.language_code = Some(LanguageCode::EnUs);
/// request.speaker_labels = Some(true);
/// request.extra.insert("some_new_flag".into(), true.into());
/// request.validate().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TranscriptRequest {
    /// URL of the audio or video file: publicly fetchable and pointing at the
    /// file itself (not a web page), or an `upload_url` from `/v2/upload`.
    pub audio_url: String,

    /// Speech models in priority order; the first that supports the language
    /// is used. Required by the API, which has no default: [`Self::new`] sets
    /// [`SpeechModel::default_list`], and so does deserializing JSON without it.
    #[serde(default = "SpeechModel::default_list")]
    pub speech_models: Vec<SpeechModel>,

    /// A single speech model.
    ///
    /// # Deprecated
    ///
    /// Replaced by [`speech_models`](Self::speech_models).
    #[deprecated = "use `speech_models`"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model: Option<SpeechModel>,

    /// Language of the audio. Defaults to `en_us`; any string is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<LanguageCode>,

    /// Languages for code switching; one of them must be `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_codes: Option<Vec<LanguageCode>>,

    /// Detect the dominant language automatically. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_detection: Option<bool>,

    /// Fail the transcript when the detected language's confidence is below
    /// this, 0.0 to 1.0. Defaults to 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_confidence_threshold: Option<f64>,

    /// Options for automatic language detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_detection_options: Option<LanguageDetectionOptions>,

    /// Add punctuation. Defaults to `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub punctuate: Option<bool>,

    /// Format the text (casing, numbers, ...). Defaults to `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_text: Option<bool>,

    /// Keep filler words such as "umm". Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disfluencies: Option<bool>,

    /// Mask profanity in the text. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_profanity: Option<bool>,

    /// Transcribe each audio channel separately. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multichannel: Option<bool>,

    /// Label speakers (diarization); fills `utterances`. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_labels: Option<bool>,

    /// The exact number of speakers, as a hint to diarization (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_expected: Option<i64>,

    /// A range of possible speakers, for diarization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_options: Option<SpeakerOptions>,

    /// Start transcribing at this point of the file, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_start_from: Option<i64>,

    /// Stop transcribing at this point of the file, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_end_at: Option<i64>,

    /// Spellings to replace in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_spelling: Option<Vec<CustomSpelling>>,

    /// Domain terms to recognise better: up to 200 (Universal-2) or 1000
    /// (Universal-3 Pro), at most 6 words each. Not together with `prompt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,

    /// Natural-language context for the model, up to 1,500 words.
    /// Universal-3 Pro only; not together with `keyterms_prompt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,

    /// Decoding randomness, 0.0 to 1.0. Defaults to 0. Universal-3 Pro only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,

    /// Strip audio event tags such as `[music]`. Universal-3 Pro only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_audio_tags: Option<RemoveAudioTags>,

    /// Reject audio with less than this fraction of speech, 0.0 to 1.0. Defaults to 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_threshold: Option<f64>,

    /// Redact PII from the text. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii: Option<bool>,

    /// Which kinds of PII to redact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_policies: Option<Vec<PiiPolicy>>,

    /// How redacted PII is replaced. Defaults to `hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_sub: Option<SubstitutionPolicy>,

    /// Also produce a copy of the audio with PII beeped out. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio: Option<bool>,

    /// File type of the redacted audio. Defaults to `mp3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio_quality: Option<RedactPiiAudioQuality>,

    /// Options for the redacted audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_audio_options: Option<RedactPiiAudioOptions>,

    /// Content moderation. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_safety: Option<bool>,

    /// Confidence threshold of content moderation, 25 to 100. Defaults to 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_safety_confidence: Option<i64>,

    /// Topic detection (IAB categories). Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iab_categories: Option<bool>,

    /// Key phrases. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_highlights: Option<bool>,

    /// Entity detection. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_detection: Option<bool>,

    /// Sentiment analysis, per sentence. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment_analysis: Option<bool>,

    /// A speech understanding task: translation, speaker identification or
    /// custom formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_understanding: Option<SpeechUnderstandingRequest>,

    /// Where AssemblyAI POSTs a notice when the transcript completes or fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,

    /// Name of a header AssemblyAI sends with webhook requests, so the
    /// receiver can check them. Set together with the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_auth_header_name: Option<String>,

    /// Value of that header: a shared secret, never shown by `Debug`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_auth_header_value: Option<Secret>,

    /// Auto chapters. Defaults to `false`.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_chapters: Option<bool>,

    /// Summarization. Defaults to `false`.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summarization: Option<bool>,

    /// Summarization model. Defaults to `informative`.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_model: Option<SummaryModel>,

    /// Summary type. Defaults to `bullets`.
    ///
    /// # Deprecated
    ///
    /// AssemblyAI recommends its LLM Gateway instead.
    #[deprecated = "AssemblyAI recommends its LLM Gateway instead"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_type: Option<SummaryType>,

    /// Custom topics.
    ///
    /// # Deprecated
    ///
    /// Has no effect, per the spec.
    #[deprecated = "has no effect"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_topics: Option<bool>,

    /// Topics.
    ///
    /// # Deprecated
    ///
    /// Has no effect, per the spec.
    #[deprecated = "has no effect"]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,

    /// Parameters this crate does not model yet, sent as given. A key here
    /// that names a field above would be sent twice, so don't.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl TranscriptRequest {
    /// A request for `audio_url` with the recommended
    /// [`speech_models`](SpeechModel::default_list) and nothing else set.
    pub fn new(audio_url: impl Into<String>) -> Self {
        #[allow(deprecated)] // every field has to be named to build the struct
        TranscriptRequest {
            audio_url: audio_url.into(),
            speech_models: SpeechModel::default_list(),
            speech_model: None,
            language_code: None,
            language_codes: None,
            language_detection: None,
            language_confidence_threshold: None,
            language_detection_options: None,
            punctuate: None,
            format_text: None,
            disfluencies: None,
            filter_profanity: None,
            multichannel: None,
            speaker_labels: None,
            speakers_expected: None,
            speaker_options: None,
            audio_start_from: None,
            audio_end_at: None,
            custom_spelling: None,
            keyterms_prompt: None,
            prompt: None,
            temperature: None,
            remove_audio_tags: None,
            speech_threshold: None,
            redact_pii: None,
            redact_pii_policies: None,
            redact_pii_sub: None,
            redact_pii_audio: None,
            redact_pii_audio_quality: None,
            redact_pii_audio_options: None,
            content_safety: None,
            content_safety_confidence: None,
            iab_categories: None,
            auto_highlights: None,
            entity_detection: None,
            sentiment_analysis: None,
            speech_understanding: None,
            webhook_url: None,
            webhook_auth_header_name: None,
            webhook_auth_header_value: None,
            auto_chapters: None,
            summarization: None,
            summary_model: None,
            summary_type: None,
            custom_topics: None,
            topics: None,
            extra: serde_json::Map::new(),
        }
    }
}

impl Default for TranscriptRequest {
    /// A request without `audio_url` yet, with the recommended speech models:
    /// for [`Client::transcribe`](crate::Client::transcribe), which fills in
    /// the URL of the audio it uploads.
    fn default() -> Self {
        TranscriptRequest::new("")
    }
}

lenient_struct! {
@echo
/// Options for automatic language detection (`language_detection_options`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LanguageDetectionOptions {
    /// Languages to choose from. Defaults to `["all"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_languages: Option<Vec<String>>,

    /// Language to use when the detected one is not expected: one of
    /// `expected_languages`, or `auto` (the default) for the most likely of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_language: Option<String>,

    /// Detect switching between languages. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_switching: Option<bool>,

    /// Below this confidence, 0.0 to 1.0, code switching is not applied.
    /// Defaults to 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_switching_confidence_threshold: Option<f64>,
}
}

impl LanguageDetectionOptions {
    /// No options set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// A range of possible speakers, for diarization (`speaker_options`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeakerOptions {
    /// At least this many speakers. Defaults to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_speakers_expected: Option<i64>,

    /// At most this many speakers. Defaults by duration: no limit up to
    /// 2 minutes, 10 up to 10 minutes, 30 beyond. Too high hurts accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_speakers_expected: Option<i64>,
}
}

impl SpeakerOptions {
    /// Between `min` and `max` speakers.
    pub fn new(min: i64, max: i64) -> Self {
        SpeakerOptions {
            min_speakers_expected: Some(min),
            max_speakers_expected: Some(max),
        }
    }
}

lenient_struct! {
@echo
/// Options for the PII-redacted audio (`redact_pii_audio_options`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RedactPiiAudioOptions {
    /// Produce redacted audio even when the file has no speech.
    /// Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_redacted_no_speech_audio: Option<bool>,

    /// Replace PII with silence instead of the default beep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_audio_redaction_method: Option<AudioRedactionMethod>,
}
}

impl RedactPiiAudioOptions {
    /// No options set.
    pub fn new() -> Self {
        Self::default()
    }
}

lenient_struct! {
@echo
/// A spelling rule: write `to` wherever one of `from` was heard.
///
/// `from` is matched case-insensitively; `to` is written as given and,
/// per AssemblyAI's docs, should be a single word.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomSpelling {
    /// Words or phrases to replace.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub from: Vec<String>,

    /// The replacement.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub to: String,
}
}

impl CustomSpelling {
    /// Replace each of `from` by `to`.
    pub fn new<I, S>(from: I, to: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CustomSpelling {
            from: from.into_iter().map(Into::into).collect(),
            to: to.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_request_sends_only_the_url_and_default_models() {
        let request = TranscriptRequest::new("https://example.com/a.mp3");
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "audio_url": "https://example.com/a.mp3",
                "speech_models": ["universal-3-pro", "universal-2"],
            })
        );
    }

    #[test]
    fn default_request_differs_from_new_only_by_its_url() {
        let mut request = TranscriptRequest::default();
        assert_eq!(request.audio_url, "");
        request.audio_url = "u".into();
        assert_eq!(request, TranscriptRequest::new("u"));
    }

    #[test]
    fn json_without_speech_models_gets_the_default_list() {
        let request: TranscriptRequest =
            serde_json::from_value(json!({"audio_url": "https://example.com/a.mp3"})).unwrap();
        assert_eq!(request, TranscriptRequest::new("https://example.com/a.mp3"));
    }

    #[test]
    fn extra_parameters_are_sent_next_to_the_known_ones() {
        let mut request = TranscriptRequest::new("u");
        request.punctuate = Some(false);
        request
            .extra
            .insert("future_flag".into(), json!({"level": 2}));
        let value = serde_json::to_value(&request).unwrap();
        assert_eq!(value["future_flag"], json!({"level": 2}));
        assert_eq!(value["punctuate"], json!(false));
    }

    #[test]
    fn debug_never_shows_the_webhook_secret() {
        let mut request = TranscriptRequest::new("u");
        request.webhook_auth_header_name = Some("X-Hook".into());
        request.webhook_auth_header_value = Some("hunter2-secret".into());
        let debug = format!("{request:?}");
        assert!(!debug.contains("hunter2-secret"), "{debug}");
        assert!(debug.contains("X-Hook"));
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["webhook_auth_header_value"], "hunter2-secret");
    }

    #[test]
    fn custom_spelling_and_speaker_options_serialize_as_the_spec_shapes() {
        let mut request = TranscriptRequest::new("u");
        request.custom_spelling = Some(vec![CustomSpelling::new(["dicarlo"], "Decarlo")]);
        request.speaker_options = Some(SpeakerOptions::new(2, 4));
        let value = serde_json::to_value(&request).unwrap();
        assert_eq!(
            value["custom_spelling"],
            json!([{"from": ["dicarlo"], "to": "Decarlo"}])
        );
        assert_eq!(
            value["speaker_options"],
            json!({"min_speakers_expected": 2, "max_speakers_expected": 4})
        );
    }
}
