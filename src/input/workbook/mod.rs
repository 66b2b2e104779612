//! Reads a spreadsheet workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) as rows of text, so
//! that its rows go down the same pipeline as a CSV file's: one sheet, its first non-blank row
//! the header, every later non-blank row a record, cells as a person sees them ([`cells`]).
//!
//! The workbook is read on a thread of its own that owns it: calamine's cell readers borrow the
//! workbook they read, and the thread hands the rows over in batches through a bounded channel,
//! so that `.xlsx`, `.xlsm` and `.xlsb` sheets are streamed cell by cell and memory stays flat
//! as for CSV (their table of shared strings is held whole, as calamine reads it). `.xls` and
//! `.ods` have no such reader: calamine loads their sheets whole when they are opened, so a file
//! whose estimated cost exceeds [`WHOLE_LOAD_BUDGET`] is refused before it is loaded.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::mpsc::Receiver;

use calamine::{Reader, SheetType, SheetVisible};
use csv::ByteRecord;

use self::read::{read_workbook, spawn_reader};
use super::raw::{OpenError, RawRow};

mod cells;
mod cost;
mod read;
mod rows;

/// The memory a `.xls` or `.ods` file may take once loaded (estimated before loading). An
/// import holds it twice for a while (its first pass over the file, for the snapshot's choice,
/// reads the file again while the run's own reader waits), so at most 1 GiB in all.
const WHOLE_LOAD_BUDGET: u64 = 512 * 1024 * 1024;
/// Rows handed over at once.
const BATCH: usize = 256;
/// Batches the reading thread may have waiting.
const READ_AHEAD: usize = 4;

/// The workbook formats, told apart by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Xlsx => ".xlsx",
            Format::Xlsb => ".xlsb",
            Format::Xls => ".xls",
            Format::Ods => ".ods",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether a file starting with `start` is a workbook container (ZIP or OLE2), whatever its
/// name: a CSV file named `.xls` is read as CSV, and a workbook named `.csv` as a workbook.
pub(crate) fn is_workbook(start: &[u8]) -> bool {
    start.starts_with(ZIP) || start.starts_with(OLE2)
}

/// A streaming reader of one sheet's rows.
pub struct WorkbookInput {
    headers: ByteRecord,
    batches: Receiver<Message>,
    pending: std::vec::IntoIter<RawRow>,
    /// The sheet read, as the workbook names it.
    sheet: String,
    /// Whether the reading thread has said the sheet has no more rows.
    ended: bool,
}

/// What the reading thread hands over.
enum Message {
    /// The sheet's name and header, or why the workbook cannot be read (always first).
    Opened(Result<(String, ByteRecord), OpenError>),
    Rows(Vec<RawRow>),
    Failed(io::Error),
    /// The sheet has no more rows. A closed channel is not the end: a thread that died
    /// closes it too, and taking that for the end would drop the rest of the sheet unseen.
    End,
}

impl WorkbookInput {
    /// Opens the workbook at `path` and its sheet `sheet` (a name, ignoring case, or a number
    /// counted from 1; the first visible sheet when `None`).
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Self, OpenError> {
        Self::open_with_budget(path, sheet, WHOLE_LOAD_BUDGET)
    }

    /// [`Self::open`], with the budget of a `.xls` or `.ods` file given.
    fn open_with_budget(path: &Path, sheet: Option<&str>, budget: u64) -> Result<Self, OpenError> {
        let format = detect(path)?;
        if matches!(format, Format::Xls | Format::Ods) {
            let cost = cost::whole_load_cost(path, format, budget)?;
            if cost.bytes > budget {
                return Err(OpenError::WorkbookTooLarge {
                    format: format.name(),
                    cost_mib: cost.bytes.div_ceil(1024 * 1024),
                    budget_mib: budget / (1024 * 1024),
                    cells: cost
                        .cells
                        .map(|cells| {
                            format!(" for its {cells} cells, repeated rows and cells counted")
                        })
                        .unwrap_or_default(),
                });
            }
            if let Some(sheet) = cost.cut {
                return Err(OpenError::OdsPastLimits { sheet });
            }
        }
        let path = path.to_path_buf();
        let sheet = sheet.map(str::to_string);
        let batches = spawn_reader(move |tx| read_workbook(&path, format, sheet.as_deref(), tx))?;
        Self::opened(batches)
    }

