//! The journal as one run writes it and the next reads it back: replayed rows, torn lines,
//! lines that wait, a file that cannot be written, open batches and older versions.

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::Write;

use csv::ByteRecord;

use super::*;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::ecwid::StoreClock;
use crate::ledger::resumed::OpenBatch;
use crate::outcome::{RowOutcome, Status};

const RUN: &str = "0123456789abcdef0123456789abcdef";

fn clock() -> Arc<StoreClock> {
    Arc::default()
}

fn identity() -> Identity {
    Identity {
        fingerprint: "3:abc".into(),
        store_id: 7,
        api_url: "http://127.0.0.1:1/api/v3".into(),
    }
}

fn outcome(row: u64, status: Status) -> RowOutcome {
    RowOutcome {
        row,
        line: row + 1,
        email: format!("r{row}@example.com"),
        status,
        customer_id: Some(100 + row),
        http_status: Some(200),
        attempts: 1,
        error: "a, \"quoted\"\nnote\r\n C:\\path \\n".into(),
        reasons: Vec::new(),
        record: ByteRecord::new(),
        settled: true,
    }
}

#[test]
fn resume_replays_finished_rows_and_flags_rows_that_may_have_been_sent() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("out.csv.journal");
    let journal = Journal::create(&path, &identity(), RUN, clock()).expect("create");
    for row in 1..=3 {
        journal.sending(row);
    }
    journal.finished(&outcome(1, Status::Created), false);
    journal.finished(&outcome(2, Status::Failed), false);
    journal.sending(4);
    drop(journal);
    // A torn line, as a killed process may leave.
    let mut file = OpenOptions::new().append(true).open(&path).expect("open");
    file.write_all(b"F,3,crea").expect("write");
    drop(file);

    let (journal, finished) = Journal::resume(&path, &identity(), clock()).expect("resume");
    assert_eq!(finished.count(), 2);
    let second = finished.outcome(2).expect("row 2");
    assert_eq!(second.status, Status::Failed);
    assert_eq!(second.customer_id, Some(102));
    assert_eq!(second.error, "a, \"quoted\"\nnote\r\n C:\\path \\n");
    assert_eq!(finished.maybe_sent, HashSet::from([3, 4]));
    journal.finished(&outcome(3, Status::Created), false);
    drop(journal);
    let (_, finished) = Journal::resume(&path, &identity(), clock()).expect("resume again");
    assert_eq!(finished.count(), 3);
    assert_eq!(finished.maybe_sent, HashSet::from([4]));
}

#[test]
fn finished_lines_wait_for_the_next_sending_line() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("out.csv.journal");
    let journal = Journal::create(&path, &identity(), RUN, clock()).expect("create");
    journal.sending(1);
    journal.sending(2);
    journal.finished(&outcome(1, Status::Created), false);
    let lines = || {
        std::fs::read_to_string(&path)
            .expect("read")
            .lines()
            .count()
    };
    assert_eq!(lines(), 3, "the F line waits");
    journal.sending(3);
    assert_eq!(lines(), 5, "it goes out before the S line of row 3");
    journal.finished(&outcome(2, Status::Created), false);
    // A killed process writes nothing more: row 2's F line is lost, its S line is not.
    std::mem::forget(journal);
    let (_, finished) = Journal::resume(&path, &identity(), clock()).expect("resume");
    assert_eq!(finished.count(), 1);
    assert_eq!(finished.maybe_sent, HashSet::from([2, 3]));
}

#[test]
fn a_journal_that_cannot_be_written_says_so_and_takes_no_more_lines() {
    // Every write to /dev/full fails (no space left on the device).
    let full = OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let journal = Journal::new(full, clock());
    journal.finished(&outcome(1, Status::Created), false);
    assert!(!journal.sending(2), "the create of row 2 must not leave");
    assert!(journal.take_error().is_some());
    assert!(!journal.sending_all(&[3, 4]));
    assert!(journal.flush().is_err());
}

