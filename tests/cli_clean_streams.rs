//! What `aai` writes stays readable by the program or person it is for, run as a process
//! against the fake API: with `--json` every stderr line is a JSON object (warnings and the
//! interruption too); an error never lands on the end of a progress line; text from the server
//! never commands the terminal; the key never shows, not even in part.

mod cli_common;
mod support;

#[cfg(unix)]
use cli_common::interrupt_once_created;
use cli_common::{TempDir, aai, audio_bytes, in_a_terminal, run};
use serde_json::{Value, json};
use support::{FakeApi, Fault, Script};

/// An escape sequence that retitles a terminal, one that clears it, and a C1 CSI.
const HOSTILE: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m";

/// Panics if `text` holds a character a terminal would act on (other than line ends, tabs).
#[track_caller]
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .collect();
    assert!(bad.is_empty(), "{what} carries raw {bad:?}:\n{text:?}");
}

#[cfg(unix)]
#[test]
fn with_json_every_stderr_line_is_an_object_warnings_included() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeApi::start();
    let dir = TempDir::new("json-warnings");
    let audio = dir.file("a.wav", &audio_bytes(2000));
    let key = dir.file("key", format!("{}\n", fake.key()).as_bytes());
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = run(aai(&fake)
        .env_remove("ASSEMBLYAI_API_KEY")
        .args(["transcribe", "--json", "--poll-interval", "50ms"])
        .args(["--config", "made_up_field=1", "--api-key-file"])
        .arg(&key)
        .arg(&audio));

    out.expect_ok();
    let lines = out.stderr_json_lines();
    let warnings: Vec<&str> = lines
        .iter()
        .filter(|line| line["event"] == "warning")
        .filter_map(|line| line["message"].as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("readable by other users")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("made_up_field")),
        "{warnings:?}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_with_json_ends_stderr_with_an_interrupted_error_object_naming_the_job() {
    let fake = FakeApi::builder().script(Script::never()).start();
    let dir = TempDir::new("json-interrupt");
    let audio = dir.file("a.wav", &audio_bytes(1000));
    let (code, seen) =
        interrupt_once_created(aai(&fake).args(["transcribe", "--json"]).arg(&audio));

    assert_eq!(code, Some(130), "{seen}");
    let lines: Vec<Value> = seen
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line:?}")))
        .collect();
    let last = &lines.last().unwrap()["error"];
    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(last["kind"], "interrupted", "{seen}");
    assert_eq!(last["transcript_id"], id.as_str(), "{seen}");
}

#[test]
fn an_error_after_a_progress_line_starts_on_a_line_of_its_own() {
    let fake = FakeApi::start();
    // Refused once the whole upload was sent: the progress line is drawn, then the error.
    fake.inject(Fault::status(400).on("POST", "/v2/upload"));
    let dir = TempDir::new("progress-error");
    let audio = dir.file("a.wav", &audio_bytes(2_000_000));
    let mut command = aai(&fake);
    // NO_COLOR (from cli_common) keeps the error's label plain; the line animates all the same.
    command.arg("transcribe").arg(&audio);
    let Some(mut terminal) = in_a_terminal(&command) else {
        eprintln!("skipped: no util-linux script(1) to run aai in a terminal");
        return;
    };

    let out = run(&mut terminal);

    out.expect_code(4);
    let shown = &out.stdout;
    assert!(
        shown.contains("aai: uploading"),
        "no progress line: {shown:?}"
    );
    let at = shown.find("aai: error:").expect("the error is shown");
    let before = &shown[..at];
    assert!(
        before.ends_with('\n') || before.ends_with("\x1b[2K"),
        "the error continues the progress line: {shown:?}"
    );
}

