//! "3 minutes ago": a transcript's `created` time as people read it, for
//! `aai list` on a terminal.

use std::time::{SystemTime, UNIX_EPOCH};

/// `created` (`2026-12-07T21:40:43.624716`, UTC, as the API lists it) as
/// time before `now`; `None` when it is not such a time.
pub fn ago(created: &str, now: SystemTime) -> Option<String> {
    let then = unix_seconds(created)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    let seconds = now - then;
    Some(match seconds {
        s if s < 0 => "just now".to_owned(),
        s if s < 60 => "just now".to_owned(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    })
}

fn plural(count: i64, unit: &str) -> String {
    match count {
        1 => format!("1 {unit} ago"),
        n => format!("{n} {unit}s ago"),
    }
}

/// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.frac][Z|+00:00]`.
fn unix_seconds(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', ' '])?;
    let mut date = date.split('-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let time = time.trim_end_matches('Z').split(['+', '.']).next()?;
    let mut time = time.split(':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (time.next()??, time.next()??, time.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_read_as_people_say_them() {
        let created = "2026-12-07T21:40:43.624716";
        let at = |seconds: u64| UNIX_EPOCH + Duration::from_secs(seconds);
        let then = unix_seconds(created).unwrap() as u64;
        assert_eq!(ago(created, at(then + 5)).unwrap(), "just now");
        assert_eq!(ago(created, at(then + 61)).unwrap(), "1 minute ago");
        assert_eq!(ago(created, at(then + 7300)).unwrap(), "2 hours ago");
        assert_eq!(ago(created, at(then + 3 * 86_400)).unwrap(), "3 days ago");
        assert_eq!(ago("not a time", at(then)), None);
    }

    #[test]
    fn the_epoch_and_a_leap_day_are_counted_right() {
        assert_eq!(unix_seconds("1970-01-01T00:00:00"), Some(0));
        assert_eq!(unix_seconds("2024-03-01T00:00:00Z"), Some(1_709_251_200));
    }
}
