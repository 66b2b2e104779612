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
    /// The everyday fields of a customer (name, phone, company, the billing address, consent,
    /// group, notes) that no column of the file fills, so that a person sees what the file
    /// lacks before blaming the tool. A field a mapping file fills with a value counts as filled.
    pub fn unfilled(&self) -> Vec<&'static str> {
        // A typed address block may fill the billing address as well as a shipping one.
        let filled: Vec<Field> = self
            .rules
            .iter()
            .flat_map(|r| match &r.target {
                Target::InAddress(_, part) => [r.target.fields(), part.fields()].concat(),
                target => target.fields(),
            })
            .collect();
        EVERYDAY
            .iter()
            .filter(|(_, fields)| !fields.iter().any(|f| filled.contains(f)))
            .map(|(name, _)| *name)
            .collect()
    }
}
