//! The body of a create: the row's request, with what a create says that the row may not.
//!
//! - Marketing consent is never implied: a row that gives no `acceptMarketing` (no such column,
//!   or a blank cell) is created with `false`. Ecwid leaves a customer created without the field
//!   unset, and documents an unset value as open to promotions for orders: a newsletter app
//!   reading the customer could take it for consent. Only the create's body carries the
//!   default; the row's request keeps no value, so that the comparison of an update (after a
//!   409, or in a later run) never sees it and never sends it: an update leaves the store's
//!   value alone unless the row gives one. The run says once, at its end, how many customers
//!   were created so.
//! - A country's or state's name is not sent beside its code: the store names them from the code
//!   ([`crate::store::derived`]).

use std::borrow::Cow;
use std::sync::atomic::Ordering;

use super::Sender;
use crate::customer::{Address, CustomerRequest};
use crate::outcome::{RowOutcome, Status};

/// The note a plan's `would_create` row carries when its create would carry the default.
pub(super) const CONSENT_NOTE: &str =
    "sends acceptMarketing: false (the file gives no marketing consent; consent is never implied)";

/// Whether a row's create carries `acceptMarketing: false` for want of a value.
pub(crate) fn consent_defaulted(request: &CustomerRequest) -> bool {
    request.accept_marketing.is_none()
}

/// The request a create sends for `request` (the row's): the request itself when it needs
/// nothing added or left out, which is the common case on the hot path.
pub(crate) fn create_request(request: &CustomerRequest) -> Cow<'_, CustomerRequest> {
    let addresses = || {
        request
            .billing_person
            .iter()
            .chain(request.shipping_addresses.iter().flatten())
    };
    if !consent_defaulted(request) && !addresses().any(names_beside_codes) {
        return Cow::Borrowed(request);
    }
    let mut sent = request.clone();
    sent.accept_marketing.get_or_insert(false);
    let addresses = sent
        .billing_person
        .iter_mut()
        .chain(sent.shipping_addresses.iter_mut().flatten());
    for address in addresses {
        if has(&address.country_code) {
            address.country_name = None;
        }
        if has(&address.state_or_province_code) {
            address.state_or_province_name = None;
        }
    }
    Cow::Owned(sent)
}

fn has(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}

fn names_beside_codes(address: &Address) -> bool {
    (has(&address.country_code) && address.country_name.is_some())
        || (has(&address.state_or_province_code) && address.state_or_province_name.is_some())
}

impl Sender {
    /// Counts a row created (or, in a plan, to be created) with the consent default.
    pub(super) fn count_consent(&self, defaulted: bool, outcome: &RowOutcome) {
        let created = matches!(outcome.status, Status::Created | Status::WouldCreate);
        if defaulted && created {
            self.consent_defaulted.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Says once, at the end of the run, how many customers were (or would be) created with
    /// `acceptMarketing: false` for want of a value in the file.
    pub(crate) fn tell_consent(&self) {
        let n = self.consent_defaulted.load(Ordering::Relaxed);
        if n == 0 {
            return;
        }
        let (customers, verb, them) = match (n, self.plan) {
            (1, true) => ("customer", "would be created", "it"),
            (_, true) => ("customers", "would be created", "them"),
            (1, false) => ("customer", "was created", "it"),
            (_, false) => ("customers", "were created", "them"),
        };
        tracing::info!(
            "{n} {customers} {verb} with acceptMarketing: false: the file gives no marketing \
             consent for {them} (no such column, or a blank cell), and consent is never implied"
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn request(body: serde_json::Value) -> CustomerRequest {
        serde_json::from_value(body).expect("a request")
    }

    #[test]
    fn a_create_without_consent_sends_false_and_one_with_it_is_untouched() {
        let without = request(json!({"email": "a@example.com"}));
        assert_eq!(create_request(&without).accept_marketing, Some(false));
        assert_eq!(without.accept_marketing, None);
        let with = request(json!({"email": "a@example.com", "acceptMarketing": true}));
        assert!(matches!(create_request(&with), Cow::Borrowed(_)));
        assert_eq!(create_request(&with).accept_marketing, Some(true));
    }

    #[test]
    fn names_are_not_sent_beside_their_codes() {
        let row = request(json!({
            "acceptMarketing": false,
            "billingPerson": {"countryCode": "DE", "countryName": "Deutschland",
                              "stateOrProvinceName": "Bayern"},
            "shippingAddresses": [{"stateOrProvinceCode": "BY", "stateOrProvinceName": "Bayern",
                                   "countryName": "Deutschland"}],
        }));
        let sent = serde_json::to_value(create_request(&row).as_ref()).expect("json");
        assert_eq!(
            sent,
            json!({
                "acceptMarketing": false,
                "billingPerson": {"countryCode": "DE", "stateOrProvinceName": "Bayern"},
                "shippingAddresses": [{"stateOrProvinceCode": "BY", "countryName": "Deutschland"}],
            })
        );
    }
}
