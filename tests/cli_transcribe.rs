//! `aai transcribe`, the main path, run as a process against the fake API: what goes to stdout,
//! stderr and files, and what reaches the server.

mod cli_common;
mod support;

use std::fs;
use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

#[cfg(unix)]
use cli_common::interrupt_once_created;
use cli_common::{Run, TempDir, aai, audio_bytes, is_uuid, run, run_with_stdin, wait_or_kill};
use serde_json::{Value, json};
use support::{FakeApi, Script, example_text, fnv1a64};

/// The id of the only job the fake has.
fn only_job_id(fake: &FakeApi) -> String {
    let transcripts = fake.transcripts();
    assert_eq!(transcripts.len(), 1, "expected exactly one job");
    transcripts[0]["id"].as_str().unwrap().to_owned()
}

#[test]
fn transcribe_uploads_the_file_and_prints_only_the_text() {
    let fake = FakeApi::start();
    let dir = TempDir::new("main");
    let bytes = audio_bytes(100_003);
    let audio = dir.file("meeting.mp3", &bytes);

    let out = run(aai(&fake).arg("transcribe").arg(&audio));

    out.expect_ok();
    let uploads = fake.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].len, bytes.len() as u64);
    assert_eq!(
        uploads[0].fnv,
        fnv1a64(&bytes),
        "the upload is not the file"
    );
    let id = only_job_id(&fake);
    assert_eq!(fake.transcripts()[0]["audio_url"], json!(uploads[0].url));
    assert_eq!(out.stdout, format!("{}\n", example_text()));
    assert!(out.stderr.contains(&id), "no id on stderr:\n{}", out.stderr);
    out.stderr_mentions(&["created", "aai wait"]);
    assert!(
        out.stderr.lines().all(|line| line.starts_with("aai: ")),
        "stderr has lines that are not status lines:\n{}",
        out.stderr
    );
}

#[test]
fn transcribe_of_an_http_url_lets_the_api_fetch_it_without_uploading() {
    let fake = FakeApi::start();
    let url = "https://example.com/talk.mp4";

    let out = run(aai(&fake).args(["transcribe", url, "--language-code", "de"]));

    out.expect_ok();
    assert!(fake.uploads().is_empty());
    let create = &fake.requests_to("POST", "/v2/transcript")[0];
    assert_eq!(create.json()["audio_url"], url);
    assert_eq!(create.json()["language_code"], "de");
    assert_eq!(out.stdout, format!("{}\n", example_text()));
}

#[test]
fn quiet_leaves_only_the_id_on_stderr() {
    let fake = FakeApi::start();
    let dir = TempDir::new("quiet");
    let audio = dir.file("a.wav", &audio_bytes(1000));

    let out = run(aai(&fake).args(["transcribe", "-q"]).arg(&audio));

    out.expect_ok();
    let id = only_job_id(&fake);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    out.stderr_mentions(&[&id]);
}

#[test]
fn transcribe_json_prints_the_whole_object_with_fields_the_crate_does_not_model() {
    let fake = FakeApi::start();
    fake.push_script(Script::after_polls(0, 1).with_transcript(json!({
        "text": "Fields from the future.",
        "field_from_the_future": {"nested": [1, 2, 3], "flag": true},
    })));
    let dir = TempDir::new("json");
    let audio = dir.file("a.wav", &audio_bytes(5000));

    let out = run(aai(&fake).args(["transcribe", "--json"]).arg(&audio));

    out.expect_ok();
    assert!(out.stdout.ends_with("}\n"), "not one trailing newline");
    assert_eq!(out.stdout.lines().count(), 1, "not one line of JSON");
    let transcript: Value = serde_json::from_str(&out.stdout).expect("stdout is JSON");
    assert_eq!(transcript["id"], json!(only_job_id(&fake)));
    assert_eq!(transcript["status"], "completed");
    assert_eq!(transcript["text"], "Fields from the future.");
    assert_eq!(
        transcript["field_from_the_future"],
        json!({"nested": [1, 2, 3], "flag": true})
    );
    // Every key the server sent is there, nulls included.
    let sent = &fake.transcripts()[0];
    for key in sent.as_object().unwrap().keys() {
        assert_eq!(transcript[key], sent[key], "field {key} differs");
    }
}

#[test]
fn with_json_every_stderr_line_is_a_json_object_including_the_created_id() {
    let fake = FakeApi::start();
    let dir = TempDir::new("json-stderr");
    let audio = dir.file("a.wav", &audio_bytes(5000));

    let out = run(aai(&fake).args(["transcribe", "--json"]).arg(&audio));

    out.expect_ok();
    let events = out.stderr_json_lines();
    let id = only_job_id(&fake);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "created" && e["transcript_id"] == json!(id)),
        "no created event with the id:\n{}",
        out.stderr
    );
    assert!(events.iter().any(|e| e["event"] == "uploaded"));
}

