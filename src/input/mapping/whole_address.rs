//! A whole address in one cell ([`Target::PackedAddress`]): which columns hold one, and how a
//! row's cell fills the address's fields.
//!
//! A preset says so of its column (Mailchimp's `Address`); any other file's address whose
//! only column is its street (Amazon's order history `Shipping Address`, a list's lone
//! `Address`) is read the same way, since a person would read such a cell as the whole
//! address. The split itself is [`split_packed_address`]'s, one rule for every file.
//!
//! A column that holds the whole address beside its parts, named with its name before theirs
//! (Pipedrive's `Postal address` beside `Postal address - Street/road name`,
//! `Postal address - City/town/village/locality`), is read the same way, only on a row whose
//! parts are blank: where a row has them, the parts win (they are the same address, taken
//! apart by the platform), and where it has none (an address the platform could not take
//! apart), the whole cell is the address.

use std::borrow::Cow;

use super::apply::Apply;
use super::invalid::Invalid;
use super::people::alternatives;
use super::{ColumnMap, Fill, Rule};
use crate::customer::countries::foreign_region;
use crate::customer::fields::{AddressField as A, Field};
use crate::input::matcher::{country_code, whole_beside_parts};
use crate::input::names::normalise;
use crate::input::presets::{Target, has_parts, packed_field, split_packed_address};

/// Turns the street rule of every address that has no other place column (no city, postal
/// code, state or country) into a [`Target::PackedAddress`]: its cell may hold the whole
/// address. Files with typed address blocks keep their rules: their type decides. The
/// columns so read, for the mapping report.
pub(super) fn lone_streets(rules: &mut [Rule]) -> Vec<String> {
    let mut columns = Vec::new();
    if rules
        .iter()
        .any(|r| matches!(r.target, Target::InAddress(..) | Target::AddressType(_)))
    {
        return columns;
    }
    let fields: Vec<Field> = rules.iter().flat_map(|r| r.target.fields()).collect();
    for rule in rules.iter_mut() {
        if matches!(rule.fill, Fill::Column(_))
            && let Target::Field(street) = &rule.target
            && let Some(address) = lone_street(street, &fields)
        {
            rule.target = Target::PackedAddress(address);
            columns.push(rule.label.clone());
        }
    }
    columns
}

/// Adds a [`Target::PackedAddress`] rule for every column no rule reads that holds a whole
/// address beside its parts ([`whole_beside_parts`]), for the address whose street its parts
/// fill. The rules added (by index, read only on a row whose parts are blank) and their
/// columns, for the mapping report.
pub(super) fn beside_parts(rules: &mut Vec<Rule>, names: &[String]) -> (Vec<usize>, Vec<String>) {
    let mut added = (Vec::new(), Vec::new());
    let used: Vec<usize> = rules
        .iter()
        .flat_map(|r| alternatives(&r.fill))
        .flatten()
        .collect();
    for (column, name) in names.iter().enumerate() {
        if used.contains(&column) || !whole_beside_parts(names, column) {
            continue;
        }
        let whole = normalise(name);
        let address = rules.iter().find_map(|r| {
            let address = match &r.target {
                Target::Field(Field::Billing(A::Street)) => None,
                Target::Field(Field::Shipping(i, A::Street)) => Some(*i),
                _ => return None,
            };
            let first = *alternatives(&r.fill).first()?.first()?;
            normalise(&names[first])
                .starts_with(whole.as_str())
                .then_some(address)
        });
        if let Some(address) = address {
            added.0.push(rules.len());
            added.1.push(name.clone());
            rules.push(Rule {
                target: Target::PackedAddress(address),
                fill: Fill::Column(column),
                label: name.clone(),
            });
        }
    }
    added
}

/// The address (`billingPerson`, `shippingAddresses.N`) whose whole `column` holds beside its
/// parts, where `model` (the printed mapping) reads those parts, for `template --mapping`.
pub(super) fn address_beside(
    model: &[crate::input::mapping_file::Mapped],
    names: &[String],
    column: usize,
) -> Option<String> {
    if !whole_beside_parts(names, column) {
        return None;
    }
    let whole = normalise(&names[column]);
    model.iter().find_map(|m| {
        let address = match &m.field {
            Field::Billing(A::Street) => "billingPerson".to_string(),
            Field::Shipping(i, A::Street) => format!("shippingAddresses.{i}"),
            _ => return None,
        };
        let first = m.source.columns().first()?;
        normalise(first)
            .starts_with(whole.as_str())
            .then_some(address)
    })
}

