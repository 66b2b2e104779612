//! The report's workbook put together at the end: `rust_xlsxwriter` writes every part but the
//! `Rows` sheet's cells (the sheet's columns, frozen header, autofilter, notes, the styles, the
//! `Summary` sheet) into a small workbook in memory; its `Rows` sheet is then taken apart
//! around its cells, and the cells spooled during the run (see [`super::spool`]) go in between.
//!
//! The cells name their styles by index: the index `rust_xlsxwriter` gives each look is read
//! from a row of probe cells that it writes (and that is then dropped), when the report starts
//! and again at the end, so that the two can never disagree unnoticed.

use std::io::{self, Cursor, Read, Write};

use flate2::FlushCompress;
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use super::sheet_xml::{Styles, column_letters};
use super::spool::{Deflated, deflate_all};
use super::zip_out::{Sizes, ZipOut};

/// The `Rows` sheet's part in the workbook.
const ROWS_PART: &str = "xl/worksheets/sheet1.xml";

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
    /// Notes: row, column, text.
    pub(super) notes: &'a [(u32, u16, String)],
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
        for (row, col, text) in self.notes {
            add_note(sheet, *row, *col, text)?;
        }
        Ok(())
    }
}

fn add_note(sheet: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    let note = Note::new(text)
        .set_author("ecwid-import")
        .add_author_prefix(false)
        .set_width(360)
        .set_height(110);
    sheet.insert_note(row, col, &note)?;
    Ok(())
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
pub(super) fn write(
    out: impl Write,
    template: &[u8],
    cells: Deflated,
    dimension: &str,
    styles: Styles,
) -> io::Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(template)).map_err(io::Error::other)?;
    let mut zip = ZipOut::new(out);
    let mut cells = Some(cells);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(io::Error::other)?;
        let name = entry.name().map_err(io::Error::other)?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        match cells.take_if(|_| name == ROWS_PART) {
            Some(cells) => rows_entry(&mut zip, &data, cells, dimension, styles)?,
            None => {
                let (deflated, crc) = deflate_all(&data, FlushCompress::Finish)?;
                let sizes = Sizes {
                    crc: crc.finalize(),
                    compressed: deflated.len() as u64,
                    uncompressed: data.len() as u64,
                };
                zip.add(&name, sizes, |out| out.write_all(&deflated))?;
            }
        }
    }
    if cells.is_some() {
        return Err(io::Error::other("the report's workbook has no Rows sheet"));
    }
    zip.finish()?;
    Ok(())
}

/// The `Rows` sheet's entry: the template's sheet up to its cells, the cells, and the rest.
fn rows_entry<W: Write>(
    zip: &mut ZipOut<W>,
    sheet: &[u8],
    mut cells: Deflated,
    dimension: &str,
    styles: Styles,
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
    let (head_deflated, mut crc) = deflate_all(head.as_bytes(), FlushCompress::Sync)?;
    let tail = &sheet[end..];
    let (tail_deflated, tail_crc) = deflate_all(tail.as_bytes(), FlushCompress::Finish)?;
    crc.combine(&cells.crc);
    crc.combine(&tail_crc);
    let sizes = Sizes {
        crc: crc.finalize(),
        compressed: (head_deflated.len() + tail_deflated.len()) as u64 + cells.compressed,
        uncompressed: (head.len() + tail.len()) as u64 + cells.uncompressed,
    };
    zip.add(ROWS_PART, sizes, |out| {
        out.write_all(&head_deflated)?;
        let copied = io::copy(&mut cells.file, out)?;
        if copied != cells.compressed {
            return Err(io::Error::other(
                "the report's spooled cells were cut short",
            ));
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