#[test]
fn no_wait_prints_only_the_id_and_never_fetches_the_transcript() {
    let fake = FakeApi::start();
    let dir = TempDir::new("no-wait");
    let audio = dir.file("a.wav", &audio_bytes(2048));

    let out = run(aai(&fake).args(["transcribe", "--no-wait"]).arg(&audio));

    out.expect_ok();
    let id = only_job_id(&fake);
    assert_eq!(out.stdout, format!("{id}\n"));
    assert!(
        is_uuid(out.stdout.trim_end()),
        "not an id: {:?}",
        out.stdout
    );
    assert_eq!(fake.count("GET", "/v2/transcript"), 0);
    assert_eq!(fake.count("POST", "/v2/upload"), 1);
    assert_eq!(fake.count("POST", "/v2/transcript"), 1);
}

#[test]
fn output_file_receives_the_text_and_stdout_stays_empty() {
    let fake = FakeApi::start();
    let dir = TempDir::new("output");
    let audio = dir.file("a.wav", &audio_bytes(2048));
    let target = dir.join("a.txt");

    let out = run(aai(&fake)
        .arg("transcribe")
        .arg(&audio)
        .arg("-o")
        .arg(&target));

    out.expect_ok();
    assert_eq!(out.stdout, "");
    let written = fs::read_to_string(&target).expect("the output file exists");
    assert_eq!(written, format!("{}\n", example_text()));
}

#[cfg(unix)]
#[test]
fn an_existing_output_file_is_replaced_by_rename_leaving_no_temporary_file() {
    let fake = FakeApi::start();
    let dir = TempDir::new("atomic");
    let audio = dir.file("a.wav", &audio_bytes(2048));
    let target = dir.file("a.txt", b"the old transcript\n");
    // A second name for the old file: writing in place would change it too, a rename doesn't.
    fs::hard_link(&target, dir.join("old-link.txt")).unwrap();

    let out = run(aai(&fake)
        .arg("transcribe")
        .arg(&audio)
        .arg("--output")
        .arg(&target));

    out.expect_ok();
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        format!("{}\n", example_text())
    );
    assert_eq!(
        fs::read_to_string(dir.join("old-link.txt")).unwrap(),
        "the old transcript\n",
        "the old file was overwritten in place, not replaced"
    );
    assert_eq!(dir.entries(), ["a.txt", "a.wav", "old-link.txt"]);
}

#[test]
fn dash_reads_the_audio_from_stdin_and_streams_it_chunked() {
    let fake = FakeApi::start();
    let bytes = audio_bytes(300_000);

    let out = run_with_stdin(aai(&fake).args(["transcribe", "-"]), Some(bytes.clone()));

    out.expect_ok();
    let uploads = fake.uploads();
    assert_eq!(uploads.len(), 1);
    assert!(uploads[0].chunked, "stdin was not streamed");
    assert_eq!(uploads[0].len, bytes.len() as u64);
    assert_eq!(uploads[0].fnv, fnv1a64(&bytes));
    assert_eq!(out.stdout, format!("{}\n", example_text()));
}

/// A run against a job that never finishes, with `extra` arguments.
fn run_until_timeout(fake: &FakeApi, dir: &TempDir, extra: &[&str]) -> Run {
    fake.set_script(Script::never());
    let audio = dir.file("long.wav", &audio_bytes(4096));
    run(aai(fake).arg("transcribe").arg(&audio).args(extra))
}

#[test]
fn timeout_on_a_job_that_never_finishes_exits_7_naming_the_id_and_how_to_resume() {
    let fake = FakeApi::start();
    let dir = TempDir::new("timeout");

    let out = run_until_timeout(&fake, &dir, &["--timeout", "3s"]);

    out.expect_code(7);
    assert!(
        out.took < Duration::from_secs(30),
        "took {:?} for a 3 s timeout",
        out.took
    );
    let id = only_job_id(&fake);
    out.stderr_mentions(&[&id, &format!("aai wait {id}")]);
    assert_eq!(out.stdout, "");
    assert!(fake.count("GET", "/v2/transcript/") >= 1, "never polled");
}

#[test]
fn id_file_holds_the_id_even_when_the_run_later_times_out() {
    let fake = FakeApi::start();
    let dir = TempDir::new("id-file");
    let id_file = dir.join("job.id");
    let id_path = id_file.to_str().unwrap();

    let out = run_until_timeout(&fake, &dir, &["--timeout", "2s", "--id-file", id_path]);

    out.expect_code(7);
    let id = only_job_id(&fake);
    assert_eq!(fs::read_to_string(&id_file).unwrap(), format!("{id}\n"));
    assert_eq!(
        dir.entries(),
        ["job.id", "long.wav"],
        "temporary files left"
    );
}

