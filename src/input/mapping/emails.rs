//! Which of a row's email addresses is the customer's, where the file has several email
//! columns: the others become contacts of type EMAIL.
//!
//! A person reading such a row takes the address the file marks as the primary one (Google
//! Contacts writes `* ` before the type of the primary address: `E-mail 2 - Type` = `* Work`),
//! else the address of the email column, else, where that cell is blank, the first further
//! address the row has (Pipedrive's `Person - Email - Home` where `Email - Work` is blank,
//! Outlook's `E-mail 2 Address`). A row is then valid where any of its email cells holds an
//! address; duplicates and an orders export's buyers are told by the same address.

use super::row_cells::Cells;
use super::{ColumnMap, Fill, Rule};
use crate::customer::fields::{ContactField as C, Field};
use crate::input::presets::{Target, same_name};

/// The email columns besides the email's, each as the rule that makes it a contact.
#[derive(Debug, Clone, Default)]
pub(super) struct Emails {
    /// Each further email's rule, with the position of its contact (whose type, a constant
    /// `EMAIL`, is then not sent) where it has one.
    alternates: Vec<(usize, Option<usize>)>,
    /// The type column of an email's rule (the email's own or a further one's): Google's
    /// `E-mail 1 - Type` beside `E-mail 1 - Value`.
    types: Vec<(usize, usize)>,
}

impl Emails {
    /// The further email columns of `rules` and the type columns beside them in `names`.
    pub(super) fn new(rules: &[Rule], names: &[String], email_rule: usize) -> Self {
        let mut alternates = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            match &rule.target {
                Target::Contact("EMAIL") => alternates.push((index, None)),
                Target::Field(Field::Contact(p, C::Contact)) if is_email_contact(rules, *p) => {
                    alternates.push((index, Some(*p)));
                }
                _ => {}
            }
        }
        let types = std::iter::once(email_rule)
            .chain(alternates.iter().map(|(r, _)| *r))
            .filter_map(|r| match rules[r].fill {
                Fill::Column(i) => type_column(names, i).map(|t| (r, t)),
                _ => None,
            })
            .collect();
        Self { alternates, types }
    }

    /// The type columns read: not listed as left out.
    pub(super) fn type_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.types.iter().map(|(_, t)| *t)
    }

    /// Whether `rule` is the constant type of the contact whose address became the email.
    pub(super) fn is_type_of(&self, rule: &Rule, chosen: usize) -> bool {
        is_type_of(&self.alternates, rule, chosen)
    }
}

/// Whether `rule` is the constant type of the contact (at its position among `alternates`,
/// each a rule and its contact's position) whose value the `chosen` rule made the field's:
/// that type is not sent with it. Emails and phones alike.
pub(super) fn is_type_of(
    alternates: &[(usize, Option<usize>)],
    rule: &Rule,
    chosen: usize,
) -> bool {
    let position = alternates
        .iter()
        .find(|(r, _)| *r == chosen)
        .and_then(|(_, p)| *p);
    matches!((&rule.target, position),
        (Target::Field(Field::Contact(p, C::Type)), Some(q)) if *p == q)
}

impl ColumnMap {
    /// The rule whose cell is this row's email (see the module's comment): the email's rule,
    /// unless a further address is marked primary or the email's cell is blank.
    pub(super) fn email_rule_of(&self, cells: &Cells<'_>) -> usize {
        let emails = &self.emails;
        if emails.alternates.is_empty() {
            return self.email_rule;
        }
        let text = |rule: usize| {
            self.value(&self.rules[rule].fill, cells)
                .map(|v| !v.is_empty())
                .unwrap_or(false)
        };
        let primary = emails.types.iter().find(|(rule, column)| {
            cells
                .get(*column)
                .is_ok_and(|t| self.clean(t).starts_with('*'))
                && text(*rule)
        });
        if let Some((rule, _)) = primary {
            return *rule;
        }
        if text(self.email_rule) {
            return self.email_rule;
        }
        emails
            .alternates
            .iter()
            .map(|(rule, _)| *rule)
            .find(|&rule| text(rule))
            .unwrap_or(self.email_rule)
    }
}

/// Whether contact `position` is an email: its type is the constant `EMAIL`.
fn is_email_contact(rules: &[Rule], position: usize) -> bool {
    rules.iter().any(|r| {
        r.target == Target::Field(Field::Contact(position, C::Type))
            && matches!(&r.fill, Fill::Value(v) if v.eq_ignore_ascii_case("EMAIL"))
    })
}

/// The column of the types of value column `i` (`E-mail 1 - Type` or `- Label` beside
/// `E-mail 1 - Value`).
fn type_column(names: &[String], i: usize) -> Option<usize> {
    let name = names[i].trim();
    let base = name
        .strip_suffix("Value")
        .or_else(|| name.strip_suffix("value"))?;
    ["Type", "Label"].iter().find_map(|kind| {
        let wanted = format!("{base}{kind}");
        names.iter().position(|n| same_name(n, &wanted))
    })
}
