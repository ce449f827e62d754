//! The account's request rate limit: a sliding window over every request, whatever its key.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub(super) struct RateLimit {
    max: u32,
    window: Duration,
    /// When each admitted request inside the window arrived, oldest first.
    admitted: VecDeque<Instant>,
}

impl RateLimit {
    pub fn new(max: u32, window: Duration) -> RateLimit {
        RateLimit {
            max,
            window,
            admitted: VecDeque::new(),
        }
    }

    /// Admits a request arriving `now`, or says in how many whole seconds (at least 1, as
    /// `Retry-After` can't say less) the oldest admitted one leaves the window.
    pub fn admit(&mut self, now: Instant) -> Result<(), u64> {
        while let Some(&oldest) = self.admitted.front() {
            if now.saturating_duration_since(oldest) < self.window {
                break;
            }
            self.admitted.pop_front();
        }
        if self.admitted.len() < self.max as usize {
            self.admitted.push_back(now);
            return Ok(());
        }
        Err(self.wait(now))
    }

    /// How many more requests the window admits now (after the last `admit`).
    pub fn remaining(&self) -> u32 {
        self.max.saturating_sub(self.admitted.len() as u32)
    }

    /// The limit.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// Whole seconds (at least 1) until the oldest admitted request leaves the window.
    pub fn wait(&self, now: Instant) -> u64 {
        let oldest = self.admitted.front().copied().unwrap_or(now);
        let wait = self
            .window
            .saturating_sub(now.saturating_duration_since(oldest));
        wait.as_secs_f64().ceil().max(1.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_until_the_oldest_request_leaves_the_window() {
        let start = Instant::now();
        let mut rate = RateLimit::new(2, Duration::from_secs(10));
        assert_eq!(rate.admit(start), Ok(()));
        assert_eq!(rate.admit(start + Duration::from_secs(4)), Ok(()));
        assert_eq!(rate.admit(start + Duration::from_secs(5)), Err(5));
        assert_eq!(rate.admit(start + Duration::from_millis(9_900)), Err(1));
        assert_eq!(rate.admit(start + Duration::from_secs(10)), Ok(()));
        assert_eq!(rate.admit(start + Duration::from_secs(11)), Err(3));
    }
}
