//! Contract tests of the library: every endpoint against Prism serving the
//! published spec with request validation on. No request may break the spec,
//! and every answer Prism gives, the spec's examples and random schema-valid
//! data alike, must parse.
//!
//! Skipped, saying why, when Prism or the spec is missing (`.ci/run`
//! installs Prism). Traffic stays on 127.0.0.1: nothing here follows a URL
//! from Prism's answers (they name public hosts), and webhooks go to a local
//! receiver.

mod contract_support;

use std::time::Duration;

use assemblyai::{
    AudioSource, Client, Error, ListQuery, RedactedAudioStatus, RetryPolicy, SubtitleFormat,
    TranscriptRequest, TranscriptStatus, WaitOptions, WebhookNotification,
};
use contract_support::requests::{
    custom_formatting, every_list_parameter, every_parameter, speaker_identification, translation,
    unset_properties,
};
use contract_support::{ID, KEY, Mode, Prism, TempFile, WebhookSink, prism, private_prism, raw};

/// How many times each endpoint is called against dynamic Prism, so that
/// many different random answers get parsed.
const DYNAMIC_ROUNDS: usize = 30;

fn client(prism: &Prism) -> Client {
    Client::builder(KEY)
        .base_url(prism.base_url())
        // A failure must show at once, not after backoffs.
        .retry(RetryPolicy::none())
        .build()
        .expect("a client for Prism")
}

/// Panics with what Prism logged when a call failed: a 400 from Prism means
/// the request broke the spec, an unreadable reply means a parse failure.
fn check<T>(prism: &Prism, mark: u64, what: &str, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|error| {
        panic!(
            "{what} failed against {:?} Prism: {error:?}\nrequest violations: {:#?}\nPrism's log:\n{}",
            prism.mode,
            prism.request_violations_since(mark),
            prism.log_tail_since(mark, 60)
        )
    })
}

