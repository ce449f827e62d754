//! Every line `aai` writes to stderr goes through here, so the stream keeps
//! two promises whoever writes: with `--json` each line is one JSON object
//! (warnings and the interruption included), and on a terminal no message
//! lands on the live progress line (`live` erases it first).

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::{live, visible};

/// Whether stderr speaks JSON: set once, from the command line, before
/// anything is printed.
static JSON: AtomicBool = AtomicBool::new(false);

pub fn set_json(json: bool) {
    JSON.store(json, Ordering::Relaxed);
}

pub fn is_json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// `-v` given how many times: 1 shows each request, 2 retry decisions too.
static VERBOSITY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn set_verbosity(level: usize) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

pub fn verbosity() -> usize {
    VERBOSITY.load(Ordering::Relaxed)
}

/// One whole line: `text` (already `aai: ...`), or `event` with `--json`.
pub fn line(text: &str, event: &Value) {
    if is_json() {
        json(event);
    } else {
        text_lines(&[text]);
    }
}

/// Lines of text, each kept to one line whatever it quotes: server text in
/// them is made visible here, the one place every line passes, so a
/// newline in a server's message cannot forge an `aai: hint:` line.
pub fn text_lines(lines: &[&str]) {
    let mut text = String::new();
    for line in lines {
        // Coloured after it is made visible: the colour is ours to send.
        text.push_str(&live::paint(&visible::one_line(line)));
        text.push('\n');
    }
    live::write_line(&text);
}

/// One JSON object on a line of its own.
pub fn json(event: &Value) {
    live::write_line(&format!("{}\n", json_line(event)));
}

/// A report of what was done (`aai: removed the key ...`), or
/// `{"event": "info", "message": ...}` with `--json`.
pub fn info(message: &str) {
    line(
        &format!("aai: {message}"),
        &json!({"event": "info", "message": message}),
    );
}

/// What `-v` shows of a client's work: each exchange (method, path,
/// status, time; never the key, which travels in a header), and with `-vv`
/// each retry decision. Every observer the CLI sets passes its events here.
pub fn verbose(event: &assemblyai::Event<'_>) {
    let level = verbosity();
    match event {
        assemblyai::Event::Exchanged {
            method,
            path,
            status,
            elapsed,
        } if level >= 1 => {
            let answered = status.map_or("no reply".to_owned(), |status| status.to_string());
            line(
                &format!(
                    "aai: {method} {path} -> {answered} ({:.2}s)",
                    elapsed.as_secs_f64()
                ),
                &json!({"event": "request", "method": method, "path": path,
                    "status": status, "seconds": elapsed.as_secs_f64()}),
            );
        }
        assemblyai::Event::Retrying {
            error,
            attempt,
            delay,
        } if level >= 2 => {
            line(
                &format!(
                    "aai: retry: attempt {attempt} failed ({error}); next in {:.1}s",
                    delay.as_secs_f64()
                ),
                &json!({"event": "retry", "attempt": attempt, "error": error.to_string(),
                    "delay_seconds": delay.as_secs_f64()}),
            );
        }
        _ => {}
    }
}

/// A warning: `aai: warning: ...`, or `{"event": "warning", ...}`.
pub fn warn(message: &str) {
    line(
        &format!("aai: warning: {message}"),
        &json!({"event": "warning", "message": message}),
    );
}

/// One line of JSON whose DEL and C1 characters are escaped too (serde_json
/// escapes only C0), so a terminal shown it acts on none of them.
pub fn json_line(value: &Value) -> String {
    let text = value.to_string();
    visible::one_line(&text).into_owned()
}

/// What Ctrl-C prints from now on: `text` (a line without its `aai: `), or
/// with `--json` the error object every failure ends with, of kind
/// `interrupted`, naming the transcript that goes on.
pub fn on_interrupt(text: &str, transcript_id: Option<&str>) {
    let message = if is_json() {
        let error = json!({"error": {
            "kind": "interrupted",
            "message": text,
            "status": null,
            "transcript_id": transcript_id,
        }});
        format!("{}\n", json_line(&error))
    } else {
        // The terminal shows `^C` where the cursor was: the message starts
        // on a line of its own.
        format!("\naai: {}\n", visible::one_line(text))
    };
    crate::interrupt::on_interrupt(&message);
}
