//! The data types against the examples published in AssemblyAI's OpenAPI
//! spec (tests/fixtures/, extracted from openapi.json) and against the
//! looser JSON the live API sends.

use assemblyai::{
    AudioIntelligenceModelStatus, EntityType, LanguageCode, PageDetails, ParagraphsResponse,
    PiiPolicy, RedactedAudioResponse, RedactedAudioStatus, SentencesResponse, SpeechModel,
    SubstitutionPolicy, Transcript, TranscriptList, TranscriptReadyNotification, TranscriptRequest,
    TranscriptStatus, UploadedFile, WebhookNotification, WordSearchResponse,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn parse<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The JSON with `null` members dropped and every number as f64, so that a
/// re-serialized value compares equal to what the server sent.
fn normalized(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalized).collect()),
        Value::Number(n) => json!(n.as_f64().unwrap()),
        other => other,
    }
}

#[test]
fn transcript_example_parses_with_its_values() {
    let t: Transcript = parse("transcript.json");
    assert_eq!(t.id, "9ea68fd3-f953-42c1-9742-976c447fb463");
    assert_eq!(t.status, TranscriptStatus::Completed);
    assert_eq!(t.language_code, Some(LanguageCode::EnUs));
    assert_eq!(t.audio_duration, Some(281));
    assert_eq!(t.speakers_expected, Some(2));
    assert_eq!(t.webhook_status_code, Some(200));
    assert!(
        t.text
            .as_deref()
            .unwrap()
            .starts_with("Smoke from hundreds of wildfires")
    );

    let words = t.words.as_ref().unwrap();
    assert_eq!(words.len(), 15);
    assert_eq!(
        (words[0].text.as_str(), words[0].start, words[0].end),
        ("Smoke", 250, 650)
    );
    assert_eq!(words[0].confidence, 0.97465);
    assert_eq!(words[0].speaker, None);
    assert_eq!(words[14].text, "US.");

    let utterances = t.utterances.as_ref().unwrap();
    assert_eq!(utterances.len(), 1);
    assert_eq!(utterances[0].speaker, "A");
    assert_eq!(utterances[0].words[0].speaker.as_deref(), Some("A"));

    let highlights = t.auto_highlights_result.as_ref().unwrap();
    assert_eq!(highlights.status, AudioIntelligenceModelStatus::Success);
    assert_eq!(highlights.results.len(), 15);
    assert_eq!(highlights.results[0].text, "air quality alerts");
    assert_eq!(highlights.results[0].timestamps[0].start, 3978);

    let safety = t.content_safety_labels.as_ref().unwrap();
    assert_eq!(safety.results[0].labels[0].label, "disasters");
    assert_eq!(safety.results[0].timestamp.end, 28840);
    // serde_json without `float_roundtrip` may be one ulp off, hence no `==`.
    assert!((safety.summary["health_issues"] - 0.9216489289040967).abs() < 1e-12);
    assert_eq!(safety.severity_score_summary["disasters"].high, 0.0);

    let topics = t.iab_categories_result.as_ref().unwrap();
    assert_eq!(topics.summary.len(), 20);
    assert_eq!(topics.summary["NewsAndPolitics>Weather"], 1.0);
    assert_eq!(topics.results[0].labels.as_ref().unwrap().len(), 10);

    let entities = t.entities.as_ref().unwrap();
    assert_eq!(entities.len(), 12);
    assert_eq!(entities[0].entity_type, EntityType::Location);
    assert_eq!(entities[0].text, "Canada");

    assert_eq!(
        t.redact_pii_policies,
        Some(vec![
            PiiPolicy::UsSocialSecurityNumber,
            PiiPolicy::CreditCardNumber
        ])
    );
    assert_eq!(t.redact_pii_sub, Some(SubstitutionPolicy::Hash));
    assert_eq!(t.sentiment_analysis_results, None);
    #[allow(deprecated)] // the example still carries the deprecated fields
    {
        assert_eq!(t.acoustic_model.as_deref(), Some("assemblyai_default"));
        assert_eq!(t.speech_model, None);
    }
}