    /// The reader of the sheet whose reading thread hands over `batches`, once it has sent
    /// the header.
    fn opened(batches: Receiver<Message>) -> Result<Self, OpenError> {
        match batches.recv() {
            Ok(Message::Opened(Ok((sheet, headers)))) => Ok(Self {
                headers,
                batches,
                pending: Vec::new().into_iter(),
                sheet,
                ended: false,
            }),
            Ok(Message::Opened(Err(e))) => Err(e),
            Ok(Message::Failed(e)) => Err(OpenError::Io(e)),
            Ok(Message::Rows(_) | Message::End) | Err(_) => {
                Err(OpenError::Io(reader_stopped("before the header")))
            }
        }
    }

    pub fn headers(&self) -> &ByteRecord {
        &self.headers
    }

    /// The name of the sheet read.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// The next data record, or `None` at the end of the sheet.
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        loop {
            if let Some(row) = self.pending.next() {
                return Ok(Some(row));
            }
            if self.ended {
                return Ok(None);
            }
            match self.batches.recv() {
                Ok(Message::Rows(rows)) => self.pending = rows.into_iter(),
                Ok(Message::End) => self.ended = true,
                Ok(Message::Failed(e)) => return Err(e),
                Ok(Message::Opened(_)) | Err(_) => {
                    return Err(reader_stopped("before the end of the sheet"));
                }
            }
        }
    }
}

/// Why a workbook's rows stopped coming `when` they did, without their end: the reading
/// thread died.
fn reader_stopped(when: &str) -> io::Error {
    io::Error::other(format!(
        "the workbook reader stopped unexpectedly {when}: open the workbook in a spreadsheet \
         application and save it as .xlsx or CSV UTF-8, then import that file"
    ))
}

/// The format of the workbook at `path`, from its content.
fn detect(path: &Path) -> Result<Format, OpenError> {
    let mut start = [0u8; 8];
    let mut file = File::open(path)?;
    let read = file.read(&mut start)?;
    if start[..read].starts_with(OLE2) {
        return Ok(Format::Xls);
    }
    let unreadable = |e: &dyn std::fmt::Display| OpenError::Workbook(e.to_string());
    let zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| unreadable(&e))?;
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") {
        Ok(Format::Ods)
    } else {
        Err(OpenError::Workbook(
            "a ZIP archive that holds no workbook".into(),
        ))
    }
}

/// The sheet `wanted` names (ignoring case) or numbers (from 1, among the worksheets); the
/// first visible worksheet when `None`.
fn choose_sheet<R: Reader<BufReader<File>>>(
    book: &R,
    wanted: Option<&str>,
) -> Result<String, OpenError> {
    let sheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    pick_sheet(&sheets, wanted)
}

/// [`choose_sheet`] among `sheets` (name, visible).
fn pick_sheet(sheets: &[(String, bool)], wanted: Option<&str>) -> Result<String, OpenError> {
    let found = match wanted {
        None => sheets
            .iter()
            .find(|(_, visible)| *visible)
            .or(sheets.first()),
        Some(wanted) => {
            let trimmed = wanted.trim();
            let by_name = sheets
                .iter()
                .find(|(name, _)| name.trim().to_lowercase() == trimmed.to_lowercase());
            let by_number = || {
                let n: usize = trimmed.parse().ok()?;
                sheets.get(n.checked_sub(1)?)
            };
            by_name.or_else(by_number)
        }
    };
    match found {
        Some((name, _)) => Ok(name.clone()),
        None => Err(OpenError::NoSuchSheet {
            wanted: wanted.unwrap_or_default().to_string(),
            sheets: list_sheets(sheets),
        }),
    }
}

