//! Getting and waiting for transcripts, and `transcribe` from a URL, a file or a stream.

mod common;
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::{Error, Event, TranscriptRequest, TranscriptStatus, WaitOptions};
use support::{FakeApi, Script, example_text};

use common::{Seen, TempFile, builder, client, fast_wait, observed};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

fn create(api: &FakeApi, script: Script) -> String {
    api.push_script(script);
    let request = TranscriptRequest::new(AUDIO_URL);
    client(api).create_transcript(&request).unwrap().id
}

#[test]
fn get_transcript_follows_the_job_through_its_statuses() {
    let api = FakeApi::start();
    let id = create(&api, Script::after_polls(1, 1));
    let client = client(&api);
    let statuses: Vec<TranscriptStatus> = (0..3)
        .map(|_| client.get_transcript(&id).unwrap().status)
        .collect();
    assert_eq!(
        statuses,
        [
            TranscriptStatus::Queued,
            TranscriptStatus::Processing,
            TranscriptStatus::Completed
        ]
    );
    let done = client.get_transcript(&id).unwrap();
    assert_eq!(done.id, id);
    assert_eq!(done.text.as_deref(), Some(example_text().as_str()));
}

#[test]
fn wait_returns_the_completed_transcript_and_reports_each_status_change() {
    let api = FakeApi::start();
    let id = create(&api, Script::after_polls(2, 2));
    let (client, events) = observed(&client(&api));
    let done = client.wait_for_transcript(&id, &fast_wait()).unwrap();

    assert_eq!(done.status, TranscriptStatus::Completed);
    assert_eq!(done.text.as_deref(), Some(example_text().as_str()));
    assert_eq!(done.words.as_ref().map(Vec::len), Some(15));
    assert_eq!(
        events.all(),
        [
            Seen::StatusChanged(TranscriptStatus::Queued),
            Seen::StatusChanged(TranscriptStatus::Processing),
            Seen::StatusChanged(TranscriptStatus::Completed),
        ]
    );
    assert_eq!(api.count("GET", &format!("/v2/transcript/{id}")), 5);
}

#[test]
fn wait_reports_failed_transcript_with_its_id() {
    let api = FakeApi::start();
    let id = create(&api, Script::fail("Audio duration is too short."));
    let err = client(&api)
        .wait_for_transcript(&id, &fast_wait())
        .unwrap_err();
    match &err {
        Error::TranscriptFailed {
            id: failed,
            message,
        } => {
            assert_eq!(failed, &id);
            assert_eq!(message, "Audio duration is too short.");
        }
        other => panic!("expected TranscriptFailed, got {other:?}"),
    }
    assert_eq!(err.transcript_id(), Some(id.as_str()));
    assert!(!err.is_retryable());
}

#[test]
fn wait_gives_up_at_its_timeout_with_the_id_of_the_running_job() {
    let api = FakeApi::start();
    let id = create(&api, Script::never());
    let timeout = Duration::from_millis(600);
    let options = fast_wait().timeout(timeout);
    let started = Instant::now();
    let err = client(&api).wait_for_transcript(&id, &options).unwrap_err();
    let elapsed = started.elapsed();

    match &err {
        Error::Timeout { transcript_id, .. } => assert_eq!(transcript_id.as_deref(), Some(&*id)),
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(elapsed < timeout + Duration::from_secs(2), "{elapsed:?}");
    assert!(
        api.count("GET", &format!("/v2/transcript/{id}")) > 1,
        "it polled"
    );
}

#[test]
fn transcribe_uses_a_url_as_is_without_uploading() {
    let api = FakeApi::start();
    let done = client(&api)
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &fast_wait())
        .unwrap();

    assert_eq!(done.status, TranscriptStatus::Completed);
    assert_eq!(api.count("POST", "/v2/upload"), 0);
    let create = &api.requests_to("POST", "/v2/transcript")[0];
    assert_eq!(create.json()["audio_url"], AUDIO_URL);
    assert_eq!(done.audio_url.as_deref(), Some(AUDIO_URL));
}

#[test]
fn transcribe_uploads_a_path_then_creates_from_its_upload_url() {
    let api = FakeApi::start();
    let file = TempFile::with_bytes("speech.mp3", b"ID3 not really an mp3");
    let mut request = TranscriptRequest::default();
    request.speaker_labels = Some(true);
    let (client, events) = observed(&client(&api));
    let done = client
        .transcribe(file.path(), &request, &fast_wait())
        .unwrap();

    let upload_url = api.uploads()[0].url.clone();
    let body = api.requests_to("POST", "/v2/transcript")[0].json();
    assert_eq!(body["audio_url"], upload_url.as_str());
    assert_eq!(body["speaker_labels"], true);
    assert_eq!(done.audio_url.as_deref(), Some(upload_url.as_str()));
    assert_eq!(done.text.as_deref(), Some(example_text().as_str()));
    let milestones = events.milestones();
    assert_eq!(milestones[0], Seen::Uploaded(upload_url));
    assert_eq!(milestones[1], Seen::Created(done.id.clone()));
}

