//! Columns of an associated record, and headers that are truly ambiguous.
//!
//! A CRM's contacts export can carry the properties of a record associated with each contact
//! after a marker column: HubSpot writes `Record ID - Company` and then the company's
//! properties under the same labels as the contact's (`Company name`, `Phone Number`,
//! `Create Date`, `Country/Region`); Salesforce's exports do the same after an `Account ID`
//! column. Pipedrive names every column after its record instead: `Person - Email - Work`,
//! `Organization - Name`. Those columns are the associated record's, never the person's: they
//! are read under the record's name (`Company: Phone Number`, `Organization: Name`), so that no
//! preset or synonym takes them for the person's own fields, and the contact's own columns win;
//! the row's own record's columns are read without its name (`Email - Work`). Which words name
//! records is data (`data/records.toml`), not code: a new CRM is a line there.
//! Only a name repeated within one record is ambiguous: every such pair is named at once, each
//! with the mapping-file line that picks one of them (`"Phone#2"`, the second `Phone`).

use crate::input::names::{is_associated, is_own, normalise};
use crate::input::presets;

/// A column named after its record (`Person - Email - Work`): the record's name as written
/// and the label after it, when the record is one of `data/records.toml`'s.
fn prefixed(name: &str) -> Option<(&str, &str)> {
    let (record, rest) = name.split_once(" - ")?;
    let (record, rest) = (record.trim(), rest.trim());
    let known = is_own(&normalise(record)) || is_associated(&normalise(record));
    (known && !rest.is_empty()).then_some((record, rest))
}

/// Whether every column is named after its record (Pipedrive): some column is the row's own
/// record's so.
fn named_after_records(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| prefixed(n).is_some_and(|(record, _)| is_own(&normalise(record))))
}

/// The record each column belongs to: `None` for the row's own (the contact), else the
/// associated object's name as the marker spells it (`Company`).
pub(super) fn records(names: &[String]) -> Vec<Option<String>> {
    if named_after_records(names) {
        return names
            .iter()
            .map(|n| match prefixed(n) {
                Some((record, _)) if is_associated(&normalise(record)) => Some(record.to_string()),
                _ => None,
            })
            .collect();
    }
    let mut records = vec![None; names.len()];
    let Some((marker, object)) = names.iter().enumerate().find_map(|(j, name)| {
        let object = marker_object(name)?;
        let repeats = names[j + 1..]
            .iter()
            .any(|later| names[..j].iter().any(|n| presets::same_name(n, later)));
        (j > 0 && repeats).then_some((j, object))
    }) else {
        return records;
    };
    for record in &mut records[marker..] {
        *record = Some(object.clone());
    }
    records
}

/// The object an association marker names: `Record ID - Company`, `Company ID`, `Account ID`,
/// `Organization - ID` (any case and separators); `None` for any other column, and for the
/// contact's own `Record ID - Contact`.
fn marker_object(name: &str) -> Option<String> {
    let compact = normalise(name);
    let rest = compact
        .strip_prefix("recordid")
        .or_else(|| compact.strip_suffix("id"))
        .or_else(|| compact.strip_prefix("id"))?;
    is_associated(rest).then(|| {
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && normalise(w) != "id" && normalise(w) != "record")
            .collect();
        words.join(" ")
    })
}

/// The header's names with each associated record's columns named after the record
/// (`Company: Phone Number`), and, where every column is named after its record, the row's
/// own record's columns by their label alone (`Email - Work`).
pub(super) fn named_by_record(names: Vec<String>, records: &[Option<String>]) -> Vec<String> {
    let after_records = named_after_records(&names);
    names
        .into_iter()
        .zip(records)
        .map(|(name, record)| {
            if name.is_empty() || marker_object(&name).is_some() {
                return name;
            }
            match (record, after_records.then(|| prefixed(&name)).flatten()) {
                (Some(object), Some((_, rest))) => format!("{object}: {rest}"),
                (None, Some((_, rest))) => rest.to_string(),
                (Some(object), None) => format!("{object}: {name}"),
                (None, None) => name,
            }
        })
        .collect()
}

/// A column as `named_by_record` names it in a header whose every column is named after its
/// record: a mapping file may name `Person - Email - Work` as the export does.
fn by_record(column: &str) -> Option<String> {
    let (record, rest) = prefixed(column)?;
    Some(if is_own(&normalise(record)) {
        rest.to_string()
    } else {
        format!("{record}: {rest}")
    })
}

