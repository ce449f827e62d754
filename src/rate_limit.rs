//! One request budget shared by every thread of a client: at most N
//! requests in any window of W seconds (a sliding window, as the API
//! counts), learnt from the server's 429 answers rather than held at a fixed
//! margin below a guess.
//!
//! The budget starts at what the caller says (the account's documented
//! 20,000 per 5 minutes, a share of it, a model's 30 a minute). A 429 means
//! the server's window is fuller than ours says: every request pauses for its
//! `Retry-After`, and the budget is learnt from that answer. The requests the
//! server accepted since the last pause all sit in its window, whose oldest
//! leaves in `Retry-After`: so its window is about "since then, plus
//! `Retry-After`" long and holds about that many requests. Those become the
//! budget, so the run goes on at the server's own pace, not at three quarters
//! of a guess.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::deadline::Deadline;

/// The account's documented limit: 20,000 requests per 5 minutes.
const DOCUMENTED_REQUESTS: u32 = 20_000;
const DOCUMENTED_WINDOW: Duration = Duration::from_secs(300);
/// The share of a budget used: a little room for clocks and for requests the
/// server counts at another moment than this client sends them.
const MARGIN: f64 = 0.98;

/// The pause after a 429 that gave no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause a `Retry-After` imposes on everyone: the documented
/// window. A longer ask fails the request that got it (its retry policy
/// decides), not the whole run.
const MAX_PAUSE: Duration = Duration::from_secs(300);
/// The shortest window learnt: `Retry-After` counts whole seconds.
const MIN_WINDOW: Duration = Duration::from_secs(1);

/// A client-side rate limiter: every request of every client built with it
/// ([`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter))
/// waits for room in the budget first, so many threads share one budget.
///
/// The budget is `requests` in any `window` (sliding). A 429 answer seen by
/// any request pauses all of them for its `Retry-After` (1 s without one),
/// and the budget is learnt from it (see the module's docs): it goes down to
/// what the server showed it takes, never below one request.
///
/// Cheap to clone: clones share the same budget. One limiter per budget the
/// server keeps: the account's, or each model's.
///
/// ```
/// use std::time::Duration;
/// use assemblyai::{Client, RateLimiter};
///
/// // The LLM Gateway's 30 requests a minute of one model.
/// let limiter = RateLimiter::window(30, Duration::from_secs(60));
/// let client = Client::builder("my-key").rate_limiter(limiter.clone()).build()?;
/// assert_eq!(limiter.requests(), 0);
/// assert_eq!(limiter.budget(), (30, Duration::from_secs(60)));
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    requests: AtomicU64,
    throttled: AtomicU64,
}

struct State {
    /// The budget now: at most `limit` sends in any `window`.
    limit: u32,
    window: Duration,
    /// When the last `limit` requests were let through, oldest first.
    sent: VecDeque<Instant>,
    paused_until: Option<Instant>,
    /// The start of what the server's window may hold: the run's first
    /// request, or the first after the last pause.
    epoch: Option<Instant>,
    /// Requests answered (other than 429) since `epoch`.
    accepted: u32,
    /// The budget to come back to after a cut: the last one the server's
    /// answers showed, or the one asked for.
    target: (u32, Duration),
    /// When the budget last changed: a whole window without a 429 since
    /// then lets a cut budget grow back.
    changed: Instant,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("RateLimiter")
            .field("limit", &state.limit)
            .field("window", &state.window)
            .finish_non_exhaustive()
    }
}

impl Default for RateLimiter {
    /// [`RateLimiter::documented`].
    fn default() -> Self {
        RateLimiter::documented()
    }
}

