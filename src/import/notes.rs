//! What a row's writes leave behind before they leave: the journal's `S` lines (so that
//! `--resume` looks a create up before sending it again) and the undo log's lines (so that
//! `undo` knows every write the store may have received). Both must be on the file first: a
//! line that cannot be written keeps the write from leaving and stops the run.

use super::job::Job;
use super::send::Sender;
use super::send::create::create_request;
use crate::ledger::undo_log::{Line, LineText};

impl Sender {
    /// Notes in the journal that these rows' creates (one, or a batch's) are about to leave.
    /// `false` when that cannot be written: the creates must then not leave, and the run stops.
    /// Without its `S` line, a create that reached the store would not be looked up on
    /// `--resume` and could be sent twice.
    pub(super) fn note_sending(&self, rows: &[u64]) -> bool {
        let noted = match (&self.journal, rows) {
            (None, _) => true,
            (Some(journal), [row]) => journal.sending(*row),
            (Some(journal), rows) => journal.sending_all(rows),
        };
        if !noted {
            self.engine
                .stop()
                .abort("the journal cannot be written: no more rows are sent".into());
        }
        noted
    }

    /// Logs in the undo log the creates of these rows, about to leave; `false` (and the run
    /// stops) when that cannot be written: a create `undo` does not know of could not be undone.
    pub(super) fn note_creates(&self, jobs: &[&Job]) -> bool {
        let lines: Vec<LineText> = jobs
            .iter()
            .map(|job| {
                let sent = create_request(&job.request);
                Line::create(job.row, job.line, &job.email, &sent).text()
            })
            .collect();
        self.note_writes(&lines)
    }

    pub(super) fn note_writes(&self, lines: &[LineText]) -> bool {
        let Some(undo) = &self.undo else {
            return true;
        };
        let noted = lines.is_empty() || undo.sending(lines);
        if !noted {
            self.engine
                .stop()
                .abort("the undo log cannot be written: no more rows are sent".into());
        }
        noted
    }
}
