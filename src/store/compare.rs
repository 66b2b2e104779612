//! The comparison of a row's request with the store's record of the same customer: the list
//! of changes (`field: "old" -> "new"`, the text `plan` shows and the results file notes) and
//! the `PUT /customers/{id}` body that makes them, holding only the fields that differ.
//!
//! The rules, which keep an update from losing what the store has:
//! - only the fields the row sets are compared: a blank cell never clears a field;
//! - `password` never (the store does not return it), nor `email` (the look-up matched it);
//! - the store's empty strings stand for unset text; country codes compare in any case; the
//!   group compares by `customerGroupId`, never by the store's group name;
//! - contacts match by type and value (the value in any case for `EMAIL`), shipping addresses
//!   by street and postal code; ids, timestamps and store entries the row does not name (such
//!   as the `EMAIL` contact the store makes from the email) are never a difference;
//! - a list that is sent (`contacts`, `shippingAddresses`, which a `PUT` replaces whole) is the
//!   store's list with the row's new or changed entries: no entry of the store is removed;
//! - `billingPerson`, when it differs, is sent as the store's with the row's fields over it.

use std::fmt;

use crate::customer::record::CustomerRecord;
use crate::customer::{Address, Contact, CustomerRequest, ExtraField};

/// One field whose value the row would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// The field's path, as columns name it (`billingPerson.city`, `contacts.1.note`).
    pub(crate) field: String,
    /// The store's value; empty when unset.
    pub(crate) old: String,
    pub(crate) new: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?} -> {:?}", self.field, self.old, self.new)
    }
}

/// What a row would change in the store's record.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Diff {
    pub(crate) changes: Vec<Change>,
    /// The `PUT` body: only the fields that differ.
    pub(crate) update: CustomerRequest,
}

impl Diff {
    /// Whether the store already holds everything the row sets.
    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes on one line, `; ` between them, for the results file.
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = self.changes.iter().map(ToString::to_string).collect();
        parts.join("; ")
    }
}

/// Compares `row` (the request the import would send) with `store`'s record.
pub(crate) fn compare(row: &CustomerRequest, store: &CustomerRecord) -> Diff {
    let mut diff = Diff::default();
    top_level(row, store, &mut diff);
    if let Some(person) = &row.billing_person {
        let changes = address_changes("billingPerson", person, store.billing_person.as_ref());
        if !changes.is_empty() {
            diff.changes.extend(changes);
            diff.update.billing_person = Some(overlay(store.billing_person.as_ref(), person));
        }
    }
    if let Some(addresses) = &row.shipping_addresses {
        let theirs = store.shipping_addresses.as_deref().unwrap_or_default();
        let (changes, merged) = shipping(addresses, theirs);
        if !changes.is_empty() {
            diff.changes.extend(changes);
            diff.update.shipping_addresses = Some(merged);
        }
    }
    if let Some(contacts) = &row.contacts {
        let theirs = store.contacts.as_deref().unwrap_or_default();
        let (changes, merged) = contact_list(contacts, theirs);
        if !changes.is_empty() {
            diff.changes.extend(changes);
            diff.update.contacts = Some(merged);
        }
    }
    if let Some(fields) = &row.extrafields {
        extra_fields(
            fields,
            store.extrafields.as_deref().unwrap_or_default(),
            &mut diff,
        );
    }
    diff
}

/// A set value: present and not blank.
fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// The store's value as text, empty when unset.
fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Compares one text field the row may set; on a difference notes it and copies the row's
/// value into the body.
fn text(
    name: &str,
    row: &Option<String>,
    store: &Option<String>,
    into: &mut Option<String>,
    changes: &mut Vec<Change>,
) {
    if let Some(new) = set(row)
        && set(store) != Some(new)
    {
        changes.push(change(name, shown(store), new.to_string()));
        *into = Some(new.to_string());
    }
}

fn boolean(
    name: &str,
    row: Option<bool>,
    store: Option<bool>,
    into: &mut Option<bool>,
    changes: &mut Vec<Change>,
) {
    if let Some(new) = row
        && store != Some(new)
    {
        let old = store.map(|b| b.to_string()).unwrap_or_default();
        changes.push(change(name, old, new.to_string()));
        *into = Some(new);
    }
}

fn change(field: &str, old: String, new: String) -> Change {
    Change {
        field: field.to_string(),
        old,
        new,
    }
}

