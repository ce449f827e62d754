//! Progress and status on stderr, so stdout carries only the product.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::{Client, Event};
use serde_json::{Value, json};

use crate::interrupt;
use crate::output::write_atomically;

/// How often an animated progress line is redrawn.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Reports what the client does, as the observer of its events.
pub struct Status {
    /// Animate a progress line in place: only on a terminal that can do it.
    animate: bool,
    /// With `--json`, stderr carries one JSON object per line, so a script
    /// can parse all of it: these events, then `{"error": ...}` on failure.
    json: bool,
    quiet: bool,
    /// Where to write the id of a created transcript, for scripts.
    id_file: Option<PathBuf>,
    /// The id of the transcript this run created, for a later failure to name.
    created: Mutex<Option<String>>,
    drawn: Mutex<Drawn>,
}

#[derive(Default)]
struct Drawn {
    /// A progress line is on screen without its newline.
    line_open: bool,
    last_draw: Option<Instant>,
    upload_started: Option<Instant>,
    uploaded: u64,
}

impl Status {
    pub fn new(quiet: bool, json: bool, id_file: Option<PathBuf>) -> Arc<Status> {
        // Redrawing a line in place takes `\r` and an ANSI erase; a terminal
        // that can't do it (TERM=dumb) or a user who asked for no escape
        // sequences (NO_COLOR, when set and not empty: no-color.org) gets
        // plain lines instead.
        let animate = !json
            && io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        let drawn = Mutex::new(Drawn::default());
        Arc::new(Status {
            animate,
            json,
            quiet,
            id_file,
            created: Mutex::default(),
            drawn,
        })
    }

    /// A client that reports its events here.
    pub fn observe(self: &Arc<Self>, client: &Client) -> Client {
        let status = Arc::clone(self);
        client.with_observer(move |event| status.on_event(event))
    }

    /// The transcript created so far, if any: a failure after this point must
    /// name it, or the user can't resume the job they are billed for.
    pub fn created_id(&self) -> Option<String> {
        self.created
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }

    fn drawn(&self) -> std::sync::MutexGuard<'_, Drawn> {
        // A panic elsewhere must not silence the reports.
        self.drawn
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// A report, unless `--quiet`.
    fn note(&self, message: &str, event: Value) {
        if !self.quiet {
            self.line(message, event);
        }
    }

    /// A report printed even with `--quiet`: `aai: message`, or the event as
    /// one line of JSON with `--json`.
    fn line(&self, message: &str, event: Value) {
        let mut drawn = self.drawn();
        let clear = if drawn.line_open { "\r\x1b[2K" } else { "" };
        drawn.line_open = false;
        let mut stderr = io::stderr().lock();
        let _ = if self.json {
            writeln!(stderr, "{event}")
        } else {
            writeln!(stderr, "{clear}aai: {message}")
        };
    }

    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::UploadProgress { sent, total } => self.upload_progress(*sent, *total),
            Event::Uploaded { .. } => {
                let (bytes, elapsed) = {
                    let drawn = self.drawn();
                    (drawn.uploaded, drawn.upload_started.map(|at| at.elapsed()))
                };
                let took = elapsed
                    .map(|d| format!(" in {:.1}s", d.as_secs_f64()))
                    .unwrap_or_default();
                let event = json!({"event": "uploaded", "bytes": bytes});
                self.note(&format!("uploaded {}{took}", megabytes(bytes)), event);
            }
            Event::Creating { audio_url } => interrupt::on_interrupt(&format!(
                "\naai: interrupted while creating the transcript of {audio_url}: it may have \
                 been created anyway; look with `aai list` before running this again\n"
            )),
            Event::Created { transcript } => self.created(&transcript.id),
            Event::StatusChanged { transcript } => {
                let (id, status) = (&transcript.id, &transcript.status);
                if !status.is_terminal() {
                    let event = json!({"event": "status", "transcript_id": id, "status": status});
                    self.note(&format!("transcript {id} is {status}"), event);
                }
            }
            Event::Retrying { error, delay, .. } => {
                let seconds = delay.as_secs_f64();
                let message = format!("warning: {error}; trying again in {seconds:.1}s");
                let event = json!({
                    "event": "retrying",
                    "message": error.to_string(),
                    "delay_seconds": seconds,
                });
                self.note(&message, event);
            }
            _ => {}
        }
    }

    /// The id is the one thing a user must not lose: it goes to stderr even
    /// with `--quiet` (unless a file takes it), to `--id-file`, and to the
    /// Ctrl-C handler.
    fn created(&self, id: &str) {
        *self
            .created
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(id.to_owned());
        let resume = format!("resume with: aai wait {id}");
        interrupt::on_interrupt(&format!(
            "\naai: interrupted; transcript {id} goes on without us; {resume}\n"
        ));
        let mut in_file = false;
        if let Some(path) = &self.id_file {
            match write_atomically(path, format!("{id}\n").as_bytes()) {
                Ok(()) => in_file = true,
                Err(error) => {
                    let message = format!(
                        "warning: cannot write the id to {}: {error}",
                        path.display()
                    );
                    self.line(&message, json!({"event": "warning", "message": message}));
                }
            }
        }
        // With --quiet the file takes the id, but only if it could be written.
        if !self.quiet || !in_file {
            let event = json!({"event": "created", "transcript_id": id});
            self.line(
                &format!("transcript {id} created; if interrupted, {resume}"),
                event,
            );
        }
    }

    fn upload_progress(&self, sent: u64, total: Option<u64>) {
        let mut drawn = self.drawn();
        let started = *drawn.upload_started.get_or_insert_with(Instant::now);
        drawn.uploaded = sent;
        if !self.animate || self.quiet {
            return;
        }
        let due = drawn
            .last_draw
            .is_none_or(|at| at.elapsed() >= REDRAW_EVERY);
        if !due && total != Some(sent) {
            return;
        }
        drawn.last_draw = Some(Instant::now());
        drawn.line_open = true;
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        let rate = format!("{:.1} MB/s", sent as f64 / 1e6 / seconds);
        let done = match total {
            Some(total) if total > 0 => format!(
                "{:3.0}% ({} of {})",
                sent as f64 * 100.0 / total as f64,
                megabytes(sent),
                megabytes(total)
            ),
            _ => megabytes(sent),
        };
        let _ = write!(
            io::stderr().lock(),
            "\r\x1b[2Kaai: uploading {done}, {rate}"
        );
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
