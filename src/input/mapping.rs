//! From the header to fields, and from a row's cells to a request: which columns fill which
//! field of the customer, and what a row breaks.
//!
//! This is the one place where the header is given its meaning. The layout (a preset, chosen
//! or detected, and the user's mapping file on top) is turned once into a list of rules, each
//! filling one field from one or more columns or from a constant; every row then goes through
//! the same rules into a [`RowBuilder`] (or, to only check it, a [`RowChecker`]), which apply
//! the value rules of the contract.

use std::borrow::Cow;
use std::fmt;
use std::str::Utf8Error;

use csv::ByteRecord;

use super::mapping_file::{MappingFile, Source};
use super::presets::{self, Preset, Target};
use crate::customer::CustomerRequest;
use crate::customer::fields::Field;
use crate::customer::rules::{Checked, Problem, RowBuilder, RowChecker, parse_bool, trim_cell};

/// Why the header cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error(
        "no column holds the email: the header has {found}; presets tried: {tried}. Name the \
         email column `email`, choose the export's preset with --preset, or map the column with \
         --mapping (run `ecwid-import template` for every supported column name)"
    )]
    NoEmail { found: String, tried: String },
    #[error("columns {first} and {second} both fill {field}: keep one of them or rename the other")]
    SameField {
        first: String,
        second: String,
        field: String,
    },
    #[error(
        "columns {first} and {second} have the same name (ignoring case and surrounding \
         spaces), so it is unclear which one to import: rename or remove one of them"
    )]
    SameName { first: String, second: String },
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

/// How the input is laid out: the preset (`None` detects it) and the user's mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub preset: Option<Preset>,
    pub mapping: Option<MappingFile>,
}

/// The preset a run uses and why, for the log and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub preset: Preset,
    pub reason: String,
    /// The fields the mapping file sets, as it names them.
    pub mapped: Vec<String>,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "preset {} ({})", self.preset, self.reason)?;
        if !self.mapped.is_empty() {
            write!(f, "; from the mapping file: {}", self.mapped.join(", "))?;
        }
        Ok(())
    }
}

/// Where a rule's value comes from.
#[derive(Debug, Clone)]
enum Fill {
    /// One column, as most rules have: the cell is borrowed as it is.
    Column(usize),
    /// Tried in order per row; the first with a non-blank joined value wins.
    Columns {
        alternatives: Vec<Vec<usize>>,
        separator: String,
    },
    Value(String),
}

impl Fill {
    /// From columns: [`Fill::Column`] when there is only one.
    fn columns(alternatives: Vec<Vec<usize>>, separator: &str) -> Self {
        match alternatives.as_slice() {
            [single] if single.len() == 1 => Fill::Column(single[0]),
            _ => Fill::Columns {
                alternatives,
                separator: separator.to_string(),
            },
        }
    }
}

/// One field and where its value comes from.
#[derive(Debug, Clone)]
struct Rule {
    target: Target,
    fill: Fill,
    /// How problems name it: the column, or the columns joined by ` + `.
    label: String,
}

/// The meaning of each column of the input.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    names: Vec<String>,
    rules: Vec<Rule>,
    used: Vec<bool>,
    email_rule: usize,
    strip_quote: bool,
}

/// A row's request, with notes on what was left out of it and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRequest {
    pub request: CustomerRequest,
    pub notes: Vec<String>,
}

/// What the check of a valid row found, with notes on what would be left out of its request.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCheck {
    pub checked: Checked,
    pub notes: Vec<String>,
}

/// A row that breaks the rules: the full message, and a short reason to count alike errors by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub error: String,
    /// One short reason per broken rule.
    pub reasons: Vec<String>,
}

impl ColumnMap {
    /// [`ColumnMap::new`], logging the preset chosen and why.
    pub fn for_input(headers: &ByteRecord, layout: &Layout) -> Result<Self, HeaderError> {
        let (map, choice) = Self::new(headers, layout)?;
        tracing::info!("{choice}");
        Ok(map)
    }

