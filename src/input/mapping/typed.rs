//! Address blocks whose type column says where they go (Wix's `Address N - Type`), row by
//! row: a person entering the customer puts the address typed billing in the billing address
//! and the shipping ones in the address book, whatever their order in the file.
//!
//! The rules, in order:
//! - the first block typed billing (`Billing`, `Invoice`) is the billing address;
//! - a first block with no type is the billing address when none is typed billing (a file
//!   without types reads as before: its first address is the customer's);
//! - every block typed shipping (`Shipping`, `Delivery`) is a shipping address, in order;
//! - every other block (`Home`, `Work`, `Other`, another billing one, one with no type) is a
//!   shipping address where no block is typed shipping; where one is, it is left out with a
//!   note naming it (a home address is not where the customer has things shipped).
//!
//! A block is the place of an address (street, city, state, postal code, country): the name,
//! company and phone of the billing address are the customer's and stay there.

use std::borrow::Cow;

use super::invalid::Invalid;
use super::row_cells::Cells;
use super::rules::{HeaderError, unknown_column};
use super::{ColumnMap, Fill, Rule};
use crate::customer::fields::{AddressField as A, Field};
use crate::input::mapping_file::MappingFile;
use crate::input::matcher::Matched;
use crate::input::presets::{self, Target};

/// What an address block's type says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Billing,
    Shipping,
    Other,
    Untyped,
}

fn kind_of(text: &str) -> Kind {
    let text = text.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if text.is_empty() {
        Kind::Untyped
    } else if has(&["billing", "invoice"]) {
        Kind::Billing
    } else if has(&["shipping", "delivery"]) {
        Kind::Shipping
    } else {
        Kind::Other
    }
}

/// One address block of a row: its type's column and cell, and whether it has any part.
pub(super) struct Block<'v> {
    pub(super) label: &'v str,
    pub(super) kind: Cow<'v, str>,
    pub(super) filled: bool,
}

/// Where each block of a row goes: `Some(None)` the billing address, `Some(Some(i))` shipping
/// address `i` (counted from `first_shipping`), `None` nowhere (with a note in `notes`).
pub(super) fn routes(
    blocks: &[Block<'_>],
    first_shipping: usize,
    notes: &mut Vec<String>,
) -> Vec<Option<Option<usize>>> {
    let kinds: Vec<Kind> = blocks.iter().map(|b| kind_of(&b.kind)).collect();
    let filled = |i: &usize| blocks[*i].filled;
    let billing = (0..blocks.len())
        .filter(filled)
        .find(|&i| kinds[i] == Kind::Billing)
        .or_else(|| {
            (0..blocks.len())
                .find(filled)
                .filter(|&i| kinds[i] == Kind::Untyped)
        });
    let any_shipping = (0..blocks.len())
        .filter(filled)
        .any(|i| kinds[i] == Kind::Shipping);
    let mut next = first_shipping;
    let mut routes = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let route = if !block.filled {
            None
        } else if Some(i) == billing {
            Some(None)
        } else if kinds[i] == Kind::Shipping || !any_shipping {
            next += 1;
            Some(Some(next - 1))
        } else {
            let kind: &str = &block.kind;
            notes.push(format!(
                "the address of {} {} not sent: the customer has an address typed \
                 shipping, and this one is not",
                block.label,
                crate::words::quoted(kind)
            ));
            None
        };
        routes.push(route);
    }
    routes
}

/// The address and phone types of the matcher and of the mapping file (which wins for an
/// address or phone both name): the addresses' rules are made typed blocks
/// ([`type_addresses`]), and the phones' guards against faxes are returned ([`fax_guards`]).
pub(super) fn apply_types(
    rules: &mut Vec<Rule>,
    matched: &Matched,
    mapping: Option<&MappingFile>,
    names: &[String],
) -> Result<Vec<(usize, usize)>, HeaderError> {
    let mut types = matched.address_types.clone();
    let mut phone_types = matched.phone_types.clone();
    if let Some(mapping) = mapping {
        types.retain(|(a, _)| !mapping.address_types.iter().any(|(b, _)| a == b));
        types.extend(mapping.address_types.iter().cloned());
        phone_types.retain(|(a, _)| !mapping.phone_types.iter().any(|(b, _)| a == b));
        phone_types.extend(mapping.phone_types.iter().cloned());
    }
    let file = mapping.map_or(String::new(), |m| m.path.display().to_string());
    type_addresses(rules, &types, names, &file)?;
    fax_guards(rules, &phone_types, names, &file)
}

