//! `aai upload`, `submit`, `get`, `wait`, the help texts, and the connection options
//! (`--api-key-file`, `--region`, `--base-url`), run as a process against the fake API.

mod cli_common;
mod support;

use std::fs;

use cli_common::{TempDir, aai, audio_bytes, bare_aai, is_uuid, run};
use serde_json::{Value, json};
use support::{FakeApi, example_text, fnv1a64};

#[test]
fn upload_prints_the_url_the_server_returned() {
    let fake = FakeApi::start();
    let dir = TempDir::new("upload");
    let bytes = audio_bytes(70_000);
    let audio = dir.file("a.flac", &bytes);

    let out = run(aai(&fake).arg("upload").arg(&audio));

    out.expect_ok();
    let uploads = fake.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].fnv, fnv1a64(&bytes));
    assert!(!uploads[0].chunked, "a file is sent with its length");
    assert_eq!(out.stdout, format!("{}\n", uploads[0].url));
    assert_eq!(fake.count("POST", "/v2/transcript"), 0);
}

#[test]
fn upload_of_stdin_is_streamed() {
    let fake = FakeApi::start();
    let bytes = audio_bytes(200_000);

    let out = cli_common::run_with_stdin(aai(&fake).args(["upload", "-"]), Some(bytes.clone()));

    out.expect_ok();
    let uploads = fake.uploads();
    assert!(uploads[0].chunked);
    assert_eq!(uploads[0].fnv, fnv1a64(&bytes));
    assert_eq!(out.stdout, format!("{}\n", uploads[0].url));
}

#[test]
fn upload_json_prints_an_object_with_the_url() {
    let fake = FakeApi::start();
    let dir = TempDir::new("upload-json");
    let audio = dir.file("a.flac", &audio_bytes(100));

    let out = run(aai(&fake).args(["upload", "--json"]).arg(&audio));

    out.expect_ok();
    let printed: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(printed, json!({"upload_url": fake.uploads()[0].url}));
    assert!(out.stdout.ends_with("}\n"));
}

#[test]
fn submit_prints_an_id_and_starts_a_job_on_that_url() {
    let fake = FakeApi::start();
    let url = "https://example.com/podcast.mp3";

    let out = run(aai(&fake).args(["submit", url, "--speaker-labels"]));

    out.expect_ok();
    let transcripts = fake.transcripts();
    assert_eq!(transcripts.len(), 1);
    assert_eq!(transcripts[0]["audio_url"], url);
    assert_eq!(transcripts[0]["speaker_labels"], true);
    assert!(
        is_uuid(out.stdout.trim_end()),
        "not an id: {:?}",
        out.stdout
    );
    assert_eq!(
        out.stdout,
        format!("{}\n", transcripts[0]["id"].as_str().unwrap())
    );
    assert_eq!(fake.count("POST", "/v2/upload"), 0);
    assert_eq!(fake.count("GET", "/v2/transcript"), 0);
}

#[test]
fn submit_json_prints_the_created_object() {
    let fake = FakeApi::start();

    let out = run(aai(&fake).args(["submit", "https://example.com/a.mp3", "--json"]));

    out.expect_ok();
    let created: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(created["status"], "queued");
    assert_eq!(created["id"], fake.transcripts()[0]["id"]);
    out.stderr_json_lines();
}

#[test]
fn get_prints_the_status_and_with_json_the_object() {
    let fake = FakeApi::start();
    let done = fake.insert_transcript(json!({"text": "Done.", "brand_new": 7}));
    let failed = fake.insert_transcript(json!({
        "status": "error",
        "error": "Audio duration is too short.",
    }));

    let out = run(aai(&fake).args(["get", &done]));
    out.expect_ok();
    assert_eq!(out.stdout, "completed\n");

    let out = run(aai(&fake).args(["get", &failed]));
    out.expect_ok();
    assert_eq!(out.stdout, "error: Audio duration is too short.\n");

    let out = run(aai(&fake).args(["get", &done, "--json"]));
    out.expect_ok();
    let object: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(object["id"], json!(done));
    assert_eq!(object["text"], "Done.");
    assert_eq!(object["brand_new"], 7, "a field the crate doesn't know");
    assert!(out.stdout.ends_with("}\n") && !out.stdout.ends_with("\n\n"));
}

