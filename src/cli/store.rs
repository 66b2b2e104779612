//! The store and sending options that `import` and `plan` share, and `plan`'s own: a plan
//! reads the store exactly as the import with the same options would.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use secrecy::SecretString;

use super::help::{SENDING, STORE};
use super::outputs::RunKind;
use super::{
    DEFAULT_API_URL, DEFAULT_RATE, InputArgs, OutputArgs, TemplateArgs, parse_timeout, read_token,
};
use crate::config::{Config, Connection, Mode, OnExisting, ReadBackMode, SendConfig, SnapshotMode};
use crate::ecwid::ClientConfig;
use crate::error::Error;
use crate::report::progress::ProgressMode;

/// Where the store is and how fast to talk to it: the options every command that sends
/// requests shares (`import`, `plan`, `undo`).
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Ecwid store ID
    #[arg(
        long,
        env = "ECWID_STORE_ID",
        hide_env_values = true,
        value_name = "ID",
        help_heading = STORE
    )]
    pub(crate) store_id: Option<u64>,
    /// Read the access token from this file (else from ECWID_TOKEN)
    #[arg(long, value_name = "PATH", help_heading = STORE)]
    pub(crate) token_file: Option<PathBuf>,
    /// API base; requests go to {api-url}/{store-id}/...
    #[arg(
        long,
        env = "ECWID_API_URL",
        hide_env_values = true,
        default_value = DEFAULT_API_URL,
        value_name = "URL",
        help_heading = STORE
    )]
    pub(crate) api_url: String,
    /// Requests per minute for all requests of the run: no 60-second window holds more
    #[arg(
        long,
        default_value_t = DEFAULT_RATE,
        value_parser = clap::value_parser!(u32).range(1..),
        help_heading = SENDING
    )]
    pub(crate) rate: u32,
    /// Requests in flight at most
    #[arg(
        long,
        default_value_t = 8,
        value_parser = clap::value_parser!(u32).range(1..=256),
        help_heading = SENDING
    )]
    pub(crate) concurrency: u32,
    /// Retries of one row (of `undo`: one customer) after a 5xx, a timeout or a lost connection
    #[arg(
        long,
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(0..=100),
        help_heading = SENDING
    )]
    pub(crate) max_retries: u32,
    /// Per-request timeout in seconds; also the longest Ctrl-C waits for the work in flight
    #[arg(
        long,
        default_value_t = 30.0,
        value_name = "SECS",
        value_parser = parse_timeout,
        help_heading = SENDING
    )]
    pub(crate) timeout: f64,
}

impl ConnectionArgs {
    /// The client's settings and the sending's pace, for the store `at`.
    pub(crate) fn connection(&self, at: StoreAt) -> Result<Connection, Error> {
        let (store_id, api_url, token) = match at {
            StoreAt::Named { env_token } => (
                self.store_id.ok_or(Error::NoStoreId)?,
                self.api_url.clone(),
                read_token(self.token_file.as_deref(), env_token)?,
            ),
            StoreAt::Started {
                store_id,
                api_url,
                token,
            } => (store_id, api_url, token),
        };
        Ok(Connection {
            client: ClientConfig {
                api_url,
                store_id,
                token,
                timeout: Duration::from_secs_f64(self.timeout),
                max_connections: self.concurrency as usize,
            },
            rate: NonZeroU32::new(self.rate).unwrap_or(NonZeroU32::MIN),
            concurrency: self.concurrency as usize,
            max_retries: self.max_retries,
        })
    }
}

impl TemplateArgs {
    /// The store to read extra fields from, when `--store-id` names one: one request, at the
    /// default pace, not retried after a 5xx (a store that does not answer only costs the
    /// titles, and says so).
    pub(crate) fn connection(
        &self,
        env_token: Option<String>,
    ) -> Result<Option<Connection>, Error> {
        let Some(store_id) = self.store_id else {
            return Ok(None);
        };
        Ok(Some(Connection {
            client: ClientConfig {
                api_url: self.api_url.clone(),
                store_id,
                token: read_token(self.token_file.as_deref(), env_token)?,
                timeout: Duration::from_secs(30),
                max_connections: 1,
            },
            rate: NonZeroU32::new(DEFAULT_RATE).unwrap_or(NonZeroU32::MIN),
            concurrency: 1,
            max_retries: 0,
        }))
    }
}

