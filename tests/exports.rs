//! Exports (subtitles, sentences, paragraphs, word search, redacted audio), listing and deleting.

mod common;
mod support;

use std::collections::HashSet;

use assemblyai::{Error, ListQuery, SubtitleFormat, TranscriptRequest, TranscriptStatus};
use serde_json::json;
use support::{FakeApi, Script};

use common::{UNKNOWN_ID, client};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

/// A completed transcript of `words` generated words (0: the spec's example); returns its id.
fn completed(api: &FakeApi, words: usize, request: TranscriptRequest) -> String {
    let script = Script::after_polls(0, 0);
    api.push_script(match words {
        0 => script,
        n => script.with_words(n),
    });
    let client = client(api);
    let id = client.create_transcript(&request).unwrap().id;
    let done = client.get_transcript(&id).unwrap();
    assert_eq!(done.status, TranscriptStatus::Completed);
    id
}

#[test]
fn subtitles_come_as_srt_and_vtt_within_chars_per_caption() {
    let api = FakeApi::start();
    let id = completed(&api, 120, TranscriptRequest::new(AUDIO_URL));
    let client = client(&api);

    let srt = client
        .get_subtitles(&id, SubtitleFormat::Srt, Some(32))
        .unwrap();
    assert!(srt.starts_with("1\n00:00:00,250 --> 00:00:"), "{srt}");
    let captions: Vec<&str> = srt
        .split("\n\n")
        .filter_map(|cue| cue.lines().nth(2))
        .collect();
    assert!(captions.len() > 10);
    assert!(captions.iter().all(|line| line.chars().count() <= 32));
    let vtt = client
        .get_subtitles(&id, SubtitleFormat::Vtt, None)
        .unwrap();
    assert!(vtt.starts_with("WEBVTT\n\n00:00.250 --> "), "{vtt}");

    let requests = api.requests_to("GET", &format!("/v2/transcript/{id}/"));
    assert_eq!(requests[0].path, format!("/v2/transcript/{id}/srt"));
    assert_eq!(requests[0].raw_query, "chars_per_caption=32");
    assert_eq!(requests[1].path, format!("/v2/transcript/{id}/vtt"));
    assert_eq!(requests[1].raw_query, "");
}

#[test]
fn a_zero_chars_per_caption_is_refused_without_a_request() {
    let api = FakeApi::start();
    let err = client(&api)
        .get_subtitles(UNKNOWN_ID, SubtitleFormat::Srt, Some(0))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn sentences_and_paragraphs_cover_the_text() {
    let api = FakeApi::start();
    let id = completed(&api, 200, TranscriptRequest::new(AUDIO_URL));
    let client = client(&api);
    let text = client.get_transcript(&id).unwrap().text.unwrap();

    let sentences = client.get_sentences(&id).unwrap();
    assert_eq!(sentences.id, id);
    assert!(sentences.sentences.len() > 5);
    let joined: Vec<&str> = sentences.sentences.iter().map(|s| &*s.text).collect();
    assert_eq!(joined.join(" "), text);
    assert!(sentences.sentences.iter().all(|s| !s.words.is_empty()));

    let paragraphs = client.get_paragraphs(&id).unwrap();
    assert_eq!(paragraphs.id, id);
    assert!(paragraphs.paragraphs.len() < sentences.sentences.len());
    let joined: Vec<&str> = paragraphs.paragraphs.iter().map(|p| &*p.text).collect();
    assert_eq!(joined.join(" "), text);
}

#[test]
fn word_search_sends_terms_comma_separated_with_encoded_spaces() {
    let api = FakeApi::start();
    let id = completed(&api, 0, TranscriptRequest::new(AUDIO_URL));
    let found = client(&api)
        .word_search(&id, &["smoke", "air quality", "nowhere to be found"])
        .unwrap();

    let request = api.requests_to("GET", &format!("/v2/transcript/{id}/word-search"));
    assert_eq!(
        request[0].raw_query,
        "words=smoke,air%20quality,nowhere%20to%20be%20found"
    );
    assert_eq!(found.id, id);
    let texts: Vec<&str> = found.matches.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["smoke", "air quality"]);
    let counted: i64 = found.matches.iter().map(|m| m.count).sum();
    assert_eq!(found.total_count, counted);
    for hit in &found.matches {
        assert_eq!(hit.indexes.len() as i64, hit.count);
        assert_eq!(hit.timestamps.len() as i64, hit.count);
        assert!(hit.timestamps.iter().all(|[start, end]| start < end));
    }
}

