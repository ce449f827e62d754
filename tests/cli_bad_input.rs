//! What `aai` does with input it can't use: missing, unreadable, empty or oversized files,
//! unsupported sources, option values outside the API's ranges, wrong arguments, no key.
//! Each case has its exit code, a message naming the problem and the fix, no panic, no output
//! file, and no request to the API. Failures the server causes are in `cli_bad_replies.rs`.

mod cli_common;
mod support;

use std::fs::{self, File};
use std::process::Command;

use cli_common::{Run, TempDir, aai, audio_bytes, run, run_with_stdin};
use support::FakeApi;

/// A fake API and a directory holding one good recording, `a.wav`.
struct Setup {
    fake: FakeApi,
    dir: TempDir,
}

impl Setup {
    fn new(name: &str) -> Setup {
        let dir = TempDir::new(name);
        dir.file("a.wav", &audio_bytes(4000));
        Setup {
            fake: FakeApi::start(),
            dir,
        }
    }

    fn audio(&self) -> String {
        self.dir.join("a.wav").to_str().unwrap().to_owned()
    }

    /// Runs `aai ARGS -o DIR/out.txt` and checks the failure: exit `code`, stderr naming every
    /// one of `words`, no request made, and nothing written to the directory.
    #[track_caller]
    fn refused(&self, args: &[&str], code: i32, words: &[&str]) -> Run {
        self.refused_by(aai(&self.fake).args(args), code, words)
    }

    #[track_caller]
    fn refused_by(&self, command: &mut Command, code: i32, words: &[&str]) -> Run {
        let before = self.dir.entries();
        let out = run(command.arg("-o").arg(self.dir.join("out.txt")));
        self.check(&out, code, words, &before);
        out
    }

    #[track_caller]
    fn check(&self, out: &Run, code: i32, words: &[&str], before: &[String]) {
        out.expect_code(code);
        out.stderr_mentions(words);
        if out.stderr.starts_with('{') {
            out.json_error();
        } else {
            assert!(out.stderr.starts_with("aai: error: "), "{}", out.stderr);
        }
        assert_eq!(out.stdout, "", "stdout carries only results");
        assert_eq!(self.dir.entries(), before, "a file was written");
        let requests = self.fake.requests();
        assert!(requests.is_empty(), "requests were made: {requests:?}");
    }
}

#[test]
fn a_missing_file_is_named() {
    let setup = Setup::new("missing");
    let path = setup.dir.join("nope.mp3");
    let path = path.to_str().unwrap();
    setup.refused(&["transcribe", path], 3, &["no such file", path]);
}

