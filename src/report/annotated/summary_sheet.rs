//! The report's `Summary` sheet: counts per status; errors per column and per rule, most
//! frequent first, each with its first rows; the mapping chosen (each column, the field it
//! fills and why) and the columns left out; and what the run would send.

use std::collections::HashMap;
use std::path::PathBuf;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::SHEET_ROWS;
use super::marks::Broken;
use crate::input::mapping::{Choice, ColumnMap};
use crate::outcome::RowOutcome;
use crate::report::summary::Summary;

/// Distinct columns or rules counted at most; rarer ones past this are still in the statuses.
const MAX_KEYS: usize = 1000;
/// Rows named beside each count.
const FIRST_ROWS: usize = 5;

/// Which command the report is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportKind {
    Validate,
    Plan,
    Import,
}

/// What the report knows of the run before it starts.
#[derive(Debug, Clone)]
pub(crate) struct SummaryFacts {
    pub(crate) input: PathBuf,
    pub(crate) kind: ReportKind,
    /// The request budget per minute the import has (or would have).
    pub(crate) rate: u32,
    pub(crate) choice: Choice,
}

/// Errors counted by a key (a column or a rule), with the first rows of each.
#[derive(Debug, Default)]
pub(crate) struct Counted {
    by_column: HashMap<String, Count>,
    by_rule: HashMap<String, Count>,
}

#[derive(Debug, Default, Clone)]
struct Count {
    count: u64,
    first_rows: Vec<u64>,
}

impl Counted {
    /// Counts what `outcome`'s row broke, once per column and rule.
    pub(crate) fn add(&mut self, outcome: &RowOutcome, broken: &[Broken]) {
        let mut columns: Vec<&str> = broken.iter().map(|b| b.column.as_str()).collect();
        columns.sort_unstable();
        columns.dedup();
        let mut rules: Vec<&str> = broken.iter().map(|b| b.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        for column in columns {
            bump(&mut self.by_column, column, outcome.row);
        }
        for rule in rules {
            bump(&mut self.by_rule, rule, outcome.row);
        }
    }
}

fn bump(counts: &mut HashMap<String, Count>, key: &str, row: u64) {
    if !counts.contains_key(key) && counts.len() >= MAX_KEYS {
        return;
    }
    let count = counts.entry(key.to_string()).or_default();
    count.count += 1;
    if count.first_rows.len() < FIRST_ROWS {
        count.first_rows.push(row);
    }
}

/// Most frequent first, then by first row.
fn ranked(counts: &HashMap<String, Count>) -> Vec<(&String, &Count)> {
    let mut all: Vec<(&String, &Count)> = counts.iter().collect();
    all.sort_by(|a, b| {
        b.1.count
            .cmp(&a.1.count)
            .then(a.1.first_rows.cmp(&b.1.first_rows))
    });
    all
}

/// Everything the sheet is written from.
pub(super) struct Facts<'a> {
    pub(super) summary: &'a Summary,
    pub(super) facts: &'a SummaryFacts,
    pub(super) counted: &'a Counted,
    pub(super) rows_in_sheet: u64,
    pub(super) left_out: u64,
    pub(super) notes: u64,
    pub(super) max_notes: u64,
    pub(super) map: &'a ColumnMap,
}

/// Writes the lines one after the other.
struct Lines<'s> {
    sheet: &'s mut Worksheet,
    row: u32,
    bold: Format,
}

impl Lines<'_> {
    fn heading(&mut self, text: &str) -> Result<(), XlsxError> {
        if self.row > 0 {
            self.row += 1;
        }
        self.sheet
            .write_string_with_format(self.row, 0, text, &self.bold)?;
        self.row += 1;
        Ok(())
    }

    fn header(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        for (col, cell) in cells.iter().enumerate() {
            self.sheet
                .write_string_with_format(self.row, col as u16, *cell, &self.bold)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A line of text cells, a number in place of each `Some` of `numbers` at its column.
    fn line(&mut self, cells: &[String], number: Option<(u16, u64)>) -> Result<(), XlsxError> {
        for (col, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                self.sheet.write_string(self.row, col as u16, cell)?;
            }
        }
        if let Some((col, n)) = number {
            self.sheet.write_number(self.row, col, n as f64)?;
        }
        self.row += 1;
        Ok(())
    }
}

