//! Cells that hold more than one value: several emails or phones in one cell (a whole address
//! in one cell is `address_cell`'s).

/// The values of a cell that holds several (an email or phone cell of Google Contacts, whose
/// values are separated by ` ::: `, or of other files, by `;` or a line break), each trimmed,
/// blanks dropped; a cell with none of these separators is one value.
pub(crate) fn split_values(cell: &str) -> Vec<&str> {
    let separators: &[&str] = if cell.contains(" ::: ") {
        &[" ::: "]
    } else {
        &[";", "\n"]
    };
    let mut values = vec![cell];
    for separator in separators {
        values = values
            .into_iter()
            .flat_map(|v| v.split(separator))
            .collect();
    }
    values
        .into_iter()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}
