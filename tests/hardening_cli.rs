//! What an independent adversarial pass over issue 8 found in the CLI, pinned: the key echoed
//! in server text that reaches the CLI by ways other than the library's errors, output files that
//! are one of the files the run reads, and deadlines that must hold whatever the server does.

mod cli_common;
mod support;

use std::fs;

use cli_common::{TempDir, aai, audio_bytes, run};
use serde_json::json;
use support::FakeApi;

/// The key the fake accepts; any 8 of its characters in a row found in output is a leak.
const KEY: &str = "aai-k3yZq9Xw7Vt5Rs1Pm8Ln6Jh4Gf2Dc0Ba";

fn fake() -> FakeApi {
    FakeApi::builder().key(KEY).start()
}

#[track_caller]
fn assert_no_key(what: &str, text: &str) {
    for at in 0..=KEY.len() - 8 {
        assert!(
            !text.contains(&KEY[at..at + 8]),
            "{what}: part of the key is shown:\n{text}"
        );
    }
}

/// Server text with the key at `at`, cut where messages are cut (200 characters) and beyond.
fn echoing(at: usize) -> String {
    let mut text = "x".repeat(240);
    text.insert_str(at, KEY);
    text
}

#[test]
fn a_failed_transcript_echoing_the_key_never_shows_it_in_export_get_or_wait() {
    let fake = fake();
    for at in [0, 185, 199, 240] {
        let id = fake.insert_transcript(json!({"status": "error", "error": echoing(at)}));
        for args in [
            vec!["export", &id],
            vec!["export", &id, "--json"],
            vec!["wait", &id],
            vec!["wait", &id, "--json"],
            vec!["get", &id],
        ] {
            let out = run(aai(&fake).args(&args));
            let what = format!("{args:?} with the key at {at}");
            assert_no_key(&what, &out.stdout);
            assert_no_key(&what, &out.stderr);
            assert!(
                out.stdout.contains("<redacted>") || out.stderr.contains("<redacted>"),
                "{what}: the message is not shown at all:\n{}{}",
                out.stdout,
                out.stderr
            );
        }
    }
}

#[test]
fn a_listed_job_echoing_the_key_never_shows_it_in_a_list_line() {
    let fake = fake();
    fake.insert_transcript(json!({
        "status": "error",
        "audio_url": format!("https://example.com/{}", echoing(185)),
        "error": echoing(0),
    }));

    let out = run(aai(&fake).arg("list"));

    out.expect_ok();
    assert_no_key("aai list", &out.stdout);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert_eq!(
        out.stdout.trim_end().split('\t').count(),
        4,
        "{}",
        out.stdout
    );
}

#[test]
fn an_output_file_that_is_a_file_the_run_reads_is_refused_before_any_request() {
    let fake = fake();
    let dir = TempDir::new("reads-as-output");
    let key_file = dir.file("key", KEY.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&key_file, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let config = dir.file("config.json", br#"{"punctuate": true}"#);
    let secret = dir.file("secret", b"s3cr3t");
    let recording = dir.file("talk.mp3", &audio_bytes(4000));
    let recording = recording.to_str().unwrap();
    let (key_path, config_path, secret_path) = (
        key_file.to_str().unwrap(),
        config.to_str().unwrap(),
        secret.to_str().unwrap(),
    );
    let webhook = [
        "--webhook-url",
        "http://127.0.0.1:9/hook",
        "--webhook-auth-header-name",
        "X-Hook",
        "--webhook-auth-header-value-file",
        secret_path,
    ];
    let mut cases: Vec<(Vec<&str>, &str)> = Vec::new();
    for flag in ["-o", "--id-file"] {
        cases.push((vec!["transcribe", recording, flag, key_path], key_path));
        cases.push((
            vec!["submit", "https://example.com/a.mp3", flag, key_path],
            key_path,
        ));
        let mut with_config = vec!["transcribe", recording, "--config-file", config_path];
        with_config.extend([flag, config_path]);
        cases.push((with_config, config_path));
        let mut with_secret = vec!["transcribe", recording];
        with_secret.extend(webhook);
        with_secret.extend([flag, secret_path]);
        cases.push((with_secret, secret_path));
    }
    let id = "5551722f-f677-48a6-9287-39c0aafd9ac1";
    cases.push((vec!["get", id, "-o", key_path], key_path));
    cases.push((vec!["export", id, "-o", key_path], key_path));
    cases.push((vec!["wait", id, "-o", key_path], key_path));
    cases.push((vec!["redacted-audio", id, "-o", key_path], key_path));

    for (args, clobbered) in cases {
        let before = fs::read(clobbered).unwrap();
        let mut command = aai(&fake);
        command.env_remove("ASSEMBLYAI_API_KEY");
        let out = run(command.args(&args).args(["--api-key-file", key_path]));

        out.expect_code(2)
            .stderr_mentions(&["give each its own file"]);
        assert_eq!(fs::read(clobbered).unwrap(), before, "{args:?} changed it");
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

/// A server on 127.0.0.1 that answers every request with a 200 whose body starts with `start`
/// (a JSON ready-answer for `/redacted-audio`, pointing back here) and then stalls, connection
/// open, without ever finishing: a server trickling its reply.
fn stalling_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let storage = format!("{base}/storage/audio.mp3");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let storage = storage.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line.split(' ').nth(1).unwrap_or("").to_owned();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut stream = stream;
                if path.ends_with("/redacted-audio") {
                    let body =
                        json!({"status": "redacted_audio_ready", "redacted_audio_url": storage})
                            .to_string();
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    return;
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"id\": \"",
                );
                std::thread::sleep(std::time::Duration::from_secs(30));
            });
        }
    });
    base
}

