//! The Sync STT API through the library, against the emulator: one
//! multipart request, config first, streamed; refusals before sending;
//! both error shapes; retries that replay a stream; the warm connection.

mod clip_support;

use assemblyai::emulator::{ClipErrorShape, Fault};
use assemblyai::sync::{DEFAULT_SYNC_MODEL, SyncRequest};
use assemblyai::{ClipErrorCode, Error};
use clip_support::{KEY, TempFile, client, emulator, mp3, pcm, trickle, wav, wav_with};

const LIVE: &str = "/sync/v1/transcribe/live";

fn pcm_request() -> SyncRequest {
    let mut request = SyncRequest::default();
    request.sample_rate = Some(16_000);
    request.channels = Some(1);
    request
}

#[test]
fn a_wav_file_goes_with_its_length_config_first_and_comes_back_with_words_per_its_duration() {
    let api = emulator();
    let file = TempFile::new("five.wav", &wav(5.0));
    let mut request = SyncRequest::default();
    request.timestamps = Some(true);
    request.keyterms_prompt = Some(vec!["Kubernetes".into()]);
    let clip = client(&api)
        .transcribe_sync_file(file.path(), &request)
        .unwrap();

    assert_eq!(clip.audio_duration_ms, Some(5000));
    assert_eq!(clip.words.len(), 12, "one word every 400 ms");
    assert!(
        clip.words
            .iter()
            .all(|w| w.start.is_some() && w.end.is_some())
    );
    assert!(clip.text.starts_with(&clip.words[0].text));
    let sent = &api.requests_to("POST", LIVE)[0];
    assert!(!sent.chunked);
    assert_eq!(sent.header("x-aai-model"), Some(DEFAULT_SYNC_MODEL));
    assert_eq!(sent.header("authorization"), Some(KEY));
    let body = String::from_utf8_lossy(&sent.body_prefix);
    let config = body.find("name=\"config\"").unwrap();
    let audio = body.find("name=\"audio\"").unwrap();
    assert!(config < audio, "config must come first");
    assert!(body.contains(r#"{"keyterms_prompt":["Kubernetes"],"timestamps":true}"#));
    assert!(body.contains("Content-Type: audio/wav"));
}

#[test]
fn a_stream_is_sent_chunked_as_it_is_read_and_the_chosen_model_goes_in_the_header() {
    let api = emulator();
    let mut request = pcm_request();
    request.model = Some("u3-sync-pro".into());
    let clip = client(&api)
        .transcribe_sync(trickle(pcm(2.0), 3000), &request)
        .unwrap();
    assert_eq!(clip.audio_duration_ms, Some(2000));
    let sent = &api.requests_to("POST", LIVE)[0];
    assert!(sent.chunked);
    assert_eq!(sent.header("x-aai-model"), Some("u3-sync-pro"));
    assert!(String::from_utf8_lossy(&sent.body_prefix).contains("Content-Type: audio/pcm"));
}

#[test]
fn what_sync_cannot_take_is_refused_before_anything_is_sent() {
    let api = emulator();
    let client = client(&api);
    let mp3 = TempFile::new("song.mp3", &mp3(10_000));
    let err = client
        .transcribe_sync_file(mp3.path(), &SyncRequest::default())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidSource { .. }), "{err}");
    assert!(err.to_string().contains("WAV or raw 16-bit PCM"), "{err}");

    let long = TempFile::new("long.wav", &wav(121.0));
    let err = client
        .transcribe_sync_file(long.path(), &SyncRequest::default())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("longer than the Sync API's 2 minutes"),
        "{err}"
    );

    let err = client
        .transcribe_sync(pcm(1.0).as_slice(), &SyncRequest::default())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert!(err.to_string().contains("sample_rate"), "{err}");

    let eight_bit = TempFile::new("8bit.wav", &wav_with(&[0; 16_000], 8));
    let err = client
        .transcribe_sync_file(eight_bit.path(), &SyncRequest::default())
        .unwrap_err();
    assert!(err.to_string().contains("16-bit only"), "{err}");

    let mut request = SyncRequest::default();
    request.prompt = Some("x".repeat(6001));
    let ok = TempFile::new("ok.wav", &wav(1.0));
    let err = client
        .transcribe_sync_file(ok.path(), &request)
        .unwrap_err();
    assert!(
        err.to_string().contains("prompt is 6001 characters"),
        "{err}"
    );

    assert_eq!(api.count("POST", "/sync"), 0);
}