impl ColumnMap {
    /// Whether rule `index` is a whole address beside its parts ([`beside_parts`]) and this
    /// row gives any of the parts: then the parts are the address, and the whole cell is not
    /// read.
    pub(super) fn parts_given<'m>(
        &'m self,
        index: usize,
        address: Option<usize>,
        value: &impl Fn(&'m Fill) -> Result<Cow<'m, str>, Invalid>,
    ) -> Result<bool, Invalid> {
        if !self.whole_beside_parts.contains(&index) {
            return Ok(false);
        }
        let place = Target::PackedAddress(address).fields();
        for (i, rule) in self.rules.iter().enumerate() {
            if i != index
                && rule.target.fields().iter().any(|f| place.contains(f))
                && !value(&rule.fill)?.is_empty()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The address (`None`: the billing address) whose street `field` is, when `fields` (all the
/// fields the file fills) fill no other place part of it: no city, postal code, state or
/// country.
pub(super) fn lone_street(field: &Field, fields: &[Field]) -> Option<Option<usize>> {
    let address = match field {
        Field::Billing(A::Street) => None,
        Field::Shipping(n, A::Street) => Some(*n),
        _ => return None,
    };
    let place = |a: &A| {
        matches!(
            a,
            A::City
                | A::PostalCode
                | A::StateOrProvinceCode
                | A::StateOrProvinceName
                | A::CountryCode
                | A::CountryName
        )
    };
    let has_place = fields.iter().any(|f| match (f, address) {
        (Field::Billing(a), None) => place(a),
        (Field::Shipping(n, a), Some(m)) => *n == m && place(a),
        _ => false,
    });
    (!has_place).then_some(address)
}

/// What a whole-address cell gave its address.
pub(super) enum Filled {
    /// Split into its parts (or blank).
    Split,
    /// Its reading was not certain: the whole text went to the street, to be counted once a
    /// run rather than noted row by row.
    KeptWhole,
}

/// Fills the billing address (`None`) or shipping address `i` from a cell that holds a whole
/// address: its parts where [`split_packed_address`] reads them for certain (the recipient's
/// name only where `name_free`, no other column giving the address's name), else the whole
/// text as the street. A region code Ecwid does not use for the country (the UK's `ENG`) is
/// left out with a note in `notes`, as in any other column.
pub(super) fn fill(
    row: &mut impl Apply,
    (address, label, value): (Option<usize>, &str, &str),
    name_free: impl FnOnce() -> bool,
    notes: &mut Vec<String>,
) -> Filled {
    if value.is_empty() {
        return Filled::Split;
    }
    let field = |a| packed_field(address, a);
    let Some(parts) = split_packed_address(value) else {
        row.set(&field(A::Street), label, value);
        return if has_parts(value) {
            Filled::KeptWhole
        } else {
            Filled::Split
        };
    };
    if let Some(name) = &parts.name
        && name_free()
    {
        row.set(&field(A::Name), label, name);
    }
    row.set(&field(A::Street), label, &parts.street);
    row.set(&field(A::City), label, &parts.city);
    row.set(&field(A::PostalCode), label, &parts.postal_code);
    let iso = country_code(&parts.country);
    match &iso {
        Some(iso) => row.set(&field(A::CountryCode), label, iso),
        None => row.set(&field(A::CountryName), label, &parts.country),
    }
    let state = &parts.state;
    if !is_state_code(state) {
        row.set(&field(A::StateOrProvinceName), label, state);
    } else if let Some(why) = iso.and_then(|iso| foreign_region(&iso, state)) {
        notes.push(format!(
            "{label} region {} not sent: {why}",
            crate::words::quoted(state)
        ));
    } else {
        row.set(&field(A::StateOrProvinceCode), label, state);
    }
    Filled::Split
}

/// A state given as a code (`NY`, `SP`, `NSW`): two or three letters or digits; anything else
/// is a name.
pub(super) fn is_state_code(value: &str) -> bool {
    (2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric())
}
