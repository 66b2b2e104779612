//! PrestaShop's export of the customer list (back office, Customers > Customers > Export).
//!
//! Checked against the export action of PrestaShop's customer controller (1.7.6 to 8): a
//! `;`-separated file with `ID;Social title;First name;Last name;Email address;Group;Company;
//! Sales;Enabled;Newsletter;Partner offers;Registration;Last visit` (`Group` since 8.0; 1.6's
//! list export has the same names, with `Opt-in` for `Partner offers`). `Newsletter` and
//! `Partner offers` are 1 or 0. The labels follow the back office's language: only the
//! English export is detected; choose `--preset prestashop` for no other (its columns are then
//! named in English only, so a mapping file is the way for another language). The list has no
//! address: PrestaShop exports addresses separately (Customers > Addresses).

use super::{Entry, joined, one};
use crate::customer::fields::{AddressField as A, Field};

pub(super) fn entries() -> Vec<Entry> {
    vec![
        one(Field::Email, &["Email address", "Email"]),
        joined(
            Field::Billing(A::Name),
            vec![&["First name"], &["Last name"]],
            " ",
        ),
        one(Field::Billing(A::CompanyName), &["Company"]),
        // The customer's own newsletter subscription, 1 or 0. `Partner offers` (`Opt-in`) is
        // consent to third parties' offers, not to the shop's marketing: not imported.
        one(Field::AcceptMarketing, &["Newsletter"]),
    ]
}