    /// Maps the header by `layout`: the preset's columns, then the mapping file's fields in
    /// place of the preset's for the fields it names.
    pub fn new(headers: &ByteRecord, layout: &Layout) -> Result<(Self, Choice), HeaderError> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        same_names(&names)?;
        let (preset, reason) = match layout.preset {
            Some(preset) => (preset, "chosen with --preset".to_string()),
            None => match presets::detect(&names) {
                Some((preset, found)) => (
                    preset,
                    format!("detected: the header has {}", quoted(&found)),
                ),
                None => (
                    Preset::Ecwid,
                    "no Shopify or WooCommerce header found: canonical column names".to_string(),
                ),
            },
        };
        let mut rules = match preset {
            Preset::Ecwid => canonical_rules(&names),
            other => preset_rules(other, &names),
        };
        let mut mapped = Vec::new();
        if let Some(mapping) = &layout.mapping {
            let own = mapping_rules(mapping, &names)?;
            let named: Vec<Field> = mapping.fields.iter().map(|m| m.field).collect();
            rules.retain(|r| !r.target.fields().iter().any(|f| named.contains(f)));
            rules.extend(own);
            mapped = mapping.fields.iter().map(|m| m.key.clone()).collect();
        }
        if preset == Preset::Ecwid {
            same_field(&rules)?;
        }
        let Some(email_rule) = rules
            .iter()
            .position(|r| r.target == Target::Field(Field::Email))
        else {
            let tried = match (layout.preset, layout.mapping.is_some()) {
                (None, _) if preset == Preset::Ecwid => format!(
                    "shopify and woocommerce (their header signatures are not in the file), then \
                     ecwid (canonical column names{})",
                    if mapped.is_empty() {
                        ""
                    } else {
                        ", and the mapping file"
                    }
                ),
                _ => format!("{preset} ({reason})"),
            };
            return Err(HeaderError::NoEmail {
                found: found(&names),
                tried,
            });
        };
        let mut used = vec![false; names.len()];
        for rule in &rules {
            match &rule.fill {
                Fill::Column(i) => used[*i] = true,
                Fill::Columns { alternatives, .. } => {
                    for &i in alternatives.iter().flatten() {
                        used[i] = true;
                    }
                }
                Fill::Value(_) => {}
            }
        }
        let strip_quote = layout
            .mapping
            .as_ref()
            .and_then(|m| m.strip_leading_quote)
            .unwrap_or(preset.strips_leading_quote());
        let choice = Choice {
            preset,
            reason,
            mapped,
        };
        let map = Self {
            names,
            rules,
            used,
            email_rule,
            strip_quote,
        };
        Ok((map, choice))
    }

    /// Columns that fill no field, as the file names them (blank names shown by position).
    pub fn not_imported(&self) -> Vec<String> {
        self.names
            .iter()
            .zip(&self.used)
            .enumerate()
            .filter(|(_, (_, used))| !**used)
            .map(|(i, (name, _))| {
                if name.is_empty() {
                    format!("(unnamed column {})", i + 1)
                } else {
                    name.clone()
                }
            })
            .collect()
    }

    /// The row's email as it would be sent, trimmed (empty when blank or not UTF-8).
    pub fn email(&self, record: &ByteRecord) -> String {
        // One cell: checking the whole row's UTF-8 would cost more than it saves.
        let cells = Cells { record, text: None };
        self.value(&self.rules[self.email_rule].fill, &cells)
            .map(Cow::into_owned)
            .unwrap_or_default()
    }

    /// The request of one row with its notes, or what is wrong with it.
    pub fn request(&self, record: &ByteRecord) -> Result<RowRequest, Invalid> {
        let (request, notes) = self.fill(record, RowBuilder::new())?;
        Ok(RowRequest { request, notes })
    }

    /// What [`ColumnMap::request`] would find in a row that is only checked (a dry run): the
    /// same problems and notes, with nothing built and no cell copied.
    pub fn check(&self, record: &ByteRecord) -> Result<RowCheck, Invalid> {
        let (checked, notes) = self.fill(record, RowChecker::new())?;
        Ok(RowCheck { checked, notes })
    }

    /// Puts every rule's value of the row through `row`: its result, with notes on what was
    /// left out.
    fn fill<'m, R: Apply>(
        &'m self,
        record: &'m ByteRecord,
        mut row: R,
    ) -> Result<(R::Done, Vec<String>), Invalid> {
        if record.len() != self.names.len() {
            let error = format!(
                "the row has {} cells but the header has {} columns: check for a stray delimiter \
                 or a missing quote",
                record.len(),
                self.names.len()
            );
            return Err(Invalid {
                error,
                reasons: vec!["cell count differs from the header".into()],
            });
        }
        let cells = Cells::new(record);
        let value = |fill: &'m Fill| {
            self.value(fill, &cells).map_err(|(column, e)| {
                let offset = record.position().map_or(0, |p| p.byte());
                let error = format!(
                    "column {} is not valid UTF-8 (byte {} of the cell, near byte {offset} of \
                     the file): if the file was saved by Excel, try --encoding windows-1252",
                    self.names[column],
                    e.valid_up_to()
                );
                Invalid {
                    error,
                    reasons: vec!["not valid UTF-8".into()],
                }
            })
        };
        // Needed only by presets that have a tax-exempt column without a tax ID one.
        let has_tax_id = || {
            self.rules
                .iter()
                .filter(|r| r.target == Target::Field(Field::TaxId))
                .any(|r| value(&r.fill).is_ok_and(|v| !v.is_empty()))
        };
        let mut notes = Vec::new();
        for rule in &self.rules {
            let value = value(&rule.fill)?;
            match rule.target {
                Target::Field(field) => row.set(field, &rule.label, &value),
                Target::Country { code, name } => {
                    let is_code =
                        value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic());
                    row.set(if is_code { code } else { name }, &rule.label, &value);
                }
                Target::TaxExemptWithoutId if parse_bool(&value) == Some(true) && !has_tax_id() => {
                    let value: &str = &value;
                    notes.push(format!(
                        "{} {value:?} not sent: Ecwid makes a customer tax exempt only with a \
                         tax ID, which the file does not have; add it in Ecwid's control panel",
                        rule.label
                    ));
                }
                Target::TaxExemptWithoutId => row.set(Field::TaxExempt, &rule.label, &value),
            }
        }
        let email_label = &self.rules[self.email_rule].label;
        match row.finish(email_label) {
            Ok(done) => Ok((done, notes)),
            Err(problems) => Err(invalid(&problems)),
        }
    }

    /// The value of a rule for one row: each cell trimmed and cleaned, blanks skipped, the
    /// first non-blank alternative joined. A single cell is borrowed, not copied. `Err` names a
    /// column that is not UTF-8.
    fn value<'a>(
        &'a self,
        fill: &'a Fill,
        cells: &Cells<'a>,
    ) -> Result<Cow<'a, str>, (usize, Utf8Error)> {
        let (alternatives, separator) = match fill {
            Fill::Value(value) => return Ok(Cow::Borrowed(value)),
            Fill::Column(i) => {
                let cell = cells.get(*i).map_err(|e| (*i, e))?;
                return Ok(Cow::Borrowed(self.clean(cell)));
            }
            Fill::Columns {
                alternatives,
                separator,
            } => (alternatives, separator),
        };
        for columns in alternatives {
            let mut joined: Option<Cow<'a, str>> = None;
            for &i in columns {
                let cell = self.clean(cells.get(i).map_err(|e| (i, e))?);
                if cell.is_empty() {
                    continue;
                }
                joined = Some(match joined {
                    None => Cow::Borrowed(cell),
                    Some(before) => {
                        let mut text = before.into_owned();
                        text.push_str(separator);
                        text.push_str(cell);
                        Cow::Owned(text)
                    }
                });
            }
            if let Some(value) = joined {
                return Ok(value);
            }
        }
        Ok(Cow::Borrowed(""))
    }

    fn clean<'c>(&self, cell: &'c str) -> &'c str {
        let cell = trim_cell(cell);
        match cell.strip_prefix('\'') {
            Some(rest) if self.strip_quote => trim_cell(rest),
            _ => cell,
        }
    }
}

