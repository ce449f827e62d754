//! What `aai` shows on stderr while it works: a live line redrawn in place on a terminal (run
//! here in a pseudo-terminal made by `script`), plain lines without one, JSON lines with
//! `--json`.

mod cli_common;
mod support;

use std::process::Command;
use std::time::Duration;

use cli_common::{Run, TempDir, aai, audio_bytes, in_a_terminal, run};
use support::{FakeApi, Script};

/// `command` run in a pseudo-terminal of type `term`; `None` (after saying so) where there is
/// no util-linux `script` to make one.
fn in_pty_as(command: &Command, term: &str) -> Option<Run> {
    let Some(mut script) = in_a_terminal(command) else {
        eprintln!("skipped: no util-linux script(1) to run aai in a terminal");
        return None;
    };
    Some(run(script.env("TERM", term)))
}

fn in_pty(command: &Command) -> Option<Run> {
    in_pty_as(command, "xterm")
}

/// Every state the live line was drawn in: the text after each `\r` erase.
fn drawn(output: &str) -> Vec<&str> {
    output
        .split('\r')
        .filter_map(|part| part.strip_prefix("\x1b[2K"))
        .map(|part| part.trim_end_matches(['\n']))
        .collect()
}

/// The elapsed times (`(3s)`) the waiting line showed, in order, without repeats.
fn elapsed_shown(output: &str) -> Vec<String> {
    let mut shown: Vec<String> = drawn(output)
        .iter()
        .filter(|line| line.contains(" is "))
        .filter_map(|line| line.rsplit_once('(').map(|(_, rest)| rest.to_owned()))
        .collect();
    shown.dedup();
    shown
}

#[test]
fn a_terminal_sees_the_upload_percentage_redrawn_and_the_wait_counting_seconds() {
    let fake = FakeApi::builder()
        .script(Script::after(Duration::from_millis(2500)))
        .start();
    let dir = TempDir::new("live");
    let audio = dir.file("talk.mp3", &audio_bytes(2_000_000));
    let out_file = dir.join("talk.txt");
    let mut command = aai(&fake);
    command
        .arg("transcribe")
        .arg(&audio)
        .arg("-o")
        .arg(&out_file);
    let Some(out) = in_pty(&command) else { return };

    out.expect_ok();
    let output = &out.stdout;
    let percentages: Vec<&str> = drawn(output)
        .into_iter()
        .filter(|line| line.contains("uploading") && line.contains('%'))
        .collect();
    assert!(
        percentages.len() >= 2 && percentages.last().unwrap().contains("100%"),
        "the upload line is not redrawn up to 100%:\n{output:?}"
    );
    assert!(percentages[0].contains("of 2.0 MB"), "{output:?}");
    let elapsed = elapsed_shown(output);
    assert!(
        elapsed.len() >= 2,
        "the waiting line's elapsed time does not advance: {elapsed:?}\n{output:?}"
    );
    assert!(output.contains("completed after"), "{output:?}");
    assert!(std::fs::read_to_string(&out_file).unwrap().len() > 10);
}

#[test]
fn the_live_line_is_erased_before_an_error_is_printed() {
    let fake = FakeApi::builder().script(Script::never()).start();
    let mut command = aai(&fake);
    command.args([
        "transcribe",
        "https://example.com/a.mp3",
        "--timeout",
        "1500ms",
    ]);
    let Some(out) = in_pty(&command) else { return };

    out.expect_code(7);
    let output = &out.stdout;
    assert!(output.contains(" is queued ("), "no live line:\n{output:?}");
    let error_line = output
        .split('\n')
        .find(|line| line.contains("aai: error"))
        .unwrap_or_else(|| panic!("no error:\n{output:?}"));
    // The terminal ends each line with "\r\n".
    let error_line = error_line.trim_end_matches('\r');
    let last_draw = error_line.rsplit('\r').next().unwrap();
    let last_draw = last_draw.strip_prefix("\x1b[2K").unwrap_or(last_draw);
    assert!(
        last_draw.starts_with("aai: error"),
        "the error shares a line with the progress: {error_line:?}"
    );
}

#[test]
fn colour_marks_the_error_on_a_terminal_unless_no_color_is_set() {
    let fake = FakeApi::start();
    let mut command = aai(&fake);
    command.args(["get", "no-such-id"]).env_remove("NO_COLOR");
    let Some(coloured) = in_pty(&command) else {
        return;
    };
    command.env("NO_COLOR", "1");
    let plain = in_pty(&command).unwrap();

    coloured.expect_code(4);
    plain.expect_code(4);
    assert!(
        coloured.stdout.contains("\x1b[1;31merror"),
        "{:?}",
        coloured.stdout
    );
    assert!(plain.stdout.contains("aai: error: "), "{:?}", plain.stdout);
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
}

