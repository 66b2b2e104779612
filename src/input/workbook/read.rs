//! The reading thread of a workbook: it owns the workbook (calamine's cell readers borrow the
//! workbook they read), reads the sheet's cells in order, and hands the rows over through a
//! bounded channel, ending with an explicit end or failure message.

use std::fs::File;
use std::io::{self, BufReader};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx, open_workbook};

use super::rows::Rows;
use super::{Format, Message, READ_AHEAD, choose_sheet};
use crate::input::raw::OpenError;

/// Runs `read` on a thread of its own, which hands over the rows through the channel
/// returned. A panic there (calamine's, on a malformed file) becomes a failure handed over:
/// caught, so that the run reports it rather than ending the sheet early, as if complete.
pub(super) fn spawn_reader(
    read: impl FnOnce(&SyncSender<Message>) + Send + 'static,
) -> io::Result<Receiver<Message>> {
    let (tx, rx) = sync_channel(READ_AHEAD);
    std::thread::Builder::new()
        .name("workbook".into())
        .spawn(move || {
            // The sender is the only state shared with the panicking code, and a channel
            // stays usable after a panic of one of its users.
            let read = std::panic::catch_unwind(AssertUnwindSafe(|| read(&tx)));
            if let Err(panic) = read {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "an internal error".into());
                let failed = io::Error::other(format!(
                    "the workbook reader failed on this file ({what}): open it in a spreadsheet \
                     application and save it as .xlsx or CSV UTF-8, then import that file"
                ));
                let _ = tx.send(Message::Failed(failed));
            }
        })?;
    Ok(rx)
}

/// The reading thread: opens the workbook, finds the sheet and hands over its rows.
pub(super) fn read_workbook(
    path: &Path,
    format: Format,
    sheet: Option<&str>,
    tx: &SyncSender<Message>,
) {
    let mut rows = Rows::new(tx);
    rows.file_len = std::fs::metadata(path).map_or(0, |m| m.len());
    let read = match format {
        Format::Xlsx => open_workbook::<Xlsx<_>, _>(path)
            .map_err(|e| OpenError::Workbook(e.to_string()))
            .and_then(|mut book| {
                let name = choose_sheet(&book, sheet)?;
                let mut cells = book
                    .worksheet_cells_reader(&name)
                    .map_err(|e| OpenError::Workbook(e.to_string()))?;
                rows.sheet = name;
                rows.last_row = cells.dimensions().end.0;
                loop {
                    match cells.next_cell_with_style_id() {
                        Ok(Some((cell, style))) => {
                            let format = cells
                                .styles()
                                .get(style)
                                .and_then(|s| s.number_format.as_ref())
                                .map(|f| f.format_code.as_str());
                            let (row, column) = cell.get_position();
                            if !rows.cell(row, column, cell.get_value(), format) {
                                return Ok(());
                            }
                        }
                        Ok(None) => return Ok(()),
                        Err(e) => return Err(OpenError::Io(io::Error::other(e))),
                    }
                }
            }),
        Format::Xlsb => open_workbook::<Xlsb<_>, _>(path)
            .map_err(|e| OpenError::Workbook(e.to_string()))
            .and_then(|mut book| {
                let name = choose_sheet(&book, sheet)?;
                let mut cells = book
                    .worksheet_cells_reader(&name)
                    .map_err(|e| OpenError::Workbook(e.to_string()))?;
                rows.sheet = name;
                rows.last_row = cells.dimensions().end.0;
                loop {
                    match cells.next_cell() {
                        Ok(Some(cell)) => {
                            let (row, column) = cell.get_position();
                            if !rows.cell(row, column, cell.get_value(), None) {
                                return Ok(());
                            }
                        }
                        Ok(None) => return Ok(()),
                        Err(e) => return Err(OpenError::Io(io::Error::other(e))),
                    }
                }
            }),
        Format::Xls => open_workbook::<Xls<_>, _>(path)
            .map_err(|e| OpenError::Workbook(e.to_string()))
            .and_then(|book| whole_sheet(book, sheet, &mut rows)),
        Format::Ods => open_workbook::<Ods<_>, _>(path)
            .map_err(|e| OpenError::Workbook(e.to_string()))
            .and_then(|book| whole_sheet(book, sheet, &mut rows)),
    };
    match read {
        Ok(()) => rows.finish(),
        Err(e) => rows.fail(e),
    }
}

/// Hands over the rows of a sheet loaded whole. The workbook goes once its sheet is taken
/// out (a copy of calamine's), so that only the sheet is held while the rows are read.
fn whole_sheet<R: Reader<BufReader<File>>>(
    mut book: R,
    sheet: Option<&str>,
    rows: &mut Rows<'_>,
) -> Result<(), OpenError>
where
    R::Error: std::fmt::Display,
{
    let name = choose_sheet(&book, sheet)?;
    let range: Range<Data> = book
        .worksheet_range(&name)
        .map_err(|e| OpenError::Workbook(e.to_string()))?;
    drop(book);
    rows.sheet = name;
    let Some((top, left)) = range.start() else {
        return Ok(());
    };
    rows.last_row = range.end().map_or(top, |end| end.0);
    for (at, cells) in range.rows().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            let (row, column) = (top + at as u32, left + column as u32);
            if !rows.cell(row, column, &data_ref(cell), None) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// A loaded cell as the cell readers give it.
fn data_ref(cell: &Data) -> DataRef<'_> {
    match cell {
        Data::Int(n) => DataRef::Int(*n),
        Data::Float(x) => DataRef::Float(*x),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}
