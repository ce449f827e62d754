//! What the client puts on the wire: authentication, headers, the create body, and the
//! requests it refuses to send at all.

mod common;
mod support;

use assemblyai::{Client, Error, ListQuery, Region, SpeechModel, TranscriptRequest};
use serde_json::json;
use support::{FakeApi, NotFoundStyle};

use common::{UNKNOWN_ID, client};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

#[test]
fn every_request_carries_the_raw_key_and_a_user_agent() {
    let api = FakeApi::start();
    let client = client(&api);
    let created = client
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap();
    client.get_transcript(&created.id).unwrap();
    client.list_transcripts(&ListQuery::default()).unwrap();
    client.upload(&b"RIFF fake audio"[..]).unwrap();

    let requests = api.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        let what = format!("{} {}", request.method, request.path);
        assert_eq!(request.header("authorization"), Some(api.key()), "{what}");
        let agent = request.header("user-agent").unwrap_or_default();
        assert!(agent.starts_with("assemblyai-rust/"), "{what}: {agent:?}");
    }
}

#[test]
fn user_agent_can_be_replaced() {
    let api = FakeApi::start();
    let client = common::builder(&api)
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    client.list_transcripts(&ListQuery::default()).unwrap();
    assert_eq!(api.requests()[0].header("user-agent"), Some("my-app/2.0"));
}

#[test]
fn create_sends_no_speech_model_unless_one_was_chosen() {
    let api = FakeApi::start();
    let created = client(&api)
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap();

    let request = &api.requests_to("POST", "/v2/transcript")[0];
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({"audio_url": AUDIO_URL}));
    assert_eq!(created.status.as_str(), "queued");
    assert_eq!(created.audio_url.as_deref(), Some(AUDIO_URL));
}

#[test]
fn create_sends_the_fields_that_are_set_and_extra_parameters() {
    let api = FakeApi::start();
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.speaker_labels = Some(true);
    request.speakers_expected = Some(2);
    request.punctuate = Some(false);
    request.keyterms_prompt = Some(vec!["wildfire smoke".into()]);
    request.speech_models = Some(vec![SpeechModel::UNIVERSAL_2]);
    request
        .extra
        .insert("new_option".into(), json!({"level": 3}));
    let created = client(&api).create_transcript(&request).unwrap();

    let body = api.requests_to("POST", "/v2/transcript")[0].json();
    assert_eq!(
        body,
        json!({
            "audio_url": AUDIO_URL,
            "speech_models": ["universal-2"],
            "speaker_labels": true,
            "speakers_expected": 2,
            "punctuate": false,
            "keyterms_prompt": ["wildfire smoke"],
            "new_option": {"level": 3},
        })
    );
    assert_eq!(created.speaker_labels, Some(true));
    assert_eq!(created.speakers_expected, Some(2));
}

