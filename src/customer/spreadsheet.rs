//! What spreadsheets and exports put in a cell in place of a value: a placeholder that stands
//! for nothing (`null`, `N/A`), and the digits of a phone or postal code that a spreadsheet
//! turned into a number (`561156445.00`, `7.02255E+12`).

use super::fields::{AddressField, Field};

/// The values that stand for nothing (any case): a cell holding one is blank.
const PLACEHOLDERS: [&str; 7] = [
    "null",
    "none",
    "n/a",
    "#n/a",
    "-",
    "[not provided]",
    "undefined",
];

/// Whether a trimmed cell holds a value that stands for nothing: `null`, `None`, `N/A`, `#N/A`,
/// `-`, `[not provided]`, `undefined`, in any case. Such a cell is read as blank.
pub(crate) fn is_placeholder(value: &str) -> bool {
    value.len() <= 14 && PLACEHOLDERS.iter().any(|p| value.eq_ignore_ascii_case(p))
}

/// Whether a field holds digits that a spreadsheet may have turned into a number: a phone or a
/// postal code.
pub(crate) fn is_numeric_text(field: &Field) -> bool {
    matches!(
        field,
        Field::Billing(AddressField::Phone | AddressField::PostalCode)
            | Field::Shipping(_, AddressField::Phone | AddressField::PostalCode)
    )
}

/// A number a spreadsheet saved with decimals (`561156445.00`) without them: the digits
/// before the point when every digit after it is a zero; else the value as it is.
pub(crate) fn without_float_zeros(value: &str) -> &str {
    match value.split_once('.') {
        Some((digits, zeros))
            if !digits.is_empty()
                && !zeros.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && zeros.bytes().all(|b| b == b'0') =>
        {
            &value[..digits.len()]
        }
        _ => value,
    }
}

/// A number in a spreadsheet's exponent form (`7.02255E+12`): digits, an optional decimal part,
/// then `E+` and the exponent. Its last digits are lost.
pub(crate) fn is_exponent_form(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['E', 'e']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.strip_prefix('+').is_some_and(digits)
}
