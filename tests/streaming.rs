//! The streaming library against the fake v3 server (`tests/streaming_fake`): the protocol, the
//! rules the server enforces, and the faults.
#![cfg(feature = "streaming")]

mod streaming_fake;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use assemblyai::streaming::{
    AudioEncoding, StreamEvent, StreamingClient, StreamingOptions, StreamingParams,
    UpdateConfiguration,
};
use assemblyai::{Error, RetryPolicy};
use streaming_fake::speech::{self, mulaw_encode, pcm16_bytes, speech};
use streaming_fake::{FakeStreaming, Fault, Rules};

const RATE: u32 = 16_000;

fn options() -> StreamingOptions {
    StreamingOptions::default()
        .reconnect(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .begin_timeout(Duration::from_secs(5))
}

fn client(fake: &FakeStreaming) -> StreamingClient {
    StreamingClient::new(fake.key())
        .url(fake.url())
        .options(options())
}

/// Streams `audio` to the end and returns the events.
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

fn finals(events: &[StreamEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| match event {
            StreamEvent::Final(turn) => Some(turn.transcript.clone()),
            _ => None,
        })
        .collect()
}

const TWO_TURNS: [&[usize]; 2] = [&[0, 1], &[2, 3]];

#[test]
fn a_stream_is_transcribed_turn_by_turn_at_real_time_pace_and_terminated() {
    let fake = FakeStreaming::start();
    let samples = speech(RATE, &TWO_TURNS, 200, 50, 400);
    let audio = pcm16_bytes(&samples);
    let (events, summary) = stream_all(&client(&fake), &StreamingParams::new(RATE), audio.clone());
    let summary = summary.expect("the stream ends cleanly");

    assert_eq!(finals(&events), speech::transcript(&TWO_TURNS));
    let Some(StreamEvent::Begin(begin)) = events.first() else {
        panic!("the first event is Begin: {events:?}")
    };
    assert_eq!(
        begin.model(),
        Some("universal-3-6-pro"),
        "the server's default"
    );
    assert!(
        matches!(events.last(), Some(StreamEvent::Termination(_))),
        "{events:?}"
    );
    assert!(summary.terminated());
    assert_eq!(summary.sessions.len(), 1);

    let session = &fake.sessions()[0];
    assert_eq!(
        session.authorization.as_deref(),
        Some(fake.key()),
        "the key goes in Authorization"
    );
    assert!(
        !session.query.contains_key("speech_model"),
        "no model is pinned: the server's default decides"
    );
    assert_eq!(session.model.as_deref(), Some("universal-3-6-pro"));
    assert_eq!(session.query["sample_rate"], "16000");
    assert_eq!(session.query["encoding"], "pcm_s16le");
    assert!(session.terminated);
    assert_eq!(
        &session.audio[..audio.len()],
        &audio[..],
        "every byte, in order"
    );
    // 100 ms chunks; the last holds the remainder, padded to 50 ms at least.
    let (last, whole) = session.chunks.split_last().unwrap();
    assert!(
        whole.iter().all(|(_, len)| *len == 3200),
        "{:?}",
        session.chunks
    );
    assert!((1600..=3200).contains(&last.1), "{last:?}");
    // Real time: chunk k leaves once k * 100 ms of audio has "played" (never earlier), and the
    // whole stream takes about its duration (generous bound: a loaded machine sleeps long).
    for (k, (at_ms, _)) in session.chunks.iter().enumerate() {
        assert!(
            *at_ms >= k as f64 * 100.0 - 2.0,
            "chunk {k} came at {at_ms} ms: too early"
        );
    }
    let audio_ms = samples.len() as f64 / 16.0;
    assert!(
        last.0 <= audio_ms * 1.5 + 500.0,
        "the last chunk came at {} ms for {audio_ms} ms of audio",
        last.0
    );
}

#[test]
fn audio_from_the_callers_thread_is_rechunked_paced_and_its_last_turn_kept() {
    let fake = FakeStreaming::start();
    let audio = pcm16_bytes(&speech(RATE, &[&[4, 5]], 150, 50, 0));
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    // 7 ms pieces, as a capture callback might hand them over.
    for piece in audio.chunks(224) {
        session.send_audio(piece).unwrap();
    }
    let summary = session.terminate().unwrap();
    let events: Vec<StreamEvent> = session.events().collect();
    assert_eq!(
        finals(&events),
        ["echo foxtrot"],
        "the turn still open at Terminate is final"
    );
    assert!(summary.terminated());
    let log = &fake.sessions()[0];
    assert!(
        log.chunks
            .iter()
            .all(|(_, len)| (1600..=3200).contains(len)),
        "{:?}",
        log.chunks
    );
    for (k, (at_ms, _)) in log.chunks.iter().enumerate() {
        assert!(*at_ms >= k as f64 * 100.0 - 2.0, "chunk {k} at {at_ms} ms");
    }
}

#[test]
fn a_retryable_close_mid_session_continues_in_a_new_session_with_no_audio_lost_or_repeated() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::CloseAfter {
            audio_ms: 1200,
            code: 3005,
            reason: "Session Cancelled: An error occurred".into(),
        },
    );
    let turns: [&[usize]; 3] = [&[0, 1], &[2, 3], &[6, 7]];
    let audio = pcm16_bytes(&speech(RATE, &turns, 200, 50, 400));
    let (events, summary) = stream_all(&client(&fake), &StreamingParams::new(RATE), audio.clone());
    let summary = summary.expect("the second session finishes the stream");

    assert_eq!(
        finals(&events),
        speech::transcript(&turns),
        "each turn once, none lost"
    );
    let sessions = fake.sessions();
    assert_eq!(sessions.len(), 2);
    let restarted = events.iter().find_map(|event| match event {
        StreamEvent::Restarted {
            previous_session_id,
            begin,
            audio_offset,
            reason,
            ..
        } => Some((
            previous_session_id.clone(),
            begin.id.clone(),
            *audio_offset,
            reason.clone(),
        )),
        _ => None,
    });
    let (previous, next, offset, reason) = restarted.expect("a Restarted event");
    assert_eq!(previous, sessions[0].id);
    assert_eq!(next, sessions[1].id);
    assert!(reason.contains("3005"), "{reason}");
    // The new session starts exactly where the old one's last final turn ended: what the old
    // session finalized is not sent again, and everything after it is.
    let resumed_at = offset.as_millis() as usize * 32;
    let first_turn_end = 2 * (200 + 50) * 32; // where "alpha bravo" ends
    assert_eq!(sessions[0].finals, ["alpha bravo"]);
    assert_eq!(
        resumed_at,
        first_turn_end - 50 * 32,
        "the end of the last word of the final"
    );
    assert_eq!(
        &sessions[1].audio[..audio.len() - resumed_at],
        &audio[resumed_at..]
    );
    assert_eq!(&sessions[0].audio[..resumed_at], &audio[..resumed_at]);
    assert_eq!(summary.sessions.len(), 2);
    assert!(summary.sessions[0].termination.is_none() && summary.terminated());
}

