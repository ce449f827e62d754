use crate::{
    AudioRedactionMethod, CustomSpelling, Error, LanguageCode, LanguageDetectionOptions, PiiPolicy,
    RedactPiiAudioOptions, SpeakerIdentificationRequest, SpeakerOptions, SpeakerType, SpeechModel,
    SpeechUnderstandingRequest, SpeechUnderstandingTasks, SubstitutionPolicy, SummarizationRequest,
    SummaryStyle, TranscriptRequest, TranslationRequest,
};

fn request() -> TranscriptRequest {
    TranscriptRequest::new("https://example.com/audio.mp3")
}

/// The validation message, asserting it is an `InvalidInput`.
fn rejection(request: &TranscriptRequest) -> String {
    match request.validate() {
        Err(Error::InvalidInput { message }) => message,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn new_request_is_valid() {
    assert!(request().validate().is_ok());
}

#[test]
fn empty_audio_url_is_rejected() {
    let request = TranscriptRequest::new("  ");
    assert_eq!(rejection(&request), "audio_url must not be empty");
}

#[test]
fn an_audio_url_the_api_cannot_download_is_rejected() {
    for url in [
        "recording.mp3",
        "s3://bucket/a.mp3",
        "ftp://host/a.mp3",
        "https://",
        "http:///a",
    ] {
        let message = rejection(&TranscriptRequest::new(url));
        assert!(
            message.contains("http:// or https:// URL"),
            "{url}: {message}"
        );
    }
    assert!(
        TranscriptRequest::new("HTTP://Example.com/a.mp3")
            .validate()
            .is_ok()
    );
}

#[test]
fn default_request_has_no_url_but_valid_options() {
    let request = TranscriptRequest::default();
    assert_eq!(rejection(&request), "audio_url must not be empty");
    assert!(request.validate_options().is_ok());
}

#[test]
fn validate_options_still_checks_the_options() {
    let request = TranscriptRequest {
        temperature: Some(-1.0),
        ..Default::default()
    };
    assert!(request.validate_options().is_err());
}

#[test]
fn empty_speech_models_is_rejected() {
    let mut request = request();
    request.speech_models = Some(Vec::new());
    assert!(rejection(&request).starts_with("speech_models must list at least one model"));
    request.speech_models = Some(vec![SpeechModel::new("")]);
    assert!(rejection(&request).contains("empty model name"));
}

#[test]
fn unknown_speech_model_is_left_to_the_server() {
    let mut request = request();
    request.speech_models = Some(vec![SpeechModel::new("assemblyai-stt-9-9")]);
    assert!(request.validate().is_ok());
}

#[test]
fn a_retired_speech_model_is_refused_with_the_apis_reason() {
    let mut request = request();
    request.speech_models = Some(vec![SpeechModel::UNIVERSAL_2, "universal-3-pro".into()]);
    let message = rejection(&request);
    assert!(
        message.contains("\"universal-3-pro\" is retired"),
        "{message}"
    );
    assert!(message.contains("have been deprecated"), "{message}");
    assert!(message.contains("leave speech_models out"), "{message}");
    for name in ["best", "nano", "slam-1"] {
        request.speech_models = Some(vec![name.into()]);
        assert!(rejection(&request).contains("is retired"), "{name}");
    }
}

#[test]
#[allow(deprecated)] // the deprecated field is what is refused
fn the_singular_speech_model_is_refused_as_field_or_extra() {
    let mut request = request();
    request.speech_model = Some(SpeechModel::UNIVERSAL_2);
    assert!(rejection(&request).contains("speech_model is deprecated"));
    request.speech_model = None;
    request
        .extra
        .insert("speech_model".into(), serde_json::json!("best"));
    assert!(rejection(&request).contains("Use \"speech_models\" instead"));
}

#[test]
fn prompt_and_keyterms_go_together() {
    let mut request = request();
    request.prompt = Some("A call about wildfires.".into());
    request.keyterms_prompt = Some(vec!["Smoke".into()]);
    assert!(request.validate().is_ok());
}

#[test]
fn temperature_above_one_is_rejected() {
    let mut request = request();
    request.temperature = Some(1.5);
    assert_eq!(
        rejection(&request),
        "temperature must be between 0.0 and 1.0, got 1.5"
    );
}

#[test]
fn temperature_bounds_are_inclusive() {
    let mut request = request();
    for temperature in [0.0, 1.0] {
        request.temperature = Some(temperature);
        assert!(request.validate().is_ok());
    }
}

#[test]
fn nan_threshold_is_rejected() {
    let mut request = request();
    request.speech_threshold = Some(f64::NAN);
    assert_eq!(
        rejection(&request),
        "speech_threshold must be between 0.0 and 1.0, got NaN"
    );
}

#[test]
fn negative_language_confidence_threshold_is_rejected() {
    let mut request = request();
    request.language_confidence_threshold = Some(-0.1);
    assert!(rejection(&request).starts_with("language_confidence_threshold must be between"));
}

#[test]
fn code_switching_threshold_out_of_range_is_rejected() {
    let mut request = request();
    let mut options = LanguageDetectionOptions::new();
    options.code_switching_confidence_threshold = Some(2.0);
    request.language_detection_options = Some(options);
    assert_eq!(
        rejection(&request),
        "language_detection_options.code_switching_confidence_threshold must be between 0.0 \
         and 1.0, got 2"
    );
}

#[test]
fn fallback_language_outside_expected_languages_is_rejected() {
    let mut request = request();
    let mut options = LanguageDetectionOptions::new();
    options.expected_languages = Some(vec!["en".into(), "es".into()]);
    options.fallback_language = Some("de".into());
    request.language_detection_options = Some(options.clone());
    assert!(rejection(&request).contains("fallback_language must be \"auto\""));
    for fallback in ["auto", "es"] {
        options.fallback_language = Some(fallback.into());
        request.language_detection_options = Some(options.clone());
        assert!(request.validate().is_ok(), "{fallback}");
    }
}

#[test]
fn content_safety_confidence_outside_25_to_100_is_rejected() {
    let mut request = request();
    request.content_safety_confidence = Some(10);
    assert_eq!(
        rejection(&request),
        "content_safety_confidence must be between 25 and 100, got 10"
    );
    request.content_safety_confidence = Some(101);
    assert!(rejection(&request).ends_with("got 101"));
    request.content_safety_confidence = Some(25);
    assert!(request.validate().is_ok());
}

#[test]
fn zero_speakers_expected_is_rejected() {
    let mut request = request();
    request.speakers_expected = Some(0);
    assert_eq!(
        rejection(&request),
        "speakers_expected must be at least 1, got 0"
    );
}

#[test]
fn speaker_range_with_min_above_max_is_rejected() {
    let mut request = request();
    request.speaker_options = Some(SpeakerOptions::new(4, 2));
    assert!(rejection(&request).contains("(4) must not exceed max_speakers_expected (2)"));
    request.speaker_options = Some(SpeakerOptions::new(0, 2));
    assert!(rejection(&request).starts_with("speaker_options.min_speakers_expected must be"));
    request.speaker_options = Some(SpeakerOptions::new(2, 2));
    assert!(request.validate().is_ok());
}

#[test]
fn negative_audio_offsets_are_rejected() {
    let mut request = request();
    request.audio_start_from = Some(-1);
    assert_eq!(
        rejection(&request),
        "audio_start_from must not be negative (milliseconds), got -1"
    );
}

#[test]
fn audio_start_after_end_is_rejected() {
    let mut request = request();
    request.audio_start_from = Some(5000);
    request.audio_end_at = Some(5000);
    assert_eq!(
        rejection(&request),
        "audio_start_from (5000 ms) must be before audio_end_at (5000 ms)"
    );
    request.audio_end_at = Some(5001);
    assert!(request.validate().is_ok());
}

#[test]
fn keyterm_longer_than_six_words_is_rejected() {
    let mut request = request();
    request.keyterms_prompt = Some(vec!["one two three four five six seven".into()]);
    assert!(rejection(&request).contains("at most 6 words, got 7"));
    request.keyterms_prompt = Some(vec!["one two three four five six".into()]);
    assert!(request.validate().is_ok());
}

#[test]
fn more_than_a_thousand_keyterms_is_rejected() {
    let mut request = request();
    request.keyterms_prompt = Some(vec!["term".into(); 1001]);
    assert_eq!(
        rejection(&request),
        "keyterms_prompt takes at most 1000 terms, got 1001"
    );
}

#[test]
fn a_long_prompt_is_left_to_the_server() {
    // The 1,500-word cap was Universal-3 Pro's; later models set their own.
    let mut request = request();
    request.prompt = Some("word ".repeat(1501));
    assert!(request.validate().is_ok());
}

#[test]
fn custom_spelling_with_empty_from_or_to_is_rejected() {
    let mut request = request();
    request.custom_spelling = Some(vec![
        CustomSpelling::new(["ok"], "OK"),
        CustomSpelling::new(Vec::<String>::new(), "x"),
    ]);
    assert!(rejection(&request).starts_with("custom_spelling[1].from must list words"));
    request.custom_spelling = Some(vec![CustomSpelling::new(["ok"], "")]);
    assert_eq!(
        rejection(&request),
        "custom_spelling[0].to must not be empty"
    );
}

#[test]
fn webhook_auth_name_without_value_is_rejected() {
    let mut request = request();
    request.webhook_auth_header_name = Some("X-Token".into());
    let message = rejection(&request);
    assert_eq!(
        message,
        "webhook_auth_header_name and webhook_auth_header_value must be set together"
    );
    request.webhook_auth_header_value = Some("secret".into());
    assert!(request.validate().is_ok());
}

#[test]
fn webhook_auth_value_without_name_is_rejected() {
    let mut request = request();
    request.webhook_auth_header_value = Some("secret".into());
    assert!(rejection(&request).contains("must be set together"));
}

#[test]
fn unknown_language_code_is_allowed_because_the_api_accepts_any_string() {
    let mut request = request();
    request.language_code = Some(LanguageCode::Other("xx_yy".into()));
    assert!(request.validate().is_ok());
}

#[test]
fn unknown_enumeration_values_are_sent_and_listed_for_a_warning() {
    let mut request = request();
    request.language_codes = Some(vec![LanguageCode::En, LanguageCode::Other("xx".into())]);
    request.redact_pii_policies = Some(vec![PiiPolicy::PersonName, PiiPolicy::Other("dna".into())]);
    request.redact_pii_sub = Some(SubstitutionPolicy::Other("entity_type".into()));
    let mut options = RedactPiiAudioOptions::new();
    options.override_audio_redaction_method = Some(AudioRedactionMethod::Other("beep".into()));
    request.redact_pii_audio_options = Some(options);
    assert!(request.validate().is_ok());
    assert_eq!(
        request.unknown_values(),
        [
            r#"language_codes: "xx""#,
            r#"redact_pii_policies: "dna""#,
            r#"redact_pii_sub: "entity_type""#,
            r#"redact_pii_audio_options.override_audio_redaction_method: "beep""#,
        ]
    );
    assert!(TranscriptRequest::new("u").unknown_values().is_empty());
}

#[test]
fn language_codes_without_english_are_rejected() {
    let mut request = request();
    request.language_codes = Some(vec![LanguageCode::Es, LanguageCode::Fr]);
    assert_eq!(
        rejection(&request),
        "language_codes must include en, got [es, fr]"
    );
    request.language_codes = Some(vec![LanguageCode::Es, LanguageCode::En]);
    assert!(request.validate().is_ok());
}

#[test]
fn translation_without_target_languages_is_rejected() {
    let mut request = request();
    let task = TranslationRequest::new(Vec::<String>::new());
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(task));
    assert!(rejection(&request).contains("target_languages must list at least one language"));
}

#[test]
fn speaker_identification_by_role_without_known_values_is_rejected() {
    let mut request = request();
    let task = SpeakerIdentificationRequest::new(SpeakerType::Role);
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(task.clone()));
    assert!(rejection(&request).contains("known_values (or speakers) is required"));

    let by_name = SpeakerIdentificationRequest::new(SpeakerType::Name);
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(by_name));
    assert!(request.validate().is_ok());
}

