//! Client-side checks of a [`TranscriptRequest`] against the spec's limits.
//!
//! The server checks too, but only after an upload and a round trip, and its
//! messages do not always name the field. These checks stop a doomed request
//! before anything is sent and say which field is wrong and what is allowed.

use super::{
    LanguageCode, SINGULAR_SPEECH_MODEL_REFUSAL, SpeakerType, SpeechModel,
    SpeechUnderstandingTasks, TranscriptRequest,
};
use crate::{Error, Result};

/// Most key terms any model takes (the Universal-3 family and stt-3-7;
/// Universal-2 takes 200, which the server checks against the model that runs).
const MAX_KEYTERMS: usize = 1000;
/// Most words in one key term.
const MAX_KEYTERM_WORDS: usize = 6;
/// Longest speaker identification value, in characters.
const MAX_KNOWN_VALUE_CHARS: usize = 35;

/// Whether `text` starts like an http(s) URL with a host, the only kind the
/// API can download.
pub(crate) fn is_http_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    !rest.is_empty() && !rest.starts_with('/')
}

impl TranscriptRequest {
    /// Checks `audio_url` and every set option against the limits the spec
    /// and docs state.
    ///
    /// Only what is certain is checked: types, the spec's ranges, required
    /// fields, and the model names the API is known to refuse. Enumeration
    /// values this version does not know (`Other`) are sent as they are,
    /// since the API adds values without notice
    /// ([`unknown_values`](Self::unknown_values) lists them, for a warning);
    /// rules that depend on the model are left to the server. Parameters in
    /// [`extra`](Self::extra) are not checked.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for the first problem found, naming the field
    /// as the API spells it and the allowed values, e.g.
    /// `temperature must be between 0.0 and 1.0, got 1.5`.
    pub fn validate(&self) -> Result<()> {
        let url = self.audio_url.trim();
        if url.is_empty() {
            return invalid("audio_url must not be empty");
        }
        if !is_http_url(url) {
            return invalid(format!(
                "audio_url must be an http:// or https:// URL the API can download, got \"{url}\"; \
                 upload a local file first"
            ));
        }
        self.validate_options()
    }

    /// Like [`validate`](Self::validate) but without `audio_url`, for a
    /// request whose audio is still to be uploaded.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`], as for [`validate`](Self::validate).
    pub fn validate_options(&self) -> Result<()> {
        self.validate_transcription()?;
        self.validate_language()?;
        self.validate_speakers()?;
        self.validate_vocabulary()?;
        self.validate_intelligence()?;
        self.validate_webhook()
    }

    fn validate_transcription(&self) -> Result<()> {
        self.validate_models()?;
        non_negative("audio_start_from", self.audio_start_from)?;
        non_negative("audio_end_at", self.audio_end_at)?;
        if let (Some(start), Some(end)) = (self.audio_start_from, self.audio_end_at) {
            if start >= end {
                return invalid(format!(
                    "audio_start_from ({start} ms) must be before audio_end_at ({end} ms)"
                ));
            }
        }
        unit_interval("speech_threshold", self.speech_threshold)?;
        unit_interval("temperature", self.temperature)
    }

    /// The model choice: only what is certain to fail. A model the API is
    /// known to refuse ([`RETIRED_SPEECH_MODELS`](crate::RETIRED_SPEECH_MODELS))
    /// and the singular `speech_model` it refuses are stopped here, with the
    /// API's reason, before any upload; any other name goes to the server.
    fn validate_models(&self) -> Result<()> {
        #[allow(deprecated)] // the deprecated field is exactly what is checked
        let singular = self.speech_model.is_some() || self.extra.contains_key("speech_model");
        if singular {
            return invalid(format!(
                "speech_model is refused by the API: \"{SINGULAR_SPEECH_MODEL_REFUSAL}\"; name \
                 models in speech_models instead, or leave both out to use the account's \
                 default model"
            ));
        }
        let Some(models) = &self.speech_models else {
            return Ok(());
        };
        if models.is_empty() {
            return invalid(
                "speech_models must list at least one model when set; leave it out to use \
                 the account's default model",
            );
        }
        if models.iter().any(|model| model.as_str().trim().is_empty()) {
            return invalid("speech_models must not contain an empty model name");
        }
        if let Some(retired) = models.iter().find_map(SpeechModel::retirement) {
            return invalid(format!(
                "speech_models: \"{}\" is retired; the API answers: \"{}\"; leave \
                 speech_models out to use the account's default model, or name a current one \
                 (https://www.assemblyai.com/docs/pre-recorded-audio/select-the-speech-model)",
                retired.name, retired.reason
            ));
        }
        Ok(())
    }