#[test]
fn a_dropped_connection_mid_session_continues_in_a_new_session() {
    let fake = FakeStreaming::start();
    fake.fault(0, Fault::DropAfter { audio_ms: 700 });
    let audio = pcm16_bytes(&speech(RATE, &TWO_TURNS, 200, 50, 400));
    let (events, summary) = stream_all(&client(&fake), &StreamingParams::new(RATE), audio);
    summary.expect("recovered");
    assert_eq!(finals(&events), speech::transcript(&TWO_TURNS));
    assert_eq!(fake.sessions().len(), 2);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::Restarted { reason, .. } if reason.contains("1006")))
    );
}

#[test]
fn a_wrong_key_is_refused_at_the_handshake_once_and_never_shown() {
    let fake = FakeStreaming::start();
    let wrong = "wrong-key-3f9a7c";
    let client = StreamingClient::new(wrong)
        .url(fake.url())
        .options(options());
    let error = client.connect(&StreamingParams::new(RATE)).unwrap_err();
    assert!(matches!(error, Error::Api { status: 401, .. }), "{error:?}");
    assert!(!error.is_retryable());
    let text = format!("{error} {error:?}");
    assert!(!text.contains(wrong), "the key leaked: {text}");
    assert_eq!(fake.sessions().len(), 1, "no retry of a refused key");
}

