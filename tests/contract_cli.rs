//! Contract tests of the `aai` binary: every command and every request flag
//! against Prism serving the published spec with request validation on. No
//! request may break the spec (Prism answers 400, which `aai` reports with
//! exit 4), and no answer may be unreadable (exit 8).
//!
//! Skipped, saying why, when Prism or the spec is missing. `redacted-audio`
//! runs without `-o`: with it, `aai` would download from the public storage
//! host named in Prism's example.

mod contract_support;

use std::process::Command;
use std::time::Duration;

use contract_support::cli::{assert_json, ok, strings, tolerated};
use contract_support::flags::{REQUESTS, every_flag, request_flags, request_flags_in_help};
use contract_support::{ID, KEY, Mode, NEWER_ID, OLDER_ID, TempFile, WebhookSink, prism};

#[test]
fn the_flag_table_covers_every_request_flag_in_the_help() {
    let mut covered = every_flag();
    // Tested by submit_with_config_and_config_file_conforms_to_the_spec.
    covered.insert("--config".to_owned());
    covered.insert("--config-file".to_owned());
    let in_help = request_flags_in_help();
    assert!(
        in_help.len() > 50,
        "the help lists the request flags: {in_help:?}"
    );
    let untested: Vec<&String> = in_help.difference(&covered).collect();
    assert!(
        untested.is_empty(),
        "request flags without a contract test (add them to FLAGS): {untested:?}"
    );
    let unknown: Vec<&String> = covered.difference(&in_help).collect();
    assert!(
        unknown.is_empty(),
        "FLAGS names flags the help doesn't: {unknown:?}"
    );
}

#[test]
fn submit_with_every_request_flag_conforms_to_the_spec() {
    let secret = TempFile::with_bytes("txt", b"made-up-webhook-secret\n");
    let id_file = TempFile::with_bytes("id", b"");
    for mode in [Mode::Static, Mode::Dynamic] {
        let Some(prism) = prism(mode) else { return };
        let mark = prism.log_mark();
        let sink = WebhookSink::start();
        for (groups, negated) in REQUESTS {
            let mut args = strings(&["submit", "https://example.com/audio.mp3"]);
            args.extend(request_flags(groups, *negated, &sink.url(), &secret.arg()));
            let id = ok(&prism, mark, &args, None);
            assert!(id.trim().len() >= 8, "an id on stdout: {id:?}");
            let mut json = args.clone();
            json.extend(strings(&["--json", "-q", "--id-file", &id_file.arg()]));
            let object = assert_json(&ok(&prism, mark, &json, None), "submit --json");
            assert!(object["id"].is_string(), "{object}");
            let written = std::fs::read_to_string(id_file.path()).unwrap();
            assert_eq!(written.trim(), object["id"].as_str().unwrap());
        }
        // Every create triggers webhooks; they reach the local receiver.
        assert!(sink.next_body(Duration::from_secs(30)).is_some());
        prism.assert_no_request_violations_since(mark, "aai submit with every flag");
    }
}

#[test]
fn submit_with_config_and_config_file_conforms_to_the_spec() {
    let config = TempFile::with_bytes(
        "json",
        br#"{"speaker_labels": true, "custom_spelling": [{"from": ["dicarlo"], "to": "DeCarlo"}],
            "speech_understanding": {"request": {"translation": {"target_languages": ["es"]}}}}"#,
    );
    for mode in [Mode::Static, Mode::Dynamic] {
        let Some(prism) = prism(mode) else { return };
        let mark = prism.log_mark();
        let args = strings(&[
            "submit",
            "https://example.com/audio.mp3",
            "--config",
            "speaker_options.max_speakers_expected=4",
            "--config",
            "language_code=es",
            "--config",
            "keyterms_prompt=[\"wildfire\"]",
            "--config-file",
            &config.arg(),
        ]);
        ok(&prism, mark, &args, None);
        prism.assert_no_request_violations_since(mark, "aai submit --config");
    }
}

