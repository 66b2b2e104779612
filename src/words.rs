//! Words for numbers and quoted values, shared by every message: the request engine's
//! warnings below the commands and the summaries above them alike, so it sits below both.

use std::fmt::Write as _;

/// `1 row`, `2 rows`, `0 rows`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A value in double quotes, as messages, the results file and mapping files (a TOML basic
/// string) show it: `"` and `\` escaped with a backslash, line breaks, tabs and other control
/// characters written as escapes (`\n`, `\u007F`), every other character as it is. Rust's
/// `{:?}` would escape the combining marks of many scripts too (`ग\u{941}प\u{94d}ता` for
/// गुप्ता), which nobody can read.
pub(crate) fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{count, quoted};

    #[test]
    fn quoted_escapes_quotes_and_controls_and_keeps_every_script() {
        assert_eq!(quoted("आरव गुप्ता"), "\"आरव गुप्ता\"");
        assert_eq!(quoted("مُحَمَّد"), "\"مُحَمَّد\"");
        assert_eq!(quoted("a \"b\" c\\d"), r#""a \"b\" c\\d""#);
        assert_eq!(quoted("a\nb\tc\u{7f}\0"), r#""a\nb\tc\u007F\u0000""#);
        assert_eq!(quoted(""), "\"\"");
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "request", "requests"), "0 requests");
        assert_eq!(count(1, "request", "requests"), "1 request");
        assert_eq!(count(2, "row was", "rows were"), "2 rows were");
    }
}
