//! One request budget shared by every thread of a client: a token bucket
//! kept under the account's rate limit, that a 429 seen by any request slows
//! for all of them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::deadline::Deadline;

/// The account's documented limit: 20,000 requests per 5 minutes.
const DOCUMENTED_REQUESTS: f64 = 20_000.0;
const DOCUMENTED_WINDOW_SECONDS: f64 = 300.0;

/// The default sustained rate, 50 requests a second (15,000 per 5 minutes).
const DEFAULT_RATE: f64 = 50.0;
/// The default burst: with it, any 5-minute window holds at most
/// 4,000 + 300 s × 50/s = 19,000 requests, 5 % under the documented 20,000,
/// while a batch of a thousand short files goes at full speed.
const DEFAULT_BURST: f64 = 4_000.0;

// Any 5-minute window stays 5 % under the documented limit.
const _: () =
    assert!(DEFAULT_BURST + DEFAULT_RATE * DOCUMENTED_WINDOW_SECONDS <= 0.95 * DOCUMENTED_REQUESTS);

/// The pause after a 429 that gave no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause a `Retry-After` imposes on everyone: the documented
/// window. A longer ask fails the request that got it (its retry policy
/// decides), not the whole run.
const MAX_PAUSE: Duration = Duration::from_secs(300);
/// A second 429 this soon after the first means the sustained rate itself is
/// too high for the server, not only the burst.
const REPEAT_WINDOW: Duration = Duration::from_secs(10);
/// How much a repeated 429 cuts the rate.
const CUT: f64 = 0.75;
/// The lowest rate a run of 429s can push the limiter to, per second.
const FLOOR: f64 = 0.5;
/// How much of the ceiling each request sent wins back after a cut: a
/// thousand requests restore the whole rate.
const RECOVERY: f64 = 0.001;

/// A client-side rate limiter: every request of every client built with it
/// ([`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter))
/// waits for a token first, so many threads share one budget.
///
/// The budget is a token bucket: `burst` requests may go at once, then
/// `rate` per second. A 429 answer seen by any request pauses all of them for
/// its `Retry-After` (1 s without one) and empties the bucket, whose burst
/// shrinks to one second's worth: the server evidently counts in a shorter
/// window than the documented one. A second 429 within 10 s cuts the rate by
/// a quarter; each request sent afterwards wins a little of it back.
///
/// Cheap to clone: clones share the same budget.
///
/// ```
/// use assemblyai::{Client, RateLimiter};
///
/// let limiter = RateLimiter::per_second(10.0);
/// let client = Client::builder("my-key").rate_limiter(limiter.clone()).build()?;
/// assert_eq!(limiter.requests(), 0);
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

struct Shared {
    bucket: Mutex<Bucket>,
    requests: AtomicU64,
    throttled: AtomicU64,
}

struct Bucket {
    /// The rate asked for, per second; `rate` returns to it after cuts.
    ceiling: f64,
    rate: f64,
    capacity: f64,
    tokens: f64,
    refilled: Instant,
    paused_until: Option<Instant>,
    last_throttled: Option<Instant>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bucket = self.bucket();
        f.debug_struct("RateLimiter")
            .field("rate", &bucket.rate)
            .field("capacity", &bucket.capacity)
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
    /// `burst` requests at once, then `rate` per second (both at least 1 and
    /// 0.01 respectively).
    pub fn new(rate: f64, burst: u32) -> RateLimiter {
        let rate = if rate.is_finite() {
            rate.max(0.01)
        } else {
            1e9
        };
        let capacity = f64::from(burst.max(1));
        RateLimiter {
            shared: Arc::new(Shared {
                bucket: Mutex::new(Bucket {
                    ceiling: rate,
                    rate,
                    capacity,
                    tokens: capacity,
                    refilled: Instant::now(),
                    paused_until: None,
                    last_throttled: None,
                }),
                requests: AtomicU64::new(0),
                throttled: AtomicU64::new(0),
            }),
        }
    }

    /// Within the account's documented limit (20,000 requests per 5 minutes)
    /// with a 5 % margin: bursts of 4,000, then 50 a second.
    pub fn documented() -> RateLimiter {
        RateLimiter::new(DEFAULT_RATE, DEFAULT_BURST as u32)
    }

    /// One of `shares` equal parts of [`documented`](Self::documented), for
    /// runs that share an account at the same time (the shards of a batch on
    /// N machines): together they stay within the documented limit.
    pub fn documented_share(shares: u32) -> RateLimiter {
        let shares = f64::from(shares.max(1));
        RateLimiter::new(DEFAULT_RATE / shares, (DEFAULT_BURST / shares) as u32)
    }

