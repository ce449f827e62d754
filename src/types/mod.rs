//! Request and response data of the v2 API, one topic per file.

mod enums;
mod language;
mod pii;
mod secret;
mod speech_model;
mod string_enum;

pub use enums::{
    AudioIntelligenceModelStatus, AudioRedactionMethod, RedactPiiAudioQuality, RedactedAudioStatus,
    RemoveAudioTags, Sentiment, SpeakerType, SubstitutionPolicy, SubtitleFormat, SummaryModel,
    SummaryType, TranscriptStatus,
};
pub use language::LanguageCode;
pub use pii::{EntityType, PiiPolicy};
pub use secret::Secret;
pub use speech_model::SpeechModel;
pub use string_enum::ParseValueError;
