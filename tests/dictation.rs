//! The Dictation API through the library, against the emulator: the live
//! route for what it takes, `/v1/transcribe` for compressed or long audio,
//! and the fallback of a recording the live route refuses mid-upload.

mod clip_support;

use assemblyai::dictation::{DictationRequest, LlmError};
use assemblyai::emulator::{ClipErrorShape, Fault};
use assemblyai::{ClipErrorCode, Error};
use clip_support::{TempFile, client, emulator, mp3, pcm, trickle, wav};

const LIVE: &str = "/dictation/v1/transcribe/live";
const WHOLE: &str = "/dictation/v1/transcribe";

fn pcm_request() -> DictationRequest {
    let mut request = DictationRequest::default();
    request.sample_rate = Some(16_000);
    request.channels = Some(1);
    request
}

#[test]
fn a_short_wav_goes_live_and_comes_back_verbatim_and_cleaned_up() {
    let api = emulator();
    let file = TempFile::new("note.wav", &wav(3.0));
    let note = client(&api)
        .dictate_file(file.path(), &DictationRequest::default())
        .unwrap();
    assert!(note.text.starts_with("um "), "{}", note.text);
    let cleaned = note.llm_response.clone().unwrap();
    assert!(
        !cleaned.starts_with("um") && cleaned.ends_with('.'),
        "{cleaned}"
    );
    assert_eq!(note.final_text(), cleaned);
    assert!(!note.resent_whole);
    assert_eq!(api.count("POST", LIVE), 1);
    assert_eq!(api.count("POST", "/dictation/v1/transcribe"), 1);
}

#[test]
fn the_instruction_and_key_terms_go_under_their_canonical_names() {
    let api = emulator();
    let mut request = pcm_request();
    request.llm_instruction = Some("Make it a list".into());
    request.keyterms_prompt = Some(vec!["Zoltan".into()]);
    let note = client(&api).dictate(pcm(1.0).as_slice(), &request).unwrap();
    assert!(
        note.final_text().starts_with("[Make it a list] "),
        "{}",
        note.final_text()
    );
    let body = String::from_utf8_lossy(&api.requests_to("POST", LIVE)[0].body_prefix).into_owned();
    assert!(body.contains(r#""keyterms_prompt":["Zoltan"]"#), "{body}");
    assert!(
        body.contains(r#""llm_instruction":"Make it a list""#),
        "{body}"
    );
}

#[test]
fn a_recording_the_live_route_refuses_as_too_long_is_sent_again_whole_to_v1_transcribe() {
    for shape in [ClipErrorShape::Problem, ClipErrorShape::Legacy] {
        let api = emulator();
        api.set_clip_error_shape(shape);
        let audio = pcm(130.0);
        let note = client(&api)
            .dictate(trickle(audio.clone(), 32 * 1024), &pcm_request())
            .unwrap();
        assert!(note.resent_whole);
        assert_eq!(note.audio_duration_ms, Some(130_000));
        let whole = api
            .requests()
            .into_iter()
            .filter(|r| r.path == WHOLE)
            .collect::<Vec<_>>();
        assert_eq!(whole.len(), 1, "{shape:?}");
        assert!(
            !whole[0].chunked,
            "the whole recording goes with its length"
        );
        assert!(whole[0].body_len > audio.len() as u64);
        assert_eq!(api.count("POST", LIVE), 1);
    }
}

#[test]
fn a_compressed_or_long_file_goes_straight_to_v1_transcribe() {
    let api = emulator();
    let client = client(&api);
    let mp3 = TempFile::new("memo.mp3", &mp3(64_000));
    let note = client
        .dictate_file(mp3.path(), &DictationRequest::default())
        .unwrap();
    assert!(!note.text.is_empty());
    let long = TempFile::new("long.wav", &wav(150.0));
    client
        .dictate_file(long.path(), &DictationRequest::default())
        .unwrap();
    let sent: Vec<_> = api.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(sent, [WHOLE, WHOLE]);
    let first = String::from_utf8_lossy(&api.requests()[0].body_prefix).into_owned();
    assert!(first.contains("Content-Type: audio/mpeg"), "{first}");
}

#[test]
fn a_failed_clean_up_is_still_a_dictation_with_the_verbatim_text() {
    let api = emulator();
    api.set_dictation_llm_error(Some("timeout"));
    let file = TempFile::new("t.wav", &wav(1.0));
    let note = client(&api)
        .dictate_file(file.path(), &DictationRequest::default())
        .unwrap();
    assert_eq!(note.llm_response, None);
    assert_eq!(note.llm_error, Some(LlmError::Timeout));
    assert_eq!(note.final_text(), note.text);
}

#[test]
fn the_servers_refusals_come_back_typed_and_capacity_is_waited_out() {
    let api = emulator();
    let mut request = DictationRequest::default();
    request.language_codes = Some(vec!["tlh".into()]);
    let file = TempFile::new("l.wav", &wav(1.0));
    let err = client(&api)
        .dictate_file(file.path(), &request)
        .unwrap_err();
    match &err {
        Error::Clip {
            status: 400,
            code: Some(ClipErrorCode::BadRequest),
            message,
            ..
        } => assert!(message.contains("yue"), "the set is listed: {message}"),
        other => panic!("{other:?}"),
    }

    api.inject(
        Fault::Status {
            code: 503,
            body: r#"{"status":503,"title":"Capacity Exceeded","detail":"busy"}"#.into(),
            retry_after: Some(1),
        }
        .on("POST", LIVE),
    );
    client(&api)
        .dictate_file(file.path(), &DictationRequest::default())
        .unwrap();
    assert_eq!(api.count("POST", LIVE), 3);
}

#[test]
fn an_instruction_over_its_cap_is_refused_before_sending() {
    let api = emulator();
    let mut request = DictationRequest::default();
    request.llm_instruction = Some("x".repeat(2049));
    let err = client(&api)
        .dictate(wav(1.0).as_slice(), &request)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn a_server_that_cuts_the_upload_past_two_minutes_gets_the_recording_whole_on_v1_transcribe() {
    let api = emulator();
    // 4.2 MB of 16 kHz mono is 131 s: the connection closes there, without
    // a reply, on the first try and on the retry.
    api.inject(
        Fault::DropDuringBody {
            after_bytes: 4_200_000,
        }
        .on("POST", LIVE)
        .times(2),
    );
    let audio = pcm(140.0);
    let note = client(&api)
        .dictate(trickle(audio, 64 * 1024), &pcm_request())
        .unwrap();
    assert!(note.resent_whole);
    assert_eq!(note.audio_duration_ms, Some(140_000));
    assert_eq!(api.count("POST", LIVE), 2);
}
