//! Progress and status on stderr, so stdout carries only the product.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::{Client, Event, Transcript, TranscriptStatus};
use serde_json::{Value, json};

use crate::failure::{CliResult, Failure};
use crate::live::{self, Live, Upload};
use crate::notice;
use crate::output::Output;

/// With `--json`, upload progress is reported at most this often: enough
/// for a script's progress bar, few enough lines to read.
const JSON_PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// Reports what the client does, as the observer of its events.
pub struct Status {
    /// Animate a live line in place: only on a terminal that can do it, and
    /// not with `--quiet` or `--json`.
    animate: bool,
    quiet: bool,
    /// Where to write the id of a created transcript, for scripts.
    id_file: Option<PathBuf>,
    /// The id of the transcript this run created, for a later failure to name.
    created: Mutex<Option<String>>,
    /// Why the id could not be written to `id_file`: the run must fail.
    id_file_failed: Mutex<Option<String>>,
    progress: Mutex<Progress>,
}

/// What the reports need to remember between events.
#[derive(Default)]
struct Progress {
    /// The upload as it goes, for the final line and `--json`'s rate limit.
    upload: Option<Upload>,
    last_json_progress: Option<Instant>,
    /// When waiting began: the job's creation, or the first poll's answer.
    waiting_since: Option<Instant>,
}

impl Status {
    pub fn new(quiet: bool, json: bool, id_file: Option<PathBuf>) -> Arc<Status> {
        // NO_COLOR asks for no colour, not for no progress (no-color.org):
        // it is honoured where colour is chosen, in `live::paint`.
        let animate = !json && !quiet && live::can_animate();
        Arc::new(Status {
            animate,
            quiet,
            id_file,
            created: Mutex::default(),
            id_file_failed: Mutex::default(),
            progress: Mutex::default(),
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

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        // A panic elsewhere must not silence the reports.
        self.progress
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
        notice::line(&format!("aai: {message}"), &event);
    }

    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::UploadProgress { sent, total } => self.upload_progress(*sent, *total),
            Event::Uploaded { .. } => {
                let (bytes, took) = {
                    let progress = self.progress();
                    let upload = progress.upload.as_ref();
                    (
                        upload.map_or(0, Upload::sent),
                        upload.map(|upload| upload.took()),
                    )
                };
                let took = took
                    .map(|d| format!(" in {}", seconds(d)))
                    .unwrap_or_default();
                let message = format!("uploaded {}{took}", size(bytes));
                if self.animate {
                    live::settle(Some(&message));
                } else {
                    self.note(&message, json!({"event": "uploaded", "bytes": bytes}));
                }
            }
            Event::Creating { audio_url } => crate::notice::on_interrupt(
                &format!(
                    "interrupted while creating the transcript of {audio_url}: it may have \
                     been created anyway; look with `aai list` before running this again"
                ),
                None,
            ),
            Event::Created { transcript } => {
                self.created(&transcript.id);
                self.waiting(transcript);
            }
            Event::StatusChanged { transcript } => self.status_changed(transcript),
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

    /// The live line for a job not finished yet, from its first sight on.
    fn waiting(&self, transcript: &Transcript) {
        let since = *self
            .progress()
            .waiting_since
            .get_or_insert_with(Instant::now);
        if self.animate && !transcript.status.is_terminal() {
            live::show(Live::Waiting {
                id: transcript.id.clone(),
                status: shown_status(transcript),
                since,
            });
        }
    }

    fn status_changed(&self, transcript: &Transcript) {
        let id = &transcript.id;
        let shown = shown_status(transcript);
        let first_sight = self.progress().waiting_since.is_none();
        if first_sight {
            self.waiting(transcript);
        }
        let since = self.progress().waiting_since.unwrap_or_else(Instant::now);
        let elapsed = since.elapsed();
        match &transcript.status {
            TranscriptStatus::Completed => {
                // A job found finished at the first look took no time of ours.
                let mut message = if first_sight {
                    format!("transcript {id} is completed")
                } else {
                    format!("transcript {id} completed after {}", live::clock(elapsed))
                };
                // The model that ran is the only record of what was billed,
                // and with no model pinned it is the account's to choose.
                let model = transcript.speech_model_used.as_ref().map(|m| m.as_str());
                if let Some(model) = model {
                    message.push_str(&format!(" ({model})"));
                }
                let event = json!({
                    "event": "done",
                    "transcript_id": id,
                    "status": "completed",
                    "elapsed_seconds": elapsed.as_secs_f64(),
                    "speech_model_used": model,
                });
                if self.animate {
                    live::settle(Some(&message));
                } else {
                    self.note(&message, event);
                }
                crate::server_warnings::show(transcript);
            }
            // The error report that follows says what went wrong; the JSON
            // stream still gets its closing event.
            TranscriptStatus::Error => {
                if self.animate {
                    live::settle(None);
                } else if notice::is_json() && !self.quiet {
                    let event = json!({
                        "event": "done",
                        "transcript_id": id,
                        "status": "error",
                        "elapsed_seconds": elapsed.as_secs_f64(),
                    });
                    self.line("", event);
                }
            }
            _ if self.animate => live::set_status(&shown),
            _ => {
                let event = json!({
                    "event": "status",
                    "transcript_id": id,
                    "status": transcript.status,
                    "throttled": transcript.throttled == Some(true),
                });
                self.note(&format!("transcript {id} is {shown}"), event);
            }
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
        let mut progress = self.progress();
        let now = Instant::now();
        let first = progress.upload.is_none();
        progress
            .upload
            .get_or_insert_with(Upload::new)
            .record(sent, total, now);
        if self.animate && first {
            // Drawn from the first bytes, with the size already known.
            let mut upload = Upload::new();
            upload.record(sent, total, now);
            live::show(Live::Upload(upload));
        } else if self.animate {
            live::upload_progress(sent, total);
        } else if notice::is_json() && !self.quiet {
            let due = progress
                .last_json_progress
                .is_none_or(|at| now.duration_since(at) >= JSON_PROGRESS_EVERY);
            if due || total == Some(sent) {
                progress.last_json_progress = Some(now);
                drop(progress);
                let event = json!({"event": "upload_progress", "sent": sent, "total": total});
                self.line("", event);
            }
        }
    }
}

/// The status as people think of it: a queued job held back by the
/// account's concurrency limit is `throttled`.
fn shown_status(transcript: &Transcript) -> String {
    match (&transcript.status, transcript.throttled) {
        (TranscriptStatus::Queued, Some(true)) => "throttled".to_owned(),
        (status, _) => status.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(status: &str, throttled: Option<bool>) -> Transcript {
        serde_json::from_value(json!({"id": "t1", "status": status, "throttled": throttled}))
            .unwrap()
    }

    #[test]
    fn a_queued_job_held_by_the_concurrency_limit_shows_as_throttled() {
        assert_eq!(shown_status(&transcript("queued", Some(true))), "throttled");
        assert_eq!(shown_status(&transcript("queued", None)), "queued");
        assert_eq!(
            shown_status(&transcript("processing", Some(true))),
            "processing"
        );
    }
}
