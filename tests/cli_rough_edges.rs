//! Small things a user meets on the way, run as a process against the fake API: options
//! before the command, `--`, `aai help help`, number values, `aai upload URL`, and sizes shown
//! in units that say something.

mod cli_common;
mod support;

use cli_common::{TempDir, aai, audio_bytes, run};
use serde_json::{Value, json};
use support::FakeApi;

#[test]
fn options_given_before_the_command_are_that_command_s() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Before."}));
    let dir = TempDir::new("global-options");
    let key = dir.file("key", format!("{}\n", fake.key()).as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    let listed = run(aai(&fake)
        .env_remove("ASSEMBLYAI_API_KEY")
        .arg("--api-key-file")
        .arg(&key)
        .arg("list"));
    listed.expect_ok();
    assert!(listed.stdout.starts_with(&id), "{}", listed.stdout);

    let got = run(aai(&fake).args(["--json", "get", &id]));
    got.expect_ok();
    let object: Value = serde_json::from_str(&got.stdout).expect("JSON on stdout");
    assert_eq!(object["text"], "Before.");

    // An option the command does not take is still refused, naming the command.
    let wrong = run(aai(&fake).args(["--all", "get", &id]));
    wrong.expect_code(2);
    wrong.stderr_mentions(&["--all", "aai get"]);
}

#[test]
fn a_file_whose_name_starts_with_a_dash_is_given_after_double_dash() {
    let fake = FakeApi::start();
    let dir = TempDir::new("dash-file");
    let bytes = audio_bytes(3000);
    dir.file("-x.mp3", &bytes);

    let refused = run(aai(&fake)
        .current_dir(dir.path())
        .args(["transcribe", "-x.mp3"]));
    refused.expect_code(2);
    refused.stderr_mentions(&["unknown option -x.mp3", "-- -x.mp3"]);

    let out = run(aai(&fake).current_dir(dir.path()).args([
        "transcribe",
        "--poll-interval",
        "50ms",
        "--",
        "-x.mp3",
    ]));
    out.expect_ok();
    let uploads = fake.requests_to("POST", "/v2/upload");
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].body_len, bytes.len() as u64);
    // `--json` after `--` is a file name, not the option.
    let missing = run(aai(&fake).args(["transcribe", "--", "--json"]));
    missing.expect_code(3);
    assert!(
        missing.stderr.starts_with("aai: error:"),
        "{}",
        missing.stderr
    );
}

#[test]
fn help_explains_itself_and_refuses_extra_words() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args(["help", "help"]));
    out.expect_ok();
    assert!(out.stdout.contains("help COMMAND"), "{}", out.stdout);

    let extra = run(aai(&fake).args(["help", "list", "extra"]));
    extra.expect_code(2);
    extra.stderr_mentions(&["extra"]);
}

#[test]
fn a_limit_that_is_not_a_positive_whole_number_is_named_as_such() {
    let fake = FakeApi::start();
    for (value, words) in [
        ("-1", &["--limit", "1 or more", "-1"][..]),
        ("0", &["--limit", "1 or more"]),
        ("ten", &["--limit", "whole number", "ten"]),
    ] {
        let out = run(aai(&fake).args(["list", "--limit", value]));
        out.expect_code(2);
        out.stderr_mentions(words);
        assert!(!out.stderr.contains("invalid digit"), "{}", out.stderr);
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn uploading_a_url_says_to_transcribe_it_instead() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args(["upload", "https://example.com/talk.mp3"]));
    out.expect_code(2);
    out.stderr_mentions(&["is a URL", "aai transcribe https://example.com/talk.mp3"]);
    assert!(!out.stderr.contains("not supported"), "{}", out.stderr);
    assert!(fake.requests().is_empty());
}

#[test]
fn a_small_upload_is_reported_in_kilobytes_not_as_zero_megabytes() {
    let fake = FakeApi::start();
    let dir = TempDir::new("small-upload");
    let audio = dir.file("a.wav", &audio_bytes(4_096));

    let out = run(aai(&fake).args(["upload"]).arg(&audio));

    out.expect_ok();
    out.stderr_mentions(&["uploaded 4.1 kB in "]);
    assert!(!out.stderr.contains("0.0 MB"), "{}", out.stderr);
    assert!(!out.stderr.contains("in 0.0s"), "{}", out.stderr);
}
