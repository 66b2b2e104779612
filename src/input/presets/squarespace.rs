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

use super::{Entry, Part, Target, joined, one};
use crate::customer::fields::{AddressField as A, Field};

/// The columns of the billing or the shipping block.
struct Block {
    name: Part,
    street: [Part; 2],
    city: Part,
    state: Part,
    zip: Part,
    country: Part,
    phone: Part,
}

const BILLING: Block = Block {
    name: &["Billing Name"],
    street: [&["Billing Address 1"], &["Billing Address 2"]],
    city: &["Billing City"],
    state: &["Billing Province/State"],
    zip: &["Billing Zip"],
    country: &["Billing Country"],
    phone: &["Billing Phone Number"],
};

const SHIPPING: Block = Block {
    name: &["Shipping Name"],
    street: [&["Shipping Address 1"], &["Shipping Address 2"]],
    city: &["Shipping City"],
    state: &["Shipping Province/State"],
    zip: &["Shipping Zip"],
    country: &["Shipping Country"],
    phone: &["Shipping Phone Number"],
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email"]),
        // The contact's name, else the billing address's.
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![vec![&["First Name"], &["Last Name"]], vec![BILLING.name]],
            separator: " ",
        },
        // A plain yes or no (true/false) of the customer's consent to marketing email.
        one(Field::AcceptMarketing, &["Accepts Marketing"]),
    ];
    entries.extend(block(Field::Billing, &BILLING));
    entries.push(one(Field::Shipping(0, A::Name), SHIPPING.name));
    entries.extend(block(|a| Field::Shipping(0, a), &SHIPPING));
    entries
}

/// A block's address. The state is written as the customer typed it or as a code, so it goes
/// to `stateOrProvinceName`; a country code or known name is the code, any other the name.
fn block(field: impl Fn(A) -> Field, block: &Block) -> Vec<Entry> {
    vec![
        joined(field(A::Street), block.street.to_vec(), "\n"),
        one(field(A::City), block.city),
        one(field(A::StateOrProvinceName), block.state),
        one(field(A::PostalCode), block.zip),
        one(field(A::Phone), block.phone),
        Entry {
            target: Target::Country {
                code: field(A::CountryCode),
                name: field(A::CountryName),
            },
            alternatives: vec![vec![block.country]],
            separator: "",
        },
    ]
}
