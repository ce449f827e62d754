//! Durations as people read them in messages: `250ms`, `4.2s`, `1m 30s`.

use std::time::Duration;

/// Formats a duration for messages: `250ms`, `4.2s`, `1m 30s`, `2h 5m`.
pub(crate) fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 3600 {
        format!("{}h {}m", secs / 3600, secs % 3600 / 60)
    } else if secs >= 60 {
        format!("{}m {}s", secs / 60, secs % 60)
    } else if d.as_millis() >= 1000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// The longest span a server's number is taken to mean: far beyond any
/// session, job or pause, and far below what `Duration` and `Instant`
/// arithmetic can hold.
const LONGEST_FROM_SERVER: f64 = 100.0 * 365.0 * 24.0 * 3600.0;

/// A server's count of seconds as a `Duration`, when it is one: finite, not
/// negative, and under a century. `Duration::from_secs_f64` panics on
/// anything else, and a reply must never abort the process (a `Termination`
/// saying `1e300` did).
pub(crate) fn from_server_seconds(seconds: f64) -> Option<Duration> {
    if !(0.0..=LONGEST_FROM_SERVER).contains(&seconds) {
        return None;
    }
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_for_people() {
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_millis(4200)), "4.2s");
        assert_eq!(human(Duration::from_secs(90)), "1m 30s");
        assert_eq!(human(Duration::from_secs(7500)), "2h 5m");
    }

    #[test]
    fn only_a_plausible_number_of_seconds_from_a_server_becomes_a_duration() {
        assert_eq!(from_server_seconds(1.5), Some(Duration::from_millis(1500)));
        for absurd in [1e300, f64::INFINITY, f64::NAN, -1.0, f64::MAX] {
            assert_eq!(from_server_seconds(absurd), None, "{absurd}");
        }
    }
}
