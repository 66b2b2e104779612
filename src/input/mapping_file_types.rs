//! The `[address_types]` and `[phone_types]` tables of a mapping file: the column of types
//! of an address (whose place then goes where each row's type says) or of a phone (left out
//! on a row whose type names a fax).

use super::{MappingError, flatten};
use crate::customer::fields::Field;

/// The `[address_types]` table: each address (`billingPerson`, `shippingAddresses.N`) with the
/// column of its types.
pub(super) fn address_types(
    table: Option<&toml::Table>,
    key_error: &impl Fn(&str, String) -> MappingError,
) -> Result<Vec<(Option<usize>, String)>, MappingError> {
    let mut types = Vec::new();
    let mut flat = Vec::new();
    if let Some(table) = table {
        flatten("", table, &mut flat);
    }
    for (key, value) in flat {
        let key_at = format!("address_types.{key}");
        let address = if key == "billingPerson" {
            None
        } else {
            let index = key
                .strip_prefix("shippingAddresses.")
                .and_then(|n| n.parse::<usize>().ok());
            Some(index.ok_or_else(|| {
                key_error(
                    &key_at,
                    "not an address: use billingPerson or shippingAddresses.N".into(),
                )
            })?)
        };
        let column = value.as_str().ok_or_else(|| {
            key_error(
                &key_at,
                "give the column of the address's types (\"Address 1 - Type\")".into(),
            )
        })?;
        types.push((address, column.to_string()));
    }
    Ok(types)
}

/// The `[phone_types]` table: each phone field (`billingPerson.phone`,
/// `shippingAddresses.N.phone`, `contacts.N.contact`) with the column of its types.
pub(super) fn phone_types(
    table: Option<&toml::Table>,
    key_error: &impl Fn(&str, String) -> MappingError,
) -> Result<Vec<(Field, String)>, MappingError> {
    use crate::customer::fields::{AddressField as A, ContactField as C};
    let mut types = Vec::new();
    let mut flat = Vec::new();
    if let Some(table) = table {
        flatten("", table, &mut flat);
    }
    for (key, value) in flat {
        let key_at = format!("phone_types.{key}");
        let field = Field::parse(&key)
            .filter(|f| {
                matches!(
                    f,
                    Field::Billing(A::Phone)
                        | Field::Shipping(_, A::Phone)
                        | Field::Contact(_, C::Contact)
                )
            })
            .ok_or_else(|| {
                key_error(
                    &key_at,
                    "not a phone: use billingPerson.phone, shippingAddresses.N.phone or \
                     contacts.N.contact"
                        .into(),
                )
            })?;
        let column = value.as_str().ok_or_else(|| {
            key_error(
                &key_at,
                "give the column of the phone's types (\"Phone 1 - Type\")".into(),
            )
        })?;
        types.push((field, column.to_string()));
    }
    Ok(types)
}