#[test]
fn speaker_identification_value_over_35_characters_is_rejected() {
    let mut request = request();
    let mut task = SpeakerIdentificationRequest::new(SpeakerType::Role);
    task.known_values = Some(vec!["Host".into(), "é".repeat(36)]);
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(task.clone()));
    assert!(rejection(&request).contains("must be 1 to 35 characters each, got 36"));
    task.known_values = Some(vec!["é".repeat(35)]);
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(task));
    assert!(request.validate().is_ok());
}

#[test]
fn unknown_speech_understanding_task_is_sent_unchecked() {
    let mut request = request();
    let mut tasks = SpeechUnderstandingTasks::new();
    tasks
        .extra
        .insert("chaptering".into(), serde_json::json!({"style": 1}));
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(tasks));
    assert!(request.validate().is_ok());
}

#[test]
fn speech_understanding_without_any_task_is_rejected() {
    let mut request = request();
    request.speech_understanding = Some(SpeechUnderstandingRequest::default());
    assert!(rejection(&request).contains("must name at least one task"));
}

#[test]
fn every_task_of_a_request_is_checked_not_only_the_first() {
    let mut request = request();
    let mut tasks =
        SpeechUnderstandingTasks::from(SummarizationRequest::new(SummaryStyle::Bullets));
    tasks.translation = Some(TranslationRequest::new(Vec::<String>::new()));
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(tasks.clone()));
    assert!(rejection(&request).contains("translation.target_languages"));
    tasks.translation = Some(TranslationRequest::new(["es"]));
    tasks.summarization = Some(SummarizationRequest::new(
        SummaryStyle::Other(String::new()),
    ));
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(tasks));
    assert!(rejection(&request).contains("summarization.summary_type is required"));
}

#[test]
fn extra_parameters_are_not_checked() {
    let mut request = request();
    request
        .extra
        .insert("temperature_v2".into(), serde_json::json!(7));
    assert!(request.validate().is_ok());
}
