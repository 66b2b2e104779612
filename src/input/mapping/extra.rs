//! The columns of a header that are customer extra fields, as the store defines them: once the
//! run has read the store's extra fields (`GET /store_extrafields/customers`), a column left out
//! whose name is a field's title is taken for that field's key, a key written in another case
//! is sent as the store spells it, and the values of a `datetime` field are checked as dates
//! and sent in one form ([`store_date`]).

use super::{ColumnMap, Fill, Rule};
use crate::customer::fields::Field;
use crate::input::presets::Target;

/// The rule a `datetime` extra field's value breaks when it is not a date. The one form it is
/// sent in is `YYYY-MM-DD HH:MM:SS`, the form Ecwid's API documents for its times
/// (`2023-01-15 19:27:50`); a date alone is midnight.
pub(crate) const RULE_DATE: &str = "is not a date: write it as YYYY-MM-DD, optionally with a \
     time (YYYY-MM-DD HH:MM or HH:MM:SS, or with a T before the time); sent as \
     YYYY-MM-DD HH:MM:SS";

/// A date (and time) as a `datetime` extra field takes it, in [`DATE_FORM`]: `2024-03-05`,
/// `2024-03-05 10:30`, `2024-03-05T10:30:00` (a workbook's date cell reads so). `None` for
/// anything else: `03/05/2024` could be March or May, so it is never guessed.
pub(crate) fn store_date(text: &str) -> Option<String> {
    use chrono::{NaiveDate, NaiveDateTime};
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date
            .and_hms_opt(0, 0, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string());
    }
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|form| NaiveDateTime::parse_from_str(text, form).ok())
    .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// Whether a column's name is a store extra field's title: case and spaces aside
/// (`loyalty  NUMBER` is "Loyalty number").
pub(crate) fn is_title(title: &str, column: &str) -> bool {
    let key = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    !title.trim().is_empty() && key(title) == key(column)
}

impl ColumnMap {
    /// The columns that fill an extra field: `(label, key)`, in the header's order.
    pub(crate) fn extra_columns(&self) -> Vec<(String, String)> {
        self.rules
            .iter()
            .filter_map(|rule| match &rule.target {
                Target::Field(Field::Extra(key)) | Target::IfValid(Field::Extra(key)) => {
                    Some((rule.label.clone(), key.to_string()))
                }
                _ => None,
            })
            .collect()
    }

    /// The columns that fill no field: `(position, name)`, an associated record's column
    /// named after the record (`Company: Phone Number`, never the person's extra field).
    pub(crate) fn unused_columns(&self) -> Vec<(usize, String)> {
        self.shown
            .iter()
            .zip(&self.used)
            .enumerate()
            .filter(|(_, (name, used))| !**used && !name.is_empty())
            .map(|(i, (name, _))| (i, name.clone()))
            .collect()
    }

    /// Takes the unused column at `position` for the extra field `key`, among the rules where
    /// its column stands (extra fields are sent in the order of their columns). Taken by its
    /// title, not named by the user: a value the field does not take (not a date, for a date
    /// field) is left out with a note, and the row is still sent, as with any column matched
    /// by meaning.
    pub(crate) fn take_as_extra(&mut self, position: usize, key: &str) {
        let rule = Rule {
            target: Target::IfValid(Field::Extra(key.into())),
            fill: Fill::Column(position),
            label: self.names[position].clone(),
        };
        let at = self
            .rules
            .iter()
            .position(|r| matches!(r.fill, Fill::Column(c) if c > position))
            .unwrap_or(self.rules.len());
        self.rules.insert(at, rule);
        if at <= self.email_rule {
            self.email_rule += 1;
        }
        self.used[position] = true;
    }

    /// Sends the extra field written `from` under the store's key `to`.
    pub(crate) fn respell_extra(&mut self, from: &str, to: &str) {
        for rule in &mut self.rules {
            if let Target::Field(Field::Extra(key)) = &mut rule.target
                && &**key == from
            {
                *key = to.into();
            }
        }
    }

    /// The keys of the extra fields whose values are dates ([`store_date`]).
    pub(crate) fn set_date_keys(&mut self, keys: Vec<String>) {
        self.extra_dates = keys.into_iter().map(Into::into).collect();
    }

    /// Whether `field` is an extra field whose values are dates.
    pub(super) fn is_date(&self, field: &Field) -> bool {
        matches!(field, Field::Extra(key) if self.extra_dates.contains(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_with_case_and_spaces_aside() {
        assert!(is_title("Loyalty number", " loyalty  NUMBER "));
        assert!(is_title("Loyalty number", "Loyaltynumber"));
        assert!(!is_title("Loyalty number", "Loyalty no."));
        assert!(!is_title(" ", ""));
    }

    #[test]
    fn dates_are_read_in_iso_forms_and_sent_in_one() {
        for (given, sent) in [
            ("2024-03-05", "2024-03-05 00:00:00"),
            (" 2024-03-05 10:30 ", "2024-03-05 10:30:00"),
            ("2024-03-05T10:30:15", "2024-03-05 10:30:15"),
            ("2024-03-05 10:30:15", "2024-03-05 10:30:15"),
        ] {
            assert_eq!(store_date(given).as_deref(), Some(sent), "{given}");
        }
        for bad in [
            "03/05/2024",
            "2024-02-30",
            "5 March 2024",
            "2024-03-05 25:00",
            "soon",
        ] {
            assert_eq!(store_date(bad), None, "{bad}");
        }
    }
}