    /// A steady `rate` requests a second, with a burst of one second's worth.
    pub fn per_second(rate: f64) -> RateLimiter {
        let burst = if rate.is_finite() { rate.ceil() } else { 1e9 };
        RateLimiter::new(rate, burst.clamp(1.0, u32::MAX as f64) as u32)
    }

    /// Requests let through so far.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// 429 answers seen so far.
    pub fn throttled(&self) -> u64 {
        self.shared.throttled.load(Ordering::Relaxed)
    }

    /// The sustained rate now, per second: lower than asked for after 429s.
    pub fn rate(&self) -> f64 {
        self.bucket().rate
    }

    fn bucket(&self) -> MutexGuard<'_, Bucket> {
        self.shared
            .bucket
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Waits for a token; `false` when `deadline` would pass first.
    pub(crate) fn acquire(&self, deadline: Deadline) -> bool {
        loop {
            let wait = {
                let mut bucket = self.bucket();
                let now = Instant::now();
                match bucket.paused_until {
                    Some(until) if until > now => until - now,
                    _ => {
                        bucket.refill(now);
                        if bucket.tokens >= 1.0 {
                            bucket.tokens -= 1.0;
                            bucket.rate =
                                (bucket.rate + bucket.ceiling * RECOVERY).min(bucket.ceiling);
                            self.shared.requests.fetch_add(1, Ordering::Relaxed);
                            return true;
                        }
                        Duration::from_secs_f64((1.0 - bucket.tokens) / bucket.rate)
                    }
                }
            };
            if deadline.cuts_short(wait) {
                return false;
            }
            thread::sleep(wait);
        }
    }

    /// A request was answered 429: pause everyone.
    pub(crate) fn too_many_requests(&self, retry_after: Option<Duration>) {
        self.shared.throttled.fetch_add(1, Ordering::Relaxed);
        let mut bucket = self.bucket();
        let now = Instant::now();
        let until = now + retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        // Requests in flight together meet the same limit together: only a
        // 429 to a request sent after the last pause ended says the rate
        // itself is too high.
        let pausing = bucket.paused_until.is_some_and(|at| at > now);
        if !pausing
            && bucket
                .last_throttled
                .is_some_and(|at| now.duration_since(at) < REPEAT_WINDOW)
        {
            bucket.rate = (bucket.rate * CUT).max(FLOOR.min(bucket.ceiling));
        }
        bucket.paused_until = Some(bucket.paused_until.map_or(until, |at| at.max(until)));
        bucket.last_throttled = Some(now);
        // The server's window is shorter than the documented one: bursts of
        // more than a second's worth are what it refuses.
        bucket.capacity = bucket.capacity.min(bucket.rate.max(1.0));
        bucket.tokens = 0.0;
        bucket.refilled = now;
    }
}

impl Bucket {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.refilled = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_goes_at_once_then_the_rate_holds() {
        let limiter = RateLimiter::new(100.0, 5);
        let started = Instant::now();
        for _ in 0..5 {
            assert!(limiter.acquire(Deadline::none()));
        }
        assert!(started.elapsed() < Duration::from_millis(5));
        for _ in 0..5 {
            assert!(limiter.acquire(Deadline::none()));
        }
        // Five more tokens at 100/s take about 50 ms.
        assert!(started.elapsed() >= Duration::from_millis(40));
        assert_eq!(limiter.requests(), 10);
    }

    #[test]
    fn a_429_pauses_every_request_and_a_later_one_cuts_the_rate() {
        let limiter = RateLimiter::new(100.0, 1000);
        limiter.too_many_requests(Some(Duration::from_millis(50)));
        // Requests that were in flight together meet the limit together:
        // their 429s during the pause don't cut the rate.
        limiter.too_many_requests(Some(Duration::from_millis(50)));
        let started = Instant::now();
        assert!(limiter.acquire(Deadline::none()));
        assert!(started.elapsed() >= Duration::from_millis(45));
        assert_eq!(limiter.rate(), 100.0);
        // A request sent after the pause and refused too: the rate is too high.
        limiter.too_many_requests(Some(Duration::ZERO));
        assert!(limiter.rate() < 100.0);
        assert_eq!(limiter.throttled(), 3);
    }

    #[test]
    fn a_wait_past_the_deadline_gives_up() {
        let limiter = RateLimiter::new(0.01, 1);
        assert!(limiter.acquire(Deadline::none()));
        let deadline = Deadline::after(Some(Duration::from_millis(10)));
        assert!(!limiter.acquire(deadline));
    }
}
