//! The customer groups a file names, settled before any customer is sent.
//!
//! When the file fills `customerGroupName`, a first pass collects the group names its rows give
//! (rows with a `customerGroupId` keep the id) and the customers each would get, and the store's
//! groups are read once (`GET /customer_groups`). Then:
//! - names the store lacks, without `--create-groups`: the run's first message names them and
//!   the option; their rows fail as before, each saying so;
//! - with `--create-groups`, a `plan` lists the groups it would create and how many customers
//!   each gets; an import creates each once (`POST /customer_groups`), in the order the file
//!   first names them, before any customer is sent, and journals it in the undo log so that
//!   `undo` removes it once it holds no customer;
//! - a store whose plan has no customer groups (402) stops a run with `--create-groups` before
//!   any customer is created (exit 3): groups need Ecwid's Business plan or higher. Without the
//!   option the rows that name a group fail alone, as before.
//!
//! The groups read (and created) are handed to the run's [`StoreFacts`], so that resolving the
//! rows' names costs no second read.

use std::collections::{HashMap, HashSet};

use super::facts::StoreFacts;
use crate::config::Config;
use crate::customer::fields::Field;
use crate::ecwid::engine::{Engine, Failure, Kind, STOPPED_RUN, Stop};
use crate::ecwid::{Group, email_key};
use crate::input::mapping::ColumnMap;
use crate::input::source::Input;
use crate::ledger::undo_log::{CreatedGroup, UndoLog};
use crate::store::groups::read_groups;

/// A group the file names: as first written, and the customers (emails) it would get.
#[derive(Debug, Default)]
struct Named {
    name: String,
    emails: HashSet<String>,
}

/// The group names of the file's rows that give a name and no id, in the order first named,
/// each with its customers. Read on a thread of its own; a file that cannot be read here is
/// reported by the run's own pass.
async fn names_in_file(config: &Config, map: &ColumnMap) -> Vec<Named> {
    let (config, map) = (config.clone(), map.clone());
    tokio::task::spawn_blocking(move || {
        let mut named: Vec<Named> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let Ok(mut input) = Input::open(&config.input, config.read_options()) else {
            return named;
        };
        while let Ok(Some(row)) = input.next_row() {
            let Ok(built) = map.request(&row.record) else {
                continue;
            };
            let request = built.request;
            let Some(name) = request.customer_group_name.as_deref().map(str::trim) else {
                continue;
            };
            if name.is_empty() || request.customer_group_id.is_some() {
                continue;
            }
            let key = name.to_lowercase();
            let index = *at.entry(key).or_insert_with(|| {
                named.push(Named {
                    name: name.to_string(),
                    emails: HashSet::new(),
                });
                named.len() - 1
            });
            let email = email_key(request.email.as_deref().unwrap_or_default());
            named[index].emails.insert(email);
        }
        named
    })
    .await
    .unwrap_or_default()
}

const NEEDS_PLAN: &str = "customer groups need a higher Ecwid plan (Business or higher)";

/// Settles the file's groups as the module's comment says, and returns the run's store facts.
pub(super) async fn settle(
    config: &Config,
    map: &ColumnMap,
    engine: &Engine,
    undo: Option<&UndoLog>,
    stop: &Stop,
) -> StoreFacts {
    let Some(send) = config.mode.send() else {
        return StoreFacts::default();
    };
    if !map.fills(&Field::CustomerGroupName) {
        return StoreFacts::default();
    }
    let named = names_in_file(config, map).await;
    if named.is_empty() {
        return StoreFacts::default();
    }
    let mut groups = match read_groups(engine).await {
        Ok(groups) => groups,
        Err(failure) => {
            if let Failure::Failed { error, why } = &failure
                && *why != STOPPED_RUN
                && send.create_groups
                && error.status() == Some(402)
            {
                stop.abort(format!(
                    "{NEEDS_PLAN}: the store answered {error} to reading its groups, and \
                     --create-groups was given; no customer was sent"
                ));
                // The run is stopped: its rows end `not_sent`.
                return StoreFacts::default();
            }
            // Without the option the rows that name a group say why, one by one.
            return StoreFacts::groups_failed(&failure);
        }
    };
    let known: HashSet<String> = groups
        .iter()
        .map(|g| g.name.trim().to_lowercase())
        .collect();
    let missing: Vec<&Named> = named
        .iter()
        .filter(|n| !known.contains(&n.name.to_lowercase()))
        .collect();
    if missing.is_empty() {
        return StoreFacts::with_groups(groups, Vec::new());
    }
    let listed: Vec<String> = missing
        .iter()
        .map(|n| format!("{:?} ({} customers)", n.name, n.emails.len()))
        .collect();
    if !send.create_groups {
        tracing::warn!(
            "the file names customer groups the store does not have: {}; their rows will fail. \
             Add --create-groups to create them first (once each; undo removes them)",
            listed.join(", ")
        );
        return StoreFacts::with_groups(groups, Vec::new());
    }
    if config.mode.is_plan() {
        tracing::warn!(
            "--create-groups would create {} customer groups first: {}",
            missing.len(),
            listed.join(", ")
        );
        let planned = missing.iter().map(|n| n.name.clone()).collect();
        return StoreFacts::with_groups(groups, planned);
    }
    for group in missing {
        match create(engine, &group.name, undo).await {
            Ok(created) => groups.push(created),
            Err(Failure::Failed { error, why }) if why != STOPPED_RUN => {
                if error.status() == Some(402) {
                    stop.abort(format!(
                        "{NEEDS_PLAN}: the store answered {error} to creating the group {:?}; \
                         no customer was sent",
                        group.name
                    ));
                    break;
                }
                // A create whose answer was lost may have taken effect: the store says.
                let made = read_groups(engine).await.ok().and_then(|now| {
                    now.into_iter()
                        .find(|g| g.name.trim().eq_ignore_ascii_case(group.name.trim()))
                });
                match made {
                    Some(made) => {
                        journal(undo, &made);
                        groups.push(made);
                    }
                    None => tracing::warn!(
                        "could not create the customer group {:?} ({error}): its rows will fail",
                        group.name
                    ),
                }
            }
            Err(_) => break,
        }
    }
    StoreFacts::with_groups(groups, Vec::new())
}

/// Creates one group and journals it.
async fn create(engine: &Engine, name: &str, undo: Option<&UndoLog>) -> Result<Group, Failure> {
    let mut tries = engine.tries();
    let id = engine
        .send(Kind::GroupCreate, &mut tries, || {
            engine.client.create_customer_group(name)
        })
        .await?;
    let created = Group {
        id,
        name: name.to_string(),
    };
    journal(undo, &created);
    Ok(created)
}

/// Writes a group the run created to the undo log, so that `undo` removes it.
fn journal(undo: Option<&UndoLog>, group: &Group) {
    let (id, name) = (group.id, &group.name);
    let line = CreatedGroup {
        id,
        name: name.clone(),
    }
    .line()
    .text();
    if let Some(undo) = undo
        && !undo.sending(&[line])
    {
        tracing::warn!(
            "cannot write the undo log: the customer group {name:?} (id {id}) was created, and \
             undo will not remove it"
        );
    }
    tracing::info!("created the customer group {name:?} (id {id})");
}
