//! The cells a row reads as blank although they hold something: a placeholder that stands for
//! nothing (`null`, `N/A`, `-`), or a name that is an email address.

use super::ColumnMap;
use super::row_cells::Cells;
use crate::customer::rules::is_placeholder;

/// A cell read as blank although it held something. These are not noted row by row (a file
/// may have thousands); the run counts them, by kind and column, once in its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Blanked {
    /// A value that stands for nothing (`null`, `N/A`, `-`, ...), in this column.
    Placeholder(usize),
    /// A name that is an email address (a sign-up form's fallback), by the rule of the name.
    EmailAsName(usize),
    /// Not blank, but counted the same way: a whole address in one cell whose split was not
    /// certain, sent whole as the street, by the rule of the address.
    AddressKeptWhole(usize),
}

impl ColumnMap {
    /// The columns of a row's cells that hold a placeholder (`null`, `N/A`, ...), among the
    /// columns the rules read.
    pub(super) fn placeholders(&self, cells: &Cells<'_>) -> Vec<Blanked> {
        let mut found = Vec::new();
        for (i, _) in self.used.iter().enumerate().filter(|(_, used)| **used) {
            if let Ok(cell) = cells.get(i)
                && is_placeholder(self.unmarked(cell))
            {
                found.push(Blanked::Placeholder(i));
            }
        }
        found
    }

    /// The label of the rule a [`Blanked::EmailAsName`] names, or the column a
    /// [`Blanked::Placeholder`] does.
    pub(crate) fn blanked_label(&self, blanked: Blanked) -> &str {
        match blanked {
            Blanked::Placeholder(column) => &self.names[column],
            Blanked::EmailAsName(rule) | Blanked::AddressKeptWhole(rule) => &self.rules[rule].label,
        }
    }
}
