//! The `Rows` sheet's notes, written by hand as the cells are (see [`super::sheet_xml`]): each
//! note's text goes into the comments part (`xl/comments1.xml`) as it is recorded, deflated on
//! a spool's thread (see [`super::spool`]); only its cell is kept, for the VML drawing
//! (`xl/drawings/vmlDrawing1.vml`) that places each note beside its cell. That drawing needs
//! the columns' final widths, so it is written at the end, from those cells alone (6 bytes a
//! note). What a reader sees is what `rust_xlsxwriter`'s `insert_note` wrote: the same text,
//! author, font, box size and place.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crc32fast::Hasher;
use flate2::FlushCompress;

use super::sheet_xml::{column_letters, escape_into, push_number};
use super::spool::{CHUNK, Deflate, Deflated, Spool};

/// The comments part and its relationship's type.
pub(super) const COMMENTS_PART: &str = "xl/comments1.xml";
/// The VML drawing part.
pub(super) const VML_PART: &str = "xl/drawings/vmlDrawing1.vml";

/// The start of the comments part, up to its first comment.
pub(super) const COMMENTS_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors>\
<author>ecwid-import</author></authors><commentList>";
/// The end of the comments part.
pub(super) const COMMENTS_TAIL: &str = "</commentList></comments>";

/// A note's box, in pixels, and its offset from the top left of the cell right of its own.
const WIDTH: u32 = 360;
const HEIGHT: u32 = 110;
/// A row's height in pixels (the default 15 points).
const ROW_HEIGHT: u32 = 20;
/// Excel's last row and column (0-based), where a note is placed left of or above its cell.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u32 = 16_383;

/// Writes the notes as they are recorded.
#[derive(Debug)]
pub(super) struct NotesWriter {
    /// Where the spool's file goes.
    dir: PathBuf,
    /// Started at the first note: a report without notes starts no thread.
    spool: Option<Spool>,
    /// Comments' XML not yet handed to the spool.
    buffer: Vec<u8>,
    /// Each note's cell (row, column), in the order written.
    cells: Vec<(u32, u16)>,
}

/// The notes written: the comments' deflated body and each note's cell.
#[derive(Debug)]
pub(super) struct Notes {
    pub(super) comments: Deflated,
    pub(super) cells: Vec<(u32, u16)>,
}

impl NotesWriter {
    pub(super) fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            spool: None,
            buffer: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// How many notes were written.
    pub(super) fn len(&self) -> u64 {
        self.cells.len() as u64
    }

    /// Writes a note on the cell at `row`, `col` (0-based).
    pub(super) fn add(&mut self, row: u32, col: u16, text: &str) -> io::Result<()> {
        let spool = match &mut self.spool {
            Some(spool) => spool,
            None => self.spool.insert(Spool::start(&self.dir)?),
        };
        let out = &mut self.buffer;
        out.extend_from_slice(b"<comment ref=\"");
        out.extend_from_slice(column_letters(usize::from(col)).as_bytes());
        push_number(out, u64::from(row) + 1);
        out.extend_from_slice(
            b"\" authorId=\"0\"><text><r><rPr><sz val=\"8\"/><color indexed=\"81\"/>\
<rFont val=\"Tahoma\"/><family val=\"2\"/></rPr><t",
        );
        let whitespace = |c: char| matches!(c, ' ' | '\t' | '\n');
        if text.starts_with(whitespace) || text.ends_with(whitespace) {
            out.extend_from_slice(b" xml:space=\"preserve\"");
        }
        out.push(b'>');
        escape_into(out, text);
        out.extend_from_slice(b"</t></r></text></comment>");
        self.cells.push((row, col));
        if self.buffer.len() >= CHUNK {
            spool.send(&mut self.buffer)?;
        }
        Ok(())
    }

    /// Waits for the spool; `None` without notes.
    pub(super) fn finish(self) -> io::Result<Option<Notes>> {
        let Some(spool) = self.spool else {
            return Ok(None);
        };
        Ok(Some(Notes {
            comments: spool.finish(self.buffer)?,
            cells: self.cells,
        }))
    }
}