#[test]
fn an_auth_close_before_begin_is_a_typed_error_without_reconnecting() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::CloseBeforeBegin {
            code: 1008,
            reason: "Unauthorized Connection: Insufficient balance".into(),
        },
    );
    let error = client(&fake)
        .connect(&StreamingParams::new(RATE))
        .unwrap_err();
    match &error {
        Error::StreamClosed {
            code: 1008,
            reason,
            retryable: false,
            session_id: None,
        } => {
            assert!(reason.contains("Insufficient balance"), "{reason}");
        }
        other => panic!("expected a 1008 close, got {other:?}"),
    }
    assert_eq!(fake.sessions().len(), 1);
}

#[test]
fn a_slow_begin_times_out_and_the_next_connection_is_used() {
    let fake = FakeStreaming::start();
    fake.fault(0, Fault::SlowBegin(Duration::from_secs(3)));
    let client = client(&fake).options(options().begin_timeout(Duration::from_millis(300)));
    let mut session = client
        .connect(&StreamingParams::new(RATE))
        .expect("the second try");
    assert_eq!(fake.sessions().len(), 2);
    assert_eq!(session.session_id(), fake.sessions()[1].id);
    assert!(session.terminate().unwrap().terminated());
}

#[test]
fn a_slow_begin_every_time_ends_in_a_network_error_after_the_retries() {
    let fake = FakeStreaming::start();
    for connection in 0..2 {
        fake.fault(connection, Fault::SlowBegin(Duration::from_secs(3)));
    }
    let options = options()
        .begin_timeout(Duration::from_millis(200))
        .reconnect(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(10)),
        );
    let error = client(&fake)
        .options(options)
        .connect(&StreamingParams::new(RATE))
        .unwrap_err();
    assert!(matches!(error, Error::WebSocket { .. }), "{error:?}");
    assert!(error.to_string().contains("no Begin"), "{error}");
    assert_eq!(
        fake.sessions().len(),
        2,
        "as many tries as the policy allows, no more"
    );
}

#[test]
fn sending_too_fast_is_a_fatal_pacing_error_without_reconnecting() {
    // A server with no tolerance at all: even real-time pacing is "too fast" for it.
    let fake = FakeStreaming::with_rules(Rules {
        pacing_slack_ms: -1000.0,
        ..Rules::default()
    });
    let audio = pcm16_bytes(&speech(RATE, &TWO_TURNS, 200, 50, 400));
    let (events, result) = stream_all(&client(&fake), &StreamingParams::new(RATE), audio);
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::StreamClosed {
                code: 3007,
                retryable: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("Audio Transmission Rate Exceeded"),
        "the Error frame's text: {error}"
    );
    assert!(events.iter().any(|e| matches!(
        e,
        StreamEvent::ServerError {
            code: Some(3007),
            ..
        }
    )));
    assert_eq!(fake.sessions().len(), 1);
}

#[test]
fn chunk_durations_outside_50_to_1000_ms_are_refused_before_anything_is_sent() {
    let fake = FakeStreaming::start();
    for chunk in [Duration::from_millis(20), Duration::from_millis(1500)] {
        let client = client(&fake).options(options().chunk(chunk));
        let error = client.connect(&StreamingParams::new(RATE)).unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    }
    assert!(fake.sessions().is_empty());
}

#[test]
fn the_fake_enforces_chunk_durations_as_the_server_does() {
    // The rule the client's chunker exists for, checked on the fake itself with a raw socket.
    let fake = FakeStreaming::start();
    let url = format!(
        "{}?speech_model=universal-streaming-english&sample_rate=16000",
        fake.url()
    );
    let mut request = tungstenite::client::IntoClientRequest::into_client_request(url).unwrap();
    request
        .headers_mut()
        .insert("Authorization", fake.key().parse().unwrap());
    let (mut ws, _) = tungstenite::connect(request).unwrap();
    let _begin = ws.read().unwrap();
    ws.send(tungstenite::Message::Binary(vec![0u8; 640].into()))
        .unwrap(); // 20 ms
    let mut code = None;
    while let Ok(message) = ws.read() {
        if let tungstenite::Message::Close(Some(frame)) = message {
            code = Some(u16::from(frame.code));
        }
    }
    assert_eq!(code, Some(3007));
}

