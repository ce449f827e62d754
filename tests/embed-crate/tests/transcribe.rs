//! The user's test: their code against an emulator in the test process, no account, no network.

use std::path::Path;
use std::time::Duration;

use assemblyai::emulator::{Emulator, Script};
use assemblyai::{Client, PollSchedule, WaitOptions};

#[test]
fn words_after_keeps_only_the_words_spoken_after_the_given_time() {
    let emulator = Emulator::builder()
        .key("my-test-key")
        .script(Script::after_polls(1, 1).with_text("one two three four five six"))
        .start()
        .unwrap();
    let client = Client::builder("my-test-key")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(10)));
    let wav = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/hello.wav");

    // Three seconds of audio at three words a second: nine words, the text said over again.
    let late = embed_crate::words_after(&client, &wav, 2000, &wait).unwrap();
    assert_eq!(late, "one two three");
    assert_eq!(emulator.count("POST", "/v2/upload"), 1);
    assert_eq!(
        emulator.uploads()[0].len,
        std::fs::metadata(&wav).unwrap().len()
    );
}

#[test]
fn a_failing_job_reaches_the_users_code_as_the_apis_error() {
    let emulator = Emulator::builder()
        .script(Script::fail("Audio duration is too short."))
        .start()
        .unwrap();
    let client = Client::builder("any-key")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let wav = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/hello.wav");
    let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(10)));
    let error = embed_crate::words_after(&client, &wav, 0, &wait).unwrap_err();
    assert!(
        error.to_string().contains("Audio duration is too short."),
        "{error}"
    );
}
