//! A customer as the store answers it (`GET /customers`, `GET /customers/{id}`): the shape of
//! the listing example in the API notes, which is more than a request holds. Text fields come
//! back as empty strings when unset, contacts and addresses carry ids and timestamps, the group
//! comes with its name, and the store adds an `EMAIL` contact made from the email.
//!
//! A record is read leniently ([`super::lenient`]): any field may be `null` or missing, at any
//! depth, and reads as unset. A field present with a type that cannot be read does not fail the
//! record either: the first one is named in [`CustomerRecord::unreadable`], and what needs the
//! whole record (the comparison of an update, an undo) refuses it with that name, while what
//! needs only the id and email (does the customer exist?) still has them.
//!
//! Beside the typed view the record keeps the object as the store sent it ([`CustomerRecord::raw`]):
//! an update sends the store's entries back from it, every field included, known to this tool or
//! not, and the undo log keeps from it what an update replaces.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::lenient::Lenient;
use super::{Address, Contact, CustomerRequest, ExtraField};

/// One customer record as the store returns it: the typed view the comparison reads, and the
/// record as it came.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerRecord {
    /// Absent only in a body that is not a customer: the reader refuses it.
    pub id: Option<u64>,
    pub email: Option<String>,
    /// The top-level `name`: the docs' own search example holds a customer with it and no
    /// `billingPerson`. See [`CustomerRecord::customer_name`].
    pub name: Option<String>,
    pub registered: Option<String>,
    pub customer_group_id: Option<u64>,
    pub customer_group_name: Option<String>,
    pub billing_person: Option<Address>,
    /// One entry per entry of the store's list, in its order (a `null` entry reads as an empty
    /// one), so that a position here is the same position in [`CustomerRecord::raw`].
    pub shipping_addresses: Option<Vec<Address>>,
    /// One entry per entry of the store's list, as for the addresses.
    pub contacts: Option<Vec<Contact>>,
    pub b2b_b2c: Option<String>,
    pub tax_id: Option<String>,
    pub tax_id_valid: Option<bool>,
    pub tax_exempt: Option<bool>,
    pub accept_marketing: Option<bool>,
    pub lang: Option<String>,
    pub private_admin_notes: Option<String>,
    pub fiscal_code: Option<String>,
    pub electronic_invoice_pec_email: Option<String>,
    pub electronic_invoice_sdi_code: Option<String>,
    /// One entry per entry of the store's list; a `null` key or value reads as `""` (unset).
    pub extrafields: Option<Vec<ExtraField>>,
    /// Orders the customer placed: `undo` never deletes a customer with orders.
    pub total_order_count: Option<u64>,
    /// The record's object as the store sent it.
    pub raw: Map<String, Value>,
    /// The first field that could not be read, by its path and what it held
    /// (`contacts.1.orderBy: a whole number was expected, found "x"`); `None` when every field
    /// the tool reads was read.
    pub unreadable: Option<String>,
}

/// The fields of a record the comparison reads, for `responseFields`: the look-up asks for
/// these and no more.
pub(crate) const COMPARED_FIELDS: &str = "id,email,name,registered,customerGroupId,\
customerGroupName,billingPerson,shippingAddresses,contacts,b2b_b2c,taxId,taxIdValid,taxExempt,\
acceptMarketing,lang,privateAdminNotes,fiscalCode,electronicInvoicePecEmail,\
electronicInvoiceSdiCode,extrafields";

impl CustomerRecord {
    /// Reads a record from the store's JSON. Only a value that is not an object at all is
    /// refused; an unreadable field is named in [`CustomerRecord::unreadable`].
    pub fn read(value: Value) -> Result<Self, String> {
        match value {
            Value::Object(raw) => Ok(Self::of_object(raw)),
            other => {
                let mut l = Lenient::default();
                l.refuse("the customer".into(), "an object", &other);
                Err(l.problem.unwrap_or_default())
            }
        }
    }

