//! What an independent adversarial pass over issue 8 found in the library, pinned.

mod common;
mod support;

use std::time::{Duration, Instant};

use assemblyai::{Error, TranscriptRequest, WaitOptions};
use support::{FakeApi, Fault};

use common::{builder, fast_retry};

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

/// A deadline that passes while the create is in flight leaves one short look at the list, a
/// tenth of the deadline: a server that hangs the list too must not stretch a 300 ms deadline
/// by the ten seconds a look may take when no deadline was given.
#[test]
fn the_look_for_a_job_after_the_deadline_passed_is_bounded_by_a_tenth_of_it() {
    let api = FakeApi::start();
    api.inject(
        Fault::Delay(Duration::from_secs(30))
            .on("POST", "/v2/transcript")
            .times(2),
    );
    api.inject(
        Fault::Delay(Duration::from_secs(30))
            .on("GET", "/v2/transcript")
            .times(20),
    );
    let client = builder(&api).retry(fast_retry()).build().unwrap();
    for through_client in [false, true] {
        let limit = Duration::from_millis(300);
        let started = Instant::now();
        let err = if through_client {
            client
                .with_timeout(limit)
                .create_transcript(&TranscriptRequest::new(AUDIO_URL))
                .unwrap_err()
        } else {
            let wait = WaitOptions::default().timeout(limit);
            client
                .transcribe(AUDIO_URL, &TranscriptRequest::new(AUDIO_URL), &wait)
                .unwrap_err()
        };
        let took = started.elapsed();

        assert!(err.may_have_created().is_some(), "{err:?}");
        let Error::MaybeCreated { source, .. } = &err else {
            unreachable!()
        };
        assert!(matches!(**source, Error::Timeout { .. }), "{source:?}");
        assert!(
            took < Duration::from_secs(5),
            "took {took:?} for a 300 ms deadline"
        );
    }
}
