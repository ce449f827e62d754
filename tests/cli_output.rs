//! Where the product goes, run as a process against the fake API: a reader closing the pipe,
//! files written atomically (their permissions, their temporary names on Ctrl-C), and the
//! progress line on a terminal.

mod cli_common;
mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use cli_common::{TempDir, aai, audio_bytes, in_a_terminal, run, wait_or_kill};
use serde_json::json;
use support::{FakeApi, Fault};

#[test]
fn list_all_stops_fetching_pages_once_the_reader_closes_the_pipe() {
    let fake = FakeApi::start();
    for _ in 0..60 {
        fake.insert_transcript(json!({}));
    }
    // Every page comes slowly, so the reader is gone long before the second page arrives, and
    // the count below does not depend on how fast this test runs.
    fake.inject(
        Fault::Delay(Duration::from_millis(500))
            .on("GET", "/v2/transcript")
            .times(100),
    );

    let mut child = aai(&fake)
        .args(["list", "--all", "--limit", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The BufReader, and with it the pipe, is dropped here: `| head -1`.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = wait_or_kill(&mut child);

    assert_eq!(first.split('\t').count(), 4, "not a list line: {first:?}");
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    assert_eq!(stderr, "", "a closed pipe is not worth a word");
    let pages = fake.count("GET", "/v2/transcript");
    assert!(
        pages <= 2,
        "{pages} pages fetched for a reader that wanted one line"
    );
}

#[cfg(unix)]
#[test]
fn a_replaced_output_file_keeps_its_permissions() {
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "Private words."}));
    let dir = TempDir::new("permissions");
    // Two modes, so no umask can make a new file match both by chance.
    for (name, mode) in [("private.json", 0o600), ("shared.json", 0o644)] {
        let target = dir.file(name, b"the old transcript\n");
        fs::set_permissions(&target, fs::Permissions::from_mode(mode)).unwrap();

        run(aai(&fake).args(["get", &id, "--json", "-o"]).arg(&target)).expect_ok();

        let written = fs::read_to_string(&target).unwrap();
        assert!(written.contains("Private words."), "{written}");
        let now = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, mode, "{name}: mode {now:o}, was {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_an_output_file_is_being_written_leaves_no_temporary_file() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({}));
    // The reply is held back, so the run is caught with its temporary file open, every time.
    fake.inject(Fault::Delay(Duration::from_secs(20)).on("GET", &format!("/v2/transcript/{id}")));
    let dir = TempDir::new("interrupt-write");
    let target = dir.join("out.json");

    let mut child = aai(&fake)
        .args(["get", &id, "--json", "-o"])
        .arg(&target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while dir.entries().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let writing = dir.entries();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    let code = wait_or_kill(&mut child);

    assert_eq!(code, Some(130));
    assert!(writing[0].ends_with(".tmp"), "{writing:?}");
    assert_eq!(dir.entries(), Vec::<String>::new(), "left behind");
}

#[test]
fn upload_progress_animates_on_a_terminal_and_no_color_only_takes_colour_away() {
    let fake = FakeApi::start();
    let dir = TempDir::new("no-color");
    let audio = dir.file("a.wav", &audio_bytes(2_000_000));
    let shown = |no_color: Option<&str>| {
        let mut command = aai(&fake);
        command
            .args(["transcribe", "--poll-interval", "50ms"])
            .arg(&audio);
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        };
        let mut script = in_a_terminal(&command)?;
        let out = run(&mut script);
        out.expect_ok();
        // The terminal ends every line with \r\n; any other \r is a redraw.
        Some(out.stdout.replace("\r\n", "\n"))
    };
    let Some(animated) = shown(None) else {
        eprintln!("skipped: no util-linux script(1) to run aai in a terminal");
        return;
    };
    let empty = shown(Some("")).unwrap();
    let no_color = shown(Some("1")).unwrap();

    // NO_COLOR asks for no colour (no-color.org), not for no progress.
    for (what, text) in [("unset", &animated), ("empty", &empty), ("1", &no_color)] {
        assert!(
            text.contains("\r\x1b[2Kaai: uploading"),
            "NO_COLOR {what}:\n{text:?}"
        );
        assert!(text.contains("aai: uploaded"), "{text:?}");
    }
    assert!(!no_color.contains("\x1b[1;"), "{no_color:?}");
}
