//! Wix's contacts export (Contacts > More actions > Export).
//!
//! Written from the column names other people's import scripts read from it and from Wix's
//! help pages on the export; no real export file was at hand to check against: `First Name,
//! Last Name,Email 1,Email 2,Email 3,Phone 1,Phone 2,Phone 3,Address 1 - Type,
//! Address 1 - Street,Address 1 - Street Line 2,Address 1 - City,Address 1 - State/Region,
//! Address 1 - Zip,Address 1 - Country,` ... the same for `Address 2` and on (up to 10), then
//! `Company,Position,Labels,Created At (UTC+0),Email subscriber status,SMS subscriber status,
//! Last Activity,Last Activity Date (UTC+0),Source,Language`.
//!
//! `Email 1` is the email and `Phone 1` the phone; `Email 2`, `Email 3`, `Phone 2` and
//! `Phone 3` become contacts of their type (on a row whose `Email 1` or `Phone 1` is blank, the
//! first of the others the row has takes its place: `mapping::emails`, `mapping::phones`). Each address goes where its `Address N - Type`
//! says (see `mapping::typed`): `Billing` is the billing address, every `Shipping` one a
//! shipping address, and `Home`, `Work` or any other type a shipping address where none is
//! typed shipping; an address with no type is the billing address when it is the first and no
//! other is typed billing. `Language` is `lang` where the store has that language (a language
//! it lacks is left out with a note).
//!
//! `Email subscriber status` is a word (`Subscribed`, `Unsubscribed`, `Never subscribed`,
//! `Not set`): consent only for `Subscribed`, no for the two that say so, and `Not set` is
//! left out (on create: false). Not imported: labels, position and dates.

use std::sync::LazyLock;

use super::{
    AddressColumns, Entry, Given, Part, Target, contacts, joined, one, typed_address, yes_no,
};
use crate::customer::fields::{AddressField as A, Field};

/// Address blocks of the export: Wix writes up to 10.
const BLOCKS: usize = 10;

/// Each address block's type column and parts. Made once, so that every preset table can
/// borrow the names for the whole run.
static BLOCK_COLUMNS: LazyLock<Vec<(Part, AddressColumns)>> = LazyLock::new(|| {
    let name = |n: usize, part: &str| -> &'static str {
        Box::leak(format!("Address {n} - {part}").into_boxed_str())
    };
    let part = |n: usize, part: &str| -> Part { Box::leak(Box::new([name(n, part)])) };
    (1..=BLOCKS)
        .map(|n| {
            let street: &'static [Part] =
                Box::leak(Box::new([part(n, "Street"), part(n, "Street Line 2")]));
            let columns = AddressColumns {
                street,
                city: Some(part(n, "City")),
                state: Some(part(n, "State/Region")),
                postal_code: Some(part(n, "Zip")),
                country: Some(part(n, "Country")),
                ..AddressColumns::NONE
            };
            (part(n, "Type"), columns)
        })
        .collect()
});

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
        Entry {
            target: Target::IfValid(Field::Lang),
            alternatives: vec![vec![&["Language"]]],
            separator: "",
        },
    ];
    entries.extend(contacts("EMAIL", &[&["Email 2"], &["Email 3"]]));
    entries.extend(contacts("PHONE", &[&["Phone 2"], &["Phone 3"]]));
    // The state is written as Wix has it (a name or a code), so it goes to
    // `stateOrProvinceName`; a country code or known name is the code, any other the name.
    let (state, country) = (Given::Name, Given::CodeOrName);
    for (block, (kind, columns)) in BLOCK_COLUMNS.iter().enumerate() {
        entries.extend(typed_address(block, kind, columns, state, country));
    }
    entries
}
