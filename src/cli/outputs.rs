//! Where a run's files go, worked out in one place: every file `import`, `plan`, `validate` and
//! `undo` write is named here from the input (undo's: the import's results file) and the output
//! options, and a run any of them would overwrite the input of is refused before anything is
//! read or written.

use std::path::{Path, PathBuf};

use super::{InputArgs, OutputArgs, UndoArgs};
use crate::config::{Outputs, UndoFiles};
use crate::error::Error;
use crate::{ledger, lock, store};

/// The kind of run the files are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RunKind {
    /// `validate`, `import --dry-run`: `<stem>.validation.csv`, never an import's results.
    Check,
    /// `plan`: `<stem>.plan.csv`, never an import's results.
    Plan,
    /// `import`; `journal`: whether it keeps a journal and an undo log (not for a store that
    /// is gone with the run).
    Import { journal: bool },
}

impl InputArgs {
    /// Every file a run of `kind` writes, refused when one of them is the input (however
    /// spelled).
    pub(super) fn outputs(&self, out: &OutputArgs, kind: RunKind) -> Result<Outputs, Error> {
        let suffix = match kind {
            RunKind::Check => "validation.csv",
            RunKind::Plan => "plan.csv",
            RunKind::Import { .. } => "results.csv",
        };
        let results = match &out.output {
            Some(path) => path.clone(),
            None => beside(&self.file, suffix),
        };
        let journal = kind == RunKind::Import { journal: true };
        let not_kept = match kind {
            RunKind::Check => None,
            // The fields remembered beside the import's own results file, which the import
            // of this file compares without.
            RunKind::Plan => Some(store::not_kept::path_for(&beside(
                &self.file,
                "results.csv",
            ))),
            RunKind::Import { .. } => Some(store::not_kept::path_for(&results)),
        };
        let outputs = Outputs {
            failed: beside(&results, "failed.csv"),
            lock: lock::path_for(&results),
            journal: journal.then(|| ledger::journal::path_for(&results)),
            undo_log: journal.then(|| ledger::undo_log::path_for(&results)),
            not_kept,
            summary_json: out.summary_json.clone(),
            report: out.report(&results, !matches!(kind, RunKind::Import { .. })),
            results,
        };
        // A plan only reads the remembered fields; every other file is written.
        let written = [
            Some(&outputs.results),
            Some(&outputs.failed),
            Some(&outputs.lock),
            outputs.journal.as_ref(),
            outputs.undo_log.as_ref(),
            outputs.not_kept.as_ref().filter(|_| kind != RunKind::Plan),
            outputs.summary_json.as_ref(),
            outputs.report.as_ref(),
        ];
        let clash = written
            .into_iter()
            .flatten()
            .find(|path| same_file(path, &self.file))
            .cloned();
        match clash {
            Some(path) => Err(Error::WouldOverwriteInput { path }),
            None => Ok(outputs),
        }
    }
}

impl UndoArgs {
    /// Every file the undo reads and writes, beside the import's results file; refused when a
    /// file it writes is one it reads (however spelled: a link named as its output).
    pub(super) fn files(&self) -> Result<UndoFiles, Error> {
        let files = UndoFiles {
            log: ledger::undo_log::path_for(&self.results),
            output: beside(&self.results, "undo-results.csv"),
            lock: lock::path_for(&self.results),
            results: self.results.clone(),
        };
        for written in [&files.output, &files.lock] {
            if let Some(read) = [&files.results, &files.log]
                .into_iter()
                .find(|read| same_file(written, read))
            {
                return Err(Error::UndoWouldOverwrite {
                    path: written.clone(),
                    read: read.clone(),
                });
            }
        }
        Ok(files)
    }
}

impl OutputArgs {
    /// The annotated workbook: `--report`, else with `by_default` `<results stem>.report.xlsx`;
    /// none with `--no-report`.
    fn report(&self, results: &Path, by_default: bool) -> Option<PathBuf> {
        match (&self.report, self.no_report) {
            (_, true) => None,
            (Some(path), false) => Some(path.clone()),
            (None, false) => by_default.then(|| beside(results, "report.xlsx")),
        }
    }
}

/// `<stem of path>.<suffix>` in the folder of `path`.
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{stem}.{suffix}"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