#[test]
fn transcribe_uploads_a_reader() {
    let api = FakeApi::start();
    let audio = vec![7u8; 100_000];
    let done = client(&api)
        .transcribe(
            assemblyai::AudioSource::reader(&audio[..]),
            &TranscriptRequest::default(),
            &fast_wait(),
        )
        .unwrap();
    let upload = &api.uploads()[0];
    assert!(upload.chunked);
    assert_eq!(upload.len, 100_000);
    assert_eq!(done.audio_url.as_deref(), Some(upload.url.as_str()));
}

#[test]
fn created_is_reported_with_the_id_before_the_first_poll() {
    let api = Arc::new(FakeApi::start());
    // What the server had seen when each event arrived: the event and the number of GETs of the
    // transcript so far.
    let seen: Arc<Mutex<Vec<(Seen, usize)>>> = Arc::default();
    let (server, sink) = (Arc::clone(&api), Arc::clone(&seen));
    let client = client(&api).with_observer(move |event: &Event<'_>| {
        if let Some(event) = common::seen(event) {
            let polls = server.count("GET", "/v2/transcript/");
            sink.lock().unwrap().push((event, polls));
        }
    });
    let done = client
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &fast_wait())
        .unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0], (Seen::Created(done.id.clone()), 0));
    // The state the create answered with is the first status, before any poll.
    assert_eq!(seen[1], (Seen::StatusChanged(TranscriptStatus::Queued), 0));
    assert!(seen[2..].iter().all(|(_, polls)| *polls > 0));
    assert_eq!(
        seen.last().unwrap().0,
        Seen::StatusChanged(TranscriptStatus::Completed)
    );
}

#[test]
fn a_failing_transcribe_carries_the_transcript_id() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 2).failing("Audio duration is too short."));
    let (client, events) = observed(&client(&api));
    let err = client
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &fast_wait())
        .unwrap_err();

    let created = api.transcripts()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(err.transcript_id(), Some(created.as_str()));
    assert!(matches!(err, Error::TranscriptFailed { .. }), "{err:?}");
    assert_eq!(events.milestones()[0], Seen::Created(created));
}

#[test]
fn a_transcribe_that_times_out_carries_the_transcript_id() {
    let api = FakeApi::start();
    api.push_script(Script::never());
    let options = fast_wait().timeout(Duration::from_millis(500));
    let started = Instant::now();
    let err = client(&api)
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &options)
        .unwrap_err();

    let created = api.transcripts()[0]["id"].as_str().unwrap().to_string();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.transcript_id(), Some(created.as_str()));
    assert!(err.to_string().contains(&created), "{err}");
    assert!(started.elapsed() < Duration::from_millis(500) + Duration::from_secs(2));
}

#[test]
fn transcribe_checks_the_options_before_uploading() {
    let api = FakeApi::start();
    let file = TempFile::with_bytes("speech.wav", b"RIFF");
    let mut request = TranscriptRequest::default();
    request.speakers_expected = Some(0);
    let err = client(&api)
        .transcribe(file.path(), &request, &fast_wait())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn a_long_transcript_over_ureqs_10_mb_cap_is_fetched_whole() {
    let api = FakeApi::start();
    let id = create(&api, Script::after_polls(0, 0).with_words(100_000));
    let client = builder(&api).keep_raw_json(true).build().unwrap();
    let transcript = client.get_transcript(&id).unwrap();

    let words = transcript.words.as_ref().unwrap();
    assert_eq!(words.len(), 100_000);
    let joined: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(transcript.text.as_deref(), Some(joined.join(" ").as_str()));
    assert!(!transcript.utterances.as_ref().unwrap().is_empty());

    let raw = transcript.raw_json().expect("the raw JSON is kept");
    assert!(raw.len() > 10 * 1024 * 1024, "{} bytes", raw.len());
    assert!(
        raw == server_body(&api, &id),
        "the raw text is the server's, byte for byte"
    );
}

/// The body of a GET of the transcript, as sent, read without any size cap.
fn server_body(api: &FakeApi, id: &str) -> String {
    let url = format!("{}/v2/transcript/{id}", api.base_url());
    let mut response = ureq::get(&url)
        .header("Authorization", api.key())
        .call()
        .unwrap();
    let body = response.body_mut().with_config().limit(u64::MAX);
    body.read_to_string().unwrap()
}

#[test]
fn raw_json_is_kept_only_when_asked() {
    let api = FakeApi::start();
    let id = create(&api, Script::after_polls(0, 0));
    let plain = client(&api).get_transcript(&id).unwrap();
    assert_eq!(plain.raw_json(), None);

    let kept = builder(&api)
        .keep_raw_json(true)
        .build()
        .unwrap()
        .get_transcript(&id)
        .unwrap();
    assert_eq!(kept.raw_json(), Some(server_body(&api, &id).as_str()));
    assert_eq!(kept, plain, "the raw text takes no part in equality");
}

#[test]
fn waiting_on_a_finished_transcript_takes_a_single_request() {
    let api = FakeApi::start();
    let id = create(&api, Script::after_polls(0, 0));
    let options = WaitOptions::default(); // the default 1 s floor would show as a slow test
    let done = client(&api).wait_for_transcript(&id, &options).unwrap();
    assert_eq!(done.status, TranscriptStatus::Completed);
    assert_eq!(api.count("GET", "/v2/transcript/"), 1);
}
