//! The API key and the webhook secret never show up in anything `aai` writes: every command,
//! successful or failing, text or `--json`, is run with recognisable fake secrets, and stdout,
//! stderr and every file written (`-o`, `--id-file`) are searched for them.

mod cli_common;
mod support;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use cli_common::{Run, TempDir, aai, aai_with_key, audio_bytes, bare_aai, run, run_with_stdin};
use serde_json::json;
use support::{FakeApi, Fault, NotFoundStyle, Script};

/// The key the fake accepts. Paths and ids never contain `LEAKCHECK`, so finding that marker
/// anywhere means some part of a secret got out, even a truncated one.
const KEY: &str = "aai-secret-LEAKCHECK-5f3c9e";
/// A key the fake rejects: it must not leak either.
const WRONG_KEY: &str = "aai-wrong-LEAKCHECK-0b7a1d";
/// The webhook's auth header value.
const WEBHOOK_SECRET: &str = "whsec-LEAKCHECK-93ad1f";
const MARKER: &str = "LEAKCHECK";

fn fake() -> FakeApi {
    FakeApi::builder().key(KEY).start()
}

/// Panics if a secret is in the run's streams or in any file in `dir`.
#[track_caller]
fn assert_no_secret(what: &str, out: &Run, dir: &TempDir) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains(MARKER),
            "{what}: a secret is on {stream}:\n{text}"
        );
    }
    for name in dir.entries() {
        let path = dir.join(&name);
        if path.is_file() {
            let bytes = fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(MARKER),
                "{what}: a secret is in {name}:\n{text}"
            );
        }
    }
}

/// Runs `command`, checks its exit code and that nothing leaked.
#[track_caller]
fn check(what: &str, command: &mut Command, code: i32, dir: &TempDir) -> Run {
    let out = run(command);
    out.expect_code(code);
    assert_no_secret(what, &out, dir);
    out
}

