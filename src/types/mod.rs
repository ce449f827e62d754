//! Request and response data of the v2 API, one topic per file.

mod enums;
mod language;
mod lenient;
mod pii;
mod request;
mod secret;
mod speech_model;
mod speech_understanding;
mod string_enum;
mod validate;

pub use enums::{
    AudioIntelligenceModelStatus, AudioRedactionMethod, RedactPiiAudioQuality, RedactedAudioStatus,
    RemoveAudioTags, Sentiment, SpeakerType, SubstitutionPolicy, SubtitleFormat, SummaryModel,
    SummaryType, TranscriptStatus,
};
pub use language::LanguageCode;
pub use pii::{EntityType, PiiPolicy};
pub use request::{
    CustomSpelling, LanguageDetectionOptions, RedactPiiAudioOptions, SpeakerOptions,
    TranscriptRequest,
};
pub use secret::Secret;
pub use speech_model::SpeechModel;
pub use speech_understanding::{
    CustomFormattingRequest, CustomFormattingResponse, KnownSpeaker, SpeakerIdentificationRequest,
    SpeakerIdentificationResponse, SpeechUnderstanding, SpeechUnderstandingRequest,
    SpeechUnderstandingResult, SpeechUnderstandingTask, TranslationRequest, TranslationResponse,
};
pub use string_enum::ParseValueError;
