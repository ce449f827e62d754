//! When and how long to wait before sending a failed request again.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use std::thread;

use crate::deadline::Deadline;
use crate::event::Event;
use crate::{Client, Error};

/// How the client retries requests that failed for reasons unrelated to the
/// request itself: dropped connections, timeouts, 429, 500, 502, 503, 504.
///
/// Backoff is exponential with full jitter, so many clients failing together
/// do not come back together; a `Retry-After` header on 429 and 503 is
/// honoured instead of the backoff. All waiting stays inside the caller's
/// overall deadline, if it set one.
///
/// What is retried depends on what is safe for the endpoint: reads and deletes
/// on any transient failure; uploads only when the source can be read again (a
/// file can, a one-shot stream can't); creating a transcript only when the
/// request provably did not start a job, and otherwise only after checking that
/// no job was started, so one input is never billed twice.
///
/// ```
/// use std::time::Duration;
/// use assemblyai::{Client, RetryPolicy};
///
/// let patient = RetryPolicy::default().max_attempts(8).max_backoff(Duration::from_secs(120));
/// let client = Client::builder("my-key").retry(patient).build()?;
/// let impatient = Client::builder("my-key").retry(RetryPolicy::none()).build()?;
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first time included.
    /// Defaults to 5; 1 switches retries off.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each attempt.
    /// Defaults to 500 ms.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts, and the longest `Retry-After`
    /// the client will honour: a server asking for a longer pause gets the
    /// error back instead of a silent wait. Defaults to 60 s.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that sends every request once.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Sets [`max_attempts`](Self::max_attempts) (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The pause before attempt number `attempt + 1`, given that attempt
    /// `attempt` (1-based) failed with `error`; `None` when the policy says to
    /// stop.
    pub(crate) fn delay_after(&self, attempt: u32, error: &Error) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        if let Some(asked) = error.retry_after() {
            return (asked <= self.max_backoff).then_some(asked);
        }
        Some(self.backoff(attempt))
    }

    /// Exponential backoff with full jitter: a random pause between half and
    /// all of `initial * 2^(attempt-1)`, capped at `max_backoff`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        ceiling.mul_f64(0.5 + 0.5 * random_unit())
    }
}

impl Client {
    /// Pauses before attempt `attempt + 1` as the policy says, after telling
    /// the observer; `false`, without pausing, when the policy gives up or the
    /// pause would outlast the deadline.
    pub(crate) fn back_off(&self, attempt: u32, error: &Error, deadline: Deadline) -> bool {
        let Some(delay) = self.shared.retry.delay_after(attempt, error) else {
            return false;
        };
        if deadline.cuts_short(delay) {
            return false;
        }
        self.emit(Event::Retrying {
            error,
            attempt,
            delay,
        });
        thread::sleep(delay);
        true
    }
}

/// A random number in [0, 1), good enough for jitter: std's `RandomState` is
/// seeded randomly per instance, which spares a dependency on `rand`.
fn random_unit() -> f64 {
    let bits = RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error() -> Error {
        Error::Api {
            status: 500,
            message: String::new(),
            transcript_id: None,
            retry_after: None,
            request_id: None,
        }
    }

    #[test]
    fn backoff_doubles_within_jitter_and_stops_at_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(5),
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4));
            assert!(policy.backoff(9) <= Duration::from_secs(5));
        }
    }

    #[test]
    fn retry_after_is_honoured_unless_longer_than_the_cap() {
        let policy = RetryPolicy::default();
        let asked = |secs| Error::Api {
            status: 429,
            message: String::new(),
            transcript_id: None,
            retry_after: Some(Duration::from_secs(secs)),
            request_id: None,
        };
        assert_eq!(
            policy.delay_after(1, &asked(7)),
            Some(Duration::from_secs(7))
        );
        assert_eq!(policy.delay_after(1, &asked(3600)), None);
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default().max_attempts(3);
        assert!(policy.delay_after(2, &server_error()).is_some());
        assert!(policy.delay_after(3, &server_error()).is_none());
        assert!(
            RetryPolicy::none()
                .delay_after(1, &server_error())
                .is_none()
        );
    }
}
