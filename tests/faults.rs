//! The retry policy against injected faults, for reads, deletes and uploads: bursts of 5xx,
//! 429 with Retry-After, dropped and slow connections, garbage and truncated bodies, and the
//! caller's overall deadline. Creating a transcript has its own file, `faults_create.rs`.

mod common;
mod support;

use std::io;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use assemblyai::{Client, ClientBuilder, Error, ListQuery, RetryPolicy, TranscriptRequest};
use support::{FakeApi, Fault, Script};

use common::{Seen, TempFile, builder, client, fast_retry, fast_wait, observed};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

/// A fake API with one transcript that is completed at its first GET; returns it and its id.
fn api_with_transcript() -> (FakeApi, String) {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0));
    let id = client(&api)
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap()
        .id;
    (api, id)
}

fn transcript_path(id: &str) -> String {
    format!("/v2/transcript/{id}")
}

#[test]
fn get_retries_a_burst_of_500s_then_succeeds() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::status(500).on("GET", "/v2/transcript/").times(3));
    let (client, events) = observed(&client(&api));
    let transcript = client.get_transcript(&id).unwrap();

    assert_eq!(transcript.id, id);
    assert_eq!(api.count("GET", &transcript_path(&id)), 4);
    let attempts: Vec<u32> = events
        .all()
        .iter()
        .filter_map(|seen| match seen {
            Seen::Retrying { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[test]
fn get_retries_bursts_of_502_503_and_504() {
    for code in [502, 503, 504] {
        let (api, id) = api_with_transcript();
        api.inject(Fault::status(code).on("GET", "/v2/transcript/").times(2));
        let transcript = client(&api).get_transcript(&id);
        assert!(transcript.is_ok(), "{code}: {transcript:?}");
        assert_eq!(api.count("GET", &transcript_path(&id)), 3, "{code}");
    }
}

#[test]
fn delete_is_retried_like_a_read() {
    let (api, id) = api_with_transcript();
    let client = client(&api);
    client.get_transcript(&id).unwrap();
    api.inject(Fault::status(500).on("DELETE", "/v2/transcript/"));
    api.inject(Fault::DropBeforeResponse.on("DELETE", "/v2/transcript/"));
    let deleted = client.delete_transcript(&id).unwrap();
    assert_eq!(deleted.text.as_deref(), Some("Deleted by user."));
    assert_eq!(api.count("DELETE", "/v2/transcript/"), 3);
}

/// The pause between the first two requests to `path`.
fn gap_between_first_two(api: &FakeApi, method: &str, path: &str) -> Duration {
    let requests = common::requests_exactly(api, method, path);
    assert!(requests.len() >= 2, "{} requests", requests.len());
    requests[1].at.duration_since(requests[0].at)
}

#[test]
fn too_many_requests_waits_the_retry_after_seconds() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::too_many_requests(1).on("GET", "/v2/transcript/"));
    let (client, events) = observed(&client(&api));
    client.get_transcript(&id).unwrap();

    assert_eq!(api.count("GET", &transcript_path(&id)), 2);
    let gap = gap_between_first_two(&api, "GET", &transcript_path(&id));
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
    assert_eq!(
        events.all(),
        [Seen::Retrying {
            attempt: 1,
            delay: Duration::from_secs(1)
        }]
    );
}

#[test]
fn service_unavailable_with_retry_after_is_honoured_too() {
    let api = FakeApi::start();
    let unavailable = Fault::Status {
        code: 503,
        body: "Service Unavailable".into(),
        retry_after: Some(1),
    };
    api.inject(unavailable.on("GET", "/v2/transcript"));
    client(&api)
        .list_transcripts(&ListQuery::default())
        .unwrap();
    let gap = gap_between_first_two(&api, "GET", "/v2/transcript");
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
}

#[test]
fn a_retry_after_beyond_the_policys_cap_returns_the_error_at_once() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::too_many_requests(3600).on("GET", "/v2/transcript/"));
    let started = Instant::now();
    let err = client(&api).get_transcript(&id).unwrap_err();

    match &err {
        Error::Api {
            status: 429,
            retry_after,
            ..
        } => assert_eq!(*retry_after, Some(Duration::from_secs(3600))),
        other => panic!("expected a 429, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(api.count("GET", &transcript_path(&id)), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn exhausted_attempts_give_the_last_api_error() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::status(500).on("GET", "/v2/transcript/").times(10));
    let client = builder(&api)
        .retry(fast_retry().max_attempts(3))
        .build()
        .unwrap();
    let err = client.get_transcript(&id).unwrap_err();

    match &err {
        Error::Api {
            status, message, ..
        } => assert_eq!((*status, message.as_str()), (500, "Internal Server Error")),
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.transcript_id(), Some(id.as_str()));
    assert_eq!(api.count("GET", &transcript_path(&id)), 3);
}

#[test]
fn no_retries_means_a_single_request() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::status(503).on("GET", "/v2/transcript/").times(5));
    let client = builder(&api).retry(RetryPolicy::none()).build().unwrap();
    let err = client.get_transcript(&id).unwrap_err();

    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().contains("HTML page"), "{err}");
    assert_eq!(api.count("GET", &transcript_path(&id)), 1);
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder("aai-made-up-key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retry().max_attempts(3))
        .build()
        .unwrap();
    let (client, events) = observed(&client);
    let err = client.list_transcripts(&ListQuery::default()).unwrap_err();

    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(events.all().len(), 2, "retried twice: {:?}", events.all());
}

