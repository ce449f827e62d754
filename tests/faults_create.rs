//! Creating a transcript exactly once despite faults, and polling that never abandons a job.
//!
//! A create that provably started nothing (429, 503) is simply sent again. One whose outcome is
//! unknown (dropped connection, 5xx, unreadable reply) is resolved through the list endpoint: a
//! job of the same audio created since the first attempt is adopted; otherwise a new one is made.

mod common;
mod support;

use std::time::Duration;

use assemblyai::{Error, RetryPolicy, TranscriptRequest, TranscriptStatus};
use serde_json::json;
use support::{FakeApi, Fault, Script};

use common::{
    Seen, builder, client, fast_retry, fast_wait, observed, requests_exactly, transcript_ids,
};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

fn request() -> TranscriptRequest {
    TranscriptRequest::new(AUDIO_URL)
}

/// `(creates, list lookups)` the server received.
fn creates_and_lookups(api: &FakeApi) -> (usize, usize) {
    (
        api.count("POST", "/v2/transcript"),
        requests_exactly(api, "GET", "/v2/transcript").len(),
    )
}

#[test]
fn a_create_refused_with_503_is_sent_again_without_a_lookup() {
    let api = FakeApi::start();
    api.inject(Fault::status(503).on("POST", "/v2/transcript"));
    let created = client(&api).create_transcript(&request()).unwrap();

    assert_eq!(creates_and_lookups(&api), (2, 0));
    assert_eq!(transcript_ids(&api), [created.id]);
}

#[test]
fn a_create_rate_limited_waits_the_retry_after_then_creates_once() {
    let api = FakeApi::start();
    api.inject(Fault::too_many_requests(1).on("POST", "/v2/transcript"));
    let created = client(&api).create_transcript(&request()).unwrap();

    assert_eq!(creates_and_lookups(&api), (2, 0));
    assert_eq!(transcript_ids(&api), [created.id]);
    let posts = api.requests_to("POST", "/v2/transcript");
    let gap = posts[1].at.duration_since(posts[0].at);
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
}

#[test]
fn a_job_created_but_whose_reply_was_lost_is_adopted() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    let (client, events) = observed(&client(&api));
    let adopted = client.create_transcript(&request()).unwrap();

    assert_eq!(transcript_ids(&api).len(), 1, "exactly one job");
    assert_eq!(transcript_ids(&api)[0], adopted.id);
    assert_eq!(creates_and_lookups(&api), (1, 1));
    assert_eq!(adopted.audio_url.as_deref(), Some(AUDIO_URL));
    let created: Vec<Seen> = events
        .milestones()
        .into_iter()
        .filter(|seen| matches!(seen, Seen::Created(_)))
        .collect();
    assert_eq!(created, [Seen::Created(adopted.id)]);
}

#[test]
fn a_job_whose_reply_broke_off_midway_is_adopted() {
    let api = FakeApi::start();
    api.inject(Fault::DropMidResponse.on("POST", "/v2/transcript"));
    let adopted = client(&api).create_transcript(&request()).unwrap();

    assert_eq!(transcript_ids(&api), [adopted.id]);
    assert_eq!(creates_and_lookups(&api), (1, 1));
}

#[test]
fn a_listed_job_that_cannot_be_read_is_named_in_the_error_as_perhaps_ours() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    let page = Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: b"<html>bad gateway</html>".to_vec(),
    };
    // Every time: a garbled read is read again, so one bad page alone would not do.
    api.inject(page.on("GET", "/v2/transcript/").times(100));
    let err = client(&api).create_transcript(&request()).unwrap_err();

    let job = transcript_ids(&api);
    assert_eq!(job.len(), 1);
    let attempt = err.may_have_created().expect("a job may exist");
    assert_eq!(attempt.candidates, job, "the job is not lost");
    assert_eq!(api.count("POST", "/v2/transcript"), 1, "nor doubled");
}

#[test]
fn a_create_dropped_before_any_job_is_sent_again_after_finding_none() {
    let api = FakeApi::start();
    api.inject(
        Fault::DropBeforeResponse
            .on("POST", "/v2/transcript")
            .times(2),
    );
    let created = client(&api).create_transcript(&request()).unwrap();

    assert_eq!(transcript_ids(&api), [created.id]);
    assert_eq!(creates_and_lookups(&api), (3, 2));
}

#[test]
fn a_create_answered_with_a_5xx_creates_exactly_one_job() {
    for code in [500, 502, 504] {
        let api = FakeApi::start();
        api.inject(Fault::status(code).on("POST", "/v2/transcript"));
        let created = client(&api).create_transcript(&request()).unwrap();

        assert_eq!(transcript_ids(&api), [created.id], "{code}");
        assert_eq!(creates_and_lookups(&api), (2, 1), "{code}");
    }
}

