//! ecwid-import: bulk-import customers from CSV or a spreadsheet workbook into an Ecwid store
//! through its REST API.
//!
//! [`run`] is the whole program behind the command line; `main.rs` only parses arguments, sets
//! up logging and turns the outcome into an exit status.

pub mod cli;
pub(crate) mod config;
pub mod customer;
pub mod ecwid;
pub mod error;
pub(crate) mod export;
pub mod import;
pub mod input;
mod lane;
pub mod ledger;
pub mod lock;
pub mod outcome;
pub mod report;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod signals;
pub(crate) mod store;
mod template;
pub(crate) mod undo;
mod words;

#[cfg(feature = "sandbox")]
use cli::ImportArgs;
use cli::{Cli, Command, StoreAt};
use error::Error;
use lock::OutputLock;
use outcome::ExitStatus;
use report::next::Typed;
use report::progress::ProgressMode;
#[cfg(feature = "sandbox")]
use sandbox::{Sandbox, SandboxArgs};
use signals::Watched;
pub use template::{column_reference, template};

/// Runs one command and returns how it ended. `env_token` is the value of `ECWID_TOKEN`. The
/// next steps at the end of a run name no command to paste: there is no command line as typed
/// (see [`run_typed`]).
pub async fn run(cli: Cli, env_token: Option<String>) -> Result<ExitStatus, Error> {
    run_typed(cli, &[], env_token).await
}

/// [`run`] for the command line as typed (`argv`, the program first, a word that is not
/// UTF-8 shown as near as it can be), which the next steps at the end of a run are made from.
pub async fn run_typed(
    cli: Cli,
    invocation: &[String],
    env_token: Option<String>,
) -> Result<ExitStatus, Error> {
    let progress = ProgressMode::detect(cli.quiet);
    let typed = Typed::parse(invocation);
    let ending = Ending {
        quiet: cli.quiet,
        typed: typed.as_ref(),
    };
    let config = match &cli.command {
        Command::Template(args) => return template::run(args, env_token).await,
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "ecwid-import", &mut std::io::stdout());
            return Ok(ExitStatus::Ok);
        }
        #[cfg(feature = "sandbox")]
        Command::Sandbox(args) => {
            sandbox::serve(args.clone())
                .await
                .map_err(|source| Error::SandboxStart { source })?;
            return Ok(ExitStatus::Ok);
        }
        Command::Undo(args) => {
            let config = args.config(env_token)?;
            let _lock = OutputLock::take(&config.files.results, &config.files.lock)?;
            return run_undo(&config, &ending).await;
        }
        Command::Export(args) => {
            let config = args.config(progress, env_token)?;
            let _lock = OutputLock::take(&config.output, &config.lock)?;
            return run_export(&config).await;
        }
        Command::Validate(args) => args.input.check_config(&args.out, progress)?,
        Command::Plan(args) => args.config(progress, env_token)?,
        #[cfg(feature = "sandbox")]
        Command::Import(args) if args.sandbox && !args.dry_run => {
            // Before the store starts: a run refused here does nothing at all.
            let outputs = args.outputs(false)?;
            let _lock = OutputLock::take(&outputs.results, &outputs.lock)?;
            return import_into_sandbox(args, progress, &ending).await;
        }
        Command::Import(args) => args.config(progress, StoreAt::Named { env_token })?,
    };
    // One run per output: held from before the journal or any file is touched to the end.
    let _lock = OutputLock::take(&config.outputs.results, &config.outputs.lock)?;
    run_config(&config, &ending).await
}

/// How a run ends on stderr: `-q`'s one line or the whole summary, and the command line as
/// typed, for the next steps.
struct Ending<'a> {
    quiet: bool,
    typed: Option<&'a Typed>,
}

/// `import --sandbox`: the same run, into a sandbox store that lives as long as the run.
#[cfg(feature = "sandbox")]
async fn import_into_sandbox(
    args: &ImportArgs,
    progress: ProgressMode,
    ending: &Ending<'_>,
) -> Result<ExitStatus, Error> {
    let store = Sandbox::start(&SandboxArgs::default())
        .await
        .map_err(|source| Error::SandboxStoreStart { source })?;
    tracing::info!(
        "sandbox store {} at {} (it lives as long as this run)",
        store.store_id(),
        store.api_url()
    );
    // The store is gone with the run: nothing could be resumed, so no journal is kept.
    let at = StoreAt::Started {
        store_id: store.store_id(),
        api_url: store.api_url(),
        token: store.token().to_string().into(),
    };
    let config = args.config(progress, at);
    let code = match config {
        Ok(config) => run_config(&config, ending).await,
        Err(e) => Err(e),
    };
    store.shutdown().await;
    code
}

/// Runs an import, plan or check with signal handling, then reports it with its next steps.
async fn run_config(config: &config::Config, ending: &Ending<'_>) -> Result<ExitStatus, Error> {
    report::ending::clear_summary_json(config)?;
    let watched = Watched::start();
    let summary = import::run(config, &watched.stop, &watched.temp_files).await;
    watched.end();
    report::ending::after_import(config, summary?, ending.typed, ending.quiet)
}

/// `undo`, with the same signal handling as an import: the first Ctrl-C stops sending, and the
/// results so far are written.
async fn run_undo(config: &undo::UndoConfig, ending: &Ending<'_>) -> Result<ExitStatus, Error> {
    let watched = Watched::start();
    let (stop, temp_files) = (&watched.stop, &watched.temp_files);
    let code = undo::run(config, stop, temp_files, ending.quiet, ending.typed).await;
    watched.end();
    code
}

/// `export`, with the same signal handling: the first Ctrl-C stops reading, and no file is
/// written; the second removes the temporary files and leaves at once.
async fn run_export(config: &export::ExportConfig) -> Result<ExitStatus, Error> {
    let watched = Watched::start();
    let code = export::run(config, &watched.stop, &watched.temp_files).await;
    watched.end();
    code
}
