//! The command line: clap's raw arguments, turned once into a checked [`Config`]. Only `lib.rs`
//! sees these arguments; the stages below it take the [`Config`].

use std::path::{Path, PathBuf};
use std::time::Duration;

mod export;
mod help;
mod outputs;
mod store;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

use crate::config::{Config, Lane, Mode, Outputs, Writes};
use crate::error::Error;
use crate::input::mapping::Layout;
use crate::input::mapping_file::MappingFile;
use crate::input::presets::Preset;
use crate::input::source::ReadOptions;
use crate::report::progress::ProgressMode;
#[cfg(feature = "sandbox")]
use crate::sandbox::SandboxArgs;
use crate::undo::UndoConfig;
pub use export::ExportArgs;
use help::{
    COMPLETIONS_AFTER_HELP, EXPORT_AFTER_HELP, IMPORT_AFTER_HELP, INPUT, OUTPUT, PLAN_AFTER_HELP,
    PLAN_OUTPUT_HELP, SENDING, STORE, TEMPLATE_AFTER_HELP, UNDO_AFTER_HELP, VALIDATE_AFTER_HELP,
    VALIDATE_OUTPUT_HELP,
};
use outputs::RunKind;
pub(crate) use store::StoreAt;
pub use store::{ConnectionArgs, PlanArgs, StoreArgs};

pub(crate) use crate::ecwid::DEFAULT_API_URL;
pub(crate) use crate::ecwid::engine::DEFAULT_RATE;
/// Rows per batch with `--batch`: big enough to save 99 requests in 100, small enough that
/// results keep coming and one slow row holds up few others.
pub(crate) const DEFAULT_BATCH_SIZE: u32 = 100;
/// Seconds a batch may take before it is stopped and its rows looked up (`--batch-timeout`).
pub(crate) const DEFAULT_BATCH_TIMEOUT: u64 = 900;

#[derive(Debug, Parser)]
#[command(
    name = "ecwid-import",
    version,
    about = "Bulk-import customers from a CSV file or a workbook into an Ecwid store",
    after_help = help::TOP_AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Only warnings, errors and the one-line outcome: no progress, no INFO lines, no summary
    /// block (--summary-json is written all the same)
    #[arg(
        short,
        long,
        global = true,
        display_order = 900,
        help_heading = OUTPUT
    )]
    pub quiet: bool,
    /// More log detail: -v for each request's outcome, -vv for everything
    #[arg(
        short,
        long,
        action = ArgAction::Count,
        global = true,
        display_order = 901,
        help_heading = OUTPUT
    )]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the file, then create its customers in the store
    #[command(after_help = IMPORT_AFTER_HELP)]
    Import(ImportArgs),
    /// Say what import would do, by reading the store: sends no write
    #[command(
        after_help = PLAN_AFTER_HELP,
        mut_arg("output", |arg| arg.help(PLAN_OUTPUT_HELP)),
        mut_arg("store_id", |arg| arg.help("Ecwid store ID"))
    )]
    Plan(PlanArgs),
    /// Reverse an import: delete the customers it created, restore those it updated
    #[command(after_help = UNDO_AFTER_HELP)]
    Undo(UndoArgs),
    /// Write the store's customers to a CSV file or workbook that imports back unchanged
    #[command(after_help = EXPORT_AFTER_HELP)]
    Export(ExportArgs),
    /// Check the file offline: same mapping and rules as import, nothing sent, no token needed
    #[command(
        after_help = VALIDATE_AFTER_HELP,
        mut_arg("output", |arg| arg.help(VALIDATE_OUTPUT_HELP))
    )]
    Validate(ValidateArgs),
    /// Print the header line with every supported column
    #[command(after_help = TEMPLATE_AFTER_HELP)]
    Template(TemplateArgs),
    /// Print a shell completion script
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Run a local stand-in of the Ecwid API on 127.0.0.1, for trying things out and for tests
    #[cfg(feature = "sandbox")]
    #[command(after_help = help::SANDBOX_AFTER_HELP)]
    Sandbox(SandboxArgs),
}