/// Every command but `wait` and `submit`, with each of its options, against
/// static Prism, and what each must print from the spec's examples.
#[test]
fn every_command_sends_spec_valid_requests_and_reads_the_spec_examples() {
    let Some(prism) = prism(Mode::Static) else {
        return;
    };
    let mark = prism.log_mark();
    let audio = TempFile::with_bytes("wav", b"RIFF contract-test audio");
    let out = TempFile::with_bytes("out", b"");
    let key_file = TempFile::with_bytes("key", KEY.as_bytes());
    restrict(key_file.path());
    let file = audio.arg();
    let url = "https://example.com/audio.mp3";
    let run = |args: &[&str]| ok(&prism, mark, &strings(args), None);

    assert!(run(&["upload", &file]).starts_with("https://cdn.assemblyai.com/upload/"));
    assert_json(&run(&["upload", &file, "--json", "-q"]), "upload --json");
    let piped = ok(
        &prism,
        mark,
        &strings(&["upload", "-"]),
        Some(b"piped audio"),
    );
    assert!(piped.starts_with("https://"));

    let id = run(&["transcribe", &file, "--no-wait"]);
    assert_eq!(id.trim(), ID);
    run(&[
        "transcribe",
        url,
        "--no-wait",
        "--speaker-labels",
        "--id-file",
        &out.arg(),
    ]);
    ok(
        &prism,
        mark,
        &strings(&["transcribe", "-", "--no-wait", "-q"]),
        Some(b"piped audio"),
    );
    assert!(run(&["transcribe", &file]).contains("wildfires"));
    assert!(
        run(&[
            "transcribe",
            url,
            "--format",
            "srt",
            "--chars-per-caption",
            "32"
        ])
        .contains("-->")
    );
    assert_json(
        &run(&["transcribe", url, "--json", "--timeout", "1m"]),
        "transcribe --json",
    );
    run(&["transcribe", url, "--poll-interval", "1s", "-o", &out.arg()]);

    assert_eq!(run(&["get", ID]), "completed\n");
    assert_eq!(
        assert_json(&run(&["get", ID, "--json"]), "get --json")["id"],
        ID
    );
    run(&["get", ID, "-o", &out.arg()]);

    for format in [
        "text",
        "json",
        "srt",
        "vtt",
        "sentences",
        "paragraphs",
        "utterances",
        "id",
    ] {
        let printed = run(&["export", ID, "--format", format]);
        assert!(!printed.trim().is_empty(), "export --format {format}");
    }
    for format in ["srt", "vtt"] {
        let printed = run(&[
            "export",
            ID,
            "--format",
            format,
            "--chars-per-caption",
            "20",
        ]);
        assert!(printed.contains("-->"), "{printed}");
    }
    assert_eq!(run(&["export", ID, "--json", "-o", &out.arg()]), "");
    assert_json(&std::fs::read_to_string(out.path()).unwrap(), "export -o");

    let found = run(&["search", ID, "smoke", "air quality", "2024"]);
    assert!(!found.is_empty());
    assert_json(&run(&["search", ID, "Canada", "--json"]), "search --json");

    assert!(run(&["list"]).contains('\t'));
    for status in ["queued", "processing", "completed", "error"] {
        run(&["list", "--status", status]);
    }
    run(&[
        "list",
        "--limit",
        "5",
        "--status",
        "completed",
        "--created-on",
        "2024-03-11",
        "--before-id",
        OLDER_ID,
        "--after-id",
        NEWER_ID,
    ]);
    assert_json(&run(&["list", "--json", "--limit", "3"]), "list --json");
    // Static Prism answers the same page for every cursor: --all must end.
    assert!(run(&["list", "--all"]).contains('\t'));
    for line in run(&["list", "--all", "--json"]).lines() {
        assert_json(line, "list --all --json");
    }

    assert_eq!(run(&["delete", ID]).trim(), ID);
    assert_json(&run(&["delete", ID, "--json"]), "delete --json");

    // Without -o: the URL is printed, never fetched.
    assert!(run(&["redacted-audio", ID]).starts_with("https://"));
    assert_json(
        &run(&[
            "redacted-audio",
            ID,
            "--json",
            "-q",
            "--timeout",
            "30s",
            "--poll-interval",
            "1s",
        ]),
        "redacted-audio --json",
    );

    // The connection options.
    let base = prism.base_url();
    let with_flags = Command::new(env!("CARGO_BIN_EXE_aai"))
        .args([
            "get",
            ID,
            "--base-url",
            &base,
            "--api-key-file",
            &key_file.arg(),
        ])
        .env_remove("ASSEMBLYAI_API_KEY")
        .env_remove("ASSEMBLYAI_KEY")
        .env_remove("ASSEMBLYAI_BASE_URL")
        .output()
        .unwrap();
    assert!(
        with_flags.status.success(),
        "{}",
        String::from_utf8_lossy(&with_flags.stderr)
    );

    prism.assert_no_request_violations_since(mark, "the aai commands");
}

#[cfg(unix)]
fn restrict(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_: &std::path::Path) {}

