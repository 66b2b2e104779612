//! The customer groups an import created (`--create-groups`), removed by `undo` after its
//! customers: each only once it holds no customer (asked of the store,
//! `GET /customers?customerGroupIds=ID`, the total only), so that no customer is moved out of a
//! group by an undo. A group that still holds customers, or that the store will not delete
//! (older docs list `DELETE /customer_groups/{id}`, current ones do not), is left in place and
//! reported.

use crate::ecwid::engine::{Engine, Failure, Kind, Stop};
use crate::ledger::undo_log::CreatedGroup;
use crate::words::quoted;

/// Removes the empty groups of `created` (with `yes`; without it says what it would do); the
/// lines that report each, for the summary.
pub(super) async fn remove(
    engine: &Engine,
    created: &[CreatedGroup],
    yes: bool,
    stop: &Stop,
) -> String {
    let mut text = String::new();
    for group in created {
        if stop.is_stopped() {
            text.push_str(&format!(
                "customer group {} (id {}) created by the import: not undone, the undo \
                 stopped\n",
                quoted(&group.name),
                group.id
            ));
            continue;
        }
        let line = one(engine, group, yes).await;
        text.push_str(&format!(
            "customer group {} (id {}) created by the import: {line}\n",
            quoted(&group.name),
            group.id
        ));
    }
    text
}

async fn one(engine: &Engine, group: &CreatedGroup, yes: bool) -> String {
    let mut tries = engine.tries();
    let members = engine
        .send(Kind::List, &mut tries, || {
            engine.client.customers_in_group(group.id)
        })
        .await;
    match members {
        Ok(0) if !yes => "would be removed (it holds no customer)".into(),
        Ok(n) if !yes => format!(
            "would be removed if it holds no customer once the undo is done (it holds {n} now)"
        ),
        Ok(0) => {
            let mut tries = engine.tries();
            let deleted = engine
                .send(Kind::GroupDelete, &mut tries, || {
                    engine.client.delete_customer_group(group.id)
                })
                .await;
            match deleted {
                Ok(0) => "not found in the store (already removed)".into(),
                Ok(_) => "removed".into(),
                Err(Failure::Failed { error, .. }) => {
                    format!("left in place: the store did not remove it ({error})")
                }
                Err(Failure::Stopped) => "left in place: the undo stopped".into(),
            }
        }
        Ok(n) => format!("left in place: it holds {n} customers"),
        Err(Failure::Failed { error, .. }) => {
            format!("left in place: could not count its customers ({error})")
        }
        Err(Failure::Stopped) => "left in place: the undo stopped".into(),
    }
}