#[test]
fn a_create_answered_with_an_unreadable_200_creates_exactly_one_job() {
    let api = FakeApi::start();
    let page = Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: b"<html><body>proxy says hi</body></html>".to_vec(),
    };
    api.inject(page.on("POST", "/v2/transcript"));
    let created = client(&api).create_transcript(&request()).unwrap();

    assert_eq!(transcript_ids(&api), [created.id]);
    assert_eq!(creates_and_lookups(&api), (2, 1));
}

#[test]
fn an_older_job_of_the_same_audio_is_not_adopted() {
    let api = FakeApi::start();
    let old = api.insert_transcript(json!({
        "audio_url": AUDIO_URL,
        "status": "completed",
        "created": "2024-03-11T21:29:59.936851",
    }));
    api.inject(Fault::status(500).on("POST", "/v2/transcript"));
    let created = client(&api).create_transcript(&request()).unwrap();

    assert_ne!(created.id, old, "yesterday's transcript is not today's job");
    assert_eq!(transcript_ids(&api), [old, created.id]);
    assert_eq!(creates_and_lookups(&api), (2, 1));
}

#[test]
fn a_just_created_job_of_other_audio_is_not_adopted() {
    let api = FakeApi::start();
    let client = client(&api);
    let other = client
        .create_transcript(&TranscriptRequest::new("https://example.com/other.mp3"))
        .unwrap();
    api.inject(Fault::DropBeforeResponse.on("POST", "/v2/transcript"));
    let created = client.create_transcript(&request()).unwrap();

    assert_ne!(created.id, other.id);
    assert_eq!(transcript_ids(&api), [other.id, created.id]);
    assert_eq!(created.audio_url.as_deref(), Some(AUDIO_URL));
}

#[test]
fn without_a_working_list_an_ambiguous_create_is_never_resent() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    api.inject(Fault::status(500).on("GET", "/v2/transcript").times(1000));
    let client = builder(&api)
        .retry(fast_retry().max_attempts(3))
        .build()
        .unwrap();
    let err = client.create_transcript(&request()).unwrap_err();

    assert!(
        matches!(&err, Error::MaybeCreated { source, .. } if matches!(**source, Error::Http { .. })),
        "the create's own failure: {err:?}"
    );
    assert_eq!(api.count("POST", "/v2/transcript"), 1, "never billed twice");
    assert_eq!(transcript_ids(&api).len(), 1);
}

#[test]
fn a_create_slower_than_the_response_timeout_is_never_sent_twice() {
    let api = FakeApi::start();
    let slow = Duration::from_millis(1000);
    api.inject(Fault::Delay(slow).on("POST", "/v2/transcript"));
    let client = builder(&api)
        .response_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.create_transcript(&request()).unwrap_err();
    // The server goes on with the request the client stopped waiting for.
    std::thread::sleep(slow + Duration::from_millis(300));

    let attempt = err.may_have_created().expect("says a job may exist");
    assert_eq!(attempt.audio_url, AUDIO_URL);
    assert!(err.to_string().contains("may have been created"), "{err}");
    assert_eq!(creates_and_lookups(&api), (1, 1));
    assert_eq!(transcript_ids(&api).len(), 1, "billed once");
}

#[test]
fn a_create_that_timed_out_but_finished_is_adopted() {
    let api = FakeApi::start();
    api.inject(Fault::Delay(Duration::from_millis(300)).on("POST", "/v2/transcript"));
    let client = builder(&api)
        .response_timeout(Duration::from_millis(100))
        // The lookup comes after the slow create has made its job.
        .retry(fast_retry().initial_backoff(Duration::from_millis(1500)))
        .build()
        .unwrap();
    let adopted = client.create_transcript(&request()).unwrap();

    assert_eq!(transcript_ids(&api), [adopted.id]);
    assert_eq!(creates_and_lookups(&api), (1, 1));
}

#[test]
fn a_create_refused_for_good_is_not_retried() {
    let api = FakeApi::start();
    api.inject(Fault::status(400).on("POST", "/v2/transcript"));
    let err = client(&api).create_transcript(&request()).unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(creates_and_lookups(&api), (1, 0));
    assert!(api.transcripts().is_empty());
}

#[test]
fn transcribe_completes_with_the_adopted_job() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    let done = client(&api)
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &fast_wait())
        .unwrap();

    assert_eq!(done.status, TranscriptStatus::Completed);
    assert_eq!(transcript_ids(&api), [done.id]);
}

