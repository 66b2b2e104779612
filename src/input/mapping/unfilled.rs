//! The contacts a row leaves blank: a contact's constant parts (a mapping file's
//! `{ value = "PHONE" }`) make no contact on their own.

use std::borrow::Cow;

use super::invalid::Invalid;
use super::{ColumnMap, Fill, Rule, contact_of};

impl ColumnMap {
    /// The contacts whose constant parts this row leaves out: a contact's constant parts (its
    /// type, say) make no contact on their own, so a row whose cells of that contact are blank
    /// has no such contact, and is not invalid for want of one.
    pub(super) fn unfilled_contacts<'m>(
        &'m self,
        value: &impl Fn(&'m Fill) -> Result<Cow<'m, str>, Invalid>,
        faxes: &[(usize, &str)],
    ) -> Result<Unfilled, Invalid> {
        let mut filled = Vec::new();
        if self.contact_constants {
            for (index, rule) in self.rules.iter().enumerate() {
                if faxes.iter().any(|(r, _)| *r == index) {
                    continue;
                }
                if let Some(position) = contact_of(&rule.target)
                    && !matches!(rule.fill, Fill::Value(_))
                    && !value(&rule.fill)?.is_empty()
                {
                    filled.push(position);
                }
            }
        }
        Ok(Unfilled {
            active: self.contact_constants,
            filled,
        })
    }
}

/// The contacts a row fills a cell of, when some contact takes a part from a constant.
pub(super) struct Unfilled {
    active: bool,
    filled: Vec<usize>,
}

impl Unfilled {
    /// Whether `rule` is a constant part of a contact the row leaves blank.
    pub(super) fn skips(&self, rule: &Rule) -> bool {
        self.active
            && matches!(rule.fill, Fill::Value(_))
            && contact_of(&rule.target).is_some_and(|p| !self.filled.contains(&p))
    }
}
