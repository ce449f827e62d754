//! Waiting for a transcript to finish: a poll schedule that notices completion
//! quickly without hammering the API, inside an optional overall deadline.

use std::thread;
use std::time::{Duration, Instant};

use crate::deadline::Deadline;
use crate::event::Event;
use crate::{Client, Error, Result, Transcript, TranscriptStatus};

/// How long to wait and how often to look; used by
/// [`Client::wait_for_transcript`] and [`Client::transcribe`].
///
/// ```
/// use std::time::Duration;
/// use assemblyai::{PollSchedule, WaitOptions};
///
/// let options = WaitOptions::default()
///     .timeout(Duration::from_secs(600))
///     .poll(PollSchedule::fixed(Duration::from_secs(3)));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The overall limit on the call; for [`Client::transcribe`] it covers the
    /// upload and creation too. When it passes the call fails with
    /// [`Error::Timeout`] carrying the transcript id, and the job keeps running
    /// on the server. Defaults to no limit.
    pub timeout: Option<Duration>,
    /// When to poll. Defaults to [`PollSchedule::default`].
    pub poll: PollSchedule,
}

impl WaitOptions {
    /// Sets [`timeout`](Self::timeout).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`poll`](Self::poll).
    #[must_use]
    pub fn poll(mut self, schedule: PollSchedule) -> Self {
        self.poll = schedule;
        self
    }
}

/// When to ask for a transcript's status again.
///
/// The pause between two polls is a fraction of the time waited so far,
/// kept between a floor and a ceiling: with the defaults (10 %, 1 s, 15 s) a
/// job is polled every second for its first ten seconds, then every 10 % of
/// its age, so completion is noticed within max(1 s, 10 % of the wait), and a
/// long job costs a few dozen requests rather than one every 3 seconds.
///
/// ```
/// use std::time::Duration;
/// use assemblyai::PollSchedule;
///
/// let schedule = PollSchedule::default();
/// assert_eq!(schedule.interval(Duration::from_secs(2)), Duration::from_secs(1));
/// assert_eq!(schedule.interval(Duration::from_secs(40)), Duration::from_secs(4));
/// assert_eq!(schedule.interval(Duration::from_secs(3600)), Duration::from_secs(15));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PollSchedule {
    /// The shortest pause between polls. Defaults to 1 s; never less than
    /// 10 ms whatever is set, so a zero can't turn the wait into a busy loop
    /// against the API.
    pub min_interval: Duration,
    /// The longest pause between polls. Defaults to 15 s.
    pub max_interval: Duration,
    /// The pause as a fraction of the time waited so far. Defaults to 0.1.
    pub elapsed_fraction: f64,
}

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            elapsed_fraction: 0.1,
        }
    }
}

impl PollSchedule {
    /// The same pause every time, as AssemblyAI's own SDKs do (3 s).
    pub fn fixed(interval: Duration) -> Self {
        PollSchedule {
            min_interval: interval,
            max_interval: interval,
            elapsed_fraction: 0.0,
        }
    }

    /// Sets [`min_interval`](Self::min_interval).
    #[must_use]
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    /// Sets [`max_interval`](Self::max_interval).
    #[must_use]
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Sets [`elapsed_fraction`](Self::elapsed_fraction).
    #[must_use]
    pub fn elapsed_fraction(mut self, fraction: f64) -> Self {
        self.elapsed_fraction = fraction;
        self
    }

    /// The pause before the next poll, after waiting `elapsed` so far.
    pub fn interval(&self, elapsed: Duration) -> Duration {
        let floor = self.min_interval.max(SHORTEST_POLL_INTERVAL);
        let ceiling = self.max_interval.max(floor);
        let scaled = Duration::try_from_secs_f64(elapsed.as_secs_f64() * self.elapsed_fraction)
            .unwrap_or(ceiling);
        scaled.clamp(floor, ceiling)
    }
}

/// The floor under any [`PollSchedule`]'s pause.
const SHORTEST_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How many unreadable replies in a row the wait tolerates: one may be a
/// hiccup of a proxy, a series means something is wrong for good.
const UNREADABLE_REPLIES_TOLERATED: u32 = 5;

