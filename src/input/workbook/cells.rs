//! A workbook cell as text, the way a person sees it in the spreadsheet, so that a workbook's
//! rows go down the same pipeline as a CSV file's.
//!
//! Spreadsheets store numbers as floating point: `4915123456789` is `4.915123456789e12` inside,
//! a zip code typed as a number has lost its leading zero, and a date is a count of days. The
//! text written here is what the cell shows: whole numbers without `.0`, never in scientific
//! notation, rounded to the 15 significant digits a spreadsheet shows; dates as ISO dates
//! (`2024-03-05`, with `T10:30:00` only when the cell has a time of day); booleans as `true`
//! and `false`. A number whose number format is all zeros (`00000`, a zip code) is padded to
//! that width. A formula is its cached value, the one the spreadsheet showed when it was saved.
//!
//! An error value (`#N/A`, `#REF!`...) is kept as its text, and the row is marked invalid by the
//! reader: a cell that failed to compute is neither sent nor silently left blank.

use std::fmt::Write;

use calamine::{DataRef, ExcelDateTime};

/// The text of one cell; `Err` with the error's text (`#N/A`) for an error value.
/// `number_format` is the cell's number format code, where the workbook gives it.
pub(crate) fn cell_text(
    cell: &DataRef<'_>,
    number_format: Option<&str>,
    out: &mut String,
) -> Result<(), String> {
    match cell {
        DataRef::Empty => {}
        DataRef::String(text) => out.push_str(text),
        DataRef::SharedString(text) => out.push_str(text),
        DataRef::Int(n) => push_integer(*n as f64, *n, number_format, out),
        DataRef::Float(x) => push_number(*x, number_format, out),
        DataRef::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        DataRef::DateTime(when) => push_date_time(when, out),
        // ISO 8601 already (OpenDocument dates, and `t="d"` cells of .xlsx).
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            out.push_str(text.strip_suffix("T00:00:00").unwrap_or(text));
        }
        DataRef::Error(error) => {
            let text = error.to_string();
            out.push_str(&text);
            return Err(text);
        }
    }
    Ok(())
}

/// The largest float below which every whole number is exact (2^53).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// A number as a spreadsheet shows it in the General format.
fn push_number(x: f64, number_format: Option<&str>, out: &mut String) {
    if !x.is_finite() {
        let _ = write!(out, "{x}");
        return;
    }
    // Rounded to 15 significant digits, as a spreadsheet shows it: 0.1 + 0.2 is 0.3 there,
    // and a 16-digit number was cut to 15 digits when it was typed in.
    let shown: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if shown.fract() == 0.0 && shown.abs() < EXACT_INTEGERS {
        push_integer(shown, shown as i64, number_format, out);
    } else {
        // Rust's `Display` of a float never uses an exponent: 1e20 is 100000000000000000000.
        let _ = write!(out, "{shown}");
    }
}

/// A whole number, padded with zeros to the width of a zero-padded number format.
fn push_integer(x: f64, n: i64, number_format: Option<&str>, out: &mut String) {
    let width = number_format.map_or(0, zero_padded_width);
    if width > 0 && x >= 0.0 {
        let _ = write!(out, "{n:0width$}");
    } else {
        let _ = write!(out, "{n}");
    }
}

/// The width of a number format made of zeros only (`00000`: 5), else 0.
fn zero_padded_width(format: &str) -> usize {
    let format = format.trim_matches('"');
    if !format.is_empty() && format.bytes().all(|b| b == b'0') {
        format.len()
    } else {
        0
    }
}