#[test]
fn upload_file_dropped_mid_body_is_sent_again_whole() {
    let api = FakeApi::start();
    let (file, fnv) = TempFile::with_pattern("dropped.bin", 3 * 1024 * 1024 + 1);
    api.inject(
        Fault::DropDuringBody {
            after_bytes: 1 << 20,
        }
        .on("POST", "/v2/upload"),
    );
    let uploaded = client(&api).upload_file(file.path()).unwrap();

    let attempts = api.requests_to("POST", "/v2/upload");
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0].body_len, 1 << 20, "the first attempt was cut");
    let uploads = api.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!((uploads[0].len, uploads[0].fnv), (3 * 1024 * 1024 + 1, fnv));
    assert_eq!(uploads[0].url, uploaded.upload_url);
}

#[test]
fn upload_file_is_reread_after_server_errors() {
    let api = FakeApi::start();
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    let file = TempFile::with_bytes("retried.wav", &data);
    api.inject(Fault::status(502).on("POST", "/v2/upload"));
    api.inject(Fault::status(500).on("POST", "/v2/upload"));
    client(&api).upload_file(file.path()).unwrap();

    let attempts = api.requests_to("POST", "/v2/upload");
    assert_eq!(attempts.len(), 3);
    assert!(attempts.iter().all(|request| request.body == data));
    assert_eq!(api.uploads().len(), 1);
}

#[test]
fn a_stream_dropped_mid_upload_fails_once_saying_why() {
    let api = FakeApi::start();
    api.inject(
        Fault::DropDuringBody {
            after_bytes: 100_000,
        }
        .on("POST", "/v2/upload"),
    );
    let data = vec![3u8; 1024 * 1024];
    let err = client(&api).upload(io::Cursor::new(data)).unwrap_err();

    assert_eq!(api.count("POST", "/v2/upload"), 1, "a stream is sent once");
    assert!(api.uploads().is_empty());
    let message = err.to_string();
    assert!(message.contains("cannot be sent twice"), "{message}");
    assert!(err.is_retryable(), "a later, fresh attempt may work");
}

#[test]
fn a_stream_refused_by_the_server_is_not_sent_again() {
    let api = FakeApi::start();
    api.inject(Fault::status(503).on("POST", "/v2/upload"));
    let err = client(&api).upload(&b"a short stream"[..]).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().contains("cannot be sent twice"), "{err}");
    assert_eq!(api.count("POST", "/v2/upload"), 1);
}

/// A builder setter for a timeout.
type TimeoutSetter = fn(ClientBuilder, Duration) -> ClientBuilder;

