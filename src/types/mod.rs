//! Request and response data of the v2 API, one topic per file.
//!
//! Responses are lenient (unknown keys ignored, unknown enum values kept,
//! `null` tolerated, a value of another type coerced or dropped: `lenient`)
//! because the live API sends more than its spec lists; requests are strict
//! only in [`TranscriptRequest::validate`].

mod enums;
mod intelligence;
mod language;
pub(crate) mod lenient;
mod list;
mod metadata;
mod pii;
pub(crate) mod raw;
mod request_options;
mod responses;
mod secret;
mod speech_model;
mod speech_understanding;
pub(crate) mod string_enum;
mod transcript;
mod transcript_request; // not `request`: src/request.rs is the sending of any request
mod validate;

pub(crate) use validate::is_http_url;
mod webhook;
mod words;

pub use enums::{
    AudioIntelligenceModelStatus, AudioRedactionMethod, RedactPiiAudioQuality, RedactedAudioStatus,
    RemoveAudioTags, Sentiment, SpeakerType, SubstitutionPolicy, SubtitleFormat, SummaryModel,
    SummaryType, TranscriptStatus,
};
pub use intelligence::{
    AutoHighlightResult, AutoHighlightsResult, Chapter, ContentSafetyLabel,
    ContentSafetyLabelResult, ContentSafetyLabelsResult, Entity, SentimentAnalysisResult,
    SeverityScoreSummary, TopicDetectionLabel, TopicDetectionModelResult, TopicDetectionResult,
};
pub use language::LanguageCode;
pub use list::{ListQuery, PageDetails, TranscriptList, TranscriptListItem};
pub use metadata::{ServerWarning, TranscriptMetadata};
pub use pii::{EntityType, PiiPolicy};
pub use request_options::{
    CustomSpelling, Domain, KeytermsMatchStrength, KeytermsPromptOptions, LanguageDetectionOptions,
    RedactPiiAudioOptions, SpeakerOptions,
};
pub use responses::{RedactedAudioResponse, UploadedFile};
pub use secret::Secret;
pub use speech_model::{
    RETIRED_SPEECH_MODELS, RetiredModel, SINGULAR_SPEECH_MODEL_REFUSAL, SpeechModel,
};
pub use speech_understanding::{
    ActionItem, ActionItemsRequest, ActionItemsResponse, CustomFormattingRequest,
    CustomFormattingResponse, KnownSpeaker, SpeakerIdentificationRequest,
    SpeakerIdentificationResponse, SpeechUnderstanding, SpeechUnderstandingRequest,
    SpeechUnderstandingResults, SpeechUnderstandingTasks, SummarizationRequest,
    SummarizationResponse, SummarySection, SummaryStyle, TaskEffort, TranslationRequest,
    TranslationResponse,
};
pub use string_enum::ParseValueError;
pub use transcript::Transcript;
pub use transcript_request::TranscriptRequest;
pub use webhook::{RedactedAudioNotification, TranscriptReadyNotification, WebhookNotification};
pub use words::{
    Paragraph, ParagraphsResponse, Sentence, SentencesResponse, Timestamp, Utterance, Word,
    WordSearchMatch, WordSearchResponse,
};
