//! A customer as Ecwid's answers show it (`GET /customers`, `GET /customers/{id}`), which is
//! more than was sent: the listing example in `ecwid-api.md` has `registered` and `updated`, a
//! top-level `name`, the group's name, an `EMAIL` contact the store made from the email, and
//! the defaults of fields never set (empty strings for text).
//!
//! A client that reads records back (to compare a row with the store, or to undo) meets here
//! the shape it will meet in a real store, not an echo of what it sent.

use serde_json::{Map, Value, json};

use super::clock;
use super::store::Record;
use crate::customer::{Address, CustomerRequest};

/// The customer groups of every sandbox store; group 0 exists in every Ecwid store.
pub(crate) const GROUPS: &[(u64, &str)] = &[
    (0, "General"),
    (9_367_001, "VIP"),
    (9_367_002, "Wholesale"),
    (9_367_003, "Retail partners"),
];

/// The record of customer `id` as the API answers it; never with its password. `lang` is the
/// store's default language, which a customer without one is shown with.
pub(crate) fn shown(id: u64, record: &Record, lang: &str) -> Value {
    let customer = &record.customer;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let updated = clock::format(record.updated);
    let group_id = group_of(customer);
    let group_name = GROUPS
        .iter()
        .find(|(id, _)| *id == group_id)
        .map_or("", |(_, name)| name);
    let name = customer
        .billing_person
        .as_ref()
        .and_then(|b| b.name.clone())
        .unwrap_or_default();
    json!({
        "id": id,
        "name": name,
        "email": text(&customer.email),
        "registered": clock::format(record.registered),
        "updated": updated,
        "totalOrderCount": record.orders,
        "customerGroupId": group_id,
        "customerGroupName": group_name,
        "billingPerson": billing_person(customer.billing_person.as_ref()),
        "shippingAddresses": customer.shipping_addresses.clone().unwrap_or_default(),
        "contacts": contacts(id, customer, &updated),
        "taxExempt": customer.tax_exempt.unwrap_or(false),
        "taxId": text(&customer.tax_id),
        "taxIdValid": customer.tax_id_valid.unwrap_or(true),
        "b2b_b2c": customer.b2b_b2c.clone().unwrap_or_else(|| "b2c".into()),
        "fiscalCode": text(&customer.fiscal_code),
        "electronicInvoicePecEmail": text(&customer.electronic_invoice_pec_email),
        "electronicInvoiceSdiCode": text(&customer.electronic_invoice_sdi_code),
        "extrafields": customer.extrafields.clone().unwrap_or_default(),
        "acceptMarketing": customer.accept_marketing.unwrap_or(false),
        "lang": customer.lang.clone().unwrap_or_else(|| lang.to_string()),
        "stats": { "numberOfOrders": 0, "salesValue": 0, "averageOrderValue": 0 },
        "privateAdminNotes": text(&customer.private_admin_notes),
        "favorites": [],
    })
}

/// The customer's group: its id, or the group its name names (a client may send the name
/// alone, as the docs' example does), or 0, "General".
fn group_of(customer: &CustomerRequest) -> u64 {
    customer.customer_group_id.unwrap_or_else(|| {
        let name = customer.customer_group_name.as_deref().unwrap_or("").trim();
        GROUPS
            .iter()
            .find(|(_, group)| group.eq_ignore_ascii_case(name))
            .map_or(0, |(id, _)| *id)
    })
}

/// The billing person as given, with the name also split in `firstName` and `lastName` at its
/// first space, as the listing example shows it; `{}` when there is none.
fn billing_person(person: Option<&Address>) -> Value {
    let mut shown = person
        .and_then(|p| serde_json::to_value(p).ok())
        .unwrap_or_else(|| Value::Object(Map::new()));
    if let (Value::Object(fields), Some(name)) = (&mut shown, person.and_then(|p| p.name.as_ref()))
    {
        let name = name.trim();
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        fields.insert("firstName".into(), first.into());
        fields.insert("lastName".into(), last.trim().into());
    }
    shown
}

