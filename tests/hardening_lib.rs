//! What an independent adversarial pass over issue 8 found in the library, pinned.

mod common;
mod support;

use std::time::{Duration, Instant};

use assemblyai::{Error, TranscriptRequest, WaitOptions};
use support::{FakeApi, Fault};

use common::{builder, fast_retry, gzipped_response};

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

/// The redacted audio comes from a storage host: a compressed answer that inflates past the
/// reply limit is a bomb that would fill the disk, and is stopped like any other reply's.
#[test]
fn a_compressed_redacted_audio_download_that_inflates_past_the_limit_is_stopped() {
    let api = FakeApi::start();
    let response = gzipped_response("audio/mpeg", &vec![0u8; 8 << 20]);
    let mut ready = assemblyai::RedactedAudioResponse::default();
    ready.redacted_audio_url = format!("{}/storage/redacted.mp3", api.base_url());
    let small = builder(&api).max_reply_bytes(1 << 20).build().unwrap();

    api.inject(Fault::Garbage(response.clone()).on("GET", "/storage/"));
    let mut written = Vec::new();
    let err = small
        .download_redacted_audio(&ready, &mut written)
        .unwrap_err();

    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("decompressed"), "{err}");
    assert!(
        written.len() <= (1 << 20) + (64 << 10),
        "{} bytes written",
        written.len()
    );
    // Under the limit, the same answer is audio.
    api.inject(Fault::Garbage(response).on("GET", "/storage/"));
    let roomy = builder(&api).max_reply_bytes(16 << 20).build().unwrap();
    let mut written = Vec::new();
    roomy.download_redacted_audio(&ready, &mut written).unwrap();
    assert_eq!(written.len(), 8 << 20);
}
