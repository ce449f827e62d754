//! Every wait and every read is bounded: a server's `Retry-After` by the retry policy's cap (in
//! either of its forms), a reply's size after decompression, a reply trickling in a byte at a
//! time by the body timeout; a file that changes while it uploads stops the upload, and
//! redacted audio is ready only when the API says so.

mod common;
mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use assemblyai::{Client, Error, Event, PiiPolicy, TranscriptRequest, WaitOptions};
use support::{FakeApi, Fault, Script};

use common::{TempFile, builder, client, fast_retry, fast_wait, gzipped_response};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

#[test]
fn a_poll_told_to_retry_after_days_waits_no_longer_than_the_policy_cap() {
    let api = FakeApi::builder().script(Script::after_polls(0, 1)).start();
    let client = builder(&api)
        .retry(fast_retry().max_backoff(Duration::from_millis(100)))
        .build()
        .unwrap();
    let id = client
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap()
        .id;
    api.inject(Fault::too_many_requests(999_999).on("GET", "/v2/transcript/"));
    // The guard only turns a stall into a failure instead of a hang.
    let wait = fast_wait().timeout(Duration::from_secs(10));

    let done = client.wait_for_transcript(&id, &wait);

    assert_eq!(done.map(|t| t.id).ok(), Some(id));
}

