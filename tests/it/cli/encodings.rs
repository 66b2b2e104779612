//! Input encodings and delimiters: CRLF and blank lines, `;` tab and `|`, BOMs, UTF-16 and
//! Windows-1252, with line numbers kept right.

use std::path::Path;

use ecwid_import::customer::rules::RULE_COUNTRY;
use tempfile::TempDir;

use super::{HEADER, bin, field, read, records, write};

/// Checks a file whose first row is valid and second has country UK, read with `args`.
fn check_two_rows(name: &str, bytes: &[u8], args: &[&str], expected_failed: &str) {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, name, bytes);
    bin()
        .arg("validate")
        .arg(&input)
        .args(args)
        .assert()
        .code(1);
    let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
    let bad_country = format!("billingPerson.countryCode \"UK\": {RULE_COUNTRY}");
    assert_eq!(
        read(&dir.path().join(format!("{stem}.validation.csv"))),
        format!(
            "{HEADER}\n1,2,ann@example.com,valid,,,0,\n2,3,bob@example.com,invalid,,,0,{}\n",
            field(&bad_country)
        ),
        "{name}"
    );
    assert_eq!(
        read(&dir.path().join(format!("{stem}.validation.failed.csv"))),
        expected_failed,
        "{name}"
    );
}

/// Line numbers stay right in a CRLF file with blank lines and a quoted CRLF cell.
#[test]
fn crlf_file_with_blank_lines_has_right_line_numbers() {
    let dir = TempDir::new().unwrap();
    let text = "email,privateAdminNotes\r\n\
                ann@example.com,x\r\n\
                bob@example.com,\"two\r\nlines\"\r\n\
                \r\n\
                \r\n\
                carol@example.com,y\r\n\
                dave@example.com,z\r\n";
    let input = write(&dir, "crlf.csv", text);
    bin().arg("validate").arg(&input).assert().code(0);
    let lines: Vec<(String, String)> = records(&dir.path().join("crlf.validation.csv"))
        .into_iter()
        .skip(1)
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    let expected = [
        ("2", "ann@example.com"),
        ("3", "bob@example.com"),
        ("7", "carol@example.com"),
        ("8", "dave@example.com"),
    ]
    .map(|(l, e)| (l.to_string(), e.to_string()));
    assert_eq!(lines, expected);
}

/// Semicolon-, tab- and pipe-delimited files are detected; the failed-rows file keeps the
/// input's delimiter.
#[test]
fn semicolon_tab_and_pipe_delimiters_are_detected() {
    for (name, d) in [("semi.csv", ";"), ("tab.tsv", "\t"), ("pipe.csv", "|")] {
        let text = format!(
            "email{d}name{d}billingPerson.countryCode\nann@example.com{d}Ann, A.{d}de\n\
             bob@example.com{d}Bob{d}UK\n"
        );
        let failed =
            format!("email{d}name{d}billingPerson.countryCode\nbob@example.com{d}Bob{d}UK\n");
        check_two_rows(name, text.as_bytes(), &[], &failed);
    }
}

/// --delimiter overrides detection.
#[test]
fn delimiter_option_overrides_detection() {
    // Detection would pick `,` (two of them in the header); the file is really `;`.
    let text = "email;\"a,b,c\";billingPerson.countryCode\nann@example.com;x;de\n\
                bob@example.com;y;UK\n";
    // Cells are unchanged; `a,b,c` needs no quotes with `;` as the delimiter.
    let failed = "email;a,b,c;billingPerson.countryCode\nbob@example.com;y;UK\n";
    check_two_rows("forced.csv", text.as_bytes(), &["--delimiter", ";"], failed);
}

/// A UTF-8 file with a BOM reads like one without: the BOM does not stick to the first column.
#[test]
fn utf8_bom_file_is_read() {
    let text = "\u{feff}email,name,billingPerson.countryCode\nann@example.com,Zoë,de\n\
                bob@example.com,Bob,UK\n";
    let failed = "email,name,billingPerson.countryCode\nbob@example.com,Bob,UK\n";
    check_two_rows("bom.csv", text.as_bytes(), &[], failed);
}

/// A UTF-16LE file with a BOM is decoded: non-ASCII text arrives intact.
#[test]
fn utf16le_bom_file_is_read() {
    let text = "email,name,billingPerson.countryCode\nann@example.com,Zoë,de\n\
                bob@example.com,Jürgen Ø,UK\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let failed = "email,name,billingPerson.countryCode\nbob@example.com,Jürgen Ø,UK\n";
    check_two_rows("utf16.csv", &bytes, &[], failed);
}

/// A Windows-1252 file: right characters with --encoding windows-1252; without it the row is
/// invalid with a message suggesting --encoding, and its bytes go unchanged to the failed file.
#[test]
fn windows_1252_needs_the_encoding_option() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"email,name\n".to_vec();
    bytes.extend(b"andr\xe9@example.com,Andr\xe9 M\xfcller \x80\n");
    bytes.extend(b"bob@example.com,Bob\n");
    let input = write(&dir, "latin.csv", &bytes);
    let results = dir.path().join("latin.validation.csv");
    let failed = dir.path().join("latin.validation.failed.csv");

    bin()
        .arg("validate")
        .arg(&input)
        .args(["--encoding", "windows-1252"])
        .assert()
        .code(0);
    assert_eq!(
        read(&results),
        format!("{HEADER}\n1,2,andré@example.com,valid,,,0,\n2,3,bob@example.com,valid,,,0,\n")
    );

    bin().arg("validate").arg(&input).assert().code(1);
    let got = records(&results);
    assert_eq!(got.len(), 3);
    assert_eq!(got[1][..7], ["1", "2", "", "invalid", "", "", "0"]);
    assert!(
        got[1][7].contains("--encoding windows-1252"),
        "error suggests --encoding: {}",
        got[1][7]
    );
    assert_eq!(
        got[2],
        ["2", "3", "bob@example.com", "valid", "", "", "0", ""]
    );
    let failed_bytes = std::fs::read(&failed).unwrap();
    assert_eq!(
        failed_bytes,
        b"email,name\nandr\xe9@example.com,Andr\xe9 M\xfcller \x80\n"
    );
}