/// The fields outside `billingPerson`, the lists and the extra fields.
fn top_level(row: &CustomerRequest, store: &CustomerRecord, diff: &mut Diff) {
    let (up, changes) = (&mut diff.update, &mut diff.changes);
    if let Some(new) = row.customer_group_id {
        if store.customer_group_id != Some(new) {
            let old = store.customer_group_id.map(|id| id.to_string());
            changes.push(change(
                "customerGroupId",
                old.unwrap_or_default(),
                new.to_string(),
            ));
            up.customer_group_id = Some(new);
        }
    } else if let Some(new) = set(&row.customer_group_name) {
        // A name the import did not resolve (it always does): compared as a name.
        let old = set(&store.customer_group_name).unwrap_or_default();
        if !old.trim().eq_ignore_ascii_case(new.trim()) {
            changes.push(change("customerGroupName", old.into(), new.into()));
            up.customer_group_name = Some(new.to_string());
        }
    }
    text(
        "b2b_b2c",
        &row.b2b_b2c,
        &store.b2b_b2c,
        &mut up.b2b_b2c,
        changes,
    );
    text("taxId", &row.tax_id, &store.tax_id, &mut up.tax_id, changes);
    let valid = (row.tax_id_valid, store.tax_id_valid);
    boolean(
        "taxIdValid",
        valid.0,
        valid.1,
        &mut up.tax_id_valid,
        changes,
    );
    let exempt = (row.tax_exempt, store.tax_exempt);
    boolean("taxExempt", exempt.0, exempt.1, &mut up.tax_exempt, changes);
    text(
        "fiscalCode",
        &row.fiscal_code,
        &store.fiscal_code,
        &mut up.fiscal_code,
        changes,
    );
    text(
        "electronicInvoicePecEmail",
        &row.electronic_invoice_pec_email,
        &store.electronic_invoice_pec_email,
        &mut up.electronic_invoice_pec_email,
        changes,
    );
    text(
        "electronicInvoiceSdiCode",
        &row.electronic_invoice_sdi_code,
        &store.electronic_invoice_sdi_code,
        &mut up.electronic_invoice_sdi_code,
        changes,
    );
    let marketing = (row.accept_marketing, store.accept_marketing);
    boolean(
        "acceptMarketing",
        marketing.0,
        marketing.1,
        &mut up.accept_marketing,
        changes,
    );
    text("lang", &row.lang, &store.lang, &mut up.lang, changes);
    text(
        "privateAdminNotes",
        &row.private_admin_notes,
        &store.private_admin_notes,
        &mut up.private_admin_notes,
        changes,
    );
}