#[test]
fn word_search_refuses_terms_the_api_cannot_take() {
    let api = FakeApi::start();
    let client = client(&api);
    let empty: [&str; 0] = [];
    for words in [
        &empty[..],
        &["a,b"],
        &["  "],
        &["one two three four five six"],
    ] {
        let result = client.word_search(UNKNOWN_ID, words);
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{words:?}"
        );
    }
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn redacted_audio_is_none_while_processing_then_downloads_without_the_key() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0).redacted_audio_after(1));
    let client = client(&api);
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.redact_pii = Some(true);
    request.redact_pii_audio = Some(true);
    let id = client.create_transcript(&request).unwrap().id;
    client.get_transcript(&id).unwrap();

    assert_eq!(
        client.get_redacted_audio(&id).unwrap(),
        None,
        "202: not yet"
    );
    let ready = client.get_redacted_audio(&id).unwrap().expect("ready");
    assert_eq!(ready.status.as_str(), "redacted_audio_ready");
    let mut file = Vec::new();
    let size = client.download_redacted_audio(&ready, &mut file).unwrap();

    assert_eq!(file, support::redacted_audio(&id));
    assert_eq!(size, file.len() as u64);
    let download = &api.requests_to("GET", "/redacted/")[0];
    assert_eq!(download.header("authorization"), None, "the key stays home");
    assert_eq!(
        api.count("GET", &format!("/v2/transcript/{id}/redacted-audio")),
        2
    );
}

#[test]
fn redacted_audio_of_an_unredacted_transcript_is_an_api_error() {
    let api = FakeApi::start();
    let id = completed(&api, 20, TranscriptRequest::new(AUDIO_URL));
    let err = client(&api).get_redacted_audio(&id).unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("redact_pii_audio"), "{err}");
    assert_eq!(err.transcript_id(), Some(id.as_str()));
}

#[test]
fn delete_scrubs_the_transcript() {
    let api = FakeApi::start();
    let id = completed(&api, 20, TranscriptRequest::new(AUDIO_URL));
    let client = client(&api);
    let deleted = client.delete_transcript(&id).unwrap();

    assert_eq!(deleted.id, id);
    assert_eq!(deleted.text.as_deref(), Some("Deleted by user."));
    assert_eq!(deleted.audio_url.as_deref(), Some("http://deleted_by_user"));
    assert_eq!(deleted.words, None);
    assert_eq!(api.count("DELETE", &format!("/v2/transcript/{id}")), 1);
    assert_eq!(client.get_transcript(&id).unwrap(), deleted);
}

#[test]
fn deleting_a_running_transcript_is_the_apis_400() {
    let api = FakeApi::start();
    api.push_script(Script::never());
    let client = client(&api);
    let id = client
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap()
        .id;
    let err = client.delete_transcript(&id).unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.transcript_id(), Some(id.as_str()));
    assert_eq!(
        api.count("DELETE", "/v2/transcript/"),
        1,
        "a 400 is not retried"
    );
}

/// Inserts `n` finished transcripts, oldest first; returns their ids in that order.
fn insert(api: &FakeApi, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let status = if i % 5 == 4 { "error" } else { "completed" };
            api.insert_transcript(json!({ "status": status }))
        })
        .collect()
}

#[test]
fn list_transcripts_returns_one_page_newest_first() {
    let api = FakeApi::start();
    let ids = insert(&api, 7);
    let mut query = ListQuery::default();
    query.limit = Some(5);
    let page = client(&api).list_transcripts(&query).unwrap();

    let listed: Vec<&str> = page.transcripts.iter().map(|t| t.id.as_str()).collect();
    let newest: Vec<&str> = ids.iter().rev().take(5).map(String::as_str).collect();
    assert_eq!(listed, newest);
    assert_eq!(page.page_details.result_count, 5);
    assert!(page.page_details.prev_url.is_some(), "older ones remain");
    assert_eq!(page.page_details.next_url, None);
    assert_eq!(api.requests()[0].raw_query, "limit=5");
    let item = &page.transcripts[0];
    assert_eq!(item.audio_url, AUDIO_URL);
    assert!(item.resource_url.ends_with(&item.id));
}

#[test]
fn list_filters_by_status() {
    let api = FakeApi::start();
    let ids = insert(&api, 10);
    let mut query = ListQuery::default();
    query.status = Some(TranscriptStatus::Error);
    let page = client(&api).list_transcripts(&query).unwrap();
    let listed: Vec<&str> = page.transcripts.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(listed, [ids[9].as_str(), ids[4].as_str()]);
    assert_eq!(api.requests()[0].raw_query, "status=error");
}

#[test]
fn list_all_walks_every_page_newest_to_oldest_without_duplicates() {
    let api = FakeApi::start();
    let ids = insert(&api, 25);
    let mut query = ListQuery::default();
    query.limit = Some(10);
    let listed: Vec<String> = client(&api)
        .list_all_transcripts(&query)
        .map(|item| item.unwrap().id)
        .collect();

    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first);
    assert_eq!(listed.iter().collect::<HashSet<_>>().len(), 25);
    let pages = api.requests_to("GET", "/v2/transcript");
    assert_eq!(pages.len(), 3, "25 transcripts in pages of 10");
    assert_eq!(pages[0].query_param("before_id"), None);
    assert_eq!(pages[1].query_param("before_id"), Some(ids[15].as_str()));
    assert_eq!(pages[2].query_param("before_id"), Some(ids[5].as_str()));
}