/// What a run writes beside the results of its rows; shared by `import`, `plan` and `validate`,
/// flattened last so that `--help` lists these options after the input, store and sending.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Results CSV [default: <input stem>.results.csv beside the input; with --dry-run
    /// <input stem>.validation.csv]
    #[arg(short, long, value_name = "PATH", help_heading = OUTPUT)]
    pub(crate) output: Option<PathBuf>,
    /// Also write the summary as JSON, for schedulers
    #[arg(long, value_name = "PATH", help_heading = OUTPUT)]
    pub(crate) summary_json: Option<PathBuf>,
    /// Also write the annotated workbook (.xlsx) here: the file's own cells with a status and
    /// a message column, bad cells highlighted with a note, and a Summary sheet; fix it and
    /// import it as it is [default for validate and plan: <output stem>.report.xlsx]
    #[arg(long, value_name = "PATH", help_heading = OUTPUT)]
    pub(crate) report: Option<PathBuf>,
    /// Write no annotated workbook (validate and plan write one by default)
    #[arg(long, conflicts_with = "report", help_heading = OUTPUT)]
    pub(crate) no_report: bool,
}

/// `validate`: the input and what is written about it.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

/// The input and how it is read; shared by `import`, `plan` and `validate`.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The customer file: CSV, or a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods)
    pub(crate) file: PathBuf,
    /// Field delimiter: , ; tab or | [default: detected from the header]
    #[arg(long, value_parser = parse_delimiter, help_heading = INPUT)]
    pub(crate) delimiter: Option<u8>,
    /// Encoding of a file without BOM, e.g. windows-1252 [default: UTF-8]
    #[arg(long, value_name = "LABEL", help_heading = INPUT)]
    pub(crate) encoding: Option<String>,
    /// The sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods): its name (ignoring case) or
    /// its number, counted from 1 [default: the first visible sheet]
    #[arg(long, value_name = "NAME|N", help_heading = INPUT)]
    pub(crate) sheet: Option<String>,
    /// The export the file comes from (see docs/presets-and-mappings.md); auto detects
    /// it from the header (when none is found: canonical names, then columns matched by
    /// meaning, e.g. Vorname, Code postal; ecwid: canonical names only)
    #[arg(long, value_enum, default_value_t = PresetArg::Auto, help_heading = INPUT)]
    pub(crate) preset: PresetArg,
    /// A TOML file mapping columns to fields, in place of the preset for the fields it names
    /// (`ecwid-import template --mapping` prints a starter file)
    #[arg(long, value_name = "FILE", help_heading = INPUT)]
    pub(crate) mapping: Option<PathBuf>,
}

/// `--preset`: a preset, or detection. Plain comments on the values: doc comments would make
/// clap print every option's help in its long layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PresetArg {
    // Detected from the header
    Auto,
    // The canonical column names (`ecwid-import template`)
    Ecwid,
    // Shopify's customer export
    Shopify,
    // WooCommerce customers and WordPress users (WebToffee, SkyVerge, Analytics)
    Woocommerce,
    // Magento 2's customer main file or composite file
    Magento,
    // BigCommerce's customer export
    Bigcommerce,
    // PrestaShop's customer list export
    Prestashop,
    // Wix's contacts export
    Wix,
    // Squarespace's contacts (profiles) export
    Squarespace,
    // Mailchimp's audience export
    Mailchimp,
    // HubSpot's contacts export
    Hubspot,
    // Stripe's customers export (unified_customers.csv)
    Stripe,
}

impl PresetArg {
    fn preset(self) -> Option<Preset> {
        match self {
            PresetArg::Auto => None,
            PresetArg::Ecwid => Some(Preset::Ecwid),
            PresetArg::Shopify => Some(Preset::Shopify),
            PresetArg::Woocommerce => Some(Preset::WooCommerce),
            PresetArg::Magento => Some(Preset::Magento),
            PresetArg::Bigcommerce => Some(Preset::BigCommerce),
            PresetArg::Prestashop => Some(Preset::PrestaShop),
            PresetArg::Wix => Some(Preset::Wix),
            PresetArg::Squarespace => Some(Preset::Squarespace),
            PresetArg::Mailchimp => Some(Preset::Mailchimp),
            PresetArg::Hubspot => Some(Preset::HubSpot),
            PresetArg::Stripe => Some(Preset::Stripe),
        }
    }
}

