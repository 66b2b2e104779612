//! The everyday fields of a customer that no column of a file fills, named before the import
//! so that a person sees what the file lacks.

use super::ColumnMap;
use crate::customer::fields::{AddressField as A, Field};
use crate::input::presets::Target;

/// The everyday fields of a customer that a person looks for in a list, each with the fields
/// that fill it: [`ColumnMap::unfilled`] names those no column fills.
const EVERYDAY: [(&str, &[Field]); 10] = [
    ("billingPerson.name", &[Field::Billing(A::Name)]),
    ("billingPerson.phone", &[Field::Billing(A::Phone)]),
    (
        "billingPerson.companyName",
        &[Field::Billing(A::CompanyName)],
    ),
    ("billingPerson.street", &[Field::Billing(A::Street)]),
    ("billingPerson.city", &[Field::Billing(A::City)]),
    ("billingPerson.postalCode", &[Field::Billing(A::PostalCode)]),
    (
        "billingPerson.countryCode",
        &[
            Field::Billing(A::CountryCode),
            Field::Billing(A::CountryName),
        ],
    ),
    ("acceptMarketing", &[Field::AcceptMarketing]),
    (
        "customerGroupName",
        &[Field::CustomerGroupName, Field::CustomerGroupId],
    ),
    ("privateAdminNotes", &[Field::PrivateAdminNotes]),
];

impl ColumnMap {
    /// Whether a column (or a mapping file's constant) fills `field`. A part of a typed
    /// address block counts for its block's shipping address and for the billing address,
    /// which a row's type may choose instead. The one answer for both the fields no column
    /// fills ([`ColumnMap::unfilled`]) and whether the file names groups at all.
    pub(crate) fn fills(&self, field: &Field) -> bool {
        self.rules.iter().any(|rule| match &rule.target {
            Target::InAddress(_, part) => {
                rule.target.fields().contains(field) || part.fields().contains(field)
            }
            target => target.fields().contains(field),
        })
    }

    /// The everyday fields of a customer (name, phone, company, the billing address, consent,
    /// group, notes) that no column of the file fills, so that a person sees what the file
    /// lacks before blaming the tool. A field a mapping file fills with a value counts as filled.
    pub fn unfilled(&self) -> Vec<&'static str> {
        EVERYDAY
            .iter()
            .filter(|(_, fields)| !fields.iter().any(|f| self.fills(f)))
            .map(|(name, _)| *name)
            .collect()
    }
}
