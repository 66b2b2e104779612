//! `template --mapping --from FILE` for a file of a known export: the preset's own mapping,
//! column by column, as the run really uses it. The preset maps the file without a mapping
//! file, so every line is commented out: the printed file read back with `--mapping` changes
//! nothing, and uncommenting a line (then editing it) replaces that one field. What no
//! mapping line can say (a value tried after another, a packed address, an address that goes
//! where its type says, contacts made from each value of a cell) is said in words.

use std::fmt::Write as _;

use super::toml_line::{line, toml_string};
use super::{Fill, Rule};
use crate::customer::fields::Field;
use crate::input::mapping_file::{Mapped, Source};
use crate::input::presets::{Preset, Target};

/// The starter text of a file that `preset` reads (detected, for `reason`).
pub(super) fn preset_starter(
    preset: Preset,
    reason: &str,
    rules: &[Rule],
    names: &[String],
    shown: &str,
) -> String {
    let mut text = format!(
        "# ecwid-import column mapping for {shown}, as the run reads it:\n\
         # preset {preset} ({reason}).\n\
         # The preset maps these columns without a mapping file, so every line is commented\n\
         # out. To change a field, uncomment its line and edit it (a mapping file on top of a\n\
         # preset replaces only the fields it names), then:\n\
         #   ecwid-import import {shown} --mapping this-file.toml\n\
         # Excel's leading ' (a text marker) is removed from every value, as in every preset.\n\
         \n[fields]\n"
    );
    for rule in rules {
        let _ = writeln!(text, "{}", describe(rule, names));
    }
    let used = |i: usize| {
        rules.iter().any(|r| match &r.fill {
            Fill::Column(c) => *c == i,
            Fill::Columns { alternatives, .. } => alternatives.iter().flatten().any(|c| *c == i),
            Fill::Value(_) => false,
        })
    };
    let rest: Vec<&String> = names
        .iter()
        .enumerate()
        .filter(|(i, n)| !n.is_empty() && !used(*i))
        .map(|(_, n)| n)
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            text,
            "\n# Not imported: the {preset} preset takes no field from these (write a field path\n\
             # in place of ? to import one):"
        );
        for name in rest {
            let _ = writeln!(text, "# \"?\" = {}", toml_string(name));
        }
    }
    text
}

/// One rule of the preset as a commented line of `[fields]`, or in words where no mapping
/// line can say it.
fn describe(rule: &Rule, names: &[String]) -> String {
    let (first, others) = alternatives(&rule.fill, names);
    let single = || first.columns().first().cloned().unwrap_or_default();
    let quoted: Vec<String> = first.columns().iter().map(|c| toml_string(c)).collect();
    let columns = quoted.join(" + ");
    let mapped = |field: &Field, source: Source| Mapped {
        key: field.to_string(),
        field: field.clone(),
        source,
    };
    let (mapped, note) = match &rule.target {
        Target::Field(field) => (mapped(field, first.clone()), String::new()),
        Target::Country { code, .. } | Target::State { code, .. } => {
            (mapped(code, Source::CodeOrName(single())), String::new())
        }
        Target::YesNo(field) => (mapped(field, Source::YesNo(single())), String::new()),
        Target::IfValid(field) => {
            let note = if *field == Field::Lang {
                "a language the store has not enabled is left out with a note"
            } else {
                ""
            };
            (mapped(field, Source::IfValid(single())), note.to_string())
        }
        Target::TaxExemptWithoutId => (
            mapped(&Field::TaxExempt, first.clone()),
            "a yes is sent only with a tax ID; without one it is left out with a note".into(),
        ),
        Target::PackedAddress(address) => {
            let place = address.map_or("billingPerson".to_string(), |i| {
                format!("shippingAddresses.{i}")
            });
            return format!(
                "# {} -> {place}: name, street, city, state, postal code and country, split \
                 where the reading is certain, else the whole text as the street",
                columns
            );
        }
        Target::Person { name, company } => {
            // Each alternative (Stripe's `Name`, then `Card Name`), its columns joined.
            let tried: Vec<String> = std::iter::once(columns.clone())
                .chain(others.iter().map(|o| {
                    let quoted: Vec<String> = o.iter().map(|c| toml_string(c)).collect();
                    quoted.join(" + ")
                }))
                .collect();
            return format!(
                "# {} -> {name}, the first that holds a person's name (a company's name goes to \
                 {company}, an email address is no name)",
                tried.join(", then ")
            );
        }
        Target::PhoneContact { position, unless } => {
            return format!(
                "# {} -> contacts.{position} of type PHONE, unless it is {unless}'s number",
                columns
            );
        }
        Target::Contact(kind) => {
            return format!(
                "# {} -> contacts: one of type {kind} for each value of the cell",
                columns
            );
        }
        Target::AddressType(block) => {
            return format!(
                "# {} -> where address {} goes, row by row: Billing to billingPerson, each \
                 Shipping to shippingAddresses (Home, Work too where none is Shipping)",
                columns,
                block + 1
            );
        }
        Target::InAddress(block, part) => {
            let fields: Vec<String> = part
                .fields()
                .iter()
                .map(|f| f.to_string().replace("billingPerson.", ""))
                .collect();
            return format!(
                "# {} -> {} of address {} (where its type says)",
                columns,
                fields.join(" or "),
                block + 1
            );
        }
    };
    let mut text = format!("# {}", line(&mapped));
    let mut notes: Vec<String> = others
        .iter()
        .map(|o| {
            let quoted: Vec<String> = o.iter().map(|c| toml_string(c)).collect();
            format!("else {} where that is blank", quoted.join(" + "))
        })
        .collect();
    if !note.is_empty() {
        notes.push(note);
    }
    if !notes.is_empty() {
        let _ = write!(text, "   # {}", notes.join("; "));
    }
    text
}

/// The first alternative of a fill as a mapping source, and the columns of the others.
fn alternatives(fill: &Fill, names: &[String]) -> (Source, Vec<Vec<String>>) {
    match fill {
        Fill::Column(i) => (Source::joined(vec![names[*i].clone()], " "), Vec::new()),
        Fill::Value(value) => (Source::Value(value.clone()), Vec::new()),
        Fill::Columns {
            alternatives,
            separators,
        } => {
            let named = |columns: &Vec<usize>| -> Vec<String> {
                columns.iter().map(|&i| names[i].clone()).collect()
            };
            let first = alternatives.first().map(named).unwrap_or_default();
            let gaps = (1..first.len())
                .map(|k| {
                    separators
                        .get(k - 1)
                        .or(separators.last())
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            let others = alternatives.iter().skip(1).map(named).collect();
            (
                Source::Columns {
                    columns: first,
                    separators: gaps,
                },
                others,
            )
        }
    }
}
