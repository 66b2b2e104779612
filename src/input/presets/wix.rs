//! Wix's contacts export (Contacts > More actions > Export).
//!
//! Written from the column names other people's import scripts read from it; no real export
//! file and no documented header were at hand to check against: `First Name,Last Name,
//! Email 1,Email 2,Email 3,Phone 1,Phone 2,Phone 3,Address 1 - Type,Address 1 - Street,
//! Address 1 - Street Line 2,Address 1 - City,Address 1 - State/Region,Address 1 - Zip,
//! Address 1 - Country,` ... the same for `Address 2` and on, then `Company,Position,Labels,
//! Created At (UTC+0),Email subscriber status,SMS subscriber status,Last Activity,
//! Last Activity Date (UTC+0),Source,Language`.
//!
//! `Email subscriber status` is a word (`Subscribed`, `Unsubscribed`, `Never subscribed`,
//! `Not set`), not a yes or no, so it is not imported as consent; nor are `Email 2`, `Email 3`,
//! `Phone 2`, `Phone 3`, addresses after the second, labels and dates.

use super::{Entry, Part, Target, joined, one};
use crate::customer::fields::{AddressField as A, Field};

/// The columns of address N.
struct Address {
    street: [Part; 2],
    city: Part,
    state: Part,
    zip: Part,
    country: Part,
}

const FIRST: Address = Address {
    street: [&["Address 1 - Street"], &["Address 1 - Street Line 2"]],
    city: &["Address 1 - City"],
    state: &["Address 1 - State/Region"],
    zip: &["Address 1 - Zip"],
    country: &["Address 1 - Country"],
};

const SECOND: Address = Address {
    street: [&["Address 2 - Street"], &["Address 2 - Street Line 2"]],
    city: &["Address 2 - City"],
    state: &["Address 2 - State/Region"],
    zip: &["Address 2 - Zip"],
    country: &["Address 2 - Country"],
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email 1"]),
        joined(
            Field::Billing(A::Name),
            vec![&["First Name"], &["Last Name"]],
            " ",
        ),
        one(Field::Billing(A::CompanyName), &["Company"]),
        one(Field::Billing(A::Phone), &["Phone 1"]),
    ];
    entries.extend(address(Field::Billing, &FIRST));
    // The second address is the customer's other address: Ecwid's address book.
    entries.extend(address(|a| Field::Shipping(0, a), &SECOND));
    entries
}

/// A Wix address. The state is written as Wix has it (a name or a code), so it goes to
/// `stateOrProvinceName`; a country code or known name is the code, any other the name.
fn address(field: impl Fn(A) -> Field, address: &Address) -> Vec<Entry> {
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