#[test]
fn wait_prints_the_completed_example() {
    let Some(prism) = prism(Mode::Static) else {
        return;
    };
    let mark = prism.log_mark();
    assert!(ok(&prism, mark, &strings(&["wait", ID]), None).contains("wildfires"));
    let vtt = ok(
        &prism,
        mark,
        &strings(&[
            "wait",
            ID,
            "--format",
            "vtt",
            "--chars-per-caption",
            "20",
            "-q",
        ]),
        None,
    );
    assert!(vtt.starts_with("WEBVTT"), "{vtt}");
    assert_json(
        &ok(
            &prism,
            mark,
            &strings(&[
                "wait",
                ID,
                "--json",
                "--timeout",
                "30s",
                "--poll-interval",
                "1s",
            ]),
            None,
        ),
        "wait --json",
    );
    let out = TempFile::with_bytes("srt", b"");
    let printed = ok(
        &prism,
        mark,
        &strings(&["wait", ID, "--format", "srt", "-o", &out.arg()]),
        None,
    );
    assert_eq!(printed, "");
    assert!(std::fs::read_to_string(out.path()).unwrap().contains("-->"));
    prism.assert_no_request_violations_since(mark, "aai wait");
}

#[test]
fn wait_tolerates_random_states() {
    let Some(prism) = prism(Mode::Dynamic) else {
        return;
    };
    let mark = prism.log_mark();
    // Random statuses: completed (0), error (6), or still running at the deadline (7).
    for _ in 0..3 {
        tolerated(
            &prism,
            mark,
            &strings(&["wait", ID, "--timeout", "5s"]),
            &[0, 6, 7],
        );
    }
    prism.assert_no_request_violations_since(mark, "aai wait, dynamic");
}

/// How many times each command runs against dynamic Prism.
const DYNAMIC_ROUNDS: usize = 5;

#[test]
fn every_command_reads_random_schema_valid_answers() {
    let Some(prism) = prism(Mode::Dynamic) else {
        return;
    };
    let mark = prism.log_mark();
    let audio = TempFile::with_bytes("wav", b"RIFF contract-test audio");
    let file = audio.arg();
    let url = "https://example.com/audio.mp3";
    let commands: Vec<(Vec<&str>, &[i32])> = vec![
        // A random upload_url is printed as it came; transcribing from it is refused (8).
        (vec!["upload", &file], &[0]),
        (vec!["upload", &file, "--json"], &[0]),
        (vec!["transcribe", &file, "--no-wait"], &[0]),
        (vec!["transcribe", url, "--no-wait"], &[0]),
        (vec!["transcribe", url, "--no-wait", "--json"], &[0]),
        (vec!["transcribe", url, "--timeout", "3s"], &[0, 6, 7]),
        (vec!["submit", url, "--json"], &[0]),
        (vec!["get", ID], &[0]),
        (vec!["get", ID, "--json"], &[0]),
        // Not completed yet or without utterances (4), or failed (6), are fair answers to random
        // states.
        (vec!["export", ID], &[0, 4, 6]),
        (vec!["export", ID, "--format", "utterances"], &[0, 4, 6]),
        (vec!["export", ID, "--format", "id"], &[0, 4, 6]),
        (vec!["export", ID, "--json"], &[0, 4, 6]),
        (
            vec!["export", ID, "--format", "srt", "--chars-per-caption", "32"],
            &[0],
        ),
        (vec!["export", ID, "--format", "vtt"], &[0]),
        (vec!["export", ID, "--format", "sentences"], &[0]),
        (vec!["export", ID, "--format", "paragraphs"], &[0]),
        // No match is exit 1, as grep: random answers may hold none.
        (vec!["search", ID, "smoke", "air quality"], &[0, 1]),
        (vec!["search", ID, "smoke", "--json"], &[0, 1]),
        (vec!["list"], &[0]),
        (
            vec!["list", "--json", "--status", "error", "--limit", "7"],
            &[0],
        ),
        (
            vec![
                "list",
                "--created-on",
                "2024-03-11",
                "--before-id",
                OLDER_ID,
                "--after-id",
                NEWER_ID,
            ],
            &[0],
        ),
        (vec!["list", "--all"], &[0]),
        (vec!["list", "--all", "--json"], &[0]),
        (vec!["delete", ID], &[0]),
        (vec!["delete", ID, "--json"], &[0]),
        (vec!["redacted-audio", ID], &[0]),
        (vec!["redacted-audio", ID, "--json"], &[0]),
    ];
    for _ in 0..DYNAMIC_ROUNDS {
        for (args, allowed) in &commands {
            let run = tolerated(&prism, mark, &strings(args), allowed);
            if run.code == 0 && args.contains(&"--json") {
                for line in run.stdout.lines() {
                    assert_json(line, &args.join(" "));
                }
            }
        }
    }
    prism.assert_no_request_violations_since(mark, "the aai commands, dynamic");
}
