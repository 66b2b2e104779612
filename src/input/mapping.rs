//! From the header to fields, and from a row's cells to a request: which column fills which
//! field of the customer, and what a row breaks.

use std::collections::HashMap;

use csv::ByteRecord;

use crate::customer::CustomerRequest;
use crate::customer::fields::Field;
use crate::customer::rules::{Problem, RowBuilder};

/// Why the header cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error(
        "no column holds the email: the header has {found}. Name the email column `email` \
         (run `ecwid-import template` for every supported column name)"
    )]
    NoEmail { found: String },
    #[error("columns {first} and {second} both fill {field}: keep one of them or rename the other")]
    SameField {
        first: String,
        second: String,
        field: String,
    },
}

/// The meaning of each column of the input.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    names: Vec<String>,
    fields: Vec<Option<Field>>,
    email_column: usize,
}

/// A row that breaks the rules: the full message, and a short reason to count alike errors by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub error: String,
    /// One short reason per broken rule.
    pub reasons: Vec<String>,
}

impl ColumnMap {
    /// Maps canonical column names (see [`Field::parse`]).
    pub fn canonical(headers: &ByteRecord) -> Result<Self, HeaderError> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let fields: Vec<Option<Field>> = names.iter().map(|n| Field::parse(n)).collect();
        let mut seen: HashMap<Field, usize> = HashMap::new();
        for (i, field) in fields.iter().enumerate() {
            let Some(field) = field else { continue };
            if let Some(&first) = seen.get(field) {
                return Err(HeaderError::SameField {
                    first: quote(&names[first]),
                    second: quote(&names[i]),
                    field: field.to_string(),
                });
            }
            seen.insert(*field, i);
        }
        let Some(&email_column) = seen.get(&Field::Email) else {
            let found: Vec<String> = names.iter().map(|n| quote(n)).collect();
            return Err(HeaderError::NoEmail {
                found: if found.is_empty() {
                    "no columns".into()
                } else {
                    found.join(", ")
                },
            });
        };
        Ok(Self {
            names,
            fields,
            email_column,
        })
    }

    /// Columns that fill no field, as the file names them (blank names shown by position).
    pub fn not_imported(&self) -> Vec<String> {
        self.names
            .iter()
            .zip(&self.fields)
            .enumerate()
            .filter(|(_, (_, field))| field.is_none())
            .map(|(i, (name, _))| {
                if name.is_empty() {
                    format!("(unnamed column {})", i + 1)
                } else {
                    name.clone()
                }
            })
            .collect()
    }

    /// The row's email cell, trimmed (empty when blank or not UTF-8).
    pub fn email<'r>(&self, record: &'r ByteRecord) -> &'r str {
        let cell = record.get(self.email_column).unwrap_or_default();
        std::str::from_utf8(cell).map_or("", crate::customer::rules::trim_cell)
    }

    /// The request of one row, or what is wrong with it.
    pub fn request(&self, record: &ByteRecord) -> Result<CustomerRequest, Invalid> {
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
        let mut builder = RowBuilder::new();
        for (i, cell) in record.iter().enumerate() {
            let Some(field) = self.fields[i] else {
                continue;
            };
            match std::str::from_utf8(cell) {
                Ok(text) => builder.set(field, &self.names[i], text),
                Err(e) => {
                    let offset = record.position().map_or(0, |p| p.byte());
                    let error = format!(
                        "column {} is not valid UTF-8 (byte {} of the cell, near byte {offset} of \
                         the file): if the file was saved by Excel, try --encoding windows-1252",
                        self.names[i],
                        e.valid_up_to()
                    );
                    return Err(Invalid {
                        error,
                        reasons: vec!["not valid UTF-8".into()],
                    });
                }
            }
        }
        builder
            .finish(&self.names[self.email_column])
            .map_err(|problems| invalid(&problems))
    }
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

fn quote(name: &str) -> String {
    format!("{name:?}")
}
