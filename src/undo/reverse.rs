//! Reversing one logged write: find the customer, read it, and delete or restore it only while
//! the store still holds what the import wrote. The comparison is the import's own
//! ([`crate::store::compare`]), so "holds what was written" means what it means for
//! `--on-existing update`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use csv::ByteRecord;
use serde_json::{Map, Value};

use crate::customer::record::CustomerRecord;
use crate::ecwid::Lookup;
use std::sync::Arc;

use bytes::Bytes;

use crate::ecwid::engine::{Engine, Failure, Kind, Tries};
use crate::ledger::undo_log::{Logged, Sent};
use crate::outcome::{RowOutcome, Status};
use crate::store::compare::compare;
use crate::store::derived::{prepare_sent_back, same_value};

/// Reverses logged writes; shared by all of them.
pub(super) struct Reverser {
    pub(super) engine: Arc<Engine>,
    pub(super) yes: bool,
}

/// How a logged write ended: its status, the customer and a note.
pub(super) struct Done {
    status: Status,
    id: Option<u64>,
    note: String,
    /// The last status the store gave, when not a success.
    http_status: Option<u16>,
}

impl Done {
    pub(super) fn new(status: Status, id: Option<u64>, note: impl Into<String>) -> Self {
        Done {
            status,
            id,
            note: note.into(),
            http_status: None,
        }
    }

    /// The store refused the write (a 4xx but 404 and 429, inside a batch).
    pub(super) fn refused(id: u64, error: &crate::ecwid::ApiError) -> Self {
        Done {
            http_status: error.status(),
            ..Done::new(Status::Failed, Some(id), error.to_string())
        }
    }

    /// The customer is not in the store: the read or delete answered 404.
    pub(super) fn gone(id: Option<u64>) -> Self {
        Done {
            http_status: Some(404),
            ..Done::new(Status::NotFound, id, "not in the store")
        }
    }
}

/// The outcomes of a create that say it never took effect: nothing of the row's to delete.
const NOT_CREATED: &[&str] = &[
    "exists",
    "unchanged",
    "updated",
    "invalid",
    "duplicate",
    "merged",
];

/// What a logged write comes to once its customer is read: its end, or the write to send.
pub(super) enum Verdict {
    Done(Done),
    Delete(u64),
    /// The customer, and its old values as the body of the `PUT`.
    Restore(u64, Bytes),
}

impl Reverser {
    /// Reverses one logged write, or says why not, as a row of the undo results.
    pub(super) async fn reverse(&self, entry: &Logged) -> RowOutcome {
        self.reverse_with(entry, self.engine.tries()).await
    }

    /// [`Reverser::reverse`] after earlier attempts (inside a batch) counted in `tries`; with
    /// `tries.maybe_took_effect`, a write of unknown outcome went out already.
    pub(super) async fn reverse_with(&self, entry: &Logged, mut tries: Tries) -> RowOutcome {
        let result = self.decide(entry, &mut tries).await;
        ended(entry, result, &tries)
    }

    async fn decide(&self, entry: &Logged, tries: &mut Tries) -> Result<Done, Failure> {
        let id = match self.customer_of(entry, tries).await? {
            Ok(id) => id,
            Err(done) => return Ok(done),
        };
        let client = &self.engine.client;
        let record = match self
            .engine
            .send(Kind::Get, tries, || client.get_customer(id))
            .await
        {
            Ok(record) => record,
            Err(Failure::Failed { error, .. }) if error.status() == Some(404) => {
                return Ok(self.gone(entry, id, tries));
            }
            Err(failure) => return Err(failure),
        };
        match self.verdict(entry, id, &record) {
            Verdict::Done(done) => Ok(done),
            Verdict::Delete(id) => self.delete(entry, id, tries).await,
            Verdict::Restore(id, body) => self.restore(entry, id, body, tries).await,
        }
    }

    /// Customer `id` is not in the store: deleted by an earlier attempt of this write whose
    /// outcome was not known (`tries.maybe_took_effect`), else not found.
    pub(super) fn gone(&self, entry: &Logged, id: u64, tries: &Tries) -> Done {
        if tries.maybe_took_effect && entry.write == Sent::Create {
            let note = "deleted by an earlier attempt whose answer was lost (the store no longer \
                        has it)";
            return Done::new(Status::Deleted, Some(id), note);
        }
        Done::gone(Some(id))
    }

