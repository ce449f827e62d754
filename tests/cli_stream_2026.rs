//! `aai stream` against the emulator as the service answers in December 2026: one base URL for
//! everything, no pinned model, the flags of the new parameters, and the hardening (the one
//! stderr path, absurd server numbers, Ctrl-C while connecting, `--timeout`, empty audio, a FIFO
//! for a secret).
#![cfg(all(feature = "streaming", unix))]

mod streaming_fake;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use streaming_fake::speech::{speech, wav};
use streaming_fake::{FakeStreaming, Fault};

const AAI: &str = env!("CARGO_BIN_EXE_aai");
const TWO_TURNS: [&[usize]; 2] = [&[0, 1], &[2, 3]];
const HELLO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/hello.wav");

/// `aai` with a scrubbed environment: the key, and the emulator's REST base URL as the only
/// host setting (streaming is derived from it).
fn aai(fake: &FakeStreaming) -> Command {
    let mut command = Command::new(AAI);
    for name in [
        "ASSEMBLYAI_API_KEY",
        "ASSEMBLYAI_KEY",
        "ASSEMBLYAI_BASE_URL",
        "ASSEMBLYAI_STREAMING_URL",
    ] {
        command.env_remove(name);
    }
    command
        .env("ASSEMBLYAI_BASE_URL", fake.base_url())
        .env("XDG_CONFIG_HOME", "/nonexistent/aai-tests-config")
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run aai")
}

/// A temporary path, removed when dropped.
struct TempPath(PathBuf);

impl TempPath {
    fn new(name: &str) -> TempPath {
        TempPath(std::env::temp_dir().join(format!("aai-s26-{}-{name}", std::process::id())))
    }

    fn with(name: &str, bytes: &[u8]) -> TempPath {
        let path = TempPath::new(name);
        std::fs::write(&path.0, bytes).unwrap();
        path
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn streaming_a_recording_needs_only_the_base_url_of_the_emulator_and_names_the_model() {
    let fake = FakeStreaming::start();
    let out = run(aai(&fake).args(["stream", HELLO]));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        text(&out.stdout).starts_with("smoke"),
        "the recording is heard as the example's words: {}",
        text(&out.stdout)
    );
    assert!(
        stderr.contains("model universal-3-6-pro"),
        "the server's default model is named: {stderr}"
    );
    assert!(!fake.sessions()[0].query.contains_key("speech_model"));

    let json = run(aai(&fake).args(["stream", HELLO, "--json"]));
    let began: Value = text(&json.stderr)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|event| event["event"] == "session_began")
        .expect("a session_began event");
    assert_eq!(began["model"], "universal-3-6-pro");
    assert_eq!(began["mode"], "balanced");
}

