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

use super::summary::Tally;

/// How often the plain progress line is written when stderr is not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    Bar,
    Plain,
    Off,
}

impl ProgressMode {
    /// A bar on a terminal, plain lines elsewhere, nothing when quiet.
    pub fn detect(quiet: bool) -> Self {
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
pub struct Progress {
    mode: ProgressMode,
    span: Span,
    total_bytes: u64,
    last_plain: Instant,
}

impl Progress {
    /// `total_bytes` is the input's size: the share of it read is the share done, since the
    /// number of rows is not known before the end.
    pub fn start(mode: ProgressMode, total_bytes: u64) -> Self {
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
            last_plain: Instant::now(),
        }
    }

    /// Shows the counts so far; `done_bytes` is how far into the file the rows recorded reach,
    /// `paused` how long a 429 pause still holds the run.
    pub fn update(&mut self, tally: &Tally, done_bytes: u64, paused: Option<Duration>) {
        match self.mode {
            ProgressMode::Off => {}
            ProgressMode::Bar => {
                self.span.pb_set_position(done_bytes.min(self.total_bytes));
                self.span.pb_set_message(&line(tally, paused));
            }
            ProgressMode::Plain => {
                if self.last_plain.elapsed() >= PLAIN_EVERY {
                    self.last_plain = Instant::now();
                    let share = percent(done_bytes, self.total_bytes);
                    tracing::info!("progress: {share}% of the file, {}", line(tally, paused));
                }
            }
        }
    }
}

fn percent(done: u64, total: u64) -> u64 {
    (done.min(total) * 100).checked_div(total).unwrap_or(100)
}

fn line(tally: &Tally, paused: Option<Duration>) -> String {
    let counts: Vec<String> = tally
        .by_status()
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    let mut text = format!("{} rows: {}", tally.rows, counts.join(", "));
    if let Some(wait) = paused {
        text.push_str(&format!(
            " | rate limited: resuming in {} s",
            wait.as_secs() + 1
        ));
    }
    text
}