#[test]
fn every_parameter_is_sent_typed_with_keyterms_as_one_json_array() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(RATE);
    params.format_turns = Some(true);
    params.keyterms_prompt = Some(vec!["Alpha Bravo".into(), "kilo".into()]);
    params.end_of_turn_confidence_threshold = Some(0.0);
    params.min_turn_silence = Some(250);
    params.max_turn_silence = Some(2000);
    params.vad_threshold = Some(0.3);
    params.inactivity_timeout = Some(30);
    params.speaker_labels = Some(true);
    params.max_speakers = Some(2);
    params.extra.insert("mode".into(), "balanced".into());
    let audio = pcm16_bytes(&speech(RATE, &[&[0, 1]], 200, 50, 400));
    let (events, result) = stream_all(&client(&fake), &params, audio);
    result.unwrap();
    assert_eq!(
        finals(&events),
        ["Alpha bravo."],
        "format_turns reached the server"
    );
    let log = &fake.sessions()[0];
    assert_eq!(
        log.raw_query.matches("keyterms_prompt=").count(),
        1,
        "{}",
        log.raw_query
    );
    assert_eq!(log.query["keyterms_prompt"], r#"["Alpha Bravo","kilo"]"#);
    for (name, value) in [
        ("format_turns", "true"),
        ("end_of_turn_confidence_threshold", "0"),
        ("min_turn_silence", "250"),
        ("max_turn_silence", "2000"),
        ("vad_threshold", "0.3"),
        ("inactivity_timeout", "30"),
        ("speaker_labels", "true"),
        ("max_speakers", "2"),
        ("mode", "balanced"),
    ] {
        assert_eq!(
            log.query.get(name).map(String::as_str),
            Some(value),
            "{name}"
        );
    }
}

