//! `export`'s options: where the file goes, which customers, and the store options every
//! command that talks to the store shares.

use std::path::PathBuf;

use clap::Args;

use super::help::OUTPUT;
use super::store::{ConnectionArgs, StoreAt};
use crate::error::Error;
use crate::export::{ExportConfig, Format};
use crate::report::progress::ProgressMode;

/// The heading of the options that pick customers.
const CUSTOMERS: &str = "Which customers";

/// `export`: the file, the filters, the store.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The file to write: .xlsx for a workbook, any other name for CSV
    #[arg(short, long, value_name = "PATH", help_heading = OUTPUT)]
    pub(crate) output: PathBuf,
    /// Only customers changed at this time or later: a date (2025-01-31, from its start, UTC),
    /// a time (2025-01-31 19:27:50, UTC) or a UNIX timestamp
    #[arg(long, value_name = "DATE", value_parser = parse_since, help_heading = CUSTOMERS)]
    pub(crate) updated_since: Option<u64>,
    /// Only customers registered at this time or later (a date, a time or a UNIX timestamp, as
    /// for --updated-since)
    #[arg(long, value_name = "DATE", value_parser = parse_since, help_heading = CUSTOMERS)]
    pub(crate) created_since: Option<u64>,
    /// Only the customers of this customer group, by its name (case aside)
    #[arg(long, value_name = "NAME", help_heading = CUSTOMERS)]
    pub(crate) group: Option<String>,
    #[command(flatten)]
    pub(crate) connection: ConnectionArgs,
}

impl ExportArgs {
    /// The settings of an export; `env_token` is `ECWID_TOKEN`.
    pub(crate) fn config(
        &self,
        progress: ProgressMode,
        env_token: Option<String>,
    ) -> Result<ExportConfig, Error> {
        Ok(ExportConfig {
            format: Format::of(&self.output),
            output: self.output.clone(),
            lock: crate::lock::path_for(&self.output),
            created_from: self.created_since,
            updated_from: self.updated_since,
            group: self.group.clone(),
            connection: self.connection.connection(StoreAt::Named { env_token })?,
            progress,
        })
    }
}

/// A date, a time (both UTC) or a UNIX timestamp, as UNIX seconds.
fn parse_since(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse()
            .map_err(|_| "the timestamp is too large".to_string());
    }
    let time = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|day| day.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| {
            format!(
                "{text:?} is not a date: write 2025-01-31, 2025-01-31 19:27:50 (UTC) or a UNIX \
                 timestamp"
            )
        })?;
    u64::try_from(time.and_utc().timestamp())
        .map_err(|_| format!("{text:?} is before 1970: give a later date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_times_and_timestamps() {
        assert_eq!(parse_since("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_since("2025-01-31"), Ok(1_738_281_600));
        assert_eq!(parse_since(" 2025-01-31 19:27:50 "), Ok(1_738_351_670));
        assert_eq!(parse_since("2025-01-31T19:27:50"), Ok(1_738_351_670));
        for bad in ["", "31.01.2025", "2025-02-30", "1969-12-31", "yesterday"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