#[test]
fn open_batches_are_those_with_unfinished_rows() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("out.csv.journal");
    let journal = Journal::create(&path, &identity(), RUN, clock()).expect("create");
    journal.sending_all(&[1, 2]);
    journal.batch(1, 2, "k1", "t1");
    journal.sending_all(&[3, 5]);
    journal.batch(3, 5, "k2", "t,2");
    journal.finished(&outcome(1, Status::Created), false);
    journal.finished(&outcome(2, Status::Created), false);
    journal.finished(&outcome(3, Status::Created), false);
    drop(journal);
    let (_, finished) = Journal::resume(&path, &identity(), clock()).expect("resume");
    assert_eq!(finished.count(), 3);
    assert_eq!(finished.maybe_sent, HashSet::from([5]));
    let open = OpenBatch {
        first_row: 3,
        last_row: 5,
        key: "k2".into(),
        ticket: "t,2".into(),
    };
    assert_eq!(finished.open_batches, vec![open]);
}

/// A batch the store confirmed stopped is no longer open: its rows, sent (`S`), are looked up
/// on resume instead of its ticket being polled; another batch stays open.
#[test]
fn a_batch_confirmed_stopped_is_not_open() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("out.csv.journal");
    let journal = Journal::create(&path, &identity(), RUN, clock()).expect("create");
    journal.sending_all(&[1, 2]);
    journal.batch(1, 2, "k1", "t1");
    journal.sending_all(&[3, 4]);
    journal.batch(3, 4, "k2", "t2");
    journal.batch_stopped(1, 2, "t1");
    drop(journal);
    let (_, finished) = Journal::resume(&path, &identity(), clock()).expect("resume");
    assert_eq!(finished.maybe_sent, HashSet::from([1, 2, 3, 4]));
    let tickets: Vec<&str> = finished
        .open_batches
        .iter()
        .map(|b| b.ticket.as_str())
        .collect();
    assert_eq!(tickets, ["t2"]);
}

#[test]
fn version_1_journals_are_still_read() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("j");
    let id = identity();
    let header = format!(
        "{MAGIC},1,{},{},{}\nS,1\n",
        id.fingerprint, id.store_id, id.api_url
    );
    std::fs::write(&path, header).expect("write");
    let (_, finished) = Journal::resume(&path, &id, clock()).expect("a version 1 journal");
    assert_eq!(finished.maybe_sent, HashSet::from([1]));
}

#[test]
fn resume_refuses_another_input_or_store() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("j");
    drop(Journal::create(&path, &identity(), RUN, clock()).expect("create"));
    let other_input = Identity {
        fingerprint: "3:abd".into(),
        ..identity()
    };
    let err = Journal::resume(&path, &other_input, clock()).err();
    assert!(matches!(err, Some(JournalError::OtherInput { .. })));
    let other_store = Identity {
        store_id: 8,
        ..identity()
    };
    let err = Journal::resume(&path, &other_store, clock()).err();
    assert!(matches!(err, Some(JournalError::OtherStore { .. })));
    std::fs::write(&path, "something else\n").expect("write");
    let err = Journal::resume(&path, &identity(), clock()).err();
    assert!(matches!(err, Some(JournalError::NotAJournal { .. })));
}

#[test]
fn fingerprint_changes_with_the_content() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("in.csv");
    std::fs::write(&path, "email\na@example.com\n").expect("write");
    let first = fingerprint(&path).expect("fingerprint");
    std::fs::write(&path, "email\nb@example.com\n").expect("write");
    assert_ne!(first, fingerprint(&path).expect("fingerprint"));
}

/// The run's id and its start by the store's clock come back on resume; a resumed run keeps the
/// first run's start and writes it once.
#[test]
fn run_id_and_the_store_start_survive_a_resume() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("r.journal");
    let first = clock();
    let journal = Journal::create(&path, &identity(), RUN, Arc::clone(&first)).expect("create");
    let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    first.resume_from(Some(started));
    // The `T` line goes out with the next line, whatever its kind.
    journal.finished(&outcome(1, Status::Created), true);
    assert!(journal.sending(2));
    drop(journal);
    let text = std::fs::read_to_string(&path).expect("journal");
    assert_eq!(text.matches("T,1700000000").count(), 1, "{text}");
    assert!(text.lines().next().unwrap().ends_with(RUN), "{text}");
    assert!(text.contains("T,1700000000\nF,1,created"), "{text}");

    let second = clock();
    let (journal, finished) =
        Journal::resume(&path, &identity(), Arc::clone(&second)).expect("resume");
    assert_eq!(finished.run_id.as_deref(), Some(RUN));
    assert_eq!(finished.store_started, Some(started));
    assert_eq!(second.started(), Some(started));
    assert!(journal.sending(3));
    drop(journal);
    let text = std::fs::read_to_string(&path).expect("journal");
    assert_eq!(text.matches("T,").count(), 1, "written once: {text}");
}
