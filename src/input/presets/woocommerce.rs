//! The WooCommerce exports: WebToffee's (users and customers), SkyVerge's and the Analytics
//! customers download.
//!
//! WooCommerce has no customer export of its own: WebToffee and SkyVerge name columns after
//! the user meta keys (`billing_city`), Analytics after its table headings (`City`). Where
//! Analytics has a column, its heading is a second spelling of the meta key's.

use super::{AddressColumns, Entry, Given, Target, address};
use crate::customer::fields::{AddressField as A, Field};

/// The billing address. Its name is in an entry of its own: each export spells it differently
/// (first and last name, or one `Name`), which takes alternatives, not parts.
const BILLING: AddressColumns = AddressColumns {
    company: Some(&["billing_company"]),
    street: &[&["billing_address_1"], &["billing_address_2"]],
    city: Some(&["billing_city", "City"]),
    state: Some(&["billing_state", "Region"]),
    postal_code: Some(&["billing_postcode", "Postal Code"]),
    // billing_country is always a code, so the two-letter rule sends it as one; Analytics
    // writes a code or a name.
    country: Some(&["billing_country", "Country / Region"]),
    phone: Some(&["billing_phone"]),
    ..AddressColumns::NONE
};

const SHIPPING: AddressColumns = AddressColumns {
    name: &[&["shipping_first_name"], &["shipping_last_name"]],
    company: Some(&["shipping_company"]),
    street: &[&["shipping_address_1"], &["shipping_address_2"]],
    city: Some(&["shipping_city"]),
    state: Some(&["shipping_state"]),
    postal_code: Some(&["shipping_postcode"]),
    country: Some(&["shipping_country"]),
    phone: Some(&["shipping_phone"]),
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        Entry {
            target: Target::Field(Field::Email),
            alternatives: vec![vec![&["user_email", "email"]], vec![&["billing_email"]]],
            separator: "",
        },
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![
                vec![&["billing_first_name"], &["billing_last_name"]],
                vec![&["first_name"], &["last_name"]],
                vec![&["Name"]],
            ],
            separator: " ",
        },
    ];
    let billing = address(Field::Billing, &BILLING, Given::Code, Given::CodeOrName);
    entries.extend(billing);
    let shipping = |a| Field::Shipping(0, a);
    entries.extend(address(shipping, &SHIPPING, Given::Code, Given::Code));
    entries
}
