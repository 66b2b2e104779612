//! ecwid-import: bulk-import customers from CSV into an Ecwid store through its REST API.
//!
//! [`run`] is the whole program behind the command line; `main.rs` only parses arguments, sets
//! up logging and turns the outcome into an exit status.

pub mod cli;
pub mod customer;
pub mod ecwid;
pub mod error;
pub mod import;
pub mod input;
pub mod report;

use cli::{Cli, Command};
use customer::fields::Field;
use error::{Error, exit};
use import::stop::Stop;
use report::progress::ProgressMode;

/// Runs one command and returns its exit status. `env_token` is the value of `ECWID_TOKEN`.
pub async fn run(cli: Cli, env_token: Option<String>) -> Result<i32, Error> {
    let progress = ProgressMode::detect(cli.quiet);
    let config = match &cli.command {
        Command::Template => {
            println!("{}", template());
            return Ok(exit::OK);
        }
        Command::Validate(input) => input.config(progress)?,
        Command::Import(args) => args.config(progress, env_token)?,
    };
    let stop = Stop::default();
    let signals = tokio::spawn(watch_signals(stop.clone()));
    let summary = import::run(&config, &stop).await;
    signals.abort();
    let summary = summary?;
    if let Some(path) = &config.summary_json {
        summary.write_json(path).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
    }
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{}", summary.to_text()));
    Ok(summary.exit_code)
}

/// The header line with every supported column.
pub fn template() -> String {
    let names: Vec<String> = Field::canonical().iter().map(Field::to_string).collect();
    names.join(",")
}

/// First SIGINT or SIGTERM: stop taking rows and finish cleanly. Second: leave at once.
async fn watch_signals(stop: Stop) {
    #[cfg(unix)]
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return,
    };
    for press in 0.. {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        if press == 0 {
            tracing::warn!(
                "stopping: finishing the requests in flight (press Ctrl-C again to quit at once)"
            );
            stop.interrupt();
        } else {
            std::process::exit(exit::INTERRUPTED);
        }
    }
}