/// `template`'s options.
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// With --mapping: the mapping this file's columns get (canonical names and columns
    /// matched by meaning), one line per field the run would fill, then as comments the columns
    /// recognised but left out and those not imported; fix or delete a line, then use --mapping.
    /// For a file of a known export: the preset's mapping, each line commented out
    #[arg(long, value_name = "FILE", requires = "mapping", help_heading = INPUT)]
    pub(crate) from: Option<PathBuf>,
    /// With --from: its field delimiter, as for import [default: detected from the header]
    #[arg(long, value_parser = parse_delimiter, requires = "from", help_heading = INPUT)]
    pub(crate) delimiter: Option<u8>,
    /// With --from: the encoding of a file without BOM, as for import [default: UTF-8]
    #[arg(long, value_name = "LABEL", requires = "from", help_heading = INPUT)]
    pub(crate) encoding: Option<String>,
    /// With --from: the sheet of a workbook, as for import [default: the first visible sheet]
    #[arg(long, value_name = "NAME|N", requires = "from", help_heading = INPUT)]
    pub(crate) sheet: Option<String>,
    /// Print a commented starter mapping file (for --mapping) instead of the header line
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) mapping: bool,
    /// With --from: also read this store's customer extra fields (one request; the token from
    /// ECWID_TOKEN or --token-file, scope read_customers_extrafields), so that a column named
    /// as a field is titled gets a line for the field's key, as import and plan map it
    #[arg(long, value_name = "ID", requires = "from", help_heading = STORE)]
    pub(crate) store_id: Option<u64>,
    /// With --store-id: read the access token from this file (else from ECWID_TOKEN)
    #[arg(long, value_name = "PATH", requires = "store_id", help_heading = STORE)]
    pub(crate) token_file: Option<PathBuf>,
    /// With --store-id: the API base
    #[arg(long, value_name = "URL", default_value = DEFAULT_API_URL, help_heading = STORE)]
    pub(crate) api_url: String,
}

impl TemplateArgs {
    /// How `--from` is read: as `import` would read it.
    pub(crate) fn read_options(&self) -> ReadOptions<'_> {
        ReadOptions {
            delimiter: self.delimiter,
            encoding: self.encoding.as_deref(),
            sheet: self.sheet.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("lane_choice").args(["batch", "lane"])))]
pub struct ImportArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    /// Continue an interrupted run with the same input and output: rows already finished are
    /// not sent again (starts from the first row when there is nothing to continue)
    #[arg(long, help_heading = SENDING)]
    pub(crate) resume: bool,
    /// How writes are sent: `direct` (one request each, the default), `batch` (groups of rows
    /// through Ecwid's batch endpoint: far fewer requests, results a group at a time) or `auto`
    /// (batches when there are at least --batch-size rows to send, else direct); see "Batch
    /// mode" in docs/sending-and-safety.md
    #[arg(long, value_enum, value_name = "LANE", help_heading = SENDING)]
    pub(crate) lane: Option<Lane>,
    /// The same as --lane batch
    #[arg(long, conflicts_with = "lane", help_heading = SENDING)]
    pub(crate) batch: bool,
    /// Rows per batch in the batch lane (Ecwid takes at most 500 requests in one batch)
    #[arg(
        long,
        default_value_t = DEFAULT_BATCH_SIZE,
        value_name = "N",
        requires = "lane_choice",
        help_heading = SENDING,
        value_parser = clap::value_parser!(u32).range(1..=500)
    )]
    pub(crate) batch_size: u32,
    /// Seconds a batch may take (queued or running) before it is given up: it is stopped first
    /// (`DELETE /batch?ticketId=`, so it can never run later), then its rows are looked up one
    /// by one; rows of a batch the store did not confirm stopped stay failed until `--resume`
    /// checks them again
    #[arg(
        long,
        default_value_t = DEFAULT_BATCH_TIMEOUT,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = SENDING
    )]
    pub(crate) batch_timeout: u64,
    /// Only check the file, like `validate`: nothing is sent, no token needed
    #[arg(long, help_heading = SENDING)]
    pub(crate) dry_run: bool,
    /// Import into a sandbox store started inside this program (no account or token needed;
    /// --store-id, --api-url and the token are not used)
    #[cfg(feature = "sandbox")]
    #[arg(long, help_heading = help::STORE)]
    pub(crate) sandbox: bool,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

/// `undo`: the import's results file and the store options of `import`.
#[derive(Debug, Clone, Args)]
pub struct UndoArgs {
    /// The results file of the import to reverse (its undo log is beside it)
    pub(crate) results: PathBuf,
    #[command(flatten)]
    pub(crate) connection: ConnectionArgs,
    /// Write to the store; without it, only say what would be done (would_delete,
    /// would_restore)
    #[arg(long, help_heading = SENDING)]
    pub(crate) yes: bool,
    /// How the reads and writes are sent: `direct` (one request each, the default), `batch`
    /// (a group's reads in one batch, then its deletes and restores in another) or `auto`
    /// (batches when at least --batch-size writes are logged)
    #[arg(long, value_enum, value_name = "LANE", default_value = "direct", help_heading = SENDING)]
    pub(crate) lane: Lane,
    /// Logged writes per group in the batch lane (Ecwid takes at most 500 requests in one batch)
    #[arg(
        long,
        default_value_t = DEFAULT_BATCH_SIZE,
        value_name = "N",
        help_heading = SENDING,
        value_parser = clap::value_parser!(u32).range(1..=500)
    )]
    pub(crate) batch_size: u32,
    /// Seconds a batch may take before it is given up: it is stopped first, then its writes
    /// are undone one by one from a fresh read
    #[arg(
        long,
        default_value_t = DEFAULT_BATCH_TIMEOUT,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = SENDING
    )]
    pub(crate) batch_timeout: u64,
}

