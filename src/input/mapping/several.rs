//! Cells that may hold several values (Google's ` ::: `, `;`, a line break in an email or
//! phone cell, commas between email addresses): the first is the field, the others contacts of the same type.

use super::{Fill, Rule};
use crate::customer::fields::{AddressField as A, ContactField as C, Field};
use crate::input::presets::{Target, split_values};

/// The contact type of a field whose cell may hold several values (see [`split_values`]): the
/// first is the field, the others contacts of this type.
pub(super) fn several_kind(field: &Field) -> Option<&'static str> {
    match field {
        Field::Email => Some("EMAIL"),
        Field::Billing(A::Phone) | Field::Shipping(_, A::Phone) => Some("PHONE"),
        _ => None,
    }
}

/// The first of the values of a cell that may hold several (see [`split_values`]).
pub(super) fn first_value(cell: &str) -> &str {
    if !has_several(cell) {
        return cell;
    }
    split_values(cell).first().copied().unwrap_or("")
}

/// Whether a cell may hold several values (see [`split_values`]): the check every email and
/// phone cell goes through, so that one value costs no allocation.
pub(super) fn has_several(cell: &str) -> bool {
    cell.bytes().any(|b| matches!(b, b';' | b'\n'))
        || cell.contains(" ::: ")
        || (cell.contains(',') && cell.contains('@'))
}

/// A phone's or postal code's value without Excel's text marker: the `'` a spreadsheet keeps
/// before digits it must not read as a number (`'01234`, `'+44 20 7946 0000`); `None` for any
/// other field or value.
pub(super) fn unmarked_number<'v>(
    rules: &[Rule],
    target: &Target,
    value: &'v str,
) -> Option<&'v str> {
    let rest = value
        .strip_prefix('\'')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '+'))?;
    // A contact whose type is the constant PHONE (a further phone column).
    let phone_contact = |i: usize| {
        rules.iter().any(|r| {
            r.target == Target::Field(Field::Contact(i, C::Type))
                && matches!(&r.fill, Fill::Value(v) if v.eq_ignore_ascii_case("PHONE"))
        })
    };
    let number = match target {
        Target::Field(
            Field::Billing(A::Phone | A::PostalCode) | Field::Shipping(_, A::Phone | A::PostalCode),
        )
        | Target::Contact("PHONE") => true,
        Target::Field(Field::Contact(i, C::Contact)) => phone_contact(*i),
        _ => false,
    };
    number.then_some(rest)
}
