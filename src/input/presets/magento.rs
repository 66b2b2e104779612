//! Magento 2's customer export (System > Data Transfer > Export, entity "Customers Main File"
//! or "Customers and Addresses (single file)", the composite file).
//!
//! The main file: `email,_website,_store,confirmation,created_at,created_in,
//! disable_auto_group_change,dob,firstname,gender,group_id,lastname,middlename,password_hash,
//! prefix,rp_token,rp_token_created_at,store_id,suffix,taxvat,website_id,password` (Commerce adds
//! `reward_*` columns). The composite file adds one address per row in `_address_*` columns;
//! a customer's further addresses come on rows of their own below it, with the email and every
//! customer column blank (Magento reads a row without an email as an address of the customer
//! above). Checked against Magento's own sample files and import-test fixtures.

use super::{AddressColumns, Entry, Given, Part, Target, address, one};
use crate::customer::fields::{AddressField as A, Field};

/// Why a row of the composite file without an email is invalid: it is not a customer but one
/// more address of the customer above it, which a create request cannot add to an earlier one.
pub(crate) const CONTINUATION_RULE: &str = "blank: in Magento's composite export a row without \
     an email continues the customer above it (one more address of that customer); Ecwid takes \
     a customer's addresses in one request, so this address is not imported: add it to that \
     customer in Ecwid's control panel";

/// Whether the header is the composite file's: the one whose rows without an email are further
/// addresses of the customer above.
pub(crate) fn is_composite(names: &[String]) -> bool {
    names.iter().any(|n| {
        n.trim()
            .get(..9)
            .is_some_and(|head| head.eq_ignore_ascii_case("_address_"))
    })
}

/// The customer's name first (`firstname middlename lastname`), else the address's.
const NAME: [&[Part]; 2] = [
    &[&["firstname"], &["middlename"], &["lastname"]],
    &[
        &["_address_firstname"],
        &["_address_middlename"],
        &["_address_lastname"],
    ],
];

/// The composite file's `_address_*` columns; the name is the customer's, else these.
const ADDRESS: AddressColumns = AddressColumns {
    company: Some(&["_address_company"]),
    // Magento keeps the street lines in one cell, a line break between them.
    street: &[&["_address_street"]],
    city: Some(&["_address_city"]),
    state: Some(&["_address_region"]),
    postal_code: Some(&["_address_postcode"]),
    country: Some(&["_address_country_id"]),
    phone: Some(&["_address_telephone"]),
    ..AddressColumns::NONE
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["email"]),
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: NAME.iter().map(|parts| parts.to_vec()).collect(),
            separator: " ",
        },
        // The customer's VAT number, else the address's.
        Entry {
            target: Target::Field(Field::TaxId),
            alternatives: vec![vec![&["taxvat"]], vec![&["_address_vat_id"]]],
            separator: "",
        },
    ];
    // The region's name ("California"): Magento exports no code. The country is its code.
    entries.extend(address(Field::Billing, &ADDRESS, Given::Name, Given::Code));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_composite_file_is_told_by_its_address_columns() {
        let names = |h: &str| h.split(',').map(str::to_string).collect::<Vec<_>>();
        assert!(is_composite(&names("email,_website,_store,_address_city")));
        assert!(is_composite(&names("email,_website, _ADDRESS_CITY")));
        assert!(!is_composite(&names("email,_website,_store,taxvat")));
        assert!(!is_composite(&names("email,_addr")));
    }
}
