//! What a row's values are applied to ([`Apply`]): a request being built or a row only being
//! checked. Below the row's filling (`row`) and the parts of it in modules of their own
//! (`whole_address`), which apply values the same way to either.

use crate::customer::CustomerRequest;
use crate::customer::fields::Field;
use crate::customer::rules::{Checked, Problem, RowBuilder, RowChecker};

/// What a row's values are applied to: a [`RowBuilder`] for a request, a [`RowChecker`] to only
/// check.
pub(super) trait Apply {
    type Done;
    fn set(&mut self, field: &Field, column: &str, value: &str);
    /// Records that `value` of `column` breaks `rule`.
    fn refuse(&mut self, column: &str, value: &str, rule: &'static str);
    /// The row's `lang` is left out, with a note, where the store has not enabled it.
    fn lang_if_enabled(&mut self) {}
    fn finish(self, email_column: &str) -> Result<Self::Done, Vec<Problem>>;
}

impl Apply for RowBuilder {
    type Done = CustomerRequest;
    fn set(&mut self, field: &Field, column: &str, value: &str) {
        RowBuilder::set(self, field, column, value);
    }
    fn refuse(&mut self, column: &str, value: &str, rule: &'static str) {
        self.checker_mut().refuse(column, value, rule);
    }
    fn lang_if_enabled(&mut self) {
        RowBuilder::lang_if_enabled(self);
    }
    fn finish(self, email_column: &str) -> Result<CustomerRequest, Vec<Problem>> {
        RowBuilder::finish(self, email_column)
    }
}

impl Apply for RowChecker {
    type Done = Checked;
    fn set(&mut self, field: &Field, column: &str, value: &str) {
        self.check(field, column, value);
    }
    fn refuse(&mut self, column: &str, value: &str, rule: &'static str) {
        RowChecker::refuse(self, column, value, rule);
    }
    fn finish(self, email_column: &str) -> Result<Checked, Vec<Problem>> {
        RowChecker::finish(self, email_column)
    }
}