impl RateLimiter {
    /// At most `requests` (at least 1) in any `window` (at least 1 ms).
    pub fn window(requests: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    limit: requests.max(1),
                    window: window.max(Duration::from_millis(1)),
                    sent: VecDeque::new(),
                    paused_until: None,
                    epoch: None,
                    accepted: 0,
                    target: (requests.max(1), window.max(Duration::from_millis(1))),
                    changed: Instant::now(),
                }),
                requests: AtomicU64::new(0),
                throttled: AtomicU64::new(0),
            }),
        }
    }

    /// `burst` requests at once, and `rate` a second over time: `burst`
    /// requests in any `burst / rate` seconds.
    pub fn new(rate: f64, burst: u32) -> RateLimiter {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate.max(0.01)
        } else {
            1e9
        };
        let burst = burst.max(1);
        RateLimiter::window(burst, Duration::from_secs_f64(f64::from(burst) / rate))
    }

    /// The account's documented limit, 20,000 requests per 5 minutes (2 %
    /// kept in reserve), learnt down from the server's answers if it keeps a
    /// shorter window.
    pub fn documented() -> RateLimiter {
        RateLimiter::documented_share(1)
    }

    /// One of `shares` equal parts of [`documented`](Self::documented), for
    /// runs that share an account at the same time (the shards of a batch on
    /// N machines): together they stay within the documented limit.
    pub fn documented_share(shares: u32) -> RateLimiter {
        let share = f64::from(DOCUMENTED_REQUESTS) * MARGIN / f64::from(shares.max(1));
        RateLimiter::window(share as u32, DOCUMENTED_WINDOW)
    }

    /// A steady `rate` requests a second: `rate` (rounded up) in any second.
    pub fn per_second(rate: f64) -> RateLimiter {
        RateLimiter::new(
            rate,
            if rate.is_finite() {
                rate.ceil().clamp(1.0, 1e9) as u32
            } else {
                u32::MAX
            },
        )
    }

    /// Requests let through so far.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// 429 answers seen so far.
    pub fn throttled(&self) -> u64 {
        self.shared.throttled.load(Ordering::Relaxed)
    }

    /// The budget now: requests, and the window they may take.
    pub fn budget(&self) -> (u32, Duration) {
        let state = self.state();
        (state.limit, state.window)
    }

    /// The sustained rate now, per second: the budget over its window.
    pub fn rate(&self) -> f64 {
        let (limit, window) = self.budget();
        f64::from(limit) / window.as_secs_f64()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Waits for room in the budget; `false` when `deadline` would pass first.
    pub(crate) fn acquire(&self, deadline: Deadline) -> bool {
        loop {
            let wait = {
                let mut state = self.state();
                let now = Instant::now();
                match state.paused_until {
                    Some(until) if until > now => until - now,
                    _ => {
                        state.grow_back(now);
                        let window = state.window;
                        while state
                            .sent
                            .front()
                            .is_some_and(|at| now.duration_since(*at) >= window)
                        {
                            state.sent.pop_front();
                        }
                        if state.sent.len() < state.limit as usize {
                            state.sent.push_back(now);
                            state.epoch.get_or_insert(now);
                            self.shared.requests.fetch_add(1, Ordering::Relaxed);
                            return true;
                        }
                        let oldest = state.sent.front().copied().unwrap_or(now);
                        (oldest + window).saturating_duration_since(now)
                    }
                }
            };
            if deadline.cuts_short(wait) {
                return false;
            }
            thread::sleep(wait.max(Duration::from_millis(1)));
        }
    }

    /// A request was answered, not with a 429: the server counted it.
    pub(crate) fn accepted(&self) {
        let mut state = self.state();
        state.accepted = state.accepted.saturating_add(1);
    }

    /// A request was answered 429: pause everyone, and learn the budget.
    pub(crate) fn too_many_requests(&self, retry_after: Option<Duration>) {
        self.shared.throttled.fetch_add(1, Ordering::Relaxed);
        let mut state = self.state();
        let now = Instant::now();
        let pause = retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        let until = now + pause;
        // Requests in flight together meet the limit together: only the
        // first 429 after a pause teaches anything.
        if state.paused_until.is_some_and(|at| at > now) {
            state.paused_until = state.paused_until.map(|at| at.max(until));
            return;
        }
        if let Some(epoch) = state.epoch {
            // What the server holds: what it accepted since `epoch`, in a
            // window from `epoch` to when its oldest leaves.
            let window = (until - epoch).clamp(MIN_WINDOW, MAX_PAUSE.max(state.window));
            let held = (f64::from(state.accepted) * MARGIN).floor().max(1.0) as u32;
            let learnt_rate = f64::from(held) / window.as_secs_f64();
            let rate = state.rate();
            if learnt_rate >= rate / 2.0 {
                // Evidence of the server's budget: its window, and at most
                // what it held in it (nor more than the pace asked for);
                // kept to, and come back to after cuts.
                let asked = (rate * window.as_secs_f64()).floor().max(1.0) as u32;
                state.limit = held.min(asked);
                state.window = window;
                state.target = (state.limit, state.window);
            } else {
                // A 429 far below the pace the server took so far (a burst
                // of other clients, a fault): halve, and grow back once
                // windows pass without one.
                state.limit = (state.limit / 2).max(1);
            }
        }
        state.changed = until;
        state.paused_until = Some(until);
        // The server's window starts afresh for what is sent after the pause.
        state.epoch = Some(until);
        state.accepted = 0;
        // What was sent stays counted, within the budget learnt: the server
        // holds some of it still.
        while state.sent.len() > state.limit as usize {
            state.sent.pop_front();
        }
    }
}

