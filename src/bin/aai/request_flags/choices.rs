//! The values a request option knows, from the library's own lists: offered
//! by completions and "did you mean", never a limit (the service decides,
//! and a value it adds tomorrow goes through as given).

use assemblyai::{
    AudioRedactionMethod, Domain, KeytermsMatchStrength, LanguageCode, PiiPolicy,
    RedactPiiAudioQuality, RemoveAudioTags, SpeakerType, SpeechModel, SubstitutionPolicy,
    SummaryModel, SummaryStyle, SummaryType, TaskEffort,
};

/// The known values of request flag `name`, empty for a free one.
pub fn known(name: &str) -> &'static [&'static str] {
    match name {
        "--speech-models" | "--speech-model" => SpeechModel::KNOWN,
        "--redact-pii-policies" => PiiPolicy::KNOWN,
        "--language-code"
        | "--language-codes"
        | "--expected-languages"
        | "--fallback-language"
        | "--target-languages" => LanguageCode::KNOWN,
        "--speaker-type" => SpeakerType::KNOWN,
        "--redact-pii-sub" => SubstitutionPolicy::KNOWN,
        "--redact-pii-audio-quality" => RedactPiiAudioQuality::KNOWN,
        "--remove-audio-tags" => RemoveAudioTags::KNOWN,
        "--override-audio-redaction-method" => AudioRedactionMethod::KNOWN,
        "--summary-model" => SummaryModel::KNOWN,
        "--summary-type" => SummaryType::KNOWN,
        "--summarize" => SummaryStyle::KNOWN,
        "--summary-effort" | "--action-items-effort" => TaskEffort::KNOWN,
        "--keyterms-match-strength" => KeytermsMatchStrength::KNOWN,
        "--domain" => Domain::KNOWN,
        _ => &[],
    }
}
