//! `export`: the store's customers (or those a filter picks) as a CSV file or a workbook in the
//! canonical columns, which imports back unchanged.
//!
//! The store is read through the listing loop the import's snapshot uses
//! ([`crate::store::listing`]), 100 customers a request, through the same engine as every other
//! command (rate budget, retries, 429 pauses, a refused token stopping the run). Each customer
//! becomes a row ([`row`]) spooled to disk, and the file is written from the spool only once
//! the store has been read to the end ([`file`]): a run that is stopped or fails leaves no file
//! at the output path (a file there from before stays as it was), and says how many customers
//! it had read.

mod file;
mod row;

use std::path::PathBuf;

use crate::config::Connection;
use crate::ecwid::ListFilter;
use crate::ecwid::engine::{Engine, Failure, Kind, Stop};
use crate::error::Error;
use crate::outcome::ExitStatus;
use crate::report::ending::ending;
use crate::report::progress::{Progress, ProgressMode};
use crate::report::temp_files::TempFiles;
use crate::store::groups::read_groups;
use crate::store::listing;
use crate::store::snapshot::grouped;
use crate::words::count;
pub(crate) use file::Format;
use file::{MAX_WORKBOOK_ROWS, Spool};

/// Customers named one by one in warnings (a record that cannot be read whole); the rest are
/// counted.
const NAMED: u64 = 20;

/// The checked settings of an export.
#[derive(Debug, Clone)]
pub(crate) struct ExportConfig {
    pub(crate) output: PathBuf,
    /// One run per output at a time ([`crate::lock`]): `<output>.lock`.
    pub(crate) lock: PathBuf,
    pub(crate) format: Format,
    /// Registered at this time (UNIX seconds) or later.
    pub(crate) created_from: Option<u64>,
    /// Changed at this time (UNIX seconds) or later.
    pub(crate) updated_from: Option<u64>,
    /// Only the customers of the group of this name.
    pub(crate) group: Option<String>,
    /// The store; its concurrency bounds the pages in flight (the listing asks for a few ahead).
    pub(crate) connection: Connection,
    pub(crate) progress: ProgressMode,
}

/// What the reading of the store found besides the rows.
#[derive(Debug, Default)]
struct Read {
    /// Customers whose record has no id that can be read: not in the file.
    left_out: u64,
    /// Customers written with a field that could not be read left blank.
    partial: u64,
    /// Customers whose group the store gave by id only.
    group_by_id: u64,
    /// Whether the store's count fell while it was read (customers deleted meanwhile).
    shrank: bool,
}

/// Exports the store's customers to `config.output` and sums the run up on stderr.
pub(crate) async fn run(
    config: &ExportConfig,
    stop: &Stop,
    temp_files: &TempFiles,
) -> Result<ExitStatus, Error> {
    let engine = config.connection.engine(stop)?.read_only();
    let output_error = |source| Error::Output {
        path: config.output.clone(),
        source,
    };
    let group = match &config.group {
        Some(name) => match group_id(&engine, name).await {
            Ok(id) => Some(id?),
            Err(failure) => return Ok(stopped(config, &engine, &failure, 0, 0)),
        },
        None => None,
    };
    let filter = ListFilter {
        created_from: config.created_from,
        updated_from: config.updated_from,
        group,
        ..ListFilter::default()
    };
    let mut spool = Spool::create(&config.output, temp_files).map_err(output_error)?;
    let mut progress = Progress::start(config.progress, 0);
    let mut read = Read::default();
    let mut total = 0;
    let mut spool_error = None;
    let listed = listing::read_all(&engine, &filter, |page| {
        total = total.max(page.total).max(spool.rows);
        for unreadable in page.unreadable {
            read.left_out += 1;
            let email = unreadable.email.unwrap_or_else(|| "(no email)".into());
            tracing::warn!(
                "a customer of the store cannot be read ({}): {email} is not in the file",
                unreadable.problem
            );
        }
        for found in page.customers {
            let row = row::cells(&found.record);
            if let Some(problem) = &found.record.unreadable {
                read.partial += 1;
                if read.partial <= NAMED {
                    tracing::warn!(
                        "customer {} ({}): {problem}; that cell is left blank",
                        found.id,
                        found.record.email.as_deref().unwrap_or_default()
                    );
                }
            }
            read.group_by_id += u64::from(row.group_by_id);
            if spool_error.is_none()
                && let Err(e) = spool.add(&row)
            {
                spool_error = Some(e);
            }
        }
        progress.count(spool.rows, total, "customers read");
    })
    .await;
    if let Some(e) = spool_error {
        return Err(output_error(e));
    }
    let listed = match listed {
        Ok(listed) => listed,
        Err(failure) => return Ok(stopped(config, &engine, &failure, spool.rows, total)),
    };
    read.shrank = listed.shrank;
    if !listed.complete {
        let text = format!(
            "export: stopped after {} customers: the store lists more than {} customers from one \
             registration time, and the rest cannot be read in order\n\
             no file was written at {}\n",
            grouped(spool.rows),
            grouped(listing::RESTART_AFTER),
            config.output.display()
        );
        eprint_summary(&text);
        return Ok(ExitStatus::RowsFailed);
    }
    if config.format == Format::Xlsx && spool.rows > MAX_WORKBOOK_ROWS {
        let text = format!(
            "export: {} customers are more than a worksheet holds ({}): export to a .csv file\n\
             no file was written at {}\n",
            grouped(spool.rows),
            grouped(MAX_WORKBOOK_ROWS),
            config.output.display()
        );
        eprint_summary(&text);
        return Ok(ExitStatus::Usage);
    }
    let rows = spool.rows;
    spool
        .finish(&config.output, config.format, temp_files)
        .map_err(output_error)?;
    Ok(finished(config, &engine, rows, &read))
}

