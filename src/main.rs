//! The `ecwid-import` binary: parse the command line, set up logging, run, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use ecwid_import::cli::Cli;
use ecwid_import::error::Error;
use tracing_indicatif::IndicatifLayer;
use tracing_indicatif::filter::{IndicatifFilter, hide_indicatif_span_fields};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::DefaultFields;
use tracing_subscriber::prelude::*;

/// mimalloc: rows are read, checked and recorded on three threads, each freeing what another
/// allocated, which the system allocator does slowly (the figures are in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // As typed; a word that is not UTF-8 is shown as near as it can be (clap took it as it is).
    let invocation: Vec<String> = std::env::args_os()
        .map(|word| word.to_string_lossy().into_owned())
        .collect();
    init_logging(cli.verbose, cli.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(source) => {
            let e = Error::Runtime { source };
            eprintln!("error: {e}");
            return e.exit_status().into();
        }
    };
    let token = std::env::var("ECWID_TOKEN").ok();
    let status = match runtime.block_on(ecwid_import::run_typed(cli, &invocation, token)) {
        Ok(status) => status,
        Err(e) => {
            tracing_indicatif::suspend_tracing_indicatif(|| eprintln!("error: {e}"));
            e.exit_status()
        }
    };
    status.into()
}

/// Logs to stderr through the progress bar's writer, so lines never cut through the bar.
/// `RUST_LOG` overrides the level that `-v` and `-q` set. `-q` keeps warnings and errors only;
/// given with `-v`, the `-v` level wins for the log (the end is still the one-line outcome).
fn init_logging(verbose: u8, quiet: bool) {
    let level = match (verbose, quiet) {
        (0, true) => "ecwid_import=warn",
        (0, false) => "ecwid_import=info",
        (1, _) => "ecwid_import=debug",
        _ => "trace",
    };
    // Colour only for a person at a terminal, and never when NO_COLOR is set to a value
    // (https://no-color.org: an empty NO_COLOR does not count).
    let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colour = std::io::stderr().is_terminal() && !no_colour;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let indicatif = IndicatifLayer::new()
        .with_span_field_formatter(hide_indicatif_span_fields(DefaultFields::new()));
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(indicatif.get_stderr_writer())
        .with_ansi(colour)
        .with_target(false)
        .without_time();
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(indicatif.with_filter(IndicatifFilter::new(false)))
        .init();
}
