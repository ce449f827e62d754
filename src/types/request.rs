//! The body of `POST /v2/transcript`: what to transcribe and how.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    CustomSpelling, Domain, KeytermsPromptOptions, LanguageCode, LanguageDetectionOptions,
    PiiPolicy, RedactPiiAudioOptions, RedactPiiAudioQuality, RemoveAudioTags, Secret,
    SpeakerOptions, SpeechModel, SpeechUnderstandingRequest, SubstitutionPolicy, SummaryModel,
    SummaryType,
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
    /// is used. Unset (the default), the account's default model runs, and
    /// the transcript names it in `speech_model_used`: this crate never
    /// picks a model, since a choice compiled in expires with the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_models: Option<Vec<SpeechModel>>,

    /// A single speech model.
    ///
    /// # Deprecated
    ///
    /// The API refuses the singular field ([`SINGULAR_SPEECH_MODEL_REFUSAL`](crate::SINGULAR_SPEECH_MODEL_REFUSAL));
    /// [`validate`](Self::validate) stops a request that sets it. Use
    /// [`speech_models`](Self::speech_models).
    #[deprecated = "the API refuses it: use `speech_models`"]
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

    /// Domain terms to recognise better, at most 6 words each; how many a
    /// model takes is the server's to check (200 for Universal-2, 1000 for
    /// the newer models in 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,

    /// How strongly key terms are matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt_options: Option<KeytermsPromptOptions>,

    /// Context for the model: a description of the audio. Which models take
    /// it, and how much, is the server's to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,

    /// Decoding randomness, 0.0 to 1.0; the server's default applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,

    /// Strip tags from the text: `speaker` the speaker cues, `all` audio
    /// events such as `[music]` too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_audio_tags: Option<RemoveAudioTags>,

    /// A domain-specific correction, e.g. `medical-v1` (Medical Mode, a billed
    /// add-on). On a language it doesn't support the job completes without it
    /// and the transcript carries a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,

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

    /// Also return the text unredacted (`unredacted_text`, `_words`,
    /// `_utterances`). Needs `redact_pii`. Defaults to `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_pii_return_unredacted: Option<bool>,

    /// Exact terms to redact as well, by label, e.g.
    /// `{"INTERNAL_TOOL": ["Bearclaw"]}`; replaced as `redact_pii_sub` says.
    /// Needs `redact_pii`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_static_entities: Option<BTreeMap<String, Vec<String>>>,

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
    /// A request for `audio_url` with nothing else set: every option is the
    /// server's default, the speech model included.
    pub fn new(audio_url: impl Into<String>) -> Self {
        #[allow(deprecated)] // every field has to be named to build the struct
        TranscriptRequest {
            audio_url: audio_url.into(),
            speech_models: None,
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
            keyterms_prompt_options: None,
            prompt: None,
            temperature: None,
            remove_audio_tags: None,
            domain: None,
            speech_threshold: None,
            redact_pii: None,
            redact_pii_policies: None,
            redact_pii_sub: None,
            redact_pii_return_unredacted: None,
            redact_static_entities: None,
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
    /// A request without `audio_url` yet and no option set: for [`Client::transcribe`](crate::Client::transcribe), which fills in
    /// the URL of the audio it uploads.
    fn default() -> Self {
        TranscriptRequest::new("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_request_sends_only_the_url_and_no_model() {
        let request = TranscriptRequest::new("https://example.com/a.mp3");
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"audio_url": "https://example.com/a.mp3"})
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
    fn json_without_speech_models_leaves_the_model_to_the_server() {
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
