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
//! An export with associations carries the associated company's properties after
//! `Record ID - Company`, under the same labels as the contact's; they are read as the
//! company's (`Company: Company name`, see `mapping::associated`): the company's name fills the
//! company where the contact has none, and its phone, city or country never the contact's.
//! Such an export names the contact's own id `Record ID - Contact`.
//!
//! `Marketing contact status` says whether HubSpot bills the contact as a marketing contact,
//! not whether the contact agreed to marketing: not imported, nor are the subscription
//! properties, which HubSpot exports as words.

use super::{AddressColumns, Entry, Given, Target, address, joined, one};
use crate::customer::fields::{AddressField as A, Field};

/// The contact's address properties. Its phone is the contact's, in an entry of its own.
const ADDRESS: AddressColumns = AddressColumns {
    street: &[&["Street Address"]],
    city: Some(&["City"]),
    state: Some(&["State/Region"]),
    postal_code: Some(&["Postal Code", "Zip"]),
    country: Some(&["Country/Region", "Country"]),
    ..AddressColumns::NONE
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
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
        // A mobile beside another phone: a PHONE contact (alone, it is the phone above).
        Entry {
            target: Target::PhoneContact {
                position: 0,
                unless: Field::Billing(A::Phone),
            },
            alternatives: vec![vec![&["Mobile Phone Number"]]],
            separator: "",
        },
        // The contact's company, else the associated company's name.
        Entry {
            target: Target::Field(Field::Billing(A::CompanyName)),
            alternatives: vec![
                vec![&["Company Name", "Associated Company"]],
                vec![&["Company: Company name", "Company: Name"]],
            ],
            separator: "",
        },
    ];
    // Free text: a name or a code, as the contact typed it. The state goes to the name, the
    // country to the code if it is one (or a name the country table knows), else the name.
    entries.extend(address(
        Field::Billing,
        &ADDRESS,
        Given::Name,
        Given::CodeOrName,
    ));
    entries
}
