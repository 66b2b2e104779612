//! Reading an annotated report back, as a person would see it: the values of its sheets (with
//! calamine), which cells are highlighted and in which colour, and the notes (from the sheet's
//! own XML inside the .xlsx).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

/// Excel's "bad" fill: a cell that breaks a rule.
pub const BAD: &str = "FFFFC7CE";
/// Excel's "neutral" fill: a cell a plan's update would change.
pub const CHANGED: &str = "FFFFEB9C";
/// Excel's "good" fill: the status of a row a plan would create.
pub const CREATED: &str = "FFC6EFCE";

/// A report as read back.
pub struct Report {
    /// The `Rows` sheet, header first, every cell as text.
    pub rows: Vec<Vec<String>>,
    /// The `Summary` sheet, numbers as their text.
    pub summary: Vec<Vec<String>>,
    /// Cell reference (`C3`) -> the fill colour of a filled cell of `Rows`.
    pub fills: HashMap<String, String>,
    /// Cell reference -> note of `Rows`.
    pub notes: HashMap<String, String>,
    /// The sheet's autofilter range, e.g. `A1:A5`.
    pub autofilter: Option<String>,
    /// Whether the header row is frozen.
    pub frozen: bool,
    /// Whether every cell of `Rows` is stored as text (no number, date or formula).
    pub all_text: bool,
    pub sheet_names: Vec<String>,
}

impl Report {
    pub fn read(path: &Path) -> Self {
        let mut book = open_workbook_auto(path).expect("the report opens");
        let sheet_names = book.sheet_names().to_vec();
        let rows_range = book.worksheet_range("Rows").expect("a Rows sheet");
        let all_text = rows_range
            .rows()
            .flatten()
            .all(|c| matches!(c, Data::String(_) | Data::Empty));
        let text = |range: &calamine::Range<Data>| -> Vec<Vec<String>> {
            range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect()
        };
        let rows = text(&rows_range);
        let summary = text(&book.worksheet_range("Summary").expect("a Summary sheet"));
        let sheet = part(path, "xl/worksheets/sheet1.xml");
        let styles = part(path, "xl/styles.xml");
        let comments = try_part(path, "xl/comments1.xml").unwrap_or_default();
        Self {
            rows,
            summary,
            fills: fills(&sheet, &styles),
            notes: notes(&comments),
            autofilter: between(&sheet, "<autoFilter ref=\"", "\"").map(str::to_string),
            frozen: sheet.contains("state=\"frozen\"") && sheet.contains("ySplit=\"1\""),
            all_text,
            sheet_names,
        }
    }

    /// The `Rows` cell of data row `row` (1-based) in the column named `column`.
    pub fn cell(&self, row: usize, column: &str) -> &str {
        let col = self.col(column);
        self.rows[row].get(col).map_or("", String::as_str)
    }

    /// The reference (`C3`) of data row `row` (1-based) in the column named `column`.
    pub fn at(&self, row: usize, column: &str) -> String {
        let col = self.col(column);
        format!("{}{}", letters(col), row + 1)
    }

    fn col(&self, column: &str) -> usize {
        self.rows[0]
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column} in {:?}", self.rows[0]))
    }

    /// The fill of data row `row`'s cell in `column`, if any.
    pub fn fill(&self, row: usize, column: &str) -> Option<&str> {
        self.fills.get(&self.at(row, column)).map(String::as_str)
    }

    /// The note of data row `row`'s cell in `column`, if any.
    pub fn note(&self, row: usize, column: &str) -> Option<&str> {
        self.notes.get(&self.at(row, column)).map(String::as_str)
    }

    /// The filled cells of data row `row`, by column name.
    pub fn filled_in_row(&self, row: usize) -> Vec<String> {
        let mut filled: Vec<String> = self.rows[0]
            .iter()
            .filter(|name| self.fill(row, name).is_some())
            .cloned()
            .collect();
        filled.sort();
        filled
    }

    /// The Summary line whose first cell is `first`, from the line after `after`'s heading.
    pub fn summary_line(&self, after: &str, first: &str) -> Vec<String> {
        let start = self
            .summary
            .iter()
            .position(|l| l.first().is_some_and(|c| c == after))
            .unwrap_or_else(|| panic!("no heading {after:?} in {:?}", self.summary));
        self.summary[start + 1..]
            .iter()
            .find(|l| l.first().is_some_and(|c| c == first))
            .unwrap_or_else(|| panic!("no line {first:?} after {after:?} in {:?}", self.summary))
            .clone()
    }
}