#[test]
fn a_retry_after_given_as_a_date_is_honoured_like_seconds() {
    let api = FakeApi::start();
    let body = r#"{"error":"Too Many Requests"}"#;
    let raw = format!(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: Fri, 01 Jan 2100 00:00:00 GMT\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    api.inject(Fault::Garbage(raw.into_bytes()).on("POST", "/v2/transcript"));

    let err = client(&api)
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap_err();

    // A pause of decades is over the cap: the error comes back instead of a silent wait, and
    // not a quick retry as if no pause had been asked for.
    assert_eq!(err.status(), Some(429), "{err:?}");
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
}

#[test]
fn a_reply_inflating_past_the_limit_is_refused_not_read_into_memory() {
    let api = FakeApi::start();
    let id = client(&api)
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap()
        .id;
    // 8 MB of valid JSON in about 8 kB of gzip; the client reads at most 1 MB of it.
    let mut bomb = format!(r#"{{"id":"{id}","status":"completed","text":""#).into_bytes();
    bomb.resize(8 << 20, b' ');
    bomb.extend_from_slice(br#""}"#);
    let response = gzipped_response("application/json", &bomb);
    assert!(
        response.len() < 64 * 1024,
        "a bomb: {} bytes",
        response.len()
    );
    let small = builder(&api).max_reply_bytes(1 << 20).build().unwrap();

    for path in ["parsed", "streamed"] {
        api.inject(Fault::Garbage(response.clone()).on("GET", "/v2/transcript/"));
        let err = match path {
            "parsed" => small.get_transcript(&id).map(|_| ()).unwrap_err(),
            _ => small
                .download_transcript_json(&id, &mut Vec::new())
                .map(|_| ())
                .unwrap_err(),
        };
        assert!(
            matches!(err, Error::InvalidResponse { .. }),
            "{path}: {err:?}"
        );
        assert!(err.to_string().contains("decompressed"), "{path}: {err}");
        assert_eq!(err.transcript_id(), Some(id.as_str()));
    }
    // The same reply under the limit is a transcript.
    api.inject(Fault::Garbage(response).on("GET", "/v2/transcript/"));
    let roomy = builder(&api).max_reply_bytes(16 << 20).build().unwrap();
    assert_eq!(roomy.get_transcript(&id).unwrap().id, id);
}

#[test]
fn a_reply_trickling_a_byte_at_a_time_is_cut_off_by_the_body_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let server = thread::spawn(move || {
        // Every connection (the client retries) gets headers, then a byte every 50 ms: never
        // idle long enough for a per-read timeout, never done.
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let stopping = Arc::clone(&stopping);
            thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Content-Length: 100000\r\n\r\n{\"transcripts\":[";
                let _ = stream.write_all(head.as_bytes());
                for _ in 0..400 {
                    if stopping.load(Ordering::SeqCst) || stream.write_all(b" ").is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    let client = Client::builder("aai-test-key")
        .base_url(&base_url)
        .retry(fast_retry().max_attempts(2))
        .idle_timeout(Duration::from_secs(5))
        .body_timeout(Duration::from_millis(400))
        .build()
        .unwrap();

    let err = client.list_transcripts(&Default::default()).unwrap_err();

    stop.store(true, Ordering::SeqCst);
    let _ = std::net::TcpStream::connect(base_url.trim_start_matches("http://"));
    server.join().unwrap();
    let Error::Http { source, .. } = &err else {
        panic!("not a transport error: {err:?}");
    };
    assert!(matches!(**source, ureq::Error::Timeout(_)), "{source:?}");
}

#[test]
fn a_file_that_changes_size_while_it_uploads_stops_the_upload_naming_it() {
    for grow in [false, true] {
        let api = FakeApi::start();
        let (audio, _) = TempFile::with_pattern("changing.wav", 4 << 20);
        let path = audio.path().to_path_buf();
        let changed = Arc::new(AtomicBool::new(false));
        let once = Arc::clone(&changed);
        // Each attempt's progress starts again from its first chunk.
        let attempts = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (counting, last_sent) = (Arc::clone(&attempts), std::sync::Mutex::new(u64::MAX));
        let client = client(&api).with_observer(move |event| {
            if let Event::UploadProgress { sent, .. } = event {
                let mut last = last_sent.lock().unwrap();
                if *sent <= *last {
                    counting.fetch_add(1, Ordering::SeqCst);
                }
                *last = *sent;
            }
            if matches!(event, Event::UploadProgress { .. }) && !once.swap(true, Ordering::SeqCst) {
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap();
                match grow {
                    true => (&file).write_all(&[0u8; 1 << 20]).unwrap(),
                    false => file.set_len(1 << 20).unwrap(),
                }
            }
        });

        let err = client.upload_file(audio.path()).unwrap_err();

        assert!(
            matches!(err, Error::InvalidSource { .. }),
            "grow {grow}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("changed size"), "{message}");
        assert!(
            message.contains(&audio.path().display().to_string()),
            "{message}"
        );
        assert_eq!(
            attempts.load(Ordering::SeqCst),
            1,
            "grow {grow}: not retried"
        );
        if !grow {
            // A file that grew was sent as it began, whole, before the change was seen.
            assert!(api.uploads().is_empty(), "nothing half-stored");
        }
    }
}

/// A request for the PII-redacted audio.
fn redacting() -> TranscriptRequest {
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.redact_pii = Some(true);
    request.redact_pii_audio = Some(true);
    request.redact_pii_policies = Some(vec![PiiPolicy::PersonName]);
    request
}

#[test]
fn redacted_audio_answered_200_but_not_ready_is_waited_for() {
    let api = FakeApi::start();
    let client = client(&api);
    let done = client
        .transcribe(AUDIO_URL, &redacting(), &fast_wait())
        .unwrap();
    let processing = Fault::Body {
        status: 200,
        content_type: "application/json".into(),
        body: br#"{"status":"processing","redacted_audio_url":null}"#.to_vec(),
    };
    api.inject(processing.on("GET", "/v2/transcript/").times(2));

    assert_eq!(client.get_redacted_audio(&done.id).unwrap(), None);
    let ready = client
        .wait_for_redacted_audio(&done.id, &fast_wait())
        .unwrap();

    assert!(ready.redacted_audio_url.ends_with(".mp3"), "{ready:?}");
    let path = format!("/v2/transcript/{}/redacted-audio", done.id);
    assert_eq!(api.count("GET", &path), 3, "asked until it was ready");
}

#[test]
fn a_storage_host_refusing_the_redacted_audio_says_the_link_expired() {
    let api = FakeApi::start();
    let client = client(&api);
    let done = client
        .transcribe(AUDIO_URL, &redacting(), &fast_wait())
        .unwrap();
    let ready = client
        .wait_for_redacted_audio(&done.id, &WaitOptions::default())
        .unwrap();
    api.inject(Fault::status(403).on("GET", "/redacted/"));

    let err = client
        .download_redacted_audio(&ready, &mut Vec::new())
        .unwrap_err();

    assert_eq!(err.status(), Some(403));
    let message = err.to_string();
    assert!(message.contains("storage host"), "{message}");
    assert!(message.contains("expired"), "{message}");
}