#[test]
fn list_all_yields_an_error_once_then_ends() {
    let api = FakeApi::start();
    insert(&api, 3);
    api.inject(
        support::Fault::status(401)
            .on("GET", "/v2/transcript")
            .times(5),
    );
    let mut all = client(&api).list_all_transcripts(&ListQuery::default());
    let first = all.next().expect("an error");
    assert_eq!(first.unwrap_err().status(), Some(401));
    assert!(all.next().is_none());
}

#[test]
fn a_transcript_downloads_as_the_exact_json_the_server_sent() {
    let api = FakeApi::start();
    let id = completed(&api, 2_000, TranscriptRequest::new(AUDIO_URL));
    let client = client(&api);
    let served = serde_json::to_vec(&api.transcripts()[0]).unwrap();

    let mut out = Vec::new();
    let written = client.download_transcript_json(&id, &mut out).unwrap();

    assert_eq!(written, out.len() as u64);
    let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        parsed,
        serde_json::from_slice::<serde_json::Value>(&served).unwrap()
    );
    let typed: assemblyai::Transcript = serde_json::from_slice(&out).unwrap();
    assert_eq!(typed.words.unwrap().len(), 2_000);
}

#[test]
fn a_transcript_download_refuses_what_is_not_one_json_object() {
    use support::Fault;
    let api = FakeApi::start();
    let id = completed(&api, 0, TranscriptRequest::new(AUDIO_URL));
    let client = client(&api);
    let path = format!("/v2/transcript/{id}");
    let replies: [&[u8]; 3] = [
        b"<html><body>502</body></html>",
        b"",
        br#"{"id": "abc", "sta"#,
    ];
    for body in replies {
        api.inject(
            Fault::Body {
                status: 200,
                content_type: "application/json".into(),
                body: body.to_vec(),
            }
            .on("GET", &path),
        );

        let error = client
            .download_transcript_json(&id, &mut Vec::new())
            .unwrap_err();

        assert!(matches!(error, Error::InvalidResponse { .. }), "{error:?}");
        assert_eq!(error.transcript_id(), Some(id.as_str()));
        assert!(
            error.to_string().contains("expected a JSON object"),
            "{error}"
        );
    }
}

#[test]
fn walking_every_page_refuses_after_id_without_a_request() {
    let api = FakeApi::start();
    let mut query = ListQuery::default();
    query.after_id = Some(UNKNOWN_ID.to_owned());

    let mut all = client(&api).list_all_transcripts(&query);

    assert!(matches!(all.next(), Some(Err(Error::InvalidInput { .. }))));
    assert!(all.next().is_none());
    assert!(api.requests().is_empty());
}

#[test]
fn an_expired_redacted_audio_link_is_a_clear_error_naming_the_host() {
    let api = FakeApi::start();
    let gone: assemblyai::RedactedAudioResponse = serde_json::from_value(json!({
        "status": "redacted_audio_ready",
        "redacted_audio_url": format!("{}/expired/nothing-here.mp3", api.base_url()),
    }))
    .unwrap();

    let err = client(&api)
        .download_redacted_audio(&gone, &mut Vec::new())
        .unwrap_err();

    assert_eq!(err.status(), Some(404));
    let message = err.to_string();
    assert!(message.contains("probably expired"), "{message}");
    assert!(
        message.contains("127.0.0.1"),
        "names the storage host: {message}"
    );
}

#[test]
fn waiting_for_redacted_audio_outlasts_a_burst_of_server_errors() {
    use support::Fault;
    let api = FakeApi::start();
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.redact_pii = Some(true);
    request.redact_pii_audio = Some(true);
    request.redact_pii_policies = Some(vec![assemblyai::PiiPolicy::PersonName]);
    let id = completed(&api, 0, request);
    let path = format!("/v2/transcript/{id}/redacted-audio");
    api.inject(Fault::status(500).on("GET", &path).times(8));
    let client = common::builder(&api)
        .retry(assemblyai::RetryPolicy::none())
        .build()
        .unwrap();

    let ready = client
        .wait_for_redacted_audio(&id, &common::fast_wait())
        .unwrap();

    assert!(
        ready
            .redacted_audio_url
            .ends_with(&format!("/redacted/{id}.mp3"))
    );
    assert_eq!(
        api.count("GET", &path),
        9,
        "eight failures, then the answer"
    );
}

#[test]
fn waiting_for_redacted_audio_asked_too_early_waits_for_the_transcript_to_complete() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(2, 2));
    let client = client(&api);
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.redact_pii = Some(true);
    request.redact_pii_audio = Some(true);
    request.redact_pii_policies = Some(vec![assemblyai::PiiPolicy::PersonName]);
    let id = client.create_transcript(&request).unwrap().id;

    let ready = client
        .wait_for_redacted_audio(&id, &common::fast_wait())
        .unwrap();

    assert!(
        ready
            .redacted_audio_url
            .ends_with(&format!("/redacted/{id}.mp3"))
    );
    let path = format!("/v2/transcript/{id}/redacted-audio");
    assert_eq!(
        api.count("GET", &path),
        2,
        "asked, told it is not completed, asked again once it was"
    );
    assert!(api.count("GET", &format!("/v2/transcript/{id}")) >= 3);
}