#[test]
fn keyterms_take_the_comma_list_of_transcribe_and_new_flags_reach_the_query() {
    let fake = FakeStreaming::start();
    let file = TempPath::with(
        "terms.wav",
        &wav(16_000, 1, &speech(16_000, &TWO_TURNS, 200, 50, 400)),
    );
    let out = run(aai(&fake).arg("stream").arg(&file.0).args([
        "--keyterms-prompt",
        "Assembly AI, Bearclaw",
        "--keyterms-prompt",
        "Kubernetes",
        "--mode",
        "min_latency",
        "--language-codes",
        "en,es",
        "--no-continuous-partials",
        "--speech-model",
        "universal-3-5-pro",
        "-q",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let query = &fake.sessions()[0].query;
    assert_eq!(
        query["keyterms_prompt"],
        r#"["Assembly AI","Bearclaw","Kubernetes"]"#
    );
    assert_eq!(query["mode"], "min_latency");
    assert_eq!(query["language_codes"], r#"["en","es"]"#);
    assert_eq!(query["continuous_partials"], "false");
    assert_eq!(query["speech_model"], "universal-3-5-pro");
}

#[test]
fn a_wav_header_without_samples_is_refused_before_any_session() {
    let fake = FakeStreaming::start();
    let file = TempPath::with("empty.wav", &wav(16_000, 1, &[]));
    let out = run(aai(&fake).arg("stream").arg(&file.0));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no audio samples"));
    assert!(
        fake.sessions().is_empty(),
        "no session was opened (or billed)"
    );
}

#[test]
fn a_server_warning_is_shown_without_the_key_in_text_and_in_json() {
    let fake = FakeStreaming::start();
    let file = TempPath::with(
        "warn.wav",
        &wav(16_000, 1, &speech(16_000, &TWO_TURNS, 200, 50, 400)),
    );
    let warning = format!(
        r#"{{"type":"Warning","warning_code":7,"warning":"key {} \u001b[2J nearly out of credit"}}"#,
        fake.key()
    );
    for (connection, json) in [(0, false), (1, true)] {
        fake.fault(connection, Fault::SendAfterBegin(warning.clone()));
        let mut command = aai(&fake);
        command.arg("stream").arg(&file.0);
        if json {
            command.arg("--json");
        }
        let out = run(&mut command);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains(fake.key()), "the key is shown: {stderr}");
        assert!(
            !stderr.contains('\x1b'),
            "a raw escape reached stderr: {stderr:?}"
        );
        assert!(stderr.contains("nearly out of credit"), "{stderr}");
        if json {
            let warned = stderr
                .lines()
                .map(|line| serde_json::from_str::<Value>(line).expect("JSON lines only"))
                .any(|event| event["event"] == "warning");
            assert!(warned, "{stderr}");
        } else {
            assert!(
                stderr.contains("aai: warning: the server warns:"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_termination_with_absurd_numbers_ends_normally() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::SendAfterBegin(
            r#"{"type":"Termination","audio_duration_seconds":1e300,"session_duration_seconds":1e300}"#
                .into(),
        ),
    );
    let out = run(aai(&fake).args(["stream", HELLO]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("of session time (billed)"));
}

#[test]
fn ctrl_c_while_connecting_exits_at_once_with_130() {
    let fake = FakeStreaming::start();
    fake.fault(0, Fault::SlowBegin(Duration::from_secs(30)));
    let mut child = aai(&fake).args(["stream", HELLO]).spawn().unwrap();
    // Once the emulator has the connection, aai is waiting for Begin.
    let started = Instant::now();
    while fake.sessions().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never connected"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = {
        let _ = &mut child;
        child.wait_with_output().unwrap()
    };
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("interrupted while connecting"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fake.sessions().len(), 1, "no second attempt");
}

#[test]
fn timeout_ends_a_stream_cleanly_with_exit_7_and_bounds_stream_token() {
    let fake = FakeStreaming::start();
    let turns: [&[usize]; 3] = [&[0, 1], &[2, 3, 4, 5, 6, 7, 8, 9], &[10, 11]];
    let file = TempPath::with(
        "long.wav",
        &wav(16_000, 1, &speech(16_000, &turns, 300, 50, 400)),
    );
    let out = run(aai(&fake)
        .arg("stream")
        .arg(&file.0)
        .args(["--timeout", "1500ms"]));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
    assert_eq!(text(&out.stdout).lines().next(), Some("alpha bravo"));
    assert!(fake.sessions()[0].terminated, "ended with Terminate");

    let token = run(aai(&fake).args(["stream-token", "--expires-in", "60", "--timeout", "10s"]));
    assert_eq!(token.status.code(), Some(0), "{}", text(&token.stderr));
    assert!(text(&token.stdout).starts_with("tmp-token-"));
}

#[test]
fn a_fifo_for_the_webhook_secret_is_refused_without_waiting_for_a_writer() {
    let fake = FakeStreaming::start();
    let fifo = TempPath::new("secret.fifo");
    let made = Command::new("mkfifo").arg(&fifo.0).status().unwrap();
    assert!(made.success());
    let out = run(aai(&fake)
        .args(["stream", HELLO, "--webhook-url", "https://example.com/h"])
        .arg("--webhook-auth-header-value-file")
        .arg(&fifo.0));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not a regular file"));
    assert!(fake.sessions().is_empty());
}

#[test]
fn help_shows_no_pinned_streaming_model_and_the_new_flags() {
    let out = Command::new(AAI)
        .args(["stream", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    assert!(
        !help.contains("(default),"),
        "a stale default model: {help}"
    );
    for flag in [
        "--mode",
        "--session-heartbeat",
        "--language-codes",
        "--timeout",
    ] {
        assert!(help.contains(flag), "{flag} missing: {help}");
    }
}

#[test]
fn compressed_audio_streams_from_stdin_as_it_comes_but_a_file_gets_the_pacing_line() {
    let fake = FakeStreaming::start();
    let ogg: Vec<u8> = b"OggS\0\x02".iter().copied().cycle().take(5000).collect();
    let mut child = aai(&fake)
        .args(["stream", "-", "--encoding", "ogg_opus", "-q"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, &ogg).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let session = &fake.sessions()[0];
    assert_eq!(session.query["encoding"], "ogg_opus");
    assert_eq!(session.audio, ogg, "sent unchanged");

    let file = TempPath::with("talk.ogg", &ogg);
    let refused = run(aai(&fake)
        .arg("stream")
        .arg(&file.0)
        .args(["--encoding", "ogg_opus"]));
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("ffmpeg -re"));
}