    /// What the write comes to, by customer `id`'s record as the store holds it now.
    pub(super) fn verdict(&self, entry: &Logged, id: u64, record: &CustomerRecord) -> Verdict {
        if let Some(problem) = &record.unreadable {
            let note = format!(
                "the store's record cannot be read ({problem}): left as it is; look at the \
                 customer in the store"
            );
            return Verdict::Done(Done::new(Status::Failed, Some(id), note));
        }
        let diff = compare(&entry.body, record);
        match entry.write {
            Sent::Create if !diff.is_empty() => Verdict::Done(changed(id, &diff.describe())),
            Sent::Create if record.total_order_count.unwrap_or(0) > 0 => {
                Verdict::Done(Done::new(Status::Skipped, Some(id), "has orders"))
            }
            Sent::Create if !self.yes => {
                Verdict::Done(Done::new(Status::WouldDelete, Some(id), ""))
            }
            Sent::Create => Verdict::Delete(id),
            Sent::Update if !diff.is_empty() => {
                if holds(&entry.old, record) {
                    let note = "already holds its old values";
                    return Verdict::Done(Done::new(Status::Restored, Some(id), note));
                }
                Verdict::Done(changed(id, &diff.describe()))
            }
            Sent::Update if !self.yes => Verdict::Done(Done::new(
                Status::WouldRestore,
                Some(id),
                restores(&entry.old),
            )),
            Sent::Update => {
                // The store's values as they came, but the names it derives beside a code
                // (sending those is what the import never does either) and `null` list
                // entries.
                let mut old = entry.old.clone();
                prepare_sent_back(&mut old);
                let body = Bytes::from(serde_json::to_vec(&old).unwrap_or_default());
                Verdict::Restore(id, body)
            }
        }
    }

    async fn delete(&self, entry: &Logged, id: u64, tries: &mut Tries) -> Result<Done, Failure> {
        let client = &self.engine.client;
        match self
            .engine
            .send(Kind::Delete, tries, || client.delete_customer(id))
            .await
        {
            Ok(count) => Ok(self.deleted(entry, id, count, tries).await),
            Err(Failure::Failed { error, .. }) if error.status() == Some(404) => {
                Ok(self.gone(entry, id, tries))
            }
            Err(failure) => Err(failure),
        }
    }

    async fn restore(
        &self,
        entry: &Logged,
        id: u64,
        body: Bytes,
        tries: &mut Tries,
    ) -> Result<Done, Failure> {
        let client = &self.engine.client;
        let count = self
            .engine
            .send(Kind::Update, tries, || {
                client.update_customer(id, body.clone())
            })
            .await?;
        Ok(self.restored(entry, id, count, tries).await)
    }

    /// The store answered the delete of customer `id` with `count`.
    pub(super) async fn deleted(
        &self,
        entry: &Logged,
        id: u64,
        count: u64,
        tries: &mut Tries,
    ) -> Done {
        match count {
            0 => self.not_applied(entry, id, tries).await,
            _ => Done::new(Status::Deleted, Some(id), ""),
        }
    }

    /// The store answered the restore of customer `id` with `count`.
    pub(super) async fn restored(
        &self,
        entry: &Logged,
        id: u64,
        count: u64,
        tries: &mut Tries,
    ) -> Done {
        match count {
            0 => self.not_applied(entry, id, tries).await,
            _ => Done::new(Status::Restored, Some(id), restores(&entry.old)),
        }
    }
}

/// The row of the undo results of a logged write, from how its reversal ended.
pub(super) fn ended(entry: &Logged, result: Result<Done, Failure>, tries: &Tries) -> RowOutcome {
    let (done, http_status) = match result {
        Ok(done) => {
            let answered = (tries.attempts > 0).then_some(200);
            let http_status = done.http_status.or(answered);
            (done, http_status)
        }
        Err(Failure::Stopped) => {
            let note = "the run stopped before this write was undone";
            (Done::new(Status::NotSent, entry.customer_id, note), None)
        }
        Err(Failure::Failed { error, .. }) if error.status() == Some(404) => {
            (Done::gone(entry.customer_id), Some(404))
        }
        Err(Failure::Failed { error, .. }) => (
            Done::new(Status::Failed, entry.customer_id, error.to_string()),
            error.status(),
        ),
    };
    outcome(entry, done, tries, http_status)
}

impl Reverser {
    /// The id of the customer the write went to; `Err` with the row's end when there is none.
    pub(super) async fn customer_of(
        &self,
        entry: &Logged,
        tries: &mut Tries,
    ) -> Result<Result<u64, Done>, Failure> {
        let outcome = entry.outcome.as_deref();
        match (entry.write, entry.customer_id, outcome) {
            (Sent::Update, Some(id), _) | (Sent::Create, Some(id), Some("created")) => {
                return Ok(Ok(id));
            }
            (Sent::Update, None, _) => {
                return Ok(Err(Done::new(
                    Status::NotFound,
                    None,
                    "no customer id logged",
                )));
            }
            // Refused with 409 and `--on-existing fail`: the id is the other customer's.
            (Sent::Create, Some(id), Some(_)) => {
                let note = "the import's create did not take effect (the email existed)";
                return Ok(Err(Done::new(Status::NotFound, Some(id), note)));
            }
            (Sent::Create, _, Some(status)) if NOT_CREATED.contains(&status) => {
                let note = format!("the import's create did not take effect ({status})");
                return Ok(Err(Done::new(Status::NotFound, None, note)));
            }
            _ => {}
        }
        // The outcome is not known (failed, stopped, killed): the store says whether it took.
        let client = &self.engine.client;
        let found = self
            .engine
            .send(Kind::Search, tries, || {
                client.find_customer(&entry.email, Lookup::Brief)
            })
            .await?;
        Ok(match found {
            Some(found) if registered_before(found.registered, entry.at) => {
                let note = "the customer with this email registered before the import's create: \
                            not the import's";
                Err(Done::new(Status::NotFound, None, note))
            }
            Some(found) => Ok(found.id),
            None => Err(Done::new(
                Status::NotFound,
                None,
                "no customer with this email: the create did not take effect, or it is gone",
            )),
        })
    }

