//! An update the store answered with `{"updateCount": 0}`: Ecwid documents it as "the item was
//! not updated", so the row is `failed`, never `updated`. The customer is read back first, so
//! that the reason says what became of it: gone from the store, or still there and still
//! different (the fields the update would have changed).
//!
//! One case ends otherwise: a `PUT` sent again after an earlier attempt's outcome was unknown
//! (a timeout, a 5xx) may be answered 0 because the first attempt applied it; when the customer
//! read back holds every value the row sets, the row is `updated`, confirmed by that read.

use super::Progress;
use super::ending::Done;
use crate::customer::record::CustomerRecord;
use crate::ecwid::engine::Failure;
use crate::import::job::Job;
use crate::store::compare::compare;

/// What the store said, for every note below.
const ANSWER: &str = "the store answered {\"updateCount\": 0}: it did not apply the update";

/// The end of a row whose update customer `id` was answered 0, from reading it back.
pub(super) fn after_update(
    job: &Job,
    p: &Progress,
    id: u64,
    read: Result<CustomerRecord, Failure>,
) -> Done {
    let what = match read {
        Ok(record) if record.unreadable.is_some() => {
            let problem = record.unreadable.unwrap_or_default();
            format!(
                "customer {id} is still in the store, and its record cannot be read ({problem})"
            )
        }
        Ok(record) => {
            let diff = compare(&job.request, &record);
            if diff.is_empty() && p.tries.maybe_took_effect {
                return Done::Updated(Some(id));
            }
            if diff.is_empty() {
                format!(
                    "customer {id} holds the row's values nonetheless (another write set them); \
                     run the import again to see it unchanged"
                )
            } else {
                format!(
                    "customer {id} is still in the store and still differs: {}; check in the \
                     store whether it can be edited, then run the import again",
                    diff.describe()
                )
            }
        }
        Err(Failure::Failed { error, .. }) if error.status() == Some(404) => format!(
            "customer {id} is no longer in the store (deleted since it was read); run the \
             import again to create it"
        ),
        Err(Failure::Failed { error, .. }) => {
            format!("reading customer {id} back failed too ({error}); look at it in the store")
        }
        Err(Failure::Stopped) => {
            format!("the run stopped before customer {id} was read back")
        }
    };
    Done::NotApplied(id, format!("{ANSWER}: {what}"))
}
