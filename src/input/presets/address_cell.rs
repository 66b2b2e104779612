//! A whole address in one cell ([`Target::PackedAddress`](super::Target::PackedAddress)),
//! split into its parts the way a person reading it would, and only where that reading is
//! certain.
//!
//! Two ways of writing it are read:
//!
//! - **Double spaces** (Mailchimp's `Address` field): street, second line, city, state, postal
//!   code, country, in that order, a blank part keeping its two spaces; six parts, or five
//!   without the second line. The order is the field's, so every part is taken by position.
//! - **Commas or line breaks** (Amazon's order history writes name, street, city, province,
//!   postal code and country in one cell; address books and other exports write an address as
//!   it is printed on an envelope): read from the end, the way addresses are written in
//!   most of the world. The last part must be a country the country table knows (`United
//!   States`, `Deutschland`, `GB`); before it, one of these shapes, with a postal code in each:
//!   - `city, ST, postal` or `city, ST postal` or `city ST postal` (a state or province as a
//!     code of 2 or 3 capital letters: `WA`, `ON`, `NSW`);
//!   - `postal city` (most of Europe: `10115 Berlin`, `1011 AB Amsterdam`);
//!   - `city, postal` (the UK: `London, SW1A 2AA`).
//!
//!   What comes before the city is the street (its lines, the first with a house number or
//!   the only one; every further line with a number too: `Apt 4`), with the recipient's name
//!   before it when the first part has no digit and the second has (`Jane Doe, 1 Main St`).
//!
//! Anything else (a state written as a name, a street line without a number, a country the
//! table does not know, no postal code) is not certain: the caller keeps the whole text as
//! the street, so nothing is lost or put in the wrong field, and says so once per run.

/// The parts of an address written in one cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct AddressParts {
    /// The recipient, where the cell begins with one (comma form only).
    pub(crate) name: Option<String>,
    /// The street, its lines joined by line breaks.
    pub(crate) street: String,
    pub(crate) city: String,
    /// A code (`WA`) or a name (`Madrid`); blank when the address has none.
    pub(crate) state: String,
    pub(crate) postal_code: String,
    /// As written: a name or a code.
    pub(crate) country: String,
}

/// The parts of a whole address written in one cell, or `None` when its reading is not
/// certain (see the module's comment).
pub(crate) fn split_packed_address(cell: &str) -> Option<AddressParts> {
    if cell.contains("  ") {
        return split_double_spaces(cell);
    }
    split_commas(cell)
}

/// Whether a cell is written as several parts (a comma, two spaces, a line break): one that
/// is not split is then worth a word, where a plain street (`12 Main St`) is not.
pub(crate) fn has_parts(cell: &str) -> bool {
    cell.contains(',') || cell.contains("  ") || cell.contains('\n')
}

fn split_double_spaces(cell: &str) -> Option<AddressParts> {
    let parts: Vec<&str> = cell.split("  ").map(str::trim).collect();
    let (street, rest) = match parts.as_slice() {
        [street, line2, rest @ ..] if rest.len() == 4 => (lines(&[street, line2]), rest),
        [street, rest @ ..] if rest.len() == 4 => (street.to_string(), rest),
        _ => return None,
    };
    let [city, state, postal_code, country] = rest else {
        return None;
    };
    Some(AddressParts {
        name: None,
        street,
        city: city.to_string(),
        state: state.to_string(),
        postal_code: postal_code.to_string(),
        country: country.to_string(),
    })
}

fn split_commas(cell: &str) -> Option<AddressParts> {
    let mut parts: Vec<&str> = cell
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let country = parts.pop()?;
    crate::input::matcher::country_code(country)?;
    let (city, state, postal_code) = place(&mut parts)?;
    if city.is_empty() || has_digit(&city) {
        return None;
    }
    let name = (parts.len() > 1 && !has_digit(parts[0]) && has_digit(parts[1]))
        .then(|| parts.remove(0).to_string());
    // The street's first line has the house number (unless it is the only line), and a
    // further line without one may as well be the city (and the city the state): not certain.
    let certain = match parts.as_slice() {
        [] => false,
        [_] => true,
        lines => lines.iter().all(|line| has_digit(line)),
    };
    if !certain {
        return None;
    }
    let street = lines(&parts);
    Some(AddressParts {
        name,
        street,
        city,
        state,
        postal_code,
        country: country.to_string(),
    })
}

