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
    pub(crate) output: PathBuf,
    pub(crate) failed_output: PathBuf,
    pub(crate) delimiter: Option<u8>,
    pub(crate) encoding: Option<String>,
    /// The sheet of a workbook (`--sheet`): a name or a number from 1.
    pub(crate) sheet: Option<String>,
    pub(crate) summary_json: Option<PathBuf>,
    /// The annotated workbook to write (`--report`; by default for validate and plan).
    pub(crate) report: Option<PathBuf>,
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

    /// Whether the run keeps a journal and an undo log: an import into a store that outlives
    /// the run.
    pub(crate) fn journal(&self) -> bool {
        self.writes().is_some_and(|writes| writes.journal)
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
    /// The fields remembered as not kept by the store, beside the import's results file
    /// ([`crate::store::not_kept`]).
    pub(crate) not_kept: PathBuf,
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
    /// Whether a journal (for `--resume`) and an undo log are kept: not for a sandbox store,
    /// gone with the run.
    pub(crate) journal: bool,
}
