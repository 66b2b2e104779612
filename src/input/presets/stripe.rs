//! Stripe's customers export (Customers > Export, `unified_customers.csv`), in the column
//! orders its generations have used: columns are found by name, so any order reads the same.
//!
//! Written from Stripe's documented export columns and the headers of such files quoted in
//! other people's code: `id,Description,Email,Name,Created (UTC),Card ID,Card Name,
//! Card Address Line1,Card Address Line2,Card Address City,Card Address State,
//! Card Address Country,Card Address Zip,Card Brand,Card Last4,...,Business Vat ID,...,
//! Total Spend,Payment Count,...` and any number of `key (metadata)` columns, one per metadata
//! key the account uses. Newer exports add `Phone` and a `Shipping ...` block.
//!
//! The card's billing address is the customer's billing address. `Name` is often empty, a
//! company or an email address (whatever the integration wrote), while `Card Name` is the
//! person who paid: [`Target::Person`] takes the person's name from the first of the two that
//! is a person's, and a company's name as the company. `Description` is the merchant's note on
//! the customer; `Business Vat ID` the tax ID. Metadata columns are the account's own fields,
//! never guessed: they are listed as not imported, by name.

use super::{AddressColumns, Entry, Given, Target, address, one};
use crate::customer::fields::{AddressField as A, Field};

const CARD: AddressColumns = AddressColumns {
    street: &[&["Card Address Line1"], &["Card Address Line2"]],
    city: Some(&["Card Address City"]),
    state: Some(&["Card Address State"]),
    postal_code: Some(&["Card Address Zip", "Card Address Postal Code"]),
    country: Some(&["Card Address Country"]),
    ..AddressColumns::NONE
};

const SHIPPING: AddressColumns = AddressColumns {
    name: &[&["Shipping Name"]],
    street: &[&["Shipping Address Line1"], &["Shipping Address Line2"]],
    city: Some(&["Shipping Address City"]),
    state: Some(&["Shipping Address State"]),
    postal_code: Some(&["Shipping Address Postal Code", "Shipping Address Zip"]),
    country: Some(&["Shipping Address Country"]),
    phone: Some(&["Shipping Phone"]),
    ..AddressColumns::NONE
};

pub(super) fn entries() -> Vec<Entry> {
    let mut entries = vec![
        one(Field::Email, &["Email"]),
        Entry {
            target: Target::Person {
                name: Field::Billing(A::Name),
                company: Field::Billing(A::CompanyName),
            },
            alternatives: vec![vec![&["Name"]], vec![&["Card Name"]]],
            separator: "",
        },
        one(Field::Billing(A::Phone), &["Phone"]),
        one(Field::PrivateAdminNotes, &["Description"]),
        one(Field::TaxId, &["Business Vat ID", "Tax ID"]),
    ];
    // Stripe writes the country as a code; the state as the payer typed it, or a code.
    let (state, country) = (Given::CodeOrName, Given::CodeOrName);
    entries.extend(address(Field::Billing, &CARD, state, country));
    let shipping = |a| Field::Shipping(0, a);
    entries.extend(address(shipping, &SHIPPING, state, country));
    entries
}