/// Makes each address of `types` (`None`: the billing address, else shipping address `i`,
/// with the column of its types, from a mapping file's `[address_types]` or the matcher) a
/// typed block: its parts go, row by row, where the row's type says. `file` names the mapping
/// file in the error of a column the header lacks.
fn type_addresses(
    rules: &mut Vec<Rule>,
    types: &[(Option<usize>, String)],
    names: &[String],
    file: &str,
) -> Result<(), HeaderError> {
    let mut next_block = rules
        .iter()
        .filter_map(|r| match r.target {
            Target::AddressType(block) | Target::InAddress(block, _) => Some(block + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for (address, column) in types {
        let Some(position) = names.iter().position(|n| presets::same_name(n, column)) else {
            let key = address.map_or("billingPerson".to_string(), |i| {
                format!("shippingAddresses.{i}")
            });
            return Err(unknown_column(
                file,
                format!("address_types.{key}"),
                column,
                names,
            ));
        };
        // Only the place moves: the name, company and phone of the billing address are the
        // customer's, whatever the type of the address.
        let place = |a: &A| !matches!(a, A::Name | A::CompanyName | A::Phone);
        let in_this = |f: &Field| match (f, address) {
            (Field::Billing(a), None) => place(a),
            (Field::Shipping(i, a), Some(j)) => i == j && place(a),
            _ => false,
        };
        let mut found = false;
        for rule in rules.iter_mut() {
            let fields = rule.target.fields();
            let is_part = matches!(
                rule.target,
                Target::Field(_) | Target::Country { .. } | Target::State { .. }
            );
            if is_part && !fields.is_empty() && fields.iter().all(in_this) {
                let part = as_billing(&rule.target);
                rule.target = Target::InAddress(next_block, Box::new(part));
                found = true;
            }
        }
        if found {
            rules.push(Rule {
                target: Target::AddressType(next_block),
                fill: Fill::Column(position),
                label: names[position].clone(),
            });
            next_block += 1;
        }
    }
    Ok(())
}

/// The phone rules whose value a row leaves out when its type column names a fax: each
/// phone of `types` (its field and type column, from a mapping file's `[phone_types]` or the
/// matcher) as the index of the rule that fills it and the position of the type column.
fn fax_guards(
    rules: &[Rule],
    types: &[(Field, String)],
    names: &[String],
    file: &str,
) -> Result<Vec<(usize, usize)>, HeaderError> {
    let mut guards = Vec::new();
    for (field, column) in types {
        let Some(position) = names.iter().position(|n| presets::same_name(n, column)) else {
            return Err(unknown_column(
                file,
                format!("phone_types.{field}"),
                column,
                names,
            ));
        };
        let target = Target::Field(field.clone());
        if let Some(rule) = rules.iter().position(|r| r.target == target) {
            guards.push((rule, position));
        }
    }
    Ok(guards)
}

/// Whether a phone's type names a fax (`Fax`, `Work Fax`, `Telefax`).
fn is_fax(kind: &str) -> bool {
    kind.to_lowercase().contains("fax")
}

/// A part of an address written as the billing address's, as [`Target::InAddress`] holds it.
fn as_billing(target: &Target) -> Target {
    target.with_address_fields(|f| match f {
        Field::Shipping(_, a) => Field::Billing(*a),
        other => other.clone(),
    })
}

impl ColumnMap {
    /// The phone rules this row leaves out because their type column names a fax, with the
    /// type.
    pub(super) fn faxes<'c>(&self, cells: &Cells<'c>) -> Vec<(usize, &'c str)> {
        let mut faxes = Vec::new();
        for &(rule, column) in &self.fax_guards {
            if let Ok(cell) = cells.get(column) {
                let kind = self.clean(cell);
                if is_fax(kind) {
                    faxes.push((rule, kind));
                }
            }
        }
        faxes
    }

    /// The blocks of a row with typed addresses, in block order.
    pub(super) fn blocks<'m>(
        &'m self,
        value: &impl Fn(&'m Fill) -> Result<Cow<'m, str>, Invalid>,
    ) -> Result<Vec<Block<'m>>, Invalid> {
        let mut blocks: Vec<Block<'m>> = Vec::new();
        for rule in &self.rules {
            let (block, kind) = match &rule.target {
                Target::AddressType(block) => (*block, Some(value(&rule.fill)?)),
                Target::InAddress(block, _) => (*block, None),
                _ => continue,
            };
            while blocks.len() <= block {
                blocks.push(Block {
                    label: "",
                    kind: Cow::Borrowed(""),
                    filled: false,
                });
            }
            match kind {
                Some(kind) => {
                    blocks[block].label = &rule.label;
                    blocks[block].kind = kind;
                }
                None if !blocks[block].filled => {
                    blocks[block].filled = !value(&rule.fill)?.is_empty();
                }
                None => {}
            }
        }
        Ok(blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(blocks: &[(&str, bool)]) -> (Vec<Option<Option<usize>>>, Vec<String>) {
        let blocks: Vec<Block> = blocks
            .iter()
            .map(|&(kind, filled)| Block {
                label: "Address N - Type",
                kind: Cow::Borrowed(kind),
                filled,
            })
            .collect();
        let mut notes = Vec::new();
        (routes(&blocks, 0, &mut notes), notes)
    }

    #[test]
    fn each_block_goes_where_its_type_says() {
        // Billing wherever it is; home and work are shipping addresses where none is typed so.
        let (r, notes) = route(&[("Home", true), ("Billing", true), ("Work", true)]);
        assert_eq!(r, [Some(Some(0)), Some(None), Some(Some(1))]);
        assert!(notes.is_empty());
        // Every shipping one, however many; then home is not one.
        let (r, notes) = route(&[
            ("Shipping", true),
            ("Home", true),
            ("Shipping", true),
            ("", false),
        ]);
        assert_eq!(r, [Some(Some(0)), None, Some(Some(1)), None]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("\"Home\""), "{notes:?}");
        // No types: the first is the billing address, the others shipping, as before.
        let (r, _) = route(&[("", true), ("", true), ("", true)]);
        assert_eq!(r, [Some(None), Some(Some(0)), Some(Some(1))]);
        // A blank first block does not make the second the billing address.
        let (r, _) = route(&[("", false), ("Work", true)]);
        assert_eq!(r, [None, Some(Some(0))]);
        assert_eq!(kind_of(" SHIPPING address "), Kind::Shipping);
    }
}
