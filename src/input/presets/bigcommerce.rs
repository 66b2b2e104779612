//! BigCommerce's customer export (Customers > Export).
//!
//! Written from BigCommerce's help on importing and exporting customers and from the column
//! names other people's import scripts use; no real export file was at hand to check against.
//! The Bulk Edit template (the one BigCommerce recommends for moving customers):
//! `Email Address,First Name,Last Name,Company,Phone,Notes,Store Credit,Customer Group,
//! Address ID - 1,Address First Name - 1,Address Last Name - 1,Address Company - 1,
//! Address Line 1 - 1,Address Line 2 - 1,Address City - 1,Address State - 1,Address Zip - 1,
//! Address Country - 1,Address Phone - 1,` ... the same for `- 2`, `- 3` and on, then
//! `Receive Review/Abandoned Cart Emails?,Tax Exempt Category`, with `Customer ID` in front or
//! at the end. The default template has `Customer ID,First Name,Last Name,Company,Email,Phone,
//! Notes,Store Credit,Customer Group,Date Joined,Addresses,...`, where `Addresses` packs every
//! address into one cell: that cell is not imported (export with Bulk Edit to keep addresses).
//!
//! BigCommerce asks for the state spelled out (`California`) and writes the country's name,
//! so the state goes to `stateOrProvinceName` and the country to the code (a name the country
//! table knows, such as `Australia`, as its code), any other to the name.

use super::{AddressColumns, Entry, Given, Target, address, one};
use crate::customer::fields::{AddressField as A, Field};

/// The place of the Bulk Edit template's first address, the customer's billing address. Its
/// name, company and phone are alternatives of the customer's own, in the entries below.
const FIRST: AddressColumns = AddressColumns {
    street: &[&["Address Line 1 - 1"], &["Address Line 2 - 1"]],
    city: Some(&["Address City - 1"]),
    state: Some(&["Address State - 1"]),
    postal_code: Some(&["Address Zip - 1"]),
    country: Some(&["Address Country - 1"]),
    ..AddressColumns::NONE
};

/// Addresses 2 and 3 become `shippingAddresses.0` and `.1`, the customer's address book in
/// Ecwid; further ones are not imported.
const FURTHER: [AddressColumns; 2] = [
    AddressColumns {
        name: &[&["Address First Name - 2"], &["Address Last Name - 2"]],
        company: Some(&["Address Company - 2"]),
        street: &[&["Address Line 1 - 2"], &["Address Line 2 - 2"]],
        city: Some(&["Address City - 2"]),
        state: Some(&["Address State - 2"]),
        postal_code: Some(&["Address Zip - 2"]),
        country: Some(&["Address Country - 2"]),
        phone: Some(&["Address Phone - 2"]),
    },
    AddressColumns {
        name: &[&["Address First Name - 3"], &["Address Last Name - 3"]],
        company: Some(&["Address Company - 3"]),
        street: &[&["Address Line 1 - 3"], &["Address Line 2 - 3"]],
        city: Some(&["Address City - 3"]),
        state: Some(&["Address State - 3"]),
        postal_code: Some(&["Address Zip - 3"]),
        country: Some(&["Address Country - 3"]),
        phone: Some(&["Address Phone - 3"]),
    },
];

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email Address", "Email"]),
        one(Field::PrivateAdminNotes, &["Notes"]),
        // The customer's name (BigCommerce requires it), else the first address's.
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![
                vec![&["First Name"], &["Last Name"]],
                vec![&["Address First Name - 1"], &["Address Last Name - 1"]],
            ],
            separator: " ",
        },
        Entry {
            target: Target::Field(Field::Billing(A::CompanyName)),
            alternatives: vec![vec![&["Address Company - 1"]], vec![&["Company"]]],
            separator: "",
        },
        Entry {
            target: Target::Field(Field::Billing(A::Phone)),
            alternatives: vec![vec![&["Address Phone - 1"]], vec![&["Phone"]]],
            separator: "",
        },
    ];
    // BigCommerce's state is spelled out; its country is a name, or a code.
    let (state, country) = (Given::Name, Given::CodeOrName);
    entries.extend(address(Field::Billing, &FIRST, state, country));
    for (position, columns) in FURTHER.iter().enumerate() {
        let field = |a| Field::Shipping(position, a);
        entries.extend(address(field, columns, state, country));
    }
    entries
}