impl State {
    fn rate(&self) -> f64 {
        f64::from(self.limit) / self.window.as_secs_f64()
    }

    /// After a whole window without a 429, a cut budget doubles, up to its
    /// target.
    fn grow_back(&mut self, now: Instant) {
        if now.saturating_duration_since(self.changed) < self.window {
            return;
        }
        self.changed = now;
        let (limit, window) = self.target;
        let target_rate = f64::from(limit) / window.as_secs_f64();
        let rate = self.rate();
        if rate >= target_rate {
            return;
        }
        if rate * 2.0 >= target_rate {
            (self.limit, self.window) = (limit, window);
        } else {
            self.limit = self.limit.saturating_mul(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_goes_at_once_then_waits_for_its_window() {
        let limiter = RateLimiter::window(5, Duration::from_millis(100));
        for _ in 0..5 {
            assert!(limiter.acquire(Deadline::none()));
        }
        // A sixth can't go before the first leaves the window.
        let short = Deadline::after(Some(Duration::from_millis(20)));
        assert!(!limiter.acquire(short));
        assert!(limiter.acquire(Deadline::none()));
        assert_eq!(limiter.requests(), 6);
    }

    #[test]
    fn a_429_pauses_everyone_and_teaches_the_server_s_budget() {
        let limiter = RateLimiter::window(1000, Duration::from_secs(30));
        for _ in 0..40 {
            assert!(limiter.acquire(Deadline::none()));
            limiter.accepted();
        }
        // The server took 40 and says its oldest leaves in 2 s: 39 (with the
        // margin) in about 2 s.
        limiter.too_many_requests(Some(Duration::from_secs(2)));
        limiter.too_many_requests(Some(Duration::from_secs(2)));
        let (limit, window) = limiter.budget();
        assert_eq!(limit, 39);
        assert!(
            window >= Duration::from_secs(2) && window < Duration::from_secs(3),
            "{window:?}"
        );
        assert_eq!(limiter.throttled(), 2);
        let short = Deadline::after(Some(Duration::from_millis(100)));
        assert!(!limiter.acquire(short), "the pause holds every request");
    }

    #[test]
    fn a_429_far_below_the_pace_so_far_halves_the_budget_which_grows_back() {
        let limiter = RateLimiter::window(100, Duration::from_millis(200));
        assert!(limiter.acquire(Deadline::none()));
        limiter.accepted();
        // One request taken, then a 429: a fault or another client, not the
        // server's budget (which took 100 in 200 ms before).
        limiter.too_many_requests(Some(Duration::ZERO));
        assert_eq!(limiter.budget().0, 50);
        std::thread::sleep(Duration::from_millis(250));
        assert!(limiter.acquire(Deadline::none()));
        assert_eq!(limiter.budget(), (100, Duration::from_millis(200)));
    }

    #[test]
    fn a_wait_past_the_deadline_gives_up() {
        let limiter = RateLimiter::per_second(0.01);
        assert!(limiter.acquire(Deadline::none()));
        let deadline = Deadline::after(Some(Duration::from_millis(10)));
        assert!(!limiter.acquire(deadline));
    }
}