/// What a row's values are applied to: a [`RowBuilder`] for a request, a [`RowChecker`] to only
/// check.
trait Apply {
    type Done;
    fn set(&mut self, field: Field, column: &str, value: &str);
    fn finish(self, email_column: &str) -> Result<Self::Done, Vec<Problem>>;
}

impl Apply for RowBuilder {
    type Done = CustomerRequest;
    fn set(&mut self, field: Field, column: &str, value: &str) {
        RowBuilder::set(self, field, column, value);
    }
    fn finish(self, email_column: &str) -> Result<CustomerRequest, Vec<Problem>> {
        RowBuilder::finish(self, email_column)
    }
}

impl Apply for RowChecker {
    type Done = Checked;
    fn set(&mut self, field: Field, column: &str, value: &str) {
        self.check(field, column, value);
    }
    fn finish(self, email_column: &str) -> Result<Checked, Vec<Problem>> {
        RowChecker::finish(self, email_column)
    }
}

/// A row's cells as text, with UTF-8 checked once for the whole row rather than cell by cell.
struct Cells<'r> {
    record: &'r ByteRecord,
    /// The row's bytes, when they are UTF-8 as a whole.
    text: Option<&'r str>,
}

impl<'r> Cells<'r> {
    fn new(record: &'r ByteRecord) -> Self {
        // SIMD: the check of the whole row took a tenth of a dry run's checking with `std`'s.
        let text = simdutf8::basic::from_utf8(record.as_slice()).ok();
        Self { record, text }
    }