/// The city, state and postal code at the end of `parts` (taken off it), in one of the
/// shapes the module's comment lists.
fn place(parts: &mut Vec<&str>) -> Option<(String, String, String)> {
    let last = parts.pop()?;
    // `..., city, ST, postal` or `..., city, postal`
    if is_postal_code(last) {
        let state = match parts.last() {
            Some(p) if is_state_code(p) => parts.pop().unwrap_or_default(),
            _ => "",
        };
        let city = parts.pop()?;
        return Some((city.to_string(), state.to_string(), last.to_string()));
    }
    let words: Vec<&str> = last.split_whitespace().collect();
    // `..., city, ST postal`, `..., city ST postal`, with a postal code of one or two words.
    for postal_words in [2, 1] {
        if words.len() < postal_words + 1 {
            continue;
        }
        let (before, postal) = words.split_at(words.len() - postal_words);
        let postal = postal.join(" ");
        let Some((state, city_words)) = before.split_last() else {
            continue;
        };
        if is_postal_code(&postal) && is_state_code(state) {
            let city = match city_words {
                [] => parts.pop()?.to_string(),
                words => words.join(" "),
            };
            return Some((city, state.to_string(), postal));
        }
    }
    // `..., postal city`
    for postal_words in [2, 1] {
        if words.len() <= postal_words {
            continue;
        }
        let postal = words[..postal_words].join(" ");
        if is_postal_code(&postal) {
            let city = words[postal_words..].join(" ");
            return Some((city, String::new(), postal));
        }
    }
    None
}

/// A postal code: one or two groups of letters and digits (`98101`, `98101-1234`,
/// `SW1A 2AA`, `H3Z 2Y7`, `00-950`), each with a digit, or digits then two letters (the
/// Netherlands' `1011 AB`); 3 to 10 of them in all.
fn is_postal_code(text: &str) -> bool {
    let groups: Vec<&str> = text.split([' ', '-']).collect();
    let count: usize = groups.iter().map(|g| g.chars().count()).sum();
    let alphanumeric = |g: &&str| !g.is_empty() && g.chars().all(|c| c.is_ascii_alphanumeric());
    let dutch = matches!(groups.as_slice(), [digits, letters]
        if digits.chars().all(|c| c.is_ascii_digit())
            && letters.len() == 2
            && letters.chars().all(|c| c.is_ascii_uppercase()));
    (1..=2).contains(&groups.len())
        && (3..=10).contains(&count)
        && groups.iter().all(alphanumeric)
        && (dutch || groups.iter().all(|g| has_digit(g)))
}

/// A state or province written as its code: 2 or 3 capital letters (`WA`, `ON`, `NSW`).
fn is_state_code(text: &str) -> bool {
    (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase())
}

fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

