//! UTC calendar dates from Unix time, for signatures (no time zone data needed).

/// `(year, month, day, hour, minute, second)` in UTC.
pub fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// `YYYY-MM-DD` (Tencent Cloud's credential scope date).
pub fn date(unix: i64) -> String {
    let (y, m, d, ..) = civil(unix);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` (Alibaba Cloud's `Timestamp` and `x-acs-date`).
pub fn iso8601(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The weekday of a Unix time (1970-01-01 was a Thursday).
fn weekday(unix: i64) -> &'static str {
    WEEKDAYS[unix.div_euclid(86_400).rem_euclid(7) as usize]
}

/// `Tue, 14 Nov 2023 22:13:20 GMT` (RFC 7231's IMF-fixdate; Simple Log Service's `date`).
pub fn http_date(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    let month = MONTHS[(mo - 1) as usize];
    format!(
        "{}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT",
        weekday(unix)
    )
}

/// Parses [`http_date`]'s format back to Unix time (the weekday must be the date's).
pub fn parse_http_date(s: &str) -> Option<i64> {
    let (named, rest) = s.split_once(", ")?;
    let mut parts = rest.split(' ');
    let (d, mo, y, hms, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || d.len() != 2 || y.len() != 4 || hms.len() != 8 {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == mo)? as u32 + 1;
    let n = |r: std::ops::Range<usize>| hms.get(r)?.parse::<u32>().ok();
    if hms.as_bytes()[2] != b':' || hms.as_bytes()[5] != b':' {
        return None;
    }
    let unix = unix_from_civil(
        y.parse().ok()?,
        month,
        d.parse().ok()?,
        n(0..2)?,
        n(3..5)?,
        n(6..8)?,
    )?;
    (weekday(unix) == named).then_some(unix)
}

/// Parses [`iso8601`]'s format back to Unix time.
pub fn parse_iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let y = s.get(0..4)?.parse::<i64>().ok()?;
    unix_from_civil(y, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?)
}

/// Whether `year` (proleptic Gregorian) has a 29 February.
pub fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1–12) of `year`; 0 for a month out of range.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Unix time of a UTC calendar date and time, the inverse of [`civil`]; `None` if a
/// component is out of range (the day is checked against the month, leap years
/// included). A leap second (`second == 60`) counts as the next second.
pub fn unix_from_civil(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let (mo, d) = (i64::from(month), i64::from(day));
    let (yy, mm) = if mo <= 2 {
        (year - 1, mo + 9)
    } else {
        (year, mo - 3)
    };
    let era = yy.div_euclid(400);
    let yoe = yy.rem_euclid(400);
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_round_trip_and_name_their_weekday() {
        assert_eq!(http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        for t in [0, 951_782_400, 1_700_000_000, 4_102_444_799] {
            assert_eq!(parse_http_date(&http_date(t)), Some(t));
        }
        for bad in [
            "Wed, 14 Nov 2023 22:13:20 GMT",
            "Tue, 14 Nov 2023 22:13:20 UTC",
            "Tue, 4 Nov 2023 22:13:20 GMT",
            "Tue, 14 Nov 2023 22:13 GMT",
            "Tue, 31 Feb 2023 22:13:20 GMT",
            "2023-11-14T22:13:20Z",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_match_the_providers_examples() {
        assert_eq!(date(1_551_113_065), "2019-02-25");
        assert_eq!(iso8601(1_456_231_584), "2016-02-23T12:46:24Z");
        assert_eq!(parse_iso8601("2016-02-23T12:46:24Z"), Some(1_456_231_584));
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            parse_iso8601("2024-02-29T23:59:59Z")
                .map(iso8601)
                .as_deref(),
            Some("2024-02-29T23:59:59Z")
        );
        assert_eq!(parse_iso8601("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2024-04-31T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2024-04-30T24:00:00Z"), None);
    }

    #[test]
    fn civil_round_trips_across_leap_years_and_before_the_epoch() {
        assert!(is_leap_year(2000) && is_leap_year(2024) && !is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2024, 13), 0);
        for unix in [-86_401, -1, 0, 951_782_400, 1_709_164_800, 4_107_542_399] {
            let (y, mo, d, h, mi, s) = civil(unix);
            assert_eq!(unix_from_civil(y, mo, d, h, mi, s), Some(unix), "{unix}");
        }
        assert_eq!(unix_from_civil(2000, 2, 29, 0, 0, 0), Some(951_782_400));
        assert_eq!(unix_from_civil(1900, 2, 29, 0, 0, 0), None);
        assert_eq!(unix_from_civil(2024, 0, 1, 0, 0, 0), None);
    }
}
