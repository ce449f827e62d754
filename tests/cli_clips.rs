//! `aai sync`, `aai dictate` and `aai transcribe --sync` against the
//! emulator: results on stdout, refusals before sending with their exit
//! codes, stdin sent while it is read, the key never printed.

mod cli_common;
mod clip_support;
mod emulator_cli;
mod support;

use assemblyai::emulator::Emulator;
use cli_common::{bare_aai, run, run_with_stdin};
use clip_support::{KEY, TempFile, emulator, mp3, pcm, wav};
use serde_json::Value;

fn aai(api: &Emulator) -> std::process::Command {
    let mut command = bare_aai();
    command
        .env("ASSEMBLYAI_BASE_URL", api.base_url())
        .env("ASSEMBLYAI_API_KEY", KEY);
    command
}

#[test]
fn sync_prints_the_text_and_words_and_json_of_a_wav() {
    let api = emulator();
    let file = TempFile::new("cli-five.wav", &wav(5.0));
    let path = file.path().to_str().unwrap();
    let text = run(aai(&api).args(["sync", path]));
    text.expect_ok();
    assert!(
        text.stdout.starts_with("Smoke from hundreds"),
        "{}",
        text.stdout
    );
    assert_eq!(text.stdout.lines().count(), 1);

    let words = run(aai(&api).args(["sync", path, "--timestamps", "--format", "words"]));
    words.expect_ok();
    assert_eq!(words.stdout.lines().count(), 12);
    assert!(
        words.stdout.starts_with("0\t360\t0.91\tSmoke\n"),
        "{}",
        words.stdout
    );

    let json = run(aai(&api).args(["transcribe", path, "--sync", "--json"]));
    json.expect_ok();
    let reply: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(reply["audio_duration_ms"], 5000);
    assert_eq!(api.count("POST", "/sync/v1/transcribe/live"), 3);
}

#[test]
fn sync_sends_stdin_as_raw_pcm_with_its_rate_and_refuses_it_without() {
    let api = emulator();
    let ok = run_with_stdin(
        aai(&api).args(["sync", "-", "--sample-rate", "16000", "--channels", "1"]),
        Some(pcm(2.0)),
    );
    ok.expect_ok();
    assert!(api.requests_to("POST", "/sync/v1/transcribe/live")[0].chunked);

    let refused = run_with_stdin(aai(&api).args(["sync", "-"]), Some(pcm(2.0)));
    refused
        .expect_code(2)
        .stderr_mentions(&["raw 16-bit PCM", "sample_rate"]);
    assert_eq!(api.count("POST", "/sync"), 1);
}

#[test]
fn sync_refuses_a_compressed_file_before_sending_with_what_to_do() {
    let api = emulator();
    let file = TempFile::new("cli-song.mp3", &mp3(20_000));
    let refused = run(aai(&api).args(["sync", file.path().to_str().unwrap()]));
    refused
        .expect_code(3)
        .stderr_mentions(&["mp3", "WAV or raw 16-bit PCM", "aai transcribe"]);
    assert_eq!(api.requests().len(), 0);
}

#[test]
fn a_wrong_key_exits_5_and_is_never_printed() {
    let api = emulator();
    let file = TempFile::new("cli-key.wav", &wav(1.0));
    let key = "cli-wrong-key-9f8e7d6c5b4a";
    let refused = run(aai(&api)
        .env("ASSEMBLYAI_API_KEY", key)
        .args(["sync", file.path().to_str().unwrap()]));
    refused.expect_code(5).stderr_mentions(&["Invalid API key"]);
    assert!(!refused.stderr.contains(key) && !refused.stdout.contains(key));
}

