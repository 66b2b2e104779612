//! Progress while the run goes on: a bar on a terminal, a plain line now and then elsewhere
//! (a log file of a scheduled job), nothing with `-q`.
//!
//! The bar belongs to a tracing span shown by `tracing-indicatif`, so log lines are printed
//! above it instead of through it.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::ProgressStyle;
use tracing::Span;
use tracing_indicatif::span_ext::IndicatifSpanExt;

use super::summary::{BatchCounts, Tally};
use crate::words::count;

/// How often the bar is redrawn at most: a dry run records many thousand rows a second.
const BAR_EVERY: Duration = Duration::from_millis(100);

/// How often the plain progress line is written when stderr is not a terminal, unless
/// `ECWID_IMPORT_PROGRESS_SECONDS` says otherwise.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

fn plain_every() -> Duration {
    std::env::var("ECWID_IMPORT_PROGRESS_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .unwrap_or(PLAIN_EVERY)
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProgressMode {
    Bar,
    Plain,
    Off,
}

impl ProgressMode {
    /// A bar on a terminal, plain lines elsewhere, nothing when quiet.
    pub(crate) fn detect(quiet: bool) -> Self {
        if quiet {
            ProgressMode::Off
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Plain
        }
    }
}

/// Shows how far the run is.
pub(crate) struct Progress {
    mode: ProgressMode,
    span: Span,
    total_bytes: u64,
    started: Instant,
    last_shown: Instant,
    every: Duration,
}

impl Progress {
    /// `total_bytes` is the input's size: the share of it read is the share done, since the
    /// number of rows is not known before the end.
    pub(crate) fn start(mode: ProgressMode, total_bytes: u64) -> Self {
        let span = if mode == ProgressMode::Bar {
            let span = tracing::info_span!("import", indicatif.pb_show = tracing::field::Empty);
            let style = ProgressStyle::with_template(
                "{wide_bar} {percent:>3}% {elapsed_precise} ETA {eta}\n{msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            span.pb_set_style(&style);
            span.pb_set_length(total_bytes.max(1));
            span.pb_start();
            span
        } else {
            Span::none()
        };
        Self {
            mode,
            span,
            total_bytes,
            started: Instant::now(),
            last_shown: Instant::now(),
            every: if mode == ProgressMode::Bar {
                BAR_EVERY
            } else {
                plain_every()
            },
        }
    }

    /// Shows the counts so far: `done_bytes` is how far into the file the recorded rows reach,
    /// `retries` how many retries the run has made, `paused` how long a 429 pause still holds.
    pub(crate) fn update(
        &mut self,
        tally: &Tally,
        done_bytes: u64,
        retries: u64,
        paused: Option<Duration>,
        batches: Option<BatchCounts>,
    ) {
        if self.mode == ProgressMode::Off || self.last_shown.elapsed() < self.every {
            return;
        }
        self.last_shown = Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let mut text = format!(
            "{} ({:.1}/s)",
            count(tally.rows, "row", "rows"),
            tally.rows as f64 / elapsed
        );
        for (status, count) in tally.by_status() {
            text.push_str(&format!(", {status} {count}"));
        }
        if retries > 0 {
            text.push_str(&format!(", retries {retries}"));
        }
        if let Some(b) = batches {
            text.push_str(&format!(
                ", batches sent {} done {}{} pending {}",
                b.sent,
                b.done,
                b.stopped_text().replace(',', ""),
                b.pending
            ));
        }
        if let Some(wait) = paused {
            text.push_str(&format!(
                " | rate limited: resuming in {} s",
                wait.as_secs() + 1
            ));
        }
        if self.mode == ProgressMode::Bar {
            self.span.pb_set_position(done_bytes.min(self.total_bytes));
            self.span.pb_set_message(&text);
        } else {
            let share = percent(done_bytes, self.total_bytes);
            tracing::info!("progress: {share}% of the file, {text}");
        }
    }
}

impl Progress {
    /// Shows `done` of about `total` things (`export`: customers read), with `text` after the
    /// count; the bar's length follows `total`, which may grow.
    pub(crate) fn count(&mut self, done: u64, total: u64, text: &str) {
        if self.mode == ProgressMode::Off || self.last_shown.elapsed() < self.every {
            return;
        }
        self.last_shown = Instant::now();
        let total = total.max(done);
        if self.mode == ProgressMode::Bar {
            self.total_bytes = total;
            self.span.pb_set_length(total.max(1));
            self.span.pb_set_position(done);
            self.span
                .pb_set_message(&format!("{done} of {total} {text}"));
        } else {
            let share = percent(done, total);
            tracing::info!("progress: {share}%, {done} of {total} {text}");
        }
    }
}

fn percent(done: u64, total: u64) -> u64 {
    (done.min(total) * 100).checked_div(total).unwrap_or(100)
}
