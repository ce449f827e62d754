//! What `aai batch` shows: progress while it runs (the one live line on a
//! terminal, a plain line every few seconds otherwise, JSON events with
//! `--json`), failures as they happen, and the final report: on stderr for
//! a run (a summary and the failures; every source with `-v`), on stdout
//! for `aai batch --status`, whose product it is.
//!
//! Every line goes through `notice` and the live line through `live`: this
//! module writes nothing itself.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assemblyai::batch::{BatchEvent as Event, Counts, Outcome, SourceStatus as Status};
use assemblyai::{Client, RateLimiter};
use serde_json::json;

use crate::failure::{CliResult, Failure};
use crate::live::{self, Live, clock};
use crate::notice;
use crate::output::{Output, write_atomically};

/// How often a plain progress line is printed when stderr is not a
/// terminal (a log file, CI): the first at once.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// No rate or time left is claimed before this long, nor before this many
/// sources are done: until then they measure the start, not the run.
const RATE_AFTER: Duration = Duration::from_secs(10);
const RATE_AFTER_DONE: usize = 3;

pub struct Progress {
    quiet: bool,
    json: bool,
    animate: bool,
    not_recordings: usize,
    limiter: RateLimiter,
    started: Instant,
    retries: AtomicU64,
    uploaded: AtomicU64,
    created: AtomicU64,
    counts: Mutex<Option<Counts>>,
    finished: AtomicBool,
    /// The last plain line printed, so the closing one is not a repeat.
    last_line: Mutex<String>,
}

impl Progress {
    pub fn new(
        quiet: bool,
        json: bool,
        not_recordings: usize,
        limiter: RateLimiter,
    ) -> Arc<Progress> {
        Arc::new(Progress {
            quiet,
            json,
            animate: !json && !quiet && live::can_animate(),
            not_recordings,
            limiter,
            started: Instant::now(),
            retries: AtomicU64::new(0),
            uploaded: AtomicU64::new(0),
            created: AtomicU64::new(0),
            counts: Mutex::new(None),
            finished: AtomicBool::new(false),
            last_line: Mutex::new(String::new()),
        })
    }

