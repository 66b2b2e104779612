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
//! `Not set`): consent only for `Subscribed`, no for the two that say so, and `Not set` is
//! left out (on create: false). Not imported: `Email 2`, `Email 3`, `Phone 2`, `Phone 3`,
//! addresses after the second, labels and dates.

use super::{AddressColumns, Entry, Given, address, joined, one, yes_no};
use crate::customer::fields::{AddressField as A, Field};

const FIRST: AddressColumns = AddressColumns {
    street: &[&["Address 1 - Street"], &["Address 1 - Street Line 2"]],
    city: Some(&["Address 1 - City"]),
    state: Some(&["Address 1 - State/Region"]),
    postal_code: Some(&["Address 1 - Zip"]),
    country: Some(&["Address 1 - Country"]),
    ..AddressColumns::NONE
};

const SECOND: AddressColumns = AddressColumns {
    street: &[&["Address 2 - Street"], &["Address 2 - Street Line 2"]],
    city: Some(&["Address 2 - City"]),
    state: Some(&["Address 2 - State/Region"]),
    postal_code: Some(&["Address 2 - Zip"]),
    country: Some(&["Address 2 - Country"]),
    ..AddressColumns::NONE
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
        yes_no(Field::AcceptMarketing, &["Email subscriber status"]),
    ];
    // The state is written as Wix has it (a name or a code), so it goes to
    // `stateOrProvinceName`; a country code or known name is the code, any other the name.
    let (state, country) = (Given::Name, Given::CodeOrName);
    entries.extend(address(Field::Billing, &FIRST, state, country));
    // The second address is the customer's other address: Ecwid's address book.
    let shipping = |a| Field::Shipping(0, a);
    entries.extend(address(shipping, &SECOND, state, country));
    entries
}