#[test]
fn invalid_requests_are_refused_before_anything_is_sent() {
    let api = FakeApi::start();
    let client = client(&api);
    let mut out_of_range = TranscriptRequest::new(AUDIO_URL);
    out_of_range.temperature = Some(1.5);
    let mut no_models = TranscriptRequest::new(AUDIO_URL);
    no_models.speech_models = Some(Vec::new());
    let mut retired = TranscriptRequest::new(AUDIO_URL);
    retired.speech_models = Some(vec!["universal-3-pro".into(), SpeechModel::UNIVERSAL_2]);

    for (request, field) in [
        (TranscriptRequest::new(" "), "audio_url"),
        (out_of_range, "temperature"),
        (no_models, "speech_models"),
        (retired, "universal-3-pro"),
    ] {
        match client.create_transcript(&request) {
            Err(Error::InvalidInput { message }) => assert!(message.contains(field), "{message}"),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
    }
    let mut bad_limit = ListQuery::default();
    bad_limit.limit = Some(500);
    assert!(matches!(
        client.list_transcripts(&bad_limit),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn unknown_id_gives_the_status_and_message_of_either_not_found_style() {
    for (style, status, message) in [
        (NotFoundStyle::Status404, 404, "Not found"),
        (
            NotFoundStyle::LookupError400,
            400,
            "Transcript lookup error, transcript id not found",
        ),
    ] {
        let api = FakeApi::builder().not_found(style).start();
        let err = client(&api).get_transcript(UNKNOWN_ID).unwrap_err();
        match &err {
            Error::Api {
                status: got,
                message: text,
                transcript_id,
                ..
            } => {
                assert_eq!((*got, text.as_str()), (status, message));
                assert_eq!(transcript_id.as_deref(), Some(UNKNOWN_ID));
            }
            other => panic!("expected an API error, got {other:?}"),
        }
        assert!(!err.is_retryable(), "{err}");
        assert_eq!(api.requests().len(), 1, "a 4xx is not retried");
    }
}

#[test]
fn malformed_ids_are_refused_without_a_request() {
    let api = FakeApi::start();
    let client = client(&api);
    for id in ["../x", "", "a/b", "abc?limit=1", "x y"] {
        assert!(
            matches!(client.get_transcript(id), Err(Error::InvalidInput { .. })),
            "get {id:?}"
        );
        assert!(
            matches!(
                client.delete_transcript(id),
                Err(Error::InvalidInput { .. })
            ),
            "delete {id:?}"
        );
        assert!(
            matches!(client.get_sentences(id), Err(Error::InvalidInput { .. })),
            "sentences {id:?}"
        );
    }
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn a_wrong_key_gives_401_with_the_server_message_and_is_not_retried() {
    let api = FakeApi::start();
    let client = Client::builder("not-the-right-key")
        .base_url(api.base_url())
        .build()
        .unwrap();
    let err = client.list_transcripts(&ListQuery::default()).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(
        err.to_string()
            .contains("Authentication error, API token missing/invalid"),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn regions_choose_the_base_url() {
    let eu = Client::builder("k").region(Region::Eu).build().unwrap();
    assert_eq!(eu.base_url(), "https://api.eu.assemblyai.com");
    let us = Client::builder("k").region(Region::Us).build().unwrap();
    assert_eq!(us.base_url(), "https://api.assemblyai.com");
    assert_eq!(Client::new("k").base_url(), "https://api.assemblyai.com");
}

#[test]
fn plain_http_is_refused_except_to_this_machine() {
    let remote = Client::builder("k")
        .base_url("http://api.assemblyai.com")
        .build();
    assert!(matches!(remote, Err(Error::InvalidInput { .. })));
    let local = Client::builder("k")
        .base_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    assert_eq!(local.base_url(), "http://127.0.0.1:9");
}

#[test]
fn debug_output_never_shows_the_key() {
    let key = "aai-secret-key-do-not-print-4411";
    let client = Client::builder(key)
        .user_agent("x")
        .build()
        .unwrap()
        .with_observer(|_| {});
    let shown = format!("{client:?} {:?}", Client::builder(key));
    assert!(!shown.contains(key), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

#[test]
fn an_empty_key_is_a_missing_key() {
    assert!(matches!(
        Client::builder("  ").build(),
        Err(Error::MissingApiKey)
    ));
    let api = FakeApi::start();
    let err = Client::builder("")
        .base_url(api.base_url())
        .build()
        .expect_err("no client without a key");
    assert!(matches!(err, Error::MissingApiKey));
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn a_redirect_is_not_followed_so_the_key_never_reaches_another_host() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // Where the redirect points: it must never see a request.
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    let elsewhere_port = elsewhere.local_addr().unwrap().port();
    elsewhere.set_nonblocking(true).unwrap();
    // A server answering everything with a redirect to `elsewhere`.
    let redirecting = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", redirecting.local_addr().unwrap());
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&answered);
    std::thread::spawn(move || {
        for stream in redirecting.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let reply = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{elsewhere_port}/steal\r\n\
                 Content-Length: 0\r\n\r\n"
            );
            // Counted before answering, so the client can't see the reply first.
            counter.fetch_add(1, Ordering::SeqCst);
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    let client = Client::builder("redirect-test-key")
        .base_url(base_url)
        .build()
        .unwrap();

    let error = client.get_transcript(UNKNOWN_ID).unwrap_err();

    assert_eq!(error.status(), Some(307));
    assert!(error.to_string().contains("does not follow"), "{error}");
    assert!(!error.to_string().contains("redirect-test-key"));
    assert!(answered.load(Ordering::SeqCst) >= 1);
    assert!(
        elsewhere.accept().is_err(),
        "nothing connected to the redirect target"
    );
}