/// The contacts given, each with an id, a position and `timestamp`, after an `EMAIL` contact
/// the store makes from the email unless one of them already is that address. The made one is
/// the default email contact unless a given one is.
fn contacts(id: u64, customer: &CustomerRequest, timestamp: &str) -> Vec<Value> {
    let given = customer.contacts.as_deref().unwrap_or_default();
    let email = customer.email.as_deref().unwrap_or("").trim();
    let is_email = |kind: &Option<String>| kind.as_deref() == Some("EMAIL");
    let listed = given.iter().any(|c| {
        is_email(&c.kind)
            && c.contact
                .as_deref()
                .is_some_and(|a| a.trim().eq_ignore_ascii_case(email))
    });
    let default_given = given
        .iter()
        .any(|c| is_email(&c.kind) && c.default == Some(true));
    let mut shown = Vec::new();
    if !email.is_empty() && !listed {
        shown.push(json!({
            "contact": email,
            "type": "EMAIL",
            "default": !default_given,
            "orderBy": 0,
        }));
    }
    shown.extend(given.iter().filter_map(|c| serde_json::to_value(c).ok()));
    for (position, contact) in shown.iter_mut().enumerate() {
        if let Value::Object(fields) = contact {
            let contact_id = id.saturating_mul(1000).saturating_add(position as u64);
            fields.insert("id".into(), contact_id.into());
            fields.entry("default").or_insert(false.into());
            fields.entry("orderBy").or_insert(position.into());
            fields.insert("timestamp".into(), timestamp.into());
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body: Value) -> Record {
        Record {
            customer: serde_json::from_value(body).expect("a customer"),
            registered: 1_640_066_758,
            updated: 1_717_535_710,
            revision: 1,
            orders: 0,
        }
    }

    #[test]
    fn shows_the_listing_example() {
        let shown = shown(
            177_737_165,
            &record(json!({
                "email": "ec.apps@example.com", "password": "secret",
                "billingPerson": {"name": "Support team"},
            })),
            "en",
        );
        assert_eq!(shown["registered"], "2021-12-21 06:05:58 +0000");
        assert_eq!(shown["updated"], "2024-06-04 21:15:10 +0000");
        assert_eq!(shown["name"], "Support team");
        assert_eq!(
            shown["billingPerson"],
            json!({"name": "Support team", "firstName": "Support", "lastName": "team"})
        );
        assert_eq!(
            shown["contacts"],
            json!([{"id": 177_737_165_000_u64, "contact": "ec.apps@example.com", "type": "EMAIL",
                    "default": true, "orderBy": 0, "timestamp": "2024-06-04 21:15:10 +0000"}])
        );
        assert_eq!(shown["customerGroupName"], "General");
        assert!(shown.get("password").is_none());
    }

    #[test]
    fn an_email_contact_given_is_not_made_twice() {
        let shown = shown(
            7,
            &record(json!({
                "email": "a@example.com", "customerGroupName": "vip",
                "contacts": [
                    {"type": "EMAIL", "contact": "other@example.com", "default": true},
                    {"type": "PHONE", "contact": "+1 555"},
                ],
            })),
            "fr",
        );
        let contacts = shown["contacts"].as_array().expect("contacts");
        assert_eq!(contacts.len(), 3);
        assert_eq!(contacts[0]["contact"], "a@example.com");
        assert_eq!(contacts[0]["default"], false);
        assert_eq!(contacts[2]["orderBy"], 2);
        assert_eq!(
            (&shown["customerGroupId"], &shown["lang"]),
            (&json!(9_367_001), &json!("fr"))
        );
        let own = record(json!({
            "email": "a@example.com",
            "contacts": [{"type": "EMAIL", "contact": "A@example.com"}],
        }));
        assert_eq!(
            super::shown(7, &own, "en")["contacts"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
    }
}
