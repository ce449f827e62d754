//! The declared command line as a user meets it, run as a process: options
//! before the command take their values, global options everywhere, `-v`,
//! exit codes, and the key scrubbed from server text only.

mod cli_common;
mod support;

use cli_common::{TempDir, aai, bare_aai, run};
use serde_json::json;
use support::FakeApi;

#[test]
fn valued_options_before_the_command_take_their_values() {
    let dir = TempDir::new("declared-before");
    let out = dir.join("out");
    let batch = run(bare_aai()
        .arg("--out-dir")
        .arg(&out)
        .args(["batch", "no-such-source.mp3"]));
    // Read as batch's --out-dir: the source is what is wrong, not the command.
    batch
        .expect_code(3)
        .stderr_mentions(&["no-such-source.mp3"]);
    assert!(
        !batch.stderr.contains("unknown command"),
        "{}",
        batch.stderr
    );

    let stream = run(bare_aai().args(["--sample-rate", "16000", "stream", "-"]));
    assert!(
        !stream.stderr.contains("unknown command"),
        "{}",
        stream.stderr
    );
    stream.stderr_mentions(&["stdin is empty"]);
}

#[test]
fn json_before_any_command_is_accepted_and_errors_are_json() {
    for words in [
        &["--json", "config", "path"][..],
        &["--json", "completions", "bash"],
        &["--json", "logout"],
        &["--json", "man"],
    ] {
        let out = run(bare_aai().args(words));
        out.expect_ok();
    }
    let refused = run(bare_aai().args(["--json", "config", "get", "no-such-key"]));
    refused.expect_code(2);
    assert_eq!(refused.json_error()["kind"], "usage");
}

#[test]
fn verbose_shows_each_request_with_its_status_and_never_the_key() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"status": "completed", "text": "Hi."}));
    let out = run(aai(&fake).args(["get", &id, "-v"]));
    out.expect_ok();
    out.stderr_mentions(&[&format!("GET /v2/transcript/{id} -> 200")]);
    assert!(!out.stderr.contains(fake.key()), "{}", out.stderr);

    let json = run(aai(&fake).args(["--json", "-v", "get", &id]));
    let events = json.stderr_json_lines();
    assert_eq!(events[0]["event"], "request");
    assert_eq!(events[0]["status"], 200);
}

#[test]
fn a_one_letter_key_leaves_ids_and_aai_s_own_text_intact() {
    let fake = FakeApi::builder().key("a").start();
    let id = fake.insert_transcript(json!({"status": "completed", "text": "Hi."}));
    let listed = run(aai(&fake).args(["list"]));
    listed.expect_ok();
    assert!(
        listed.stdout.starts_with(&format!("{id}\t")),
        "{}",
        listed.stdout
    );
    let waited = run(aai(&fake).args(["wait", &id]));
    waited.expect_ok();
    assert_eq!(waited.stdout, "Hi.\n");
    // The server's message may lose its a's (it is server text), aai's own
    // words and the id around it may not.
    let missing = run(aai(&fake).args(["get", "no-such-transcript"]));
    missing.stderr_mentions(&["the API answered 400", "(transcript no-such-transcript)"]);
}

#[test]
fn search_exits_1_when_nothing_matches_as_grep_does() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"status": "completed", "text": "Smoke rises.",
        "words": [{"text": "Smoke", "start": 0, "end": 400, "confidence": 0.9},
                  {"text": "rises.", "start": 400, "end": 800, "confidence": 0.9}]}));
    let found = run(aai(&fake).args(["search", &id, "smoke"]));
    found.expect_ok();
    let none = run(aai(&fake).args(["search", &id, "zebra"]));
    none.expect_code(1);
    assert!(none.stderr.is_empty(), "{}", none.stderr);
}

#[test]
fn a_connection_error_names_the_host_and_the_emulator() {
    let out = run(bare_aai()
        .env("ASSEMBLYAI_API_KEY", "test")
        .args(["list", "--timeout", "2s"]));
    out.expect_code(8)
        .stderr_mentions(&["http://127.0.0.1:9", "aai emulator"]);
}

#[test]
fn an_option_of_another_command_is_refused_naming_the_commands_that_take_it() {
    let out = run(bare_aai().args(["submit", "https://example.com/a.mp3", "--format", "srt"]));
    out.expect_code(2)
        .stderr_mentions(&["unknown option --format for aai submit", "aai transcribe"]);
    let stream = run(bare_aai().args(["stream", "-", "--out-dir", "x"]));
    stream.expect_code(2).stderr_mentions(&["aai batch"]);
}