#[test]
fn a_reply_slower_than_the_response_or_idle_timeout_is_retried() {
    let short = Duration::from_millis(300);
    let settings: [(&str, TimeoutSetter); 2] = [
        ("response_timeout", ClientBuilder::response_timeout),
        ("idle_timeout", ClientBuilder::idle_timeout),
    ];
    for (setting, set) in settings {
        let (api, id) = api_with_transcript();
        api.inject(Fault::Delay(Duration::from_secs(5)).on("GET", "/v2/transcript/"));
        let client = set(builder(&api), short).build().unwrap();
        let started = Instant::now();
        let transcript = client.get_transcript(&id);
        let elapsed = started.elapsed();

        assert!(transcript.is_ok(), "{setting}: {transcript:?}");
        assert_eq!(api.count("GET", &transcript_path(&id)), 2, "{setting}");
        let waited = elapsed < Duration::from_secs(4);
        assert!(
            waited,
            "{setting}: the slow reply was waited for: {elapsed:?}"
        );
    }
}

#[test]
fn connections_dropped_before_or_mid_response_are_retried() {
    for fault in [Fault::DropBeforeResponse, Fault::DropMidResponse] {
        let (api, id) = api_with_transcript();
        api.inject(fault.clone().on("GET", "/v2/transcript/").times(2));
        let transcript = client(&api).get_transcript(&id);
        assert!(transcript.is_ok(), "{fault:?}: {transcript:?}");
        assert_eq!(api.count("GET", &transcript_path(&id)), 3, "{fault:?}");
    }
}

#[test]
fn bytes_that_are_not_http_are_retried() {
    let (api, id) = api_with_transcript();
    let garbage = b"\x16\x03\x01 this is not HTTP at all\r\n\r\n".to_vec();
    api.inject(Fault::Garbage(garbage).on("GET", "/v2/transcript/"));
    assert!(client(&api).get_transcript(&id).is_ok());
    assert_eq!(api.count("GET", &transcript_path(&id)), 2);
}

/// The error of a GET answered 200 with `body` of `content_type`.
fn unreadable_200(content_type: &str, body: &[u8]) -> (Error, usize) {
    let (api, id) = api_with_transcript();
    let fault = Fault::Body {
        status: 200,
        content_type: content_type.into(),
        body: body.to_vec(),
    };
    // Every time: a garbled read is sent again, and still garbled.
    api.inject(fault.on("GET", "/v2/transcript/").times(100));
    let err = client(&api).get_transcript(&id).unwrap_err();
    (err, api.count("GET", &transcript_path(&id)))
}

