//! The checked settings of a run, made once from the command line by `cli` (or by a caller of
//! the library). The stages take these settings, never clap's raw arguments, so nothing below
//! `lib.rs` depends on how the command line is spelled.

use std::num::NonZeroU32;
use std::path::PathBuf;

use clap::ValueEnum;

use crate::ecwid::ClientConfig;
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
    /// `None` for a dry run.
    pub(crate) send: Option<SendConfig>,
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

/// How rows are sent to the store.
#[derive(Debug, Clone)]
pub(crate) struct SendConfig {
    pub(crate) client: ClientConfig,
    pub(crate) rate: NonZeroU32,
    pub(crate) concurrency: usize,
    pub(crate) max_retries: u32,
    pub(crate) on_existing: OnExisting,
    pub(crate) snapshot: SnapshotMode,
    /// `--create-groups`: create the groups the file names and the store lacks.
    pub(crate) create_groups: bool,
    pub(crate) resume: bool,
    /// Rows per batch in the batch lane; `None` with `--lane direct`.
    pub(crate) batch_size: Option<usize>,
    /// `--lane`; `auto` is settled by the number of rows to send when the run starts.
    pub(crate) lane: Lane,
    /// How long a batch may take before it is stopped and its rows looked up (`--batch-timeout`).
    pub(crate) batch_timeout: std::time::Duration,
    /// Whether a journal is kept for `--resume` (not for a sandbox store, gone with the run).
    pub(crate) journal: bool,
    /// `plan`: read the store and say what each row would become; no write leaves.
    pub(crate) plan: bool,
    /// What the import reads back after its writes (a plan says what that would cost).
    pub(crate) read_back: ReadBackMode,
    /// The fields remembered as not kept by the store, beside the import's results file
    /// ([`crate::store::not_kept`]).
    pub(crate) not_kept: PathBuf,
}
