//! `aai stream` and `aai stream-token` against the fake v3 server (`tests/streaming_fake`).
#![cfg(feature = "streaming")]

mod streaming_fake;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use streaming_fake::speech::{self, pcm16_bytes, speech, wav};
use streaming_fake::{FakeStreaming, Fault};

const AAI: &str = env!("CARGO_BIN_EXE_aai");
const TWO_TURNS: [&[usize]; 2] = [&[0, 1], &[2, 3]];

/// `aai` with a scrubbed environment, its key and streaming host pointing at `fake`; the REST
/// host points where nothing listens.
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
        .env("ASSEMBLYAI_BASE_URL", "http://127.0.0.1:9")
        // No stored key or config file of the machine's user.
        .env("XDG_CONFIG_HOME", "/nonexistent/aai-tests-config")
        .env("ASSEMBLYAI_STREAMING_URL", fake.url())
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command, stdin: Option<Vec<u8>>) -> Output {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = command.spawn().expect("spawn aai");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary file holding `bytes`, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("aai-stream-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_wav_file_prints_one_line_per_final_turn_and_the_billed_time_on_stderr() {
    let fake = FakeStreaming::start();
    let file = TempFile::new(
        "mono.wav",
        &wav(16_000, 1, &speech(16_000, &TWO_TURNS, 200, 50, 400)),
    );
    let out = run(aai(&fake).arg("stream").arg(&file.0), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "alpha bravo\ncharlie delta\n",
        "finals only, no partials"
    );
    let stderr = text(&out.stderr);
    let session = &fake.sessions()[0];
    assert!(
        stderr.contains(&session.id),
        "the session id is shown: {stderr}"
    );
    assert!(stderr.contains("billed"), "{stderr}");
    assert_eq!(session.query["sample_rate"], "16000");
    assert!(session.terminated);
    assert!(
        session
            .user_agent
            .as_deref()
            .unwrap_or_default()
            .starts_with("aai/")
    );
}

#[test]
fn a_stereo_wav_at_another_rate_is_downmixed_and_sent_at_its_rate() {
    let fake = FakeStreaming::start();
    let mono = speech(8000, &TWO_TURNS, 200, 50, 400);
    let file = TempFile::new("stereo8k.wav", &wav(8000, 2, &mono));
    let out = run(aai(&fake).arg("stream").arg(&file.0), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "alpha bravo\ncharlie delta\n");
    let session = &fake.sessions()[0];
    assert_eq!(session.query["sample_rate"], "8000");
    assert_eq!(
        &session.audio[..mono.len() * 2],
        &pcm16_bytes(&mono)[..],
        "one channel's samples"
    );
}

#[test]
fn raw_pcm_on_stdin_with_a_sample_rate_is_streamed_and_a_wav_stream_too() {
    let fake = FakeStreaming::start();
    let samples = speech(16_000, &TWO_TURNS, 200, 50, 400);
    let out = run(
        aai(&fake).args(["stream", "-", "--sample-rate", "16000"]),
        Some(pcm16_bytes(&samples)),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "alpha bravo\ncharlie delta\n");

    // A WAV stream as arecord or ffmpeg write it to a pipe: the length unknown (0xFFFFFFFF).
    let mut streamed = wav(16_000, 1, &speech(16_000, &[&[5]], 200, 50, 400));
    streamed[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    let out = run(aai(&fake).args(["stream", "-"]), Some(streamed));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "foxtrot\n");
}

#[test]
fn json_prints_the_servers_turn_object_for_each_final() {
    let fake = FakeStreaming::start();
    let file = TempFile::new(
        "json.wav",
        &wav(16_000, 1, &speech(16_000, &TWO_TURNS, 200, 50, 400)),
    );
    let out = run(
        aai(&fake)
            .arg("stream")
            .arg(&file.0)
            .args(["--json", "--format-turns"]),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let turns: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["type"], "Turn");
    assert_eq!(turns[0]["end_of_turn"], true);
    assert_eq!(turns[1]["transcript"], "Charlie delta.");
    assert!(
        turns[1]["words"].is_array(),
        "the object as sent, words included"
    );
    for line in text(&out.stderr).lines() {
        serde_json::from_str::<Value>(line).expect("status on stderr is JSON lines too");
    }
}

#[test]
fn audio_that_is_not_wav_or_raw_gets_the_ffmpeg_line_and_nothing_is_sent() {
    let fake = FakeStreaming::start();
    let mp3 = TempFile::new("talk.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00more bytes");
    let out = run(aai(&fake).arg("stream").arg(&mp3.0), None);
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("MP3"), "{stderr}");
    assert!(
        stderr.contains("-f s16le -ar 16000 -ac 1 - | aai stream - --sample-rate 16000"),
        "{stderr}"
    );
    let out = run(
        aai(&fake).args(["stream", "-"]),
        Some(b"not audio at all".to_vec()),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("ffmpeg -i - -f s16le"),
        "{}",
        text(&out.stderr)
    );
    assert!(fake.sessions().is_empty());
}