#[test]
fn transcript_example_reserializes_to_the_same_json() {
    // Any property not modelled would be dropped here and make this fail.
    let original: Value = serde_json::from_str(&fixture("transcript.json")).unwrap();
    let transcript: Transcript = serde_json::from_value(original.clone()).unwrap();
    let again = serde_json::to_value(&transcript).unwrap();
    assert_eq!(normalized(again), normalized(original));
}

#[test]
fn deleted_transcript_example_parses_despite_nulls_and_unlisted_keys() {
    let t: Transcript = parse("transcript_deleted.json");
    assert_eq!(t.id, "47b95ba5-8889-44d8-bc80-5de38306e582");
    assert_eq!(t.status, TranscriptStatus::Completed);
    assert_eq!(t.text.as_deref(), Some("Deleted by user."));
    assert_eq!(t.audio_url.as_deref(), Some("http://deleted_by_user"));
    assert_eq!(t.audio_duration, Some(390));
    assert_eq!(t.words, None);
    assert_eq!(t.language_code, None);
    assert_eq!(t.redact_pii_sub, None);
}

#[test]
fn transcript_list_example_parses() {
    let list: TranscriptList = parse("transcript_list.json");
    let PageDetails {
        limit,
        result_count,
        prev_url,
        next_url,
        ..
    } = &list.page_details;
    assert_eq!((*limit, *result_count), (3, 3));
    assert!(
        prev_url
            .as_deref()
            .unwrap()
            .ends_with("before_id=28a73d01-98db-41dd-9e98-2533ba0af117")
    );
    assert!(next_url.as_deref().unwrap().contains("after_id="));
    assert_eq!(list.transcripts.len(), 3);
    let failed = &list.transcripts[1];
    assert_eq!(failed.status, TranscriptStatus::Error);
    assert_eq!(failed.completed, None);
    assert!(
        failed
            .error
            .as_deref()
            .unwrap()
            .starts_with("Download error")
    );
    assert_eq!(list.transcripts[0].created, "2024-03-11T21:29:59.936851");
}

#[test]
fn sentences_example_parses() {
    let response: SentencesResponse = parse("sentences.json");
    assert_eq!(response.id, "d5a3d302-066e-43fb-b63b-8f57baf185db");
    assert_eq!(response.audio_duration, 281.0);
    assert_eq!(response.sentences.len(), 2);
    assert_eq!(response.sentences[0].words.len(), 4);
    assert_eq!(response.sentences[1].start, 6500);
    assert_eq!(response.sentences[0].speaker, None);
}

#[test]
fn paragraphs_example_parses() {
    let response: ParagraphsResponse = parse("paragraphs.json");
    assert_eq!(response.paragraphs.len(), 2);
    assert_eq!(response.paragraphs[1].start, 27850);
    assert_eq!(response.paragraphs[0].words[0].text, "Smoke");
}

#[test]
fn word_search_example_parses() {
    let response: WordSearchResponse = parse("word_search.json");
    assert_eq!(response.total_count, 10);
    assert_eq!(response.matches.len(), 2);
    let smoke = &response.matches[0];
    assert_eq!((smoke.text.as_str(), smoke.count), ("smoke", 6));
    assert_eq!(smoke.timestamps[0], [250, 650]);
    assert_eq!(smoke.indexes, [0, 136, 156, 486, 652, 698]);
}

#[test]
fn redacted_audio_and_upload_examples_parse() {
    let redacted: RedactedAudioResponse = parse("redacted_audio.json");
    assert_eq!(redacted.status, RedactedAudioStatus::RedactedAudioReady);
    assert!(
        redacted
            .redacted_audio_url
            .starts_with("https://s3.us-west-2.amazonaws.com/")
    );
    let uploaded: UploadedFile = parse("uploaded_file.json");
    assert_eq!(
        uploaded.upload_url,
        "https://cdn.assemblyai.com/upload/f756988d-47e2-4ca3-96ce-04bb168f8f2a"
    );
}

