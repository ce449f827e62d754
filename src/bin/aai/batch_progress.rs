//! What `aai batch` shows on stderr: progress while it runs (redrawn on a
//! terminal, plain lines otherwise, JSON events with `--json`) and the final
//! report of every source in input order.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::batch::{Counts, Event, Outcome, Status};
use assemblyai::{Client, RateLimiter};
use serde_json::json;

use crate::commands::cli_kind;
use crate::failure::{CliResult, Failure};
use crate::output::write_atomically;

/// How often the progress line is redrawn on a terminal, and printed anew
/// elsewhere.
const REDRAW: Duration = Duration::from_millis(200);
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    quiet: bool,
    json: bool,
    animate: bool,
    not_recordings: usize,
    limiter: RateLimiter,
    started: Instant,
    retries: AtomicU64,
    shown: Mutex<Shown>,
}

#[derive(Default)]
struct Shown {
    counts: Counts,
    last: Option<Instant>,
    line_open: bool,
    /// The plan is known: counts before it would only be partial.
    planned: bool,
}

impl Progress {
    pub fn new(
        quiet: bool,
        json: bool,
        not_recordings: usize,
        limiter: RateLimiter,
    ) -> Arc<Progress> {
        let animate = !json
            && io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        Arc::new(Progress {
            quiet,
            json,
            animate,
            not_recordings,
            limiter,
            started: Instant::now(),
            retries: AtomicU64::new(0),
            shown: Mutex::default(),
        })
    }

    /// A client counting its retries here.
    pub fn observe(self: &Arc<Self>, client: &Client) -> Client {
        let progress = Arc::clone(self);
        client.with_observer(move |event| {
            if matches!(event, assemblyai::Event::Retrying { .. }) {
                progress.retries.fetch_add(1, Ordering::Relaxed);
            }
        })
    }

