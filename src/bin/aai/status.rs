//! Progress and status on stderr, so stdout carries only the product.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::{Client, Event, TranscriptStatus};

use crate::interrupt;
use crate::output::write_atomically;

/// How often an animated progress line is redrawn.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Reports what the client does, as the observer of its events.
pub struct Status {
    /// Animate a progress line in place: only on a terminal that can do it.
    animate: bool,
    quiet: bool,
    /// Where to write the id of a created transcript, for scripts.
    id_file: Option<PathBuf>,
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
    pub fn new(quiet: bool, id_file: Option<PathBuf>) -> Arc<Status> {
        let animate = io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb");
        Arc::new(Status {
            animate,
            quiet,
            id_file,
            drawn: Mutex::new(Drawn::default()),
        })
    }

    /// A client that reports its events here.
    pub fn observe(self: &Arc<Self>, client: &Client) -> Client {
        let status = Arc::clone(self);
        client.with_observer(move |event| status.on_event(event))
    }

    /// A status line, unless `--quiet`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            self.line(message);
        }
    }

    /// A line that is printed even with `--quiet`.
    pub fn line(&self, message: &str) {
        let mut drawn = self
            .drawn
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let clear = if drawn.line_open { "\r\x1b[2K" } else { "" };
        drawn.line_open = false;
        let _ = writeln!(io::stderr().lock(), "{clear}aai: {message}");
    }

    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::UploadProgress { sent, total } => self.upload_progress(*sent, *total),
            Event::Uploaded { .. } => {
                let (bytes, elapsed) = {
                    let drawn = self
                        .drawn
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner());
                    (drawn.uploaded, drawn.upload_started.map(|at| at.elapsed()))
                };
                let took = elapsed
                    .map(|d| format!(" in {:.1}s", d.as_secs_f64()))
                    .unwrap_or_default();
                self.note(&format!("uploaded {}{took}", megabytes(bytes)));
            }
            Event::Created { transcript } => self.created(&transcript.id),
            Event::StatusChanged { transcript } => {
                let status = &transcript.status;
                if !matches!(
                    status,
                    TranscriptStatus::Completed | TranscriptStatus::Error
                ) {
                    self.note(&format!("transcript {} is {status}", transcript.id));
                }
            }
            Event::Retrying { error, delay, .. } => self.note(&format!(
                "warning: {error}; trying again in {:.1}s",
                delay.as_secs_f64()
            )),
            _ => {}
        }
    }

    /// The id is the one thing a user must not lose: it goes to stderr even
    /// with `--quiet` (unless a file takes it), to `--id-file`, and to the
    /// Ctrl-C handler.
    fn created(&self, id: &str) {
        let resume = format!("resume with: aai wait {id}");
        interrupt::on_interrupt(&format!(
            "\naai: interrupted; transcript {id} goes on without us; {resume}\n"
        ));
        if let Some(path) = &self.id_file {
            if let Err(error) = write_atomically(path, format!("{id}\n").as_bytes()) {
                self.line(&format!(
                    "warning: cannot write the id to {}: {error}",
                    path.display()
                ));
            }
        }
        if !self.quiet || self.id_file.is_none() {
            self.line(&format!(
                "transcript {id} created; if interrupted, {resume}"
            ));
        }
    }

    fn upload_progress(&self, sent: u64, total: Option<u64>) {
        let mut drawn = self
            .drawn
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
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
