//! Cells that may hold several values (Google's ` ::: `, `;`, a line break in an email or
//! phone cell): the first is the field, the others contacts of the same type.

use crate::customer::fields::{AddressField as A, Field};
use crate::input::presets::split_values;

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
    cell.bytes().any(|b| matches!(b, b';' | b'\n')) || cell.contains(" ::: ")
}