#[test]
fn update_configuration_force_endpoint_and_keep_alive_are_json_messages() {
    let fake = FakeStreaming::start();
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    // One long word: only ForceEndpoint can end its turn before the audio does.
    session
        .send_audio(&pcm16_bytes(&speech(RATE, &[&[8]], 300, 0, 0)))
        .unwrap();
    let mut update = UpdateConfiguration::default();
    update.max_turn_silence = Some(5000);
    session.update_configuration(&update).unwrap();
    session.keep_alive().unwrap();
    session.force_endpoint().unwrap();
    let mut got_final = None;
    while let Some(event) = session.next_event(Duration::from_secs(3)).unwrap() {
        if let StreamEvent::Final(turn) = event {
            got_final = Some(turn.transcript);
            break;
        }
    }
    assert_eq!(got_final.as_deref(), Some("india"));
    session.terminate().unwrap();
    let messages = &fake.sessions()[0].messages;
    assert_eq!(
        messages[0],
        r#"{"type":"UpdateConfiguration","max_turn_silence":5000}"#
    );
    assert_eq!(messages[1], r#"{"type":"KeepAlive"}"#);
    assert_eq!(messages[2], r#"{"type":"ForceEndpoint"}"#);
    assert_eq!(messages.last().unwrap(), r#"{"type":"Terminate"}"#);
}

#[test]
fn mulaw_audio_goes_with_its_encoding_and_one_byte_per_sample() {
    let fake = FakeStreaming::start();
    let mut params = StreamingParams::new(8000);
    params.encoding = AudioEncoding::PcmMulaw;
    let samples = speech(8000, &[&[2, 9]], 200, 50, 400);
    let audio: Vec<u8> = samples.iter().map(|s| mulaw_encode(*s)).collect();
    let (events, result) = stream_all(&client(&fake), &params, audio);
    result.unwrap();
    assert_eq!(finals(&events), ["charlie juliet"]);
    let log = &fake.sessions()[0];
    assert_eq!(log.query["encoding"], "pcm_mulaw");
    assert!(
        log.chunks[..log.chunks.len() - 1]
            .iter()
            .all(|(_, len)| *len == 800),
        "{:?}",
        log.chunks
    );
}

#[test]
fn terminate_waits_for_termination_only_a_bounded_time() {
    let fake = FakeStreaming::start();
    fake.fault(0, Fault::IgnoreTerminate);
    let client = client(&fake).options(options().termination_timeout(Duration::from_millis(300)));
    let mut session = client.connect(&StreamingParams::new(RATE)).unwrap();
    let summary = session
        .terminate()
        .expect("a missing Termination is not an error");
    assert!(!summary.terminated());
    assert!(
        summary.sessions[0]
            .ended_by
            .as_deref()
            .unwrap()
            .contains("no Termination")
    );
    assert!(fake.sessions()[0].terminated, "Terminate was sent");
}

#[test]
fn stopping_sends_terminate_and_still_reports_the_turn_in_progress() {
    let fake = FakeStreaming::start();
    let audio = pcm16_bytes(&speech(RATE, &[&[0, 1], &[2, 3, 4, 5, 6, 7]], 200, 50, 400));
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    let stop = AtomicBool::new(false);
    let mut events = Vec::new();
    let summary = session
        .stream(std::io::Cursor::new(audio), &stop, |event| {
            // Stop once the second turn has begun.
            if let StreamEvent::Partial(turn) = &event {
                if turn.turn_order == 1 {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            events.push(event);
        })
        .unwrap();
    let got = finals(&events);
    assert_eq!(got[0], "alpha bravo");
    assert!(got.len() == 2 && got[1].starts_with("charlie"), "{got:?}");
    assert!(summary.terminated());
    assert!(
        fake.audio_ms(RATE) < 2900,
        "audio after the stop was not sent"
    );
}

#[test]
fn temporary_tokens_are_minted_and_open_a_session_through_the_query() {
    let fake = FakeStreaming::start();
    let minted = client(&fake)
        .create_token(Duration::from_secs(60), Some(Duration::from_secs(600)))
        .unwrap();
    assert_eq!(
        fake.token_requests(),
        ["expires_in_seconds=60&max_session_duration_seconds=600"]
    );
    assert_eq!(minted.expires_in_seconds, Some(60));
    assert!(
        !format!("{minted:?}").contains(minted.token.expose()),
        "Debug hides the token"
    );

    let with_token = StreamingClient::with_token(minted.token.expose())
        .url(fake.url())
        .options(options());
    let mut session = with_token.connect(&StreamingParams::new(RATE)).unwrap();
    session.terminate().unwrap();
    let log = &fake.sessions()[0];
    assert_eq!(
        log.query.get("token").map(String::as_str),
        Some(minted.token.expose())
    );
    assert_eq!(log.authorization, None);

    // Single use, as the server's: a second session with it is refused, and its text hides it.
    let error = with_token.connect(&StreamingParams::new(RATE)).unwrap_err();
    assert!(matches!(error, Error::Api { status: 401, .. }), "{error:?}");
    assert!(
        with_token
            .create_token(Duration::from_secs(60), None)
            .is_err(),
        "a token mints no tokens"
    );
    for bad in [Duration::ZERO, Duration::from_secs(601)] {
        assert!(matches!(
            client(&fake).create_token(bad, None),
            Err(Error::InvalidInput { .. })
        ));
    }
    assert!(
        client(&fake)
            .create_token(Duration::from_secs(60), Some(Duration::from_secs(59)))
            .is_err()
    );
    assert_eq!(
        fake.token_requests().len(),
        1,
        "nothing sent for out-of-range values"
    );
}

#[test]
fn the_eu_region_streams_to_the_eu_host_and_debug_hides_the_key() {
    let eu = assemblyai::Client::builder("secret-key-77")
        .region(assemblyai::Region::Eu)
        .build()
        .unwrap();
    assert_eq!(
        eu.streaming().streaming_url(),
        "wss://streaming.eu.assemblyai.com/v3/ws"
    );
    let us = StreamingClient::new("secret-key-77");
    assert_eq!(us.streaming_url(), "wss://streaming.assemblyai.com/v3/ws");
    let eu = us.clone().region(assemblyai::Region::Eu);
    assert_eq!(
        eu.streaming_url(),
        "wss://streaming.eu.assemblyai.com/v3/ws"
    );
    assert!(!format!("{us:?}").contains("secret-key-77"));
}

#[test]
fn an_error_frame_whose_close_never_comes_still_ends_the_session_with_its_text() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::ErrorWithoutClose {
            audio_ms: 300,
            code: 3006,
            reason: "Invalid Message: something the server disliked".into(),
        },
    );
    let audio = pcm16_bytes(&speech(RATE, &TWO_TURNS, 200, 50, 400));
    let (_events, result) = stream_all(&client(&fake), &StreamingParams::new(RATE), audio);
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::StreamClosed {
                code: 3006,
                retryable: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("something the server disliked"),
        "{error}"
    );
    assert_eq!(fake.sessions().len(), 1);
}

#[test]
fn expiry_rolls_over_to_a_new_session_but_an_auth_close_mid_session_is_fatal() {
    let audio = pcm16_bytes(&speech(RATE, &TWO_TURNS, 200, 50, 400));
    let expiring = FakeStreaming::start();
    expiring.fault(
        0,
        Fault::CloseAfter {
            audio_ms: 600,
            code: 3008,
            reason: "Session Expired: Maximum session duration exceeded".into(),
        },
    );
    let (events, result) = stream_all(
        &client(&expiring),
        &StreamingParams::new(RATE),
        audio.clone(),
    );
    result.expect("3008 is a roll-over, not a failure");
    assert_eq!(finals(&events), speech::transcript(&TWO_TURNS));
    assert_eq!(expiring.sessions().len(), 2);

    let refused = FakeStreaming::start();
    refused.fault(
        0,
        Fault::CloseAfter {
            audio_ms: 600,
            code: 1008,
            reason: "Unauthorized Connection: account disabled".into(),
        },
    );
    let (_, result) = stream_all(&client(&refused), &StreamingParams::new(RATE), audio);
    let error = result.unwrap_err();
    match &error {
        Error::StreamClosed {
            code: 1008,
            session_id: Some(id),
            retryable: false,
            ..
        } => {
            assert_eq!(id, &refused.sessions()[0].id, "the error names the session");
        }
        other => panic!("expected a fatal 1008, got {other:?}"),
    }
    assert_eq!(
        refused.sessions().len(),
        1,
        "no reconnection on an auth close"
    );
}

#[test]
fn dropping_a_session_that_was_not_terminated_sends_terminate() {
    let fake = FakeStreaming::start();
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    session
        .send_audio(&pcm16_bytes(&speech(RATE, &[&[1]], 200, 0, 0)))
        .unwrap();
    drop(session);
    let log = &fake.sessions()[0];
    assert!(
        log.terminated,
        "a session left open would be billed until its 3 h cap"
    );
    assert_eq!(
        log.messages.last().map(String::as_str),
        Some(r#"{"type":"Terminate"}"#)
    );
}

#[test]
fn a_new_session_after_a_fault_gets_the_configuration_updates_again() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::CloseAfter {
            audio_ms: 300,
            code: 1011,
            reason: "Internal error".into(),
        },
    );
    let mut session = client(&fake).connect(&StreamingParams::new(RATE)).unwrap();
    let mut update = UpdateConfiguration::default();
    update.min_turn_silence = Some(200);
    session.update_configuration(&update).unwrap();
    session
        .send_audio(&pcm16_bytes(&speech(RATE, &[&[0, 1]], 200, 50, 400)))
        .unwrap();
    session.terminate().unwrap();
    let sessions = fake.sessions();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions[1].messages.first(),
        Some(&update.to_json()),
        "{:?}",
        sessions[1].messages
    );
    let finals: Vec<String> = session
        .events()
        .filter_map(|e| match e {
            StreamEvent::Final(turn) => Some(turn.transcript),
            _ => None,
        })
        .collect();
    assert_eq!(finals, ["alpha bravo"]);
}
