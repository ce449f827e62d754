//! Replies shaped like the live API's, 2020 to 2026 (tests/fixtures/live/): what the spec
//! does not say but the service sends. Each class of oddity has its test; every fixture must
//! parse, keep its id, status and text, and lose nothing but the fields that don't fit.

mod common;
mod live_fixtures;
mod support;

use std::collections::BTreeMap;

use assemblyai::{
    AudioIntelligenceModelStatus, EntityType, Error, LanguageCode, ListQuery, ParagraphsResponse,
    PiiPolicy, RedactedAudioResponse, RedactedAudioStatus, RemoveAudioTags, SentencesResponse,
    Sentiment, SpeechModel, Transcript, TranscriptList, TranscriptStatus, UploadedFile,
    WordSearchResponse,
};
use live_fixtures::{fixture, serving, value};
use serde_json::Value;
use support::{FakeApi, Fault};

const TRANSCRIPTS: [&str; 5] = [
    "transcript_2020.json",
    "transcript_2021_queued.json",
    "transcript_2022.json",
    "transcript_2024.json",
    "transcript_2026.json",
];

fn parse<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

#[test]
fn every_recorded_transcript_parses_with_its_id_status_and_text() {
    for name in TRANSCRIPTS {
        let json = value(name);
        let transcript: Transcript = parse(name);
        assert_eq!(transcript.id, json["id"].as_str().unwrap(), "{name}");
        assert_eq!(
            transcript.status.as_str(),
            json["status"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(transcript.text.as_deref(), json["text"].as_str(), "{name}");
        if let Some(words) = json["words"].as_array() {
            assert_eq!(transcript.words.unwrap().len(), words.len(), "{name}");
        }
    }
}

#[test]
fn booleans_echoed_as_strings_are_read_as_booleans() {
    let old: Transcript = parse("transcript_2020.json");
    assert_eq!(old.sentiment_analysis, Some(true));
    assert_eq!(old.punctuate, Some(true));
    assert_eq!(old.speaker_labels, Some(false));

    let queued: Transcript = parse("transcript_2021_queued.json");
    assert_eq!(queued.content_safety, Some(true));
    assert_eq!(queued.entity_detection, Some(true), "\"True\"");
    assert_eq!(queued.iab_categories, Some(true));

    let new: Transcript = parse("transcript_2026.json");
    assert_eq!(new.webhook_auth, Some(false));
    let options = new.language_detection_options.unwrap();
    assert_eq!(options.code_switching, Some(true));
    assert_eq!(options.code_switching_confidence_threshold, Some(0.3));
}

#[test]
fn floats_for_integers_are_rounded_and_integers_for_floats_widened() {
    let old: Transcript = parse("transcript_2020.json");
    assert_eq!(old.audio_duration, Some(36), "36.288 s");
    let words = old.words.unwrap();
    assert_eq!(words[0].confidence, 1.0, "confidence 1");
    assert_eq!(words[1].end, 750, "750.0");

    let new: Transcript = parse("transcript_2026.json");
    assert_eq!(new.audio_duration, Some(36), "36.0");
    assert_eq!(new.confidence, Some(1.0));
    assert_eq!(new.temperature, Some(0.0));

    let mid: Transcript = parse("transcript_2022.json");
    assert_eq!(mid.speakers_expected, Some(2), "\"2\"");
    assert_eq!(mid.webhook_status_code, Some(200), "\"200\"");
    let entities = mid.entities.unwrap();
    assert_eq!(entities[2].start, 6020, "\"6020\"");
    let highlights = mid.auto_highlights_result.unwrap().results;
    assert_eq!((highlights[1].count, highlights[1].rank), (1, 0.07));
}

#[test]
fn enum_values_outside_the_spec_are_kept_as_other() {
    let mid: Transcript = parse("transcript_2022.json");
    #[allow(deprecated)] // the deprecated echo is what carries the value
    let language_model = mid.language_model.clone();
    assert_eq!(language_model.as_deref(), Some("assemblyai_media"));
    let entities = mid.entities.as_ref().unwrap();
    // location_state was outside the March 2026 spec; the 2026 list has it.
    assert_eq!(entities[0].entity_type, EntityType::LocationState);
    assert_eq!(entities[1].entity_type, EntityType::Location);
    let sentiments = mid.sentiment_analysis_results.unwrap();
    assert_eq!(sentiments[0].sentiment, Sentiment::Negative);
    assert_eq!(sentiments[1].sentiment, Sentiment::Other("MIXED".into()));

    let pii: Transcript = parse("transcript_2024.json");
    assert_eq!(
        pii.redact_pii_policies.unwrap(),
        [
            PiiPolicy::PersonName,
            PiiPolicy::MedicalProcess,
            PiiPolicy::Other("person_title".into())
        ]
    );
    let new: Transcript = parse("transcript_2026.json");
    assert_eq!(
        new.remove_audio_tags,
        Some(RemoveAudioTags::Other("none".into()))
    );
}

#[test]
fn empty_result_objects_while_queued_read_as_no_result() {
    let queued: Transcript = parse("transcript_2021_queued.json");
    assert_eq!(queued.status, TranscriptStatus::Queued);
    assert_eq!(queued.auto_highlights_result, None);
    assert_eq!(queued.content_safety_labels, None);
    assert_eq!(queued.iab_categories_result, None);
    assert_eq!(queued.text, None);
    assert_eq!(queued.words, None);
}

#[test]
fn nulls_in_fields_typed_as_strings_or_numbers_read_as_absent() {
    let pii: Transcript = parse("transcript_2024.json");
    assert_eq!(pii.error, None);
    assert_eq!(pii.webhook_auth_header_name, None);
    assert_eq!(pii.redact_pii_audio_quality, None);
    let words = pii.words.unwrap();
    assert_eq!(words[0].speaker, None);
    assert_eq!(words[0].channel, None);
    assert_eq!(words[6].confidence, 0.0, "a required number sent as null");

    let sentences: SentencesResponse = parse("sentences_2021.json");
    assert_eq!(sentences.sentences[1].text, "");
    assert!(sentences.sentences[1].words.is_empty());
}

#[test]
fn fields_the_spec_requires_may_be_missing() {
    let pii: Transcript = parse("transcript_2024.json");
    #[allow(deprecated)] // the deprecated field is among those left out
    let speech_model = pii.speech_model.clone();
    assert_eq!(speech_model, None);
    assert_eq!(pii.language_confidence, None);
    assert_eq!(pii.speech_model_used, None);
    let words = pii.words.unwrap();
    assert_eq!(words[2].speaker, None, "a word without a speaker key");

    let mid: Transcript = parse("transcript_2022.json");
    let utterances = mid.utterances.unwrap();
    assert_eq!(utterances[1].words[1].speaker, None);
    assert_eq!(utterances[1].speaker, "B");
}

#[test]
fn chapters_with_null_start_and_end_keep_their_text() {
    let mid: Transcript = parse("transcript_2022.json");
    let chapters = mid.chapters.unwrap();
    assert_eq!(chapters.len(), 2);
    assert_eq!(chapters[1].headline, "What the air quality index means");
    assert_eq!((chapters[1].start, chapters[1].end), (0, 0));
    assert_eq!((chapters[0].start, chapters[0].end), (250, 28840));
}

#[test]
fn content_safety_without_severity_summaries_parses() {
    let mid: Transcript = parse("transcript_2022.json");
    let safety = mid.content_safety_labels.unwrap();
    assert_eq!(safety.status, AudioIntelligenceModelStatus::Success);
    assert!(safety.severity_score_summary.is_empty());
    assert_eq!(safety.summary["health_issues"], 1.0);
    let result = &safety.results[0];
    assert_eq!(result.sentences_idx_end, 1, "1.0");
    assert_eq!(result.labels[0].severity, 0.0, "null severity");

    let pii: Transcript = parse("transcript_2024.json");
    let empty = pii.content_safety_labels.unwrap();
    assert!(empty.results.is_empty() && empty.severity_score_summary.is_empty());

    let topics = mid.iab_categories_result.unwrap();
    assert_eq!(topics.summary["Science>Environment"], 0.4, "\"0.4\"");
    assert_eq!(topics.results[0].labels.as_ref().unwrap()[0].relevance, 1.0);
}

#[test]
fn old_keys_are_ignored_by_the_types() {
    // word_boost, boost_param, dual_channel, cluster_id, speaker_count: parsed around.
    for name in [
        "transcript_2020.json",
        "transcript_2021_queued.json",
        "transcript_2022.json",
    ] {
        let json = value(name);
        assert!(json.get("word_boost").is_some(), "{name} has old keys");
        let transcript: Transcript = parse(name);
        let again = serde_json::to_value(&transcript).unwrap();
        assert!(again.get("word_boost").is_none(), "{name}");
    }
}

#[test]
fn ids_that_are_not_uuids_are_accepted() {
    let old: Transcript = parse("transcript_2020.json");
    assert_eq!(old.id, "5551722-f677-48a6-9287-39c0aafd9ac1");
    let queued: Transcript = parse("transcript_2021_queued.json");
    assert_eq!(queued.id, "rqjbyk3h2v-5a71-4b0e-8c52-91d3ee46f7a0");
}

#[test]
fn required_fields_stay_required() {
    for json in [
        r#"{"status": "completed", "text": "hi"}"#,
        r#"{"id": "x", "text": "hi"}"#,
        r#"{"id": null, "status": "completed"}"#,
        r#"{"id": "x", "status": 3}"#,
    ] {
        assert!(serde_json::from_str::<Transcript>(json).is_err(), "{json}");
    }
    let numeric: Transcript = serde_json::from_str(r#"{"id": 42, "status": "done"}"#).unwrap();
    assert_eq!(numeric.id, "42");
    assert_eq!(numeric.status, TranscriptStatus::Other("done".into()));
}

#[test]
fn newer_shapes_parse_models_tasks_and_translations() {
    let new: Transcript = parse("transcript_2026.json");
    assert_eq!(
        new.speech_models.as_deref(),
        Some(
            &[
                SpeechModel::from("universal-3-pro"),
                SpeechModel::UNIVERSAL_2
            ][..]
        )
    );
    assert_eq!(
        new.speech_model_used,
        Some(SpeechModel::from("universal-3-pro"))
    );
    assert_eq!(
        new.language_codes.unwrap(),
        [LanguageCode::En, LanguageCode::Es],
        "the null is left out"
    );
    assert_eq!(
        new.keyterms_prompt.unwrap(),
        ["AssemblyAI", "3000"],
        "a number in a list of strings is its text"
    );
    let understanding = new.speech_understanding.unwrap();
    let Some(request) = understanding.request.and_then(|tasks| tasks.translation) else {
        panic!("the translation request is not read as one");
    };
    assert_eq!(request.target_languages, ["es", "de"]);
    assert_eq!(request.formal, Some(true), "\"true\"");
    let Some(response) = understanding
        .response
        .and_then(|results| results.translation)
    else {
        panic!("the translation response is not read as one");
    };
    assert_eq!(response.status.as_deref(), Some("success"));
    let texts = new.translated_texts.unwrap();
    assert_eq!(
        texts,
        BTreeMap::from([("es".to_owned(), "Hola y bienvenidos. Hola.".to_owned())])
    );
    let utterances = new.utterances.unwrap();
    assert_eq!(utterances[1].channel.as_deref(), Some("1"), "channel 1");
    assert_eq!(utterances[0].translated_texts.as_ref().unwrap().len(), 1);
}

#[test]
fn request_options_echoed_oddly_keep_what_fits() {
    let pii: Transcript = parse("transcript_2024.json");
    let spelling = pii.custom_spelling.unwrap();
    assert_eq!(spelling[0].from, ["dicarlo", "di carlo"]);
    assert_eq!(spelling[1].to, "Gettleman");
    assert!(
        spelling[1].from.is_empty(),
        "a string for a list does not fit"
    );
    assert_eq!(pii.throttled, Some(false));
    assert_eq!(pii.filter_profanity, Some(false));
    assert_eq!(pii.audio_start_from, Some(0));
}

#[test]
fn export_replies_parse_with_their_oddities() {
    let sentences: SentencesResponse = parse("sentences_2021.json");
    assert_eq!(sentences.confidence, 1.0);
    assert_eq!(sentences.audio_duration, 36.0);
    assert_eq!(sentences.sentences[0].end, 2890);
    assert_eq!(sentences.sentences[0].words[1].confidence, 0.96);

    let paragraphs: ParagraphsResponse = parse("paragraphs_2023.json");
    assert_eq!(paragraphs.paragraphs.len(), 2);
    assert_eq!(paragraphs.paragraphs[1].confidence, 0.9);
    assert_eq!(paragraphs.paragraphs[1].end, 29951, "29950.5 rounded");
    assert!(paragraphs.paragraphs[1].words.is_empty());

    let found: WordSearchResponse = parse("word_search_2022.json");
    assert_eq!(found.id, "5551722-f677-48a6-9287-39c0aafd9ac1");
    assert_eq!(found.total_count, 3);
    assert_eq!(found.matches[0].timestamps, [[1440, 1900]]);
    assert_eq!(found.matches[1].count, 2);
    assert_eq!(found.matches[1].timestamps, [[750, 1270], [5000, 0]]);
    assert_eq!(found.matches[1].indexes, [2, 11]);
}

#[test]
fn list_pages_upload_and_redacted_audio_replies_parse() {
    let page: TranscriptList = parse("list_2024.json");
    assert_eq!(page.page_details.result_count, 2);
    assert_eq!(page.page_details.next_url, None);
    assert_eq!(page.transcripts.len(), 2);
    let old = &page.transcripts[1];
    assert_eq!(old.id, "5551722-f677-48a6-9287-39c0aafd9ac1");
    assert_eq!(old.status, TranscriptStatus::Other("throttled".into()));
    assert_eq!((old.created.as_str(), old.audio_url.as_str()), ("", ""));

    let uploaded: UploadedFile = parse("upload_2020.json");
    assert!(
        uploaded
            .upload_url
            .starts_with("https://cdn.assemblyai.com/upload/")
    );

    let audio: RedactedAudioResponse = parse("redacted_audio_2023.json");
    assert_eq!(audio.status, RedactedAudioStatus::RedactedAudioReady);
    assert!(audio.redacted_audio_url.contains("X-Amz-Expires"));
}

#[test]
fn a_kept_transcript_text_is_the_server_bytes_however_odd() {
    for name in TRANSCRIPTS {
        let id = value(name)["id"].as_str().unwrap().to_owned();
        let api = serving(name, "GET", &format!("/v2/transcript/{id}"));
        let client = common::builder(&api).keep_raw_json(true).build().unwrap();
        let transcript = client.get_transcript(&id).unwrap();
        assert_eq!(transcript.id, id);
        assert_eq!(
            transcript.raw_json(),
            Some(fixture(name).as_str()),
            "{name}"
        );
    }
}

#[test]
fn exports_uploads_and_pages_with_odd_fields_parse_through_the_client() {
    const ID: &str = "5551722-f677-48a6-9287-39c0aafd9ac1";
    let path = |what: &str| format!("/v2/transcript/{ID}/{what}");

    let api = serving("sentences_2021.json", "GET", &path("sentences"));
    assert_eq!(
        common::client(&api)
            .get_sentences(ID)
            .unwrap()
            .sentences
            .len(),
        2
    );

    let api = serving("paragraphs_2023.json", "GET", &path("paragraphs"));
    let paragraphs = common::client(&api).get_paragraphs(ID).unwrap();
    assert_eq!(paragraphs.paragraphs[1].text, "Stay inside.");

    let api = serving("word_search_2022.json", "GET", &path("word-search"));
    let found = common::client(&api).word_search(ID, &["tv"]).unwrap();
    assert_eq!(found.total_count, 3);

    let api = serving("list_2024.json", "GET", "/v2/transcript");
    let page = common::client(&api)
        .list_transcripts(&ListQuery::new())
        .unwrap();
    assert_eq!(page.transcripts[1].id, ID);

    let api = serving("upload_2020.json", "POST", "/v2/upload");
    let uploaded = common::client(&api).upload(&b"RIFF"[..]).unwrap();
    assert!(uploaded.upload_url.ends_with("272d48faaf7f"));
}

#[test]
fn error_replies_keep_their_message_in_any_shape() {
    for (name, expected) in [
        (
            "error_2020.json",
            "Authentication error, API token missing/invalid",
        ),
        // Not a string: the body is shown instead, so nothing of it is lost.
        (
            "error_numeric.json",
            r#""{"error": 500, "message": "Internal Server Error"}""#,
        ),
    ] {
        let api = FakeApi::start();
        api.inject(
            Fault::Status {
                code: 400,
                body: fixture(name),
                retry_after: None,
            }
            .on("GET", "/v2/transcript"),
        );
        let err = common::client(&api)
            .list_transcripts(&ListQuery::new())
            .unwrap_err();
        let Error::Api { message, .. } = &err else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(message, expected, "{name}");
    }
}

#[test]
fn a_kept_list_page_has_its_text_and_each_entry_its_own() {
    let api = serving("list_2024.json", "GET", "/v2/transcript");
    let client = common::builder(&api).keep_raw_json(true).build().unwrap();
    let page = client.list_transcripts(&ListQuery::new()).unwrap();
    assert_eq!(page.raw_json(), Some(fixture("list_2024.json").as_str()));
    let sent = value("list_2024.json")["transcripts"].clone();
    for (item, entry) in page.transcripts.iter().zip(sent.as_array().unwrap()) {
        let kept: Value = serde_json::from_str(item.raw_json().unwrap()).unwrap();
        assert_eq!(&kept, entry);
    }
    // Without keep_raw_json nothing is kept.
    let api = serving("list_2024.json", "GET", "/v2/transcript");
    let page = common::client(&api)
        .list_transcripts(&ListQuery::new())
        .unwrap();
    assert_eq!(page.raw_json(), None);
    assert_eq!(page.transcripts[0].raw_json(), None);
}
