//! The command line's bounds: every command gives up at `--timeout`, polls have a floor, key,
//! config and secret files are read only when they are small regular files, and the storage
//! host's refusal of redacted audio says what it means.

mod cli_common;
mod support;

use std::process::Command;
use std::time::Duration;

use cli_common::{TempDir, aai, audio_bytes, run};
use support::{FakeApi, Fault};

const ID: &str = "00000000-0000-4000-8000-000000000000";
const URL: &str = "https://example.com/talk.mp3";

#[test]
fn every_command_gives_up_at_its_timeout_against_a_server_that_never_answers() {
    let fake = FakeApi::start();
    fake.inject(
        Fault::Delay(Duration::from_secs(30))
            .on("*", "/")
            .times(1000),
    );
    let dir = TempDir::new("timeout-every");
    let audio = dir.file("a.wav", &audio_bytes(1000));
    let audio = audio.to_str().unwrap();

    for command in [
        vec!["get", ID],
        vec!["get", ID, "--json"],
        vec!["export", ID],
        vec!["search", ID, "smoke"],
        vec!["list"],
        vec!["delete", ID],
        vec!["upload", audio],
        vec!["submit", URL],
        vec!["redacted-audio", ID],
    ] {
        let out = run(aai(&fake).args(&command).args(["--timeout", "300ms"]));
        out.expect_code(7);
        out.stderr_mentions(&["gave up after"]);
    }
}

#[test]
fn a_poll_interval_below_the_floor_is_a_usage_error() {
    let fake = FakeApi::start();
    for command in [["wait", ID], ["redacted-audio", ID]] {
        let out = run(aai(&fake).args(command).args(["--poll-interval", "1ms"]));
        out.expect_code(2);
        out.stderr_mentions(&["--poll-interval", "at least 50ms"]);
    }
    assert!(fake.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn key_config_and_secret_files_that_are_pipes_devices_or_huge_are_input_errors() {
    let fake = FakeApi::start();
    let dir = TempDir::new("small-files");
    let fifo = dir.join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.to_str().unwrap().to_owned();
    let huge = dir.file("huge.json", &vec![b' '; 2 << 20]);
    let huge = huge.to_str().unwrap().to_owned();

    for (flag, path, words) in [
        (
            "--api-key-file",
            "/dev/zero",
            ["not a regular file", "/dev/zero"],
        ),
        (
            "--api-key-file",
            fifo.as_str(),
            ["not a regular file", "fifo"],
        ),
        (
            "--config-file",
            "/dev/zero",
            ["not a regular file", "config file"],
        ),
        (
            "--config-file",
            huge.as_str(),
            ["over 1024 KiB", "huge.json"],
        ),
        (
            "--webhook-auth-header-value-file",
            fifo.as_str(),
            ["not a regular file", "--webhook-auth-header-value-file"],
        ),
    ] {
        let out = run(aai(&fake).args(["submit", URL, flag, path]));
        out.expect_code(3);
        out.stderr_mentions(&words);
    }
    assert!(fake.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_storage_host_refusing_redacted_audio_gets_its_own_hint() {
    let fake = FakeApi::start();
    let dir = TempDir::new("redacted-403");
    let out = run(aai(&fake).args([
        "transcribe",
        URL,
        "--redact-pii",
        "--redact-pii-audio",
        "--redact-pii-policies",
        "person_name",
        "--format",
        "id",
        "--poll-interval",
        "50ms",
    ]));
    out.expect_ok();
    let id = out.stdout.trim().to_owned();
    fake.inject(Fault::status(403).on("GET", "/redacted/"));

    let target = dir.join("redacted.mp3");
    let out = run(aai(&fake)
        .args(["redacted-audio", &id, "--poll-interval", "50ms", "-o"])
        .arg(&target));

    out.expect_code(4);
    out.stderr_mentions(&["storage host", "expired", "fresh link"]);
    assert!(!out.stderr.contains("project"), "{}", out.stderr);
    assert!(!target.exists(), "no file written");
}
