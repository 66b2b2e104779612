//! What the annotated report needs to know of the mapping: which columns a problem or a
//! change is about (so that the report can mark those cells), the broken rules of a row one by
//! one, and the mapping itself in words (each column, the field it fills and why).
//!
//! Problems name the column as the rules label it (the column's name, or several joined by
//! ` + `); the labels are looked up here rather than carried with every row, so that the check
//! of a row, which runs for every row of the file, stays as it is: only the rows a report
//! marks are looked at again.

use csv::ByteRecord;

use super::{ColumnMap, Fill, Rule};
use crate::customer::fields::Field;
use crate::customer::rules::{Problem, RowChecker};
use crate::input::presets::Preset;

use super::Choice;

/// One column of the input and what the run does with it, for the report's Summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnUse {
    /// The column as the file names it.
    pub column: String,
    /// The fields it fills (empty when none: not imported).
    pub fields: Vec<String>,
    /// Why: the mapping file, the preset, the canonical name, or matched by meaning.
    pub why: String,
}

impl ColumnMap {
    /// The rules a row breaks, one by one (empty when it keeps them all, or when what is wrong
    /// is the row as a whole: its cell count, its encoding).
    pub(crate) fn problems(&self, record: &ByteRecord) -> Vec<Problem> {
        match self.fill(record, RowChecker::new()) {
            Ok(_) => Vec::new(),
            Err(invalid) => invalid.problems,
        }
    }

    /// The columns a problem's label names: the columns of the rule labelled so, or, for a
    /// label of several (`a, b`: two default contacts), each of them. Empty for a field no
    /// column fills (a contact's missing type).
    pub(crate) fn columns_of(&self, label: &str) -> Vec<usize> {
        if let Some(rule) = self.rules.iter().find(|r| r.label == label) {
            return rule_columns(rule);
        }
        let mut columns = Vec::new();
        for part in label.split(", ") {
            if let Some(rule) = self.rules.iter().find(|r| r.label == part) {
                columns.extend(rule_columns(rule));
            }
        }
        columns.sort_unstable();
        columns.dedup();
        columns
    }

    /// The columns that fill the field at `path` (`billingPerson.city`), or any field under
    /// it (`contacts.2` for every part of that contact).
    pub(crate) fn columns_of_field(&self, path: &str) -> Vec<usize> {
        let under = format!("{path}.");
        self.columns_filling(|f| {
            let name = f.to_string();
            name == path || name.starts_with(&under)
        })
    }

    /// The columns of the rules that fill a field `wanted` takes.
    pub(crate) fn columns_filling(&self, wanted: impl Fn(&Field) -> bool) -> Vec<usize> {
        let mut columns: Vec<usize> = self
            .rules
            .iter()
            .filter(|r| r.target.fields().iter().any(&wanted))
            .flat_map(rule_columns)
            .collect();
        columns.sort_unstable();
        columns.dedup();
        columns
    }

    /// The columns the email comes from.
    pub(crate) fn email_columns(&self) -> Vec<usize> {
        rule_columns(&self.rules[self.email_rule])
    }

    /// How many leading columns an earlier report added (`status` and `message`, first and
    /// in that order, any case, and no mapping file names them): 2 or 0. They are no one's
    /// data: the import ignores them, and a new report does not repeat them.
    pub(crate) fn report_columns(&self) -> usize {
        self.report_columns
    }

    /// The column names of the input, as read (trimmed).
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// Every column of the input in order: the fields it fills and why, as `choice` tells.
    pub fn column_uses(&self, choice: &Choice) -> Vec<ColumnUse> {
        self.names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let rules: Vec<&Rule> = self
                    .rules
                    .iter()
                    .filter(|r| rule_columns(r).contains(&i))
                    .collect();
                let mut fields: Vec<String> = rules
                    .iter()
                    .flat_map(|r| r.target.fields())
                    .map(|f| f.to_string())
                    .collect();
                fields.dedup();
                let left_out = choice.left_out.iter().find(|l| l.column == *name);
                let why = if i < self.report_columns() {
                    "the report's own column: ignored".to_string()
                } else if let Some(left_out) = left_out.filter(|_| rules.is_empty()) {
                    format!("left out: {}", left_out.why)
                } else if rules.is_empty() {
                    "not imported: no field takes it".to_string()
                } else {
                    why(name, &fields, choice)
                };
                ColumnUse {
                    column: if name.is_empty() {
                        format!("(unnamed column {})", i + 1)
                    } else {
                        name.clone()
                    },
                    fields,
                    why,
                }
            })
            .collect()
    }
}

/// Why a column fills its fields: the mapping file names one of them, the preset's layout has
/// it, its name is the field's own, or the matcher took it by meaning.
fn why(name: &str, fields: &[String], choice: &Choice) -> String {
    if fields.iter().any(|f| choice.mapped.contains(f)) {
        return "mapping file".into();
    }
    if choice.preset != Preset::Ecwid {
        return format!("preset {}", choice.preset);
    }
    let canonical = |f: &String| {
        let name = name.replace('[', ".").replace(']', "");
        f.eq_ignore_ascii_case(&name) || (f == "billingPerson.name" && name == "name")
    };
    if fields.iter().any(canonical) {
        return "canonical column name".into();
    }
    match choice.matched.iter().find(|line| line.contains(name)) {
        Some(line) => format!("matched by meaning: {line}"),
        None => "matched by meaning (synonym or language)".into(),
    }
}

/// The columns a rule reads.
fn rule_columns(rule: &Rule) -> Vec<usize> {
    match &rule.fill {
        Fill::Column(i) => vec![*i],
        Fill::Columns { alternatives, .. } => {
            let mut columns: Vec<usize> = alternatives.iter().flatten().copied().collect();
            columns.sort_unstable();
            columns.dedup();
            columns
        }
        Fill::Value(_) => Vec::new(),
    }
}