#[test]
fn webhook_example_parses() {
    let ready: TranscriptReadyNotification = parse("transcript_ready_notification.json");
    assert_eq!(ready.status, TranscriptStatus::Completed);
    let any: WebhookNotification = parse("transcript_ready_notification.json");
    assert!(matches!(any, WebhookNotification::TranscriptReady(r) if r == ready));
}

#[test]
fn transcript_with_unknown_values_and_nulls_parses_keeping_them() {
    let json = json!({
        "id": "x",
        "status": "archived",
        "language_code": "tlh",
        "entities": [{"entity_type": "spaceship", "text": "Enterprise", "start": 1, "end": 2}],
        "redact_pii_policies": ["person_name", "dna_sequence"],
        "speech_model_used": "universal-4",
        "words": [{"text": null, "start": null, "end": 5, "confidence": null, "speaker": null}],
        "brand_new_feature": {"nested": [1, 2, 3]},
        "speaker_count": null,
    });
    let t: Transcript = serde_json::from_value(json).unwrap();
    assert_eq!(t.status, TranscriptStatus::Other("archived".into()));
    assert_eq!(t.language_code, Some(LanguageCode::Other("tlh".into())));
    let entity = &t.entities.as_ref().unwrap()[0];
    assert_eq!(entity.entity_type, EntityType::Other("spaceship".into()));
    assert_eq!(
        t.redact_pii_policies,
        Some(vec![
            PiiPolicy::PersonName,
            PiiPolicy::Other("dna_sequence".into())
        ])
    );
    assert_eq!(t.speech_model_used, Some(SpeechModel::new("universal-4")));
    let word = &t.words.as_ref().unwrap()[0];
    assert_eq!((word.text.as_str(), word.start, word.end), ("", 0, 5));
    // Unknown values go back out unchanged.
    let again = serde_json::to_value(&t).unwrap();
    assert_eq!(again["status"], "archived");
    assert_eq!(again["entities"][0]["entity_type"], "spaceship");
}

#[test]
fn transcript_with_null_in_every_optional_field_parses() {
    let mut json: Value = serde_json::from_str(&fixture("transcript.json")).unwrap();
    for (key, value) in json.as_object_mut().unwrap() {
        if key != "id" && key != "status" {
            *value = Value::Null;
        }
    }
    let t: Transcript = serde_json::from_value(json).unwrap();
    assert_eq!(t.text, None);
    assert_eq!(t.words, None);
    assert_eq!(t.auto_highlights_result, None);
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"id": t.id, "status": "completed"})
    );
}

#[test]
fn transcript_with_only_id_and_status_parses() {
    let t: Transcript = serde_json::from_str(r#"{"id": "x", "status": "queued"}"#).unwrap();
    assert_eq!(t.id, "x");
    assert_eq!(t.status, TranscriptStatus::Queued);
    assert!(!t.status.is_terminal());
}

#[test]
fn transcript_without_id_or_status_fails() {
    let err = serde_json::from_str::<Transcript>(r#"{"status": "queued"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_str::<Transcript>(r#"{"id": "x"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `status`"), "{err}");
}

#[test]
fn new_request_serializes_to_the_url_only_leaving_the_model_to_the_account() {
    let request = TranscriptRequest::new("https://assembly.ai/wildfires.mp3");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"audio_url": "https://assembly.ai/wildfires.mp3"})
    );
}

