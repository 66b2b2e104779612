//! Cells that hold more than one value: several emails or phones in one cell (a whole address
//! in one cell is `address_cell`'s).

/// The values of a cell that holds several (an email or phone cell of Google Contacts, whose
/// values are separated by ` ::: `, or of other files, by `;` or a line break, or by commas
/// between email addresses), each trimmed, blanks dropped; a cell with none of these
/// separators is one value.
///
/// A `;` or line break separates values only where what follows is a value of its own: an
/// email address (it has an `@`) or a phone number (5 digits or more). Anything else belongs
/// to the value before it: the extension of `555-1234;ext=2` (RFC 3966's way of writing one),
/// `+1 555 0100\next. 12`.
pub(crate) fn split_values(cell: &str) -> Vec<&str> {
    if cell.contains(" ::: ") {
        return cell
            .split(" ::: ")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
    }
    // A list of email addresses written with commas (`ann@example.com, bo@example.com`):
    // every part an address, so that a name with a comma (`Doe, Jo <jo@example.com>`) is not.
    let commas = cell.contains('@')
        && cell
            .split([';', '\n', ','])
            .all(|p| p.trim().is_empty() || p.contains('@'));
    let separators: &[char] = if commas {
        &[';', '\n', ',']
    } else {
        &[';', '\n']
    };
    let mut values: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (at, _) in cell.match_indices(separators).chain([(cell.len(), "")]) {
        let part = &cell[start..at];
        match values.last_mut() {
            Some(last) if !part.trim().is_empty() && !is_value_of_its_own(part) => last.1 = at,
            _ => values.push((start, at)),
        }
        start = (at + 1).min(cell.len());
    }
    values
        .into_iter()
        .map(|(from, to)| cell[from..to].trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Whether a part of a cell is an email address or a phone number of its own.
fn is_value_of_its_own(part: &str) -> bool {
    part.contains('@') || part.bytes().filter(u8::is_ascii_digit).count() >= 5
}
