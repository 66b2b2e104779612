//! The report's workbook put together at the end: `rust_xlsxwriter` writes every part but the
//! `Rows` sheet's cells and notes (the sheet's columns, frozen header, autofilter, the styles,
//! the `Summary` sheet) into a small workbook in memory; its `Rows` sheet is then taken apart
//! around its cells, and the cells spooled during the run (see [`super::spool`]) go in between.
//! The notes' parts (see [`super::notes_xml`]) are added beside it, with the sheet's
//! relationships to them, its `<legacyDrawing>` and their content types.
//!
//! The cells name their styles by index: the index `rust_xlsxwriter` gives each look is read
//! from a row of probe cells that it writes (and that is then dropped), when the report starts
//! and again at the end, so that the two can never disagree unnoticed.

use std::io::{self, Cursor, Read, Write};

use flate2::FlushCompress;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use super::notes_xml::{COMMENTS_HEAD, COMMENTS_PART, COMMENTS_TAIL, Notes, VML_PART, vml_drawing};
use super::sheet_xml::{Styles, column_letters};
use super::spool::{Deflated, deflate_all};
use super::zip_out::{Sizes, ZipOut};

/// The `Rows` sheet's part in the workbook.
const ROWS_PART: &str = "xl/worksheets/sheet1.xml";
/// Its relationships: to the notes' parts.
const ROWS_RELS: &str = "xl/worksheets/_rels/sheet1.xml.rels";
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// The notes' relationships from the `Rows` sheet; `rId1` is the VML drawing.
const NOTES_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing\" \
Target=\"../drawings/vmlDrawing1.vml\"/><Relationship Id=\"rId2\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" \
Target=\"../comments1.xml\"/></Relationships>";
/// The notes' content types.
const NOTES_TYPES: &str = "<Default Extension=\"vml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>\
<Override PartName=\"/xl/comments1.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>";

/// The looks of the `Rows` sheet's cells.
pub(super) struct Formats {
    header: Format,
    pub(super) text: Format,
    bad: Format,
    changed: Format,
    created: Format,
}

impl Formats {
    pub(super) fn new() -> Self {
        // Text (`@`): a value typed into the sheet stays as typed too.
        let text = Format::new().set_num_format("@");
        Self {
            header: Format::new()
                .set_bold()
                .set_num_format("@")
                .set_border_bottom(FormatBorder::Thin),
            bad: text
                .clone()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            changed: text
                .clone()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
            created: text
                .clone()
                .set_background_color(Color::RGB(0xC6EFCE))
                .set_font_color(Color::RGB(0x006100)),
            text,
        }
    }

    /// The probe cells, one per look, in this order in the first row.
    fn probes(&self) -> [&Format; 5] {
        [
            &self.header,
            &self.text,
            &self.bad,
            &self.changed,
            &self.created,
        ]
    }
}

/// The `Rows` sheet but its cells.
pub(super) struct RowsSheet<'a> {
    pub(super) formats: &'a Formats,
    /// Each column's width, in characters.
    pub(super) widths: &'a [f64],
    /// The last row written (0-based; 0 is the header).
    pub(super) last_row: u32,
}

impl RowsSheet<'_> {
    /// Adds the sheet to `workbook`, with its row of probe cells.
    pub(super) fn add_to(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Rows")?;
        for (col, format) in self.formats.probes().into_iter().enumerate() {
            sheet.write_blank(0, col as u16, format)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (col, width) in self.widths.iter().enumerate() {
            // Text (`@`) for the whole column: what is typed into an empty cell stays text.
            sheet.set_column_format(col as u16, &self.formats.text)?;
            sheet.set_column_width(col as u16, *width)?;
        }
        sheet.autofilter(0, 0, self.last_row, 0)?;
        Ok(())
    }
}

/// The style index of each look, as `rust_xlsxwriter` numbers them in a workbook whose first
/// sheet is `rows`.
pub(super) fn styles(rows: &RowsSheet<'_>) -> io::Result<Styles> {
    let mut workbook = Workbook::new();
    rows.add_to(&mut workbook).map_err(io::Error::other)?;
    let bytes = workbook.save_to_buffer().map_err(io::Error::other)?;
    probed_styles(&rows_part(&bytes)?)
}

/// The styles of the probe cells in a `Rows` sheet's XML.
fn probed_styles(sheet: &str) -> io::Result<Styles> {
    let style = |col: usize| -> io::Result<u32> {
        let cell = format!("<c r=\"{}1\" s=\"", column_letters(col));
        let at = sheet.find(&cell).map(|at| at + cell.len());
        at.and_then(|at| sheet[at..].split('"').next()?.parse().ok())
            .ok_or_else(|| io::Error::other(format!("the report's style probe {cell} is missing")))
    };
    Ok(Styles {
        header: style(0)?,
        text: style(1)?,
        bad: style(2)?,
        changed: style(3)?,
        created: style(4)?,
    })
}

fn rows_part(workbook: &[u8]) -> io::Result<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).map_err(io::Error::other)?;
    let mut text = String::new();
    archive
        .by_name(ROWS_PART)
        .map_err(io::Error::other)?
        .read_to_string(&mut text)?;
    Ok(text)
}