/// A directory with a recording, `a.wav`, and its path.
fn recording(name: &str) -> (TempDir, String) {
    let dir = TempDir::new(name);
    let path = dir.file("a.wav", &audio_bytes(2000));
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn the_key_is_in_no_output_of_a_successful_command() {
    let fake = fake();
    let (dir, audio) = recording("leak-ok");
    let out_file = dir.join("out.txt");
    let id_file = dir.join("job.id");
    let a = audio.as_str();

    check("transcribe", aai(&fake).args(["transcribe", a]), 0, &dir);
    check(
        "transcribe --json",
        aai(&fake).args(["transcribe", a, "--json"]),
        0,
        &dir,
    );
    check(
        "--no-wait",
        aai(&fake).args(["transcribe", a, "--no-wait"]),
        0,
        &dir,
    );
    let mut to_files = aai(&fake);
    to_files
        .args(["transcribe", a, "-o"])
        .arg(&out_file)
        .arg("--id-file")
        .arg(&id_file);
    check("transcribe -o --id-file", &mut to_files, 0, &dir);
    assert!(
        out_file.exists() && id_file.exists(),
        "the files were written"
    );
    let out = run_with_stdin(aai(&fake).args(["transcribe", "-"]), Some(audio_bytes(900)));
    out.expect_ok();
    assert_no_secret("transcribe -", &out, &dir);

    let url = check("upload", aai(&fake).args(["upload", a]), 0, &dir).stdout;
    check(
        "upload --json",
        aai(&fake).args(["upload", a, "--json"]),
        0,
        &dir,
    );
    let id = check(
        "submit",
        aai(&fake).args(["submit", url.trim_end()]),
        0,
        &dir,
    )
    .stdout;
    let id = id.trim_end();
    check(
        "submit --json",
        aai(&fake).args(["submit", url.trim_end(), "--json"]),
        0,
        &dir,
    );
    check("get", aai(&fake).args(["get", id]), 0, &dir);
    check("wait", aai(&fake).args(["wait", id]), 0, &dir);
    check(
        "get --json",
        aai(&fake).args(["get", id, "--json"]),
        0,
        &dir,
    );
    check(
        "wait --json",
        aai(&fake).args(["wait", id, "--json"]),
        0,
        &dir,
    );
    let mut srt = aai(&fake);
    srt.args(["wait", id, "--format", "srt", "-o"])
        .arg(&out_file);
    check("wait --format srt -o", &mut srt, 0, &dir);

    for help in [
        &["--help"][..],
        &["help", "transcribe"],
        &["wait", "--help"],
        &["--version"],
    ] {
        check("help", aai(&fake).args(help), 0, &dir);
    }
    assert!(
        fake.requests()
            .iter()
            .all(|r| r.header("authorization") == Some(KEY))
    );
}

#[test]
fn the_key_is_in_no_output_of_a_failing_command() {
    let fake = fake();
    let (dir, audio) = recording("leak-fail");
    let a = audio.as_str();
    let unknown = "5551722f-f677-48a6-9287-39c0aafd9ac1";

    for json in [false, true] {
        let with = |args: &[&str]| {
            let mut args = args.to_vec();
            if json {
                args.push("--json");
            }
            args.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        check("404", aai(&fake).args(with(&["get", unknown])), 4, &dir);
        check(
            "wait 404",
            aai(&fake).args(with(&["wait", unknown])),
            4,
            &dir,
        );
        let rejected = with(&["transcribe", a]);
        check(
            "401",
            aai_with_key(&fake, WRONG_KEY).args(&rejected),
            5,
            &dir,
        );
        check(
            "401 get",
            aai_with_key(&fake, WRONG_KEY).args(with(&["get", unknown])),
            5,
            &dir,
        );
        check(
            "bad flag",
            aai(&fake).args(with(&["transcribe", a, "--bogus"])),
            2,
            &dir,
        );
        let range = with(&["transcribe", a, "--temperature", "2"]);
        check("bad value", aai(&fake).args(&range), 2, &dir);
        check(
            "missing file",
            aai(&fake).args(with(&["transcribe", "nope.wav"])),
            3,
            &dir,
        );
        check("bad id", aai(&fake).args(with(&["get", "../x"])), 2, &dir);
    }

    fake.push_script(Script::fail("Audio duration is too short."));
    check("failed job", aai(&fake).args(["transcribe", a]), 6, &dir);
    fake.push_script(Script::never());
    let timeout = ["transcribe", a, "--timeout", "1s", "--id-file"];
    let mut timing_out = aai(&fake);
    timing_out.args(timeout).arg(dir.join("job.id"));
    check("timeout", &mut timing_out, 7, &dir);

    let lookup = FakeApi::builder()
        .key(KEY)
        .not_found(NotFoundStyle::LookupError400)
        .start();
    check("lookup error", aai(&lookup).args(["get", unknown]), 4, &dir);
}

#[test]
fn a_key_the_server_echoes_back_is_not_printed() {
    let fake = fake();
    let dir = TempDir::new("leak-echo");
    let id = fake.insert_transcript(json!({}));
    let echo = format!("{{\"error\":\"invalid key {KEY} for this project\"}}");
    fake.inject(
        Fault::Status {
            code: 400,
            body: echo,
            retry_after: None,
        }
        .on("GET", "/v2/transcript/"),
    );
    let out = check("echoed in an error", aai(&fake).args(["get", &id]), 4, &dir);
    out.stderr_mentions(&["invalid key", "for this project"]);
}

#[test]
fn a_key_echoed_in_an_unreadable_reply_is_not_printed() {
    let fake = fake();
    let dir = TempDir::new("leak-echo-200");
    let id = fake.insert_transcript(json!({}));
    // A proxy page showing the request it got, headers and all.
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: "text/plain".into(),
            body: format!("GET /v2/transcript/{id}\r\nAuthorization: {KEY}\r\n").into_bytes(),
        }
        // Every time: a garbled read is read again before it is reported.
        .on("GET", "/v2/transcript/")
        .times(100),
    );
    check("echoed in a 200", aai(&fake).args(["get", &id]), 8, &dir);
    // The wait loop reports each unreadable reply before giving up (on a fresh server: the
    // first one still has the faults this one did not use).
    let fake = self::fake();
    let id = fake.insert_transcript(json!({}));
    fake.inject(
        Fault::Body {
            status: 200,
            content_type: "application/json".into(),
            body: format!("{{\"headers\": {{\"authorization\": \"{KEY}\"}}}}").into_bytes(),
        }
        .on("GET", "/v2/transcript/")
        .times(2),
    );
    let wait = ["wait", &id, "--poll-interval", "50ms"];
    check("echoed while waiting", aai(&fake).args(wait), 0, &dir);
}

#[test]
fn keys_that_cannot_be_sent_are_refused_without_being_printed() {
    let fake = fake();
    let dir = TempDir::new("leak-bad-key");
    for key in [format!("{KEY}\u{e9}"), format!("{KEY}\u{7f}x")] {
        let out = check(
            "unsendable key",
            aai_with_key(&fake, &key).args(["get", "x"]),
            // A key problem, like a key the API refuses: exit 5, not a usage error.
            5,
            &dir,
        );
        out.stderr_mentions(&["API key"]);
    }
    assert!(fake.requests().is_empty());
}

