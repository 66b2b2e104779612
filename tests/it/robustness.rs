//! No input makes the reader, the mapping or the value rules panic: arbitrary bytes, and
//! plausible headers with arbitrary rows.

use std::io::Cursor;

use ecwid_import::import::check::Checker;
use ecwid_import::import::journal::Finished;
use ecwid_import::input::mapping::{ColumnMap, Layout};
use ecwid_import::input::reader::CsvInput;
use proptest::prelude::*;

/// Reads every row of `bytes` and checks each one; returns how many rows were read.
fn read_and_check(bytes: Vec<u8>) -> usize {
    let Ok(mut input) = CsvInput::from_reader(Box::new(Cursor::new(bytes)), None) else {
        return 0;
    };
    let Ok((map, _)) = ColumnMap::new(input.headers(), &Layout::default()) else {
        return 0;
    };
    let mut checker = Checker::new(map, true, Finished::default());
    let mut rows = 0;
    while let Ok(Some(raw)) = input.next_row() {
        let _ = checker.check(raw);
        rows += 1;
    }
    rows
}

/// Cells that exercise the rules: quotes, delimiters, line breaks, NULs, non-ASCII.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9.@+_-]{0,20}",
        "\\PC{0,12}",
        Just("\"".to_string()),
        Just("a\"b,c\nd".to_string()),
        Just("\0".to_string()),
        Just(" yes ".to_string()),
        Just("US".to_string()),
        Just("18446744073709551616".to_string()),
    ]
}

const COLUMNS: [&str; 10] = [
    "email",
    "name",
    "taxExempt",
    "taxId",
    "customerGroupId",
    "billingPerson.countryCode",
    "shippingAddresses[999].city",
    "contacts.0.type",
    "contacts.0.orderBy",
    "lang",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes: no panic, whatever they hold.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_and_check(bytes);
    }

    /// A canonical header, then rows of tricky cells joined by any delimiter: no panic.
    #[test]
    fn tricky_rows_never_panic(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..12), 0..20),
        delimiter in prop_oneof![Just(','), Just(';'), Just('\t'), Just('|')],
    ) {
        let d = delimiter.to_string();
        let mut text = COLUMNS.join(&d);
        text.push('\n');
        for row in &rows {
            text.push_str(&row.join(&d));
            text.push_str("\r\n");
        }
        read_and_check(text.into_bytes());
    }
}
