//! `aai emulator` from the outside: its first line, keys, signals, logs, and `aai` itself
//! pointed at it the way the README's newcomer path does.

mod emulator_cli;

use std::process::{Command, Output};

use emulator_cli::{Served, not_audio, sample_wav};
use serde_json::Value;

/// `aai ARGS` with the emulator as its API and `key` as the key.
fn aai(served: &Served, key: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aai"))
        .args(args)
        .env("ASSEMBLYAI_BASE_URL", &served.base_url)
        .env("ASSEMBLYAI_API_KEY", key)
        .env_remove("ASSEMBLYAI_KEY")
        .output()
        .unwrap()
}

fn get(served: &Served, key: &str, path: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", served.base_url);
    let mut response = agent.get(&url).header("Authorization", key).call().unwrap();
    let body = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), body)
}

#[test]
fn the_first_stdout_line_is_the_base_url_and_sigterm_stops_it_with_success() {
    let served = Served::start(&[]);
    assert_eq!(get(&served, "any-key", "/v2/transcript").0, 200);
    let status = served.terminate();
    assert!(status.success(), "{status:?}");
}

#[test]
fn with_a_key_every_other_key_gets_the_apis_401_body() {
    let served = Served::start(&["--key", "the-only-key"]);
    assert_eq!(get(&served, "the-only-key", "/v2/transcript").0, 200);
    let (status, body) = get(&served, "another-key", "/v2/transcript");
    assert_eq!(status, 401);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["error"],
        "Authentication error, API token missing/invalid"
    );
}

#[test]
fn transcribing_the_sample_wav_gives_words_within_its_three_seconds() {
    let served = Served::start(&["--complete-after", "50ms"]);
    let out = aai(
        &served,
        "k",
        &["transcribe", sample_wav().to_str().unwrap(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(transcript["status"], "completed");
    assert_eq!(transcript["audio_duration"], 3);
    let words = transcript["words"].as_array().unwrap();
    assert_eq!(words.len(), 9, "3 words a second");
    assert!(words.iter().all(|w| w["end"].as_u64().unwrap() <= 3000));
}

#[test]
fn an_upload_that_is_no_recording_fails_as_the_api_fails_it() {
    let served = Served::start(&["--complete-after", "50ms"]);
    let file = not_audio("cli-emulator-not-audio.bin");
    let out = aai(&served, "k", &["transcribe", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(6), "transcript failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "File does not appear to contain audio. File type is application/octet-stream (data)."
        ),
        "{stderr}"
    );
}

#[test]
fn a_plain_text_transcript_file_is_what_every_job_says() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let text = dir.join("cli-emulator-words.txt");
    std::fs::write(
        &text,
        "Hello from the emulator. It hears what you tell it.\n",
    )
    .unwrap();
    let served = Served::start(&[
        "--complete-after",
        "0s",
        "--transcript",
        text.to_str().unwrap(),
    ]);
    let out = aai(&served, "k", &["transcribe", "https://example.com/a.mp3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Hello from the emulator. It hears what you tell it."
    );
}

#[test]
fn injected_faults_are_retried_through_and_logged_as_json_lines() {
    let log = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-emulator-log.jsonl");
    let _ = std::fs::remove_file(&log);
    let served = Served::start(&[
        "--complete-after",
        "0s",
        "--log",
        log.to_str().unwrap(),
        "--fault",
        "route=GET:/v2/transcript/,status=503,times=1",
    ]);
    let out = aai(
        &served,
        "k",
        &[
            "transcribe",
            "https://example.com/a.mp3",
            "--poll-interval",
            "10ms",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let methods: Vec<&str> = lines
        .iter()
        .map(|l| l["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods[0], "POST");
    assert!(
        lines[1]["fault"].as_str().unwrap().contains("503"),
        "{:?}",
        lines[1]
    );
    assert!(lines.len() >= 3, "the refused GET was retried: {lines:?}");
}

#[test]
fn a_url_on_an_invalid_host_fails_with_the_apis_download_error() {
    let served = Served::start(&["--complete-after", "0s"]);
    let out = aai(
        &served,
        "k",
        &["transcribe", "https://files.example.invalid/talk.mp3"],
    );
    assert_eq!(out.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("Download error, unable to download https://files.example.invalid/talk.mp3"),
        "{stderr}"
    );
}

fn post(served: &Served, path: &str, body: &str) -> (u16, Option<String>, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", served.base_url);
    let mut response = agent
        .post(&url)
        .header("Authorization", "k")
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let body = response.body_mut().read_to_string().unwrap();
    (
        response.status().as_u16(),
        retry_after,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

const CREATE: &str = r#"{"audio_url":"https://example.com/a.mp3","speech_models":["universal-2"]}"#;

#[test]
fn concurrency_keeps_jobs_beyond_the_limit_queued_and_throttled() {
    let served = Served::start(&["--concurrency", "1", "--complete-after", "1h"]);
    let (_, _, first) = post(&served, "/v2/transcript", CREATE);
    let (_, _, second) = post(&served, "/v2/transcript", CREATE);
    assert_ne!(first["throttled"], true);
    assert_eq!(
        (second["status"].as_str(), second["throttled"].as_bool()),
        (Some("queued"), Some(true))
    );
}

#[test]
fn the_rate_limit_answers_429_with_retry_after() {
    let served = Served::start(&["--rate-limit", "1/60s"]);
    assert_eq!(post(&served, "/v2/transcript", CREATE).0, 200);
    let (status, retry_after, body) = post(&served, "/v2/transcript", CREATE);
    assert_eq!(status, 429);
    assert_eq!(body["error"], "Too Many Requests");
    assert!(retry_after.unwrap().parse::<u64>().unwrap() >= 59);
}

#[test]
fn a_transcript_json_file_sets_the_fields_every_job_completes_with() {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-emulator-t.json");
    std::fs::write(
        &path,
        r#"{"text":"Exactly this.","words":[],"language_code":"fr"}"#,
    )
    .unwrap();
    let served = Served::start(&[
        "--complete-after",
        "0s",
        "--transcript",
        path.to_str().unwrap(),
    ]);
    let out = aai(
        &served,
        "k",
        &["transcribe", "https://example.com/a.mp3", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            transcript["text"].as_str(),
            transcript["language_code"].as_str()
        ),
        (Some("Exactly this."), Some("fr"))
    );
}
