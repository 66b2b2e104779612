//! Columns of an associated record, and headers that are truly ambiguous.
//!
//! A CRM's contacts export can carry the properties of a record associated with each contact
//! after a marker column: HubSpot writes `Record ID - Company` and then the company's
//! properties under the same labels as the contact's (`Company name`, `Phone Number`,
//! `Create Date`, `Country/Region`); Salesforce, Pipedrive and Zoho exports do the same after an
//! `Account ID` or `Organization ID` column. Those columns are the associated record's, never
//! the person's: they are read under the record's name (`Company: Phone Number`), so that no
//! preset or synonym takes them for the person's own fields, and the contact's own columns win.
//! Only a name repeated within one record is ambiguous: every such pair is named at once, each
//! with the mapping-file line that picks one of them (`"Phone#2"`, the second `Phone`).

use crate::input::matcher::normalise_name as normalise;
use crate::input::presets;

/// The objects whose id marks the start of an associated record's columns.
pub(crate) const OBJECTS: &[&str] = &[
    "company",
    "companies",
    "account",
    "organization",
    "organisation",
    "org",
    "deal",
    "ticket",
    "opportunity",
];

/// The record each column belongs to: `None` for the row's own (the contact), else the
/// associated object's name as the marker spells it (`Company`).
pub(super) fn records(names: &[String]) -> Vec<Option<String>> {
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
    OBJECTS.contains(&rest).then(|| {
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && normalise(w) != "id" && normalise(w) != "record")
            .collect();
        words.join(" ")
    })
}

/// The header's names with each associated record's columns named after the record
/// (`Company: Phone Number`).
pub(super) fn named_by_record(names: Vec<String>, records: &[Option<String>]) -> Vec<String> {
    names
        .into_iter()
        .zip(records)
        .map(|(name, record)| match record {
            Some(object) if !name.is_empty() && marker_object(&name).is_none() => {
                format!("{object}: {name}")
            }
            _ => name,
        })
        .collect()
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
