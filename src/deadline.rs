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
    fn a_limit_beyond_the_clock_is_no_limit() {
        let far = Deadline::after(Some(Duration::MAX));
        assert_eq!(far.remaining(), None);
        assert!(!far.expired());
    }
}
