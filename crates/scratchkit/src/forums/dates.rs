//! Forum dates: `Today 10:15:00`, `Yesterday 23:01:59` or `Jan 5, 2025 10:20:00`.
//!
//! The page does not state a time zone; like scapi (and the sandbox, which renders in UTC) we
//! read them as UTC. Unverified against the live site.

use scratchkit_model::Timestamp;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

fn parse_time(s: &str) -> Option<Time> {
    let mut parts = s.trim().split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let sec: u8 = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Time::from_hms(h, m, sec).ok()
}

fn month(abbr: &str) -> Option<Month> {
    let lower = abbr.trim_end_matches('.').to_ascii_lowercase();
    let m = match lower.get(..3)? {
        "jan" => Month::January,
        "feb" => Month::February,
        "mar" => Month::March,
        "apr" => Month::April,
        "may" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "aug" => Month::August,
        "sep" => Month::September,
        "oct" => Month::October,
        "nov" => Month::November,
        "dec" => Month::December,
        _ => return None,
    };
    Some(m)
}

/// Reads a forum date, resolving `Today` and `Yesterday` against `now` (UTC).
///
/// ```
/// use scratchkit::forums::parse_forum_date;
/// use time::macros::datetime;
///
/// let now = datetime!(2025-06-01 12:00 UTC);
/// let t = parse_forum_date("Jan 5, 2025 10:20:00", now).unwrap();
/// assert_eq!(t.to_naive_string(), "2025-01-05T10:20:00");
/// let t = parse_forum_date("Yesterday 23:00:00", now).unwrap();
/// assert_eq!(t.to_naive_string(), "2025-05-31T23:00:00");
/// assert!(parse_forum_date("whenever", now).is_none());
/// ```
pub fn parse_forum_date(text: &str, now: OffsetDateTime) -> Option<Timestamp> {
    let text = crate::html::dom::collapse(text);
    let today = now.to_offset(time::UtcOffset::UTC).date();
    if let Some(rest) = text.strip_prefix("Today") {
        let t = parse_time(rest)?;
        return Some(Timestamp::new(
            PrimitiveDateTime::new(today, t).assume_utc(),
        ));
    }
    if let Some(rest) = text.strip_prefix("Yesterday") {
        let t = parse_time(rest)?;
        let day = today.checked_sub(Duration::DAY)?;
        return Some(Timestamp::new(PrimitiveDateTime::new(day, t).assume_utc()));
    }
    // `Mon D, YYYY HH:MM:SS`
    let mut words = text.split_whitespace();
    let m = month(words.next()?)?;
    let d: u8 = words.next()?.trim_end_matches(',').parse().ok()?;
    let y: i32 = words.next()?.parse().ok()?;
    let t = parse_time(words.next()?)?;
    if words.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(y, m, d).ok()?;
    Some(Timestamp::new(PrimitiveDateTime::new(date, t).assume_utc()))
}

/// Formats a time the way the forum shows absolute dates: `Jan 5, 2025 10:20:00` (UTC).
///
/// ```
/// use scratchkit::forums::format_forum_date;
/// use scratchkit::model::Timestamp;
/// let t = Timestamp::from_unix_seconds(1_736_072_400).unwrap();
/// assert_eq!(format_forum_date(t), "Jan 5, 2025 10:20:00");
/// ```
pub fn format_forum_date(t: Timestamp) -> String {
    let dt = t.as_offset_date_time().to_offset(time::UtcOffset::UTC);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS
        .get(usize::from(u8::from(dt.month())).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{month} {}, {} {:02}:{:02}:{:02}",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn forms() {
        let now = datetime!(2025-03-01 01:00 UTC);
        assert_eq!(
            parse_forum_date("Today 10:15:00", now)
                .unwrap()
                .to_naive_string(),
            "2025-03-01T10:15:00"
        );
        assert_eq!(
            parse_forum_date("Yesterday 10:15:00", now)
                .unwrap()
                .to_naive_string(),
            "2025-02-28T10:15:00"
        );
        assert_eq!(
            parse_forum_date("Dec 31, 2024 23:59:59", now)
                .unwrap()
                .to_naive_string(),
            "2024-12-31T23:59:59"
        );
        assert!(parse_forum_date("Feb 30, 2024 10:00:00", now).is_none());
        assert!(parse_forum_date("Today 25:00:00", now).is_none());
        assert!(parse_forum_date("Jan 1, 2024 10:00:00 extra", now).is_none());
        assert!(parse_forum_date("", now).is_none());
        let t = parse_forum_date("Jan 5, 2025 10:20:00", now).unwrap();
        assert_eq!(format_forum_date(t), "Jan 5, 2025 10:20:00");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_forum_date(&s, datetime!(2025-01-01 0:00 UTC));
        }
    }
}