#[test]
fn spec_request_example_round_trips_with_every_field_modelled() {
    let original: Value = serde_json::from_str(&fixture("transcript_params.json")).unwrap();
    let request: TranscriptRequest = serde_json::from_value(original.clone()).unwrap();
    assert!(
        request.extra.is_empty(),
        "not modelled: {:?}",
        request.extra.keys()
    );
    assert_eq!(
        request.webhook_auth_header_value.as_ref().unwrap().expose(),
        "webhook-secret-value"
    );
    let Some(translation) = request
        .speech_understanding
        .as_ref()
        .and_then(|su| su.request.translation.as_ref())
    else {
        panic!(
            "expected a translation task: {:?}",
            request.speech_understanding
        );
    };
    assert_eq!(translation.target_languages, ["es", "de"]);
    request.validate().unwrap();

    // The example names no model, and the request adds none.
    assert_eq!(
        normalized(serde_json::to_value(&request).unwrap()),
        normalized(original)
    );
}

#[test]
fn extra_request_parameters_are_sent() {
    let mut request = TranscriptRequest::new("https://example.com/a.mp3");
    request.extra.insert("domain".into(), json!("medical-v1"));
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(sent["domain"], "medical-v1");
    assert_eq!(sent["audio_url"], "https://example.com/a.mp3");
}

#[test]
fn webhook_auth_value_never_appears_in_debug_output() {
    let mut request: TranscriptRequest =
        serde_json::from_str(&fixture("transcript_params.json")).unwrap();
    request.webhook_auth_header_value = Some("s3cr3t-v4lue".into());
    let debug = format!("{request:?} {request:#?}");
    assert!(!debug.contains("s3cr3t-v4lue"), "{debug}");
    assert!(
        debug.contains("webhook_auth_header_value: Some(\"***\")"),
        "{debug}"
    );
}

/// A completed transcript of `words` words in utterances of 50 words, the
/// shape and roughly the size (18 MB at 100,000 words) of a long recording.
fn large_transcript_json(words: usize) -> String {
    let word = |i: usize, speaker: &str| {
        format!(
            r#"{{"text":"word{i}","start":{},"end":{},"confidence":0.9{},"speaker":"{speaker}"}}"#,
            i * 300,
            i * 300 + 250,
            i % 10
        )
    };
    let all_words: Vec<String> = (0..words).map(|i| word(i, "A")).collect();
    let utterances: Vec<String> = (0..words)
        .step_by(50)
        .map(|first| {
            let last = (first + 50).min(words);
            let speaker = if (first / 50) % 2 == 0 { "A" } else { "B" };
            let text: Vec<String> = (first..last).map(|i| format!("word{i}")).collect();
            let inner: Vec<String> = (first..last).map(|i| word(i, speaker)).collect();
            format!(
                r#"{{"text":"{}","start":{},"end":{},"confidence":0.95,"speaker":"{speaker}","words":[{}]}}"#,
                text.join(" "),
                first * 300,
                (last - 1) * 300 + 250,
                inner.join(",")
            )
        })
        .collect();
    let text: Vec<String> = (0..words).map(|i| format!("word{i}")).collect();
    format!(
        r#"{{"id":"large","status":"completed","audio_url":"https://example.com/long.mp3","text":"{}","words":[{}],"utterances":[{}],"confidence":0.93,"audio_duration":{},"speaker_labels":true}}"#,
        text.join(" "),
        all_words.join(","),
        utterances.join(","),
        words * 300 / 1000
    )
}

#[test]
fn large_transcript_with_utterances_parses() {
    let json = large_transcript_json(100_000);
    let t: Transcript = serde_json::from_str(&json).unwrap();
    let words = t.words.as_ref().unwrap();
    assert_eq!(words.len(), 100_000);
    assert_eq!(words[99_999].text, "word99999");
    assert_eq!(words[99_999].start, 99_999 * 300);
    let utterances = t.utterances.as_ref().unwrap();
    assert_eq!(utterances.len(), 2000);
    assert_eq!(utterances[1].speaker, "B");
    assert_eq!(
        utterances.iter().map(|u| u.words.len()).sum::<usize>(),
        100_000
    );
    assert_eq!(t.audio_duration, Some(30_000));
}
