//! HubSpot's contacts export (Contacts > Export), columns named by the properties' labels.
//!
//! Written from the headers of such files quoted in other people's code and from the default
//! properties' labels; no real export file was at hand to check against. The default view
//! exports `Record ID,First Name,Last Name,Email,Phone Number,Contact owner,
//! Primary Associated Company ID,Last Activity Date,Lead Status,Marketing contact status,
//! Create Date,Associated Company`; an export of all properties adds, among many,
//! `Mobile Phone Number,Company Name,Street Address,City,State/Region,Postal Code,
//! Country/Region`.
//!
//! `Marketing contact status` says whether HubSpot bills the contact as a marketing contact,
//! not whether the contact agreed to marketing: not imported, nor are the subscription
//! properties, which HubSpot exports as words.

use super::{Entry, Target, joined, one};
use crate::customer::fields::{AddressField as A, Field};

pub(super) fn entries() -> Vec<Entry> {
    vec![
        one(Field::Email, &["Email"]),
        joined(
            Field::Billing(A::Name),
            vec![&["First Name"], &["Last Name"]],
            " ",
        ),
        Entry {
            target: Target::Field(Field::Billing(A::Phone)),
            alternatives: vec![vec![&["Phone Number"]], vec![&["Mobile Phone Number"]]],
            separator: "",
        },
        one(
            Field::Billing(A::CompanyName),
            &["Company Name", "Associated Company"],
        ),
        one(Field::Billing(A::Street), &["Street Address"]),
        one(Field::Billing(A::City), &["City"]),
        // Free text: a name or a code, as the contact typed it.
        one(Field::Billing(A::StateOrProvinceName), &["State/Region"]),
        one(Field::Billing(A::PostalCode), &["Postal Code", "Zip"]),
        Entry {
            target: Target::Country {
                code: Field::Billing(A::CountryCode),
                name: Field::Billing(A::CountryName),
            },
            alternatives: vec![vec![&["Country/Region", "Country"]]],
            separator: "",
        },
    ]
}
