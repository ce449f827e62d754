//! The streaming library against the emulator as the service answers in December 2026: no
//! pinned model, the new parameters and messages, and what a hostile or broken server sends
//! (absurd numbers, a ping flood, the key echoed in a warning).
#![cfg(feature = "streaming")]

mod streaming_fake;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use assemblyai::emulator::Emulator;
use assemblyai::streaming::{
    StreamEvent, StreamingClient, StreamingMode, StreamingModel, StreamingOptions, StreamingParams,
    UpdateConfiguration,
};
use assemblyai::{Client, Error, RetryPolicy};
use streaming_fake::speech::{self, pcm16_bytes, speech};
use streaming_fake::{FakeStreaming, Fault};

const RATE: u32 = 16_000;
const TWO_TURNS: [&[usize]; 2] = [&[0, 1], &[2, 3]];

fn options() -> StreamingOptions {
    StreamingOptions::default()
        .reconnect(
            RetryPolicy::default()
                .max_attempts(1)
                .initial_backoff(Duration::from_millis(10)),
        )
        .begin_timeout(Duration::from_secs(5))
        .termination_timeout(Duration::from_secs(1))
}

fn client(fake: &FakeStreaming) -> StreamingClient {
    StreamingClient::new(fake.key())
        .url(fake.url())
        .options(options())
}

fn stream_all(
    client: &StreamingClient,
    params: &StreamingParams,
    audio: Vec<u8>,
) -> (
    Vec<StreamEvent>,
    assemblyai::Result<assemblyai::streaming::Summary>,
) {
    let mut session = client.connect(params).expect("connect");
    let mut events = Vec::new();
    let result = session.stream(
        std::io::Cursor::new(audio),
        &AtomicBool::new(false),
        |event| events.push(event),
    );
    (events, result)
}

fn two_turns() -> Vec<u8> {
    pcm16_bytes(&speech(RATE, &TWO_TURNS, 200, 50, 400))
}

#[test]
fn the_streaming_host_is_derived_from_the_base_url_so_one_emulator_serves_both() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder("any-made-up-key")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let streaming = client.streaming().options(options());
    assert_eq!(streaming.streaming_url(), emulator.streaming_url());
    let (events, summary) = stream_all(&streaming, &StreamingParams::new(RATE), two_turns());
    assert!(summary.unwrap().terminated());
    let finals: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Final(turn) => Some(turn.transcript.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(finals, speech::transcript(&TWO_TURNS));
}

#[test]
fn a_retired_model_is_redirected_and_the_model_that_ran_is_reported() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(RATE);
    params.speech_model = Some(StreamingModel::U3_RT_PRO);
    let session = client(&fake).connect(&params).unwrap();
    assert_eq!(session.begin().model(), Some("universal-3-5-pro"));
    let mut session = session;
    let warnings: Vec<String> = session
        .events()
        .filter_map(|e| match e {
            StreamEvent::Warning { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("universal-3-5-pro")),
        "{warnings:?}"
    );
    session.terminate().unwrap();
    assert_eq!(fake.sessions()[0].query["speech_model"], "u3-rt-pro");
}

#[test]
fn new_parameters_are_sent_as_the_api_names_them_and_mode_is_echoed() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(RATE);
    params.mode = Some(StreamingMode::MAX_ACCURACY);
    params.language_codes = Some(vec!["en".into(), "es".into()]);
    params.redact_pii = Some(true);
    params.redact_pii_policies = Some(vec!["person_name".into(), "phone_number".into()]);
    params.previous_context_n_turns = Some(0);
    params.continuous_partials = Some(false);
    params
        .extra
        .insert("not_a_parameter_yet".into(), "x".into());
    let mut session = client(&fake).connect(&params).unwrap();
    assert_eq!(session.begin().mode(), Some("max_accuracy"));
    session.terminate().unwrap();
    let query = &fake.sessions()[0].query;
    assert_eq!(query["mode"], "max_accuracy");
    assert_eq!(query["language_codes"], r#"["en","es"]"#);
    assert_eq!(query["redact_pii_policies"], "person_name,phone_number");
    assert_eq!(query["previous_context_n_turns"], "0");
    assert_eq!(query["continuous_partials"], "false");
    assert_eq!(
        query["not_a_parameter_yet"], "x",
        "unknown parameters reach the server, which ignores them"
    );
}

