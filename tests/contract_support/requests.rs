//! Requests that set every parameter the spec defines, each to a valid value.

use assemblyai::{
    AudioRedactionMethod, CustomFormattingRequest, CustomSpelling, KnownSpeaker, LanguageCode,
    LanguageDetectionOptions, ListQuery, PiiPolicy, RedactPiiAudioOptions, RedactPiiAudioQuality,
    RemoveAudioTags, SpeakerIdentificationRequest, SpeakerOptions, SpeakerType, SpeechModel,
    SpeechUnderstandingRequest, SpeechUnderstandingTasks, SubstitutionPolicy, SummaryModel,
    SummaryType, TranscriptRequest, TranscriptStatus, TranslationRequest,
};
use serde_json::Value;

use super::{NEWER_ID, OLDER_ID};

/// A request with every parameter the spec knows set to a valid value, with
/// `task` as the speech understanding task.
///
/// `keyterms_prompt` and `prompt` exclude each other, so `with_prompt`
/// chooses; the three requests of the tests below set both between them.
#[allow(deprecated)] // the deprecated parameters are still in the spec, so they are sent too
pub fn every_parameter(
    task: SpeechUnderstandingTasks,
    with_prompt: bool,
    webhook_url: &str,
) -> TranscriptRequest {
    let mut request = TranscriptRequest::new("https://example.com/audio.mp3");
    request.speech_models = Some(vec![
        SpeechModel::ASSEMBLYAI_STT_3_7,
        SpeechModel::UNIVERSAL_2,
    ]);
    request.speech_model = Some(SpeechModel::UNIVERSAL_2);
    request.language_code = Some(LanguageCode::EnUs);
    request.language_codes = Some(vec![LanguageCode::En, LanguageCode::Es]);
    request.language_detection = Some(true);
    request.language_confidence_threshold = Some(0.4);
    let mut detection = LanguageDetectionOptions::new();
    detection.expected_languages = Some(vec!["en".into(), "es".into()]);
    detection.fallback_language = Some("en".into());
    detection.code_switching = Some(true);
    detection.code_switching_confidence_threshold = Some(0.3);
    request.language_detection_options = Some(detection);
    request.punctuate = Some(true);
    request.format_text = Some(false);
    request.disfluencies = Some(true);
    request.filter_profanity = Some(true);
    request.multichannel = Some(false);
    request.speaker_labels = Some(true);
    request.speakers_expected = Some(2);
    request.speaker_options = Some(SpeakerOptions::new(1, 3));
    request.audio_start_from = Some(1_000);
    request.audio_end_at = Some(60_000);
    request.custom_spelling = Some(vec![CustomSpelling::new(["dicarlo"], "DeCarlo")]);
    if with_prompt {
        request.prompt = Some("A radio interview about wildfire smoke.".into());
    } else {
        request.keyterms_prompt = Some(vec!["wildfire".into(), "air quality alert".into()]);
    }
    request.temperature = Some(0.2);
    request.remove_audio_tags = Some(RemoveAudioTags::All);
    request.speech_threshold = Some(0.5);
    request.redact_pii = Some(true);
    request.redact_pii_policies = Some(vec![PiiPolicy::PersonName, PiiPolicy::PhoneNumber]);
    request.redact_pii_sub = Some(SubstitutionPolicy::EntityName);
    request.redact_pii_audio = Some(true);
    request.redact_pii_audio_quality = Some(RedactPiiAudioQuality::Wav);
    let mut audio = RedactPiiAudioOptions::new();
    audio.return_redacted_no_speech_audio = Some(true);
    audio.override_audio_redaction_method = Some(AudioRedactionMethod::Silence);
    request.redact_pii_audio_options = Some(audio);
    request.content_safety = Some(true);
    request.content_safety_confidence = Some(60);
    request.iab_categories = Some(true);
    request.auto_highlights = Some(true);
    request.entity_detection = Some(true);
    request.sentiment_analysis = Some(true);
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(task));
    request.webhook_url = Some(webhook_url.to_owned());
    request.webhook_auth_header_name = Some("X-Webhook-Secret".into());
    request.webhook_auth_header_value = Some("made-up-webhook-secret".into());
    request.auto_chapters = Some(true);
    request.summarization = Some(true);
    request.summary_model = Some(SummaryModel::Informative);
    request.summary_type = Some(SummaryType::Bullets);
    request.custom_topics = Some(true);
    request.topics = Some(vec!["wildfires".into(), "health".into()]);
    request
}