/// Column letters of a 0-based column.
fn letters(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

fn try_part(path: &Path, name: &str) -> Option<String> {
    let file = std::fs::File::open(path).expect("open");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("utf-8 xml");
    Some(text)
}

fn part(path: &Path, name: &str) -> String {
    try_part(path, name).unwrap_or_else(|| panic!("{name} in the report"))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    between(tag, &format!(" {name}=\""), "\"")
}

/// Cell reference -> fill colour, for every cell whose style has a solid fill.
fn fills(sheet: &str, styles: &str) -> HashMap<String, String> {
    let fill_colours: Vec<Option<String>> = between(styles, "<fills", "</fills>")
        .unwrap_or_default()
        .split("<fill>")
        .skip(1)
        .map(|fill| attr(fill, "rgb").map(str::to_string))
        .collect();
    let xf_fills: Vec<usize> = between(styles, "<cellXfs", "</cellXfs>")
        .unwrap_or_default()
        .split("<xf ")
        .skip(1)
        .map(|xf| attr(xf, "fillId").and_then(|f| f.parse().ok()).unwrap_or(0))
        .collect();
    let mut found = HashMap::new();
    for cell in sheet.split("<c r=\"").skip(1) {
        let reference = &cell[..cell.find('"').unwrap()];
        let tag = &cell[..cell.find('>').unwrap()];
        let style: usize = attr(tag, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
        let colour = xf_fills
            .get(style)
            .and_then(|&f| fill_colours.get(f).cloned().flatten());
        if let Some(colour) = colour {
            found.insert(reference.to_string(), colour);
        }
    }
    found
}

/// Cell reference -> the text of its note.
fn notes(comments: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for comment in comments.split("<comment ").skip(1) {
        let reference = between(comment, "ref=\"", "\"")
            .unwrap_or_default()
            .to_string();
        let comment = comment.replace("<t xml:space=\"preserve\">", "<t>");
        let text: String = comment
            .split("<t>")
            .skip(1)
            .filter_map(|t| Some(t[..t.find("</t>")?].to_string()))
            .collect();
        found.insert(reference, unescape(&text));
    }
    found
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A copy of the report at `from` with the text of some cells of `Rows` replaced, as a person
/// fixing them in a spreadsheet would leave it: every other part (styles, notes, the Summary)
/// as it was. `fixes`: cell reference (`C3`) -> new text.
pub fn fix_cells(from: &Path, to: &Path, fixes: &HashMap<String, String>) {
    let file = std::fs::File::open(from).expect("open");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let out = std::fs::File::create(to).expect("create");
    let mut writer = zip::ZipWriter::new(out);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("an entry name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        if name == "xl/worksheets/sheet1.xml" {
            let mut sheet = String::from_utf8(bytes).expect("utf-8");
            for (reference, text) in fixes {
                sheet = with_cell_text(&sheet, reference, text);
            }
            bytes = sheet.into_bytes();
        }
        writer.start_file(name, options).expect("start entry");
        std::io::Write::write_all(&mut writer, &bytes).expect("write entry");
    }
    writer.finish().expect("finish the zip");
}

/// `sheet` with the inline text of cell `reference` replaced by `text`.
fn with_cell_text(sheet: &str, reference: &str, text: &str) -> String {
    let start = sheet
        .find(&format!("<c r=\"{reference}\""))
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let open = start + sheet[start..].find("<t>").expect("an inline string") + 3;
    let close = open + sheet[open..].find("</t>").expect("its end");
    format!("{}{}{}", &sheet[..open], text, &sheet[close..])
}