#[test]
fn a_200_with_an_html_page_is_an_invalid_response_naming_it() {
    let page = b"<!DOCTYPE html><html><body>Captive portal: please log in</body></html>";
    let (err, requests) = unreadable_200("text/html", page);
    match &err {
        Error::InvalidResponse {
            status, message, ..
        } => {
            assert_eq!(*status, 200);
            assert!(message.contains("HTML page"), "{message}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert!(requests > 1, "a garbled read was not sent again");
}

#[test]
fn a_read_answered_once_with_an_html_page_and_200_is_read_again() {
    let (api, id) = api_with_transcript();
    let page = b"<!DOCTYPE html><html><body>Proxy error</body></html>".to_vec();
    let fault = Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: page,
    };
    api.inject(fault.on("GET", "/v2/transcript").times(1));
    let page = client(&api).list_transcripts(&ListQuery::default());
    assert!(page.is_ok(), "{page:?}");
    assert!(client(&api).get_transcript(&id).is_ok());
    assert_eq!(api.count("GET", "/v2/transcript?"), 0);
    assert_eq!(api.count("GET", &transcript_path(&id)), 1);
}

#[test]
fn a_200_with_truncated_json_is_an_invalid_response_quoting_it() {
    let truncated = br#"{"id":"5551722-f677-48a6-9287-39c0aafd9ac1","status":"compl"#;
    let (err, _) = unreadable_200("application/json", truncated);
    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(r#""status":"compl"#), "{message}");
    assert!(
        message.contains("EOF while parsing"),
        "the decoder's reason: {message}"
    );

    let (err, _) = unreadable_200("application/json", b"");
    assert!(err.to_string().contains("empty body"), "{err}");
}

#[test]
fn retries_stop_at_the_callers_deadline() {
    let api = FakeApi::start();
    api.push_script(Script::never());
    let client = builder(&api)
        .retry(fast_retry().max_attempts(1000))
        .build()
        .unwrap();
    let id = client
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap()
        .id;
    api.inject(
        Fault::status(503)
            .on("GET", "/v2/transcript/")
            .times(100_000),
    );
    let timeout = Duration::from_secs(1);
    let started = Instant::now();
    let err = client
        .wait_for_transcript(&id, &fast_wait().timeout(timeout))
        .unwrap_err();
    let elapsed = started.elapsed();

    assert!(elapsed < timeout + Duration::from_secs(2), "{elapsed:?}");
    assert!(
        matches!(err, Error::Timeout { .. }) || err.status() == Some(503),
        "{err:?}"
    );
    assert_eq!(err.transcript_id(), Some(id.as_str()));
    assert!(
        api.count("GET", &transcript_path(&id)) > 3,
        "it kept trying"
    );
}

#[test]
fn a_retry_after_past_the_deadline_is_not_waited_out() {
    let (api, id) = api_with_transcript();
    api.inject(
        Fault::too_many_requests(2)
            .on("GET", "/v2/transcript/")
            .times(1000),
    );
    let timeout = Duration::from_millis(700);
    let started = Instant::now();
    let err = client(&api)
        .wait_for_transcript(&id, &fast_wait().timeout(timeout))
        .unwrap_err();
    let elapsed = started.elapsed();

    assert!(elapsed < timeout + Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(err.transcript_id(), Some(id.as_str()));
    let polls = api.count("GET", &transcript_path(&id));
    assert_eq!(
        polls, 1,
        "a server that asked for 2 s of quiet was not polled again"
    );
}

#[test]
fn polling_honours_retry_after_when_the_requests_retries_are_spent() {
    let (api, id) = api_with_transcript();
    api.inject(Fault::too_many_requests(1).on("GET", "/v2/transcript/"));
    let client = builder(&api).retry(RetryPolicy::none()).build().unwrap();
    let done = client.wait_for_transcript(&id, &fast_wait()).unwrap();

    assert_eq!(done.id, id);
    let gap = gap_between_first_two(&api, "GET", &transcript_path(&id));
    assert!(
        gap >= Duration::from_millis(950),
        "polled again after {gap:?}"
    );
}

#[test]
fn transcribe_stops_retrying_an_upload_at_its_deadline() {
    let api = FakeApi::start();
    api.inject(Fault::status(500).on("POST", "/v2/upload").times(100_000));
    let file = TempFile::with_bytes("deadline.wav", b"RIFF....WAVE");
    let client = builder(&api)
        .retry(fast_retry().max_attempts(1000))
        .build()
        .unwrap();
    let timeout = Duration::from_millis(800);
    let started = Instant::now();
    let result = client.transcribe(
        file.path(),
        &TranscriptRequest::default(),
        &fast_wait().timeout(timeout),
    );
    let elapsed = started.elapsed();

    assert!(result.is_err());
    assert!(elapsed < timeout + Duration::from_secs(2), "{elapsed:?}");
    assert!(api.count("POST", "/v2/upload") > 2, "it retried until then");
    assert_eq!(api.count("POST", "/v2/transcript"), 0);
}

#[test]
fn a_key_echoed_as_a_mistyped_reply_appears_in_no_error_text() {
    // A mistyped field no longer fails the parse (it is dropped); a reply that is not an
    // object at all does, and serde quotes it.
    let key = support::TEST_KEY;
    let body = format!(r#""{key}""#);
    let (err, _) = unreadable_200("application/json", body.as_bytes());

    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
    let mut texts = vec![err.to_string(), format!("{err:?}")];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    for text in texts {
        assert!(!text.contains(key), "the key leaked: {text}");
    }
    assert!(err.to_string().contains("<redacted>"), "{err}");
}
