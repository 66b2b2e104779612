//! The `Rows` sheet's cells as XML, written straight from each row's text into a buffer.
//!
//! `rust_xlsxwriter` spent most of the report's time on its own per-cell work (a `String` per
//! cell in a map of the row, a format lookup): here a cell is a few appends to one buffer that
//! is reused for every row (figures in BENCHMARKS.md). Every text is an inline string (never a
//! shared string, never a formula: text that looks like a formula stays inert), escaped as
//! Excel itself escapes it, so that calamine, Excel and LibreOffice read back what was typed.

/// The style (`s`) of each look of a `Rows` cell: indexes into the workbook's cell formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Styles {
    pub(super) header: u32,
    pub(super) text: u32,
    pub(super) bad: u32,
    pub(super) changed: u32,
    pub(super) created: u32,
}

/// The longest text a cell holds: Excel's limit, in UTF-16 units.
pub(super) const MAX_CELL_UNITS: usize = 32_767;

/// Appends rows of cells to a buffer as sheet XML (`<row>` and `<c>` elements).
#[derive(Debug, Default)]
pub(super) struct RowXml {
    /// Column letters (`A`, `AB`) of the columns seen so far.
    letters: Vec<Box<[u8]>>,
    /// The current row's number, as digits.
    row: Vec<u8>,
}

impl RowXml {
    /// Opens row `row` (0-based) in `out`.
    pub(super) fn start(&mut self, out: &mut Vec<u8>, row: u32) {
        self.row.clear();
        push_number(&mut self.row, u64::from(row) + 1);
        out.extend_from_slice(b"<row r=\"");
        out.extend_from_slice(&self.row);
        out.extend_from_slice(b"\">");
    }

    /// Closes the row opened last.
    pub(super) fn end(out: &mut Vec<u8>) {
        out.extend_from_slice(b"</row>");
    }

    /// A text cell at column `col` (0-based) of the open row, with style `style`. An empty
    /// text is a blank cell that keeps its style, or nothing at all with `blank_if_empty` off
    /// (as Excel leaves an empty unformatted cell out).
    pub(super) fn text(
        &mut self,
        out: &mut Vec<u8>,
        col: u16,
        text: &str,
        style: u32,
        blank_if_empty: bool,
    ) {
        if text.is_empty() && !blank_if_empty {
            return;
        }
        out.extend_from_slice(b"<c r=\"");
        out.extend_from_slice(self.letters(col));
        out.extend_from_slice(&self.row);
        out.extend_from_slice(b"\" s=\"");
        push_number(out, u64::from(style));
        if text.is_empty() {
            out.extend_from_slice(b"\"/>");
            return;
        }
        out.extend_from_slice(b"\" t=\"inlineStr\"><is><t");
        let whitespace = |c: char| matches!(c, ' ' | '\t' | '\n');
        if text.starts_with(whitespace) || text.ends_with(whitespace) {
            out.extend_from_slice(b" xml:space=\"preserve\"");
        }
        out.push(b'>');
        escape_into(out, clip_units(text, MAX_CELL_UNITS));
        out.extend_from_slice(b"</t></is></c>");
    }

    fn letters(&mut self, col: u16) -> &[u8] {
        let col = usize::from(col);
        while self.letters.len() <= col {
            let name = column_letters(self.letters.len());
            self.letters.push(name.into_bytes().into_boxed_slice());
        }
        &self.letters[col]
    }
}

/// The letters of a 0-based column: `A`, `Z`, `AA`.
pub(super) fn column_letters(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

pub(super) fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `text`, cut to at most `units` UTF-16 units (Excel counts a cell's length so: a character
/// beyond the Basic Multilingual Plane, such as an emoji, takes two).
pub(super) fn clip_units(text: &str, units: usize) -> &str {
    // A character takes at least as many bytes as UTF-16 units.
    if text.len() <= units {
        return text;
    }
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..at];
        }
    }
    text
}

/// Bytes that start something to escape: XML's `&`, `<`, `>` (so `]]>` never appears
/// as such), control characters, a `_` that may start Excel's own `_xHHHH_` escape, and the
/// lead byte of U+FFFE and U+FFFF (not characters XML may hold).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'_' as usize] = true;
    table[0xEF] = true;
    table
};

