//! The csv-spectrum edge cases (tests/data/csv-spectrum): each CSV, read through the real input
//! reader, gives exactly the records of its JSON twin.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ecwid_import::input::reader::CsvInput;

type Records = Vec<BTreeMap<String, String>>;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/csv-spectrum")
}

/// The records of `csvs/<name>.csv` as the reader gives them: header -> cell.
fn read_csv(name: &str) -> Records {
    let path = data_dir().join("csvs").join(format!("{name}.csv"));
    let mut input = CsvInput::open(&path, None, None).expect("the case opens");
    let headers: Vec<String> = input
        .headers()
        .iter()
        .map(|h| String::from_utf8(h.to_vec()).expect("header is UTF-8"))
        .collect();
    let mut records = Vec::new();
    while let Some(raw) = input.next_row().expect("the case reads") {
        assert_eq!(
            raw.record.len(),
            headers.len(),
            "{name}: row {} has as many cells as the header",
            raw.row
        );
        let cells = raw
            .record
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).expect("cell is UTF-8"));
        records.push(headers.iter().cloned().zip(cells).collect());
    }
    records
}

/// The records `json/<name>.json` says the CSV holds.
fn read_json(name: &str) -> Records {
    let path = data_dir().join("json").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("the JSON twin exists");
    serde_json::from_str(&text).expect("the JSON twin is an array of string objects")
}

fn check(name: &str) {
    let expected = read_json(name);
    assert!(!expected.is_empty(), "{name}: the JSON twin holds records");
    assert_eq!(read_csv(name), expected, "{name}");
}

macro_rules! spectrum_cases {
    ($($name:ident),* $(,)?) => {
        $(
            /// The reader gives exactly the records of this csv-spectrum case's JSON.
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every case in tests/data/csv-spectrum/csvs has a test here, and a JSON twin.
        #[test]
        fn every_case_is_tested() {
            let mut tested: Vec<&str> = vec![$(stringify!($name)),*];
            tested.sort_unstable();
            let mut found: Vec<String> = std::fs::read_dir(data_dir().join("csvs"))
                .expect("the csvs folder exists")
                .map(|e| e.expect("entry").path())
                .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
                .collect();
            found.sort_unstable();
            assert_eq!(found, tested);
            for name in &found {
                assert!(data_dir().join("json").join(format!("{name}.json")).is_file(), "{name}");
            }
        }
    };
}

spectrum_cases!(
    comma_in_quotes,
    empty,
    empty_crlf,
    escaped_quotes,
    json,
    newlines,
    newlines_crlf,
    quotes_and_newlines,
    simple,
    simple_crlf,
    utf8,
);

/// The *_crlf cases really end their lines with CRLF (git or an editor has not normalised them).
#[test]
fn crlf_cases_keep_their_crlf_line_endings() {
    for name in ["empty_crlf", "newlines_crlf", "simple_crlf"] {
        let bytes = std::fs::read(data_dir().join("csvs").join(format!("{name}.csv"))).unwrap();
        let lf = bytes.iter().filter(|&&b| b == b'\n').count();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        assert!(lf > 0, "{name} has line breaks");
        assert_eq!(crlf, lf, "{name}: every line break is CRLF");
    }
}