    fn validate_language(&self) -> Result<()> {
        if let Some(LanguageCode::Other(code)) = &self.language_code {
            if code.trim().is_empty() {
                return invalid("language_code must not be empty");
            }
        }
        if let Some(codes) = &self.language_codes {
            if !codes.contains(&LanguageCode::En) {
                let codes: Vec<&str> = codes.iter().map(LanguageCode::as_str).collect();
                return invalid(format!(
                    "language_codes must include en, got [{}]",
                    codes.join(", ")
                ));
            }
        }
        unit_interval(
            "language_confidence_threshold",
            self.language_confidence_threshold,
        )?;
        if let Some(options) = &self.language_detection_options {
            unit_interval(
                "language_detection_options.code_switching_confidence_threshold",
                options.code_switching_confidence_threshold,
            )?;
            if let Some(expected) = &options.expected_languages {
                if expected.is_empty() || expected.iter().any(|lang| lang.trim().is_empty()) {
                    return invalid(
                        "language_detection_options.expected_languages must list languages \
                         (or \"all\")",
                    );
                }
                if let Some(fallback) = &options.fallback_language {
                    let allowed = fallback == "auto"
                        || expected
                            .iter()
                            .any(|lang| lang == fallback || lang == "all");
                    if !allowed {
                        return invalid(format!(
                            "language_detection_options.fallback_language must be \"auto\" or \
                             one of expected_languages, got {fallback:?}"
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn validate_speakers(&self) -> Result<()> {
        at_least("speakers_expected", self.speakers_expected, 1)?;
        if let Some(options) = &self.speaker_options {
            let (min, max) = (options.min_speakers_expected, options.max_speakers_expected);
            at_least("speaker_options.min_speakers_expected", min, 1)?;
            at_least("speaker_options.max_speakers_expected", max, 1)?;
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    return invalid(format!(
                        "speaker_options.min_speakers_expected ({min}) must not exceed \
                         max_speakers_expected ({max})"
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_vocabulary(&self) -> Result<()> {
        if let Some(terms) = &self.keyterms_prompt {
            if terms.len() > MAX_KEYTERMS {
                return invalid(format!(
                    "keyterms_prompt takes at most {MAX_KEYTERMS} terms, got {}",
                    terms.len()
                ));
            }
            for term in terms {
                let words = term.split_whitespace().count();
                if words == 0 {
                    return invalid("keyterms_prompt must not contain an empty term");
                }
                if words > MAX_KEYTERM_WORDS {
                    return invalid(format!(
                        "keyterms_prompt terms have at most {MAX_KEYTERM_WORDS} words, \
                         got {words} in {term:?}"
                    ));
                }
            }
        }
        if let Some(prompt) = &self.prompt {
            let words = prompt.split_whitespace().count();
            if words == 0 {
                return invalid("prompt must not be empty");
            }
        }
        for (i, rule) in self.custom_spelling.iter().flatten().enumerate() {
            if rule.from.is_empty() || rule.from.iter().any(|from| from.trim().is_empty()) {
                return invalid(format!(
                    "custom_spelling[{i}].from must list words to replace, none empty"
                ));
            }
            if rule.to.trim().is_empty() {
                return invalid(format!("custom_spelling[{i}].to must not be empty"));
            }
        }
        Ok(())
    }

    fn validate_intelligence(&self) -> Result<()> {
        if let Some(confidence) = self.content_safety_confidence {
            if !(25..=100).contains(&confidence) {
                return invalid(format!(
                    "content_safety_confidence must be between 25 and 100, got {confidence}"
                ));
            }
        }
        if let Some(su) = &self.speech_understanding {
            validate_understanding(&su.request)?;
        }
        Ok(())
    }

    fn validate_webhook(&self) -> Result<()> {
        if self
            .webhook_url
            .as_deref()
            .is_some_and(|url| url.trim().is_empty())
        {
            return invalid("webhook_url must not be empty");
        }
        let name = self.webhook_auth_header_name.as_deref();
        let value = self.webhook_auth_header_value.as_ref().map(|v| v.expose());
        match (name, value) {
            (Some(_), None) | (None, Some(_)) => invalid(
                "webhook_auth_header_name and webhook_auth_header_value must be set together",
            ),
            (Some(name), Some(_)) if name.trim().is_empty() => {
                invalid("webhook_auth_header_name must not be empty")
            }
            (Some(_), Some("")) => invalid("webhook_auth_header_value must not be empty"),
            _ => Ok(()),
        }
    }
}

/// Checks the tasks of a Speech Understanding request: what the API
/// requires of each (a non-empty set, translation targets, speaker
/// identification values), whichever endpoint runs them.
pub(crate) fn validate_understanding(tasks: &SpeechUnderstandingTasks) -> Result<()> {
    const FIELD: &str = "speech_understanding.request";
    if tasks.is_empty() {
        return invalid(format!(
            "{FIELD} must name at least one task, e.g. summarization or translation"
        ));
    }
    if let Some(task) = &tasks.translation {
        let languages = &task.target_languages;
        if languages.is_empty() || languages.iter().any(|lang| lang.trim().is_empty()) {
            return invalid(format!(
                "{FIELD}.translation.target_languages must list at least one language, none empty"
            ));
        }
    }
    if let Some(task) = &tasks.speaker_identification {
        let field = format!("{FIELD}.speaker_identification");
        if task.speaker_type.as_str().trim().is_empty() {
            return invalid(format!("{field}.speaker_type is required: role or name"));
        }
        let values = task.known_values.as_deref().unwrap_or_default();
        let has_speakers = task.speakers.as_ref().is_some_and(|s| !s.is_empty());
        if task.speaker_type == SpeakerType::Role && values.is_empty() && !has_speakers {
            return invalid(format!(
                "{field}.known_values (or speakers) is required when speaker_type is role"
            ));
        }
        for value in values {
            let chars = value.chars().count();
            if chars == 0 || chars > MAX_KNOWN_VALUE_CHARS {
                return invalid(format!(
                    "{field}.known_values must be 1 to {MAX_KNOWN_VALUE_CHARS} \
                     characters each, got {chars} in {value:?}"
                ));
            }
        }
    }
    if let Some(task) = &tasks.summarization {
        if task.summary_type.as_str().trim().is_empty() {
            return invalid(format!(
                "{FIELD}.summarization.summary_type is required, e.g. paragraph or bullets"
            ));
        }
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> Result<()> {
    Err(Error::invalid_input(message))
}

fn unit_interval(field: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(value) if !(0.0..=1.0).contains(&value) => {
            invalid(format!("{field} must be between 0.0 and 1.0, got {value}"))
        }
        _ => Ok(()),
    }
}

fn at_least(field: &str, value: Option<i64>, min: i64) -> Result<()> {
    match value {
        Some(value) if value < min => {
            invalid(format!("{field} must be at least {min}, got {value}"))
        }
        _ => Ok(()),
    }
}

fn non_negative(field: &str, value: Option<i64>) -> Result<()> {
    match value {
        Some(value) if value < 0 => invalid(format!(
            "{field} must not be negative (milliseconds), got {value}"
        )),
        _ => Ok(()),
    }
}

mod unknown;

#[cfg(test)]
mod tests;
