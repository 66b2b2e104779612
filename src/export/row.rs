//! A customer of the store as one row of canonical columns: the values an import of the row
//! sends back unchanged ([`crate::store::compare`] finds no difference), and nothing that only
//! the store could say.
//!
//! - Everything the import reads from a column is written: the top-level fields, the billing
//!   person (its name as [`CustomerRecord::customer_name`] gives it), every shipping address
//!   and every contact in the store's order, every extra field (`extrafields.<key>`).
//! - The group goes by name (`customerGroupName`), so that it lands in the group of that name
//!   in another store; "General" (group 0), which every customer is in until put in another,
//!   is left blank. A group the store gives without a name goes by id (`customerGroupId`).
//! - Left out: what the store makes or keeps itself (ids, `registered`, `updated`, orders,
//!   stats), the password (never given out), and the `EMAIL` contact the store makes from the
//!   email (a store makes it again on import) unless it holds a handle or a note of its own.
//! - Country and state names are written beside their codes, for the reader: the import sends
//!   the code and the store names the place again.

use crate::customer::fields::{AddressField as A, ContactField as C, Field};
use crate::customer::record::CustomerRecord;
use crate::customer::{Address, Contact};

/// One customer's cells, by field, in the canonical order of their columns; blank values are
/// left out.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Cells {
    pub(crate) cells: Vec<(Field, String)>,
    /// Shipping addresses and contacts written: the columns the file needs.
    pub(crate) addresses: usize,
    pub(crate) contacts: usize,
    /// The group was written by id: the store gave no name for it.
    pub(crate) group_by_id: bool,
}

impl Cells {
    fn put(&mut self, field: Field, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            self.cells.push((field, value.to_string()));
        }
    }

    fn flag(&mut self, field: Field, value: Option<bool>) {
        if let Some(value) = value {
            self.cells.push((field, value.to_string()));
        }
    }
}

/// The name of group 0, which every store has.
const GENERAL: &str = "General";

/// The row of `record`.
pub(crate) fn cells(record: &CustomerRecord) -> Cells {
    let mut row = Cells::default();
    row.put(Field::Email, record.email.as_deref());
    let name = record
        .customer_group_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    match (record.customer_group_id, name) {
        (Some(0), _) | (None, None) => {}
        (None, Some(name)) if name.eq_ignore_ascii_case(GENERAL) => {}
        (_, Some(name)) => row.put(Field::CustomerGroupName, Some(name)),
        (Some(id), None) => {
            row.put(Field::CustomerGroupId, Some(&id.to_string()));
            row.group_by_id = true;
        }
    }
    row.put(Field::B2bB2c, record.b2b_b2c.as_deref());
    row.put(Field::TaxId, record.tax_id.as_deref());
    row.flag(Field::TaxIdValid, record.tax_id_valid);
    row.flag(Field::TaxExempt, record.tax_exempt);
    row.put(Field::FiscalCode, record.fiscal_code.as_deref());
    let pec = record.electronic_invoice_pec_email.as_deref();
    row.put(Field::ElectronicInvoicePecEmail, pec);
    let sdi = record.electronic_invoice_sdi_code.as_deref();
    row.put(Field::ElectronicInvoiceSdiCode, sdi);
    row.flag(Field::AcceptMarketing, record.accept_marketing);
    row.put(Field::Lang, record.lang.as_deref());
    row.put(
        Field::PrivateAdminNotes,
        record.private_admin_notes.as_deref(),
    );
    let mut person = record.billing_person.clone().unwrap_or_default();
    person.name = record.customer_name().map(str::to_string);
    address(&mut row, &person, Field::Billing);
    let mut at = 0;
    for entry in record.shipping_addresses.iter().flatten() {
        if address(&mut row, entry, |f| Field::Shipping(at, f)) {
            at += 1;
        }
    }
    row.addresses = at;
    let email = record.email.as_deref().unwrap_or_default().trim();
    let mut at = 0;
    for entry in record.contacts.iter().flatten() {
        if made_from_email(entry, email) {
            continue;
        }
        if contact(&mut row, entry, at) {
            at += 1;
        }
    }
    row.contacts = at;
    for field in record.extrafields.iter().flatten() {
        if !field.key.trim().is_empty() {
            let key = Field::Extra(field.key.as_str().into());
            row.put(key, Some(&field.value));
        }
    }
    row
}

/// Writes an address's fields under `field`; whether it held any.
fn address(row: &mut Cells, address: &Address, field: impl Fn(A) -> Field) -> bool {
    let before = row.cells.len();
    let values = [
        (A::Name, &address.name),
        (A::CompanyName, &address.company_name),
        (A::Street, &address.street),
        (A::City, &address.city),
        (A::CountryCode, &address.country_code),
        (A::CountryName, &address.country_name),
        (A::PostalCode, &address.postal_code),
        (A::StateOrProvinceCode, &address.state_or_province_code),
        (A::StateOrProvinceName, &address.state_or_province_name),
        (A::Phone, &address.phone),
    ];
    for (name, value) in values {
        row.put(field(name), value.as_deref());
    }
    row.cells.len() > before
}