/// A key file in its own directory (outside the one searched for leaks).
fn key_file(contents: &str, mode: u32) -> (TempDir, PathBuf) {
    let dir = TempDir::new("key-file");
    let path = dir.file("key", contents.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    (dir, path)
}

#[test]
fn a_key_from_api_key_file_is_in_no_output() {
    let fake = fake();
    let (dir, audio) = recording("leak-key-file");
    let id = fake.insert_transcript(json!({}));
    let without_env = || {
        let mut command = bare_aai();
        command.env("ASSEMBLYAI_BASE_URL", fake.base_url());
        command
    };
    for (contents, mode, code) in [
        (format!("{KEY}\n"), 0o600, 0),
        (format!("  {KEY}  \n"), 0o644, 0),
        (format!("{KEY}\n{KEY}\n"), 0o600, 3),
        (format!("{WRONG_KEY}\n"), 0o600, 5),
    ] {
        let (_keys, path) = key_file(&contents, mode);
        let mut get = without_env();
        get.args(["get", &id, "--api-key-file"]).arg(&path);
        check("get --api-key-file", &mut get, code, &dir);
        let mut transcribe = without_env();
        transcribe
            .args(["transcribe", &audio, "--json", "--api-key-file"])
            .arg(&path);
        check("transcribe --api-key-file", &mut transcribe, code, &dir);
    }
}

#[test]
fn the_webhook_secret_is_sent_but_never_printed() {
    let fake = fake();
    let (dir, audio) = recording("leak-webhook");
    let (_secrets, secret_file) = key_file(&format!("{WEBHOOK_SECRET}\n"), 0o600);
    let webhook = |command: &mut Command| {
        command
            .args(["--webhook-url", "https://example.com/hook"])
            .args(["--webhook-auth-header-name", "X-Hook-Auth"])
            .arg("--webhook-auth-header-value-file")
            .arg(&secret_file);
    };
    let url = "https://example.com/a.mp3";
    let runs: [&[&str]; 5] = [
        &["transcribe", &audio],
        &["transcribe", &audio, "--json"],
        &["transcribe", &audio, "--no-wait", "--json"],
        &["submit", url],
        &["submit", url, "--json"],
    ];
    for args in runs {
        let mut command = aai(&fake);
        command.args(args);
        webhook(&mut command);
        check("webhook", &mut command, 0, &dir);
    }
    let creates = fake.requests_to("POST", "/v2/transcript");
    assert_eq!(creates.len(), runs.len());
    for create in &creates {
        assert_eq!(create.json()["webhook_auth_header_value"], WEBHOOK_SECRET);
    }
    assert!(fake.transcripts().iter().all(|t| t["webhook_auth"] == true));

    // Without the header name the options are refused, still without the secret.
    let mut incomplete = aai(&fake);
    incomplete
        .args(["submit", url, "--webhook-auth-header-value-file"])
        .arg(&secret_file);
    let out = check("webhook without name", &mut incomplete, 2, &dir);
    out.stderr_mentions(&["webhook_auth_header_name"]);
}

#[test]
fn config_refuses_the_webhook_secret_on_the_command_line_but_a_config_file_may_hold_it() {
    let fake = fake();
    let dir = TempDir::new("config-secret");
    let url = "https://example.com/a.mp3";
    let setting = format!("webhook_auth_header_value={WEBHOOK_SECRET}");

    for command in ["submit", "transcribe"] {
        let mut refused = aai(&fake);
        refused
            .args([command, url, "--webhook-auth-header-name", "X-Hook-Auth"])
            .args(["--config", &setting]);
        let out = check("--config secret", &mut refused, 2, &dir);
        out.stderr_mentions(&["--webhook-auth-header-value-file"]);
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());

    let config = dir.file(
        "request.json",
        json!({
            "webhook_url": "https://example.com/hook",
            "webhook_auth_header_name": "X-Hook-Auth",
            "webhook_auth_header_value": WEBHOOK_SECRET,
        })
        .to_string()
        .as_bytes(),
    );
    let mut from_file = aai(&fake);
    from_file
        .args(["submit", url, "--config-file"])
        .arg(&config);
    let out = run(&mut from_file);
    out.expect_ok();
    assert!(!out.stderr.contains(MARKER), "{}", out.stderr);
    let create = &fake.requests_to("POST", "/v2/transcript")[0];
    assert_eq!(create.json()["webhook_auth_header_value"], WEBHOOK_SECRET);
}
