//! Shopify's customer export (Customers > Export), in its three generations.
//!
//! The current one prefixes the address columns with `Default Address` (`Default Address City`)
//! where the earlier ones have the plain name (`City`); the oldest has one `Accepts Marketing`
//! where later ones split email and SMS. Each column is named by all its spellings, so one
//! table reads every generation.

use super::{AddressColumns, Entry, Given, Target, address, one};
use crate::customer::fields::{AddressField as A, Field};

/// The customer's default address. Its phone is the customer's phone's first choice, in an
/// entry of its own.
const ADDRESS: AddressColumns = AddressColumns {
    name: &[&["First Name"], &["Last Name"]],
    company: Some(&["Default Address Company", "Company"]),
    street: &[
        &["Default Address Address1", "Address1"],
        &["Default Address Address2", "Address2"],
    ],
    city: Some(&["Default Address City", "City"]),
    // The province name only when the file has no code: Ecwid's field holds a code.
    state: Some(&["Default Address Province Code", "Province Code", "Province"]),
    postal_code: Some(&["Default Address Zip", "Zip"]),
    country: Some(&["Default Address Country Code", "Country Code"]),
    ..AddressColumns::NONE
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![one(Field::Email, &["Email"])];
    entries.extend(address(Field::Billing, &ADDRESS, Given::Code, Given::Code));
    entries.extend([
        one(Field::Billing(A::CountryName), &["Country"]),
        Entry {
            target: Target::Field(Field::Billing(A::Phone)),
            alternatives: vec![vec![&["Default Address Phone"]], vec![&["Phone"]]],
            separator: "",
        },
        one(
            Field::AcceptMarketing,
            &["Accepts Email Marketing", "Accepts Marketing"],
        ),
        one(Field::PrivateAdminNotes, &["Note"]),
        Entry {
            target: Target::TaxExemptWithoutId,
            alternatives: vec![vec![&["Tax Exempt"]]],
            separator: "",
        },
    ]);
    entries
}
