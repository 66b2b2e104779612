//! What the report marks in a row: the cells that break a rule (with the rule and a value that
//! passes), the email of a duplicate, the cells a plan's update would change (with the store's
//! value) and a row a plan would create. Hints (see [`super::hints`]) add notes only.

use crate::customer::rules::{Problem, example};
use crate::input::mapping::ColumnMap;
use crate::outcome::{RowOutcome, Status};

/// How a cell is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Look {
    /// A note only: a hint, which never colours a cell.
    Plain,
    /// The import would change it (plan).
    Changed,
    /// It breaks a rule.
    Bad,
}

/// One marked cell: its column in the input, how it looks and its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) column: usize,
    pub(crate) look: Look,
    pub(crate) note: String,
}

/// What a row's problems come to in the Summary: the column and the rule of each, counted
/// once per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    pub(crate) column: String,
    pub(crate) rule: String,
}

/// The marks of one row, and what it broke, from its outcome and the mapping.
pub(crate) fn marks(map: &ColumnMap, outcome: &RowOutcome) -> (Vec<Mark>, Vec<Broken>) {
    let mut marks = Vec::new();
    let mut broken = Vec::new();
    match outcome.status {
        Status::Invalid => {
            let problems = if outcome.record.len() == map.names().len() {
                map.problems(&outcome.record)
            } else {
                Vec::new()
            };
            for problem in &problems {
                for column in map.columns_of(&problem.column) {
                    marks.push(Mark {
                        column,
                        look: Look::Bad,
                        note: problem_note(problem),
                    });
                }
                broken.push(Broken {
                    column: problem.column.clone(),
                    rule: problem.rule.to_string(),
                });
            }
            if problems.is_empty() {
                broken.extend(whole_row(outcome));
            }
        }
        Status::Duplicate => {
            let columns = map.email_columns();
            for &column in &columns {
                marks.push(Mark {
                    column,
                    look: Look::Bad,
                    note: format!(
                        "{}; only the first row of an email is imported",
                        outcome.error
                    ),
                });
            }
            let names: Vec<&str> = columns.iter().map(|&i| map.names()[i].as_str()).collect();
            broken.push(Broken {
                column: names.join(" + "),
                rule: "email appeared earlier in the file".into(),
            });
        }
        Status::WouldUpdate => {
            for change in changes(&outcome.error) {
                for column in map.columns_of_field(&change.field) {
                    let old = if change.old.is_empty() {
                        "nothing".to_string()
                    } else {
                        crate::words::quoted(&change.old)
                    };
                    marks.push(Mark {
                        column,
                        look: Look::Changed,
                        note: format!(
                            "{}: the store has {old}; the import would send {}",
                            change.field,
                            crate::words::quoted(&change.new)
                        ),
                    });
                }
            }
        }
        status if !status.is_success() && status != Status::NotSent => {
            broken.extend(whole_row(outcome));
        }
        _ => {}
    }
    merge(&mut marks);
    (marks, broken)
}

/// What a row broke that is not one cell's (its cell count, its encoding, the store's answer).
fn whole_row(outcome: &RowOutcome) -> Vec<Broken> {
    outcome
        .reasons
        .iter()
        .map(|reason| Broken {
            column: "(the row)".into(),
            rule: reason.clone(),
        })
        .collect()
}

/// The note of a broken rule: `billingPerson.countryCode "Germny": must be ...; e.g. DE or
/// Germany`.
fn problem_note(problem: &Problem) -> String {
    let mut note = problem.to_string();
    if let Some(example) = example(problem.rule) {
        note.push_str("; e.g. ");
        note.push_str(example);
    }
    note
}

/// One mark per cell: the strongest look, the notes joined in order.
pub(crate) fn merge(marks: &mut Vec<Mark>) {
    marks.sort_by_key(|m| m.column);
    let mut merged: Vec<Mark> = Vec::with_capacity(marks.len());
    for mark in marks.drain(..) {
        match merged.last_mut() {
            Some(last) if last.column == mark.column => {
                last.look = last.look.max(mark.look);
                if !last.note.contains(&mark.note) {
                    last.note.push('\n');
                    last.note.push_str(&mark.note);
                }
            }
            _ => merged.push(mark),
        }
    }
    *marks = merged;
}

/// One change of a plan's `would_update` row, read back from its `error` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) field: String,
    pub(crate) old: String,
    pub(crate) new: String,
}

/// The changes listed in a `would_update` row's text: `field: "old" -> "new"`, joined by
/// `; ` (values as [`crate::words::quoted`] writes them). Text that is not a change
/// (a note after them) is skipped.
pub(crate) fn changes(text: &str) -> Vec<Change> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(": \"") {
        let field = rest[..at].rsplit("; ").next().unwrap_or_default().trim();
        let after = &rest[at + 2..];
        let Some((old, after)) = quoted(after) else {
            break;
        };
        let Some(after) = after.strip_prefix(" -> ") else {
            rest = after;
            continue;
        };
        let Some((new, after)) = quoted(after) else {
            break;
        };
        if !field.is_empty() && !field.contains(' ') {
            found.push(Change {
                field: field.to_string(),
                old,
                new,
            });
        }
        rest = after;
    }
    found
}

/// A value as [`crate::words::quoted`] writes it, at the start of `text`: its value and the text after it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[i + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                '0' => value.push('\0'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_read_back_from_the_plan_text() {
        let text = r#"billingPerson.city: "Oslo" -> "Bergen"; lang: "" -> "fr"; contacts.2: "" -> "PHONE \"+47\"; 5"; acceptMarketing false on create"#;
        let found = changes(text);
        let fields: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|c| (c.field.as_str(), c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("billingPerson.city", "Oslo", "Bergen"),
                ("lang", "", "fr"),
                ("contacts.2", "", "PHONE \"+47\"; 5"),
            ]
        );
        let escaped = crate::words::quoted("a\nb\u{7f}");
        let text = format!("{escaped} tail");
        let (value, rest) = quoted(&text).unwrap();
        assert_eq!((value.as_str(), rest), ("a\nb\u{7f}", " tail"));
    }

    #[test]
    fn marks_of_one_cell_merge_into_the_strongest_look() {
        let mark = |column, look, note: &str| Mark {
            column,
            look,
            note: note.into(),
        };
        let mut marks = vec![
            mark(3, Look::Plain, "hint"),
            mark(1, Look::Bad, "a"),
            mark(3, Look::Bad, "rule"),
        ];
        merge(&mut marks);
        assert_eq!(
            marks,
            [mark(1, Look::Bad, "a"), mark(3, Look::Bad, "hint\nrule")]
        );
    }
}
