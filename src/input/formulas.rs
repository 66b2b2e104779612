//! Spreadsheet formulas in cells (OWASP's "CSV injection"): which cells a spreadsheet would
//! evaluate, and the leading `'` that guards them.
//!
//! The results and failed-rows files are opened in Excel by merchants, and a cell of the input
//! such as `=HYPERLINK("http://…")` would run there. So those files write such a cell with a
//! leading `'`, and every import removes that one `'` again, so that a failed-rows file imports
//! as it is. The two sides live here together so that they cannot disagree on the characters.

/// The first characters with which a spreadsheet reads a cell as a formula.
const TRIGGERS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether a spreadsheet would evaluate `cell`: it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, and is not a plain decimal number (`-12.5` and `+49` are numbers;
/// `+1 555 0100` is not).
pub(crate) fn needs_guard(cell: &[u8]) -> bool {
    cell.first().is_some_and(|b| TRIGGERS.contains(b)) && !is_plain_number(cell)
}

/// An optional sign, digits, and optionally one decimal point followed by digits.
fn is_plain_number(cell: &[u8]) -> bool {
    let unsigned = match cell {
        [b'+' | b'-', rest @ ..] => rest,
        all => all,
    };
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    match unsigned.iter().position(|&b| b == b'.') {
        Some(point) => digits(&unsigned[..point]) && digits(&unsigned[point + 1..]),
        None => digits(unsigned),
    }
}

/// `cell` with the guard removed: the text after a leading `'` that a trigger character
/// follows. `None` for any other cell, so that a `'` before anything else (`'s-Hertogenbosch`)
/// stays.
pub(crate) fn unguard(cell: &str) -> Option<&str> {
    match cell.as_bytes() {
        // `'` is one byte, so the rest starts on a character boundary.
        [b'\'', next, ..] if TRIGGERS.contains(next) => cell.get(1..),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundaries of the guard: signs and decimals that are numbers, and what is not.
    #[test]
    fn guards_formulas_but_not_plain_numbers() {
        for cell in [
            "=1+2",
            "@SUM(A1)",
            "+1 555 0100",
            "\tx",
            "\rx",
            "-",
            "+",
            "-.5",
            "-1.",
            "-1.2.3",
            "+1e5",
            "-12,5",
            "=",
        ] {
            assert!(needs_guard(cell.as_bytes()), "{cell:?}");
        }
        for cell in [
            "-12.5", "+49", "-0", "12", "1.5", "", "ann", "'=x", " =x", "a=b", "é=",
        ] {
            assert!(!needs_guard(cell.as_bytes()), "{cell:?}");
        }
    }

    /// The guard comes off before a trigger only; `'` before anything else, or alone, stays.
    #[test]
    fn unguards_before_a_trigger_only() {
        assert_eq!(unguard("'=x"), Some("=x"));
        assert_eq!(unguard("'+1 555 0100"), Some("+1 555 0100"));
        assert_eq!(unguard("'-12.5"), Some("-12.5"));
        assert_eq!(unguard("'@SUM(A1)"), Some("@SUM(A1)"));
        assert_eq!(unguard("'\tx"), Some("\tx"));
        assert_eq!(unguard("''=x"), None);
        for cell in ["'s-Hertogenbosch", "'0150", "'", "", "=x", "'é"] {
            assert_eq!(unguard(cell), None, "{cell:?}");
        }
    }

    /// Every guarded cell reads back as it was.
    #[test]
    fn a_guarded_cell_unguards_to_itself() {
        for cell in ["=1+2", "@SUM(A1)", "+1 555 0100", "\tx", "\rx", "-", "-x=1"] {
            let guarded = format!("'{cell}");
            assert!(needs_guard(cell.as_bytes()));
            assert_eq!(unguard(&guarded), Some(cell));
        }
    }
}
