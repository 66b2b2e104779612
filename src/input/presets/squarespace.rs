//! Squarespace's contacts export (Contacts, or Customers in Commerce: Export all), the
//! `profiles` file.
//!
//! Written from the columns other people's conversion tools read from it; no real export file
//! and no documented header were at hand to check against: `Email,First Name,Last Name,
//! Created On,Order Count,Last Order Date,Total Spent,Member Since,Subscriber Since,
//! Subscriber Source,Tags,Mailing Lists,Member Areas,...,Has Account,Customer Since,
//! Shipping Name,Shipping Address 1,Shipping Address 2,Shipping City,Shipping Zip,
//! Shipping Province/State,Shipping Country,Shipping Phone Number,Billing Name,
//! Billing Address 1,Billing Address 2,Billing City,Billing Zip,Billing Province/State,
//! Billing Country,Billing Phone Number,Accepts Marketing`.

use super::{AddressColumns, Entry, Given, Target, address, one};
use crate::customer::fields::{AddressField as A, Field};

const BILLING: AddressColumns = AddressColumns {
    name: &[&["Billing Name"]],
    company: None,
    street: &[&["Billing Address 1"], &["Billing Address 2"]],
    city: Some(&["Billing City"]),
    state: Some(&["Billing Province/State"]),
    postal_code: Some(&["Billing Zip"]),
    country: Some(&["Billing Country"]),
    phone: Some(&["Billing Phone Number"]),
};

const SHIPPING: AddressColumns = AddressColumns {
    name: &[&["Shipping Name"]],
    company: None,
    street: &[&["Shipping Address 1"], &["Shipping Address 2"]],
    city: Some(&["Shipping City"]),
    state: Some(&["Shipping Province/State"]),
    postal_code: Some(&["Shipping Zip"]),
    country: Some(&["Shipping Country"]),
    phone: Some(&["Shipping Phone Number"]),
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email"]),
        // The contact's name, else the billing address's.
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![vec![&["First Name"], &["Last Name"]], BILLING.name.to_vec()],
            separator: " ",
        },
        // A plain yes or no (true/false) of the customer's consent to marketing email.
        one(Field::AcceptMarketing, &["Accepts Marketing"]),
    ];
    // The state is written as the customer typed it or as a code, so it goes to
    // `stateOrProvinceName`; a country code or known name is the code, any other the name.
    let (state, country) = (Given::Name, Given::CodeOrName);
    let billing = AddressColumns {
        name: &[],
        ..BILLING
    };
    entries.extend(address(Field::Billing, &billing, state, country));
    let shipping = |a| Field::Shipping(0, a);
    entries.extend(address(shipping, &SHIPPING, state, country));
    entries
}