/// `1 "Customers", 2 "Orders" (hidden)`: the sheets as `--sheet` takes them.
fn list_sheets(sheets: &[(String, bool)]) -> String {
    if sheets.is_empty() {
        return "none".into();
    }
    let listed: Vec<String> = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, visible))| {
            let hidden = if *visible { "" } else { " (hidden)" };
            format!("{} {name:?}{hidden}", i + 1)
        })
        .collect();
    listed.join(", ")
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::sync_channel;

    use super::*;

    fn sheets() -> Vec<(String, bool)> {
        vec![
            ("Notes".into(), false),
            ("Customers".into(), true),
            ("2024".into(), true),
        ]
    }

    /// The first visible sheet by default; names ignoring case; numbers from 1.
    #[test]
    fn sheets_are_chosen_by_name_or_number() {
        let sheets = sheets();
        let pick = |wanted| pick_sheet(&sheets, wanted).expect("a sheet");
        assert_eq!(pick(None), "Customers");
        assert_eq!(pick(Some("customers")), "Customers");
        assert_eq!(pick(Some(" CUSTOMERS ")), "Customers");
        assert_eq!(pick(Some("1")), "Notes");
        assert_eq!(pick(Some("2")), "Customers");
        // A sheet named by a number is found by its name first.
        assert_eq!(pick(Some("2024")), "2024");
    }

    /// A wrong name or number lists the sheets, numbered as --sheet takes them.
    #[test]
    fn a_wrong_sheet_lists_the_sheets() {
        for wanted in ["Orders", "0", "4"] {
            let err = pick_sheet(&sheets(), Some(wanted)).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(&format!("{wanted:?}")), "{text}");
            assert!(
                text.contains(r#"1 "Notes" (hidden), 2 "Customers", 3 "2024""#),
                "{text}"
            );
        }
    }

    /// Records carry byte offsets in proportion to their row, up to the file's size, which
    /// the progress shows as the share of the file read.
    #[test]
    fn records_carry_offsets_in_proportion_to_their_row() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks/customers.ods");
        let size = std::fs::metadata(&path).expect("the .ods").len();
        let mut input = WorkbookInput::open(&path, None).expect("opens");
        let mut offsets = Vec::new();
        while let Some(row) = input.next_row().expect("reads") {
            offsets.push(row.record.position().map_or(0, csv::Position::byte));
        }
        assert_eq!(offsets.len(), 3);
        assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
        assert_eq!(offsets.last().copied(), Some(size));
    }

    fn opened_sheet() -> Message {
        Message::Opened(Ok(("Customers".into(), ByteRecord::from(vec!["email"]))))
    }

    fn a_row() -> RawRow {
        RawRow {
            row: 1,
            line: 2,
            record: ByteRecord::from(vec!["ann@example.com"]),
            problem: None,
        }
    }

    /// The sheet ends where the reading thread says so, and stays ended.
    #[test]
    fn the_sheet_ends_at_its_end_message() {
        let (tx, rx) = sync_channel(READ_AHEAD);
        for message in [opened_sheet(), Message::Rows(vec![a_row()]), Message::End] {
            tx.send(message).expect("sent");
        }
        drop(tx);
        let mut input = WorkbookInput::opened(rx).expect("opens");
        assert!(input.next_row().expect("a row").is_some());
        assert!(input.next_row().expect("the end").is_none());
        assert!(input.next_row().expect("still the end").is_none());
    }

    /// A channel closed before the end (the reading thread died) is a read error, never the
    /// end of the sheet: the rows it did not hand over are not silently dropped.
    #[test]
    fn a_reader_gone_before_the_end_is_an_error() {
        let (tx, rx) = sync_channel(READ_AHEAD);
        tx.send(opened_sheet()).expect("sent");
        tx.send(Message::Rows(vec![a_row()])).expect("sent");
        drop(tx);
        let mut input = WorkbookInput::opened(rx).expect("opens");
        assert!(input.next_row().expect("a row").is_some());
        let err = input.next_row().expect_err("the reader stopped");
        assert!(
            err.to_string()
                .contains("the workbook reader stopped unexpectedly before the end of the sheet"),
            "{err}"
        );
        // Before the header, too: no header is not the same as no reader.
        let (tx, rx) = sync_channel::<Message>(READ_AHEAD);
        drop(tx);
        let text = WorkbookInput::opened(rx).err().map(|e| e.to_string());
        let text = text.unwrap_or_default();
        assert!(
            text.contains("stopped unexpectedly before the header"),
            "{text}"
        );
    }

    /// A panic in the reading thread is handed over as a failure that says what to do.
    #[test]
    fn a_panic_in_the_reader_is_a_failure() {
        let rx = spawn_reader(|tx| {
            tx.send(opened_sheet()).expect("sent");
            panic!("malformed record");
        })
        .expect("spawns");
        let mut input = WorkbookInput::opened(rx).expect("opens");
        let err = input.next_row().expect_err("the reader failed");
        let text = err.to_string();
        assert!(
            text.contains("the workbook reader failed on this file (malformed record)"),
            "{text}"
        );
        assert!(text.contains("save it as .xlsx or CSV UTF-8"), "{text}");
        // Before the header, the opening fails.
        let rx = spawn_reader(|_| panic!("bad header")).expect("spawns");
        let text = WorkbookInput::opened(rx).err().map(|e| e.to_string());
        assert!(text.unwrap_or_default().contains("(bad header)"));
    }

    /// A `.xls` or `.ods` file past the budget is refused with its cost, before it is loaded.
    #[test]
    fn a_workbook_loaded_whole_is_refused_past_the_budget() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/workbooks/customers.ods");
        let err = WorkbookInput::open_with_budget(&path, None, 100).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains(".ods") && text.contains("MiB"), "{text}");
        assert!(WorkbookInput::open_with_budget(&path, None, u64::MAX).is_ok());
    }
}