/// Creates transcripts with `request` against both Prisms: the body, sent
/// raw, must carry no violation; the library's call must succeed and parse
/// (many random answers in dynamic mode); Prism's webhooks must reach the
/// local receiver and parse as notifications.
fn create_conforms(request_for: impl Fn(&str) -> TranscriptRequest) {
    for mode in [Mode::Static, Mode::Dynamic] {
        let Some(prism) = prism(mode) else { return };
        let mark = prism.log_mark();
        let sink = WebhookSink::start();
        let request = request_for(&sink.url());
        request
            .validate()
            .expect("the request passes the client's checks");

        let body = serde_json::to_vec(&request).unwrap();
        let reply = raw(&prism, "POST", "/v2/transcript", Some(&body));
        assert_eq!(
            reply.request_violations(),
            None,
            "{mode:?}: the request body breaks the spec:\n{}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(reply.status, 200, "{mode:?}");

        let client = client(&prism);
        let rounds = if mode == Mode::Dynamic {
            DYNAMIC_ROUNDS
        } else {
            1
        };
        for _ in 0..rounds {
            let created = check(
                &prism,
                mark,
                "create_transcript",
                client.create_transcript(&request),
            );
            assert!(!created.id.is_empty(), "{mode:?}: {created:?}");
            if mode == Mode::Static {
                assert_eq!(created.status, TranscriptStatus::Completed);
                assert!(created.text.is_some_and(|text| text.contains("wildfires")));
            }
        }

        // Each create triggers two callbacks: transcript ready, redacted audio ready.
        for _ in 0..2 {
            let body = sink
                .next_body(Duration::from_secs(30))
                .expect("Prism's webhook reaches the loopback receiver");
            let notice: Result<WebhookNotification, _> = serde_json::from_slice(&body);
            assert!(
                notice.is_ok(),
                "{mode:?}: webhook body does not parse: {notice:?}\n{}",
                String::from_utf8_lossy(&body)
            );
        }
        for body in sink.drain() {
            let notice: Result<WebhookNotification, _> = serde_json::from_slice(&body);
            assert!(
                notice.is_ok(),
                "{mode:?}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        prism.assert_no_request_violations_since(mark, "create_transcript");
    }
}

#[test]
fn create_with_every_parameter_and_translation_conforms_to_the_spec() {
    create_conforms(|hook| every_parameter(translation(), false, hook));
}

#[test]
fn create_with_every_parameter_and_speaker_identification_conforms_to_the_spec() {
    create_conforms(|hook| every_parameter(speaker_identification(), true, hook));
}

#[test]
fn create_with_every_parameter_and_custom_formatting_conforms_to_the_spec() {
    create_conforms(|hook| every_parameter(custom_formatting(), false, hook));
}

#[test]
fn the_contract_requests_together_set_every_parameter_the_spec_defines() {
    let spec_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/openapi-prism.json");
    let text = std::fs::read_to_string(&spec_path).expect("spec/ is in the repository");
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let requests = [
        every_parameter(translation(), false, "http://hook.example.com/"),
        every_parameter(speaker_identification(), true, "http://hook.example.com/"),
        every_parameter(custom_formatting(), false, "http://hook.example.com/"),
    ];
    let sent: Vec<serde_json::Value> = requests
        .iter()
        .map(|request| serde_json::to_value(request).unwrap())
        .collect();
    let mut missing = Vec::new();
    let params = &spec["components"]["schemas"]["TranscriptParams"];
    unset_properties(
        &spec,
        params,
        &sent.iter().collect::<Vec<_>>(),
        "",
        &mut missing,
    );
    assert!(
        missing.is_empty(),
        "parameters of the spec no contract request sets: {missing:?}"
    );
}

/// A small local file to upload.
fn audio_file() -> TempFile {
    TempFile::with_bytes("wav", b"RIFF\x24\x00\x00\x00WAVEfmt contract-test-audio")
}

/// Whether `start_transcript` refused an upload answer lacking a usable
/// `upload_url`: random data for `format: url` is not a URL, and the client
/// must not send it on as `audio_url`.
fn refused_upload_url(error: &Error) -> bool {
    matches!(error, Error::InvalidResponse { message, .. } if message.contains("upload_url"))
}

#[test]
fn every_endpoint_sends_spec_valid_requests_and_parses_the_spec_examples() {
    let Some(prism) = prism(Mode::Static) else {
        return;
    };
    let mark = prism.log_mark();
    let client = client(&prism);
    let file = audio_file();

    let uploaded = check(&prism, mark, "upload_file", client.upload_file(file.path()));
    assert!(
        uploaded
            .upload_url
            .starts_with("https://cdn.assemblyai.com/upload/")
    );
    let streamed = check(
        &prism,
        mark,
        "upload",
        client.upload(&b"streamed contract-test audio"[..]),
    );
    assert!(streamed.upload_url.starts_with("https://"));

    let created = check(
        &prism,
        mark,
        "create_transcript",
        client.create_transcript(&TranscriptRequest::new(uploaded.upload_url)),
    );
    assert_eq!(created.status, TranscriptStatus::Completed);

    let transcript = check(&prism, mark, "get_transcript", client.get_transcript(ID));
    assert_eq!(transcript.status, TranscriptStatus::Completed);
    assert!(!transcript.words.unwrap_or_default().is_empty());

    let deleted = check(
        &prism,
        mark,
        "delete_transcript",
        client.delete_transcript(ID),
    );
    assert!(!deleted.id.is_empty());

    let page = check(
        &prism,
        mark,
        "list_transcripts",
        client.list_transcripts(&every_list_parameter()),
    );
    assert!(!page.transcripts.is_empty());
    let plain = check(
        &prism,
        mark,
        "list",
        client.list_transcripts(&ListQuery::new()),
    );
    assert!(plain.page_details.prev_url.is_some());

    for format in [SubtitleFormat::Srt, SubtitleFormat::Vtt] {
        for chars in [None, Some(32)] {
            let subtitles = check(
                &prism,
                mark,
                "get_subtitles",
                client.get_subtitles(ID, format.clone(), chars),
            );
            assert!(subtitles.contains("-->"), "{format}: {subtitles}");
        }
    }
    let sentences = check(&prism, mark, "get_sentences", client.get_sentences(ID));
    assert!(!sentences.sentences.is_empty());
    let paragraphs = check(&prism, mark, "get_paragraphs", client.get_paragraphs(ID));
    assert!(!paragraphs.paragraphs.is_empty());
    let found = check(
        &prism,
        mark,
        "word_search",
        client.word_search(ID, &["smoke", "air quality", "Canada", "2024"]),
    );
    assert!(!found.matches.is_empty());
    // Only read: the URL names a public storage host, never fetched here.
    let redacted = check(
        &prism,
        mark,
        "get_redacted_audio",
        client.get_redacted_audio(ID),
    )
    .expect("the spec's example is ready");
    assert_eq!(redacted.status, RedactedAudioStatus::RedactedAudioReady);
    let waited = check(
        &prism,
        mark,
        "wait_for_redacted_audio",
        client.wait_for_redacted_audio(ID, &WaitOptions::default()),
    );
    assert_eq!(waited, redacted);

    // The conveniences on top: the example transcript is already completed.
    let waited = check(
        &prism,
        mark,
        "wait_for_transcript",
        client.wait_for_transcript(ID, &WaitOptions::default()),
    );
    assert_eq!(waited.status, TranscriptStatus::Completed);
    let mut request = TranscriptRequest::default();
    request.speaker_labels = Some(true);
    for source in [
        AudioSource::from(file.path()),
        AudioSource::from("https://example.com/audio.mp3"),
        AudioSource::reader(&b"streamed contract-test audio"[..]),
    ] {
        let done = check(
            &prism,
            mark,
            "transcribe",
            client.transcribe(source, &request, &WaitOptions::default()),
        );
        assert_eq!(done.status, TranscriptStatus::Completed);
    }

    prism.assert_no_request_violations_since(mark, "the library's endpoints");
}

#[test]
fn listing_every_page_ends_when_the_server_ignores_the_cursor() {
    let Some(prism) = prism(Mode::Static) else {
        return;
    };
    let mark = prism.log_mark();
    let client = client(&prism);
    // Static Prism answers the same example page whatever before_id asks
    // for, while saying an older page exists: the walk must still end.
    let first = check(
        &prism,
        mark,
        "list",
        client.list_transcripts(&ListQuery::new()),
    );
    // Bounded, so that a walk that never ends fails instead of hanging.
    let all: Vec<String> = client
        .list_all_transcripts(&ListQuery::new())
        .take(1000)
        .map(|item| check(&prism, mark, "list_all_transcripts", item).id)
        .collect();
    let expected: Vec<String> = first
        .transcripts
        .iter()
        .map(|item| item.id.clone())
        .collect();
    assert!(
        all == expected,
        "the walk gave {} transcripts, starting {:?}; the page has {}: {expected:?}",
        all.len(),
        &all[..all.len().min(6)],
        expected.len()
    );
    prism.assert_no_request_violations_since(mark, "list_all_transcripts");
}

#[test]
fn every_endpoint_parses_random_schema_valid_answers() {
    let Some(prism) = prism(Mode::Dynamic) else {
        return;
    };
    let mark = prism.log_mark();
    let client = client(&prism);
    let file = audio_file();
    let query = every_list_parameter();

    for _ in 0..DYNAMIC_ROUNDS {
        for result in [
            client.upload_file(file.path()),
            client.upload(&b"streamed contract-test audio"[..]),
        ] {
            // Any string parses; whether it is a URL matters only to
            // `start_transcript`, which checks it before using it.
            check(&prism, mark, "upload", result);
        }
        match client.start_transcript(file.path(), &TranscriptRequest::default()) {
            Ok(_) => {}
            Err(error) if refused_upload_url(&error) => {}
            Err(error) => {
                check(&prism, mark, "start_transcript", Err::<(), _>(error));
            }
        }
        let request = TranscriptRequest::new("https://example.com/audio.mp3");
        check(
            &prism,
            mark,
            "create_transcript",
            client.create_transcript(&request),
        );
        check(&prism, mark, "get_transcript", client.get_transcript(ID));
        check(
            &prism,
            mark,
            "delete_transcript",
            client.delete_transcript(ID),
        );
        check(
            &prism,
            mark,
            "list_transcripts",
            client.list_transcripts(&query),
        );
        check(
            &prism,
            mark,
            "list",
            client.list_transcripts(&ListQuery::new()),
        );
        check(
            &prism,
            mark,
            "srt",
            client.get_subtitles(ID, SubtitleFormat::Srt, Some(32)),
        );
        check(
            &prism,
            mark,
            "vtt",
            client.get_subtitles(ID, SubtitleFormat::Vtt, None),
        );
        check(&prism, mark, "get_sentences", client.get_sentences(ID));
        check(&prism, mark, "get_paragraphs", client.get_paragraphs(ID));
        check(
            &prism,
            mark,
            "word_search",
            client.word_search(ID, &["smoke", "air quality"]),
        );
        check(
            &prism,
            mark,
            "get_redacted_audio",
            client.get_redacted_audio(ID),
        );
    }
    // Random states: completed, failed, or still running at the deadline.
    let wait = WaitOptions::default().timeout(Duration::from_secs(2));
    for _ in 0..2 {
        let source = "https://example.com/audio.mp3";
        for result in [
            client.wait_for_transcript(ID, &wait),
            client.transcribe(source, &TranscriptRequest::default(), &wait),
        ] {
            match result {
                Ok(_) | Err(Error::TranscriptFailed { .. } | Error::Timeout { .. }) => {}
                Err(error) => {
                    check(&prism, mark, "wait_for_transcript", Err::<(), _>(error));
                }
            }
        }
    }
    prism.assert_no_request_violations_since(mark, "the library's endpoints, dynamic");
}

#[test]
fn a_request_breaking_the_spec_is_caught_by_these_tests() {
    // The harness itself must be able to fail: a request without
    // speech_models is rejected, logged, and reported by the raw client.
    let Some(prism) = private_prism(Mode::Static) else {
        return;
    };
    let mark = prism.log_mark();
    let reply = raw(
        &prism,
        "POST",
        "/v2/transcript",
        Some(br#"{"audio_url": "https://example.com/audio.mp3"}"#),
    );
    assert_eq!(reply.status, 400);
    let violations = reply.request_violations().expect("an sl-violations header");
    assert!(violations.contains("speech_models"), "{violations}");
    let logged = prism.request_violations_since(mark);
    assert!(
        logged.iter().any(|line| line.contains("speech_models")),
        "{logged:?}"
    );

    // Through the library, such a request is an API error with status 400.
    let mut request = TranscriptRequest::new("https://example.com/audio.mp3");
    request.extra.insert("punctuate".into(), "yes".into());
    let error = client(&prism).create_transcript(&request).unwrap_err();
    assert!(matches!(error, Error::Api { status: 400, .. }), "{error:?}");
    let logged = prism.request_violations_since(mark);
    assert!(
        logged.iter().any(|line| line.contains("punctuate")),
        "{logged:?}"
    );
}