impl Client {
    /// Polls a transcript until it is `completed`, and returns it.
    ///
    /// Transient failures while polling (network errors, 429, 5xx) never
    /// abandon the job: the wait goes on until the deadline. Each status change
    /// is reported as [`Event::StatusChanged`] to the observer set with
    /// [`Client::with_observer`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use assemblyai::{Client, Error, WaitOptions};
    ///
    /// let client = Client::from_env()?;
    /// let options = WaitOptions::default().timeout(Duration::from_secs(300));
    /// match client.wait_for_transcript("5551722-f677-48a6-9287-39c0aafd9ac1", &options) {
    ///     Ok(transcript) => println!("{}", transcript.text.unwrap_or_default()),
    ///     Err(Error::Timeout { .. }) => eprintln!("still running; try again later"),
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::TranscriptFailed`] when the job ends in `status: "error"`,
    /// [`Error::Timeout`] when the deadline passes first (the job goes on),
    /// and errors that retrying cannot fix (401, 404, an invalid id).
    pub fn wait_for_transcript(&self, id: &str, options: &WaitOptions) -> Result<Transcript> {
        self.wait_within(id, options, Deadline::after(options.timeout), None)
    }

    /// The waiting loop. `known` is the transcript as last seen, if any (a
    /// job fresh from `create`), in which case the first poll waits a little.
    pub(crate) fn wait_within(
        &self,
        id: &str,
        options: &WaitOptions,
        deadline: Deadline,
        known: Option<Transcript>,
    ) -> Result<Transcript> {
        let deadline = self.bounded(deadline);
        let started = Instant::now();
        let mut pause_first = known.is_some();
        // The state the job was created in (queued, or throttled by the
        // account's concurrency limit) is its first status: told as such.
        if let Some(transcript) = &known {
            self.emit(Event::StatusChanged { transcript });
        }
        let mut last_status = known.as_ref().map(seen);
        let mut latest = known;
        let mut failures = PollFailures::default();
        // The pause after a failed poll, which honours the server's
        // Retry-After even when the request's own retries are spent.
        let mut pause_after_error = None;
        loop {
            if let Some(transcript) = latest.take() {
                match transcript.status {
                    TranscriptStatus::Completed => return Ok(transcript),
                    TranscriptStatus::Error => return Err(self.failed(transcript)),
                    _ => {}
                }
            }
            if pause_first {
                let pause = pause_after_error
                    .take()
                    .unwrap_or_else(|| options.poll.interval(started.elapsed()));
                thread::sleep(deadline.clamp(pause));
                if deadline.expired() {
                    return Err(deadline.timeout_error(Some(id)));
                }
            }
            pause_first = true;
            let error = match self.get_transcript_within(id, deadline) {
                Ok(transcript) => {
                    failures = PollFailures::default();
                    if last_status.as_ref() != Some(&seen(&transcript)) {
                        self.emit(Event::StatusChanged {
                            transcript: &transcript,
                        });
                        last_status = Some(seen(&transcript));
                    }
                    latest = Some(transcript);
                    continue;
                }
                Err(error) => error,
            };
            let interval = options.poll.interval(started.elapsed());
            pause_after_error = Some(self.after_failed_poll(&mut failures, error, interval, id)?);
        }
    }

    /// Decides what a failed poll means: a pause before the next poll (and
    /// an [`Event::Retrying`]) when the failure is transient, or the error
    /// to return.
    pub(crate) fn after_failed_poll(
        &self,
        failures: &mut PollFailures,
        error: Error,
        interval: Duration,
        id: &str,
    ) -> Result<Duration> {
        failures.consecutive += 1;
        let transient = match &error {
            Error::Timeout { .. } => false,
            Error::InvalidResponse { .. } => {
                failures.unreadable += 1;
                failures.unreadable <= UNREADABLE_REPLIES_TOLERATED
            }
            other => other.is_retryable(),
        };
        if !transient {
            return Err(error.with_transcript_id(id));
        }
        // The server's pause is honoured up to the policy's cap, as for any
        // request: a 429 asking for days must not stall the wait for days.
        let asked = error.retry_after().unwrap_or_default();
        let delay = interval.max(asked.min(self.shared.retry.max_backoff));
        self.emit(Event::Retrying {
            error: &error,
            attempt: failures.consecutive,
            delay,
        });
        Ok(delay)
    }
}

/// Failed polls since the last good one.
#[derive(Debug, Default)]
pub(crate) struct PollFailures {
    consecutive: u32,
    unreadable: u32,
}

/// What a status change is: a new status, or a queued job that became (or
/// stopped being) throttled by the account's concurrency limit, which is
/// worth telling a user who wonders why nothing moves.
fn seen(transcript: &Transcript) -> (TranscriptStatus, bool) {
    (
        transcript.status.clone(),
        transcript.throttled == Some(true),
    )
}

impl Client {
    /// The error for a transcript that ended in `status: "error"`, its
    /// message redacted like any other text from the server.
    fn failed(&self, transcript: Transcript) -> Error {
        Error::TranscriptFailed {
            message: self.redact(
                transcript
                    .error
                    .filter(|message| !message.trim().is_empty())
                    .unwrap_or_else(|| "the API gave no reason".to_owned()),
            ),
            id: transcript.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_grows_with_the_wait_between_floor_and_ceiling() {
        let schedule = PollSchedule::default();
        assert_eq!(schedule.interval(Duration::ZERO), Duration::from_secs(1));
        assert_eq!(
            schedule.interval(Duration::from_secs(30)),
            Duration::from_secs(3)
        );
        assert_eq!(
            schedule.interval(Duration::from_secs(1000)),
            Duration::from_secs(15)
        );
    }

    #[test]
    fn no_schedule_polls_in_a_busy_loop() {
        let zero = PollSchedule::fixed(Duration::ZERO);
        assert_eq!(zero.interval(Duration::ZERO), SHORTEST_POLL_INTERVAL);
    }

    #[test]
    fn a_fixed_schedule_never_changes() {
        let schedule = PollSchedule::fixed(Duration::from_secs(3));
        assert_eq!(schedule.interval(Duration::ZERO), Duration::from_secs(3));
        assert_eq!(
            schedule.interval(Duration::from_secs(500)),
            Duration::from_secs(3)
        );
    }
}