    /// A client counting its uploads, creates and retries here.
    pub fn observe(self: &Arc<Self>, client: &Client) -> Client {
        let progress = Arc::clone(self);
        client.with_observer(move |event| {
            notice::verbose(event);
            let counter = match event {
                assemblyai::Event::Retrying { .. } => &progress.retries,
                assemblyai::Event::Uploaded { .. } => &progress.uploaded,
                assemblyai::Event::Created { .. } => &progress.created,
                _ => return,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        })
    }

    pub fn on_event(self: &Arc<Self>, event: &Event<'_>) {
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
                *lock(&self.counts) = Some(*counts);
                self.start();
            }
            Event::Submitted {
                source,
                transcript_id,
                counts,
            } => {
                if self.json && !self.quiet {
                    notice::json(&json!({"event": "submitted", "source": source.shown(),
                        "transcript_id": transcript_id}));
                }
                *lock(&self.counts) = Some(*counts);
            }
            Event::Finished { outcome, counts } => {
                if self.json && !self.quiet {
                    notice::json(&json!({"event": "finished", "outcome": outcome}));
                } else if outcome.status == Status::Failed && !self.quiet {
                    // As it happens, for a long run; the final report lists it again.
                    notice::text_lines(&[&format!("aai: {}", describe(outcome))]);
                }
                // Warnings are no progress: shown whatever --quiet says,
                // and kept in the report with the outcome.
                let id = outcome.transcript_id.as_deref().unwrap_or("-");
                for warning in &outcome.warnings {
                    notice::line(
                        &format!(
                            "aai: warning: {}: transcript {id}: {}",
                            crate::visible::one_line(&outcome.source),
                            crate::visible::one_line(warning)
                        ),
                        &json!({"event": "warning", "source": outcome.source,
                               "transcript_id": id, "message": warning}),
                    );
                }
                *lock(&self.counts) = Some(*counts);
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

    /// Starts showing progress, once the plan is known: the live line on a
    /// terminal (redrawn by its ticker, so the time moves between events),
    /// else a line now and every few seconds.
    fn start(self: &Arc<Self>) {
        if self.quiet {
            return;
        }
        if self.animate {
            let progress = Arc::clone(self);
            live::show(Live::Line(Box::new(move || progress.describe_progress())));
            return;
        }
        let progress = Arc::clone(self);
        let _ = std::thread::Builder::new()
            .name("aai-batch-progress".to_owned())
            .spawn(move || {
                while !progress.finished.load(Ordering::Relaxed) {
                    progress.print_progress(true);
                    // Short naps, so the last line is not printed after the report.
                    let until = Instant::now() + PLAIN_EVERY;
                    while Instant::now() < until && !progress.finished.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            });
    }

    /// One progress line, or event with `--json`; `again`: even when the
    /// line would be the one printed last.
    fn print_progress(&self, again: bool) {
        let Some(counts) = *lock(&self.counts) else {
            return;
        };
        if self.json {
            let elapsed = self.started.elapsed().as_secs_f64();
            notice::json(&json!({"event": "progress", "done": counts.done,
                "already_done": counts.already_done, "failed": counts.failed,
                "in_flight": counts.in_flight, "waiting": counts.queued(), "total": counts.total,
                "uploaded": self.uploaded.load(Ordering::Relaxed),
                "created": self.created.load(Ordering::Relaxed),
                "elapsed_seconds": elapsed,
                "per_second": self.rate(&counts),
                "requests": self.limiter.requests(),
                "throttled": self.limiter.throttled()}));
        } else {
            let line = format!("aai: {}", self.describe_progress());
            let mut last = lock(&self.last_line);
            // The elapsed time is left out of the comparison: a line that
            // says nothing new but the time is not worth a line.
            let news = |text: &str| {
                text.rsplit_once("; ")
                    .map_or(text.to_owned(), |(a, _)| a.to_owned())
            };
            if again || news(&line) != news(&last) {
                notice::text_lines(&[&line]);
                *last = line;
            }
        }
    }

    /// Sources done a second, once the figure means something.
    fn rate(&self, counts: &Counts) -> Option<f64> {
        let elapsed = self.started.elapsed();
        (elapsed >= RATE_AFTER && counts.done >= RATE_AFTER_DONE)
            .then(|| counts.done as f64 / elapsed.as_secs_f64())
    }

    /// `12/300 done, 2 failed; 8 uploaded, 14 created, 40 in flight,
    /// 246 waiting; 1m 05s; 0.2/s, about 20m left`.
    fn describe_progress(&self) -> String {
        let counts = lock(&self.counts).unwrap_or_default();
        let mut text = format!(
            "{}/{} done, {} failed; {} uploaded, {} created, {} in flight, {} waiting; {}",
            counts.done + counts.already_done,
            counts.total,
            counts.failed,
            self.uploaded.load(Ordering::Relaxed),
            self.created.load(Ordering::Relaxed),
            counts.in_flight,
            counts.queued(),
            clock(self.started.elapsed()),
        );
        if let Some(rate) = self.rate(&counts) {
            let left = counts.total - counts.done - counts.already_done - counts.failed;
            text.push_str(&format!(
                "; {rate:.1}/s, about {} left",
                human(left as f64 / rate)
            ));
        }
        let retries = self.retries.load(Ordering::Relaxed);
        if retries > 0 || self.limiter.throttled() > 0 {
            text.push_str(&format!(
                "; {} answered 429, {retries} retried",
                self.limiter.throttled()
            ));
        }
        text
    }

    /// Ends the progress: the live line erased, the plain lines stopped.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Relaxed);
        if self.animate {
            live::settle(None);
        } else if !self.quiet && lock(&self.counts).is_some() {
            // The last counts, so a log ends with where the run ended.
            self.print_progress(false);
        }
    }

    fn note(&self, message: &str, event: serde_json::Value) {
        if !self.quiet {
            notice::line(&format!("aai: {message}"), &event);
        }
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
    // The failure's text may quote a server: shown without the key.
    let why = outcome
        .failure
        .as_ref()
        .map(|failure| crate::visible::server(&failure.message).into_owned())
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
            let model = outcome
                .speech_model_used
                .as_ref()
                .map(|model| format!(" ({model})"))
                .unwrap_or_default();
            let warned = match outcome.warnings.len() {
                0 => String::new(),
                n => format!(" [{n} warning{}]", if n == 1 { "" } else { "s" }),
            };
            format!(
                "done     {}  {id}{model}  -> {}{changed}{warned}",
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

/// Who reads the final report and how much of it.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// `-q`: the failures only, no summary.
    pub quiet: bool,
    /// `-v`: every source, not only the failures.
    pub every_source: bool,
    pub json: bool,
    /// On stdout (`aai batch --status`, whose product the report is),
    /// rather than stderr.
    pub stdout: bool,
}

/// Prints the report in input order, writes it as JSON lines to `report`
/// when given, and fails with the worst failure's class when any source
/// failed.
pub fn final_report(outcomes: &[Outcome], reader: Reader, report: Option<&Path>) -> CliResult {
    let mut lines = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    let mut json_shown: Vec<serde_json::Value> = Vec::new();
    for outcome in outcomes {
        lines.push(serde_json::to_string(outcome).unwrap_or_default());
        let listed = match reader.json {
            // Machines get every source unless told --quiet.
            true => !reader.quiet || !outcome.succeeded(),
            false => (reader.every_source && !reader.quiet) || !outcome.succeeded(),
        };
        if !listed {
            continue;
        }
        match reader.json {
            true => json_shown.push(json!({"event": "report", "outcome": outcome})),
            false => shown.push(describe(outcome)),
        }
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
    if reader.json {
        json_shown.push(
            json!({"event": "summary", "total": outcomes.len(), "done": done,
            "done_now": now, "done_before": done - now, "failed": failed.len(),
            "pending": pending}),
        );
    } else {
        let mut summary = format!(
            "{done} of {} done ({now} now, {} before), {} failed",
            outcomes.len(),
            done - now,
            failed.len()
        );
        if pending > 0 {
            summary.push_str(&format!(", {pending} pending"));
        }
        shown.push(summary);
    }
    if reader.stdout {
        let mut text = String::new();
        for line in &shown {
            text.push_str(&crate::visible::one_line(line));
            text.push('\n');
        }
        for event in &json_shown {
            text.push_str(&notice::json_line(event));
            text.push('\n');
        }
        Output::Stdout.write(text.as_bytes())?;
    } else {
        let lines: Vec<String> = shown.iter().map(|line| format!("aai: {line}")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        notice::text_lines(&refs);
        for event in &json_shown {
            notice::json(event);
        }
    }
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
        crate::failure::Kind::from(worst),
        format!(
            "{} of {} sources failed (listed above); fix them and rerun, with --retry-failed \
             for those that failed before",
            failed.len(),
            outcomes.len()
        ),
    ))
}
