//! The two timestamp formats the API uses, as seconds since the Unix epoch:
//! just enough to compare them, without a date-time dependency.

/// This machine's clock, for when a reply has no `Date` to go by.
pub(crate) fn local_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Parses an HTTP `Date` header (`Wed, 25 Nov 2026 13:11:19 GMT`).
pub(crate) fn parse_http_date(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace().skip(1);
    let day: i64 = parts.next()?.parse().ok()?;
    let month = month_number(parts.next()?)?;
    let year: i64 = parts.next()?.parse().ok()?;
    let seconds = seconds_of_day(parts.next()?)?;
    Some((days_from_civil(year, month, day) * 86_400) as f64 + seconds)
}

/// Parses the list endpoint's naive timestamps (`2023-11-02T21:49:25.586965`),
/// which are in UTC; a `Z` or an offset (`+02:00`), which the spec does not
/// show but a server could add, is honoured.
pub(crate) fn parse_naive_utc(text: &str) -> Option<f64> {
    let (date, time) = text.split_once('T')?;
    let mut fields = date.splitn(3, '-').map(str::parse::<i64>);
    let (year, month, day) = (
        fields.next()?.ok()?,
        fields.next()?.ok()?,
        fields.next()?.ok()?,
    );
    let time = time.trim_end_matches('Z');
    let (time, offset) = match time.rfind(['+', '-']) {
        Some(at) => (&time[..at], utc_offset(&time[at..])?),
        None => (time, 0.0),
    };
    Some((days_from_civil(year, month, day) * 86_400) as f64 + seconds_of_day(time)? - offset)
}

/// `+02:00`, `-0530` or `+02` as seconds east of UTC.
fn utc_offset(text: &str) -> Option<f64> {
    let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    let hours: f64 = digits.get(..2)?.parse().ok()?;
    let minutes: f64 = match digits.get(2..) {
        Some("") | None => 0.0,
        Some(rest) => rest.parse().ok()?,
    };
    Some(sign * (hours * 3600.0 + minutes * 60.0))
}

/// `13:11:19` or `13:11:19.586965` as seconds since midnight.
fn seconds_of_day(text: &str) -> Option<f64> {
    let mut fields = text.splitn(3, ':');
    let hours: f64 = fields.next()?.parse().ok()?;
    let minutes: f64 = fields.next()?.parse().ok()?;
    let seconds: f64 = fields.next()?.parse().ok()?;
    Some(hours * 3600.0 + minutes * 60.0 + seconds)
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as i64 + 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`). The inputs come from a server, so out-of-range values
/// are clamped where they could overflow; such dates are nonsense anyway and
/// only ever compared.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let (year, month, day) = (year.clamp(0, 9999), month.clamp(1, 12), day.clamp(1, 31));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_agree_on_the_same_instant() {
        let header = parse_http_date("Wed, 25 Nov 2026 13:11:19 GMT").unwrap();
        let listed = parse_naive_utc("2026-11-25T13:11:19.5").unwrap();
        assert_eq!(listed - header, 0.5);
        assert_eq!(parse_naive_utc("1970-01-02T00:00:00"), Some(86_400.0));
        assert_eq!(parse_naive_utc("1970-01-02T02:00:00+02:00"), Some(86_400.0));
        assert_eq!(
            parse_naive_utc("1970-01-01T23:00:00.5-0100"),
            Some(86_400.5)
        );
        assert_eq!(parse_naive_utc("1970-01-02T00:00:00Z"), Some(86_400.0));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777.0)
        );
    }

    #[test]
    fn absurd_dates_do_not_overflow() {
        assert!(parse_naive_utc("99999999999999999-01-01T00:00:00").is_some());
        assert!(parse_http_date("Wed, 99 Foo 99999999999999 99:99:99 GMT").is_none());
        assert!(parse_http_date("Wed, 25 Nov 9223372036854775807 13:11:19 GMT").is_some());
    }

    #[test]
    fn malformed_timestamps_are_none() {
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_naive_utc("2026-11-25"), None);
        assert_eq!(parse_naive_utc("2026-xx-25T00:00:00"), None);
    }
}