#[test]
fn a_streamed_reply_cut_by_the_timeout_is_a_timeout_not_a_network_failure() {
    let base = stalling_server();
    let dir = TempDir::new("stalled-stream");
    let id = "5551722f-f677-48a6-9287-39c0aafd9ac1";
    let audio = dir.join("audio.mp3");
    for args in [
        vec!["get", id, "--json", "--timeout", "1s"],
        vec![
            "redacted-audio",
            id,
            "-o",
            audio.to_str().unwrap(),
            "--timeout",
            "1s",
            "--json",
        ],
    ] {
        let mut command = cli_common::bare_aai();
        command
            .env("ASSEMBLYAI_BASE_URL", &base)
            .env("ASSEMBLYAI_API_KEY", KEY)
            .args(&args);
        let out = run(&mut command);

        out.expect_code(7);
        assert_eq!(out.json_error()["kind"], "timeout", "{args:?}");
        assert!(dir.entries().is_empty(), "{:?}", dir.entries());
    }
}

/// A server on 127.0.0.1 answering every request with a 200 and `body` (JSON).
fn answering_server(body: String) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let mut length = 0;
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let _ = reader.take(length).read_to_end(&mut Vec::new());
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
fn a_created_id_that_is_no_transcript_id_is_an_unreadable_reply_shown_visibly_not_a_usage_error() {
    let id = "abc\u{1b}]0;owned\u{7}";
    let base = answering_server(json!({"id": id, "status": "queued"}).to_string());
    for json in [false, true] {
        let mut command = cli_common::bare_aai();
        command
            .env("ASSEMBLYAI_BASE_URL", &base)
            .env("ASSEMBLYAI_API_KEY", KEY)
            .args(["transcribe", "https://example.com/a.mp3"]);
        if json {
            command.arg("--json");
        }
        let out = run(&mut command);

        out.expect_code(8).stderr_mentions(&["created", "abc"]);
        assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
        if json {
            assert_eq!(out.json_error()["kind"], "network");
        }
    }
}

#[test]
fn an_output_file_that_is_the_key_aai_login_stored_is_refused_before_any_request() {
    let fake = fake();
    let home = TempDir::new("stored-key-as-output");
    fs::create_dir_all(home.join("aai")).unwrap();
    let stored = home.join("aai/api-key");
    fs::write(&stored, KEY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&stored, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let id = "5551722f-f677-48a6-9287-39c0aafd9ac1";
    let mut command = aai(&fake);
    command
        .env_remove("ASSEMBLYAI_API_KEY")
        .env("XDG_CONFIG_HOME", home.path())
        .args(["get", id, "-o", stored.to_str().unwrap()]);

    let out = run(&mut command);

    out.expect_code(2)
        .stderr_mentions(&["aai login", "give each its own file"]);
    assert_eq!(fs::read_to_string(&stored).unwrap(), KEY);
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[test]
fn a_delete_cut_short_says_to_check_or_delete_again_not_to_wait_for_the_transcript() {
    let base = stalling_server();
    let id = "5551722f-f677-48a6-9287-39c0aafd9ac1";
    let mut command = cli_common::bare_aai();
    command
        .env("ASSEMBLYAI_BASE_URL", &base)
        .env("ASSEMBLYAI_API_KEY", KEY)
        .args(["delete", id, "--timeout", "1s"]);

    let out = run(&mut command);

    out.expect_code(7)
        .stderr_mentions(&[&format!("aai delete {id}"), &format!("aai get {id}")]);
    assert!(!out.stderr.contains("aai wait"), "{}", out.stderr);
}