#[test]
fn id_file_holds_the_id_of_a_successful_run() {
    let fake = FakeApi::start();
    let dir = TempDir::new("id-file-ok");
    let audio = dir.file("a.wav", &audio_bytes(1000));
    let id_file = dir.join("job.id");

    let out = run(aai(&fake)
        .arg("transcribe")
        .arg(&audio)
        .arg("--id-file")
        .arg(&id_file));

    out.expect_ok();
    let id = only_job_id(&fake);
    assert_eq!(fs::read_to_string(&id_file).unwrap(), format!("{id}\n"));
}

#[test]
fn every_request_carries_the_key_raw_in_authorization() {
    let fake = FakeApi::start();
    let dir = TempDir::new("auth");
    let audio = dir.file("a.wav", &audio_bytes(1000));

    run(aai(&fake).arg("transcribe").arg(&audio)).expect_ok();

    let requests = fake.requests();
    assert!(requests.len() >= 3, "upload, create and at least one poll");
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(fake.key()),
            "{} {}",
            request.method,
            request.path
        );
    }
}

#[test]
fn a_reader_closing_stdout_at_once_makes_no_error() {
    let fake = FakeApi::start();
    let dir = TempDir::new("epipe-now");
    let audio = dir.file("a.wav", &audio_bytes(1000));

    let mut child = aai(&fake)
        .arg("transcribe")
        .arg(&audio)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = wait_or_kill(&mut child);

    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("error"), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

#[test]
fn a_reader_taking_a_few_bytes_then_closing_stdout_makes_no_error() {
    // Output far larger than a pipe's buffer, so the writer is still writing when the reader goes.
    let fake = FakeApi::builder()
        .script(Script::after_polls(0, 0).with_words(30_000))
        .start();
    let dir = TempDir::new("epipe-head");
    let audio = dir.file("a.wav", &audio_bytes(1000));

    let mut child = aai(&fake)
        .args(["transcribe", "--json"])
        .arg(&audio)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = wait_or_kill(&mut child);

    assert_eq!(&head[..1], b"{");
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    // With --json stderr is JSON lines: none of them may be an error.
    assert!(!stderr.contains("\"error\""), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

#[test]
fn an_id_file_in_a_missing_directory_fails_before_any_request() {
    let fake = FakeApi::start();
    let dir = TempDir::new("id-file-missing");
    let audio = dir.file("a.wav", &audio_bytes(1000));
    let missing = dir.join("missing/job.id");
    let directory = dir.path().to_path_buf();

    for (command, id_file, words) in [
        ("transcribe", &missing, ["cannot write", "does not exist"]),
        ("submit", &missing, ["cannot write", "does not exist"]),
        ("transcribe", &directory, ["cannot write", "is a directory"]),
    ] {
        let source = match command {
            "transcribe" => audio.to_str().unwrap(),
            _ => "https://example.com/a.mp3",
        };
        let out = run(aai(&fake)
            .args([command, source, "--quiet", "--id-file"])
            .arg(id_file));
        out.expect_code(3);
        out.stderr_mentions(&words);
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn a_quiet_run_whose_id_file_cannot_be_written_fails_and_still_prints_the_id() {
    let dir = TempDir::new("id-file-unwritable");
    let audio = dir.file("a.wav", &audio_bytes(1000));
    let ids = TempDir::new("id-file-dir");
    let id_file = ids.join("id.txt");
    // Every check before the run passes; the directory goes away once the job is being
    // created, so writing the id fails after the job exists, whoever runs the test.
    let doomed = ids.path().to_owned();
    let fake = FakeApi::builder()
        .on_request(move |request| {
            if request.is_to("POST", "/v2/transcript") {
                let _ = std::fs::remove_dir_all(&doomed);
            }
        })
        .start();

    let out = run(aai(&fake)
        .args(["transcribe", "--quiet", "--id-file"])
        .arg(&id_file)
        .arg(&audio));

    let id = only_job_id(&fake);
    // Not a success a script would trust: exit 3, the id named with the way to resume.
    out.expect_code(3);
    out.stderr_mentions(&["cannot write", "id.txt", &id, &format!("aai wait {id}")]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_exits_130_saying_how_to_resume() {
    let fake = FakeApi::builder().script(Script::never()).start();
    let dir = TempDir::new("interrupt");
    let audio = dir.file("a.wav", &audio_bytes(1000));

    let (code, seen) = interrupt_once_created(aai(&fake).arg("transcribe").arg(&audio));

    let id = only_job_id(&fake);
    assert_eq!(code, Some(130), "stderr:\n{seen}");
    assert!(seen.contains("interrupted"), "stderr:\n{seen}");
    assert!(seen.contains(&format!("aai wait {id}")), "stderr:\n{seen}");
}