    pub fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::Planned { counts } => {
                let mut line = format!(
                    "{} sources, {} done before",
                    counts.total, counts.already_done
                );
                if counts.failed > 0 {
                    line.push_str(&format!(", {} failed before", counts.failed));
                }
                if self.not_recordings > 0 {
                    line.push_str(&format!(
                        "; {} files skipped (not recordings by extension)",
                        self.not_recordings
                    ));
                }
                self.note(
                    &line,
                    json!({"event": "planned", "total": counts.total,
                    "already_done": counts.already_done, "failed_before": counts.failed,
                    "not_recordings": self.not_recordings}),
                );
                lock(&self.shown).planned = true;
                self.progress(*counts, true);
            }
            Event::Submitted {
                source,
                transcript_id,
                counts,
            } => {
                if self.json && !self.quiet {
                    self.line(
                        "",
                        json!({"event": "submitted", "source": source.shown(),
                        "transcript_id": transcript_id}),
                    );
                }
                self.progress(*counts, false);
            }
            Event::Finished { outcome, counts } => {
                if self.json && !self.quiet {
                    self.line("", json!({"event": "finished", "outcome": outcome}));
                } else if outcome.status == Status::Failed && !self.quiet {
                    // As it happens, for a long run; the final report lists it again.
                    self.line(&describe(outcome), json!({}));
                }
                self.progress(*counts, false);
            }
            Event::Warning { message } => {
                self.note(
                    &format!("warning: {message}"),
                    json!({"event": "warning", "message": message}),
                );
            }
            _ => {}
        }
    }

    /// Closes the progress line with the last counts.
    pub fn finish(&self) {
        let counts = lock(&self.shown).counts;
        self.progress(counts, true);
        let mut shown = lock(&self.shown);
        if shown.line_open {
            let _ = writeln!(io::stderr());
            shown.line_open = false;
        }
    }

    fn progress(&self, counts: Counts, force: bool) {
        let mut shown = lock(&self.shown);
        shown.counts = counts;
        if self.quiet || !shown.planned {
            return;
        }
        let every = if self.animate { REDRAW } else { PLAIN_EVERY };
        if !force && shown.last.is_some_and(|at| at.elapsed() < every) {
            return;
        }
        shown.last = Some(Instant::now());
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = counts.done as f64 / elapsed;
        let left = counts.total - counts.done - counts.already_done - counts.failed;
        let eta = match rate > 0.0 {
            true => format!(", about {} left", human(left as f64 / rate)),
            false => String::new(),
        };
        let mut stderr = io::stderr().lock();
        if self.json {
            let event = json!({"event": "progress", "done": counts.done,
                "already_done": counts.already_done, "failed": counts.failed,
                "in_flight": counts.in_flight, "queued": counts.queued(), "total": counts.total,
                "per_second": rate, "requests": self.limiter.requests(),
                "throttled": self.limiter.throttled()});
            let _ = writeln!(stderr, "{event}");
            return;
        }
        let text = format!(
            "aai: {} of {} done, {} failed, {} in flight, {} queued; {rate:.1}/s{eta}; \
             {} requests ({} answered 429, {} retried)",
            counts.done + counts.already_done,
            counts.total,
            counts.failed,
            counts.in_flight,
            counts.queued(),
            self.limiter.requests(),
            self.limiter.throttled(),
            self.retries.load(Ordering::Relaxed),
        );
        let _ = if self.animate {
            shown.line_open = true;
            write!(stderr, "\r\x1b[2K{text}")
        } else {
            writeln!(stderr, "{text}")
        };
    }

    fn note(&self, message: &str, event: serde_json::Value) {
        if !self.quiet {
            self.line(message, event);
        }
    }

    fn line(&self, message: &str, event: serde_json::Value) {
        let mut shown = lock(&self.shown);
        let clear = if shown.line_open { "\r\x1b[2K" } else { "" };
        shown.line_open = false;
        let mut stderr = io::stderr().lock();
        let _ = if self.json {
            writeln!(stderr, "{event}")
        } else {
            writeln!(stderr, "{clear}aai: {message}")
        };
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn human(seconds: f64) -> String {
    match seconds {
        s if s < 90.0 => format!("{s:.0}s"),
        s if s < 5400.0 => format!("{:.0}m", s / 60.0),
        s => format!("{:.1}h", s / 3600.0),
    }
}

/// One line of the text report.
/// One source's line of the report, control characters made visible so
/// that a file name holding ESC, CR or a newline can neither act on the
/// terminal nor break the one line per source.
fn describe(outcome: &Outcome) -> String {
    crate::visible::one_line(&describe_raw(outcome)).into_owned()
}

fn describe_raw(outcome: &Outcome) -> String {
    let id = outcome.transcript_id.as_deref().unwrap_or("-");
    let why = outcome
        .failure
        .as_ref()
        .map(|failure| failure.message.as_str())
        .unwrap_or_default();
    let changed = if outcome.changed {
        " (changed since its transcript: redone)"
    } else {
        ""
    };
    match outcome.status {
        Status::Done => {
            let outputs: Vec<String> = outcome
                .outputs
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            format!(
                "done     {}  {id}  -> {}{changed}",
                outcome.source,
                outputs.join(", ")
            )
        }
        Status::AlreadyDone => format!("done     {}  {id}  (before)", outcome.source),
        Status::Failed => format!("FAILED   {}  {id}  {why}{changed}", outcome.source),
        Status::FailedBefore => format!(
            "FAILED   {}  {id}  (before: {why}; rerun with --retry-failed to try again)",
            outcome.source
        ),
        Status::Pending => format!("pending  {}  {id}", outcome.source),
        _ => format!("not run  {}", outcome.source),
    }
}

/// Prints the report of every source in input order (only failures with
/// `--quiet`), writes it as JSON lines to `report` when given, and fails
/// with the worst failure's class when any source failed.
pub fn final_report(
    outcomes: &[Outcome],
    quiet: bool,
    json: bool,
    report: Option<&Path>,
) -> CliResult {
    let mut text = Vec::new();
    let mut lines = Vec::new();
    for outcome in outcomes {
        let line = serde_json::to_string(outcome).unwrap_or_default();
        if !quiet || !outcome.succeeded() {
            if json {
                writeln!(text, "{}", json!({"event": "report", "outcome": outcome})).ok();
            } else {
                writeln!(text, "aai: {}", describe(outcome)).ok();
            }
        }
        lines.push(line);
    }
    let failed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !o.succeeded() && o.status != Status::Pending)
        .collect();
    let done = outcomes.iter().filter(|o| o.succeeded()).count();
    let pending = outcomes
        .iter()
        .filter(|o| o.status == Status::Pending)
        .count();
    // The summary is written even with -q: a scheduler's task log is then
    // never empty, and says what the task did.
    let now = outcomes.iter().filter(|o| o.status == Status::Done).count();
    if json {
        writeln!(
            text,
            "{}",
            json!({"event": "summary", "total": outcomes.len(), "done": done,
                "done_now": now, "done_before": done - now, "failed": failed.len(),
                "pending": pending})
        )
        .ok();
    } else {
        let mut summary = format!(
            "aai: {done} of {} done ({now} now, {} before), {} failed",
            outcomes.len(),
            done - now,
            failed.len()
        );
        if pending > 0 {
            summary.push_str(&format!(", {pending} pending"));
        }
        writeln!(text, "{summary}").ok();
    }
    let _ = io::stderr().lock().write_all(&text);
    if let Some(path) = report {
        let mut bytes = lines.join("\n").into_bytes();
        bytes.push(b'\n');
        write_atomically(path, &bytes)
            .map_err(|err| Failure::input(format!("cannot write {}: {err}", path.display())))?;
    }
    let Some(worst) = failed
        .iter()
        .filter_map(|o| o.failure.as_ref().map(|f| f.kind))
        .max_by_key(|kind| kind.severity())
    else {
        return match failed.is_empty() {
            true => Ok(()),
            false => Err(Failure::new(
                crate::failure::Kind::Internal,
                format!("{} sources were not run", failed.len()),
            )),
        };
    };
    Err(Failure::new(
        cli_kind(worst),
        format!(
            "{} of {} sources failed (listed above); fix them and rerun, with --retry-failed \
             for those that failed before",
            failed.len(),
            outcomes.len()
        ),
    ))
}