#[test]
fn dictate_prints_the_clean_up_or_the_verbatim_text_or_both_as_json() {
    let api = emulator();
    let file = TempFile::new("cli-note.wav", &wav(2.0));
    let path = file.path().to_str().unwrap();
    let cleaned = run(aai(&api).args(["dictate", path, "--instruction", "Be brief"]));
    cleaned.expect_ok();
    assert!(
        cleaned.stdout.starts_with("[Be brief] Smoke"),
        "{}",
        cleaned.stdout
    );
    let raw = run(aai(&api).args(["dictate", path, "--raw"]));
    raw.expect_ok();
    assert!(raw.stdout.starts_with("um Smoke"), "{}", raw.stdout);
    let json = run(aai(&api).args(["dictate", path, "--json"]));
    json.expect_ok();
    let reply: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(reply["llm_response"].as_str().unwrap().starts_with("Smoke"));
}

#[test]
fn dictate_from_stdin_past_two_minutes_says_it_sent_the_recording_whole() {
    let api = emulator();
    let long = run_with_stdin(
        aai(&api).args(["dictate", "-", "--sample-rate", "16000", "--channels", "1"]),
        Some(pcm(125.0)),
    );
    long.expect_ok()
        .stderr_mentions(&["sent whole to /v1/transcribe"]);
    assert!(long.stdout.starts_with("Smoke"), "{}", long.stdout);
    assert_eq!(api.count("POST", "/dictation/v1/transcribe/live"), 1);
    let whole = api
        .requests()
        .into_iter()
        .filter(|r| r.path == "/dictation/v1/transcribe")
        .count();
    assert_eq!(whole, 1);
}

#[test]
fn a_failed_clean_up_is_a_warning_and_the_verbatim_text_is_printed() {
    let api = emulator();
    api.set_dictation_llm_error(Some("timeout"));
    let file = TempFile::new("cli-llm.wav", &wav(1.0));
    let run = run(aai(&api).args(["dictate", file.path().to_str().unwrap()]));
    run.expect_ok()
        .stderr_mentions(&["warning", "clean-up failed (timeout)"]);
    assert!(run.stdout.starts_with("um "), "{}", run.stdout);
}

#[test]
fn dictate_sends_the_rewrite_mode_and_refuses_one_it_does_not_know() {
    let api = emulator();
    let file = TempFile::new("cli-mode.wav", &wav(1.0));
    let path = file.path().to_str().unwrap();
    run(aai(&api).args(["dictate", path, "--rewrite-mode", "smart"])).expect_ok();
    let body = String::from_utf8_lossy(&api.requests()[0].body_prefix).into_owned();
    assert!(body.contains(r#""rewrite_mode":"smart""#), "{body}");
    run(aai(&api).args(["dictate", path, "--rewrite-mode", "clever"]))
        .expect_code(2)
        .stderr_mentions(&["fast, smart"]);
}

#[test]
fn aai_emulator_serves_both_apis_with_its_faults_and_error_shape() {
    let served = emulator_cli::Served::start(&[
        "--key",
        KEY,
        "--clip-errors",
        "legacy",
        "--llm-error",
        "error",
        "--fault",
        "route=POST:/sync/v1/transcribe/live,status=503,retry-after=1",
    ]);
    let file = TempFile::new("cli-served.wav", &wav(1.0));
    let path = file.path().to_str().unwrap();
    let against = || {
        let mut command = bare_aai();
        command
            .env("ASSEMBLYAI_BASE_URL", &served.base_url)
            .env("ASSEMBLYAI_API_KEY", KEY);
        command
    };
    // The 503 with Retry-After is waited out, then the clip goes through.
    run(against().args(["sync", path])).expect_ok();
    run(against().args(["dictate", path]))
        .expect_ok()
        .stderr_mentions(&["clean-up failed (error)"]);
    let refused = run_with_stdin(
        against().args(["sync", "-", "--sample-rate", "16000", "--channels", "1"]),
        Some(pcm(121.0)),
    );
    // Legacy shape: the code comes from error_code.
    refused
        .expect_code(4)
        .stderr_mentions(&["413 audio_too_large", "exceeds limit 120000 ms"]);
}
