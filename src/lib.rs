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
pub mod ledger;
pub mod lock;
pub mod outcome;
pub mod report;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub(crate) mod store;
pub(crate) mod undo;

#[cfg(feature = "sandbox")]
use cli::ImportArgs;
use cli::{Cli, Command, StoreAt};
use customer::fields::Field;
use ecwid::engine::Stop;
use error::Error;
use lock::OutputLock;
use outcome::ExitStatus;
use report::next::{Ended, Typed};
use report::progress::ProgressMode;
use report::summary::Summary;
use report::temp_files::TempFiles;
#[cfg(feature = "sandbox")]
use sandbox::{Sandbox, SandboxArgs};

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
        Command::Template(args) if args.mapping => {
            match &args.from {
                Some(path) => {
                    let titles = match args.store(env_token)? {
                        Some(client) => extra_field_titles(&client).await,
                        None => Vec::new(),
                    };
                    print!(
                        "{}",
                        mapping_starter_from(path, args.read_options(), &titles)?
                    );
                }
                None => print!("{}", input::mapping::starter()),
            }
            return Ok(ExitStatus::Ok);
        }
        Command::Template(_) => {
            println!("{}", template());
            return Ok(ExitStatus::Ok);
        }
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
            let _lock = OutputLock::take(&config.results)?;
            return run_undo(&config, &ending).await;
        }
        Command::Export(args) => {
            let config = args.config(progress, env_token)?;
            let _lock = OutputLock::take(&config.output)?;
            return run_export(&config).await;
        }
        Command::Validate(args) => args.input.check_config(&args.out, progress)?,
        Command::Plan(args) => args.config(progress, env_token)?,
        #[cfg(feature = "sandbox")]
        Command::Import(args) if args.sandbox && !args.dry_run => {
            // Before the store starts: a run refused here does nothing at all.
            let outputs = args.outputs(false)?;
            let _lock = OutputLock::take(&outputs.results)?;
            return import_into_sandbox(args, progress, &ending).await;
        }
        Command::Import(args) => args.config(progress, StoreAt::Named { env_token })?,
    };
    // One run per output: held from before the journal or any file is touched to the end.
    let _lock = OutputLock::take(&config.outputs.results)?;
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

/// Runs an import or dry run with signal handling, then reports it with its next steps.
async fn run_config(config: &config::Config, ending: &Ending<'_>) -> Result<ExitStatus, Error> {
    // A scheduler must never read the summary of an earlier run as this one's.
    if let Some(path) = &config.outputs.summary_json
        && let Err(source) = std::fs::remove_file(path)
        && source.kind() != std::io::ErrorKind::NotFound
    {
        return Err(Error::Output {
            path: path.clone(),
            source,
        });
    }
    let stop = Stop::default();
    let temp_files = TempFiles::default();
    let signals = tokio::spawn(watch_signals(stop.clone(), temp_files.clone()));
    let summary = import::run(config, &stop, &temp_files).await;
    signals.abort();
    let mut summary = summary?;
    summary.next_steps = next_steps(config, &summary, ending.typed);
    if let Some(path) = &config.outputs.summary_json {
        summary.write_json(path).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
    }
    let text = if ending.quiet {
        summary.to_line()
    } else {
        summary.to_text()
    };
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{text}"));
    Ok(summary.exit_code)
}

/// What the person can do next after this run (see [`report::next`]).
fn next_steps(
    config: &config::Config,
    summary: &Summary,
    typed: Option<&Typed>,
) -> Vec<report::summary::NextStep> {
    let journal = config.mode.journal();
    let undo_log = config.outputs.undo_log.as_ref();
    let plan = summary.plan.unwrap_or_default();
    report::next::after_import(
        typed,
        &Ended {
            stopped: summary.stopped.is_some(),
            plan: config.mode.send().map(|_| config.mode.is_plan()),
            journal,
            to_fix: summary.to_fix(),
            would_write: plan.create + plan.update,
            results: &summary.output,
            failed_output: &summary.failed_output,
            // The undo log is kept with the journal: not for a plan, nor for `--sandbox`.
            undo_log: undo_log.is_some_and(|log| std::fs::metadata(log).is_ok_and(|m| m.len() > 0)),
        },
    )
}