    fn of_object(raw: Map<String, Value>) -> Self {
        let mut l = Lenient::default();
        let o = &raw;
        let billing_person = l
            .object(o, "", "billingPerson")
            .map(|person| address(&mut l, person, "billingPerson"));
        let mut record = CustomerRecord {
            id: l.whole(o, "", "id"),
            email: l.text(o, "", "email"),
            name: l.text(o, "", "name"),
            registered: l.text(o, "", "registered"),
            customer_group_id: l.whole(o, "", "customerGroupId"),
            customer_group_name: l.text(o, "", "customerGroupName"),
            billing_person,
            shipping_addresses: l.list(o, "", "shippingAddresses", address),
            contacts: l.list(o, "", "contacts", contact),
            b2b_b2c: l.text(o, "", "b2b_b2c"),
            tax_id: l.text(o, "", "taxId"),
            tax_id_valid: l.boolean(o, "", "taxIdValid"),
            tax_exempt: l.boolean(o, "", "taxExempt"),
            accept_marketing: l.boolean(o, "", "acceptMarketing"),
            lang: l.text(o, "", "lang"),
            private_admin_notes: l.text(o, "", "privateAdminNotes"),
            fiscal_code: l.text(o, "", "fiscalCode"),
            electronic_invoice_pec_email: l.text(o, "", "electronicInvoicePecEmail"),
            electronic_invoice_sdi_code: l.text(o, "", "electronicInvoiceSdiCode"),
            extrafields: l.list(o, "", "extrafields", extra_field),
            total_order_count: l.whole(o, "", "totalOrderCount"),
            raw: Map::new(),
            unreadable: None,
        };
        record.unreadable = l.problem;
        record.raw = raw;
        record
    }

    /// The customer's name: `billingPerson.name`, or where that is empty the top-level `name`
    /// (a customer the store holds with a name and no billing person). The comparison, `plan`,
    /// `undo` and `export` all take the name from here.
    pub fn customer_name(&self) -> Option<&str> {
        fn set(name: Option<&str>) -> Option<&str> {
            name.filter(|n| !n.trim().is_empty())
        }
        set(self.billing_person.as_ref().and_then(|b| b.name.as_deref()))
            .or_else(|| set(self.name.as_deref()))
    }

    /// The record's fields as a request holds them: how `undo` reads a logged body (which is the
    /// store's entries sent back, and may hold what a request's own reader would refuse).
    pub(crate) fn request(&self) -> CustomerRequest {
        CustomerRequest {
            email: self.email.clone(),
            password: None,
            billing_person: self.billing_person.clone(),
            shipping_addresses: self.shipping_addresses.clone(),
            contacts: self.contacts.clone(),
            customer_group_id: self.customer_group_id,
            customer_group_name: self.customer_group_name.clone(),
            b2b_b2c: self.b2b_b2c.clone(),
            tax_id: self.tax_id.clone(),
            tax_id_valid: self.tax_id_valid,
            tax_exempt: self.tax_exempt,
            accept_marketing: self.accept_marketing,
            lang: self.lang.clone(),
            private_admin_notes: self.private_admin_notes.clone(),
            fiscal_code: self.fiscal_code.clone(),
            electronic_invoice_pec_email: self.electronic_invoice_pec_email.clone(),
            electronic_invoice_sdi_code: self.electronic_invoice_sdi_code.clone(),
            extrafields: self.extrafields.clone(),
            lang_if_enabled: false,
        }
    }
}

/// Through [`CustomerRecord::read`], so that every reader of a record (a `GET`, a look-up, a
/// listing) is lenient alike.
impl<'de> Deserialize<'de> for CustomerRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        CustomerRecord::read(value).map_err(serde::de::Error::custom)
    }
}

fn address(l: &mut Lenient, o: &Map<String, Value>, at: &str) -> Address {
    Address {
        id: l.whole(o, at, "id"),
        name: l.text(o, at, "name"),
        company_name: l.text(o, at, "companyName"),
        street: l.text(o, at, "street"),
        city: l.text(o, at, "city"),
        country_code: l.text(o, at, "countryCode"),
        country_name: l.text(o, at, "countryName"),
        postal_code: l.text(o, at, "postalCode"),
        state_or_province_code: l.text(o, at, "stateOrProvinceCode"),
        state_or_province_name: l.text(o, at, "stateOrProvinceName"),
        phone: l.text(o, at, "phone"),
    }
}

fn contact(l: &mut Lenient, o: &Map<String, Value>, at: &str) -> Contact {
    Contact {
        id: l.whole(o, at, "id"),
        kind: l.text(o, at, "type"),
        contact: l.text(o, at, "contact"),
        handle: l.text(o, at, "handle"),
        note: l.text(o, at, "note"),
        default: l.boolean(o, at, "default"),
        order_by: l.whole(o, at, "orderBy"),
    }
}

