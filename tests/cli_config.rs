//! `aai config`: defaults for request options and the CLI's own settings, checked like their
//! flags, overridden by flags, kept in a readable file beside the stored key.

mod cli_common;
mod support;

use std::fs;
use std::process::Command;

use cli_common::{TempDir, aai, bare_aai, run};
use support::FakeApi;

/// `aai` against `fake` with its main key and `config` as XDG_CONFIG_HOME.
fn aai_home(fake: &FakeApi, config: &TempDir) -> Command {
    let mut command = aai(fake);
    command.env("XDG_CONFIG_HOME", config.path());
    command
}

fn config_text(config: &TempDir) -> String {
    fs::read_to_string(config.path().join("aai").join("config")).unwrap()
}

#[test]
fn set_get_unset_and_list_round_trip_through_a_readable_file() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-trip");
    let set = |key: &str, value: &str| {
        run(aai_home(&fake, &config).args(["config", "set", key, value])).expect_ok();
    };

    set("speaker-labels", "true");
    set("speech-models", "assemblyai-stt-3-7,universal-2");
    set("format", "srt");
    set("speaker-labels", "false");

    let get = run(aai_home(&fake, &config).args(["config", "get", "speaker-labels"]));
    assert_eq!(get.expect_ok().stdout, "false\n");
    let list = run(aai_home(&fake, &config).args(["config", "list"]));
    assert_eq!(
        list.expect_ok().stdout,
        "speaker-labels = false\nspeech-models = assemblyai-stt-3-7,universal-2\nformat = srt\n"
    );
    let text = config_text(&config);
    assert!(text.contains("speaker-labels = false\n"), "{text}");
    assert!(text.starts_with('#'), "no explaining comment: {text}");
    run(aai_home(&fake, &config).args(["config", "unset", "format"])).expect_ok();
    let list = run(aai_home(&fake, &config).args(["config", "list"]));
    assert!(!list.stdout.contains("format"), "{}", list.stdout);
    let unset = run(aai_home(&fake, &config).args(["config", "get", "format"]));
    assert_eq!(unset.expect_ok().stdout, "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = config.path().join("aai").join("config");
        assert_eq!(
            fs::metadata(path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(fake.requests().len(), 0, "aai config sent a request");
}

#[test]
fn a_bad_value_gets_the_flags_own_message_and_exit_2_and_is_not_stored() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-bad");

    let cases = [
        (
            ["speakers-expected", "0"],
            "speakers_expected must be at least 1",
        ),
        (
            ["speaker-labels", "yes"],
            "--speaker-labels: expected true or false",
        ),
        (["format", "docx"], "--format: unknown value \"docx\""),
        (["region", "mars"], "--region: unknown region \"mars\""),
        (["temperature", "warm"], "--temperature: expected a number"),
    ];
    for ([key, value], message) in cases {
        let out = run(aai_home(&fake, &config).args(["config", "set", key, value]));
        out.expect_code(2);
        assert!(out.stderr.contains(message), "{key}: {}", out.stderr);
        let flag = run(aai_home(&fake, &config)
            .args(["transcribe", "https://example.com/a.mp3"])
            .arg(format!("--{key}"))
            .arg(value));
        if key != "speaker-labels" {
            assert!(
                flag.stderr.contains(message),
                "the flag says otherwise: {}",
                flag.stderr
            );
        }
    }
    assert!(!config.path().join("aai").join("config").exists());
}

#[test]
fn an_unknown_key_suggests_the_closest_and_the_key_itself_is_refused() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-unknown");

    let typo = run(aai_home(&fake, &config).args(["config", "set", "speaker-label", "true"]));
    let get = run(aai_home(&fake, &config).args(["config", "get", "lenguage-code"]));
    let key = run(aai_home(&fake, &config).args(["config", "set", "api-key", "abc"]));

    typo.expect_code(2)
        .stderr_mentions(&["unknown config key", "did you mean `speaker-labels`"]);
    get.expect_code(2)
        .stderr_mentions(&["did you mean `language-code`"]);
    key.expect_code(2)
        .stderr_mentions(&["never holds the key", "aai login"]);
    assert!(!config.path().join("aai").join("config").exists());
}

#[test]
fn defaults_go_into_the_request_and_flags_override_them() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-apply");
    for [key, value] in [
        ["speaker-labels", "true"],
        ["language-code", "de"],
        ["format", "id"],
    ] {
        run(aai_home(&fake, &config).args(["config", "set", key, value])).expect_ok();
    }

    let defaults = run(aai_home(&fake, &config).args([
        "transcribe",
        "https://example.com/a.mp3",
        "--poll-interval",
        "50ms",
    ]));
    let overridden = run(aai_home(&fake, &config).args([
        "transcribe",
        "https://example.com/b.mp3",
        "--poll-interval",
        "50ms",
        "--no-speaker-labels",
        "--language-code",
        "es",
        "--format",
        "text",
    ]));

    defaults.expect_ok();
    overridden.expect_ok();
    let creates = fake.requests_to("POST", "/v2/transcript");
    assert_eq!(creates[0].json()["speaker_labels"], true);
    assert_eq!(creates[0].json()["language_code"], "de");
    assert_eq!(creates[1].json()["speaker_labels"], false);
    assert_eq!(creates[1].json()["language_code"], "es");
    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        defaults.stdout,
        format!("{id}\n"),
        "format id was not the default"
    );
    assert_ne!(
        overridden.stdout.trim(),
        fake.transcripts()[1]["id"].as_str().unwrap()
    );
}