#[test]
fn a_wrong_key_exits_5_without_retrying_and_the_key_is_never_printed() {
    let fake = FakeStreaming::start();
    let wrong = "wrong-key-0d1e2f3a4b";
    let file = TempFile::new(
        "key.wav",
        &wav(16_000, 1, &speech(16_000, &[&[0]], 200, 50, 100)),
    );
    let out = run(
        aai(&fake)
            .arg("stream")
            .arg(&file.0)
            .env("ASSEMBLYAI_API_KEY", wrong),
        None,
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("401"), "{all}");
    assert!(
        !all.contains(wrong),
        "the fake echoed the key and aai printed it: {all}"
    );
    assert_eq!(fake.sessions().len(), 1);
}

#[test]
fn an_auth_close_exits_5_and_a_server_failure_after_the_retries_exits_8() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::CloseBeforeBegin {
            code: 1008,
            reason: "Unauthorized Connection: Missing Authorization header".into(),
        },
    );
    let file = TempFile::new(
        "codes.wav",
        &wav(16_000, 1, &speech(16_000, &[&[0]], 200, 50, 100)),
    );
    let out = run(aai(&fake).arg("stream").arg(&file.0), None);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1008"));

    let busy = FakeStreaming::start();
    for connection in 0..4 {
        busy.fault(connection, Fault::RejectHandshake(503));
    }
    let out = run(aai(&busy).arg("stream").arg(&file.0), None);
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    assert_eq!(busy.sessions().len(), 4, "the retries, then no more");
}

#[test]
fn a_retryable_close_continues_in_a_new_session_printing_every_turn_once() {
    let fake = FakeStreaming::start();
    fake.fault(
        0,
        Fault::CloseAfter {
            audio_ms: 900,
            code: 3005,
            reason: "Session Cancelled: An error occurred".into(),
        },
    );
    let turns: [&[usize]; 3] = [&[0, 1], &[2, 3], &[4, 5]];
    let file = TempFile::new(
        "retry.wav",
        &wav(16_000, 1, &speech(16_000, &turns, 200, 50, 400)),
    );
    let out = run(aai(&fake).arg("stream").arg(&file.0), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        speech::transcript(&turns).join("\n") + "\n"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("new session") && stderr.contains("3005"),
        "{stderr}"
    );
    assert_eq!(fake.sessions().len(), 2);
}

#[test]
fn ctrl_c_terminates_the_session_prints_the_last_final_and_exits_130() {
    stop_mid_stream("-INT", 130);
}

#[test]
fn sigterm_ends_the_stream_like_ctrl_c_and_exits_143() {
    stop_mid_stream("-TERM", 143);
}