/// `undo`, with the same signal handling as an import: the first Ctrl-C stops sending, and the
/// results so far are written.
async fn run_undo(config: &undo::UndoConfig, ending: &Ending<'_>) -> Result<ExitStatus, Error> {
    let stop = Stop::default();
    let temp_files = TempFiles::default();
    let signals = tokio::spawn(watch_signals(stop.clone(), temp_files.clone()));
    let code = undo::run(config, &stop, &temp_files, ending.quiet, ending.typed).await;
    signals.abort();
    code
}

/// `export`, with the same signal handling: the first Ctrl-C stops reading, and no file is
/// written; the second removes the temporary files and leaves at once.
async fn run_export(config: &export::ExportConfig) -> Result<ExitStatus, Error> {
    let stop = Stop::default();
    let temp_files = TempFiles::default();
    let signals = tokio::spawn(watch_signals(stop.clone(), temp_files.clone()));
    let code = export::run(config, &stop, &temp_files).await;
    signals.abort();
    code
}

/// The column reference of docs/files-and-columns.md: every canonical column and what it accepts, list
/// positions written `N`.
pub fn column_reference() -> String {
    let mut table = String::from("| column | accepts |\n|---|---|\n");
    for field in Field::canonical() {
        let name = field.to_string().replace(".0.", ".N.");
        let accepts = customer::rules::accepted(field);
        table.push_str(&format!("| `{name}` | {accepts} |\n"));
    }
    table
}

/// The store's customer extra fields as `(key, title)`, for `template --mapping --from` with a
/// store; none (and a warning saying why) when the store will not tell.
async fn extra_field_titles(config: &ecwid::ClientConfig) -> Vec<(String, String)> {
    let client = match ecwid::Client::new(config) {
        Ok(client) => client,
        Err(error) => {
            tracing::warn!("{error}: extra fields are not matched by their titles");
            return Vec::new();
        }
    };
    match client.customer_extra_fields().await {
        Ok(fields) => fields.into_iter().map(|f| (f.key, f.title)).collect(),
        Err(error) => {
            let why = if error.status() == Some(403) {
                "the token's app lacks the scope read_customers_extrafields (a custom app asks \
                 Ecwid for it)"
                    .to_string()
            } else {
                error.to_string()
            };
            tracing::warn!(
                "could not read the store's customer extra fields ({why}): columns named by an \
                 extra field's title are not mapped"
            );
            Vec::new()
        }
    }
}

/// `template --mapping --from FILE`: the mapping the file's columns get, as a mapping file.
fn mapping_starter_from(
    path: &std::path::Path,
    options: input::source::ReadOptions<'_>,
    titles: &[(String, String)],
) -> Result<String, Error> {
    let input = input::source::Input::open(path, options).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    input::mapping::ColumnMap::starter(input.headers(), path, titles).map_err(|source| {
        Error::Header {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// The header line with every supported column.
pub fn template() -> String {
    let names: Vec<String> = Field::canonical().iter().map(Field::to_string).collect();
    names.join(",")
}

/// First SIGINT or SIGTERM: stop taking rows and finish cleanly. Second: leave at once, removing
/// the run's temporary files first, since leaving runs no destructor (the journal stays: it still
/// lets `--resume` finish the job, every create left after its `S` line).
async fn watch_signals(stop: Stop, temp_files: TempFiles) {
    let mut signals = Signals::new();
    signals.next().await;
    tracing::warn!(
        "stopping: finishing the requests in flight (press Ctrl-C again to quit at once)"
    );
    stop.interrupt();
    signals.next().await;
    temp_files.remove_all();
    std::process::exit(ExitStatus::Interrupted.code());
}

/// SIGINT and SIGTERM as one stream; signals that come between two waits are not lost.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = signal(SignalKind::interrupt()).and_then(|int| {
                let term = signal(SignalKind::terminate())?;
                Ok((int, term))
            });
            Self {
                streams: streams.ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        match &mut self.streams {
            Some((int, term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            // Signals cannot be watched: never resolve, the run goes on without them.
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