#[test]
fn the_base_url_default_applies_below_the_environment_and_the_flag() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-host");
    run(aai_home(&fake, &config).args(["config", "set", "base-url", &fake.base_url()])).expect_ok();

    let mut from_config = bare_aai();
    from_config
        .env_remove("ASSEMBLYAI_BASE_URL")
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("XDG_CONFIG_HOME", config.path())
        .arg("list");
    let out = run(&mut from_config);
    let other = FakeApi::start();
    let env_wins = run(aai(&other)
        .env("ASSEMBLYAI_API_KEY", fake.key())
        .env("XDG_CONFIG_HOME", config.path())
        .args(["list"]));
    let flag_wins = run(aai_home(&other, &config)
        .env_remove("ASSEMBLYAI_BASE_URL")
        .args(["list", "--base-url", &other.base_url()]));

    out.expect_ok();
    assert_eq!(fake.count("GET", "/v2/transcript"), 1);
    env_wins.expect_ok();
    flag_wins.expect_ok();
    assert_eq!(
        fake.count("GET", "/v2/transcript"),
        1,
        "the config's host beat the others"
    );
    assert_eq!(other.count("GET", "/v2/transcript"), 2);
}

#[test]
fn a_broken_file_is_an_error_naming_the_file_and_line() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-broken");
    let dir = config.path().join("aai");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("config"),
        "# mine\nspeaker-labels = true\nspeakers-expected = many\n",
    )
    .unwrap();

    let transcribe =
        run(aai_home(&fake, &config).args(["transcribe", "https://example.com/a.mp3"]));
    let set = run(aai_home(&fake, &config).args(["config", "set", "format", "srt"]));
    fs::write(dir.join("config"), "speaker-labels true\n").unwrap();
    let no_equals = run(aai_home(&fake, &config).args(["list"]));

    transcribe
        .expect_code(2)
        .stderr_mentions(&["config", "line 3", "--speakers-expected"]);
    assert!(
        transcribe.stderr.contains(&dir.display().to_string()),
        "{}",
        transcribe.stderr
    );
    set.expect_code(2).stderr_mentions(&["line 3"]);
    no_equals
        .expect_code(2)
        .stderr_mentions(&["line 1", "KEY = VALUE"]);
    assert_eq!(fake.requests().len(), 0);
}

#[test]
fn the_config_file_keeps_its_comments_when_rewritten() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-comments");
    let dir = config.path().join("aai");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("config"),
        "# my defaults\nformat = srt\n\n# speakers\nspeaker-labels = true\n",
    )
    .unwrap();

    run(aai_home(&fake, &config).args(["config", "unset", "format"])).expect_ok();
    run(aai_home(&fake, &config).args(["config", "set", "speaker-labels", "false"])).expect_ok();

    assert_eq!(
        config_text(&config),
        "# my defaults\n\n# speakers\nspeaker-labels = false\n"
    );
}

#[test]
fn without_home_or_xdg_config_home_commands_run_as_before() {
    let out = run(bare_aai()
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env("ASSEMBLYAI_API_KEY", "made-up-key")
        .args(["transcribe", "/nonexistent/a.mp3"]));
    let config = run(bare_aai()
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .args(["config", "list"]));

    out.expect_code(3).stderr_mentions(&["no such file"]);
    config.expect_code(3).stderr_mentions(&["HOME"]);
}

#[cfg(unix)]
#[test]
fn a_config_that_is_a_fifo_or_huge_is_an_input_error_not_a_hang() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-fifo");
    let dir = config.path().join("aai");
    fs::create_dir_all(&dir).unwrap();
    let made = Command::new("mkfifo").arg(dir.join("config")).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }

    let fifo = run(aai_home(&fake, &config).args(["list"]));
    fs::remove_file(dir.join("config")).unwrap();
    fs::write(dir.join("config"), "# x\n".repeat(300_000)).unwrap();
    let huge = run(aai_home(&fake, &config).args(["list"]));

    fifo.expect_code(3)
        .stderr_mentions(&["config file", "not a regular file"]);
    huge.expect_code(3)
        .stderr_mentions(&["config file", "over 1024 KiB"]);
    assert_eq!(fake.requests().len(), 0);
}

#[test]
fn a_quoted_retired_model_in_the_config_file_is_refused_before_any_upload() {
    let fake = FakeApi::start();
    let config = TempDir::new("config-quoted");
    let dir = config.path().join("aai");
    fs::create_dir_all(&dir).unwrap();
    // Quoted, as many dotfiles write their values: the quotes are no part of it.
    fs::write(dir.join("config"), "speech-models = \"best\"\n").unwrap();
    let audio = TempDir::new("config-quoted-audio");
    let file = audio.path().join("a.wav");
    fs::write(&file, b"RIFF....WAVEfmt ").unwrap();

    let out = run(aai_home(&fake, &config).arg("transcribe").arg(&file));

    out.expect_code(2)
        .stderr_mentions(&["best", "retired", "line 1"]);
    assert_eq!(fake.requests().len(), 0, "something was sent");
}
