//! The fields of a customer by their JSON path, as the canonical column names spell them
//! (`billingPerson.city`, `shippingAddresses.0.city`, `contacts.2.type`).
//!
//! Extra fields (`extrafields.<key>`) are an open family: the store defines their keys, so a
//! column names one by its key after the prefix, and [`Field::Extra`] carries that key.

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
    StateOrProvinceName,
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    Email,
    Password,
    CustomerGroupId,
    CustomerGroupName,
    B2bB2c,
    TaxId,
    TaxIdValid,
    TaxExempt,
    FiscalCode,
    ElectronicInvoicePecEmail,
    ElectronicInvoiceSdiCode,
    AcceptMarketing,
    Lang,
    PrivateAdminNotes,
    Billing(AddressField),
    Shipping(usize, AddressField),
    Contact(usize, ContactField),
    /// An entry of `extrafields`, by its key as the column writes it (case kept).
    Extra(Box<str>),
}

/// The prefix of an extra field's column, before the key: `extrafields.loyalty_id`.
const EXTRA_PREFIX: &str = "extrafields";

/// The key of the extra-field column in the template and in messages: an example, since each
/// store has its own keys.
pub(crate) const EXAMPLE_EXTRA_KEY: &str = "loyalty_id";

const TOP: [(Field, &str); 14] = [
    (Field::Email, "email"),
    (Field::Password, "password"),
    (Field::CustomerGroupId, "customerGroupId"),
    (Field::CustomerGroupName, "customerGroupName"),
    (Field::B2bB2c, "b2b_b2c"),
    (Field::TaxId, "taxId"),
    (Field::TaxIdValid, "taxIdValid"),
    (Field::TaxExempt, "taxExempt"),
    (Field::FiscalCode, "fiscalCode"),
    (
        Field::ElectronicInvoicePecEmail,
        "electronicInvoicePecEmail",
    ),
    (Field::ElectronicInvoiceSdiCode, "electronicInvoiceSdiCode"),
    (Field::AcceptMarketing, "acceptMarketing"),
    (Field::Lang, "lang"),
    (Field::PrivateAdminNotes, "privateAdminNotes"),
];