#[test]
fn wait_waits_for_a_job_and_prints_its_text() {
    let fake = FakeApi::start();
    let submitted = run(aai(&fake).args(["submit", "https://example.com/a.mp3"]));
    submitted.expect_ok();
    let id = submitted.stdout.trim_end();

    let out = run(aai(&fake).args(["wait", id]));

    out.expect_ok();
    assert_eq!(out.stdout, format!("{}\n", example_text()));
    assert!(
        fake.count("GET", &format!("/v2/transcript/{id}")) >= 2,
        "processing, then done"
    );
}

#[test]
fn wait_with_format_and_output_writes_subtitles_to_the_file() {
    let fake = FakeApi::start();
    let submitted = run(aai(&fake).args(["submit", "https://example.com/a.mp3"]));
    let id = submitted.expect_ok().stdout.trim_end().to_owned();
    let dir = TempDir::new("wait-srt");
    let target = dir.join("talk.srt");

    let out = run(aai(&fake)
        .args([
            "wait",
            &id,
            "--format",
            "srt",
            "--chars-per-caption",
            "32",
            "-o",
        ])
        .arg(&target));

    out.expect_ok();
    assert_eq!(out.stdout, "");
    let srt = fs::read_to_string(&target).unwrap();
    assert!(srt.starts_with("1\n"), "not SRT: {srt:?}");
    assert!(srt.contains(" --> "), "not SRT: {srt:?}");
    let export = &fake.requests_to("GET", &format!("/v2/transcript/{id}/srt"))[0];
    assert_eq!(export.query_param("chars_per_caption"), Some("32"));
    assert_eq!(dir.entries(), ["talk.srt"]);
}

#[test]
fn wait_json_prints_the_object() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Hi."}));

    let out = run(aai(&fake).args(["wait", &id, "--json"]));

    out.expect_ok();
    let object: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(object["text"], "Hi.");
}

#[test]
fn main_help_lists_every_command_on_stdout() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let out = run(bare_aai().args(args));
        out.expect_ok();
        assert_eq!(out.stderr, "", "{args:?}");
        for command in [
            "transcribe",
            "upload",
            "submit",
            "get",
            "wait",
            "--api-key-file",
        ] {
            assert!(out.stdout.contains(command), "{args:?} lacks {command}");
        }
    }
}

#[test]
fn transcribe_help_is_the_same_every_way_and_mentions_its_flags() {
    let by_flag = run(bare_aai().args(["transcribe", "--help"]));
    let by_command = run(bare_aai().args(["help", "transcribe"]));
    let short = run(bare_aai().args(["transcribe", "-h"]));
    by_flag.expect_ok();
    by_command.expect_ok();
    short.expect_ok();
    assert_eq!(by_flag.stdout, by_command.stdout);
    assert_eq!(by_flag.stdout, short.stdout);
    let help = &by_flag.stdout;
    for flag in [
        "--format",
        "--json",
        "--chars-per-caption",
        "-o, --output",
        "--no-wait",
        "--timeout",
        "--poll-interval",
        "--id-file",
        "-q, --quiet",
        "--api-key-file",
        "--base-url",
        "--region",
        "--speaker-labels",
        "--no-punctuate",
        "--temperature",
        "--keyterms-prompt",
        "--prompt",
        "--redact-pii-policies",
        "--webhook-auth-header-value-file",
        "--config KEY=VALUE",
        "--config-file",
    ] {
        assert!(help.contains(flag), "aai transcribe --help lacks {flag}");
    }
}

#[test]
fn every_command_has_help_naming_its_own_flags() {
    let cases: [(&str, &[&str]); 4] = [
        ("upload", &["--json", "--quiet"]),
        (
            "submit",
            &["--json", "--id-file", "--speaker-labels", "--config-file"],
        ),
        ("get", &["--json", "--output"]),
        (
            "wait",
            &[
                "--format",
                "--json",
                "--output",
                "--timeout",
                "--poll-interval",
            ],
        ),
    ];
    for (command, flags) in cases {
        let out = run(bare_aai().args([command, "--help"]));
        out.expect_ok();
        assert!(
            out.stdout.starts_with(&format!("aai {command}")),
            "{command}"
        );
        for flag in flags {
            assert!(
                out.stdout.contains(flag),
                "aai {command} --help lacks {flag}"
            );
        }
    }
}