#[test]
fn escape_sequences_in_server_text_are_shown_not_obeyed() {
    let fake = FakeApi::start();
    let failed = fake.insert_transcript(json!({
        "status": "error",
        "error": format!("bad audio {HOSTILE}"),
    }));
    fake.insert_transcript(json!({
        "id": format!("id{HOSTILE}"),
        "audio_url": format!("https://example.com/{HOSTILE}.mp3"),
    }));

    // A status line and its error message on stdout; the failure on stderr, as text and JSON.
    let got = run(aai(&fake).args(["get", &failed]));
    got.expect_ok();
    assert_inert("get's stdout", &got.stdout);
    assert!(got.stdout.contains("\\u001b]0;owned"), "{}", got.stdout);
    for json in [false, true] {
        let mut command = aai(&fake);
        command.args(["wait", &failed]);
        if json {
            command.arg("--json");
        }
        let waited = run(&mut command);
        waited.expect_code(6);
        assert_inert("wait's stderr", &waited.stderr);
        if json {
            let error = waited.json_error();
            assert_eq!(
                error["message"].as_str().unwrap().matches('\u{1b}').count(),
                2
            );
        }
    }

    // List entries.
    let listed = run(aai(&fake).arg("list"));
    listed.expect_ok();
    assert_inert("list's stdout", &listed.stdout);
    for line in listed.stdout.lines() {
        assert_eq!(line.split('\t').count(), 4, "columns broken: {line:?}");
    }

    // An API error message.
    fake.inject(
        Fault::Status {
            code: 400,
            body: json!({"error": format!("no {HOSTILE}")}).to_string(),
            retry_after: None,
        }
        .on("GET", "/v2/transcript/"),
    );
    let refused = run(aai(&fake).args(["get", &failed]));
    refused.expect_code(4);
    assert_inert("an API error", &refused.stderr);

    // The id of a created job, on stdout and in the stderr report.
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: "application/json".into(),
            body: json!({"id": format!("new{HOSTILE}"), "status": "queued"})
                .to_string()
                .into_bytes(),
        }
        .on("POST", "/v2/transcript"),
    );
    let submitted = run(aai(&fake).args(["submit", "https://example.com/a.mp3"]));
    submitted.expect_ok();
    assert_inert("submit's stdout", &submitted.stdout);
    assert_inert("submit's stderr", &submitted.stderr);
    assert!(
        submitted.stdout.starts_with("new\\u001b"),
        "{}",
        submitted.stdout
    );
}

#[test]
fn transcript_text_keeps_its_bytes_in_a_pipe_and_shows_its_controls_on_a_terminal() {
    let fake = FakeApi::start();
    let text = format!("Hello{HOSTILE} world.");
    let id = fake.insert_transcript(json!({"text": text}));

    let piped = run(aai(&fake).args(["export", &id]));
    piped.expect_ok();
    assert_eq!(
        piped.stdout,
        format!("{text}\n"),
        "a pipe gets the text as it is"
    );

    let mut command = aai(&fake);
    command.args(["export", &id]);
    let Some(mut terminal) = in_a_terminal(&command) else {
        eprintln!("skipped: no util-linux script(1) to run aai in a terminal");
        return;
    };
    let shown = run(&mut terminal);
    shown.expect_ok();
    assert_inert("the terminal", &shown.stdout);
    assert!(
        shown.stdout.contains("Hello\\u001b]0;owned\\u0007"),
        "{:?}",
        shown.stdout
    );

    // JSON on a terminal stays JSON, meaning the same text.
    let mut command = aai(&fake);
    command.args(["get", &id, "--json"]);
    let shown = run(&mut in_a_terminal(&command).unwrap());
    shown.expect_ok();
    assert_inert("the terminal", &shown.stdout);
    let object: Value = serde_json::from_str(shown.stdout.trim()).expect("still JSON");
    assert_eq!(object["text"], text.as_str());
}

/// A made-up key with no run of 4 characters that could occur in a message by chance.
const KEY: &str = "k3yZq9Xw7Vt5Rs1Pm8Ln6Jh4Gf2Dc0Ba";

#[test]
fn a_key_echoed_anywhere_in_an_unreadable_reply_never_shows_even_in_part() {
    let fake = FakeApi::builder().key(KEY).start();
    let id = fake.insert_transcript(json!({}));
    // Around the 200 characters the message quotes, where the cut used to fall in the key.
    for at in [0, 150, 180, 185, 190, 195, 199, 200, 201, 230] {
        let body = format!("{}{KEY}{}", "x".repeat(at), "y".repeat(300));
        fake.inject(
            Fault::Body {
                status: 400,
                content_type: "text/plain".into(),
                body: body.into_bytes(),
            }
            .on("GET", "/v2/transcript/"),
        );
        let out = run(aai(&fake).args(["get", &id]));

        out.expect_code(4);
        for start in 0..=KEY.len() - 4 {
            let part = &KEY[start..start + 4];
            assert!(
                !out.stderr.contains(part),
                "key at {at}: {part} shows in:\n{}",
                out.stderr
            );
        }
    }
}