/// Which store a run talks to.
pub(crate) enum StoreAt {
    /// The store of `--store-id` and `--api-url`, with the token of `--token-file`, else
    /// `env_token` (`ECWID_TOKEN`).
    Named { env_token: Option<String> },
    /// A store this program started for the run (`import --sandbox`), gone with it: its own
    /// address and token, and no journal or undo log (nothing could be resumed or undone).
    #[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
    Started {
        store_id: u64,
        api_url: String,
        token: SecretString,
    },
}

/// The store and sending options `import` and `plan` share: a plan reads the store as the
/// import that follows it would, and decides alike.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    #[command(flatten)]
    pub(crate) connection: ConnectionArgs,
    /// When the email already exists in the store: leave the customer alone (status exists),
    /// send only the fields the row changes (updated, or unchanged when none; a blank cell, or
    /// no acceptMarketing column, leaves the store's value; a list is sent whole, the store's
    /// entries kept as they are), or fail the row. Customers of past guest orders exist
    /// already, without addresses: update fills them in (needs the scope update_customers)
    #[arg(long, value_enum, default_value_t = OnExisting::Skip, help_heading = STORE)]
    pub(crate) on_existing: OnExisting,
    /// Read the store's customers first (100 a request) and settle rows whose email exists
    /// without a request. auto: when the listing costs at most a tenth of the file's valid
    /// rows in requests, or else when 20 sampled look-ups predict more than half as many
    /// existing rows as the listing costs requests; always; never (one create, and a look-up
    /// after a 409, per row)
    #[arg(long, value_enum, default_value_t = SnapshotMode::Auto, help_heading = STORE)]
    pub(crate) snapshot: SnapshotMode,
    /// After the writes, read back what the store kept (listing, 100 customers a request; a
    /// plan says what that costs) and note in the row's error each field it did not keep as sent. sample: the first 100
    /// customers of each kind of write (one or two requests); all: every one; none. Such fields
    /// are remembered in <results stem>.not-kept.json beside the results file, and later runs
    /// send no update for them; delete that file to forget them
    #[arg(long, value_enum, default_value_t = ReadBackMode::Sample, help_heading = SENDING)]
    pub(crate) read_back: ReadBackMode,
    /// Create the customer groups the file names (customerGroupName) and the store lacks: each
    /// once, before any customer is sent, journaled so that undo removes them when they hold no
    /// customer; plan lists them with how many customers each gets. Needs the scope
    /// create_customers, and customer groups need Ecwid's Business plan or higher (a store
    /// without them stops the run before any customer is created, exit 3)
    #[arg(long, help_heading = STORE)]
    pub(crate) create_groups: bool,
}

/// `plan`: the input, store and sending options of `import`, without those of writing
/// (`--resume`, `--batch`).
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

impl PlanArgs {
    /// The settings of a plan: an import's, read-only, with no journal or undo log (nothing
    /// is written to the store, so there is nothing to resume or undo).
    pub(crate) fn config(
        &self,
        progress: ProgressMode,
        env_token: Option<String>,
    ) -> Result<Config, Error> {
        let outputs = self.input.outputs(&self.out, RunKind::Plan)?;
        self.input.config_with(progress, outputs, || {
            let connection = self
                .store
                .connection
                .connection(StoreAt::Named { env_token })?;
            Ok(Mode::Plan(self.store.send_config(connection)))
        })
    }
}

impl StoreArgs {
    /// How rows are compared with and sent to the store reached through `connection`.
    pub(super) fn send_config(&self, connection: Connection) -> SendConfig {
        SendConfig {
            connection,
            on_existing: self.on_existing,
            snapshot: self.snapshot,
            create_groups: self.create_groups,
            read_back: self.read_back,
        }
    }
}
