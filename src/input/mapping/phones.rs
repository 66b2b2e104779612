//! Which of a row's phones is the customer's, where the file has several phone columns: the
//! others become contacts of type PHONE.
//!
//! A person reading such a row takes the phone the file marks as the primary one (Google
//! writes `* ` before its type, `* Mobile`, as it does for the primary email), else the phone
//! of the phone column, else, where that cell is blank (or its type names a fax), the first further phone the row has, in the order the
//! phones are preferred (landlines before mobiles, the file's numbered phones in order):
//! Pipedrive's `Person - Phone - Home` where `Phone - Work` is blank, Wix's `Phone 2` where
//! `Phone 1` is, Google's `Phone 2 - Value` where `Phone 1` is a fax. A fax is never the
//! phone. The phone chosen is not also a contact.

use super::row_cells::Cells;
use super::{ColumnMap, Fill, Rule};
use crate::customer::fields::{AddressField as A, ContactField as C, Field};
use crate::input::presets::Target;

/// The phone's rule and the further phones' rules, each a candidate for a row whose phone is
/// blank.
#[derive(Debug, Clone, Default)]
pub(super) struct Phones {
    /// The rule of `billingPerson.phone`, when the file has one.
    phone: Option<usize>,
    /// Each further phone's rule, with the position of its contact (whose type, a constant
    /// `PHONE`, is then not sent) where it has one, in rule order.
    alternates: Vec<(usize, Option<usize>)>,
}

impl Phones {
    /// The phone's rule and the further phones of `rules`.
    pub(super) fn new(rules: &[Rule]) -> Self {
        let phone_target = Target::Field(Field::Billing(A::Phone));
        let phone = rules.iter().position(|r| r.target == phone_target);
        let mut alternates = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            match &rule.target {
                Target::Contact("PHONE") | Target::PhoneContact { .. } => {
                    alternates.push((index, None));
                }
                Target::Field(Field::Contact(p, C::Contact)) if is_plain_phone(rules, *p) => {
                    alternates.push((index, Some(*p)));
                }
                _ => {}
            }
        }
        Self { phone, alternates }
    }

    /// Whether `rule` is the constant type of the contact whose phone became the phone.
    pub(super) fn is_type_of(&self, rule: &Rule, chosen: usize) -> bool {
        super::emails::is_type_of(&self.alternates, rule, chosen)
    }
}

impl ColumnMap {
    /// The further phone's rule that is this row's phone, where the phone's own cell is blank
    /// or a fax (see the module's comment); `None` when the phone's rule stays the phone.
    /// `faxes` are the rules this row leaves out as faxes.
    pub(super) fn phone_swap(&self, cells: &Cells<'_>, faxes: &[(usize, &str)]) -> Option<usize> {
        let phones = &self.phones;
        let phone = phones.phone?;
        let faxed = |rule: usize| faxes.iter().any(|(r, _)| *r == rule);
        let text = |rule: usize| {
            !faxed(rule)
                && self
                    .value(&self.rules[rule].fill, cells)
                    .is_ok_and(|v| !v.is_empty())
        };
        // Google marks the primary phone as it does the primary email: `* Mobile`.
        let primary = self.fax_guards.iter().find(|(rule, column)| {
            cells
                .get(*column)
                .is_ok_and(|t| self.clean(t).starts_with('*'))
                && text(*rule)
        });
        if let Some(&(rule, _)) = primary {
            let further = phones.alternates.iter().any(|(r, _)| *r == rule);
            return further.then_some(rule);
        }
        if text(phone) {
            return None;
        }
        phones
            .alternates
            .iter()
            .map(|(rule, _)| *rule)
            .find(|&rule| text(rule))
    }
}

/// Whether contact `position` is a plain phone: its type is the constant `PHONE` and no rule
/// fills another part of it (a note or a handle would have no contact left).
fn is_plain_phone(rules: &[Rule], position: usize) -> bool {
    let mut typed = false;
    for rule in rules {
        match &rule.target {
            Target::Field(Field::Contact(p, part)) if *p == position => match part {
                C::Contact => {}
                C::Type => match &rule.fill {
                    Fill::Value(v) if v.eq_ignore_ascii_case("PHONE") => typed = true,
                    _ => return false,
                },
                _ => return false,
            },
            _ => {}
        }
    }
    typed
}
