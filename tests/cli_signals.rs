//! A run that ends early never leaves a job unmentioned: SIGTERM and SIGHUP get what Ctrl-C
//! gets, a signal ignored at start stays ignored, and a deadline or an interruption while the
//! create is in flight says a transcript may have been created and how to look.

mod cli_common;
mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use cli_common::{AAI, TempDir, aai, audio_bytes, run, wait_or_kill};
use serde_json::Value;
use support::{FakeApi, Fault, Script};

const URL: &str = "https://example.com/talk.mp3";

fn kill(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// Sends `signal`, then returns the exit code and what was left on stderr.
fn interrupt(child: &mut Child, signal: &str) -> (Option<i32>, String) {
    kill(child, signal);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).unwrap();
    }
    (wait_or_kill(child), stderr)
}

/// Reads stderr lines until one contains `marker`; returns what was read.
fn read_until(stderr: &mut BufReader<impl Read>, marker: &str) -> String {
    let mut seen = String::new();
    while !seen.contains(marker) {
        let n = stderr.read_line(&mut seen).unwrap();
        assert_ne!(n, 0, "ended before {marker:?}:\n{seen}");
    }
    seen
}

fn only_job_id(fake: &FakeApi) -> String {
    let transcripts = fake.transcripts();
    assert_eq!(transcripts.len(), 1, "one job");
    transcripts[0]["id"].as_str().unwrap().to_owned()
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_while_waiting_exit_128_plus_n_saying_how_to_resume() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let fake = FakeApi::builder().script(Script::never()).start();
        let dir = TempDir::new("signal-wait");
        let audio = dir.file("a.wav", &audio_bytes(1000));
        let out = dir.join("out.txt");
        let mut child = aai(&fake)
            .arg("transcribe")
            .arg(&audio)
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = read_until(&mut stderr, "created");

        kill(&child, signal);
        stderr.read_to_string(&mut seen).unwrap();
        let exit = wait_or_kill(&mut child);

        let id = only_job_id(&fake);
        assert_eq!(exit, Some(code), "SIG{signal}; stderr:\n{seen}");
        assert!(seen.contains("interrupted"), "SIG{signal}:\n{seen}");
        assert!(
            seen.contains(&format!("aai wait {id}")),
            "SIG{signal}:\n{seen}"
        );
        assert_eq!(dir.entries(), ["a.wav"], "SIG{signal}: no file left behind");
    }
}

#[cfg(unix)]
#[test]
fn a_signal_ignored_when_aai_started_stays_ignored() {
    let fake = FakeApi::builder().script(Script::never()).start();
    let id = {
        let out = run(aai(&fake).args(["submit", URL]));
        out.expect_ok();
        out.stdout.trim().to_owned()
    };
    // `trap '' TERM` makes the shell ignore SIGTERM, and exec hands that on, as a shell does to
    // a background job or `nohup` to its command.
    let mut child = Command::new("sh")
        .args(["-c", "trap '' TERM; exec \"$0\" \"$@\"", AAI, "wait", &id])
        .env("ASSEMBLYAI_BASE_URL", fake.base_url())
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    while fake.count("GET", &format!("/v2/transcript/{id}")) < 2 {
        std::thread::sleep(Duration::from_millis(20));
    }

    kill(&child, "TERM");
    let polls = fake.count("GET", &format!("/v2/transcript/{id}"));
    while fake.count("GET", &format!("/v2/transcript/{id}")) < polls + 2 {
        assert!(child.try_wait().unwrap().is_none(), "SIGTERM ended it");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, stderr) = interrupt(&mut child, "INT");

    assert_eq!(code, Some(130), "stderr:\n{stderr}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_the_create_is_in_flight_says_a_transcript_may_have_been_created() {
    let fake = FakeApi::start();
    fake.inject(Fault::Delay(Duration::from_secs(20)).on("POST", "/v2/transcript"));
    let mut child = aai(&fake)
        .args(["transcribe", URL])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while fake.count("POST", "/v2/transcript") == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }

    let (code, stderr) = interrupt(&mut child, "INT");

    assert_eq!(code, Some(130), "stderr:\n{stderr}");
    assert!(stderr.contains("may have been created"), "{stderr}");
    assert!(stderr.contains("aai list"), "{stderr}");
}

#[test]
fn a_timeout_while_the_create_is_in_flight_says_a_transcript_may_have_been_created() {
    let fake = FakeApi::start();
    fake.inject(
        Fault::Delay(Duration::from_millis(1500))
            .on("POST", "/v2/transcript")
            .times(2),
    );

    let text = run(aai(&fake).args(["transcribe", URL, "--timeout", "300ms"]));
    let json = run(aai(&fake).args(["transcribe", URL, "--timeout", "300ms", "--json"]));

    text.expect_code(7);
    text.stderr_mentions(&["gave up after", "may have been created", "aai list"]);
    json.expect_code(7);
    let last = json.stderr.lines().last().unwrap_or_default();
    let error: Value = serde_json::from_str(last).expect("a JSON error object");
    let error = &error["error"];
    assert_eq!(error["kind"], "timeout");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("may have been created"), "{message}");
    assert!(message.contains("aai list"), "{message}");
    assert_eq!(error["may_have_created"]["audio_url"], URL);
}
