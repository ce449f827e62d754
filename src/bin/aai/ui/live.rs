//! The one live line on a terminal's stderr: the upload's progress, then the
//! job's status and age, redrawn in place.
//!
//! The library reports events only while it works on the calling thread, and
//! a poll can be fifteen seconds away (or a request slow, or a retry backing
//! off), so a small ticker thread redraws the line a few times a second: the
//! elapsed time moves even when nothing is reported. The library stays
//! blocking and thread-free; the thread exists only when the line is animated.
//!
//! Every other stderr line goes through [`write_line`] (from `notice`), which
//! erases the live line first, and [`close`] ends it for good before an error is printed, so
//! no message ever lands on a half-drawn line.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How often the ticker redraws the line: often enough that the seconds
/// count without a jump, rarely enough to cost nothing.
const TICK: Duration = Duration::from_millis(200);

/// An upload's progress is redrawn at most this often between ticks.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// The rate is the bytes sent over the last this many seconds: the first
/// burst into the socket buffer and a short stall both fade out of it.
const RATE_WINDOW: Duration = Duration::from_secs(5);

/// No rate is shown before this much of the upload has passed: at first it
/// measures only how fast the kernel takes bytes into its buffer.
const RATE_AFTER: Duration = Duration::from_secs(1);

/// What the live line shows.
pub enum Live {
    Upload(Upload),
    /// Made anew at each draw (a batch's counts and elapsed time).
    Line(Box<dyn Fn() -> String + Send>),
    /// A text whose end matters (a streaming partial turn): a text wider
    /// than the terminal loses its beginning.
    Tail(String),
    Waiting {
        id: String,
        /// `queued`, `throttled`, `processing`, or a status unknown to us.
        status: String,
        since: Instant,
    },
}

/// An upload in progress, with the samples its smoothed rate comes from.
pub struct Upload {
    sent: u64,
    total: Option<u64>,
    /// `(when, bytes sent)`, oldest first, one every [`REDRAW_EVERY`] at most.
    samples: VecDeque<(Instant, u64)>,
    started: Instant,
}

impl Upload {
    pub fn new() -> Upload {
        let now = Instant::now();
        Upload {
            sent: 0,
            total: None,
            samples: VecDeque::from([(now, 0)]),
            started: now,
        }
    }

    pub fn record(&mut self, sent: u64, total: Option<u64>, now: Instant) {
        if sent < self.sent {
            // A retried upload starts again from the first byte.
            *self = Upload::new();
        }
        self.sent = sent;
        self.total = total;
        if self
            .samples
            .back()
            .is_none_or(|(at, _)| now.duration_since(*at) >= REDRAW_EVERY)
        {
            self.samples.push_back((now, sent));
        }
        // Keep one sample older than the window: the rate is measured from it.
        while self.samples.len() > 2 && now.duration_since(self.samples[1].0) > RATE_WINDOW {
            self.samples.pop_front();
        }
    }

    /// Bytes per second over the last [`RATE_WINDOW`], measured up to `now`
    /// so that a stalled upload's rate falls instead of freezing.
    fn rate(&self, now: Instant) -> Option<f64> {
        if now.duration_since(self.started) < RATE_AFTER {
            return None;
        }
        let &(since, base) = self
            .samples
            .iter()
            .rev()
            .find(|(at, _)| now.duration_since(*at) >= RATE_WINDOW)
            .or(self.samples.front())?;
        let seconds = now.duration_since(since).as_secs_f64();
        (seconds > 0.0).then(|| self.sent.saturating_sub(base) as f64 / seconds)
    }

    /// `uploading  42% (120.0 MB of 285.1 MB), 12.3 MB/s, 14s left`.
    pub fn describe(&self, now: Instant) -> String {
        let rate = self.rate(now);
        let mut text = match self.total {
            Some(total) if total > 0 => format!(
                "uploading {:3.0}% ({} of {})",
                self.sent as f64 * 100.0 / total as f64,
                crate::status::size(self.sent),
                crate::status::size(total)
            ),
            _ => format!("uploading {}", crate::status::size(self.sent)),
        };
        if let Some(rate) = rate {
            text.push_str(&format!(", {}/s", crate::status::size(rate as u64)));
            if let (Some(total), true) = (self.total, rate > 0.0) {
                let left = total.saturating_sub(self.sent) as f64 / rate;
                if let Ok(left) = Duration::try_from_secs_f64(left) {
                    text.push_str(&format!(", {} left", clock(left)));
                }
            }
        }
        text
    }

    pub fn sent(&self) -> u64 {
        self.sent
    }

