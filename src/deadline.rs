//! One overall time limit shared by every step of a call.

use std::time::{Duration, Instant};

use crate::Error;

/// When a call started and when it must be over, if ever.
///
/// Upload, create and wait each take what is left, so `--timeout 10m` means
/// ten minutes for the whole run, not ten per step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    started: Instant,
    at: Option<Instant>,
}

impl Deadline {
    /// A deadline `limit` from now, or none; a limit beyond what the clock
    /// can represent is no limit.
    pub(crate) fn after(limit: Option<Duration>) -> Self {
        let started = Instant::now();
        Deadline {
            started,
            at: limit.and_then(|limit| started.checked_add(limit)),
        }
    }

    /// A limit at the instant `at`.
    pub(crate) fn until(at: Instant) -> Self {
        Deadline {
            started: Instant::now(),
            at: Some(at),
        }
    }

    /// No limit: for single requests made outside a waiting call.
    pub(crate) fn none() -> Self {
        Deadline::after(None)
    }

    /// Whichever of the two ends first.
    pub(crate) fn earliest(self, other: Deadline) -> Deadline {
        match (self.at, other.at) {
            (Some(mine), Some(theirs)) if theirs < mine => other,
            (None, Some(_)) => other,
            _ => self,
        }
    }

    /// A short time to finish up (a last look) once this limit has passed
    /// or the retries ran out: a tenth of the limit past it, and at most
    /// `most` from now. A caller's `--timeout 2s` is not stretched to
    /// `most` by a server that hangs.
    pub(crate) fn grace(&self, most: Duration) -> Deadline {
        let cap = Instant::now().checked_add(most);
        let at = match self.at {
            None => cap,
            Some(at) => {
                let extra = at.saturating_duration_since(self.started) / 10;
                at.checked_add(extra).into_iter().chain(cap).min()
            }
        };
        Deadline {
            started: self.started,
            at,
        }
    }

    /// Time left, `None` when there is no limit.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Whether the limit has passed.
    pub(crate) fn expired(&self) -> bool {
        self.remaining().is_some_and(|left| left.is_zero())
    }

    /// Whether a pause of `delay` would end after the limit.
    pub(crate) fn cuts_short(&self, delay: Duration) -> bool {
        self.remaining().is_some_and(|left| left <= delay)
    }

    /// `delay`, shortened so it ends at the limit.
    pub(crate) fn clamp(&self, delay: Duration) -> Duration {
        self.remaining().map_or(delay, |left| delay.min(left))
    }

    /// The error reporting that the limit passed while working on `transcript_id`.
    pub(crate) fn timeout_error(&self, transcript_id: Option<&str>) -> Error {
        Error::Timeout {
            transcript_id: transcript_id.map(str::to_owned),
            elapsed: self.started.elapsed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grace_after_a_limit_is_a_tenth_of_it_and_at_most_the_cap() {
        let short = Deadline::after(Some(Duration::from_secs(2))).grace(Duration::from_secs(10));
        let left = short.remaining().unwrap();
        assert!(left <= Duration::from_millis(2200) && left > Duration::from_secs(1));
        let long = Deadline::after(Some(Duration::from_secs(3600))).grace(Duration::from_secs(10));
        assert!(long.remaining().unwrap() <= Duration::from_secs(10));
        let none = Deadline::none().grace(Duration::from_secs(10));
        assert!(none.remaining().unwrap() <= Duration::from_secs(10));
    }

    #[test]
    fn a_limit_beyond_the_clock_is_no_limit() {
        let far = Deadline::after(Some(Duration::MAX));
        assert_eq!(far.remaining(), None);
        assert!(!far.expired());
    }
}