/// The VML drawing of notes on `cells`, deflated whole, with its CRC and inflated size.
/// `widths`: each column's width in characters (columns past them: the default, 64 pixels).
pub(super) fn vml_drawing(
    cells: &[(u32, u16)],
    widths: &[f64],
) -> io::Result<(Vec<u8>, Hasher, u64)> {
    let pixels: Vec<u32> = widths
        .iter()
        .map(|w| (w * 7.0).round() as u32 + 5)
        .collect();
    let col_width = |col: u32| pixels.get(col as usize).copied().unwrap_or(64);
    // Left of each column in pixels, up to the widest column a note reaches.
    let mut lefts = vec![0u32];
    let mut deflate = Deflate::new();
    let mut crc = Hasher::new();
    let mut deflated = Vec::new();
    let mut size = 0u64;
    let mut xml = Vec::with_capacity(CHUNK + 2048);
    xml.extend_from_slice(
        b"<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" \
xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\">\
<o:idmap v:ext=\"edit\" data=\"1",
    );
    // One id block of 1,024 shapes after the first, as Excel numbers them.
    for block in 0..cells.len() / 1024 {
        xml.push(b',');
        push_number(&mut xml, block as u64 + 2);
    }
    xml.extend_from_slice(
        b"\"/></o:shapelayout><v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" \
o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/>\
<v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>",
    );
    for (i, &(row, col)) in cells.iter().enumerate() {
        let (row, col) = (row, u32::from(col));
        // The box's top left: the next column, the row above, but at the sheet's edges.
        let (mut col_start, mut x1) = match col {
            c if c + 2 >= LAST_COL => (c - 3, 49),
            c => (c + 1, 15),
        };
        let (mut row_start, mut y1) = match row {
            0 => (0, 2),
            r if r == LAST_ROW => (r - 4, 14),
            r if r + 2 >= LAST_ROW => (r - 4, 16),
            r => (r - 1, 10),
        };
        while lefts.len() <= col_start as usize {
            let last = lefts.len() as u32 - 1;
            lefts.push(lefts[last as usize] + col_width(last));
        }
        let x_abs = lefts[col_start as usize] + x1;
        let y_abs = row_start * ROW_HEIGHT + y1;
        while x1 >= col_width(col_start) {
            x1 -= col_width(col_start);
            col_start += 1;
        }
        while y1 >= ROW_HEIGHT {
            y1 -= ROW_HEIGHT;
            row_start += 1;
        }
        let (mut col_end, mut x2) = (col_start, WIDTH + x1);
        while x2 >= col_width(col_end) {
            x2 -= col_width(col_end);
            col_end += 1;
        }
        let (row_end, y2) = (
            row_start + (HEIGHT + y1) / ROW_HEIGHT,
            (HEIGHT + y1) % ROW_HEIGHT,
        );
        let points = |px: u32| f64::from(px) * 0.75;
        write!(
            xml,
            "<v:shape id=\"_x0000_s{}\" type=\"#_x0000_t202\" style=\"position:absolute;\
margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;z-index:{};visibility:hidden\" \
fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/>\
<v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>\
<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>\
<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>\
<x:Anchor>{col_start}, {x1}, {row_start}, {y1}, {col_end}, {x2}, {row_end}, {y2}</x:Anchor>\
<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column>\
</x:ClientData></v:shape>",
            1025 + i,
            points(x_abs),
            points(y_abs),
            points(WIDTH),
            points(HEIGHT),
            i + 1,
        )?;
        if xml.len() >= CHUNK {
            crc.update(&xml);
            size += xml.len() as u64;
            deflate.write(&xml, FlushCompress::None, &mut deflated)?;
            xml.clear();
        }
    }
    xml.extend_from_slice(b"</xml>");
    crc.update(&xml);
    size += xml.len() as u64;
    deflate.write(&xml, FlushCompress::Finish, &mut deflated)?;
    Ok((deflated, crc, size))
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use rust_xlsxwriter::{Note, Workbook};

    use super::*;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    /// The drawing places each note where `rust_xlsxwriter`'s `insert_note` did, at the
    /// sheet's edges too and past 1,024 notes (a second id block).
    #[test]
    fn the_drawing_is_the_one_rust_xlsxwriter_wrote() {
        let widths = [9.0, 81.0, 15.0, 51.0];
        let mut cells: Vec<(u32, u16)> = vec![(0, 0), (1, 2), (3, 1), (7, 3)];
        cells.extend((10..1100).map(|row| (row, 2)));
        cells.extend([(1_048_572, 16_380), (1_048_573, 16_381)]);
        cells.extend([(1_048_574, 16_382), (1_048_575, 16_383)]);
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, width) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, *width).unwrap();
        }
        for &(row, col) in &cells {
            let note = Note::new("x")
                .set_author("ecwid-import")
                .add_author_prefix(false)
                .set_width(360)
                .set_height(110);
            sheet.insert_note(row, col, &note).unwrap();
        }
        let expected = part(&workbook.save_to_buffer().unwrap(), VML_PART);
        let (deflated, crc, size) = vml_drawing(&cells, &widths).unwrap();
        let mut ours = String::new();
        flate2::read::DeflateDecoder::new(&deflated[..])
            .read_to_string(&mut ours)
            .unwrap();
        assert_eq!(ours.len() as u64, size);
        let mut whole = Hasher::new();
        whole.update(ours.as_bytes());
        assert_eq!(crc.finalize(), whole.finalize());
        assert_eq!(ours, expected);
    }

    /// A note's text is escaped as a cell's is, and kept whole with its outer spaces.
    #[test]
    fn comments_hold_the_text_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let mut notes = NotesWriter::new(dir.path());
        assert!(NotesWriter::new(dir.path()).finish().unwrap().is_none());
        notes.add(1, 2, "a <b> & _x0041_").unwrap();
        notes.add(2, 27, " spaced ").unwrap();
        assert_eq!(notes.len(), 2);
        let mut written = notes.finish().unwrap().unwrap();
        assert_eq!(written.cells, [(1, 2), (2, 27)]);
        let mut deflated = Vec::new();
        written.comments.file.read_to_end(&mut deflated).unwrap();
        // The spool ends on a sync flush: an empty last block ends the stream.
        deflated.extend_from_slice(&[0x03, 0x00]);
        let mut xml = String::new();
        flate2::read::DeflateDecoder::new(&deflated[..])
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains("<comment ref=\"C2\" authorId=\"0\">")
                && xml.contains("<t>a &lt;b&gt; &amp; _x005F_x0041_</t>")
                && xml.contains("<comment ref=\"AB3\" ")
                && xml.contains("<t xml:space=\"preserve\"> spaced </t>"),
            "{xml}"
        );
    }
}
