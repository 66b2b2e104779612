//! The store's clock, and times as Ecwid writes and reads them.
//!
//! Records carry `registered` and `updated` written `2021-12-21 06:05:58 +0000`, and a listing
//! may be cut by `createdFrom`/`updatedTo`... given as a UNIX timestamp or as
//! `2023-01-15 19:27:50` (`ecwid-api.md`). Both are whole seconds, read here as UTC: the docs do
//! not name a zone for the second form, and the answers' `+0000` says the store thinks in UTC.
//! No date crate is needed for that: the conversion between days and dates is a few lines.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 00:00:00 UTC, now; 0 for a clock set before 1970.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A time as Ecwid's answers write it: `2021-12-21 06:05:58 +0000`.
pub(crate) fn format(secs: i64) -> String {
    let (days, of_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} +0000",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// A time as a listing's filters take it: a UNIX timestamp, or `2023-01-15 19:27:50` (also with
/// the answers' ` +0000`). `None` for anything else, an impossible date included.
pub(crate) fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let text = text.strip_suffix(" +0000").unwrap_or(text);
    let (date, time) = text.split_once(' ')?;
    let [year, month, day] = numbers(date, '-', [4, 2, 2])?;
    let [hour, minute, second] = numbers(time, ':', [2, 2, 2])?;
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Three numbers of exactly the given digit counts, separated by `separator`.
fn numbers(text: &str, separator: char, widths: [usize; 3]) -> Option<[i64; 3]> {
    let mut parts = text.split(separator);
    let mut out = [0; 3];
    for (slot, width) in out.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a count of days since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days.saturating_add(719_468);
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_times_as_ecwid_does() {
        assert_eq!(format(0), "1970-01-01 00:00:00 +0000");
        assert_eq!(format(1_640_066_758), "2021-12-21 06:05:58 +0000");
        assert_eq!(format(951_782_400), "2000-02-29 00:00:00 +0000");
        assert_eq!(format(-1), "1969-12-31 23:59:59 +0000");
        // Any number at all is written, without a panic.
        assert!(!format(i64::MAX).is_empty() && !format(i64::MIN).is_empty());
    }

    #[test]
    fn reads_timestamps_and_dates() {
        assert_eq!(parse("1673810870"), Some(1_673_810_870));
        assert_eq!(parse("2023-01-15 19:27:50"), Some(1_673_810_870));
        assert_eq!(parse("2021-12-21 06:05:58 +0000"), Some(1_640_066_758));
        assert_eq!(parse("2000-02-29 00:00:00"), Some(951_782_400));
        for bad in [
            "",
            "yesterday",
            "2023-01-15",
            "2023-1-15 19:27:50",
            "2023-02-29 00:00:00",
            "2023-13-01 00:00:00",
            "2023-01-15 24:00:00",
            "2023-01-15 19:27:50 +0100",
            "-5",
            "99999999999999999999999",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        for secs in [0, 86_399, 86_400, 1_700_000_000, 4_102_444_800] {
            assert_eq!(parse(format(secs).as_str()), Some(secs));
        }
    }
}
