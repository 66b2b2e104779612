//! No input makes the reader, the mapping or the value rules panic: arbitrary bytes, and
//! plausible headers with arbitrary rows; and on every row a dry run's check finds what an
//! import's request finds.

use std::io::Cursor;

use ecwid_import::import::check::{Checker, Row};
use ecwid_import::input::mapping::{ColumnMap, Layout};
use ecwid_import::input::reader::CsvInput;
use ecwid_import::ledger::resumed::Finished;
use proptest::prelude::*;

/// Reads every row of `bytes` and checks them as a dry run does; returns how many rows were
/// read. Every row's check must find what building its request finds: the same problems, the
/// same notes, and a group to look up by name exactly when the request has one.
fn read_and_check(bytes: Vec<u8>) -> usize {
    let Ok(mut input) = CsvInput::from_reader(Box::new(Cursor::new(bytes)), None) else {
        return 0;
    };
    let Ok((map, _)) = ColumnMap::new(input.headers(), &Layout::default()) else {
        return 0;
    };
    let mut rows = Vec::new();
    while let Ok(Some(raw)) = input.next_row() {
        match (map.check(&raw.record), map.request(&raw.record)) {
            (Ok(check), Ok(built)) => {
                assert_eq!(check.notes, built.notes);
                let request = built.request;
                let by_name =
                    request.customer_group_name.is_some() && request.customer_group_id.is_none();
                assert_eq!(check.checked.group_by_name, by_name);
            }
            (check, built) => assert_eq!(check.err(), built.err()),
        }
        rows.push(Row::from(raw));
    }
    let count = rows.len();
    Checker::new(map, true, Finished::default()).check_batch(rows);
    count
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

const COLUMNS: [&str; 11] = [
    "email",
    "name",
    "customerGroupName",
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
        read_and_check(csv_text(&COLUMNS, &rows, delimiter));
    }

    /// The oldest Shopify header (names joined from two columns, a country column that takes
    /// codes or names, a tax-exempt column without a tax ID one), then rows of tricky cells.
    #[test]
    fn tricky_rows_of_a_preset_never_panic(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..20), 0..20),
    ) {
        read_and_check(csv_text(&SHOPIFY_OLDEST, &rows, ','));
    }
}

const SHOPIFY_OLDEST: [&str; 19] = [
    "First Name",
    "Last Name",
    "Email",
    "Accepts Marketing",
    "Company",
    "Address1",
    "Address2",
    "City",
    "Province",
    "Province Code",
    "Country",
    "Country Code",
    "Zip",
    "Phone",
    "Total Spent",
    "Total Orders",
    "Tags",
    "Note",
    "Tax Exempt",
];

/// A header and rows joined by `delimiter`, rows ending in CRLF.
fn csv_text(header: &[&str], rows: &[Vec<String>], delimiter: char) -> Vec<u8> {
    let d = delimiter.to_string();
    let mut text = header.join(&d);
    text.push('\n');
    for row in rows {
        text.push_str(&row.join(&d));
        text.push_str("\r\n");
    }
    text.into_bytes()
}