/// A date as `YYYY-MM-DD`, with `THH:MM:SS` when it has a time of day; a time alone (a
/// value below one day) as `HH:MM:SS`; a duration as hours, minutes and seconds.
fn push_date_time(when: &ExcelDateTime, out: &mut String) {
    let value = when.as_f64();
    if when.is_duration() {
        let seconds = (value * 86_400.0).round();
        // Past 2^53 seconds (285 million years) a float no longer counts every second, and
        // past i64 the cast saturates: such a duration is shown as the number it is, as the
        // General format would, rather than as hours that the cell does not hold.
        if seconds.is_nan() || seconds.abs() >= EXACT_INTEGERS {
            push_number(value, None, out);
            return;
        }
        let sign = if seconds < 0.0 { "-" } else { "" };
        let seconds = (seconds as i64).unsigned_abs();
        let _ = write!(
            out,
            "{sign}{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
        return;
    }
    let (year, month, day, hour, minute, second, milli) = when.to_ymd_hms_milli();
    let has_time = (hour, minute, second, milli) != (0, 0, 0, 0);
    if (0.0..1.0).contains(&value) && has_time {
        let _ = write!(out, "{hour:02}:{minute:02}:{second:02}");
        return;
    }
    let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    if has_time {
        let _ = write!(out, "T{hour:02}:{minute:02}:{second:02}");
        if milli != 0 {
            let _ = write!(out, ".{milli:03}");
        }
    }
}

#[cfg(test)]
mod tests {
    use calamine::{CellErrorType, ExcelDateTimeType};

    use super::*;

    fn text(cell: DataRef<'_>, format: Option<&str>) -> Result<String, String> {
        let mut out = String::new();
        cell_text(&cell, format, &mut out).map(|()| out)
    }

    fn shown(cell: DataRef<'_>) -> String {
        text(cell, None).expect("not an error")
    }

    fn date(value: f64) -> DataRef<'static> {
        DataRef::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    /// Whole numbers lose the `.0`; fractions keep what the spreadsheet shows.
    #[test]
    fn floats_read_as_the_spreadsheet_shows_them() {
        assert_eq!(shown(DataRef::Float(42.0)), "42");
        assert_eq!(shown(DataRef::Float(-7.0)), "-7");
        assert_eq!(shown(DataRef::Float(0.0)), "0");
        assert_eq!(shown(DataRef::Float(12.5)), "12.5");
        assert_eq!(shown(DataRef::Float(0.1 + 0.2)), "0.3");
        assert_eq!(shown(DataRef::Float(1.0 / 3.0)), "0.333333333333333");
        assert_eq!(shown(DataRef::Float(0.000_000_1)), "0.0000001");
        assert_eq!(shown(DataRef::Int(1234)), "1234");
    }

    /// Phones, ids and zip codes stored as numbers: every digit, no exponent.
    #[test]
    fn long_digit_strings_never_turn_scientific() {
        assert_eq!(
            shown(DataRef::Float(491_701_234_567_890.0)),
            "491701234567890"
        );
        assert_eq!(shown(DataRef::Float(4_915_123_456_789.0)), "4915123456789");
        assert_eq!(shown(DataRef::Float(1e20)), "100000000000000000000");
        // Past 15 digits a spreadsheet has already cut the number when it was typed.
        assert_eq!(
            shown(DataRef::Float(1_234_567_890_123_456.0)),
            "1234567890123460"
        );
        assert_eq!(
            shown(DataRef::Int(9_007_199_254_740_993)),
            "9007199254740993"
        );
    }

    /// A zero-padded number format gives the zip code its leading zeros back.
    #[test]
    fn zero_padded_formats_pad() {
        assert_eq!(
            text(DataRef::Float(2134.0), Some("00000")).unwrap(),
            "02134"
        );
        assert_eq!(
            text(DataRef::Float(2134.0), Some("General")).unwrap(),
            "2134"
        );
        assert_eq!(text(DataRef::Float(2134.0), Some("0.00")).unwrap(), "2134");
        assert_eq!(
            text(DataRef::Float(123_456.0), Some("00000")).unwrap(),
            "123456"
        );
        assert_eq!(text(DataRef::Float(2.5), Some("00000")).unwrap(), "2.5");
        assert_eq!(text(DataRef::Int(501), Some("0000")).unwrap(), "0501");
    }

    /// Dates as ISO dates, date-times with their time, times alone as times.
    #[test]
    fn dates_read_as_iso_dates() {
        assert_eq!(shown(date(45_356.0)), "2024-03-05");
        assert_eq!(shown(date(45_356.437_5)), "2024-03-05T10:30:00");
        assert_eq!(shown(date(0.75)), "18:00:00");
        let in_1904 = ExcelDateTime::new(43_894.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(shown(DataRef::DateTime(in_1904)), "2024-03-05");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(shown(DataRef::DateTime(duration)), "36:00:00");
        let negative = ExcelDateTime::new(-1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(shown(DataRef::DateTime(negative)), "-36:00:00");
        assert_eq!(
            shown(DataRef::DateTimeIso("2024-03-05T00:00:00".into())),
            "2024-03-05"
        );
        assert_eq!(
            shown(DataRef::DateTimeIso("2024-03-05T10:30:00".into())),
            "2024-03-05T10:30:00"
        );
    }

    /// A duration too long to count in seconds reads as its number, never as wrapped hours.
    #[test]
    fn huge_durations_read_as_their_number() {
        for days in [-1e300, 1e300, -1e12, f64::MAX, f64::NEG_INFINITY, f64::NAN] {
            let duration = ExcelDateTime::new(days, ExcelDateTimeType::TimeDelta, false);
            let mut expected = String::new();
            push_number(days, None, &mut expected);
            assert_eq!(shown(DataRef::DateTime(duration)), expected, "{days}");
        }
        // The longest duration still shown in hours.
        let days = 1e11;
        let duration = ExcelDateTime::new(-days, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(shown(DataRef::DateTime(duration)), "-2400000000000:00:00");
    }

    /// Booleans as `true`/`false`, text as it is (leading zeros and spaces kept).
    #[test]
    fn booleans_and_text() {
        assert_eq!(shown(DataRef::Bool(true)), "true");
        assert_eq!(shown(DataRef::Bool(false)), "false");
        assert_eq!(shown(DataRef::SharedString("01067")), "01067");
        assert_eq!(shown(DataRef::String(" Ann ".into())), " Ann ");
        assert_eq!(shown(DataRef::Empty), "");
    }

    /// An error value keeps its text and is reported as an error.
    #[test]
    fn errors_are_reported_with_their_text() {
        assert_eq!(
            text(DataRef::Error(CellErrorType::NA), None),
            Err("#N/A".into())
        );
        let mut out = String::new();
        let got = cell_text(&DataRef::Error(CellErrorType::Ref), None, &mut out);
        assert_eq!((got, out.as_str()), (Err("#REF!".into()), "#REF!"));
    }
}