#[test]
fn a_directory_is_not_a_recording() {
    let setup = Setup::new("directory");
    let path = setup.dir.path().to_str().unwrap().to_owned();
    setup.refused(
        &["transcribe", &path],
        3,
        &["is a directory", "audio or video file"],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_before_any_request() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let setup = Setup::new("unreadable");
    let path = setup.dir.file("locked.wav", &audio_bytes(100));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let path = path.to_str().unwrap();
    let words = ["cannot open", path, "permission denied"];
    let mut command = aai(&setup.fake);
    command.args(["transcribe", path]);
    if fs::read(path).is_ok() {
        // Root reads anything: run the CLI as nobody instead, where that is allowed.
        let mut probe = cli_common::bare_aai();
        let probe = probe.arg("--version").uid(65534).gid(65534).output();
        if !probe.is_ok_and(|probe| probe.status.success()) {
            eprintln!("skipped: root reads any file, and aai cannot run as nobody here");
            return;
        }
        command.uid(65534).gid(65534);
        // The output directory must be one nobody can write in: `-o` is proven writable
        // before the recording is opened, and this test is about the recording.
        fs::set_permissions(setup.dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    }
    setup.refused_by(&mut command, 3, &words);
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_opened_is_reported_before_any_request() {
    // Opening a socket fails with ENXIO whoever runs the test, root included.
    let setup = Setup::new("socket");
    let path = setup.dir.join("socket.wav");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let path = path.to_str().unwrap();
    setup.refused(&["transcribe", path], 3, &["cannot open", path]);
}

#[test]
fn an_empty_file_has_nothing_to_transcribe() {
    let setup = Setup::new("empty");
    let path = setup.dir.file("empty.wav", b"");
    let path = path.to_str().unwrap();
    setup.refused(
        &["transcribe", path],
        3,
        &["empty", "nothing to transcribe"],
    );
    let before = setup.dir.entries();
    let out = run(aai(&setup.fake).args(["upload", path]));
    setup.check(&out, 3, &["empty"], &before);
}

#[test]
fn empty_stdin_has_nothing_to_transcribe() {
    let setup = Setup::new("empty-stdin");
    let before = setup.dir.entries();
    let out = run_with_stdin(
        aai(&setup.fake)
            .args(["transcribe", "-", "-o"])
            .arg(setup.dir.join("out.txt")),
        Some(Vec::new()),
    );
    setup.check(&out, 3, &["stream is empty"], &before);
}

#[test]
fn a_file_over_the_upload_limit_is_refused_without_uploading() {
    let setup = Setup::new("huge");
    let path = setup.dir.join("huge.wav");
    // Sparse: 2.3 GB that take no disk.
    File::create(&path).unwrap().set_len(2_300_000_000).unwrap();
    let path = path.to_str().unwrap();
    setup.refused(
        &["transcribe", path],
        3,
        &["2.30 GB", "2.2 GB upload limit", "URL"],
    );
    let before = setup.dir.entries();
    let out = run(aai(&setup.fake).args(["upload", path]));
    setup.check(&out, 3, &["2.2 GB upload limit"], &before);
}

#[test]
fn a_source_neither_file_nor_http_url_is_refused() {
    let setup = Setup::new("scheme");
    for source in ["ftp://host/a.mp3", "s3://bucket/key"] {
        let scheme = source.split("://").next().unwrap();
        setup.refused(
            &["transcribe", source],
            3,
            &[source, &format!("{scheme}:// is not supported"), "https://"],
        );
    }
}

#[test]
fn submit_refuses_a_local_file_and_suggests_transcribe() {
    let setup = Setup::new("submit-file");
    let audio = setup.audio();
    let before = setup.dir.entries();
    let out = run(aai(&setup.fake).args(["submit", &audio]));
    setup.check(
        &out,
        2,
        &["http(s) URL", "aai transcribe --no-wait"],
        &before,
    );
}

#[test]
fn option_values_outside_the_api_ranges_are_usage_errors() {
    let setup = Setup::new("ranges");
    let audio = setup.audio();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--temperature", "1.5"],
            &["temperature", "between 0.0 and 1.0", "1.5"],
        ),
        (
            &["--content-safety-confidence", "10"],
            &["content_safety_confidence", "25 and 100"],
        ),
        (
            &["--speech-threshold", "-1"],
            &["speech_threshold", "between 0.0 and 1.0"],
        ),
        (
            &["--speech-threshold=-1"],
            &["speech_threshold", "between 0.0 and 1.0"],
        ),
        (
            &["--speakers-expected", "0"],
            &["speakers_expected", "at least 1"],
        ),
        (
            &["--speakers-expected", "two"],
            &["--speakers-expected", "whole number"],
        ),
        (
            &["--format", "xml"],
            &["--format", "xml", "text, json, srt"],
        ),
        (&["--timeout", "0"], &["--timeout", "longer than zero"]),
        (&["--timeout", "soon"], &["--timeout", "soon", "90s, 10m"]),
        (
            &["--format", "srt", "--chars-per-caption", "0"],
            &["--chars-per-caption", "above 0"],
        ),
        (
            &["--chars-per-caption", "32"],
            &["--chars-per-caption", "--format srt or vtt"],
        ),
        (&["--json", "--format", "srt"], &["--json", "--format"]),
        (
            &["--speech-models", "universal-3-pro"],
            &[
                "--speech-models: ",
                "\"universal-3-pro\" is retired",
                "have been deprecated",
            ],
        ),
        (
            &["--speech-model", "universal-2"],
            &["--speech-model: ", "speech_model is deprecated"],
        ),
        (
            &["--punctuate", "--no-punctuate"],
            &["--punctuate", "--no-punctuate"],
        ),
        (
            &["--custom-spelling", "{not json"],
            &["--custom-spelling", "not valid JSON"],
        ),
        (&["--config", "speaker_labels"], &["--config", "KEY=VALUE"]),
    ];
    for (flags, words) in cases {
        let mut args = vec!["transcribe", audio.as_str()];
        args.extend_from_slice(flags);
        setup.refused(&args, 2, words);
    }
}

#[test]
fn unknown_flags_and_wrong_argument_counts_point_to_the_help() {
    let setup = Setup::new("args");
    let audio = setup.audio();
    setup.refused(
        &["transcribe", &audio, "--bogus"],
        2,
        &["unknown option --bogus", "aai transcribe --help"],
    );
    setup.refused(
        &["transcribe"],
        2,
        &["needs FILE|URL|-", "aai transcribe --help"],
    );
    setup.refused(
        &["transcribe", &audio, "extra"],
        2,
        &["unexpected argument \"extra\"", "aai transcribe --help"],
    );
    setup.refused(&["get"], 2, &["needs TRANSCRIPT_ID"]);
    let before = setup.dir.entries();
    let out = run(aai(&setup.fake).args(["transcribe", &audio, "--timeout"]));
    setup.check(&out, 2, &["--timeout needs a value"], &before);
    setup.refused(
        &["frobnicate"],
        2,
        &["unknown command \"frobnicate\"", "aai --help"],
    );
    let before = setup.dir.entries();
    let out = run(&mut aai(&setup.fake));
    setup.check(&out, 2, &["no command given", "aai --help"], &before);
}

#[test]
fn a_malformed_transcript_id_is_refused_without_a_request() {
    let setup = Setup::new("bad-id");
    for command in ["get", "wait"] {
        setup.refused(&[command, "../x"], 2, &["\"../x\" is not a transcript id"]);
    }
}

#[test]
fn output_into_a_missing_directory_fails_before_any_request() {
    let setup = Setup::new("no-dir");
    let audio = setup.audio();
    let target = setup.dir.join("missing/out.txt");
    let target = target.to_str().unwrap();
    for args in [
        vec!["transcribe", audio.as_str(), "-o", target],
        vec!["wait", "5551722f-f677-48a6-9287-39c0aafd9ac1", "-o", target],
        vec![
            "get",
            "5551722f-f677-48a6-9287-39c0aafd9ac1",
            "--output",
            target,
        ],
    ] {
        let before = setup.dir.entries();
        let out = run(aai(&setup.fake).args(&args));
        setup.check(&out, 3, &["cannot write", "does not exist"], &before);
    }
}

#[test]
fn output_onto_a_directory_fails_before_any_request() {
    let setup = Setup::new("onto-dir");
    let audio = setup.audio();
    let before = setup.dir.entries();
    let out = run(aai(&setup.fake)
        .args(["transcribe", &audio, "-o"])
        .arg(setup.dir.path()));
    setup.check(&out, 3, &["is a directory", "file name"], &before);
}

#[test]
fn no_key_exits_5_saying_where_to_put_one() {
    let setup = Setup::new("no-key");
    let audio = setup.audio();
    setup.refused_by(
        aai(&setup.fake)
            .env_remove("ASSEMBLYAI_API_KEY")
            .args(["transcribe", &audio]),
        5,
        &["no API key", "ASSEMBLYAI_API_KEY", "--api-key-file"],
    );
    // A blank variable is no key either.
    setup.refused_by(
        aai(&setup.fake)
            .env("ASSEMBLYAI_API_KEY", "  ")
            .args(["transcribe", &audio]),
        5,
        &["no API key"],
    );
}

#[test]
fn a_bad_api_key_file_is_an_input_error() {
    let setup = Setup::new("key-file");
    let audio = setup.audio();
    let empty = setup.dir.file("empty.key", b"\n");
    let two = setup.dir.file("two.key", b"one\ntwo\n");
    let missing = setup.dir.join("missing.key");
    for (path, words) in [
        (&empty, &["is empty"][..]),
        (&two, &["several lines"]),
        (&missing, &["cannot read the API key file"]),
    ] {
        setup.refused_by(
            aai(&setup.fake)
                .env_remove("ASSEMBLYAI_API_KEY")
                .args(["transcribe", &audio, "--api-key-file"])
                .arg(path),
            3,
            words,
        );
    }
}

#[test]
fn json_mode_reports_local_failures_as_one_error_object() {
    let setup = Setup::new("json-local");
    let audio = setup.audio();
    let cases: [(&[&str], &str, i32); 3] = [
        (&["--bogus"], "usage", 2),
        (&["--temperature", "2"], "usage", 2),
        (&["--config-file", "/nonexistent/aai.json"], "input", 3),
    ];
    for (flags, kind, code) in cases {
        let before = setup.dir.entries();
        let out = run(aai(&setup.fake)
            .args(["transcribe", &audio, "--json"])
            .args(flags));
        out.expect_code(code);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        let error = out.json_error();
        assert_eq!(error["kind"], kind, "{flags:?}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(error["status"].is_null() && error["transcript_id"].is_null());
        assert_eq!(setup.dir.entries(), before);
    }
    let out = run(aai(&setup.fake)
        .env_remove("ASSEMBLYAI_API_KEY")
        .args(["get", "--json", "x"]));
    out.expect_code(5);
    assert_eq!(out.json_error()["kind"], "auth");
    assert!(setup.fake.requests().is_empty());
}

#[test]
fn format_json_reports_failures_as_one_error_object_like_json() {
    let setup = Setup::new("format-json");
    let missing = setup.dir.join("missing.mp3");
    let missing = missing.to_str().unwrap();
    let cases: [(&[&str], &str, i32); 3] = [
        (&[missing, "--format", "json"], "input", 3),
        (&[missing, "--format=json"], "input", 3),
        (&[missing, "--format", "json", "--bogus"], "usage", 2),
    ];
    for (args, kind, code) in cases {
        let out = run(aai(&setup.fake).arg("transcribe").args(args));
        out.expect_code(code);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        assert_eq!(out.json_error()["kind"], kind, "{args:?}");
    }
    assert!(setup.fake.requests().is_empty());
}

#[test]
fn no_wait_refuses_wait_options_it_could_not_keep_before_any_request() {
    let setup = Setup::new("no-wait-timeout");
    let audio = setup.audio();

    for option in [["--timeout", "10m"], ["--poll-interval", "2s"]] {
        let mut args = vec!["transcribe", &audio, "--no-wait"];
        args.extend(option);
        setup.refused(&args, 2, &[option[0], "--no-wait", "does not wait"]);
    }
}

#[test]
fn utterances_without_speaker_labels_are_refused_before_any_request() {
    let setup = Setup::new("utterances");
    let audio = setup.audio();

    for extra in [
        &[][..],
        &["--config", "speaker_labels=false"],
        &["--no-multichannel"],
    ] {
        let mut args = vec!["transcribe", &audio, "--format", "utterances"];
        args.extend_from_slice(extra);
        setup.refused(&args, 2, &["utterances", "--speaker-labels"]);
    }
}
