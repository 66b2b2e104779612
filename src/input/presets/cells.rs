//! Cells that hold more than one value: a whole address packed in one cell, several emails
//! or phones in one cell.

/// The parts of a packed address cell ([`Target::PackedAddress`]): street (with its second
/// line after a line break), city, state, postal code, country; `None` unless the cell has six
/// parts or five (no second line).
pub(crate) fn split_packed_address(cell: &str) -> Option<[String; 5]> {
    let parts: Vec<&str> = cell.split("  ").map(str::trim).collect();
    let (street, rest) = match parts.as_slice() {
        [street, line2, rest @ ..] if rest.len() == 4 => {
            let street = [*street, *line2]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            (street, rest)
        }
        [street, rest @ ..] if rest.len() == 4 => (street.to_string(), rest),
        _ => return None,
    };
    let [city, state, postal_code, country] = rest else {
        return None;
    };
    Some([
        street,
        city.to_string(),
        state.to_string(),
        postal_code.to_string(),
        country.to_string(),
    ])
}

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
