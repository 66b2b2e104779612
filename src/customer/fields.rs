//! The fields of a customer by their JSON path, as the canonical column names spell them
//! (`billingPerson.city`, `shippingAddresses.0.city`, `contacts.2.type`).

use std::fmt;

/// A field of `billingPerson` or of an entry of `shippingAddresses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AddressField {
    Name,
    CompanyName,
    Street,
    City,
    CountryCode,
    CountryName,
    PostalCode,
    StateOrProvinceCode,
    Phone,
}

/// A field of an entry of `contacts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ContactField {
    Type,
    Contact,
    Handle,
    Note,
    Default,
    OrderBy,
}

/// One field of the create-customer request that a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    Email,
    Password,
    CustomerGroupId,
    CustomerGroupName,
    B2bB2c,
    TaxId,
    TaxIdValid,
    TaxExempt,
    AcceptMarketing,
    Lang,
    PrivateAdminNotes,
    Billing(AddressField),
    Shipping(usize, AddressField),
    Contact(usize, ContactField),
}

const TOP: [(Field, &str); 11] = [
    (Field::Email, "email"),
    (Field::Password, "password"),
    (Field::CustomerGroupId, "customerGroupId"),
    (Field::CustomerGroupName, "customerGroupName"),
    (Field::B2bB2c, "b2b_b2c"),
    (Field::TaxId, "taxId"),
    (Field::TaxIdValid, "taxIdValid"),
    (Field::TaxExempt, "taxExempt"),
    (Field::AcceptMarketing, "acceptMarketing"),
    (Field::Lang, "lang"),
    (Field::PrivateAdminNotes, "privateAdminNotes"),
];

const ADDRESS: [(AddressField, &str); 9] = [
    (AddressField::Name, "name"),
    (AddressField::CompanyName, "companyName"),
    (AddressField::Street, "street"),
    (AddressField::City, "city"),
    (AddressField::CountryCode, "countryCode"),
    (AddressField::CountryName, "countryName"),
    (AddressField::PostalCode, "postalCode"),
    (AddressField::StateOrProvinceCode, "stateOrProvinceCode"),
    (AddressField::Phone, "phone"),
];

const CONTACT: [(ContactField, &str); 6] = [
    (ContactField::Type, "type"),
    (ContactField::Contact, "contact"),
    (ContactField::Handle, "handle"),
    (ContactField::Note, "note"),
    (ContactField::Default, "default"),
    (ContactField::OrderBy, "orderBy"),
];

fn lookup<T: Copy>(table: &[(T, &'static str)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(f, _)| *f)
}

fn name_of<T: PartialEq>(table: &[(T, &'static str)], field: T) -> &'static str {
    table
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, n)| *n)
        .unwrap_or_default()
}

impl Field {
    /// Parses a canonical column name: case-insensitive, surrounding spaces ignored, `[N]` the
    /// same as `.N`, and `name` an alias of `billingPerson.name`.
    pub(crate) fn parse(column: &str) -> Option<Field> {
        let path = column.trim().replace('[', ".").replace(']', "");
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            [one] if one.eq_ignore_ascii_case("name") => Some(Field::Billing(AddressField::Name)),
            [one] => lookup(&TOP, one),
            [group, field] if group.eq_ignore_ascii_case("billingPerson") => {
                lookup(&ADDRESS, field).map(Field::Billing)
            }
            [group, index, field] => {
                let index = parse_index(index)?;
                if group.eq_ignore_ascii_case("shippingAddresses") {
                    lookup(&ADDRESS, field).map(|f| Field::Shipping(index, f))
                } else if group.eq_ignore_ascii_case("contacts") {
                    lookup(&CONTACT, field).map(|f| Field::Contact(index, f))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Every canonical column, with list positions 0, in the order `template` prints them.
    pub(crate) fn canonical() -> Vec<Field> {
        let mut all: Vec<Field> = TOP.iter().map(|(f, _)| *f).collect();
        all.extend(ADDRESS.iter().map(|(f, _)| Field::Billing(*f)));
        all.extend(ADDRESS.iter().map(|(f, _)| Field::Shipping(0, *f)));
        all.extend(CONTACT.iter().map(|(f, _)| Field::Contact(0, *f)));
        all
    }
}

fn parse_index(text: &str) -> Option<usize> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Positions are list slots in one request: a handful at most, never thousands.
    text.parse().ok().filter(|&n: &usize| n < 1000)
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Field::Billing(a) => write!(f, "billingPerson.{}", name_of(&ADDRESS, a)),
            Field::Shipping(i, a) => write!(f, "shippingAddresses.{i}.{}", name_of(&ADDRESS, a)),
            Field::Contact(i, c) => write!(f, "contacts.{i}.{}", name_of(&CONTACT, c)),
            top => f.write_str(name_of(&TOP, top)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_canonical_name_back() {
        for field in Field::canonical() {
            assert_eq!(Field::parse(&field.to_string()), Some(field), "{field}");
        }
        assert_eq!(Field::canonical().len(), 11 + 9 + 9 + 6);
    }

    #[test]
    fn names_are_case_insensitive_trimmed_and_accept_brackets() {
        let city = Some(Field::Shipping(2, AddressField::City));
        assert_eq!(Field::parse("shippingAddresses.2.city"), city);
        assert_eq!(Field::parse("  SHIPPINGADDRESSES[2].City "), city);
        assert_eq!(
            Field::parse("Name"),
            Some(Field::Billing(AddressField::Name))
        );
        assert_eq!(
            Field::parse("contacts[12].orderby"),
            Some(Field::Contact(12, ContactField::OrderBy))
        );
        assert_eq!(Field::parse("B2B_B2C"), Some(Field::B2bB2c));
    }

    #[test]
    fn unknown_names_map_to_nothing() {
        for name in [
            "",
            "Tags",
            "billingPerson",
            "billingPerson.zip",
            "shippingAddresses.city",
            "shippingAddresses.x.city",
            "shippingAddresses.-1.city",
            "contacts.0.city",
            "email.0",
        ] {
            assert_eq!(Field::parse(name), None, "{name}");
        }
    }
}