#[test]
fn help_needs_no_key_and_makes_no_request() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).env_remove("ASSEMBLYAI_API_KEY").args([
        "transcribe",
        "missing.mp3",
        "--help",
    ]));
    out.expect_ok();
    assert!(out.stdout.starts_with("aai transcribe"));
    assert!(fake.requests().is_empty());
}

#[test]
fn version_prints_the_crate_version_and_the_features_built_in() {
    for flag in ["--version", "-V"] {
        let out = run(bare_aai().arg(flag));
        out.expect_ok();
        // The tests build the emulator in, and the CLI always has streaming.
        assert_eq!(
            out.stdout,
            format!(
                "aai {} (features: streaming, emulator)\n",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}

/// A key file holding `contents` with permissions `mode`.
#[cfg(unix)]
fn key_file(dir: &TempDir, contents: &str, mode: u32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.file("key", contents.as_bytes());
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn api_key_file_is_trimmed_and_used_without_a_warning_when_private() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    let dir = TempDir::new("key-600");
    let path = key_file(&dir, &format!("  {}\n\n", fake.key()), 0o600);

    let out = run(aai(&fake)
        .env_remove("ASSEMBLYAI_API_KEY")
        .args(["get", &id, "--api-key-file"])
        .arg(&path));

    out.expect_ok();
    assert_eq!(out.stdout, "completed\n");
    assert_eq!(out.stderr, "", "a private key file needs no warning");
    let request = &fake.requests()[0];
    assert_eq!(request.header("authorization"), Some(fake.key()));
}

#[cfg(unix)]
#[test]
fn api_key_file_readable_by_others_works_with_a_warning() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    let dir = TempDir::new("key-644");
    let path = key_file(&dir, fake.key(), 0o644);

    let out = run(aai(&fake)
        .env_remove("ASSEMBLYAI_API_KEY")
        .args(["get", &id, "--api-key-file"])
        .arg(&path));

    out.expect_ok();
    assert_eq!(out.stdout, "completed\n");
    out.stderr_mentions(&["warning", "readable by other", "chmod 600"]);
}

#[cfg(unix)]
#[test]
fn api_key_file_wins_over_the_environment() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    let dir = TempDir::new("key-wins");
    let path = key_file(&dir, fake.key(), 0o600);

    let out = run(aai(&fake)
        .env("ASSEMBLYAI_API_KEY", "a-stale-key")
        .args(["get", &id, "--api-key-file"])
        .arg(&path));

    out.expect_ok();
    assert_eq!(fake.requests()[0].header("authorization"), Some(fake.key()));
}

#[test]
fn region_and_base_url_together_are_a_usage_error() {
    let fake = FakeApi::start();
    let url = fake.base_url();

    let out = run(aai(&fake).args(["get", "--region", "eu", "--base-url", &url, "x"]));

    out.expect_code(2);
    out.stderr_mentions(&["--region", "--base-url"]);
    assert!(fake.requests().is_empty());
}

#[test]
fn base_url_flag_is_where_requests_go() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));

    let out = run(bare_aai().env("ASSEMBLYAI_API_KEY", fake.key()).args([
        "get",
        &id,
        "--base-url",
        &format!("{}/", fake.base_url()),
    ]));

    out.expect_ok();
    assert_eq!(fake.count("GET", &format!("/v2/transcript/{id}")), 1);
}

#[test]
fn plain_http_to_another_host_is_refused_with_a_reason_before_any_request() {
    let fake = FakeApi::start();
    // `.invalid` never resolves: even a broken check could not reach a real host.
    for args in [
        vec![
            "transcribe",
            "https://example.com/a.mp3",
            "--base-url",
            "http://api.example.invalid",
        ],
        vec![
            "submit",
            "https://example.com/a.mp3",
            "--base-url",
            "http://localhost.invalid:8080",
        ],
    ] {
        let out = run(aai(&fake).args(&args));
        out.expect_code(2);
        out.stderr_mentions(&["plain http", "api key", "https"]);
    }
    let out = run(aai(&fake)
        .env("ASSEMBLYAI_BASE_URL", "http://api.example.invalid")
        .args(["get", "5551722f-f677-48a6-9287-39c0aafd9ac1"]));
    out.expect_code(2);
    out.stderr_mentions(&["api.example.invalid", "plain http"]);
    assert!(fake.requests().is_empty());
}
