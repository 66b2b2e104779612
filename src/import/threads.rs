//! The first two stages of the pipeline, each on a thread of its own so that a dry run uses
//! two cores: one thread reads rows, the other checks them (the reader works out rows for the
//! checker while it would otherwise wait). They hand rows on in batches through bounded
//! channels, so they are never more than a few batches ahead of the sending.

use std::sync::mpsc::{SyncSender, TrySendError};

use futures_util::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::check::{Checker, Item, Preparer, Row};
use crate::input::source::Input;
use crate::report::summary::LeftBlank;

/// Rows the reader hands over at once: one wake-up of the other side per batch rather than
/// per row (see BENCHMARKS.md for what the size bought).
const BATCH: usize = 512;
/// Batches each stage (reading, checking) may have waiting for the next.
const READ_AHEAD: usize = 2;
/// Rows the reader prepares before it looks again whether the checker has room for its batch.
const PREPARE_AT_ONCE: usize = 32;

/// The threads that read and check; awaited once their rows are all recorded.
pub(super) struct Background {
    reader: JoinHandle<Result<(), (u64, std::io::Error)>>,
    /// Ends with the cells the checker read as blank although they held something.
    checker: JoinHandle<Vec<LeftBlank>>,
}

/// Starts reading and checking `input`; the checked rows, in file order.
pub(super) fn start(input: Input, checker: Checker) -> (impl Stream<Item = Item>, Background) {
    let (tx, mut rx) = mpsc::channel(READ_AHEAD);
    let preparer = checker.preparer();
    let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel(READ_AHEAD);
    let reader = tokio::task::spawn_blocking(move || read_rows(input, &raw_tx, &preparer));
    let checker = tokio::task::spawn_blocking(move || check_rows(checker, &raw_rx, &tx));
    let batches = stream::poll_fn(move |cx| rx.poll_recv(cx));
    (
        batches.flat_map(stream::iter),
        Background { reader, checker },
    )
}

impl Background {
    /// Waits for both threads: the cells the checker read as blank although they held
    /// something, and the reading's end (`Err` holds the last row read before an I/O error).
    pub(super) async fn finish(self) -> (Vec<LeftBlank>, Result<(), (u64, std::io::Error)>) {
        // The checker ends once the reader has, or when the rows are no longer wanted.
        let left_blank = match self.checker.await {
            Ok(left_blank) => left_blank,
            // A bug: the rows it had not handed on would be missing from the results.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Vec::new(),
        };
        let read = self
            .reader
            .await
            .unwrap_or_else(|e| Err((0, std::io::Error::other(e))));
        (left_blank, read)
    }
}

/// Reads every row, in batches; `Err` holds the last row read before an I/O error.
fn read_rows(
    mut input: Input,
    tx: &SyncSender<Vec<Row>>,
    preparer: &Preparer,
) -> Result<(), (u64, std::io::Error)> {
    let mut last_row = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let read = loop {
        match input.next_row() {
            Ok(Some(raw)) => {
                last_row = raw.row;
                batch.push(Row::from(raw));
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err((last_row, e)),
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if hand_over(tx, full, preparer).is_err() {
                return Ok(());
            }
        }
    };
    // The rows read before the end or an error are recorded all the same.
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    read
}

/// Hands a batch to the checker. While the checker has no room for it, the reader prepares the
/// batch's rows a few at a time instead of waiting: the checker then has less left to do.
/// `Err` when the checker has stopped taking rows.
fn hand_over(
    tx: &SyncSender<Vec<Row>>,
    mut batch: Vec<Row>,
    preparer: &Preparer,
) -> Result<(), ()> {
    loop {
        match tx.try_send(batch) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Disconnected(_)) => return Err(()),
            Err(TrySendError::Full(back)) => batch = back,
        }
        if preparer.prepare(&mut batch, PREPARE_AT_ONCE) == 0 {
            return tx.send(batch).map_err(|_| ());
        }
    }
}

/// Checks the rows in file order and hands them on in the same batches; the cells it read as
/// blank although they held something.
fn check_rows(
    mut checker: Checker,
    rx: &std::sync::mpsc::Receiver<Vec<Row>>,
    tx: &mpsc::Sender<Vec<Item>>,
) -> Vec<LeftBlank> {
    while let Ok(batch) = rx.recv() {
        let items = checker.check_batch(batch);
        if tx.blocking_send(items).is_err() {
            break;
        }
    }
    checker.left_blank()
}
