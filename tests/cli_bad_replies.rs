//! Failures the API causes, as `aai` reports them: a rejected key, 400/403/404 with the server's
//! message, replies that aren't JSON, servers failing past the retries, failed transcripts and
//! deadlines. Each has its exit code, the server's words, the transcript id when there is one,
//! no output file, and with `--json` exactly one `{"error": ...}` object on stderr.

mod cli_common;
mod support;

use cli_common::{Run, TempDir, aai, aai_with_key, audio_bytes, run};
use serde_json::{Value, json};
use support::{FakeApi, Fault, NotFoundStyle, Script};

/// An id the fake has never heard of.
const UNKNOWN_ID: &str = "5551722f-f677-48a6-9287-39c0aafd9ac1";

/// Runs `aai ARGS -o DIR/out.txt`, expecting exit `code`, stderr naming `words`, nothing on
/// stdout and no file written.
#[track_caller]
fn fails(fake: &FakeApi, args: &[&str], code: i32, words: &[&str]) -> Run {
    let dir = TempDir::new("replies");
    let out = run(aai(fake).args(args).arg("-o").arg(dir.join("out.txt")));
    out.expect_code(code);
    out.stderr_mentions(words);
    assert_eq!(out.stdout, "");
    assert!(
        dir.entries().is_empty(),
        "files written: {:?}",
        dir.entries()
    );
    out
}

/// Like [`fails`] with `--json`: returns the one error object.
#[track_caller]
fn fails_json(fake: &FakeApi, args: &[&str], code: i32) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    fails(fake, &args, code, &[]).json_error()
}

/// A fake with one recording in a temp dir, for `aai transcribe`.
fn recording() -> (TempDir, String) {
    let dir = TempDir::new("recording");
    let path = dir.file("a.wav", &audio_bytes(3000));
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn a_rejected_key_exits_5_saying_where_the_key_comes_from() {
    let fake = FakeApi::start();
    let (_dir, audio) = recording();
    let out = run(aai_with_key(&fake, "not-the-key").args(["transcribe", &audio]));
    out.expect_code(5);
    out.stderr_mentions(&[
        "401",
        "Authentication error",
        "ASSEMBLYAI_API_KEY",
        "--api-key-file",
    ]);
    assert_eq!(fake.count("POST", "/v2/upload"), 1, "a 401 is not retried");
    assert_eq!(fake.count("POST", "/v2/transcript"), 0);

    let out = run(aai_with_key(&fake, "not-the-key").args(["get", UNKNOWN_ID, "--json"]));
    out.expect_code(5);
    let error = out.json_error();
    assert_eq!(error["kind"], "auth");
    assert_eq!(error["status"], 401);
}

#[test]
fn a_400_shows_the_server_message_and_is_not_retried() {
    let fake = FakeApi::start();
    let rejection = Fault::Status {
        code: 400,
        body: "{\"error\":\"format_text must be a Boolean\"}".into(),
        retry_after: None,
    };
    fake.inject(rejection.clone().on("POST", "/v2/transcript").times(2));
    let (_dir, audio) = recording();

    fails(
        &fake,
        &["transcribe", &audio],
        4,
        &["400", "format_text must be a Boolean"],
    );
    assert_eq!(fake.count("POST", "/v2/transcript"), 1);

    let error = fails_json(&fake, &["transcribe", &audio], 4);
    assert_eq!(error["kind"], "api");
    assert_eq!(error["status"], 400);
    assert!(error["transcript_id"].is_null(), "no job was created");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("format_text must be a Boolean")
    );
}

#[test]
fn an_upload_of_another_project_is_forbidden_with_an_explanation() {
    let fake = FakeApi::start();
    fake.add_key("aai-test-key-other-project", "other");
    let (_dir, audio) = recording();
    let uploaded = run(aai(&fake).args(["upload", &audio]));
    let url = uploaded.expect_ok().stdout.trim_end();

    let out = run(aai_with_key(&fake, "aai-test-key-other-project").args(["submit", url]));

    out.expect_code(4);
    out.stderr_mentions(&[
        "403",
        "Cannot access uploaded file",
        "project that uploaded it",
    ]);
    assert!(fake.transcripts().is_empty());
}

#[test]
fn an_unknown_transcript_id_exits_4_naming_it() {
    let fake = FakeApi::start();
    for command in ["get", "wait"] {
        fails(
            &fake,
            &[command, UNKNOWN_ID],
            4,
            &["404", "Not found", UNKNOWN_ID],
        );
    }
    let error = fails_json(&fake, &["get", UNKNOWN_ID], 4);
    assert_eq!(error["kind"], "api");
    assert_eq!(error["status"], 404);
    assert_eq!(error["transcript_id"], UNKNOWN_ID);
    assert_eq!(
        fake.count("GET", "/v2/transcript/"),
        3,
        "a 404 is not retried"
    );
}

#[test]
fn the_lookup_error_form_of_an_unknown_id_exits_4_too() {
    let fake = FakeApi::builder()
        .not_found(NotFoundStyle::LookupError400)
        .start();
    for command in ["get", "wait"] {
        fails(
            &fake,
            &[command, UNKNOWN_ID],
            4,
            &["400", "lookup error", UNKNOWN_ID],
        );
    }
}

/// `aai get` answered with `body` instead of the transcript, every time; returns how many GETs
/// were sent.
#[track_caller]
fn get_answered_with(content_type: &str, body: &[u8], words: &[&str]) -> usize {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "fine"}));
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: content_type.into(),
            body: body.to_vec(),
        }
        .on("GET", "/v2/transcript/")
        .times(100),
    );
    let out = fails(&fake, &["get", &id], 8, words);
    out.stderr_mentions(&["unreadable reply", "HTTP 200"]);
    fake.count("GET", "/v2/transcript/")
}

