//! Progress and status on stderr, so stdout carries only the product.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::{Client, Event};
use serde_json::{Value, json};

use crate::failure::{CliResult, Failure};
use crate::output::Output;

/// How often an animated progress line is redrawn.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Reports what the client does, as the observer of its events.
pub struct Status {
    /// Animate a progress line in place: only on a terminal that can do it.
    animate: bool,
    quiet: bool,
    /// Where to write the id of a created transcript, for scripts.
    id_file: Option<PathBuf>,
    /// The id of the transcript this run created, for a later failure to name.
    created: Mutex<Option<String>>,
    /// Why the id could not be written to `id_file`: the run must fail.
    id_file_failed: Mutex<Option<String>>,
    drawn: Mutex<Drawn>,
}

#[derive(Default)]
struct Drawn {
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
            quiet,
            id_file,
            created: Mutex::default(),
            id_file_failed: Mutex::default(),
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

    /// Fails a run whose job exists but whose `--id-file` could not be
    /// written: a script relying on the file must not take the run for a
    /// success. The failure names the transcript, so the id is not lost.
    pub fn id_file_written(&self) -> CliResult {
        let failed = self
            .id_file_failed
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone();
        let (Some(message), Some(id)) = (failed, self.created_id()) else {
            return Ok(());
        };
        Err(Failure::input(message).about(Some(&id)).with_hint(format!(
            "transcript {id} was created; follow it with: aai wait {id}"
        )))
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
        let _drawn = self.drawn();
        crate::notice::line(&format!("aai: {message}"), &event);
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
                    .map(|d| format!(" in {}", seconds(d)))
                    .unwrap_or_default();
                let event = json!({"event": "uploaded", "bytes": bytes});
                self.note(&format!("uploaded {}{took}", size(bytes)), event);
            }
            Event::Creating { audio_url } => crate::notice::on_interrupt(
                &format!(
                    "interrupted while creating the transcript of {audio_url}: it may have \
                     been created anyway; look with `aai list` before running this again"
                ),
                None,
            ),
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
        crate::notice::on_interrupt(
            &format!("interrupted; transcript {id} goes on without us; {resume}"),
            Some(id),
        );
        let mut in_file = false;
        if let Some(path) = &self.id_file {
            match Output::from_flag(Some(path.clone())).write(format!("{id}\n").as_bytes()) {
                Ok(()) => in_file = true,
                Err(failure) => {
                    let message = format!("{}; the run will end with an error", failure.message);
                    crate::notice::warn(&message);
                    *self
                        .id_file_failed
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner()) = Some(failure.message);
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
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        let rate = format!("{}/s", size((sent as f64 / seconds) as u64));
        let done = match total {
            Some(total) if total > 0 => format!(
                "{:3.0}% ({} of {})",
                sent as f64 * 100.0 / total as f64,
                size(sent),
                size(total)
            ),
            _ => size(sent),
        };
        crate::notice::progress(&format!("aai: uploading {done}, {rate}"));
    }
}

/// A size in the unit that shows it best: `512 B`, `4.1 kB`, `2.0 MB`,
/// `1.20 GB` (decimal units, as the API's limits are given).
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.2} GB", b / 1e9),
    }
}

/// A short duration: `45 ms` under a second, else `3.2s`.
fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}