/// Appends `text` escaped as cell text: `&`, `<`, `>` as entities; a control character other
/// than tab and line feed as Excel's `_xHHHH_` (a carriage return too: an XML reader would
/// turn a bare one into a line feed); U+FFFE and U+FFFF likewise; and a literal `_xHHHH_` with
/// its underscore escaped (`_x005F_xHHHH_`), so that it reads back as typed.
pub(super) fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPECIAL[usize::from(b)] {
            i += 1;
            continue;
        }
        let (escape, len): (&[u8], usize) = match b {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'_' if is_excel_escape(&bytes[i..]) => (b"_x005F", 0),
            0xEF if bytes[i + 1..].starts_with(&[0xBF, 0xBE]) => (b"_xFFFE_", 3),
            0xEF if bytes[i + 1..].starts_with(&[0xBF, 0xBF]) => (b"_xFFFF_", 3),
            b'_' | 0xEF => {
                i += 1;
                continue;
            }
            control => {
                out.extend_from_slice(&bytes[copied..i]);
                out.extend_from_slice(b"_x00");
                out.push(HEX[usize::from(control >> 4)]);
                out.push(HEX[usize::from(control & 0xF)]);
                out.push(b'_');
                i += 1;
                copied = i;
                continue;
            }
        };
        out.extend_from_slice(&bytes[copied..i]);
        out.extend_from_slice(escape);
        // A `_x005F` prefix leaves the escape-like text itself to be copied.
        i += len.max(1);
        copied = if len == 0 { i - 1 } else { i };
    }
    out.extend_from_slice(&bytes[copied..]);
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `bytes` starts with `_xHHHH_` (four hex digits), which Excel reads as an escape.
fn is_excel_escape(bytes: &[u8]) -> bool {
    bytes.len() >= 7
        && bytes[1] == b'x'
        && bytes[2..6].iter().all(u8::is_ascii_hexdigit)
        && bytes[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        escape_into(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_is_escaped_as_excel_escapes_it() {
        assert_eq!(escaped("plain é 😀"), "plain é 😀");
        assert_eq!(escaped("a&b<c>d"), "a&amp;b&lt;c&gt;d");
        assert_eq!(escaped("x]]>y"), "x]]&gt;y");
        assert_eq!(escaped("tab\tline\nret\r"), "tab\tline\nret_x000D_");
        assert_eq!(escaped("\u{0}\u{1f}\u{b}"), "_x0000__x001F__x000B_");
        assert_eq!(escaped("_x000D_ and _x12g4_"), "_x005F_x000D_ and _x12g4_");
        assert_eq!(escaped("a_b __x0041_"), "a_b __x005F_x0041_");
        assert_eq!(
            escaped("\u{FFFE}\u{FFFF}\u{FFFD}ï"),
            "_xFFFE__xFFFF_\u{FFFD}ï"
        );
        assert_eq!(escaped("=SUM(A1)"), "=SUM(A1)");
    }

    #[test]
    fn a_cell_is_an_inline_string_with_its_reference_and_style() {
        let mut xml = RowXml::default();
        let mut out = Vec::new();
        xml.start(&mut out, 9);
        xml.text(&mut out, 0, "=1+1", 1, false);
        xml.text(&mut out, 27, " pad", 3, false);
        xml.text(&mut out, 2, "", 1, false);
        xml.text(&mut out, 3, "", 2, true);
        RowXml::end(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<row r=\"10\"><c r=\"A10\" s=\"1\" t=\"inlineStr\"><is><t>=1+1</t></is></c>\
             <c r=\"AB10\" s=\"3\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> pad</t></is></c>\
             <c r=\"D10\" s=\"2\"/></row>"
        );
    }

    #[test]
    fn cells_are_clipped_by_utf16_units() {
        assert_eq!(clip_units("abc", 2), "ab");
        assert_eq!(clip_units("a😀b", 2), "a");
        assert_eq!(clip_units("a😀b", 3), "a😀");
        assert_eq!(clip_units("é", 1), "é");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }
}