/// Writes contact number `at`; whether it held a type or a value (an entry with neither is no
/// contact an import could send).
fn contact(row: &mut Cells, contact: &Contact, at: usize) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    if !set(&contact.kind) && !set(&contact.contact) {
        return false;
    }
    row.put(Field::Contact(at, C::Type), contact.kind.as_deref());
    row.put(Field::Contact(at, C::Contact), contact.contact.as_deref());
    row.put(Field::Contact(at, C::Handle), contact.handle.as_deref());
    row.put(Field::Contact(at, C::Note), contact.note.as_deref());
    row.flag(Field::Contact(at, C::Default), contact.default);
    let order = contact.order_by.map(|n| n.to_string());
    row.put(Field::Contact(at, C::OrderBy), order.as_deref());
    true
}

/// Whether `contact` is the `EMAIL` contact the store makes from the customer's email, holding
/// nothing else: a store makes it again when the row is imported.
fn made_from_email(contact: &Contact, email: &str) -> bool {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
    let kind = contact.kind.as_deref().unwrap_or_default().trim();
    let value = contact.contact.as_deref().unwrap_or_default().trim();
    kind.eq_ignore_ascii_case("EMAIL")
        && !email.is_empty()
        && value.eq_ignore_ascii_case(email)
        && blank(&contact.handle)
        && blank(&contact.note)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(value: serde_json::Value) -> Vec<(String, String)> {
        let record = CustomerRecord::read(value).expect("an object");
        let cells = cells(&record);
        cells
            .cells
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect()
    }

    /// The listing example: the store's own `EMAIL` contact, ids, dates, stats and "General"
    /// are left out; the name comes from the billing person; unset text is no cell.
    #[test]
    fn the_listing_example_is_its_fields_and_nothing_the_store_made() {
        let cells = row(json!(
            {"id": 177737165, "name": "Support team", "email": "ec.apps@example.com",
             "registered": "2021-12-21 06:05:58 +0000", "updated": "2024-06-04 21:15:10 +0000",
             "totalOrderCount": 0, "customerGroupId": 0, "customerGroupName": "General",
             "billingPerson": {"name": "Support team", "firstName": "Support", "lastName": "team"},
             "shippingAddresses": [],
             "contacts": [{"id": 113861381, "contact": "ec.apps@example.com", "type": "EMAIL",
                           "default": true, "orderBy": 0, "timestamp": "2024-06-04 21:15:10 +0000"}],
             "taxExempt": false, "taxId": "", "taxIdValid": true, "b2b_b2c": "b2c",
             "fiscalCode": "", "acceptMarketing": false, "lang": "en", "privateAdminNotes": "",
             "stats": {"numberOfOrders": 0}, "favorites": []}
        ));
        assert_eq!(
            cells,
            pairs(&[
                ("email", "ec.apps@example.com"),
                ("b2b_b2c", "b2c"),
                ("taxIdValid", "true"),
                ("taxExempt", "false"),
                ("acceptMarketing", "false"),
                ("lang", "en"),
                ("billingPerson.name", "Support team"),
            ])
        );
    }

    /// Groups by name, or by id when the store names none; lists numbered from 0 without the
    /// entries that hold nothing; an own `EMAIL` contact with a note of its own is kept.
    #[test]
    fn groups_lists_and_extra_fields() {
        let cells = row(json!({
            "id": 1, "email": "a@example.com", "name": "Ann Lee",
            "customerGroupId": 9367001, "customerGroupName": "VIP",
            "shippingAddresses": [null, {"street": "1 Main St\nFlat 2", "postalCode": "01234",
                                         "countryCode": "DE", "countryName": "Germany"}],
            "contacts": [{"type": "EMAIL", "contact": "A@example.com", "note": "work"},
                         {"type": "PHONE", "contact": "+49 30 1234", "default": false,
                          "orderBy": 2}],
            "extrafields": [{"key": "loyalty", "value": "00123", "title": "Loyalty"},
                            {"key": null, "value": "x"}, {"key": "empty", "value": null}],
        }));
        assert_eq!(
            cells,
            pairs(&[
                ("email", "a@example.com"),
                ("customerGroupName", "VIP"),
                ("billingPerson.name", "Ann Lee"),
                ("shippingAddresses.0.street", "1 Main St\nFlat 2"),
                ("shippingAddresses.0.countryCode", "DE"),
                ("shippingAddresses.0.countryName", "Germany"),
                ("shippingAddresses.0.postalCode", "01234"),
                ("contacts.0.type", "EMAIL"),
                ("contacts.0.contact", "A@example.com"),
                ("contacts.0.note", "work"),
                ("contacts.1.type", "PHONE"),
                ("contacts.1.contact", "+49 30 1234"),
                ("contacts.1.default", "false"),
                ("contacts.1.orderBy", "2"),
                ("extrafields.loyalty", "00123"),
            ])
        );
        let by_id = cells_of(json!({"id": 1, "email": "b@example.com", "customerGroupId": 7}));
        assert!(by_id.group_by_id);
        assert_eq!(by_id.cells[1].0.to_string(), "customerGroupId");
    }

    fn cells_of(value: serde_json::Value) -> Cells {
        cells(&CustomerRecord::read(value).expect("an object"))
    }
}
