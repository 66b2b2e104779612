//! Fields a store did not keep as they were sent, as the read-back after an import found them
//! (`--read-back`), and remembered beside the results file so that a later run of the same
//! file does not "change" them again on every run, forever.
//!
//! What was not kept is what the comparison ([`super::compare`]) still finds different between
//! what a write sent and the record the store holds after it: the same rules, so the names the
//! store derives ([`super::derived`]) are never reported. A field is named as columns name it,
//! without list positions (`fiscalCode`, `billingPerson.phone`, `contacts.note`,
//! `extrafields.loyalty`): a store that drops a contact's note drops every contact's.
//!
//! The remembered fields (`<results stem>.not-kept.json`, e.g. `customers.results.not-kept.json`)
//! are left out of the comparison of a row with the store's record: an update never sends them,
//! and a row that differs only there is `unchanged`. A create still sends them: it costs the
//! same request with or without them, and a store that keeps them for new customers then has
//! them. Deleting the file forgets them.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compare::compare;
use super::diff::Change;
use crate::customer::CustomerRequest;
use crate::customer::record::CustomerRecord;

/// The file of remembered fields beside a results file: `customers.results.csv` →
/// `customers.results.not-kept.json`.
pub(crate) fn path_for(results: &Path) -> PathBuf {
    let stem = results.file_stem().unwrap_or_default().to_string_lossy();
    results.with_file_name(format!("{stem}.not-kept.json"))
}

/// What the file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    #[serde(default)]
    about: String,
    #[serde(default)]
    fields: BTreeSet<String>,
}

const ABOUT: &str = "Fields the store did not keep as ecwid-import sent them, found by reading \
back what an import wrote. Later runs with this results file leave them out of the comparison \
with the store, so that no update is sent for them again. Delete this file to forget them.";

/// The fields remembered as not kept by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Remembered {
    pub(crate) fields: BTreeSet<String>,
}

impl Remembered {
    /// The fields remembered in `path`; none when there is no such file. `Err` says why a file
    /// that is there could not be read.
    pub(crate) fn load(path: &Path) -> Result<Self, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e.to_string()),
        };
        let file: File = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(Self {
            fields: file.fields,
        })
    }

    /// Adds `found` to the fields remembered in `path` (written whole, then moved into place).
    pub(crate) fn remember(path: &Path, found: &BTreeMap<String, u64>) -> io::Result<()> {
        let mut fields = Self::load(path).unwrap_or_default().fields;
        fields.extend(found.keys().cloned());
        let file = File {
            about: ABOUT.into(),
            fields,
        };
        let json = serde_json::to_string_pretty(&file).map_err(io::Error::other)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        io::Write::write_all(&mut temp, (json + "\n").as_bytes())?;
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `row` without the remembered fields, for comparing it with the store's record.
    pub(crate) fn strip<'r>(&self, row: &'r CustomerRequest) -> Cow<'r, CustomerRequest> {
        if self.fields.is_empty() {
            return Cow::Borrowed(row);
        }
        let Ok(mut value) = serde_json::to_value(row) else {
            return Cow::Borrowed(row);
        };
        for field in &self.fields {
            let parts: Vec<&str> = field.split('.').collect();
            remove(&mut value, &parts);
        }
        match serde_json::from_value(value) {
            Ok(stripped) => Cow::Owned(stripped),
            Err(_) => Cow::Borrowed(row),
        }
    }
}

/// Removes the field at `path` from `value`; a path through a list applies to every entry, and
/// `extrafields.KEY` to the entry of that key.
fn remove(value: &mut Value, path: &[&str]) {
    match (value, path) {
        (Value::Object(fields), [last]) => {
            fields.remove(*last);
        }
        (Value::Object(fields), ["extrafields", key]) => {
            if let Some(Value::Array(entries)) = fields.get_mut("extrafields") {
                entries.retain(|e| e.get("key").and_then(Value::as_str) != Some(key));
            }
        }
        (Value::Object(fields), [first, rest @ ..]) => {
            if let Some(inner) = fields.get_mut(*first) {
                remove(inner, rest);
            }
        }
        (Value::Array(entries), path) => {
            for entry in entries {
                remove(entry, path);
            }
        }
        _ => {}
    }
}

