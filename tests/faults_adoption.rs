//! Create recovery adopts only a job it can prove its own: same audio, the same options echoed,
//! created during the attempt whatever time zone the list's clock is in; and a job that may
//! exist is never silent: the error says so and carries what is needed to find it later.

mod common;
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use assemblyai::{Client, Error, Event, LanguageCode, PiiPolicy, TranscriptRequest, WaitOptions};
use support::{FakeApi, Fault, MAIN_PROJECT, Script};

use common::{TempFile, builder, client, fast_retry, transcript_ids};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";
const HOUR: i64 = 3600;

fn german_with_speakers() -> TranscriptRequest {
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.speaker_labels = Some(true);
    request.language_code = Some(LanguageCode::De);
    request
}

fn french_with_speakers() -> TranscriptRequest {
    let mut request = german_with_speakers();
    request.language_code = Some(LanguageCode::Fr);
    request
}

/// A client whose first retry of a create lets another process create a job of the same audio
/// with `theirs`, in the pause before the lookup: the race of two scripts on one account.
fn racing_client(api: &FakeApi, theirs: TranscriptRequest) -> (Client, Arc<Mutex<Option<String>>>) {
    api.add_key("another-process-key", MAIN_PROJECT);
    let stranger = Client::builder("another-process-key")
        .base_url(api.base_url())
        .build()
        .unwrap();
    let made = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&made);
    let ours = client(api).with_observer(move |event| {
        let mut made = seen.lock().unwrap();
        if matches!(event, Event::Retrying { .. }) && made.is_none() {
            *made = Some(stranger.create_transcript(&theirs).unwrap().id);
        }
    });
    (ours, made)
}

#[test]
fn a_stranger_job_of_the_same_audio_with_other_options_is_not_adopted() {
    for theirs in [TranscriptRequest::new(AUDIO_URL), french_with_speakers()] {
        let api = FakeApi::start();
        api.inject(Fault::status(500).on("POST", "/v2/transcript"));
        let (ours, stranger) = racing_client(&api, theirs);

        let created = ours.create_transcript(&german_with_speakers()).unwrap();

        let stranger = stranger.lock().unwrap().clone().expect("the race happened");
        assert_ne!(created.id, stranger, "not the other process's job");
        assert_eq!(created.speaker_labels, Some(true));
        assert_eq!(transcript_ids(&api), [stranger, created.id]);
        assert_eq!(
            api.count("POST", "/v2/transcript"),
            3,
            "ours twice, theirs once"
        );
    }
}

#[test]
fn a_job_echoing_the_same_options_is_adopted() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));

    let adopted = client(&api)
        .create_transcript(&german_with_speakers())
        .unwrap();

    assert_eq!(transcript_ids(&api), std::slice::from_ref(&adopted.id));
    assert_eq!(adopted.language_code, Some(LanguageCode::De));
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
}

#[test]
fn a_job_listed_hours_off_is_reported_as_perhaps_ours_neither_adopted_nor_doubled() {
    // A list in local time east of UTC shows our job in the future; west of it, hours ago.
    for offset in [3 * HOUR, -3 * HOUR, 5 * HOUR + 1800] {
        let api = FakeApi::builder().list_clock_offset(offset).start();
        api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));

        let err = client(&api)
            .create_transcript(&german_with_speakers())
            .unwrap_err();

        let job = transcript_ids(&api);
        assert_eq!(job.len(), 1, "offset {offset}: billed once");
        let attempt = err.may_have_created().expect("a job may exist");
        assert_eq!(attempt.candidates, job, "offset {offset}: named");
        assert_eq!(err.transcript_id(), None, "not claimed as ours");
        assert_eq!(api.count("POST", "/v2/transcript"), 1);
    }
}

