//! The input stage: open the file (`source`: CSV or a workbook), transcode and parse CSV
//! (`reader`) or read a workbook's sheet (`workbook`), both giving rows and open errors of one
//! kind (`raw`), then give
//! each column its meaning and each row its request (`mapping`), by a preset (`presets`) and the user's own
//! mapping file (`mapping_file`). `formulas` says which cells a spreadsheet would evaluate: the
//! output files guard them with a leading `'`, which the mapping removes again on import.

pub(crate) mod formulas;
pub mod mapping;
pub mod mapping_file;
pub(crate) mod matcher;
pub(crate) mod names;
pub(crate) mod orders;
pub mod presets;
pub mod raw;
pub mod reader;
pub mod source;
pub mod workbook;