    pub fn took(&self) -> Duration {
        self.started.elapsed()
    }
}

impl Live {
    fn describe(&self, now: Instant) -> String {
        match self {
            Live::Upload(upload) => upload.describe(now),
            Live::Line(make) => make(),
            Live::Tail(text) => format!("… {text}"),
            Live::Waiting { id, status, since } => {
                format!(
                    "transcript {id} is {status} ({})",
                    clock(now.duration_since(*since))
                )
            }
        }
    }
}

struct Screen {
    /// A live line is drawn, without its newline.
    open: bool,
    live: Option<Live>,
    /// The run is over (an error is about to be printed): draw nothing more.
    closed: bool,
    ticking: bool,
    last_draw: Option<Instant>,
    frame: usize,
}

static SCREEN: Mutex<Screen> = Mutex::new(Screen {
    open: false,
    live: None,
    closed: false,
    ticking: false,
    last_draw: None,
    frame: 0,
});

fn screen() -> MutexGuard<'static, Screen> {
    // A panic elsewhere must not silence the reports.
    SCREEN.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Whether stderr can show a line redrawn in place: a terminal, and not one
/// that declares it can't move the cursor (`TERM=dumb`).
pub fn can_animate() -> bool {
    static CAN: OnceLock<bool> = OnceLock::new();
    *CAN.get_or_init(|| {
        io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
    })
}

/// `--color`: 0 auto, 1 always, 2 never; set once, after parsing.
static COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Sets `--color` (`auto`, `always` or `never`).
pub fn set_color(when: &str) {
    let mode = match when {
        "always" => 1,
        "never" => 2,
        _ => 0,
    };
    COLOR.store(mode, std::sync::atomic::Ordering::Relaxed);
}

/// Whether stderr lines get colour: `--color always`, or by default a
/// terminal that takes it without `NO_COLOR` set (no-color.org).
fn colour_on() -> bool {
    match COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => can_animate() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// A stderr line with its `aai: error:` or `aai: warning:` label in colour
/// when [`colour_on`]; as it is otherwise. Colour marks only these.
pub fn paint(line: &str) -> std::borrow::Cow<'_, str> {
    let colour = if !colour_on() {
        None
    } else if line.starts_with("aai: error:") {
        Some(("error", "31"))
    } else if line.starts_with("aai: warning:") {
        Some(("warning", "33"))
    } else {
        None
    };
    match colour {
        Some((label, code)) => {
            let rest = &line["aai: ".len() + label.len()..];
            format!("aai: \x1b[1;{code}m{label}\x1b[0m{rest}").into()
        }
        None => line.into(),
    }
}

/// Shows `live` as the live line from now on, and starts the ticker.
pub fn show(live: Live) {
    let mut screen = screen();
    if screen.closed {
        return;
    }
    screen.live = Some(live);
    draw(&mut screen);
    if !screen.ticking {
        screen.ticking = true;
        // Without a thread the line just stops moving between events.
        let _ = std::thread::Builder::new()
            .name("aai-progress".to_owned())
            .spawn(tick);
    }
}

/// Updates the upload shown, redrawing it at most every [`REDRAW_EVERY`].
pub fn upload_progress(sent: u64, total: Option<u64>) {
    let mut screen = screen();
    let now = Instant::now();
    let Some(Live::Upload(upload)) = &mut screen.live else {
        return;
    };
    upload.record(sent, total, now);
    let due = screen
        .last_draw
        .is_none_or(|at| now.duration_since(at) >= REDRAW_EVERY);
    if due || total == Some(sent) {
        draw(&mut screen);
    }
}

/// Changes the status on the waiting line.
pub fn set_status(new: &str) {
    let mut screen = screen();
    if let Some(Live::Waiting { status, .. }) = &mut screen.live {
        *status = new.to_owned();
        draw(&mut screen);
    }
}

/// Ends the live line: erased, and replaced by the line `text` when given.
pub fn settle(text: Option<&str>) {
    {
        let mut screen = screen();
        screen.live = None;
        erase(&mut screen);
    }
    if let Some(text) = text {
        crate::notice::text_lines(&[&format!("aai: {text}")]);
    }
}

