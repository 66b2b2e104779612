//! A customer as the store answers it (`GET /customers`, `GET /customers/{id}`): the shape of
//! the listing example in the API notes, which is more than a request holds. Text fields come
//! back as empty strings when unset, contacts and addresses carry ids and timestamps, the group
//! comes with its name, and the store adds an `EMAIL` contact made from the email.
//!
//! Every field is optional and a `null` is taken as absent, so that a record from a store that
//! leaves a field out still reads; what a field's absence means is for the reader to judge.

use serde::{Deserialize, Serialize};

use super::{Address, Contact, ExtraField};

/// One customer record as the store returns it. Ids and timestamps of contacts and addresses
/// are not kept: nothing compares or sends them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerRecord {
    /// Absent only in a body that is not a customer: the reader refuses it.
    pub id: Option<u64>,
    pub email: Option<String>,
    pub registered: Option<String>,
    pub customer_group_id: Option<u64>,
    pub customer_group_name: Option<String>,
    pub billing_person: Option<Address>,
    pub shipping_addresses: Option<Vec<Address>>,
    pub contacts: Option<Vec<Contact>>,
    #[serde(rename = "b2b_b2c")]
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
    pub extrafields: Option<Vec<ExtraField>>,
    /// Orders the customer placed: `undo` never deletes a customer with orders.
    pub total_order_count: Option<u64>,
}

/// The fields of a record the comparison reads, for `responseFields`: the look-up asks for
/// these and no more.
pub(crate) const COMPARED_FIELDS: &str = "id,email,registered,customerGroupId,\
customerGroupName,billingPerson,shippingAddresses,contacts,b2b_b2c,taxId,taxIdValid,taxExempt,\
acceptMarketing,lang,privateAdminNotes,fiscalCode,electronicInvoicePecEmail,\
electronicInvoiceSdiCode,extrafields";

#[cfg(test)]
mod tests {
    use super::*;

    /// The listing example of the API notes reads, ids and timestamps left out.
    #[test]
    fn reads_the_listing_example() {
        let record: CustomerRecord = serde_json::from_value(serde_json::json!(
            {"id": 177737165, "name": "Support team", "email": "ec.apps@example.com",
             "registered": "2021-12-21 06:05:58 +0000", "updated": "2024-06-04 21:15:10 +0000",
             "totalOrderCount": 0, "customerGroupId": 0, "customerGroupName": "General",
             "billingPerson": {"name": "Support team", "firstName": "Support", "lastName": "team"},
             "shippingAddresses": [],
             "contacts": [{"id": 113861381, "contact": "ec.apps@example.com", "type": "EMAIL",
                           "default": true, "orderBy": 0, "timestamp": "2024-06-04 21:15:10 +0000"}],
             "taxExempt": false, "taxId": "", "taxIdValid": true, "b2b_b2c": "b2c",
             "fiscalCode": null, "lang": "en", "privateAdminNotes": "", "favorites": []}
        ))
        .expect("reads");
        assert_eq!(record.id, Some(177_737_165));
        assert_eq!(record.customer_group_id, Some(0));
        assert_eq!(record.tax_id.as_deref(), Some(""));
        assert_eq!(record.fiscal_code, None);
        let contacts = record.contacts.unwrap_or_default();
        assert_eq!(contacts[0].kind.as_deref(), Some("EMAIL"));
        assert_eq!(contacts[0].default, Some(true));
    }
}
