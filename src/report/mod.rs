//! The record stage: the results file and failed-rows file (both written atomically), the
//! annotated report workbook, the summary for people and schedulers, and progress while the
//! run goes on.

pub(crate) mod annotated;
pub(crate) mod ending;
pub(crate) mod next;
pub(crate) mod progress;
pub(crate) mod results;
pub mod summary;
pub(crate) mod temp_files;
pub(crate) mod undo;