/// Street lines joined by line breaks, blank ones left out.
fn lines(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(
        name: Option<&str>,
        street: &str,
        city: &str,
        state: &str,
        postal: &str,
        country: &str,
    ) -> AddressParts {
        AddressParts {
            name: name.map(str::to_string),
            street: street.into(),
            city: city.into(),
            state: state.into(),
            postal_code: postal.into(),
            country: country.into(),
        }
    }

    /// Amazon's order history: name, street, city, province, postal code, country.
    #[test]
    fn amazon_order_history_addresses_are_split_with_the_name() {
        assert_eq!(
            split_packed_address(
                "Jane Doe, 123 Main St, Apt 4, Seattle, WA, 98101-1234, United States"
            ),
            Some(parts(
                Some("Jane Doe"),
                "123 Main St\nApt 4",
                "Seattle",
                "WA",
                "98101-1234",
                "United States"
            ))
        );
        assert_eq!(
            split_packed_address(
                "Jean Tremblay, 50 Rue Sainte-Catherine, Montréal, QC, H3Z 2Y7, Canada"
            ),
            Some(parts(
                Some("Jean Tremblay"),
                "50 Rue Sainte-Catherine",
                "Montréal",
                "QC",
                "H3Z 2Y7",
                "Canada"
            ))
        );
    }

    /// Addresses as printed: the state and zip in one part, the postal code before the city,
    /// the UK's postcode after it, one line each.
    #[test]
    fn printed_shapes_are_split() {
        assert_eq!(
            split_packed_address("1 Main St, Springfield, IL 62701, USA"),
            Some(parts(
                None,
                "1 Main St",
                "Springfield",
                "IL",
                "62701",
                "USA"
            ))
        );
        assert_eq!(
            split_packed_address("1 Main St\nSpringfield IL 62701\nUS"),
            Some(parts(None, "1 Main St", "Springfield", "IL", "62701", "US"))
        );
        assert_eq!(
            split_packed_address("Anna Schmidt, Hauptstraße 5, 10115 Berlin, Deutschland"),
            Some(parts(
                Some("Anna Schmidt"),
                "Hauptstraße 5",
                "Berlin",
                "",
                "10115",
                "Deutschland"
            ))
        );
        assert_eq!(
            split_packed_address("Damrak 1, 1011 AB Amsterdam, Netherlands"),
            Some(parts(
                None,
                "Damrak 1",
                "Amsterdam",
                "",
                "1011 AB",
                "Netherlands"
            ))
        );
        assert_eq!(
            split_packed_address("10 Downing Street, London, SW1A 2AA, United Kingdom"),
            Some(parts(
                None,
                "10 Downing Street",
                "London",
                "",
                "SW1A 2AA",
                "United Kingdom"
            ))
        );
        assert_eq!(
            split_packed_address("Rose Cottage, Little Village, AB1 2CD, UK"),
            Some(parts(
                None,
                "Rose Cottage",
                "Little Village",
                "",
                "AB1 2CD",
                "UK"
            ))
        );
        assert_eq!(
            split_packed_address("1 George St, Sydney NSW 2000, Australia"),
            Some(parts(
                None,
                "1 George St",
                "Sydney",
                "NSW",
                "2000",
                "Australia"
            ))
        );
    }

    /// Where a part could be one thing or another, nothing is split: the caller keeps the
    /// whole text as the street.
    #[test]
    fn uncertain_readings_are_not_split() {
        for cell in [
            // A state written as its name: the city or the state?
            "Hauptstr. 1, München, Bayern, 80331, Germany",
            "Jane Doe, 1 George St, Sydney, New South Wales, 2000, Australia",
            // A street line without a number.
            "Jane Doe, 1 Main St, Building C, Springfield, IL 62701, USA",
            // No country, or one the table does not know.
            "1 Main St, Springfield, IL 62701",
            "1 Main St, Springfield, IL 62701, Atlantis",
            // No postal code: Indiana, not India.
            "1 Main St, Indianapolis, IN",
            // A street with a comma in it.
            "Av. Brigadeiro Faria Lima, 2170",
            "Jane Doe, 1 Main St, Apt 4, USA",
            "5 High Street, London",
            "",
        ] {
            assert_eq!(split_packed_address(cell), None, "{cell:?}");
        }
    }

    /// Mailchimp's double spaces, by position; a blank second line keeps its separator.
    #[test]
    fn double_spaces_are_split_by_position() {
        assert_eq!(
            split_packed_address("12 Queen Street  Apt 4  Auckland  AUK  1010  NZ"),
            Some(parts(
                None,
                "12 Queen Street\nApt 4",
                "Auckland",
                "AUK",
                "1010",
                "NZ"
            ))
        );
        assert_eq!(
            split_packed_address("Calle Mayor 5    Madrid  Madrid  28013  Spain"),
            Some(parts(
                None,
                "Calle Mayor 5",
                "Madrid",
                "Madrid",
                "28013",
                "Spain"
            ))
        );
        assert_eq!(split_packed_address("12 Queen Street  Auckland"), None);
    }
}