pub fn translation() -> SpeechUnderstandingTasks {
    let mut task = TranslationRequest::new(["es", "de"]);
    task.formal = Some(true);
    task.match_original_utterance = Some(true);
    task.into()
}

pub fn speaker_identification() -> SpeechUnderstandingTasks {
    let mut task = SpeakerIdentificationRequest::new(SpeakerType::Role);
    task.known_values = Some(vec!["Interviewer".into(), "Interviewee".into()]);
    let mut speaker = KnownSpeaker::default();
    speaker.role = Some("Interviewer".into());
    speaker.name = Some("Ana".into());
    speaker.description = Some("asks the questions".into());
    speaker
        .extra
        .insert("company".into(), serde_json::json!("NPR"));
    task.speakers = Some(vec![speaker]);
    task.into()
}

pub fn custom_formatting() -> SpeechUnderstandingTasks {
    let mut task = CustomFormattingRequest::new();
    task.date = Some("mm/dd/yyyy".into());
    task.phone_number = Some("(xxx)xxx-xxxx".into());
    task.email = Some("username@domain.com".into());
    task.into()
}

/// A list query with every parameter the spec defines.
#[allow(deprecated)] // throttled_only is deprecated but still a parameter of the spec
pub fn every_list_parameter() -> ListQuery {
    let mut query = ListQuery::new();
    query.limit = Some(5);
    query.status = Some(TranscriptStatus::Completed);
    query.created_on = Some("2024-03-11".into());
    query.before_id = Some(OLDER_ID.into());
    query.after_id = Some(NEWER_ID.into());
    query.throttled_only = Some(false);
    query
}

/// Collects the properties of `schema` (resolving `$ref`, `allOf` and
/// `oneOf`) that none of `values` has, recursing into nested objects.
pub fn unset_properties(
    spec: &Value,
    schema: &Value,
    values: &[&Value],
    path: &str,
    missing: &mut Vec<String>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return unset_properties(
            spec,
            &spec["components"]["schemas"][name],
            values,
            path,
            missing,
        );
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        unset_properties(spec, part, values, path, missing);
    }
    for branch in schema["oneOf"].as_array().into_iter().flatten() {
        // A oneOf branch is covered by the values that chose it.
        let resolved = match branch["$ref"].as_str() {
            Some(reference) => {
                &spec["components"]["schemas"]
                    [reference.trim_start_matches("#/components/schemas/")]
            }
            None => branch,
        };
        let required: Vec<&str> = resolved["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|key| key.as_str())
            .collect();
        if required.is_empty() {
            continue;
        }
        let chose: Vec<&Value> = values
            .iter()
            .copied()
            .filter(|value| required.iter().all(|key| value.get(key).is_some()))
            .collect();
        if chose.is_empty() {
            missing.push(format!("{path} (oneOf branch requiring {required:?})"));
        } else {
            unset_properties(spec, resolved, &chose, path, missing);
        }
    }
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for (name, property) in properties {
        let path = format!("{path}/{name}");
        let present: Vec<&Value> = values
            .iter()
            .filter_map(|value| value.get(name))
            .filter(|value| !value.is_null())
            .collect();
        if present.is_empty() {
            missing.push(path);
            continue;
        }
        let objects: Vec<&Value> = present
            .iter()
            .copied()
            .filter(|value| value.is_object())
            .collect();
        if !objects.is_empty() {
            unset_properties(spec, property, &objects, &path, missing);
        }
    }
}
