//! The API's small enumerations. Languages and PII policies have their own files.

use super::string_enum::string_enum;

string_enum! {
    /// Where a transcript is in its life: `queued` → `processing` → `completed` | `error`.
    pub enum TranscriptStatus {
        /// Waiting for a worker (also while throttled by the concurrency limit).
        Queued = "queued",
        /// Being transcribed.
        Processing = "processing",
        /// Done; the text and results are available.
        Completed = "completed",
        /// Failed; the transcript's `error` field says why.
        Error = "error",
    }
}

impl TranscriptStatus {
    /// Whether the transcript will not change any more (`completed` or `error`).
    ///
    /// An unknown status counts as not terminal, so a waiting loop keeps polling.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TranscriptStatus::Completed | TranscriptStatus::Error)
    }
}

string_enum! {
    /// How redacted PII is replaced in the text (`redact_pii_sub`).
    pub enum SubstitutionPolicy {
        /// By the entity's type, e.g. `[PERSON_NAME]`. (The spec's prose calls it
        /// `entity_type`, but the value it accepts is `entity_name`.)
        EntityName = "entity_name",
        /// By `#` characters, one per redacted character. The API's default.
        Hash = "hash",
    }
}

string_enum! {
    /// File type of the PII-redacted audio (`redact_pii_audio_quality`).
    pub enum RedactPiiAudioQuality {
        /// MP3. The API's default.
        Mp3 = "mp3",
        /// WAV.
        Wav = "wav",
    }
}

string_enum! {
    /// How PII is removed from redacted audio (`override_audio_redaction_method`).
    pub enum AudioRedactionMethod {
        /// Replace PII with silence instead of the default beep.
        Silence = "silence",
    }
}

string_enum! {
    /// Which tags to strip from the text (`remove_audio_tags`).
    pub enum RemoveAudioTags {
        /// Every tag, e.g. `[music]`, `[laughter]`, and speaker cues.
        All = "all",
        /// Only the speaker cues (2026).
        Speaker = "speaker",
    }
}

string_enum! {
    /// The sentiment of a sentence, from Sentiment Analysis.
    pub enum Sentiment {
        /// Positive.
        Positive = "POSITIVE",
        /// Neutral.
        Neutral = "NEUTRAL",
        /// Negative.
        Negative = "NEGATIVE",
    }
}

string_enum! {
    /// Whether an audio intelligence model produced its result.
    pub enum AudioIntelligenceModelStatus {
        /// The model ran; its results are present.
        Success = "success",
        /// The model failed (rarely); the transcript itself still completed.
        Unavailable = "unavailable",
    }
}

string_enum! {
    /// Summarization model (`summary_model`); deprecated with summarization,
    /// which AssemblyAI replaced by its LLM Gateway.
    pub enum SummaryModel {
        /// Best for files with a single speaker, such as presentations. The API's default.
        Informative = "informative",
        /// Best for two-person conversations.
        Conversational = "conversational",
        /// Best for creating video, podcast or media titles.
        Catchy = "catchy",
    }
}

string_enum! {
    /// Summary shape (`summary_type`); deprecated with summarization, which
    /// AssemblyAI replaced by its LLM Gateway.
    pub enum SummaryType {
        /// Important points as bullet points. The API's default.
        Bullets = "bullets",
        /// A longer bullet point list.
        BulletsVerbose = "bullets_verbose",
        /// A few words.
        Gist = "gist",
        /// A single sentence.
        Headline = "headline",
        /// A single paragraph.
        Paragraph = "paragraph",
    }
}

string_enum! {
    /// Caption file format, for the subtitles endpoint.
    pub enum SubtitleFormat {
        /// SubRip (`.srt`).
        Srt = "srt",
        /// WebVTT (`.vtt`).
        Vtt = "vtt",
    }
}

string_enum! {
    /// What Speaker Identification assigns to each speaker.
    pub enum SpeakerType {
        /// A role, e.g. "Interviewer"; needs `known_values` or `speakers`.
        Role = "role",
        /// A person's name.
        Name = "name",
    }
}

string_enum! {
    /// Status of the PII-redacted audio file.
    pub enum RedactedAudioStatus {
        /// The file is ready to download.
        RedactedAudioReady = "redacted_audio_ready",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_completed_and_error_are_terminal() {
        assert!(TranscriptStatus::Completed.is_terminal());
        assert!(TranscriptStatus::Error.is_terminal());
        assert!(!TranscriptStatus::Queued.is_terminal());
        assert!(!TranscriptStatus::Processing.is_terminal());
        assert!(!TranscriptStatus::Other("archived".into()).is_terminal());
    }

    #[test]
    fn sentiment_wire_values_are_upper_case() {
        assert_eq!("NEGATIVE".parse::<Sentiment>(), Ok(Sentiment::Negative));
        assert!("negative".parse::<Sentiment>().is_err());
    }
}