const ADDRESS: [(AddressField, &str); 10] = [
    (AddressField::Name, "name"),
    (AddressField::CompanyName, "companyName"),
    (AddressField::Street, "street"),
    (AddressField::City, "city"),
    (AddressField::CountryCode, "countryCode"),
    (AddressField::CountryName, "countryName"),
    (AddressField::PostalCode, "postalCode"),
    (AddressField::StateOrProvinceCode, "stateOrProvinceCode"),
    (AddressField::StateOrProvinceName, "stateOrProvinceName"),
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

fn lookup<T: Clone>(table: &[(T, &'static str)], name: &str) -> Option<T> {
    table
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(f, _)| f.clone())
}

fn name_of<T: PartialEq>(table: &[(T, &'static str)], field: &T) -> &'static str {
    table
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, n)| *n)
        .unwrap_or_default()
}

/// What follows the prefix of an extra-field column (`extrafields.` in any case), trimmed;
/// `Some("")` for the prefix alone. `None` for any other column.
fn extra_key(column: &str) -> Option<&str> {
    let column = column.trim();
    let head = column.get(..EXTRA_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(EXTRA_PREFIX) {
        return None;
    }
    match &column[EXTRA_PREFIX.len()..] {
        "" => Some(""),
        rest => rest.strip_prefix('.').map(str::trim),
    }
}

impl Field {
    /// Parses a canonical column name: case-insensitive, surrounding spaces ignored, `[N]` the
    /// same as `.N`, and `name` an alias of `billingPerson.name`. An extra field's key is
    /// taken as written after `extrafields.` (trimmed, case and inner dots kept); a column
    /// with no key names no field (see [`Field::is_extra_without_key`]).
    pub(crate) fn parse(column: &str) -> Option<Field> {
        if let Some(key) = extra_key(column) {
            return (!key.is_empty()).then(|| Field::Extra(key.into()));
        }
        let path = column.trim().replace('[', ".").replace(']', "");
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            [one] if one.eq_ignore_ascii_case("name") => Some(Field::Billing(AddressField::Name)),
            [one] => lookup(&TOP, one),
            [group, field] if group.eq_ignore_ascii_case("billingPerson") => {
                lookup(&ADDRESS, field).map(Field::Billing)
            }
            // Ecwid's own order model names the order's shipping address `shippingPerson`:
            // an export of Ecwid orders by their field names gives the customer's first
            // shipping address.
            [group, field] if group.eq_ignore_ascii_case("shippingPerson") => {
                lookup(&ADDRESS, field).map(|f| Field::Shipping(0, f))
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

    /// Whether `column` is an extra-field column without a key (`extrafields`,
    /// `extrafields.`): the user meant an extra field but did not say which.
    pub(crate) fn is_extra_without_key(column: &str) -> bool {
        extra_key(column) == Some("")
    }

    /// Every canonical column, with list positions 0 and the example extra field, in the order
    /// `template` prints them.
    pub(crate) fn canonical() -> Vec<Field> {
        let mut all: Vec<Field> = TOP.iter().map(|(f, _)| f.clone()).collect();
        all.extend(ADDRESS.iter().map(|(f, _)| Field::Billing(*f)));
        all.extend(ADDRESS.iter().map(|(f, _)| Field::Shipping(0, *f)));
        all.extend(CONTACT.iter().map(|(f, _)| Field::Contact(0, *f)));
        all.push(Field::Extra(EXAMPLE_EXTRA_KEY.into()));
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
        match self {
            Field::Billing(a) => write!(f, "billingPerson.{}", name_of(&ADDRESS, a)),
            Field::Shipping(i, a) => write!(f, "shippingAddresses.{i}.{}", name_of(&ADDRESS, a)),
            Field::Contact(i, c) => write!(f, "contacts.{i}.{}", name_of(&CONTACT, c)),
            Field::Extra(key) => write!(f, "{EXTRA_PREFIX}.{key}"),
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
            assert_eq!(
                Field::parse(&field.to_string()),
                Some(field.clone()),
                "{field}"
            );
        }
        assert_eq!(Field::canonical().len(), 14 + 10 + 10 + 6 + 1);
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

    /// The Italian e-invoicing fields and the state names parse in any case, as the API
    /// spells them.
    #[test]
    fn invoicing_fields_and_state_names_are_columns() {
        let named = |column: &str| Field::parse(column).map(|f| f.to_string());
        for (column, path) in [
            ("fiscalcode", "fiscalCode"),
            (" ElectronicInvoicePecEmail ", "electronicInvoicePecEmail"),
            ("electronicInvoiceSDICode", "electronicInvoiceSdiCode"),
            (
                "billingPerson.stateorprovincename",
                "billingPerson.stateOrProvinceName",
            ),
            (
                "shippingAddresses[1].stateOrProvinceName",
                "shippingAddresses.1.stateOrProvinceName",
            ),
        ] {
            assert_eq!(named(column).as_deref(), Some(path), "{column}");
        }
    }

    /// `extrafields.<key>`: the prefix in any case, the key as written (case and inner dots
    /// kept); no key at all is not a column of any field.
    #[test]
    fn extra_fields_keep_their_key_as_written() {
        let named = |column: &str| Field::parse(column).map(|f| f.to_string());
        for (column, path) in [
            ("extrafields.loyalty_id", "extrafields.loyalty_id"),
            (" ExtraFields.Loyalty_ID ", "extrafields.Loyalty_ID"),
            ("EXTRAFIELDS.a.b", "extrafields.a.b"),
        ] {
            assert_eq!(named(column).as_deref(), Some(path), "{column}");
        }
        for column in [
            "extrafields",
            "extrafields.",
            "extrafields.  ",
            "extrafield.x",
        ] {
            assert_eq!(named(column), None, "{column}");
        }
        for column in ["extrafields", "ExtraFields.", " extrafields.  "] {
            assert!(Field::is_extra_without_key(column), "{column}");
        }
        for column in ["extrafields.x", "extrafieldsx", "extra", "email", "é"] {
            assert!(!Field::is_extra_without_key(column), "{column}");
        }
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
