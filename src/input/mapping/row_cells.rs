//! A row's cells as text, with UTF-8 checked once for the whole row rather than cell by cell:
//! what the row's filling (`row`), its blanks (`blanks`) and its typed blocks (`typed`) read.

use std::str::Utf8Error;

use csv::ByteRecord;

/// A row's cells as text, with UTF-8 checked once for the whole row rather than cell by cell.
pub(super) struct Cells<'r> {
    record: &'r ByteRecord,
    /// The row's bytes, when they are UTF-8 as a whole.
    text: Option<&'r str>,
}

impl<'r> Cells<'r> {
    /// The cells of a row of which one is read: checking the whole row's UTF-8 would cost more
    /// than it saves.
    pub(super) fn unchecked(record: &'r ByteRecord) -> Self {
        Self { record, text: None }
    }

    pub(super) fn new(record: &'r ByteRecord) -> Self {
        // SIMD: with `std`'s check, the UTF-8 check of whole rows was a sizeable part of a dry
        // run's checking (the figure is in BENCHMARKS.md).
        let text = simdutf8::basic::from_utf8(record.as_slice()).ok();
        Self { record, text }
    }

    /// Cell `i` (empty when the row is short), or why it is not UTF-8.
    pub(super) fn get(&self, i: usize) -> Result<&'r str, Utf8Error> {
        // A cell of a UTF-8 row is UTF-8 when it starts and ends on character boundaries,
        // which `str::get` checks.
        if let (Some(text), Some(range)) = (self.text, self.record.range(i))
            && let Some(cell) = text.get(range)
        {
            return Ok(cell);
        }
        std::str::from_utf8(self.record.get(i).unwrap_or_default())
    }
}