#[test]
fn a_job_of_this_calls_own_upload_is_adopted_whatever_the_list_clock_says() {
    for offset in [-5 * HOUR, 9 * HOUR, -400 * 24 * HOUR] {
        let api = FakeApi::builder().list_clock_offset(offset).start();
        api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
        let audio = TempFile::with_bytes("own-upload.wav", &[7u8; 3000]);

        let adopted = client(&api)
            .start_transcript(audio.path(), &german_with_speakers())
            .unwrap();

        assert_eq!(
            transcript_ids(&api),
            std::slice::from_ref(&adopted.id),
            "offset {offset}"
        );
        assert_eq!(
            adopted.audio_url.as_deref(),
            Some(api.uploads()[0].url.as_str())
        );
        assert_eq!(api.count("POST", "/v2/transcript"), 1, "billed once");
    }
}

#[test]
fn a_deadline_passing_while_the_create_is_in_flight_says_a_job_may_exist() {
    let api = FakeApi::start();
    api.inject(Fault::Delay(Duration::from_millis(1500)).on("POST", "/v2/transcript"));
    let client = builder(&api).retry(fast_retry()).build().unwrap();
    let wait = WaitOptions::default().timeout(Duration::from_millis(300));

    let err = client
        .transcribe(AUDIO_URL, &german_with_speakers(), &wait)
        .unwrap_err();

    let Error::MaybeCreated { attempt, source } = &err else {
        panic!("not marked as a possible job: {err:?}");
    };
    assert!(matches!(**source, Error::Timeout { .. }), "{source:?}");
    assert_eq!(attempt.audio_url, AUDIO_URL);
    assert!(!attempt.own_upload);
    assert!(attempt.started.elapsed().unwrap() < Duration::from_secs(60));
    assert!(!err.is_retryable(), "resending could bill twice");
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
}

#[test]
fn a_possible_job_can_be_found_later_with_the_attempt() {
    let api = FakeApi::start();
    api.inject(Fault::Delay(Duration::from_millis(600)).on("POST", "/v2/transcript"));
    let client = client(&api);
    let request = german_with_speakers();
    let wait = WaitOptions::default().timeout(Duration::from_millis(200));
    let err = client.transcribe(AUDIO_URL, &request, &wait).unwrap_err();
    let attempt = err.may_have_created().expect("a job may exist").clone();
    // The server finishes the request the client stopped waiting for.
    while api.transcripts().is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }

    let found = client.find_created(&request, &attempt).unwrap();

    assert_eq!(found.map(|t| t.id), transcript_ids(&api).pop());
    let other = french_with_speakers();
    assert!(client.find_created(&other, &attempt).unwrap().is_none());
    let asked_less = TranscriptRequest::new(AUDIO_URL);
    let err = client.find_created(&asked_less, &attempt).unwrap_err();
    assert_eq!(
        err.may_have_created().unwrap().candidates,
        transcript_ids(&api)
    );
}

#[test]
fn a_job_of_ours_already_finished_when_looked_at_is_adopted() {
    let api = FakeApi::builder().script(Script::after_polls(0, 0)).start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));

    let adopted = client(&api)
        .create_transcript(&TranscriptRequest::new(AUDIO_URL))
        .unwrap();

    assert_eq!(transcript_ids(&api), std::slice::from_ref(&adopted.id));
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
}

#[test]
fn a_stranger_job_that_asked_for_more_is_reported_neither_adopted_nor_doubled() {
    let api = FakeApi::start();
    api.inject(Fault::status(500).on("POST", "/v2/transcript"));
    let mut more = german_with_speakers();
    more.redact_pii = Some(true);
    more.redact_pii_policies = Some(vec![PiiPolicy::PersonName]);
    let (ours, stranger) = racing_client(&api, more);

    let err = ours.create_transcript(&german_with_speakers()).unwrap_err();

    let stranger = stranger.lock().unwrap().clone().expect("the race happened");
    let attempt = err.may_have_created().expect("a job may exist");
    assert_eq!(attempt.candidates, [stranger]);
    assert_eq!(err.status(), Some(500), "the create's own failure");
    assert_eq!(
        api.count("POST", "/v2/transcript"),
        2,
        "ours once, theirs once"
    );
}