    /// Cell `i` (empty when the row is short), or why it is not UTF-8.
    fn get(&self, i: usize) -> Result<&'r str, Utf8Error> {
        // A cell of a UTF-8 row is UTF-8 when it starts and ends on character boundaries,
        // which `str::get` checks.
        if let (Some(text), Some(range)) = (self.text, self.record.range(i))
            && let Some(cell) = text.get(range)
        {
            return Ok(cell);
        }
        std::str::from_utf8(self.record.get(i).unwrap_or_default())
    }
}

/// Two columns named alike (ignoring case and spaces) would make any mapping ambiguous.
fn same_names(names: &[String]) -> Result<(), HeaderError> {
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(j) = names[..i].iter().position(|n| presets::same_name(n, name)) {
            return Err(HeaderError::SameName {
                first: format!("{:?} (column {})", names[j], j + 1),
                second: format!("{:?} (column {})", name, i + 1),
            });
        }
    }
    Ok(())
}

/// Two canonical columns for one field (`name` and `billingPerson.name`).
fn same_field(rules: &[Rule]) -> Result<(), HeaderError> {
    for (i, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..i].iter().find(|r| r.target == rule.target) {
            let field = rule.target.fields().first().map(Field::to_string);
            return Err(HeaderError::SameField {
                first: format!("{:?}", first.label),
                second: format!("{:?}", rule.label),
                field: field.unwrap_or_default(),
            });
        }
    }
    Ok(())
}

fn single(target: Target, column: usize, label: &str) -> Rule {
    Rule {
        target,
        fill: Fill::Column(column),
        label: label.to_string(),
    }
}

/// Preset `ecwid`: each column named by its field path (see [`Field::parse`]).
fn canonical_rules(names: &[String]) -> Vec<Rule> {
    names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| Field::parse(name).map(|f| single(Target::Field(f), i, name)))
        .collect()
}

/// A preset's entries that the header has columns for.
fn preset_rules(preset: Preset, names: &[String]) -> Vec<Rule> {
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
            fill: Fill::columns(alternatives, entry.separator),
            label,
        });
    }
    rules
}

/// The mapping file's fields; each of its columns must be in the header.
fn mapping_rules(mapping: &MappingFile, names: &[String]) -> Result<Vec<Rule>, HeaderError> {
    let mut rules = Vec::new();
    for mapped in &mapping.fields {
        let target = Target::Field(mapped.field);
        let rule = match &mapped.source {
            Source::Value(value) => Rule {
                target,
                fill: Fill::Value(value.clone()),
                label: format!("{} (mapping file value)", mapped.key),
            },
            Source::Columns { columns, separator } => {
                let mut positions = Vec::new();
                for column in columns {
                    let Some(i) = names.iter().position(|n| presets::same_name(n, column)) else {
                        return Err(HeaderError::UnknownColumn {
                            file: mapping.path.display().to_string(),
                            key: format!("fields.{}", mapped.key),
                            column: column.clone(),
                            found: found(names),
                        });
                    };
                    positions.push(i);
                }
                let label: Vec<&str> = positions.iter().map(|&i| names[i].as_str()).collect();
                Rule {
                    target,
                    label: label.join(" + "),
                    fill: Fill::columns(vec![positions], separator),
                }
            }
        };
        rules.push(rule);
    }
    Ok(rules)
}

fn invalid(problems: &[Problem]) -> Invalid {
    let errors: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Invalid {
        error: errors.join("; "),
        reasons: problems
            .iter()
            .map(|p| format!("{}: {}", p.column, p.rule))
            .collect(),
    }
}

fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    quoted.join(", ")
}

/// The header for messages.
fn found(names: &[String]) -> String {
    if names.is_empty() {
        "no columns".into()
    } else {
        quoted(names)
    }
}