/// The fields of an address, by name, for comparing them one by one.
fn address_fields(a: &Address) -> [(&'static str, &Option<String>); 10] {
    [
        ("name", &a.name),
        ("companyName", &a.company_name),
        ("street", &a.street),
        ("city", &a.city),
        ("countryCode", &a.country_code),
        ("countryName", &a.country_name),
        ("postalCode", &a.postal_code),
        ("stateOrProvinceCode", &a.state_or_province_code),
        ("stateOrProvinceName", &a.state_or_province_name),
        ("phone", &a.phone),
    ]
}

/// The fields of `row` that differ from `store`'s (absent: every set field differs).
fn address_changes(prefix: &str, row: &Address, store: Option<&Address>) -> Vec<Change> {
    let empty = Address::default();
    let theirs = address_fields(store.unwrap_or(&empty));
    let mut changes = Vec::new();
    for ((name, new), (_, old)) in address_fields(row).into_iter().zip(theirs) {
        let Some(new) = set(new) else { continue };
        let same = match set(old) {
            Some(old) if name == "countryCode" => old.trim().eq_ignore_ascii_case(new.trim()),
            old => old == Some(new),
        };
        if !same {
            changes.push(change(&format!("{prefix}.{name}"), shown(old), new.into()));
        }
    }
    changes
}

/// The store's address (its blank fields left out) with the row's set fields over it.
fn overlay(store: Option<&Address>, row: &Address) -> Address {
    let pick = |row: &Option<String>, store: Option<&Option<String>>| {
        set(row).or_else(|| store.and_then(set)).map(str::to_string)
    };
    let s = store;
    Address {
        id: s.and_then(|a| a.id),
        name: pick(&row.name, s.map(|a| &a.name)),
        company_name: pick(&row.company_name, s.map(|a| &a.company_name)),
        street: pick(&row.street, s.map(|a| &a.street)),
        city: pick(&row.city, s.map(|a| &a.city)),
        country_code: pick(&row.country_code, s.map(|a| &a.country_code)),
        country_name: pick(&row.country_name, s.map(|a| &a.country_name)),
        postal_code: pick(&row.postal_code, s.map(|a| &a.postal_code)),
        state_or_province_code: pick(
            &row.state_or_province_code,
            s.map(|a| &a.state_or_province_code),
        ),
        state_or_province_name: pick(
            &row.state_or_province_name,
            s.map(|a| &a.state_or_province_name),
        ),
        phone: pick(&row.phone, s.map(|a| &a.phone)),
    }
}

/// The key two values match by: trimmed, in any case, inner spaces as one.
fn key(value: &Option<String>) -> String {
    let value = value.as_deref().unwrap_or_default().to_lowercase();
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The row's shipping addresses against the store's, matched by street and postal code: the
/// changes, and the store's list with the row's new and changed entries.
fn shipping(row: &[Address], store: &[Address]) -> (Vec<Change>, Vec<Address>) {
    let mut merged: Vec<Address> = store.iter().map(|a| overlay(Some(a), a)).collect();
    let mut changes = Vec::new();
    for address in row {
        let same_place = |a: &Address| {
            key(&a.street) == key(&address.street)
                && key(&a.postal_code) == key(&address.postal_code)
        };
        match merged.iter().position(same_place) {
            Some(at) => {
                let prefix = format!("shippingAddresses.{at}");
                let found = address_changes(&prefix, address, merged.get(at));
                if !found.is_empty() {
                    merged[at] = overlay(merged.get(at), address);
                    changes.extend(found);
                }
            }
            None => {
                let field = format!("shippingAddresses.{}", merged.len());
                changes.push(change(&field, String::new(), describe_address(address)));
                merged.push(overlay(None, address));
            }
        }
    }
    (changes, merged)
}

/// A new address in one line: its set fields, in the API's order.
fn describe_address(address: &Address) -> String {
    let parts: Vec<&str> = address_fields(address)
        .into_iter()
        .filter_map(|(_, value)| set(value))
        .collect();
    parts.join(", ")
}

/// Whether a store contact is the row's: same type (any case) and same value (any case for
/// an `EMAIL`, else as written, trimmed).
fn same_contact(store: &Contact, row: &Contact) -> bool {
    let kind = |c: &Contact| c.kind.as_deref().unwrap_or_default().trim().to_uppercase();
    if kind(store) != kind(row) {
        return false;
    }
    let value = |c: &Contact| c.contact.as_deref().unwrap_or_default().trim().to_string();
    if kind(row) == "EMAIL" {
        value(store).eq_ignore_ascii_case(&value(row))
    } else {
        value(store) == value(row)
    }
}

/// The row's contacts against the store's, matched by type and value: the changes, and the
/// store's list with the row's new and changed entries.
fn contact_list(row: &[Contact], store: &[Contact]) -> (Vec<Change>, Vec<Contact>) {
    let mut merged = store.to_vec();
    let mut changes = Vec::new();
    for contact in row {
        match merged.iter().position(|c| same_contact(c, contact)) {
            Some(at) => {
                let before = merged.get(at).cloned().unwrap_or_default();
                let found = contact_changes(at, contact, &before);
                if !found.is_empty() {
                    merged[at] = Contact {
                        handle: set(&contact.handle).map(str::to_string).or(before.handle),
                        note: set(&contact.note).map(str::to_string).or(before.note),
                        default: contact.default.or(before.default),
                        order_by: contact.order_by.or(before.order_by),
                        ..before
                    };
                    changes.extend(found);
                }
            }
            None => {
                let field = format!("contacts.{}", merged.len());
                let new = format!(
                    "{} {}",
                    contact.kind.as_deref().unwrap_or_default(),
                    contact.contact.as_deref().unwrap_or_default()
                );
                changes.push(change(&field, String::new(), new.trim().to_string()));
                merged.push(contact.clone());
            }
        }
    }
    (changes, merged)
}

/// The fields of a matched contact besides its type and value that the row sets differently.
fn contact_changes(at: usize, row: &Contact, store: &Contact) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut one = |name: &str, old: String, new: String| {
        changes.push(change(&format!("contacts.{at}.{name}"), old, new));
    };
    for (name, new, old) in [
        ("handle", &row.handle, &store.handle),
        ("note", &row.note, &store.note),
    ] {
        if let Some(new) = set(new)
            && set(old) != Some(new)
        {
            one(name, shown(old), new.to_string());
        }
    }
    if let Some(new) = row.default
        && store.default != Some(new)
    {
        let old = store.default.map(|b| b.to_string()).unwrap_or_default();
        one("default", old, new.to_string());
    }
    if let Some(new) = row.order_by
        && store.order_by != Some(new)
    {
        let old = store.order_by.map(|n| n.to_string()).unwrap_or_default();
        one("orderBy", old, new.to_string());
    }
    changes
}

/// Extra fields by key; a `PUT` sets the ones it names, so only those that differ are sent.
fn extra_fields(row: &[ExtraField], store: &[ExtraField], diff: &mut Diff) {
    for field in row {
        if field.value.trim().is_empty() {
            continue;
        }
        let old = store
            .iter()
            .find(|s| s.key == field.key)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        if old != field.value {
            let name = format!("extrafields.{}", field.key);
            diff.changes.push(change(&name, old, field.value.clone()));
            diff.update
                .extrafields
                .get_or_insert_with(Vec::new)
                .push(field.clone());
        }
    }
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