    /// The store answered a count of 0 to the delete or restore of customer `id`: it did not
    /// apply it. Read back, the customer tells more. Gone from the store: nothing is left to
    /// undo, `not_found` (and `deleted` when an earlier attempt of the delete had an unknown
    /// outcome: that one took effect). Still there: `failed`, unless an earlier attempt of the
    /// restore had an unknown outcome and the customer holds its old values (`restored`).
    pub(super) async fn not_applied(&self, entry: &Logged, id: u64, tries: &mut Tries) -> Done {
        let (count, write) = match entry.write {
            Sent::Create => ("deleteCount", "delete"),
            Sent::Update => ("updateCount", "restore"),
        };
        let answer = format!("the store answered {{\"{count}\": 0}}: it did not apply the {write}");
        let earlier = tries.maybe_took_effect;
        let client = &self.engine.client;
        let read = self
            .engine
            .send(Kind::Get, tries, || client.get_customer(id))
            .await;
        let (status, what) = match read {
            Err(Failure::Failed { error, .. }) if error.status() == Some(404) => {
                if earlier && entry.write == Sent::Create {
                    let note = "deleted by an earlier attempt whose answer was lost (the store \
                                no longer has it)";
                    return Done::new(Status::Deleted, Some(id), note);
                }
                let mut done = Done::gone(Some(id));
                done.note = format!("{answer}, and no longer has the customer");
                return done;
            }
            Ok(record) if earlier && entry.write == Sent::Update && holds(&entry.old, &record) => {
                let note = "restored by an earlier attempt whose answer was lost (it holds its \
                            old values)";
                return Done::new(Status::Restored, Some(id), note);
            }
            Ok(_) => (
                Status::Failed,
                "the customer is still in the store as it was; look at it in the store".into(),
            ),
            Err(Failure::Failed { error, .. }) => (
                Status::Failed,
                format!("reading the customer back failed too ({error})"),
            ),
            Err(Failure::Stopped) => (
                Status::Failed,
                "the run stopped before the customer was read back".into(),
            ),
        };
        Done::new(status, Some(id), format!("{answer}; {what}"))
    }
}

/// Whether a customer registered well before a write left (by [`CLOCK_MARGIN`], for the
/// store's and this computer's clocks to differ): then it is not the write's.
fn registered_before(registered: Option<SystemTime>, write_at: Option<u64>) -> bool {
    let (Some(registered), Some(at)) = (registered, write_at) else {
        return false;
    };
    let at = UNIX_EPOCH + Duration::from_secs(at);
    registered + CLOCK_MARGIN < at
}

/// How far the store's clock may be behind this computer's.
const CLOCK_MARGIN: Duration = Duration::from_secs(600);

/// A customer changed in the store since the import: what differs, store's value first.
fn changed(id: u64, changes: &str) -> Done {
    let note = format!("changed in the store since the import (now -> imported): {changes}");
    Done::new(Status::Skipped, Some(id), note)
}

/// The fields a restore sends back, for the results file.
fn restores(old: &Map<String, Value>) -> String {
    let fields: Vec<&str> = old.keys().map(String::as_str).collect();
    format!("old values of: {}", fields.join(", "))
}

/// Whether the record holds every old value, as the store sent it: unset (`null`, missing,
/// `""`) alike, objects and list entries by the old fields, what the store fills in itself aside
/// ([`same_value`]).
fn holds(old: &Map<String, Value>, record: &CustomerRecord) -> bool {
    old.iter()
        .all(|(key, value)| same_value(value, record.raw.get(key)))
}

fn outcome(entry: &Logged, done: Done, tries: &Tries, http_status: Option<u16>) -> RowOutcome {
    RowOutcome {
        row: entry.row,
        line: entry.line,
        email: entry.email.clone(),
        status: done.status,
        customer_id: done.id,
        http_status,
        attempts: tries.attempts,
        error: done.note,
        reasons: Vec::new(),
        record: ByteRecord::new(),
        settled: true,
    }
}