/// A column picked by its number among the columns of its name (`Phone#2`, the second
/// `Phone`): the name and the number, when `column` is written so.
pub(crate) fn numbered(column: &str) -> Option<(&str, usize)> {
    let (name, number) = column.rsplit_once('#')?;
    let number: usize = number.trim().parse().ok()?;
    (number > 0 && !name.trim().is_empty()).then_some((name.trim(), number))
}

/// The position of `column` in `names`: by its name, or by `Name#N`, the Nth column of that
/// name.
pub(super) fn position(names: &[String], column: &str) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| presets::same_name(n, column)) {
        return Some(i);
    }
    if let Some(renamed) = by_record(column)
        && let Some(i) = names.iter().position(|n| presets::same_name(n, &renamed))
    {
        return Some(i);
    }
    let (name, number) = numbered(column)?;
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| presets::same_name(n, name))
        .nth(number - 1)
        .map(|(i, _)| i)
}

/// Every pair of columns with the same name (ignoring case and surrounding spaces), as
/// positions; a name `picked` names with a number (`Phone#2`) is no longer ambiguous.
pub(super) fn repeated(names: &[String], picked: &[String]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let resolved = picked
            .iter()
            .any(|p| numbered(p).is_some_and(|(base, _)| presets::same_name(base, name)));
        if resolved {
            continue;
        }
        if let Some(j) = names[..i].iter().position(|n| presets::same_name(n, name)) {
            pairs.push((j, i));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(header: &str) -> Vec<String> {
        header.split(',').map(str::to_string).collect()
    }

    /// HubSpot's company after `Record ID - Company` is the company's; a marker without
    /// repeated labels after it, or the contact's own `Record ID - Contact`, marks nothing.
    #[test]
    fn columns_after_a_marker_belong_to_the_associated_record() {
        let header = names(
            "Record ID - Contact,First Name,Email,Phone Number,City,Record ID - Company,\
             Company name,Phone Number,City",
        );
        let found = records(&header);
        assert_eq!(found[4], None);
        assert_eq!(found[5].as_deref(), Some("Company"));
        assert_eq!(found[8].as_deref(), Some("Company"));
        let named = named_by_record(header, &found);
        assert_eq!(named[7], "Company: Phone Number");
        assert!(repeated(&named, &[]).is_empty());
        for header in [
            "Email,Account ID,Phone",
            "Record ID - Contact,Email,Phone",
            "Email,Primary Associated Company ID,Phone",
        ] {
            assert!(
                records(&names(header)).iter().all(Option::is_none),
                "{header}"
            );
        }
        let salesforce = records(&names("Email,Phone,Account ID,Account Name,Phone"));
        assert_eq!(salesforce[4].as_deref(), Some("Account"));
        let pipedrive = records(&names("Name,Email,Phone,Organization - ID,Name,Phone"));
        assert_eq!(pipedrive[3].as_deref(), Some("Organization"));
        assert_eq!(pipedrive[5].as_deref(), Some("Organization"));
        let header = names("Name,Email,Organization - ID,Name");
        let named = named_by_record(header.clone(), &records(&header));
        assert_eq!(
            named,
            ["Name", "Email", "Organization - ID", "Organization: Name"]
        );
    }

    /// Pipedrive names every column after its record: the person's by their label, the
    /// organization's under the organization's name; a mapping file may name either.
    #[test]
    fn columns_named_after_their_record_are_read_so() {
        let header = names(
            "Person - Name,Person - Email - Work,Person - Phone - Work,Organization - ID,\
             Organization - Name,Organization - Phone",
        );
        let found = records(&header);
        assert_eq!(found[..3], [None, None, None]);
        assert_eq!(found[4].as_deref(), Some("Organization"));
        let named = named_by_record(header, &found);
        assert_eq!(
            named,
            [
                "Name",
                "Email - Work",
                "Phone - Work",
                "Organization - ID",
                "Organization: Name",
                "Organization: Phone"
            ]
        );
        assert_eq!(position(&named, "Person - Email - Work"), Some(1));
        assert_eq!(position(&named, "Organization - Phone"), Some(5));
    }

    #[test]
    fn numbered_columns_pick_one_of_a_name() {
        let header = names("Email,Phone,phone ,Phone");
        assert_eq!(position(&header, "Phone#2"), Some(2));
        assert_eq!(position(&header, "PHONE"), Some(1));
        assert_eq!(position(&header, "Phone#4"), None);
        assert_eq!(repeated(&header, &[]), [(1, 2), (1, 3)]);
        assert!(repeated(&header, &["Phone#1".into()]).is_empty());
    }
}
