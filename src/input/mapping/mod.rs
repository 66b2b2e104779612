//! From the header to fields, and from a row's cells to a request: which columns fill which
//! field of the customer, and what a row breaks.
//!
//! This is the one place where the header is given its meaning. The layout (a preset, chosen
//! or detected, and the user's mapping file on top) is turned once into a list of rules, each
//! filling one field from one or more columns or from a constant; every row then goes through
//! the same rules into a [`RowBuilder`] (or, to only check it, a [`RowChecker`]), which apply
//! the value rules of the contract.
//!
//! [`RowBuilder`]: crate::customer::rules::RowBuilder
//! [`RowChecker`]: crate::customer::rules::RowChecker
//!
//! `header` makes the rules from the header, once a run (`rules` turns names into rules, for the
//! header and for the matcher's choices in `meaning` alike); `row` puts each row through them.

mod apply;
pub(crate) mod associated;
mod blanks;
mod buyers;
mod cells;
mod emails;
mod everyday;
mod extra;
mod header;
mod invalid;
mod meaning;
mod people;
mod phones;
mod preset_starter;
mod row;
mod row_cells;
mod rules;
mod several;
mod starter;
mod toml_line;
mod typed;
mod unfilled;
mod whole_address;

use super::presets::Target;

pub use blanks::Blanked;
pub use cells::ColumnUse;
pub(crate) use extra::{RULE_DATE, is_title, store_date};
pub use header::{Choice, Layout};
pub use invalid::Invalid;
pub use row::{RowCheck, RowRequest};
pub use rules::HeaderError;
pub(crate) use starter::starter;

/// Where a rule's value comes from.
#[derive(Debug, Clone)]
enum Fill {
    /// One column, as most rules have: the cell is borrowed as it is.
    Column(usize),
    /// Tried in order per row; the first with a non-blank joined value wins. A column's
    /// cell goes after the separator of its place (`separators[k - 1]` before the `k`th
    /// column of an alternative); where the list is shorter, its last one.
    Columns {
        alternatives: Vec<Vec<usize>>,
        separators: Vec<String>,
    },
    Value(String),
}

/// The position of the contact a rule fills a part of, if it does.
fn contact_of(target: &Target) -> Option<usize> {
    match target {
        Target::Field(crate::customer::fields::Field::Contact(position, _)) => Some(*position),
        _ => None,
    }
}

impl Fill {
    /// From columns: [`Fill::Column`] when there is only one.
    fn columns(alternatives: Vec<Vec<usize>>, separators: Vec<String>) -> Self {
        match alternatives.as_slice() {
            [single] if single.len() == 1 => Fill::Column(single[0]),
            _ => Fill::Columns {
                alternatives,
                separators,
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
    /// The names as the run reads them, for messages: an associated record's columns under
    /// the record's name (`Company: Phone Number`), a report's own columns blank.
    shown: Vec<String>,
    /// The columns the mapping report lists as left out with their reason (`Billing Street`
    /// beside `Billing Address1`, a shipping method): not among those no field takes.
    explained: Vec<bool>,
    rules: Vec<Rule>,
    used: Vec<bool>,
    email_rule: usize,
    strip_quote: bool,
    /// Whether a `'` before the digits (or `+`) of a phone or postal code is removed where
    /// other values keep theirs: a file whose columns were matched by meaning.
    number_marks: bool,
    /// Whether a contact takes a part from a constant (a mapping file's `{ value = "PHONE" }`):
    /// such parts count only for contacts the row fills a cell of.
    contact_constants: bool,
    /// The rule a blank email breaks, when the layout says more than "required" about it
    /// (Magento's composite file: the row continues the customer above).
    blank_email_rule: Option<&'static str>,
    /// An orders export: the rows of one buyer are one customer.
    orders: Option<crate::input::orders::OrdersLayout>,
    /// The keys of the extra fields whose values are dates, once the store has said which.
    extra_dates: Vec<Box<str>>,
    /// The column that marks a row as a company's (Odoo's `Is a Company`, a CRM's record
    /// type): such a row's name is the company's name.
    company_flag: Option<usize>,
    /// The first contact position no rule fills: where a row's further emails and phones go
    /// (the second value of an email cell, Wix's `Email 2`).
    first_free_contact: usize,
    /// The first shipping address position no rule fills: where typed address blocks go.
    first_free_shipping: usize,
    /// Whether some address blocks go where their type column says (see `typed`).
    typed_blocks: bool,
    /// Phone rules left out on a row whose type column (by position) names a fax.
    fax_guards: Vec<(usize, usize)>,
    /// Leading columns a report added (`status`, `message`): ignored.
    report_columns: usize,
    /// The further email columns, one of which may be a row's email (see `emails`).
    emails: emails::Emails,
    /// The rules of whole addresses beside their parts, read on rows whose parts are blank
    /// (see `whole_address`).
    whole_beside_parts: Vec<usize>,
    /// The phone and the further phone columns, one of which may be a row's phone (see
    /// `phones`).
    phones: phones::Phones,
}

impl ColumnMap {
    /// The orders layout of the file, when it is an orders export.
    pub(crate) fn orders(&self) -> Option<&crate::input::orders::OrdersLayout> {
        self.orders.as_ref()
    }

    /// The date of the order a row belongs to, as a number that sorts as dates do (see
    /// [`crate::input::orders::date_key`]); `None` when blank or not a date.
    pub(crate) fn order_date(&self, record: &csv::ByteRecord) -> Option<u64> {
        let column = self.orders.as_ref()?.date?;
        let cell = String::from_utf8_lossy(record.get(column)?);
        crate::input::orders::date_key(&cell)
    }
}