#[test]
fn a_bad_value_for_a_known_parameter_is_a_fatal_3006() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(RATE);
    params.mode = Some(StreamingMode::new("fastest"));
    let error = client(&fake).connect(&params).unwrap_err();
    match error {
        Error::StreamClosed {
            code, retryable, ..
        } => {
            assert_eq!(code, 3006);
            assert!(!retryable);
        }
        other => panic!("expected a 3006 close, got {other:?}"),
    }
    assert_eq!(fake.sessions().len(), 1, "not retried");
}

#[test]
fn short_turns_have_a_pending_speaker_revised_at_the_end_and_heartbeats_arrive_when_asked() {
    // Heartbeats come every 5 s of wall clock on the service; the emulator is told 100 ms.
    let emulator = Emulator::builder()
        .key("stream-key-for-heartbeats")
        .streaming_heartbeat(Duration::from_millis(100))
        .start()
        .unwrap();
    let client = StreamingClient::new("stream-key-for-heartbeats")
        .url(emulator.streaming_url())
        .options(options());
    let mut params = StreamingParams::new(RATE);
    params.speaker_labels = Some(true);
    params.session_heartbeat = Some(true);
    let audio = pcm16_bytes(&speech(RATE, &[&[0], &[1, 2, 3, 4, 5]], 250, 50, 400));
    let (events, summary) = stream_all(&client, &params, audio);
    summary.unwrap();
    let finals: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Final(turn) => Some(turn.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(finals.len(), 2, "{finals:?}");
    assert!(finals[0].speaker_pending(), "a 250 ms turn: {finals:?}");
    assert_eq!(finals[1].speaker_label.as_deref(), Some("A"));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::Heartbeat(_))),
        "no Heartbeat in {events:?}"
    );
    assert!(emulator.stream_sessions()[0].heartbeats > 0);
    let revised = events.iter().find_map(|e| match e {
        StreamEvent::SpeakerRevision(revisions) => Some(revisions.clone()),
        _ => None,
    });
    let revised = revised.expect("the pending speaker is revised before Termination");
    assert_eq!(revised[0].turn_order, 0);
    assert_eq!(revised[0].speaker_label.as_deref(), Some("A"));
}

#[test]
fn a_message_over_128_kb_is_closed_with_1009_and_not_retried() {
    let fake = FakeStreaming::start();
    // One second of 96 kHz PCM16 per message: 192,000 bytes.
    let client = client(&fake).options(options().chunk(Duration::from_secs(1)));
    let mut session = client.connect(&StreamingParams::new(96_000)).unwrap();
    let result = session
        .send_audio(&vec![0u8; 96_000 * 2 * 2])
        .and_then(|()| session.terminate().map(|_| ()));
    match result {
        Err(Error::StreamClosed { code, .. }) => assert_eq!(code, 1009),
        other => panic!("expected close 1009, got {other:?}"),
    }
    assert_eq!(fake.sessions()[0].closed_with, Some(1009));
    assert_eq!(fake.sessions().len(), 1);
}

#[test]
fn absurd_durations_in_termination_fall_back_to_the_clients_own_measure() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::SendAfterBegin(
            r#"{"type":"Termination","audio_duration_seconds":1e300,"session_duration_seconds":-5}"#
                .into(),
        ),
    );
    let (_, summary) = stream_all(&client(&fake), &StreamingParams::new(RATE), two_turns());
    let summary = summary.unwrap();
    // No panic, and figures of this world: the client's own clock.
    assert!(summary.session_duration() < Duration::from_secs(3600));
    assert!(summary.audio_duration() < Duration::from_secs(3600));
}

#[test]
fn a_ping_flood_and_a_message_that_never_ends_cannot_hold_terminate_past_its_deadline() {
    let fake = FakeStreaming::start();
    fake.fault(0, Fault::PingFlood);
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    session.send_audio(&vec![0u8; 3200]).unwrap();
    let summary = session
        .terminate()
        .expect("ends at the termination deadline");
    assert!(!summary.terminated(), "the flood never said Termination");
    assert!(
        summary.sessions[0]
            .ended_by
            .as_deref()
            .is_some_and(|why| why.contains("no Termination")),
        "{:?}",
        summary.sessions
    );
}

