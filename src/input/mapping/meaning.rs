//! The glue between the header's rules and the matcher ([`crate::input::matcher`]): which
//! columns and fields the canonical names and the mapping file have taken, so that the matcher
//! takes only the rest, and its choices as rules and as a mapping file's fields.

use super::{Fill, Rule};
use crate::customer::fields::{AddressField, Field};
use crate::input::mapping_file::{Mapped, Source};
use crate::input::matcher::{self, Matched};
use crate::input::presets::{self, Target};

/// The canonical columns among `rules`: each column with the field its name gives it. The one
/// filter both the matcher's claims and the printed mapping are made from.
fn canonical_columns(rules: &[Rule]) -> impl Iterator<Item = (usize, &Field)> {
    rules.iter().filter_map(|r| match (&r.target, &r.fill) {
        (Target::Field(field), Fill::Column(i)) => Some((*i, field)),
        _ => None,
    })
}

/// The canonical columns' rules as mapping-file fields, for `template --mapping --from`.
fn canonical_model(rules: &[Rule], names: &[String]) -> Vec<Mapped> {
    canonical_columns(rules)
        .map(|(i, field)| Mapped {
            key: field.to_string(),
            field: field.clone(),
            source: Source::joined(vec![names[i].clone()], " "),
        })
        .collect()
}

/// What a mapping file's rules take: each column they read with each field they fill, and the
/// fields of their constants (with no column).
fn mapping_claims(own: &[Rule]) -> Vec<(Option<usize>, Field)> {
    let mut claims = Vec::new();
    for rule in own {
        let columns: Vec<Option<usize>> = match &rule.fill {
            Fill::Column(i) => vec![Some(*i)],
            Fill::Columns { alternatives, .. } => {
                alternatives.iter().flatten().map(|&i| Some(i)).collect()
            }
            Fill::Value(_) => vec![None],
        };
        for field in rule.target.fields() {
            claims.extend(columns.iter().map(|&c| (c, field.clone())));
        }
    }
    claims
}

/// The canonical columns and, for the columns and fields that neither they nor the mapping
/// file's rules (`own`) take, the matcher's choices: the choices' rules are added to `rules`,
/// and the canonical columns with the choices are returned as a mapping file's fields.
pub(super) fn by_meaning(
    rules: &mut Vec<Rule>,
    names: &[String],
    own: &[Rule],
) -> (Vec<Mapped>, Matched) {
    let mut model = canonical_model(rules, names);
    let from_mapping = mapping_claims(own);
    let mut claimed: Vec<(Option<usize>, Field)> = canonical_columns(rules)
        .map(|(i, f)| (Some(i), f.clone()))
        .collect();
    // The canonical `name` gives way to a first-name column, unless the mapping file says
    // where the name comes from or what the column is.
    let name_alias = claimed
        .iter()
        .find_map(|(i, _)| i.filter(|&i| presets::same_name(&names[i], "name")))
        .filter(|&alias| {
            !from_mapping
                .iter()
                .any(|(c, f)| *c == Some(alias) || *f == Field::Billing(AddressField::Name))
        });
    claimed.extend(from_mapping);
    let matched = matcher::match_columns(names, &claimed, name_alias);
    if let Some(alias) = matched.gives_way {
        rules.retain(|r| !matches!(r.fill, Fill::Column(i) if i == alias));
        model.retain(|m| m.source.columns().first() != Some(&names[alias]));
    }
    // The matcher names only columns of the header: this cannot fail.
    if let Ok(chosen) = super::rules::mapped_rules(&matched.fields, "", names) {
        rules.extend(chosen);
    }
    model.extend(matched.fields.iter().cloned());
    (model, matched)
}

/// `rules` without the columns in `used`: a column the mapping file reads is read only as it
/// says, so that moving a column to another field in the file moves it, and no preset or
/// canonical name fills the old field from it too. A rule left with no column is dropped.
pub(super) fn without_columns(rules: Vec<Rule>, used: &[bool]) -> Vec<Rule> {
    let free = |i: &usize| !used[*i];
    rules
        .into_iter()
        .filter_map(|mut rule| {
            match &mut rule.fill {
                Fill::Column(i) if !free(i) => return None,
                Fill::Columns { alternatives, .. } => {
                    for columns in alternatives.iter_mut() {
                        columns.retain(free);
                    }
                    alternatives.retain(|columns| !columns.is_empty());
                    if alternatives.is_empty() {
                        return None;
                    }
                }
                _ => {}
            }
            Some(rule)
        })
        .collect()
}
