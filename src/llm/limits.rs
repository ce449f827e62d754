//! The LLM Gateway's per-model rate limit, kept on the client's side: one
//! budget per model, shared by every clone of a client, so that many threads
//! (a batch) wait their turn instead of meeting 429s.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::RateLimiter;

/// The gateway's documented limit: 30 requests a minute per model, counted
/// in a 60-second window (docs/llm-gateway/rate-limits; api-2026.md §4.7).
/// `/v1/understanding` has its own 30 a minute (paid accounts).
pub const DOCUMENTED_MODEL_REQUESTS_PER_MINUTE: f64 = 30.0;

/// The budget key of `POST /v1/understanding` (and `/validate`), which the
/// gateway limits apart from the models.
pub(crate) const UNDERSTANDING: &str = "/v1/understanding";

/// One [`RateLimiter`] per model, made on first use.
#[derive(Debug)]
pub(crate) struct ModelLimits {
    per_minute: f64,
    limiters: Mutex<HashMap<String, RateLimiter>>,
}

impl ModelLimits {
    /// Budgets of `per_minute` requests a minute each.
    pub(crate) fn new(per_minute: f64) -> ModelLimits {
        ModelLimits {
            per_minute,
            limiters: Mutex::new(HashMap::new()),
        }
    }

    /// The budget of `model`, shared with every other request to it.
    pub(crate) fn of(&self, model: &str) -> RateLimiter {
        let mut limiters = self
            .limiters
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        limiters
            .entry(model.to_owned())
            .or_insert_with(|| window_safe(self.per_minute))
            .clone()
    }
}

/// A bucket that never lets more than `per_minute` requests into any 60-second
/// window, however the server slides or fixes its window: a burst of one,
/// then `per_minute - 1` a minute, so a window holds at most the one burst
/// token plus a minute's refill. A long run goes at `(n - 1) / n` of the
/// limit (29 of 30 a minute).
fn window_safe(per_minute: f64) -> RateLimiter {
    let per_minute = if per_minute.is_finite() {
        per_minute.max(0.01)
    } else {
        return RateLimiter::new(f64::INFINITY, u32::MAX);
    };
    let refill = if per_minute >= 2.0 {
        per_minute - 1.0
    } else {
        per_minute / 2.0
    };
    RateLimiter::new(refill / 60.0, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;

    #[test]
    fn each_model_has_its_own_budget_shared_by_every_request_to_it() {
        let limits = ModelLimits::new(30.0);
        assert!(limits.of("model-a").acquire(Deadline::none()));
        assert_eq!(limits.of("model-a").requests(), 1);
        assert_eq!(limits.of("model-b").requests(), 0);
        assert!((limits.of("model-b").rate() - 29.0 / 60.0).abs() < 1e-9);
    }

    #[test]
    fn a_second_request_within_the_same_window_must_wait_for_the_refill() {
        let limits = ModelLimits::new(30.0);
        assert!(limits.of("m").acquire(Deadline::none()));
        // The next token comes about two seconds later: a deadline of 100 ms gives up.
        let soon = Deadline::after(Some(std::time::Duration::from_millis(100)));
        assert!(!limits.of("m").acquire(soon));
    }
}