impl UndoArgs {
    /// The settings of an undo; `env_token` is `ECWID_TOKEN`.
    pub(crate) fn config(&self, env_token: Option<String>) -> Result<UndoConfig, Error> {
        Ok(UndoConfig {
            files: self.files()?,
            yes: self.yes,
            connection: self.connection.connection(StoreAt::Named { env_token })?,
            lane: self.lane,
            batch_size: self.batch_size as usize,
            batch_timeout: Duration::from_secs(self.batch_timeout),
        })
    }
}

impl InputArgs {
    /// The settings of a check of the file (`validate`, `import --dry-run`).
    pub(crate) fn check_config(
        &self,
        out: &OutputArgs,
        progress: ProgressMode,
    ) -> Result<Config, Error> {
        let outputs = self.outputs(out, RunKind::Check)?;
        self.config_with(progress, outputs, || Ok(Mode::Check))
    }

    /// The settings of a run writing `outputs` (already checked against the input). `mode` is
    /// asked last, once the mapping file is known good: a run refused for its files or mapping
    /// says so before it asks for a token.
    fn config_with(
        &self,
        progress: ProgressMode,
        outputs: Outputs,
        mode: impl FnOnce() -> Result<Mode, Error>,
    ) -> Result<Config, Error> {
        let mapping = self
            .mapping
            .as_ref()
            .map(|path| {
                MappingFile::read(path).map_err(|source| Error::MappingInvalid {
                    path: path.clone(),
                    source,
                })
            })
            .transpose()?;
        Ok(Config {
            layout: Layout {
                preset: self.preset.preset(),
                mapping,
            },
            input: self.file.clone(),
            outputs,
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            sheet: self.sheet.clone(),
            progress,
            mode: mode()?,
        })
    }
}

impl ImportArgs {
    /// Every file the import writes (of a dry run: a check's), refused when one of them is the
    /// input; `journal`: whether the store outlives the run (a store started for the run is
    /// gone with it: nothing to resume or undo, so no journal or undo log).
    pub(crate) fn outputs(&self, journal: bool) -> Result<Outputs, Error> {
        let kind = match self.dry_run {
            true => RunKind::Check,
            false => RunKind::Import { journal },
        };
        self.input.outputs(&self.out, kind)
    }

    /// The settings of an import into the store `at` (a dry run: of a check of the file).
    pub(crate) fn config(&self, progress: ProgressMode, at: StoreAt) -> Result<Config, Error> {
        if self.dry_run {
            return self.input.check_config(&self.out, progress);
        }
        let outputs = self.outputs(matches!(at, StoreAt::Named { .. }))?;
        self.input.config_with(progress, outputs, || {
            let connection = self.store.connection.connection(at)?;
            let lane = self.lane();
            let writes = Writes {
                resume: self.resume,
                lane,
                batch_size: (lane != Lane::Direct).then_some(self.batch_size as usize),
                batch_timeout: Duration::from_secs(self.batch_timeout),
            };
            Ok(Mode::Import(self.store.send_config(connection), writes))
        })
    }

    /// The lane chosen: `--lane`, else `--batch`, else direct.
    pub(crate) fn lane(&self) -> Lane {
        match (self.lane, self.batch) {
            (Some(lane), _) => lane,
            (None, true) => Lane::Batch,
            (None, false) => Lane::Direct,
        }
    }
}

/// The token: from `token_file` when given, else `env_token` (`ECWID_TOKEN`).
pub(crate) fn read_token(
    token_file: Option<&Path>,
    env_token: Option<String>,
) -> Result<SecretString, Error> {
    let token = match token_file {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|source| Error::TokenFileUnreadable {
                path: path.to_path_buf(),
                source,
            })?
        }
        None => env_token.unwrap_or_default(),
    };
    let token = token.trim();
    if token.is_empty() {
        return Err(match token_file {
            Some(path) => Error::EmptyTokenFile {
                path: path.to_path_buf(),
            },
            None => Error::NoToken,
        });
    }
    Ok(SecretString::from(token.to_string()))
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        _ => Err("use one of , ; tab |".into()),
    }
}

fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 3600.0 => Ok(secs),
        _ => Err("give a number of seconds above 0 and at most 3600".into()),
    }
}