fn extra_field(l: &mut Lenient, o: &Map<String, Value>, at: &str) -> ExtraField {
    ExtraField {
        key: l.text(o, at, "key").unwrap_or_default(),
        value: l.text(o, at, "value").unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The listing example of the API notes reads, and is kept as it came.
    #[test]
    fn reads_the_listing_example() {
        let example = json!(
            {"id": 177737165, "name": "Support team", "email": "ec.apps@example.com",
             "registered": "2021-12-21 06:05:58 +0000", "updated": "2024-06-04 21:15:10 +0000",
             "totalOrderCount": 0, "customerGroupId": 0, "customerGroupName": "General",
             "billingPerson": {"name": "Support team", "firstName": "Support", "lastName": "team"},
             "shippingAddresses": [],
             "contacts": [{"id": 113861381, "contact": "ec.apps@example.com", "type": "EMAIL",
                           "default": true, "orderBy": 0, "timestamp": "2024-06-04 21:15:10 +0000"}],
             "taxExempt": false, "taxId": "", "taxIdValid": true, "b2b_b2c": "b2c",
             "fiscalCode": null, "lang": "en", "privateAdminNotes": "", "favorites": []}
        );
        let record: CustomerRecord = serde_json::from_value(example.clone()).expect("reads");
        assert_eq!(record.id, Some(177_737_165));
        assert_eq!(record.customer_group_id, Some(0));
        assert_eq!(record.tax_id.as_deref(), Some(""));
        assert_eq!(record.fiscal_code, None);
        assert_eq!(record.unreadable, None);
        let contacts = record.contacts.clone().unwrap_or_default();
        assert_eq!(contacts[0].kind.as_deref(), Some("EMAIL"));
        assert_eq!(contacts[0].default, Some(true));
        assert_eq!(Value::Object(record.raw), example);
    }

    /// Nulls at every depth read as unset: an extra field set up but never filled, contact and
    /// address fields, list entries, top-level fields.
    #[test]
    fn nulls_at_every_depth_are_unset() {
        let record = CustomerRecord::read(json!({
            "id": 5, "email": "a@example.com", "name": null, "taxId": null, "acceptMarketing": null,
            "billingPerson": {"name": null, "city": null, "countryCode": "DE"},
            "shippingAddresses": [null, {"street": null, "id": null}],
            "contacts": [{"type": "PHONE", "contact": "+1", "handle": null, "orderBy": null,
                          "default": null}],
            "extrafields": [{"key": "loyalty", "value": null, "title": null, "type": null},
                            {"key": null, "value": "x"}],
            "customerGroupId": null, "totalOrderCount": null,
        }))
        .expect("an object");
        assert_eq!(record.unreadable, None);
        assert_eq!(record.tax_id, None);
        assert_eq!(record.shipping_addresses.as_ref().map(Vec::len), Some(2));
        let person = record.billing_person.clone().unwrap_or_default();
        assert_eq!(person.country_code.as_deref(), Some("DE"));
        let fields = record.extrafields.clone().unwrap_or_default();
        assert_eq!(fields[0].key, "loyalty");
        assert_eq!(fields[0].value, "");
        assert_eq!(record.contacts.unwrap_or_default()[0].order_by, None);
    }

    /// A field of the wrong kind is named; the rest of the record still reads.
    #[test]
    fn an_unreadable_field_is_named_and_the_rest_reads() {
        let record = CustomerRecord::read(json!({
            "id": 5, "email": "a@example.com", "contacts": 5, "taxId": "X",
        }))
        .expect("an object");
        assert_eq!(
            record.unreadable.as_deref(),
            Some("contacts: a list was expected, found 5")
        );
        assert_eq!((record.id, record.tax_id.as_deref()), (Some(5), Some("X")));
        let record = CustomerRecord::read(json!({"id": "abc", "email": "a@example.com"}))
            .expect("an object");
        assert_eq!(record.id, None);
        assert_eq!(
            record.unreadable.as_deref(),
            Some(r#"id: a whole number was expected, found "abc""#)
        );
        assert!(CustomerRecord::read(json!([1])).is_err());
    }

    /// The name is `billingPerson.name`, or the top-level one where that is empty.
    #[test]
    fn the_customer_name_falls_back_to_the_top_level_name() {
        let read = |value| CustomerRecord::read(value).expect("an object");
        let top = read(json!({"id": 1, "name": "Ann Lee", "billingPerson": {"name": ""}}));
        assert_eq!(top.customer_name(), Some("Ann Lee"));
        let both = read(json!({"id": 1, "name": "Support", "billingPerson": {"name": "Bo"}}));
        assert_eq!(both.customer_name(), Some("Bo"));
        assert_eq!(read(json!({"id": 1, "name": " "})).customer_name(), None);
    }
}
