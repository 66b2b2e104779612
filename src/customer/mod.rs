//! The customer as Ecwid's `POST /customers` takes it, and the rules a value must meet.
//!
//! The request model mirrors the API's JSON (see the create-customer page): every field is
//! optional and left out of the body when absent, so a request holds only what the row gave.
//! The HTTP client and the sandbox share this model; neither knows about CSV.

pub(crate) mod countries;
pub(crate) mod fields;
mod lenient;
pub mod record;
pub mod rules;
mod spreadsheet;

use serde::{Deserialize, Serialize};

/// Body of `POST /customers` and `PUT /customers/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_person: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_addresses: Option<Vec<Address>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<Contact>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_group_id: Option<u64>,
    /// Sent only by clients that did not resolve the name to an id; ecwid-import resolves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_group_name: Option<String>,
    #[serde(rename = "b2b_b2c", skip_serializing_if = "Option::is_none")]
    pub b2b_b2c: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id_valid: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_exempt: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_marketing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_admin_notes: Option<String>,
    /// Italian e-invoicing: the customer's codice fiscale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_code: Option<String>,
    /// Italian e-invoicing: the certified (PEC) address invoices go to. Text, not checked as
    /// an email address: the API documents it as a string with no format, so the store judges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electronic_invoice_pec_email: Option<String>,
    /// Italian e-invoicing: the SDI recipient code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electronic_invoice_sdi_code: Option<String>,
    /// In the order of the row's columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extrafields: Option<Vec<ExtraField>>,
    /// `lang` came from a column of languages that the store may not all have (a `Language`
    /// column of an export, not the canonical `lang`): a language the store has not enabled
    /// is left out with a note, and the row is sent, rather than refusing the row. Never sent.
    #[serde(skip)]
    pub lang_if_enabled: bool,
}

/// `billingPerson` and each entry of `shippingAddresses` (same fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The store's id of a shipping address: never from a row; kept when an update sends the
    /// store's list back, so the store keeps its entries as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_or_province_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_or_province_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One entry of `extrafields`: a customer extra field, by the key the store gave it.
///
/// The store's entries also carry a `title` and a `type`, which belong to the store's settings
/// of the field (`GET /store_extrafields/customers` lists them). A row gives a key and a value;
/// an update sends the customer's whole list back, the store's entries as they came (`title`
/// and `type` included) with the row's values over them by key ([`crate::store::compare`]), so
/// nothing the store holds is lost whether a `PUT` merges the list or replaces it.
///
/// A `null` key or value (a field set up in the store but never filled) reads as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtraField {
    #[serde(deserialize_with = "null_as_empty")]
    pub key: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub value: String,
}

/// A string that may be `null`, as `""`.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// One entry of `contacts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// The store's id of the contact: never from a row; kept when an update sends the store's
    /// list back, so the store keeps its entries as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<u64>,
}

/// Drops the bare contacts (a type and a value, no handle, note or default) that only repeat
/// the customer's email or an earlier contact of their type: a person would not enter the
/// same address twice (WooCommerce orders' `billing_email` beside `customer_email`). Emails
/// compare ignoring case, other contacts as written.
pub(crate) fn without_repeats(contacts: &mut Vec<Contact>, email: Option<&str>) {
    let key = |kind: &str, value: &str| {
        let value = value.trim();
        if kind.eq_ignore_ascii_case("EMAIL") {
            ("EMAIL".to_string(), value.to_lowercase())
        } else {
            (kind.to_ascii_uppercase(), value.to_string())
        }
    };
    let mut seen: Vec<(String, String)> = email.map(|e| key("EMAIL", e)).into_iter().collect();
    contacts.retain(|c| {
        let (Some(kind), Some(value)) = (&c.kind, &c.contact) else {
            return true;
        };
        let bare = c.handle.is_none() && c.note.is_none() && c.default.is_none() && c.id.is_none();
        let key = key(kind, value);
        if bare && seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
}

/// Drops the leading lines of an address's street that only name its addressee: the
/// customer's or the address's own name or company, as QuickBooks writes a customer's name
/// (and its contact's) before the street in `BillAddr1`..`BillAddr5`. A street that is
/// nothing but such lines is kept as it is.
pub(crate) fn without_addressee_lines(address: &mut Address, customer: &[Option<String>]) {
    let Some(street) = address.street.as_deref() else {
        return;
    };
    let names: Vec<String> = customer
        .iter()
        .chain([&address.name, &address.company_name])
        .flatten()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    let lines: Vec<&str> = street.lines().collect();
    let addressee = lines
        .iter()
        .take_while(|l| names.contains(&l.trim().to_lowercase()))
        .count();
    if addressee > 0 && addressee < lines.len() {
        address.street = Some(lines[addressee..].join("\n"));
    }
}

/// The contact types Ecwid accepts, upper case.
pub(crate) const CONTACT_TYPES: &[&str] = &[
    "EMAIL",
    "PHONE",
    "FACEBOOK",
    "INSTAGRAM",
    "TWITTER",
    "YOUTUBE",
    "TIKTOK",
    "PINTEREST",
    "VK",
    "FB_MESSENGER",
    "WHATSAPP",
    "TELEGRAM",
    "VIBER",
    "URL",
    "OTHER",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(kind: &str, value: &str) -> Contact {
        Contact {
            kind: Some(kind.into()),
            contact: Some(value.into()),
            ..Contact::default()
        }
    }

    /// QuickBooks' addressee lines before the street go; a street of names only stays.
    #[test]
    fn the_addressee_lines_before_a_street_are_dropped() {
        let mut address = Address {
            company_name: Some("Lund Design".into()),
            street: Some("Lund Design\nKay Lund\n12 Harbour Rd\nUnit 4".into()),
            ..Address::default()
        };
        without_addressee_lines(&mut address, &[Some("Kay Lund".into())]);
        assert_eq!(address.street.as_deref(), Some("12 Harbour Rd\nUnit 4"));
        let mut only = Address {
            street: Some("KAY LUND".into()),
            ..Address::default()
        };
        without_addressee_lines(&mut only, &[Some("Kay Lund".into())]);
        assert_eq!(only.street.as_deref(), Some("KAY LUND"));
        let mut street = Address {
            street: Some("1 Main St\nKay Lund".into()),
            ..Address::default()
        };
        without_addressee_lines(&mut street, &[Some("Kay Lund".into())]);
        assert_eq!(street.street.as_deref(), Some("1 Main St\nKay Lund"));
    }

    /// Bare repeats go (the email again in any case, a phone twice); a repeat that says more
    /// (a default, a note) stays, as do different values.
    #[test]
    fn bare_repeats_of_the_email_or_a_contact_are_dropped() {
        let mut marked = contact("EMAIL", "ann@example.com");
        marked.default = Some(true);
        let mut contacts = vec![
            contact("EMAIL", "Ann@Example.com"),
            contact("PHONE", "+1 555 0100"),
            contact("PHONE", "+1 555 0100"),
            contact("EMAIL", "ann.work@example.com"),
            marked.clone(),
            contact("URL", "ann@example.com"),
        ];
        without_repeats(&mut contacts, Some("ann@example.com"));
        assert_eq!(
            contacts,
            [
                contact("PHONE", "+1 555 0100"),
                contact("EMAIL", "ann.work@example.com"),
                marked,
                contact("URL", "ann@example.com"),
            ]
        );
    }
}