/// Faults in the middle of a wait: every kind the suite knows, one after the other.
fn inject_polling_faults(api: &FakeApi) {
    let on_get = |fault: Fault| fault.on("GET", "/v2/transcript/");
    api.inject(on_get(Fault::status(500)).times(2));
    api.inject(on_get(Fault::DropBeforeResponse));
    api.inject(on_get(Fault::status(503)));
    api.inject(on_get(Fault::Garbage(
        b"HTTP/1.1 200 OK\r\n\r\n\x00\x01".to_vec(),
    )));
    api.inject(on_get(Fault::DropMidResponse));
    api.inject(on_get(Fault::too_many_requests(0)));
    api.inject(on_get(Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: b"<html>maintenance</html>".to_vec(),
    }));
    api.inject(on_get(Fault::status(504)));
}

#[test]
fn polling_goes_on_through_errors_dropped_connections_and_garbage() {
    for policy in [fast_retry(), RetryPolicy::none()] {
        let api = FakeApi::start();
        api.push_script(Script::after_polls(1, 2));
        let client = builder(&api).retry(policy.clone()).build().unwrap();
        let id = client.create_transcript(&request()).unwrap().id;
        inject_polling_faults(&api);
        let done = client.wait_for_transcript(&id, &fast_wait());

        let done = done.unwrap_or_else(|err| panic!("{policy:?}: {err:?}"));
        assert_eq!(done.status, TranscriptStatus::Completed);
        assert_eq!(done.id, id);
        let faulted = api.requests().iter().filter(|r| r.fault.is_some()).count();
        assert_eq!(faulted, 9, "{policy:?}: every fault was met and outlived");
    }
}

#[test]
fn a_wait_that_only_gets_unreadable_replies_gives_up_naming_the_transcript() {
    let api = FakeApi::start();
    api.push_script(Script::never());
    let client = client(&api);
    let id = client.create_transcript(&request()).unwrap().id;
    let page = Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: b"<!DOCTYPE html><html>wrong host</html>".to_vec(),
    };
    api.inject(page.on("GET", "/v2/transcript/").times(1000));
    let err = client.wait_for_transcript(&id, &fast_wait()).unwrap_err();

    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("HTML page"), "{err}");
    assert_eq!(err.transcript_id(), Some(id.as_str()), "{err}");
    let polls = api.count("GET", &format!("/v2/transcript/{id}"));
    // Each poll is read again a few times first (a garbled read is retried like a 5xx).
    assert!(
        (2..100).contains(&polls),
        "a few tolerated, not forever: {polls}"
    );
}

#[test]
fn without_retries_a_job_made_before_the_reply_was_lost_is_still_found() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    let client = builder(&api).retry(RetryPolicy::none()).build().unwrap();

    let adopted = client.create_transcript(&request()).unwrap();

    assert_eq!(creates_and_lookups(&api), (1, 1));
    assert_eq!(transcript_ids(&api), [adopted.id]);
}

#[test]
fn without_retries_a_lost_create_with_no_job_says_to_look_before_trying_again() {
    let api = FakeApi::start();
    api.inject(Fault::DropBeforeResponse.on("POST", "/v2/transcript"));
    let client = builder(&api).retry(RetryPolicy::none()).build().unwrap();

    let err = client.create_transcript(&request()).unwrap_err();

    assert_eq!(creates_and_lookups(&api), (1, 1));
    assert!(transcript_ids(&api).is_empty());
    assert!(err.may_have_created().is_some(), "{err:?}");
    assert!(err.to_string().contains("look for it in the list"), "{err}");
}

#[test]
fn creates_refused_again_and_again_stop_at_the_policy_attempts() {
    let api = FakeApi::start();
    api.inject(Fault::status(503).on("POST", "/v2/transcript").times(20));
    let client = builder(&api)
        .retry(fast_retry().max_attempts(3))
        .build()
        .unwrap();

    let err = client.create_transcript(&request()).unwrap_err();

    assert_eq!(err.status(), Some(503));
    assert_eq!(creates_and_lookups(&api), (3, 0), "one count of attempts");
}

#[test]
fn a_lost_create_is_found_even_behind_a_page_of_newer_jobs() {
    let api = std::sync::Arc::new(FakeApi::start());
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    // The lookup waits for the backoff; meanwhile the account makes 150 more
    // jobs, more than one lookup page holds.
    let client = builder(&api)
        .retry(fast_retry().initial_backoff(Duration::from_millis(600)))
        .build()
        .unwrap();
    let busy = {
        let api = std::sync::Arc::clone(&api);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            for _ in 0..150 {
                api.insert_transcript(json!({"audio_url": "https://example.com/other.mp3"}));
            }
        })
    };

    let adopted = client.create_transcript(&request()).unwrap();

    busy.join().unwrap();
    assert_eq!(api.count("POST", "/v2/transcript"), 1, "billed once");
    assert_eq!(transcript_ids(&api)[0], adopted.id);
    assert!(
        requests_exactly(&api, "GET", "/v2/transcript").len() >= 2,
        "paged back"
    );
}