/// Writes the `Summary` sheet.
pub(super) fn write(sheet: &mut Worksheet, f: &Facts<'_>) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 60)?;
    let mut lines = Lines {
        sheet,
        row: 0,
        bold: Format::new().set_bold(),
    };
    let what = match f.facts.kind {
        ReportKind::Validate => "Check",
        ReportKind::Plan => "Plan",
        ReportKind::Import => "Import",
    };
    lines.heading(&format!("{what} of {}", f.facts.input.display()))?;
    lines.line(&["rows".into()], Some((1, f.summary.rows)))?;
    for (status, count) in &f.summary.by_status {
        lines.line(&[(*status).into()], Some((1, *count)))?;
    }
    if f.left_out > 0 {
        lines.line(
            &[format!(
                "The Rows sheet holds the first {} rows: a sheet holds at most {SHEET_ROWS} rows \
                 (its header included), so the last {} rows are left out of it. The results file \
                 ({}) has every row; the counts here are of every row.",
                f.rows_in_sheet, f.left_out, f.summary.output
            )],
            None,
        )?;
    }
    if f.notes >= f.max_notes {
        lines.line(
            &[format!(
                "Notes are on the first {} marked cells; later marked cells are highlighted, \
                 and the message column says what is wrong.",
                f.max_notes
            )],
            None,
        )?;
    }
    counts(
        &mut lines,
        "Errors by column",
        "column",
        &f.counted.by_column,
    )?;
    counts(&mut lines, "Errors by rule", "rule", &f.counted.by_rule)?;
    mapping(&mut lines, f)?;
    would_send(&mut lines, f)?;
    Ok(())
}

fn counts(
    lines: &mut Lines<'_>,
    heading: &str,
    key: &str,
    counts: &HashMap<String, Count>,
) -> Result<(), XlsxError> {
    lines.heading(heading)?;
    if counts.is_empty() {
        return lines.line(&["none".into()], None);
    }
    lines.header(&[key, "rows", "first rows"])?;
    for (name, count) in ranked(counts) {
        let rows: Vec<String> = count.first_rows.iter().map(u64::to_string).collect();
        lines.line(
            &[name.clone(), String::new(), rows.join(", ")],
            Some((1, count.count)),
        )?;
    }
    Ok(())
}

fn mapping(lines: &mut Lines<'_>, f: &Facts<'_>) -> Result<(), XlsxError> {
    let choice = &f.facts.choice;
    lines.heading("Mapping")?;
    lines.line(
        &[format!("preset {} ({})", choice.preset, choice.reason)],
        None,
    )?;
    lines.header(&["file column", "field", "why"])?;
    let uses = f.map.column_uses(choice);
    for used in uses.iter().filter(|u| !u.fields.is_empty()) {
        lines.line(
            &[
                used.column.clone(),
                used.fields.join(", "),
                used.why.clone(),
            ],
            None,
        )?;
    }
    lines.heading("Columns left out")?;
    let left: Vec<_> = uses.iter().filter(|u| u.fields.is_empty()).collect();
    if left.is_empty() {
        return lines.line(&["none".into()], None);
    }
    lines.header(&["file column", "", "why"])?;
    for used in left {
        lines.line(
            &[used.column.clone(), String::new(), used.why.clone()],
            None,
        )?;
    }
    Ok(())
}

/// What the run would send: for a plan, its creates and updates and the time they take at the
/// store's rate; for a check, one create per valid row at most.
fn would_send(lines: &mut Lines<'_>, f: &Facts<'_>) -> Result<(), XlsxError> {
    let rate = u64::from(f.facts.rate.max(1));
    let status = |name: &str| {
        f.summary
            .by_status
            .iter()
            .find(|(s, _)| *s == name)
            .map_or(0, |(_, n)| *n)
    };
    let (heading, items): (&str, Vec<(&str, u64)>) = match (f.facts.kind, &f.summary.plan) {
        (ReportKind::Plan, Some(plan)) => (
            "What the import would send",
            vec![
                ("creates", plan.create),
                ("updates", plan.update),
                ("write requests", plan.create + plan.update),
                ("requests this plan made (reads)", f.summary.requests),
            ],
        ),
        (ReportKind::Validate, _) => (
            "What an import would send",
            vec![(
                "creates or updates, at most (one per valid row)",
                status("valid"),
            )],
        ),
        _ => (
            "What the import sent",
            vec![("requests", f.summary.requests)],
        ),
    };
    lines.heading(heading)?;
    for (what, n) in &items {
        lines.line(&[(*what).into()], Some((1, *n)))?;
    }
    if f.facts.kind != ReportKind::Import {
        let writes = items.first().map_or(0, |i| i.1)
            + if f.facts.kind == ReportKind::Plan {
                items[1].1
            } else {
                0
            };
        let minutes = writes.div_ceil(rate);
        lines.line(
            &[
                format!("time at {rate} requests a minute, about"),
                String::new(),
                duration(minutes),
            ],
            None,
        )?;
    }
    Ok(())
}

/// Minutes in words: `under a minute`, `42 minutes`, `3 h 5 min`.
fn duration(minutes: u64) -> String {
    match minutes {
        0 => "no time".into(),
        1 => "a minute".into(),
        m if m < 60 => format!("{m} minutes"),
        m => format!("{} h {} min", m / 60, m % 60),
    }
}