#[test]
fn an_html_page_instead_of_json_is_described_not_dumped() {
    let page = b"<!DOCTYPE html><html><body><h1>Welcome to the captive portal</h1></body></html>";
    // Not JSON at all (a proxy's page): read again like a 5xx, then described.
    let sent = get_answered_with("text/html", page, &["HTML page", "base URL"]);
    assert!(sent > 1, "a garbled read was not sent again");
}

#[test]
fn an_empty_reply_is_described() {
    let sent = get_answered_with("application/json", b"", &["empty body"]);
    assert!(sent > 1, "an empty 200 was not read again");
}

#[test]
fn truncated_json_is_described_with_an_excerpt() {
    let sent = get_answered_with(
        "application/json",
        br#"{"id": "x", "status": "compl"#,
        &["expected JSON", "\"status\": \"compl"],
    );
    // JSON, if broken: not sent again (the same request would likely get the same).
    assert_eq!(sent, 1);
}

#[test]
fn a_server_failing_past_the_retries_exits_8() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    fake.inject(Fault::status(502).on("GET", "/v2/transcript/").times(10));

    let out = fails(&fake, &["get", &id], 8, &["502", "HTML page"]);

    assert_eq!(
        fake.count("GET", "/v2/transcript/"),
        5,
        "the default policy sends 5 times"
    );
    assert!(out.stderr.contains("trying again"), "retries are reported");
}

#[test]
fn wait_rides_out_a_few_unreadable_replies() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Made it."}));
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: "text/html".into(),
            body: b"<html>busy</html>".to_vec(),
        }
        .on("GET", "/v2/transcript/")
        .times(2),
    );

    let out = run(aai(&fake).args(["wait", &id, "--poll-interval", "50ms"]));

    out.expect_ok();
    assert_eq!(out.stdout, "Made it.\n");
}

#[test]
fn wait_gives_up_on_a_series_of_unreadable_replies_naming_the_job() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: "text/html".into(),
            body: b"<html>broken proxy</html>".to_vec(),
        }
        .on("GET", "/v2/transcript/")
        .times(100),
    );

    let out = fails(
        &fake,
        &["wait", &id, "--poll-interval", "50ms"],
        8,
        &["HTML page"],
    );

    out.stderr_mentions(&[&format!("aai wait {id}")]);
    let error = fails_json(&fake, &["wait", &id, "--poll-interval", "50ms"], 8);
    assert_eq!(error["kind"], "network");
    assert_eq!(error["transcript_id"], json!(id));
}

#[test]
fn transcribe_losing_the_server_after_creating_the_job_names_it() {
    let fake = FakeApi::start();
    let unreadable = Fault::Body {
        status: 200,
        content_type: "text/html".into(),
        body: b"<html>maintenance</html>".to_vec(),
    };
    fake.inject(unreadable.on("GET", "/v2/transcript/").times(100));
    let (_dir, audio) = recording();
    let args = ["transcribe", &audio, "--poll-interval", "50ms"];

    let out = fails(&fake, &args, 8, &["HTML page"]);
    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    let last = out
        .stderr
        .lines()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        last.contains(&format!("aai wait {id}")),
        "no resume hint at the end:\n{last}"
    );

    let error = fails_json(&fake, &args, 8);
    let id = fake.transcripts()[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(error["kind"], "network");
    assert_eq!(error["transcript_id"], json!(id));
}

#[test]
fn a_failed_transcript_exits_6_with_the_server_message_and_the_id() {
    let fake = FakeApi::builder()
        .script(Script::fail("Audio duration is too short."))
        .start();
    let (_dir, audio) = recording();

    let out = fails(
        &fake,
        &["transcribe", &audio],
        6,
        &["Audio duration is too short."],
    );
    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    out.stderr_mentions(&[&id, "failed"]);

    fails(
        &fake,
        &["wait", &id],
        6,
        &["Audio duration is too short.", &id],
    );

    let error = fails_json(&fake, &["transcribe", &audio], 6);
    let id = fake.transcripts()[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(error["kind"], "transcript_failed");
    assert_eq!(error["transcript_id"], json!(id));
    assert!(error["status"].is_null());
}

#[test]
fn a_deadline_exits_7_and_json_names_the_running_job() {
    let fake = FakeApi::builder().script(Script::never()).start();
    let (_dir, audio) = recording();

    let error = fails_json(&fake, &["transcribe", &audio, "--timeout", "2s"], 7);

    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(error["kind"], "timeout");
    assert_eq!(error["transcript_id"], json!(id));
    assert!(error["status"].is_null());

    let out = fails(&fake, &["wait", &id, "--timeout", "1500ms"], 7, &[&id]);
    out.stderr_mentions(&[&format!("aai wait {id}")]);
}

#[test]
fn a_server_error_on_create_names_no_job_when_none_was_made() {
    // 503 on create proves no job started, so it is retried; past the retries, exit 8.
    let fake = FakeApi::start();
    fake.inject(Fault::status(503).on("POST", "/v2/transcript").times(10));
    let error = fails_json(&fake, &["submit", "https://example.com/a.mp3"], 8);
    assert_eq!(error["kind"], "network");
    assert_eq!(error["status"], 503);
    assert!(error["transcript_id"].is_null());
    assert!(fake.transcripts().is_empty());
}