/// The id of the customer group named `name` (case and surrounding spaces aside); `Err` when
/// the groups could not be read.
async fn group_id(engine: &Engine, name: &str) -> Result<Result<u64, Error>, Failure> {
    let groups = read_groups(engine).await?;
    let found = groups
        .iter()
        .find(|g| g.name.trim().eq_ignore_ascii_case(name.trim()));
    Ok(match found {
        Some(group) => Ok(group.id),
        None => Err(Error::UnknownGroup {
            name: name.to_string(),
            groups: groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    })
}

/// The summary of an export that stopped before the end: how many customers it read, why it
/// stopped, and that no file was written.
fn stopped(
    config: &ExportConfig,
    engine: &Engine,
    failure: &Failure,
    read: u64,
    total: u64,
) -> ExitStatus {
    // A stopped run (Ctrl-C, a refused token) ends as every command's does; a failed read is
    // the export's own.
    let (code, why) = match (
        ending(engine.stop(), false, "nothing more was read"),
        failure,
    ) {
        ((code, Some(why)), _) => (code, why),
        (_, Failure::Failed { error, .. }) if error.status() == Some(402) => (
            ExitStatus::StoreRefused,
            format!("{error}: the store's plan has no customer groups; leave out --group"),
        ),
        (_, Failure::Failed { error, .. }) => (
            ExitStatus::RowsFailed,
            format!("the store could not be read to the end: {error}"),
        ),
        (_, Failure::Stopped) => (ExitStatus::Interrupted, "stopped".to_string()),
    };
    let of = if total > read {
        format!(" of {}", grouped(total))
    } else {
        String::new()
    };
    let text = format!(
        "export: {why}\nread {} {}{of} in {} before it stopped\n\
         no file was written at {} (an earlier file there is as it was); run the export again\n",
        grouped(read),
        if read == 1 { "customer" } else { "customers" },
        count(
            engine.counts().kind(Kind::List).requests,
            "request",
            "requests"
        ),
        config.output.display()
    );
    eprint_summary(&text);
    code
}

/// The summary of a complete export, with what the file may lack.
fn finished(config: &ExportConfig, engine: &Engine, rows: u64, read: &Read) -> ExitStatus {
    let requests: Vec<String> = [Kind::List, Kind::Groups]
        .iter()
        .map(|&kind| (kind.key(), engine.counts().kind(kind).requests))
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| format!("{n} {key}"))
        .collect();
    let mut text = format!(
        "export: {} {} written to {}\nrequests: {}\n",
        grouped(rows),
        if rows == 1 { "customer" } else { "customers" },
        config.output.display(),
        requests.join(", ")
    );
    let mut code = ExitStatus::Ok;
    if read.left_out > 0 {
        code = ExitStatus::RowsFailed;
        text.push_str(&format!(
            "{} customers are not in the file: the store gave records without an id that can be \
             be read (see the warnings above)\n",
            grouped(read.left_out)
        ));
    }
    if read.partial > 0 {
        code = ExitStatus::RowsFailed;
        text.push_str(&format!(
            "{} customers have a field the store gave in a form that cannot be read: that cell \
             is blank (see the warnings above)\n",
            grouped(read.partial)
        ));
    }
    if read.group_by_id > 0 {
        text.push_str(&format!(
            "{} customers are in a group the store gave no name for: written by id \
             (customerGroupId), which means that group in this store only\n",
            grouped(read.group_by_id)
        ));
    }
    if read.shrank {
        code = ExitStatus::RowsFailed;
        text.push_str(
            "customers were deleted while the store was read: a customer listed after them may \
             be missing; run the export again for a file of one moment\n",
        );
    }
    eprint_summary(&text);
    code
}

fn eprint_summary(text: &str) {
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{text}"));
}