/// A change's field without list positions: `contacts.1.note` → `contacts.note`,
/// `shippingAddresses.2` (a whole entry) → `shippingAddresses`.
pub(crate) fn field_name(change: &Change) -> String {
    let parts: Vec<&str> = change
        .field
        .split('.')
        .filter(|part| part.parse::<u64>().is_err())
        .collect();
    parts.join(".")
}

/// What `store` did not keep of `sent` (a create's body, or the row an update compared), as
/// changes whose `old` is what the store holds and `new` what was sent.
pub(crate) fn not_kept(sent: &CustomerRequest, store: &CustomerRecord) -> Vec<Change> {
    compare(sent, store).changes
}

/// The note a row's `error` gets for what the store did not keep.
pub(crate) fn note(changes: &[Change]) -> String {
    let parts: Vec<String> = changes
        .iter()
        .map(|c| format!("{} sent {:?}, the store holds {:?}", c.field, c.new, c.old))
        .collect();
    format!("the store did not keep: {}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{Address, Contact, ExtraField};

    fn change(field: &str) -> Change {
        Change {
            field: field.into(),
            old: String::new(),
            new: "x".into(),
        }
    }

    #[test]
    fn fields_are_named_without_list_positions() {
        assert_eq!(field_name(&change("fiscalCode")), "fiscalCode");
        assert_eq!(field_name(&change("contacts.1.note")), "contacts.note");
        assert_eq!(
            field_name(&change("shippingAddresses.2")),
            "shippingAddresses"
        );
        assert_eq!(field_name(&change("extrafields.tier")), "extrafields.tier");
    }

    /// Each kind of path is taken out of a row: a top-level field, a billing person's, every
    /// contact's, an extra field by key; the rest stays.
    #[test]
    fn strip_takes_out_the_remembered_fields_only() {
        let row = CustomerRequest {
            email: Some("a@example.com".into()),
            fiscal_code: Some("RSSMRA80A01H501U".into()),
            tax_id: Some("IT1".into()),
            billing_person: Some(Address {
                name: Some("Ann".into()),
                phone: Some("+39 06 1".into()),
                ..Address::default()
            }),
            contacts: Some(vec![Contact {
                kind: Some("PHONE".into()),
                contact: Some("+1".into()),
                note: Some("work".into()),
                ..Contact::default()
            }]),
            extrafields: Some(vec![
                ExtraField {
                    key: "tier".into(),
                    value: "gold".into(),
                },
                ExtraField {
                    key: "since".into(),
                    value: "2020".into(),
                },
            ]),
            ..CustomerRequest::default()
        };
        let remembered = Remembered {
            fields: [
                "fiscalCode",
                "billingPerson.phone",
                "contacts.note",
                "extrafields.tier",
            ]
            .map(String::from)
            .into(),
        };
        let stripped = remembered.strip(&row).into_owned();
        assert_eq!(stripped.fiscal_code, None);
        assert_eq!(stripped.tax_id, row.tax_id);
        let person = stripped.billing_person.unwrap();
        assert_eq!((person.name.as_deref(), person.phone), (Some("Ann"), None));
        let contact = &stripped.contacts.unwrap()[0];
        assert_eq!(
            (contact.contact.as_deref(), &contact.note),
            (Some("+1"), &None)
        );
        let keys: Vec<String> = stripped
            .extrafields
            .unwrap()
            .into_iter()
            .map(|f| f.key)
            .collect();
        assert_eq!(keys, ["since"]);
        assert!(matches!(
            Remembered::default().strip(&row),
            Cow::Borrowed(_)
        ));
    }

    /// The file is merged with what it held, and read back; a missing file is no field.
    #[test]
    fn remembered_fields_add_up_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("c.results.csv"));
        assert_eq!(path.file_name().unwrap(), "c.results.not-kept.json");
        assert!(Remembered::load(&path).unwrap().is_empty());
        Remembered::remember(&path, &[("fiscalCode".to_string(), 3)].into()).unwrap();
        Remembered::remember(&path, &[("lang".to_string(), 1)].into()).unwrap();
        let fields: Vec<String> = Remembered::load(&path)
            .unwrap()
            .fields
            .into_iter()
            .collect();
        assert_eq!(fields, ["fiscalCode", "lang"]);
        std::fs::write(&path, "not json").unwrap();
        assert!(Remembered::load(&path).is_err());
    }
}