#[test]
fn the_key_in_a_server_warning_is_redacted() {
    let fake = FakeStreaming::start();
    let warning = format!(
        r#"{{"type":"Warning","warning_code":1,"warning":"key {} is near its quota"}}"#,
        fake.key()
    );
    fake.fault(0, Fault::SendAfterBegin(warning));
    let (events, summary) = stream_all(&client(&fake), &StreamingParams::new(RATE), two_turns());
    summary.unwrap();
    let warning = events
        .iter()
        .find_map(|e| match e {
            StreamEvent::Warning { message, .. } => Some(message.clone()),
            _ => None,
        })
        .expect("the warning is reported");
    assert!(!warning.contains(fake.key()), "{warning}");
    assert!(warning.contains("<redacted>"), "{warning}");
}

#[test]
fn the_new_updatable_fields_go_in_update_configuration() {
    let fake = FakeStreaming::start();
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    let mut update = UpdateConfiguration::default();
    update.mode = Some(StreamingMode::MIN_LATENCY);
    update.agent_context = Some("How can I help?".into());
    update.language_codes = Some(vec![]);
    update.session_heartbeat = Some(true);
    session.update_configuration(&update).unwrap();
    session.terminate().unwrap();
    let sent: serde_json::Value = serde_json::from_str(&fake.sessions()[0].messages[0]).unwrap();
    assert_eq!(sent["type"], "UpdateConfiguration");
    assert_eq!(sent["mode"], "min_latency");
    assert_eq!(sent["agent_context"], "How can I help?");
    assert_eq!(sent["language_codes"], serde_json::json!([]));
    assert_eq!(sent["session_heartbeat"], true);
}

#[test]
fn a_real_recording_is_heard_as_words_not_a_crash() {
    let fake = FakeStreaming::start();
    let wav = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/hello.wav")).unwrap();
    // The sample is 16 kHz mono PCM16 with a 44-byte header.
    let (events, summary) = stream_all(
        &client(&fake),
        &StreamingParams::new(RATE),
        wav[44..].to_vec(),
    );
    assert!(summary.unwrap().terminated());
    let text: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Final(turn) => Some(turn.transcript.clone()),
            _ => None,
        })
        .collect();
    assert!(
        text.first().is_some_and(|t| t.starts_with("smoke")),
        "{text:?}"
    );
}

#[test]
fn compressed_audio_goes_as_given_one_message_per_piece() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(48_000);
    params.encoding = assemblyai::streaming::AudioEncoding::Opus;
    let mut session = client(&fake).connect(&params).unwrap();
    let packets: [&[u8]; 3] = [b"\x78\x01opus-packet-1", b"\x78\x02two", b"\x78\x03three!"];
    for packet in packets {
        session.send_audio(packet).unwrap();
    }
    assert!(session.terminate().unwrap().terminated());
    let logged = &fake.sessions()[0];
    assert_eq!(logged.query["encoding"], "opus");
    let sizes: Vec<usize> = logged.chunks.iter().map(|(_, len)| *len).collect();
    let expected: Vec<usize> = packets.iter().map(|p| p.len()).collect();
    assert_eq!(sizes, expected, "each packet whole, in its own message");
    assert_eq!(logged.audio, packets.concat());
}

#[test]
fn a_429_handshake_s_retry_after_is_waited_out_not_retried_at_once() {
    let emulator = Emulator::start().unwrap();
    // Asked to come back in 30 s, beyond what the policy waits (1 s): no second try at once.
    emulator.inject(
        assemblyai::emulator::Fault::status(429)
            .retry_after(30)
            .on("GET", "/v3/ws"),
    );
    let client = Client::builder("any-made-up-key")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let streaming = client.streaming().options(
        options().reconnect(
            RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_secs(1)),
        ),
    );
    let err = streaming.connect(&StreamingParams::new(RATE)).unwrap_err();
    assert!(matches!(err, Error::Api { status: 429, .. }), "{err:?}");
    assert_eq!(
        emulator.count("GET", "/v3/ws"),
        1,
        "retried despite Retry-After"
    );
}
