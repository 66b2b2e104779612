//! Tests of the CSV reader: row and line numbers, delimiters, oversized and broken rows.

use super::*;

fn rows(text: &str) -> Vec<(u64, u64, Vec<String>)> {
    let mut input =
        CsvInput::from_reader(Box::new(Cursor::new(text.to_string())), None).expect("opens");
    let mut out = Vec::new();
    while let Some(r) = input.next_row().expect("reads") {
        let cells = r
            .record
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned());
        out.push((r.row, r.line, cells.collect()));
    }
    out
}

#[test]
fn counts_rows_and_physical_lines_across_quoted_breaks_and_blank_lines() {
    let text = "a,b\n1,\"x\ny\nz\"\n\n2,3\r\n\"4\",\"5\"\n";
    let got: Vec<(u64, u64)> = rows(text).iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(got, vec![(1, 2), (2, 6), (3, 7)]);
}

#[test]
fn counts_lines_of_cr_only_files() {
    let got: Vec<(u64, u64)> = rows("a,b\r1,2\r\r3,\"x\ry\"\r4,5\r")
        .iter()
        .map(|r| (r.0, r.1))
        .collect();
    assert_eq!(got, vec![(1, 2), (2, 4), (3, 6)]);
}

#[test]
fn a_crlf_split_between_chunks_counts_once() {
    let mut after_cr = false;
    assert_eq!(count_breaks(b"a\r", &mut after_cr), 1);
    assert_eq!(count_breaks(b"\nb\n", &mut after_cr), 1);
    assert_eq!(count_breaks(b"\r\n\r\n", &mut after_cr), 2);
}

#[test]
fn counts_lines_of_crlf_files_with_blank_lines() {
    let text = "a,b\r\n1,2\r\n\r\n\n3,\"x\r\ny\"\r\n\r\n4,5\r\n";
    let got: Vec<(u64, u64)> = rows(text).iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(got, vec![(1, 2), (2, 5), (3, 8)]);
}

#[test]
fn header_with_a_line_break_pushes_the_first_line_down() {
    let got = rows("\"a\nA\",b\n1,2\n");
    assert_eq!((got[0].0, got[0].1), (1, 3));
}

#[test]
fn sniffs_each_delimiter_outside_quotes() {
    assert_eq!(sniff_delimiter(b"email;name;city\n"), b';');
    assert_eq!(sniff_delimiter(b"email\tname\n"), b'\t');
    assert_eq!(sniff_delimiter(b"email|name|x,y\n"), b'|');
    assert_eq!(sniff_delimiter(b"\"a;b;c\",d\n"), b',');
    assert_eq!(sniff_delimiter(b"email\n"), b',');
    assert_eq!(sniff_delimiter(b""), b',');
}

#[test]
fn semicolon_file_reads_with_detected_delimiter() {
    let got = rows("email;name\nann@example.com;Ann\n");
    assert_eq!(got[0].2, vec!["ann@example.com", "Ann"]);
}

#[test]
fn input_without_a_header_is_refused() {
    for text in ["", "\n\r\n"] {
        let source = Box::new(Cursor::new(text.as_bytes().to_vec()));
        let err = CsvInput::from_reader(source, None).err();
        assert!(matches!(err, Some(OpenError::NoHeader)), "{text:?}");
    }
}

/// Reads every row of `text`: (row, line, problem).
fn problems(text: Vec<u8>) -> Vec<(u64, u64, Option<String>)> {
    let mut input = CsvInput::from_reader(Box::new(Cursor::new(text)), None).expect("opens");
    let mut out = Vec::new();
    while let Some(r) = input.next_row().expect("reads") {
        out.push((r.row, r.line, r.problem));
    }
    out
}

#[test]
fn an_oversized_row_is_marked_and_the_rows_after_it_still_read() {
    let mut text = b"email,note\nann@example.com,\"".to_vec();
    text.extend(std::iter::repeat_n(b'x', MAX_ROW_BYTES + 10));
    text.extend(b"\nmore\"\nbob@example.com,hi\n");
    let got = problems(text);
    assert_eq!(got.len(), 2);
    assert!(
        got[0]
            .2
            .as_deref()
            .is_some_and(|p| p.contains("larger than"))
    );
    assert_eq!((got[1].0, got[1].1, got[1].2.clone()), (2, 4, None));
}

#[test]
fn an_unterminated_quote_swallows_the_rest_into_one_bounded_row() {
    let mut text = b"email,note\nann@example.com,\"open\n".to_vec();
    for i in 0..100_000 {
        text.extend(format!("row{i}@example.com,x\n").as_bytes());
    }
    let got = problems(text);
    assert_eq!(got.len(), 1);
    assert!(got[0].2.is_some());
}

#[test]
fn nul_bytes_mark_the_row() {
    let got = problems(b"email\na\0b@example.com\nc@example.com\n".to_vec());
    assert!(got[0].2.as_deref().is_some_and(|p| p.contains("NUL")));
    assert_eq!(got[1].2, None);
}

#[test]
fn workbooks_and_web_pages_are_refused() {
    assert!(matches!(
        refuse_other_formats(b"PK\x03\x04rest"),
        Err(OpenError::Workbook(_))
    ));
    let ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
    assert!(matches!(
        refuse_other_formats(&ole2),
        Err(OpenError::Workbook(_))
    ));
    let page = b"\xEF\xBB\xBF  <!DOCTYPE HTML><html>";
    assert!(matches!(refuse_other_formats(page), Err(OpenError::Html)));
    assert!(refuse_other_formats(b"email,name\n").is_ok());
}
