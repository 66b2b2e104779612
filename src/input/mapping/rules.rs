//! The rules a header's names give, by canonical names, by a preset or by a mapping (the
//! user's file or the matcher's choices), and why a header cannot be used. Below both the
//! header's reading (`header`) and the matcher's (`meaning`), which each make rules here.

use super::{Fill, Rule, associated};
use crate::customer::fields::{EXAMPLE_EXTRA_KEY, Field};
use crate::input::mapping_file::{Mapped, Source, code_and_name};
use crate::input::presets::{self, Preset, Target};

/// Why the header cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error(
        "no column holds the email{platform}: the header has {found}; presets tried: {tried}. \
         Name the email column `email`, choose the export's preset with --preset, or map the \
         column with --mapping: `ecwid-import template --mapping --from FILE` prints a mapping \
         file of what this file's columns give, with a line to fill in for the email"
    )]
    NoEmail {
        found: String,
        tried: String,
        /// What the file's platform says about emails, when it never exports them: first, so
        /// that the merchant reads it before the header and the ways to name an email column.
        platform: String,
    },
    #[error("columns {first} and {second} both fill {field}: keep one of them or rename the other")]
    SameField {
        first: String,
        second: String,
        field: String,
    },
    #[error(
        "columns with the same name (ignoring case and surrounding spaces), so it is unclear \
         which one to import: {pairs}. Rename or remove one of each pair, or pick one in a \
         mapping file (--mapping) by its number among the columns of that name, as shown"
    )]
    SameName {
        /// Every repeated pair, each with the mapping-file line that picks one of them.
        pairs: String,
    },
    #[error(
        "column {column:?} names no extra field: it has no key. Write the key of the store's \
         extra field after the dot (e.g. `extrafields.{example}`), or rename the column if it \
         is not an extra field"
    )]
    ExtraFieldWithoutKey {
        column: String,
        example: &'static str,
    },
    #[error(
        "the mapping file {file}, key {key:?}: the header has no column {column:?} (it has \
         {found}): write the column's name as the header spells it"
    )]
    UnknownColumn {
        file: String,
        key: String,
        column: String,
        found: String,
    },
}

pub(super) fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| crate::words::quoted(n)).collect();
    quoted.join(", ")
}

/// The mapping file `file` names, under `key`, a column the header (`names`) lacks.
pub(super) fn unknown_column(
    file: &str,
    key: String,
    column: &str,
    names: &[String],
) -> HeaderError {
    HeaderError::UnknownColumn {
        file: file.to_string(),
        key,
        column: column.to_string(),
        found: found(names),
    }
}

/// The header for messages.
pub(super) fn found(names: &[String]) -> String {
    if names.is_empty() {
        "no columns".into()
    } else {
        quoted(names)
    }
}

pub(super) fn single(target: Target, column: usize, label: &str) -> Rule {
    Rule {
        target,
        fill: Fill::Column(column),
        label: label.to_string(),
    }
}

/// Preset `ecwid`: each column named by its field path (see [`Field::parse`]). An
/// extra-field column without a key is refused rather than left out: the user meant a field.
pub(super) fn canonical_rules(names: &[String]) -> Result<Vec<Rule>, HeaderError> {
    if let Some(name) = names.iter().find(|n| Field::is_extra_without_key(n)) {
        return Err(HeaderError::ExtraFieldWithoutKey {
            column: name.clone(),
            example: EXAMPLE_EXTRA_KEY,
        });
    }
    let rules = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| Field::parse(name).map(|f| single(Target::Field(f), i, name)));
    Ok(rules.collect())
}

/// A preset's entries that the header has columns for.
pub(super) fn preset_rules(preset: Preset, names: &[String]) -> Vec<Rule> {
    let position = |part: &[&str]| {
        part.iter()
            .find_map(|wanted| names.iter().position(|n| presets::same_name(n, wanted)))
    };
    let mut rules = Vec::new();
    for entry in preset.entries() {
        let alternatives: Vec<Vec<usize>> = entry
            .alternatives
            .iter()
            .map(|parts| parts.iter().filter_map(|p| position(p)).collect::<Vec<_>>())
            .filter(|columns| !columns.is_empty())
            .collect();
        if alternatives.is_empty() {
            continue;
        }
        let label = alternatives
            .iter()
            .map(|columns| {
                let named: Vec<&str> = columns.iter().map(|&i| names[i].as_str()).collect();
                named.join(" + ")
            })
            .collect::<Vec<_>>()
            .join(" or ");
        rules.push(Rule {
            target: entry.target,
            fill: Fill::columns(alternatives, vec![entry.separator.to_string()]),
            label,
        });
    }
    rules
}

/// A mapping's fields (of the file `file`, or of the matcher); each of its columns must be in
/// the header.
pub(super) fn mapped_rules(
    fields: &[Mapped],
    file: &str,
    names: &[String],
) -> Result<Vec<Rule>, HeaderError> {
    let position = |key: &str, column: &str| {
        associated::position(names, column)
            .ok_or_else(|| unknown_column(file, format!("fields.{key}"), column, names))
    };
    let mut rules = Vec::new();
    for mapped in fields {
        let target = Target::Field(mapped.field.clone());
        let rule = match &mapped.source {
            Source::YesNo(column) => {
                let i = position(&mapped.key, column)?;
                single(Target::YesNo(mapped.field.clone()), i, &names[i])
            }
            Source::IfValid(column) => {
                let i = position(&mapped.key, column)?;
                single(Target::IfValid(mapped.field.clone()), i, &names[i])
            }
            Source::CodeOrName(column) => {
                let i = position(&mapped.key, column)?;
                let Some((code, name)) = code_and_name(&mapped.field) else {
                    continue;
                };
                let target = if code.to_string().ends_with("countryCode") {
                    Target::Country { code, name }
                } else {
                    Target::State { code, name }
                };
                single(target, i, &names[i])
            }
            Source::Value(value) => Rule {
                target,
                fill: Fill::Value(value.clone()),
                label: format!("{} (mapping file value)", mapped.key),
            },
            Source::Columns {
                columns,
                separators,
            } => {
                let mut positions = Vec::new();
                for column in columns {
                    positions.push(position(&mapped.key, column)?);
                }
                let label: Vec<&str> = positions.iter().map(|&i| names[i].as_str()).collect();
                Rule {
                    target,
                    label: label.join(" + "),
                    fill: Fill::columns(vec![positions], separators.clone()),
                }
            }
        };
        rules.push(rule);
    }
    Ok(rules)
}
