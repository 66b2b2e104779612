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

use super::{Entry, Part, Target, joined, one};
use crate::customer::fields::{AddressField as A, Field};

/// The columns of the Bulk Edit template's address number N.
struct Address {
    name: [Part; 2],
    company: Part,
    street: [Part; 2],
    city: Part,
    state: Part,
    zip: Part,
    country: Part,
    phone: Part,
}

const FIRST: Address = Address {
    name: [&["Address First Name - 1"], &["Address Last Name - 1"]],
    company: &["Address Company - 1"],
    street: [&["Address Line 1 - 1"], &["Address Line 2 - 1"]],
    city: &["Address City - 1"],
    state: &["Address State - 1"],
    zip: &["Address Zip - 1"],
    country: &["Address Country - 1"],
    phone: &["Address Phone - 1"],
};

/// Addresses 2 and 3 become `shippingAddresses.0` and `.1`, the customer's address book in
/// Ecwid; further ones are not imported.
const FURTHER: [Address; 2] = [
    Address {
        name: [&["Address First Name - 2"], &["Address Last Name - 2"]],
        company: &["Address Company - 2"],
        street: [&["Address Line 1 - 2"], &["Address Line 2 - 2"]],
        city: &["Address City - 2"],
        state: &["Address State - 2"],
        zip: &["Address Zip - 2"],
        country: &["Address Country - 2"],
        phone: &["Address Phone - 2"],
    },
    Address {
        name: [&["Address First Name - 3"], &["Address Last Name - 3"]],
        company: &["Address Company - 3"],
        street: [&["Address Line 1 - 3"], &["Address Line 2 - 3"]],
        city: &["Address City - 3"],
        state: &["Address State - 3"],
        zip: &["Address Zip - 3"],
        country: &["Address Country - 3"],
        phone: &["Address Phone - 3"],
    },
];

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email Address", "Email"]),
        one(Field::PrivateAdminNotes, &["Notes"]),
        // The customer's name (BigCommerce requires it), else the first address's.
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![vec![&["First Name"], &["Last Name"]], FIRST.name.to_vec()],
            separator: " ",
        },
        Entry {
            target: Target::Field(Field::Billing(A::CompanyName)),
            alternatives: vec![vec![FIRST.company], vec![&["Company"]]],
            separator: "",
        },
        Entry {
            target: Target::Field(Field::Billing(A::Phone)),
            alternatives: vec![vec![FIRST.phone], vec![&["Phone"]]],
            separator: "",
        },
    ];
    entries.extend(place(Field::Billing, &FIRST));
    for (position, address) in FURTHER.iter().enumerate() {
        let field = |a| Field::Shipping(position, a);
        entries.push(joined(field(A::Name), address.name.to_vec(), " "));
        entries.push(one(field(A::CompanyName), address.company));
        entries.push(one(field(A::Phone), address.phone));
        entries.extend(place(field, address));
    }
    entries
}

/// Street, city, state, zip and country of an address.
fn place(field: impl Fn(A) -> Field, address: &Address) -> Vec<Entry> {
    vec![
        joined(field(A::Street), address.street.to_vec(), "\n"),
        one(field(A::City), address.city),
        one(field(A::StateOrProvinceName), address.state),
        one(field(A::PostalCode), address.zip),
        Entry {
            target: Target::Country {
                code: field(A::CountryCode),
                name: field(A::CountryName),
            },
            alternatives: vec![vec![address.country]],
            separator: "",
        },
    ]
}