#[test]
fn term_dumb_and_quiet_get_no_animation_on_a_terminal() {
    let fake = FakeApi::builder().script(Script::after_polls(1, 1)).start();
    let dir = TempDir::new("dumb");
    let mut command = aai(&fake);
    command.args(["transcribe", "https://example.com/a.mp3", "-o"]);
    command.arg(dir.join("out.txt"));
    let Some(out) = in_pty_as(&command, "dumb") else {
        return;
    };
    out.expect_ok();
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    assert!(out.stdout.contains("is processing"), "{:?}", out.stdout);

    command.arg("-q");
    let quiet = in_pty(&command).unwrap();
    quiet.expect_ok();
    assert!(!quiet.stdout.contains('\x1b'), "{:?}", quiet.stdout);
    assert_eq!(quiet.stdout.lines().count(), 1, "{:?}", quiet.stdout);
}

#[test]
fn without_a_terminal_each_state_change_is_one_plain_line() {
    let fake = FakeApi::builder().script(Script::after_polls(1, 3)).start();
    let dir = TempDir::new("plain");
    let audio = dir.file("a.mp3", &audio_bytes(300_000));

    let out = run(aai(&fake)
        .args(["transcribe", "--poll-interval", "50ms"])
        .arg(&audio));

    out.expect_ok();
    assert!(!out.stderr.contains(['\r', '\x1b']), "{:?}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let processing = lines.iter().filter(|l| l.contains("is processing")).count();
    assert_eq!(processing, 1, "three polls saw processing:\n{}", out.stderr);
    assert!(
        lines[0].starts_with("aai: uploaded 300.0 kB"),
        "{}",
        out.stderr
    );
    assert!(
        lines.last().unwrap().contains("completed after"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_gets_the_same_events_as_json_lines_in_order() {
    let fake = FakeApi::builder().script(Script::after_polls(1, 1)).start();
    let dir = TempDir::new("json-events");
    let audio = dir.file("a.mp3", &audio_bytes(300_000));

    let out = run(aai(&fake)
        .args(["transcribe", "--json", "--poll-interval", "50ms"])
        .arg(&audio));

    out.expect_ok();
    let events: Vec<String> = out
        .stderr_json_lines()
        .iter()
        .map(|event| event["event"].as_str().unwrap().to_owned())
        .collect();
    let mut kinds = events.clone();
    kinds.dedup();
    assert_eq!(
        kinds,
        ["upload_progress", "uploaded", "created", "status", "done"],
        "{}",
        out.stderr
    );
    let progress = events.iter().filter(|e| *e == "upload_progress").count();
    assert!(
        progress <= 3,
        "upload progress at an insane rate: {progress} lines"
    );
    let lines = out.stderr_json_lines();
    let last_progress = lines
        .iter()
        .rfind(|e| e["event"] == "upload_progress")
        .unwrap();
    assert_eq!(last_progress["sent"], 300_000);
    assert_eq!(last_progress["total"], 300_000);
    assert_eq!(lines.last().unwrap()["status"], "completed");
}

#[test]
fn a_run_that_ends_with_the_live_line_drawn_erases_it_before_exiting() {
    let fake = FakeApi::start();
    let dir = TempDir::new("live-end");
    let mut command = aai(&fake);
    command
        .args(["submit", "https://example.com/a.mp3", "-o"])
        .arg(dir.join("id.txt"));
    let Some(out) = in_pty(&command) else { return };

    out.expect_ok();
    let tail = out.stdout.trim_end_matches(['\r', '\n']);
    let last = tail.rsplit('\n').next().unwrap();
    let after_last_erase = last.rsplit("\x1b[2K").next().unwrap();
    assert!(
        !after_last_erase.contains(" is queued"),
        "the live line is left for the shell's prompt: {last:?}"
    );
}

#[test]
fn a_job_held_by_the_concurrency_limit_is_shown_throttled_then_processing() {
    // One slot, taken by a job created first: the second waits `queued`,
    // `throttled: true`, until the slot frees, and the plain lines say so.
    let fake = FakeApi::builder()
        .concurrency_limit(1)
        .script(Script::after(Duration::from_millis(1200)))
        .start();
    run(aai(&fake).args(["submit", "https://example.com/first.mp3"])).expect_ok();

    let out = run(aai(&fake).args([
        "transcribe",
        "https://example.com/second.mp3",
        "--poll-interval",
        "100ms",
    ]));

    out.expect_ok();
    let lines: Vec<&str> = out.stderr.lines().collect();
    let throttled = lines.iter().position(|l| l.contains("is throttled"));
    let processing = lines.iter().position(|l| l.contains("is processing"));
    assert!(
        matches!((throttled, processing), (Some(t), Some(p)) if t < p),
        "throttled, then processing:\n{}",
        out.stderr
    );
}
