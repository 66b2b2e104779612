//! Mailchimp's audience export (Audience > All contacts > Export Audience): a zip of
//! `subscribed.csv`, `unsubscribed.csv`, `cleaned.csv` (and more), each with the audience's
//! fields, then Mailchimp's own columns.
//!
//! Written from the headers of such files quoted in other people's code: `Email Address,
//! First Name,Last Name,Address,Phone Number,Birthday,` (the audience's fields, by the labels
//! the audience gives them; these are the defaults) `MEMBER_RATING,OPTIN_TIME,OPTIN_IP,
//! CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,
//! LEID,EUID,NOTES,TAGS`, with `UNSUB_*` or `CLEAN_*` columns in the files of those statuses.
//!
//! No column says yes or no to marketing: the consent is which file a row is in, and a preset
//! takes values from columns only, so `acceptMarketing` is left out; a mapping file with
//! `acceptMarketing = { value = "true" }` sends it for `subscribed.csv` (and must not be used
//! for the other files).
//! The `Address` field packs street, second line, city, state, zip and country into one cell
//! with two spaces between them (a blank part keeps its separator): it is split into the
//! billing address when it has those six parts, or five without the second line; any other
//! cell is read as every file's one-cell address is ([`Target::PackedAddress`]): split where
//! that is certain, else sent whole as the street. `CC` and `REGION`
//! are where Mailchimp located the contact's IP address, not an address: not imported. A
//! `Company` field, which many audiences add, is the company.

use super::{Entry, Target, joined, one};
use crate::customer::fields::{AddressField as A, Field};

pub(super) fn entries() -> Vec<Entry> {
    vec![
        one(Field::Email, &["Email Address", "Email"]),
        joined(
            Field::Billing(A::Name),
            vec![&["First Name"], &["Last Name"]],
            " ",
        ),
        one(Field::Billing(A::Phone), &["Phone Number", "Phone"]),
        // Not a default field, but the one audiences add most (merge tag COMPANY).
        one(Field::Billing(A::CompanyName), &["Company", "Company Name"]),
        one(Field::PrivateAdminNotes, &["NOTES"]),
        Entry {
            target: Target::PackedAddress(None),
            alternatives: vec![vec![&["Address"]]],
            separator: "",
        },
    ]
}