/// Sends `signal` once the first turn is final: the session is terminated,
/// every final printed, and the exit code is 128 + the signal.
fn stop_mid_stream(signal: &str, code: i32) {
    let fake = FakeStreaming::start();
    let turns: [&[usize]; 2] = [&[0, 1], &[2, 3, 4, 5, 6, 7, 8, 9]];
    let file = TempFile::new(
        "sigint.wav",
        &wav(16_000, 1, &speech(16_000, &turns, 200, 50, 400)),
    );
    let mut child = aai(&fake)
        .arg("stream")
        .arg(&file.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the first turn is final and the second has begun.
    let started = Instant::now();
    while fake
        .sessions()
        .first()
        .is_none_or(|s| s.finals.is_empty() || s.audio.len() < 32 * 1200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the stream never got going"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = {
        let _ = &mut child;
        child.wait_with_output().unwrap()
    };
    assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "alpha bravo");
    assert!(
        lines.len() == 2 && lines[1].starts_with("charlie delta"),
        "the turn in progress: {stdout}"
    );
    assert_eq!(
        fake.sessions().len(),
        1,
        "the signal is not taken for a network failure"
    );
    let session = &fake.sessions()[0];
    assert!(session.terminated, "Terminate was sent");
    assert!(session.audio.len() < 32 * 3000, "no audio after the Ctrl-C");
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn stream_token_prints_a_token_minted_with_the_key() {
    let fake = FakeStreaming::start();
    let out = run(
        aai(&fake).args(["stream-token", "--expires-in", "60", "--max-session", "10m"]),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).trim().starts_with("tmp-token-"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        fake.token_requests(),
        ["expires_in_seconds=60&max_session_duration_seconds=600"]
    );
    let out = run(
        aai(&fake).args(["stream-token", "--expires-in", "30", "--json"]),
        None,
    );
    let object: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(object["expires_in_seconds"], 30);

    let out = run(
        aai(&fake).args(["stream-token", "--expires-in", "601"]),
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = run(aai(&fake).args(["stream-token"]), None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fake.token_requests().len(), 2);
}

#[test]
fn plain_ws_to_another_host_and_region_with_url_are_refused_before_connecting() {
    let fake = FakeStreaming::start();
    let file = TempFile::new(
        "url.wav",
        &wav(16_000, 1, &speech(16_000, &[&[0]], 200, 50, 100)),
    );
    let out = run(
        aai(&fake)
            .arg("stream")
            .arg(&file.0)
            .args(["--streaming-url", "ws://streaming.example.com/v3/ws"]),
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ws://"), "{}", text(&out.stderr));
    let out = run(
        aai(&fake).arg("stream").arg(&file.0).args([
            "--region",
            "eu",
            "--streaming-url",
            &fake.url(),
        ]),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(fake.sessions().is_empty());
}

#[test]
fn partials_are_drawn_live_on_a_terminal_and_never_in_a_pipe() {
    let fake = FakeStreaming::start();
    let file = TempFile::new(
        "tty.wav",
        &wav(16_000, 1, &speech(16_000, &TWO_TURNS, 200, 50, 400)),
    );
    // A pipe (the other tests): stderr has no partial line.
    let out = run(aai(&fake).arg("stream").arg(&file.0), None);
    assert!(!text(&out.stderr).contains('…'), "{}", text(&out.stderr));
    // A terminal: script(1) gives aai a pseudo-terminal for stdout and stderr.
    let command = format!("{AAI} stream {}", file.0.display());
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .env("ASSEMBLYAI_STREAMING_URL", fake.url())
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("ASSEMBLYAI_BASE_URL", "http://127.0.0.1:9")
        .env("XDG_CONFIG_HOME", "/nonexistent/aai-tests-config");
    let Ok(out) = script.stdin(Stdio::null()).output() else {
        eprintln!("script(1) is missing: the terminal half is skipped");
        return;
    };
    let screen = text(&out.stdout);
    assert!(
        screen.contains("\r\x1b[2K… alpha"),
        "a partial drawn in place: {screen:?}"
    );
    assert!(
        screen.contains("alpha bravo\r\n"),
        "the final as a line: {screen:?}"
    );
}

#[test]
fn a_region_in_the_config_file_yields_to_the_streaming_url_but_a_region_flag_does_not() {
    let fake = FakeStreaming::start();
    let dir = std::env::temp_dir().join(format!("aai-stream-config-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("aai")).unwrap();
    std::fs::write(dir.join("aai").join("config"), "region = eu\n").unwrap();
    let file = TempFile::new(
        "config.wav",
        &wav(16_000, 1, &speech(16_000, &[&[3]], 200, 50, 400)),
    );
    let out = run(
        aai(&fake)
            .arg("stream")
            .arg(&file.0)
            .env("XDG_CONFIG_HOME", &dir),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "delta\n");
    // On the command line, --region and --streaming-url contradict each other.
    let out = run(
        aai(&fake)
            .arg("stream")
            .arg(&file.0)
            .args(["--region", "eu", "--streaming-url", &fake.url()])
            .env("XDG_CONFIG_HOME", &dir),
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timeout_ends_the_session_as_ctrl_c_does_and_exits_7() {
    let fake = FakeStreaming::start();
    let turns: [&[usize]; 2] = [&[0, 1], &[2, 3, 4, 5, 6, 7, 8, 9]];
    let file = TempFile::new(
        "timeout.wav",
        &wav(16_000, 1, &speech(16_000, &turns, 200, 50, 400)),
    );
    let out = run(
        aai(&fake).args(["stream", "--timeout", "1s"]).arg(&file.0),
        None,
    );
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--timeout"),
        "{}",
        text(&out.stderr)
    );
    let session = &fake.sessions()[0];
    assert!(session.terminated, "Terminate was sent");
}
