//! The comparison of a row's request with the store's record of the same customer: the list
//! of changes (`field: "old" -> "new"`, the text `plan` shows and the results file notes) and
//! the `PUT /customers/{id}` body that makes them.
//!
//! The rules, which keep an update from losing what the store has:
//! - only the fields the row sets are compared: a blank cell never clears a field;
//! - `password` never (the store does not return it), nor `email` (the look-up matched it);
//! - the store's empty strings stand for unset text; country codes compare in any case; the
//!   group compares by `customerGroupId`, never by the store's group name;
//! - what the store derives is no difference ([`super::derived`]): a country's or state's name
//!   where its code is known, the `EMAIL` contact made from the email, ids and timestamps;
//! - the customer's name is `billingPerson.name`, or the top-level `name` where that is empty
//!   ([`CustomerRecord::customer_name`]);
//! - contacts match by type and value (the value in any case for `EMAIL`), shipping addresses
//!   by street and postal code, extra fields by key ([`super::lists`]);
//! - the body is JSON built on the store's own: a list that holds a change (`contacts`,
//!   `shippingAddresses`, `extrafields`, which a `PUT` may replace whole) is sent whole, the
//!   store's entries as they came (every field, known to this tool or not) with the row's new
//!   and changed entries over them; `billingPerson`, when it differs, is the store's object with
//!   the row's changed fields over it. No entry or field of the store is dropped, but the names
//!   the store derives beside a code ([`super::derived::strip_names_beside_codes`]).

use serde_json::Value;

use super::diff::{Change, Diff, address_differences, change, overlay, set, shown};
use super::lists;
use crate::customer::record::CustomerRecord;
use crate::customer::{Address, CustomerRequest};

/// Compares `row` (the request the import would send) with `store`'s record.
pub(crate) fn compare(row: &CustomerRequest, store: &CustomerRecord) -> Diff {
    let mut diff = Diff::default();
    let mut top = CustomerRequest::default();
    top_level(row, store, &mut top, &mut diff.changes);
    if let Ok(Value::Object(fields)) = serde_json::to_value(&top) {
        diff.update = fields;
    }
    if let Some(person) = &row.billing_person {
        billing_person(person, store, &mut diff);
    }
    if let Some(addresses) = &row.shipping_addresses {
        lists::shipping(addresses, store, &mut diff);
    }
    if let Some(contacts) = &row.contacts {
        lists::contacts(contacts, store, &mut diff);
    }
    if let Some(fields) = &row.extrafields {
        lists::extra_fields(fields, store, &mut diff);
    }
    diff
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

/// The fields outside `billingPerson`, the lists and the extra fields; their new values go
/// into `up`.
fn top_level(
    row: &CustomerRequest,
    store: &CustomerRecord,
    up: &mut CustomerRequest,
    changes: &mut Vec<Change>,
) {
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
    let texts = [
        ("b2b_b2c", &row.b2b_b2c, &store.b2b_b2c, &mut up.b2b_b2c),
        ("taxId", &row.tax_id, &store.tax_id, &mut up.tax_id),
    ];
    for (name, new, old, into) in texts {
        text(name, new, old, into, changes);
    }
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
    let invoicing = [
        (
            "fiscalCode",
            &row.fiscal_code,
            &store.fiscal_code,
            &mut up.fiscal_code,
        ),
        (
            "electronicInvoicePecEmail",
            &row.electronic_invoice_pec_email,
            &store.electronic_invoice_pec_email,
            &mut up.electronic_invoice_pec_email,
        ),
        (
            "electronicInvoiceSdiCode",
            &row.electronic_invoice_sdi_code,
            &store.electronic_invoice_sdi_code,
            &mut up.electronic_invoice_sdi_code,
        ),
    ];
    for (name, new, old, into) in invoicing {
        text(name, new, old, into, changes);
    }
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

/// `billingPerson`: compared with the store's, its name with the customer's name (the top-level
/// `name` where the billing person has none); when it differs, sent as the store's object with
/// the row's changed fields over it, and with the top-level name where the row and the store's
/// billing person give none, so that sending the object does not leave the customer nameless.
fn billing_person(row: &Address, store: &CustomerRecord, diff: &mut Diff) {
    let mut theirs = store.billing_person.clone().unwrap_or_default();
    theirs.name = store.customer_name().map(str::to_string);
    let differences = address_differences(row, &theirs);
    if differences.is_empty() {
        return;
    }
    for (name, old, new) in &differences {
        let field = format!("billingPerson.{name}");
        diff.changes.push(change(&field, old.clone(), new.clone()));
    }
    let raw = store.raw.get("billingPerson");
    let mut sent = overlay(raw, &differences);
    let own_name = store.billing_person.as_ref().and_then(|b| set(&b.name));
    if let (Value::Object(fields), None, Some(name)) = (&mut sent, own_name, store.customer_name())
        && fields
            .get("name")
            .and_then(Value::as_str)
            .is_none_or(|n| n.trim().is_empty())
    {
        fields.insert("name".into(), Value::String(name.to_string()));
    }
    diff.update.insert("billingPerson".into(), sent);
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