#[test]
fn the_man_page_is_roff_naming_every_command() {
    let out = run(bare_aai().arg("man"));
    out.expect_ok();
    assert!(out.stdout.starts_with(".TH AAI 1"));
    for command in ["transcribe", "batch", "stream", "emulator", "completions"] {
        assert!(
            out.stdout.contains(&format!(".SS \"aai {command}")),
            "{command}"
        );
    }
}

#[cfg(unix)]
#[test]
fn stream_refuses_a_fifo_for_the_webhook_secret_at_once_as_transcribe_does() {
    let dir = TempDir::new("declared-fifo");
    let fifo = dir.join("secret");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        panic!("mkfifo is needed for this test");
    }
    for command in ["transcribe", "stream"] {
        let out = run(bare_aai()
            .env("ASSEMBLYAI_API_KEY", "test")
            .args([command, "-", "--webhook-auth-header-value-file"])
            .arg(&fifo));
        out.expect_code(3);
    }
    let config = run(bare_aai().args([
        "stream",
        "-",
        "--config",
        "webhook_auth_header_value=secret",
    ]));
    config
        .expect_code(2)
        .stderr_mentions(&["would show the secret"]);
}

#[test]
fn list_is_an_aligned_table_on_a_terminal_and_tab_separated_in_a_pipe() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"status": "completed", "text": "Hi."}));
    let piped = run(aai(&fake).arg("list"));
    piped.expect_ok();
    assert!(
        piped.stdout.starts_with(&format!("{id}\tcompleted\t")),
        "{}",
        piped.stdout
    );

    let mut command = aai(&fake);
    command.arg("list");
    let Some(mut terminal) = cli_common::in_a_terminal(&command) else {
        panic!("util-linux script is needed to run aai in a terminal");
    };
    let shown = run(&mut terminal);
    shown.expect_ok();
    assert!(shown.stdout.starts_with("ID "), "{}", shown.stdout);
    assert!(shown.stdout.contains("STATUS"), "{}", shown.stdout);
    assert!(
        shown.stdout.contains(&format!("{id}  completed ")),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains(" ago ") || shown.stdout.contains("just now"),
        "{}",
        shown.stdout
    );
    assert!(!shown.stdout.contains('\t'), "{}", shown.stdout);
}

#[cfg(unix)]
#[test]
fn config_set_and_login_write_through_a_symlink_keeping_the_target_s_mode() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let fake = FakeApi::start();
    let home = TempDir::new("declared-home");
    let dotfiles = TempDir::new("declared-dotfiles");
    std::fs::create_dir_all(home.join("aai")).unwrap();
    let config = dotfiles.file("config", b"# mine\n");
    let key = dotfiles.file("api-key", b"old\n");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&config, home.join("aai/config")).unwrap();
    symlink(&key, home.join("aai/api-key")).unwrap();

    run(aai(&fake).env("XDG_CONFIG_HOME", home.path()).args([
        "config",
        "set",
        "speaker-labels",
        "true",
    ]))
    .expect_ok();
    cli_common::run_with_stdin(
        aai(&fake).env("XDG_CONFIG_HOME", home.path()).arg("login"),
        Some(fake.key().as_bytes().to_vec()),
    )
    .expect_ok();

    for (link, target, mode) in [("aai/config", &config, 0o640), ("aai/api-key", &key, 0o600)] {
        let meta = std::fs::symlink_metadata(home.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} was replaced");
        let target_meta = std::fs::metadata(target).unwrap();
        assert_eq!(target_meta.permissions().mode() & 0o777, mode, "{link}");
    }
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .contains("speaker-labels = true")
    );
    assert_eq!(std::fs::read_to_string(&key).unwrap().trim(), fake.key());
}

#[test]
fn color_always_colours_the_error_label_even_in_a_pipe_and_never_leaves_it_plain() {
    let always = run(bare_aai().args(["--color", "always", "get"]));
    always.expect_code(2);
    assert!(
        always.stderr.contains("\u{1b}[1;31merror"),
        "{:?}",
        always.stderr
    );
    let never = run(bare_aai().args(["get", "--color=never"]));
    never.expect_code(2);
    assert!(!never.stderr.contains('\u{1b}'), "{:?}", never.stderr);
    let wrong = run(bare_aai().args(["get", "--color", "sometimes"]));
    wrong
        .expect_code(2)
        .stderr_mentions(&["--color", "auto, always, never"]);
}