#[test]
fn a_413_mid_upload_in_either_shape_is_a_typed_error_and_is_not_retried() {
    for shape in [ClipErrorShape::Problem, ClipErrorShape::Legacy] {
        let api = emulator();
        api.set_clip_error_shape(shape);
        let err = client(&api)
            .transcribe_sync(trickle(pcm(125.0), 64 * 1024), &pcm_request())
            .unwrap_err();
        match &err {
            Error::Clip {
                status: 413,
                code: Some(ClipErrorCode::AudioTooLarge),
                message,
                ..
            } => assert!(message.contains("exceeds limit 120000 ms"), "{message}"),
            other => panic!("{shape:?}: {other:?}"),
        }
        assert!(!err.is_retryable());
        assert_eq!(api.count("POST", LIVE), 1);
    }
}

#[test]
fn a_429_with_retry_after_is_retried_and_the_stream_is_sent_again_whole() {
    let api = emulator();
    api.inject(
        Fault::Status {
            code: 429,
            body: r#"{"status":429,"title":"Too Many Requests","detail":"slow down"}"#.into(),
            retry_after: Some(1),
        }
        .on("POST", LIVE),
    );
    let audio = pcm(1.5);
    let clip = client(&api)
        .transcribe_sync(trickle(audio.clone(), 5000), &pcm_request())
        .unwrap();
    assert_eq!(clip.audio_duration_ms, Some(1500));
    let sent = api.requests_to("POST", LIVE);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body_len, sent[1].body_len);
    assert!(sent[0].body_len > audio.len() as u64);
    assert_eq!(sent[0].body_fnv, sent[1].body_fnv);
}

#[test]
fn a_server_timeout_is_retried_once_and_then_reported_with_its_code() {
    let api = emulator();
    api.inject(
        Fault::Status {
            code: 504,
            body: r#"{"error_code":"inference_timeout","message":"over the 30 s deadline"}"#.into(),
            retry_after: None,
        }
        .on("POST", LIVE)
        .times(5),
    );
    let file = TempFile::new("t.wav", &wav(1.0));
    let err = client(&api)
        .transcribe_sync_file(file.path(), &SyncRequest::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Clip {
                status: 504,
                code: Some(ClipErrorCode::InferenceTimeout),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(api.count("POST", LIVE), 2);
}

#[test]
fn a_wrong_key_is_a_401_that_never_shows_the_key() {
    let api = emulator();
    let key = "wrong-key-0123456789abcdef";
    let client = assemblyai::Client::builder(key)
        .base_url(api.base_url())
        .build()
        .unwrap();
    let file = TempFile::new("k.wav", &wav(1.0));
    let err = client
        .transcribe_sync_file(file.path(), &SyncRequest::default())
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.to_string().contains("Invalid API key"), "{err}");
    assert!(!format!("{err} {err:?}").contains(key));
}

#[test]
fn warm_opens_the_one_connection_every_later_clip_uses() {
    let api = emulator();
    let client = client(&api);
    client.warm_sync().unwrap();
    assert_eq!(api.connections_accepted(), 1);
    let file = TempFile::new("w.wav", &wav(1.0));
    for _ in 0..3 {
        client
            .transcribe_sync_file(file.path(), &SyncRequest::default())
            .unwrap();
    }
    assert_eq!(api.connections_accepted(), 1);
    let warm = &api.requests_to("GET", "/sync/v1/warm")[0];
    assert_eq!(warm.path, "/sync/v1/warm");
}

#[test]
fn an_upload_the_server_cuts_past_two_minutes_says_so() {
    let api = emulator();
    api.inject(
        Fault::DropDuringBody {
            after_bytes: 4_200_000,
        }
        .on("POST", LIVE)
        .times(2),
    );
    let err = client(&api)
        .transcribe_sync(trickle(pcm(140.0), 64 * 1024), &pcm_request())
        .unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert!(
        err.to_string().contains("the server likely cut it off"),
        "{err}"
    );
}
