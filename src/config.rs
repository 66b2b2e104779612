//! The checked settings of a run, made once from the command line by `cli` (or by a caller of
//! the library) and never changed after. The stages take these settings, never clap's raw
//! arguments, so nothing below `lib.rs` depends on how the command line is spelled.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;

use crate::ecwid::engine::{Engine, RateBudget, Stop};
use crate::ecwid::{Client, ClientConfig};
use crate::error::Error;
use crate::input::mapping::Layout;
use crate::input::source::ReadOptions;
use crate::report::progress::ProgressMode;

/// What to do with a row whose email already exists in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnExisting {
    Skip,
    Update,
    Fail,
}

/// How writes are sent (`--lane`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Lane {
    // The batch lane when there are at least `--batch-size` rows to send (or batches of an
    // interrupted run to poll), else the direct lane.
    Auto,
    // One request a write.
    Direct,
    // Through Ecwid's batch endpoint.
    Batch,
}

/// Whether the store's customers are read before sending (`--snapshot`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SnapshotMode {
    // When it costs fewer requests than probing row by row (`store::snapshot::choose`).
    Auto,
    Always,
    Never,
}

/// What an import reads back of what it wrote (`--read-back`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReadBackMode {
    // The first 100 customers of each kind of write (created, updated).
    Sample,
    // Every customer written.
    All,
    None,
}

/// The checked settings of a run.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) input: PathBuf,
    /// Every file the run writes.
    pub(crate) outputs: Outputs,
    pub(crate) delimiter: Option<u8>,
    pub(crate) encoding: Option<String>,
    /// The sheet of a workbook (`--sheet`): a name or a number from 1.
    pub(crate) sheet: Option<String>,
    /// The preset and mapping file that give the columns their meaning.
    pub(crate) layout: Layout,
    pub(crate) progress: ProgressMode,
    /// What kind of run: a check of the file, a plan or an import.
    pub(crate) mode: Mode,
}

impl Config {
    /// How the input is read.
    pub(crate) fn read_options(&self) -> ReadOptions<'_> {
        ReadOptions {
            delimiter: self.delimiter,
            encoding: self.encoding.as_deref(),
            sheet: self.sheet.as_deref(),
        }
    }
}

/// Every file a run writes, named once (by `cli`, which refuses a run one of them would
/// overwrite the input of).
#[derive(Debug, Clone)]
pub(crate) struct Outputs {
    /// The results file: every row's cells with its status and message.
    pub(crate) results: PathBuf,
    /// The rows to fix, as they were: `<results stem>.failed.csv`.
    pub(crate) failed: PathBuf,
    /// One run per results file at a time ([`crate::lock`]): `<results>.lock`.
    pub(crate) lock: PathBuf,
    /// An import's journal, for `--resume`: `<results>.journal`; `None` when the run keeps
    /// none (a check, a plan, an import into a store gone with the run). A run keeps a journal
    /// and an undo log exactly when they are named here.
    pub(crate) journal: Option<PathBuf>,
    /// An import's undo log, kept with its journal: `<results stem>.undo.jsonl`.
    pub(crate) undo_log: Option<PathBuf>,
    /// The fields the store did not keep as sent ([`crate::store::not_kept`]): written by an
    /// import's read-back, read by a plan and an import (a plan's is that of the import of its
    /// file, beside the import's results); `None` for a check.
    pub(crate) not_kept: Option<PathBuf>,
    /// `--summary-json`.
    pub(crate) summary_json: Option<PathBuf>,
    /// The annotated workbook (`--report`; by default for validate and plan).
    pub(crate) report: Option<PathBuf>,
}

/// Every file `undo` reads and writes, named once from the import's results file (by `cli`,
/// which refuses an undo that would write over a file it reads).
#[derive(Debug, Clone)]
pub(crate) struct UndoFiles {
    /// The import's results file: its lock is the undo's, the other files are beside it.
    pub(crate) results: PathBuf,
    /// The import's undo log, read: `<results stem>.undo.jsonl`.
    pub(crate) log: PathBuf,
    /// What became of each logged write: `<results stem>.undo-results.csv`.
    pub(crate) output: PathBuf,
    /// The import's own lock, `<results>.lock`: an undo never runs beside the import it
    /// reverses, nor beside another undo of it.
    pub(crate) lock: PathBuf,
}

/// The kind of run, with what it needs to reach the store.
#[derive(Debug, Clone)]
pub(crate) enum Mode {
    /// `validate` and `import --dry-run`: the file only; nothing is sent, no token needed.
    Check,
    /// `plan`: the store is read and each row said what it would become; no write leaves.
    Plan(SendConfig),
    /// `import`: the rows are written to the store.
    Import(SendConfig, Writes),
}

impl Mode {
    /// How the store is reached: `None` for a check of the file.
    pub(crate) fn send(&self) -> Option<&SendConfig> {
        match self {
            Mode::Check => None,
            Mode::Plan(send) | Mode::Import(send, _) => Some(send),
        }
    }

    /// What an import writes with: `None` for a check or a plan.
    pub(crate) fn writes(&self) -> Option<&Writes> {
        match self {
            Mode::Import(_, writes) => Some(writes),
            Mode::Check | Mode::Plan(_) => None,
        }
    }

    pub(crate) fn is_check(&self) -> bool {
        matches!(self, Mode::Check)
    }

    pub(crate) fn is_plan(&self) -> bool {
        matches!(self, Mode::Plan(_))
    }
}

/// Where the store is and how fast to talk to it: one value for every command that sends
/// requests (`import`, `plan`, `undo`, `export`), and the one way their engine is built.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    pub(crate) client: ClientConfig,
    /// Requests a minute, for all the run's requests.
    pub(crate) rate: NonZeroU32,
    /// Requests in flight at most.
    pub(crate) concurrency: usize,
    /// Retries of one row (of `undo`: one customer) after a 5xx, a timeout or a lost connection.
    pub(crate) max_retries: u32,
}

impl Connection {
    /// The engine every request of the run goes through; nothing is sent yet. A client that
    /// cannot be set up (a bad API URL) is refused here, before anything is written.
    pub(crate) fn engine(&self, stop: &Stop) -> Result<Engine, Error> {
        let client = Client::new(&self.client).map_err(|source| Error::ClientSetup { source })?;
        Ok(Engine::new(
            client,
            RateBudget::new(self.rate),
            self.concurrency,
            self.max_retries,
            stop.clone(),
        ))
    }
}

/// How rows are compared with and sent to the store: what a plan and the import that follows
/// it share, so that the plan decides as the import would.
#[derive(Debug, Clone)]
pub(crate) struct SendConfig {
    pub(crate) connection: Connection,
    pub(crate) on_existing: OnExisting,
    pub(crate) snapshot: SnapshotMode,
    /// `--create-groups`: create the groups the file names and the store lacks.
    pub(crate) create_groups: bool,
    /// What the import reads back after its writes (a plan says what that would cost).
    pub(crate) read_back: ReadBackMode,
}

/// What only an import has: how its writes are sent and kept track of.
#[derive(Debug, Clone)]
pub(crate) struct Writes {
    pub(crate) resume: bool,
    /// `--lane`; `auto` is settled by the number of rows to send when the run starts.
    pub(crate) lane: Lane,
    /// Rows per batch in the batch lane; `None` with `--lane direct`.
    pub(crate) batch_size: Option<usize>,
    /// How long a batch may take before it is stopped and its rows looked up (`--batch-timeout`).
    pub(crate) batch_timeout: Duration,
}