/// Writes the workbook to `out`: the parts of `template` (saved by `rust_xlsxwriter`, its
/// `Rows` sheet written by [`RowsSheet::add_to`]), the `Rows` sheet's cells replaced by `cells`
/// and its dimension set to `dimension` (`A1:Z100`). `styles` are the ones the cells use.
/// `notes`, if any, go beside the sheet, placed by the columns' `widths` (in characters).
pub(super) fn write(
    out: impl Write,
    template: &[u8],
    cells: Deflated,
    dimension: &str,
    styles: Styles,
    notes: Option<Notes>,
    widths: &[f64],
) -> io::Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(template)).map_err(io::Error::other)?;
    let mut zip = ZipOut::new(out);
    let mut cells = Some(cells);
    let with_notes = notes.is_some();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(io::Error::other)?;
        let name = entry.name().map_err(io::Error::other)?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        if with_notes && name == ROWS_RELS {
            return Err(io::Error::other(
                "the report's Rows sheet has relationships of its own",
            ));
        }
        if with_notes && name == CONTENT_TYPES {
            data = insert_before(&data, "</Types>", NOTES_TYPES)?;
        }
        match cells.take_if(|_| name == ROWS_PART) {
            Some(cells) => rows_entry(&mut zip, &data, cells, dimension, styles, with_notes)?,
            None => add_whole(&mut zip, &name, &data)?,
        }
    }
    if cells.is_some() {
        return Err(io::Error::other("the report's workbook has no Rows sheet"));
    }
    if let Some(notes) = notes {
        spliced(
            &mut zip,
            COMMENTS_PART,
            COMMENTS_HEAD,
            notes.comments,
            COMMENTS_TAIL,
        )?;
        let (vml, crc, size) = vml_drawing(&notes.cells, widths)?;
        let sizes = Sizes {
            crc: crc.finalize(),
            compressed: vml.len() as u64,
            uncompressed: size,
        };
        zip.add(VML_PART, sizes, |out| out.write_all(&vml))?;
        add_whole(&mut zip, ROWS_RELS, NOTES_RELS.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

/// Adds the entry `name` holding `data`, deflated here.
fn add_whole<W: Write>(zip: &mut ZipOut<W>, name: &str, data: &[u8]) -> io::Result<()> {
    let (deflated, crc) = deflate_all(data, FlushCompress::Finish)?;
    let sizes = Sizes {
        crc: crc.finalize(),
        compressed: deflated.len() as u64,
        uncompressed: data.len() as u64,
    };
    zip.add(name, sizes, |out| out.write_all(&deflated))
}

/// `data` (UTF-8 XML) with `insert` before the last `before`.
fn insert_before(data: &[u8], before: &str, insert: &str) -> io::Result<Vec<u8>> {
    let text = std::str::from_utf8(data).map_err(io::Error::other)?;
    let at = text
        .rfind(before)
        .ok_or_else(|| io::Error::other(format!("the report's template has no {before}")))?;
    Ok(format!("{}{insert}{}", &text[..at], &text[at..]).into_bytes())
}

/// The `Rows` sheet's entry: the template's sheet up to its cells, the cells, and the rest
/// (with the notes' drawing named, `with_notes`).
fn rows_entry<W: Write>(
    zip: &mut ZipOut<W>,
    sheet: &[u8],
    cells: Deflated,
    dimension: &str,
    styles: Styles,
    with_notes: bool,
) -> io::Result<()> {
    let sheet = std::str::from_utf8(sheet).map_err(io::Error::other)?;
    if probed_styles(sheet)? != styles {
        return Err(io::Error::other(
            "the report's cell styles moved while it was written",
        ));
    }
    let open = "<sheetData>";
    let (Some(start), Some(end)) = (sheet.find(open), sheet.find("</sheetData>")) else {
        return Err(io::Error::other("the report's Rows sheet has no cells"));
    };
    let head = with_dimension(&sheet[..start + open.len()], dimension);
    let mut tail = sheet[end..].to_string();
    if with_notes {
        // The drawing follows every other element the template writes after the cells.
        let drawing = "<legacyDrawing r:id=\"rId1\"/>";
        tail = String::from_utf8(insert_before(tail.as_bytes(), "</worksheet>", drawing)?)
            .map_err(io::Error::other)?;
    }
    spliced(zip, ROWS_PART, &head, cells, &tail)
}

/// The entry `name`: `head`, the spooled `body`, and `tail`, inflating as one stream.
fn spliced<W: Write>(
    zip: &mut ZipOut<W>,
    name: &str,
    head: &str,
    mut body: Deflated,
    tail: &str,
) -> io::Result<()> {
    let (head_deflated, mut crc) = deflate_all(head.as_bytes(), FlushCompress::Sync)?;
    let (tail_deflated, tail_crc) = deflate_all(tail.as_bytes(), FlushCompress::Finish)?;
    crc.combine(&body.crc);
    crc.combine(&tail_crc);
    let sizes = Sizes {
        crc: crc.finalize(),
        compressed: (head_deflated.len() + tail_deflated.len()) as u64 + body.compressed,
        uncompressed: (head.len() + tail.len()) as u64 + body.uncompressed,
    };
    zip.add(name, sizes, |out| {
        out.write_all(&head_deflated)?;
        let copied = io::copy(&mut body.file, out)?;
        if copied != body.compressed {
            return Err(io::Error::other("the report's spooled part was cut short"));
        }
        out.write_all(&tail_deflated)
    })
}

/// `head` with its `<dimension ref="..."/>` set to `dimension`.
fn with_dimension(head: &str, dimension: &str) -> String {
    let open = "<dimension ref=\"";
    match head.find(open) {
        Some(at) => {
            let from = at + open.len();
            let to = from + head[from..].find('"').unwrap_or(0);
            format!("{}{dimension}{}", &head[..from], &head[to..])
        }
        None => head.to_string(),
    }
}