/// Writes whole lines on stderr: the live line, if any, is erased first and
/// comes back at the next tick. Every stderr line comes here, from `notice`.
pub fn write_line(text: &str) {
    let mut screen = screen();
    erase(&mut screen);
    // Nothing useful can be done if stderr itself is gone.
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Erases the live line for good, before the product or an error is printed:
/// nothing is drawn after this.
pub fn close() {
    let mut screen = screen();
    screen.closed = true;
    screen.live = None;
    erase(&mut screen);
}

fn erase(screen: &mut Screen) {
    if screen.open {
        let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        screen.open = false;
    }
}

fn draw(screen: &mut Screen) {
    let Some(live) = &screen.live else {
        return;
    };
    let now = Instant::now();
    screen.frame = screen.frame.wrapping_add(1);
    // The upload's numbers move by themselves; a wait needs a sign of life
    // between the seconds.
    let spinner = match live {
        Live::Waiting { .. } => ["- ", "\\ ", "| ", "/ "][screen.frame / 2 % 4],
        _ => "",
    };
    // Ids and statuses come from the server: shown, never obeyed.
    let described = live.describe(now);
    let prefix = match live {
        Live::Tail(_) => "",
        _ => "aai: ",
    };
    let mut text = format!("{prefix}{spinner}{}", crate::visible::one_line(&described));
    // A line wider than the terminal wraps, and `\r` then redraws only its
    // last part: the rest would pile up above. One column is left free, as
    // some terminals wrap on writing the last one.
    if let Some(width) = terminal_width() {
        let fits = width.saturating_sub(1);
        let count = text.chars().count();
        if count > fits {
            text = match live {
                Live::Tail(_) => {
                    let tail: String = text.chars().skip(count - fits + 2).collect();
                    format!("… {tail}")
                }
                _ => text.chars().take(fits).collect(),
            };
        }
    }
    let _ = write!(io::stderr().lock(), "\r\x1b[2K{text}");
    screen.open = true;
    screen.last_draw = Some(now);
}

fn tick() {
    loop {
        std::thread::sleep(TICK);
        let mut screen = screen();
        if screen.closed {
            return;
        }
        draw(&mut screen);
    }
}

/// The width of the terminal stderr is, if it is one.
pub fn terminal_width() -> Option<usize> {
    width_of(2)
}

/// The width of the terminal stdout is, if it is one (for help).
pub fn stdout_width() -> Option<usize> {
    width_of(1)
}

#[cfg(unix)]
fn width_of(fd: libc::c_int) -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills the `winsize` it is given and nothing else;
    // a failure leaves it zeroed, which is treated as unknown.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

#[cfg(not(unix))]
fn width_of(_fd: i32) -> Option<usize> {
    None
}

/// `42s`, `3m 05s`, `1h 02m`.
pub fn clock(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_only_the_last_seconds_and_falls_when_the_upload_stalls() {
        let mut upload = Upload::new();
        let start = upload.started;
        // A burst of 50 MB into the socket buffer, then 1 MB/s for 10 s.
        upload.record(
            50_000_000,
            Some(100_000_000),
            start + Duration::from_millis(10),
        );
        for second in 1..=10 {
            let at = start + Duration::from_secs(second);
            upload.record(50_000_000 + second * 1_000_000, Some(100_000_000), at);
        }
        let rate = upload.rate(start + Duration::from_secs(10)).unwrap();
        assert!((rate - 1e6).abs() < 1e5, "rate {rate}");
        let stalled = upload.rate(start + Duration::from_secs(13)).unwrap();
        assert!(stalled < rate * 0.5, "stalled rate {stalled}");
    }

    #[test]
    fn no_rate_is_claimed_in_the_first_second() {
        let mut upload = Upload::new();
        let start = upload.started;
        upload.record(
            10_000_000,
            Some(20_000_000),
            start + Duration::from_millis(300),
        );
        assert!(upload.rate(start + Duration::from_millis(500)).is_none());
        let text = upload.describe(start + Duration::from_millis(500));
        assert_eq!(text, "uploading  50% (10.0 MB of 20.0 MB)");
    }

    #[test]
    fn the_time_left_follows_from_the_rate() {
        let mut upload = Upload::new();
        let start = upload.started;
        for second in 1..=6 {
            upload.record(
                second * 2_000_000,
                Some(32_000_000),
                start + Duration::from_secs(second),
            );
        }
        let text = upload.describe(start + Duration::from_secs(6));
        assert_eq!(
            text,
            "uploading  38% (12.0 MB of 32.0 MB), 2.0 MB/s, 10s left"
        );
    }

    #[test]
    fn clocks_read_like_people_say_them() {
        assert_eq!(clock(Duration::from_secs(5)), "5s");
        assert_eq!(clock(Duration::from_secs(185)), "3m 05s");
        assert_eq!(clock(Duration::from_secs(3720)), "1h 02m");
    }
}
