//! What the import learns from the store once per run, when a row first needs it: the customer
//! groups (to turn `customerGroupName` into `customerGroupId`) and the enabled languages (to
//! refuse a `lang` the store would refuse, without spending a request per row on a 400).
//!
//! Fetched lazily, so that a file without those columns costs no request and needs no scope
//! beyond creating and reading customers.

use std::collections::HashMap;

use tokio::sync::OnceCell;

use super::job::Job;
use crate::ecwid::Group;
use crate::ecwid::engine::{Engine, Failure, Kind, STOPPED_RUN};
use crate::outcome::{RowOutcome, Status};

/// The store's facts, each fetched at most once.
#[derive(Debug, Default)]
pub(crate) struct StoreFacts {
    /// Group name (lower case) -> id, or why the groups are not known.
    groups: OnceCell<Result<Groups, String>>,
    /// Enabled language codes, by their key ([`language_key`]) in the store's own spelling;
    /// `None` when they could not be read.
    languages: OnceCell<Option<HashMap<String, String>>>,
    /// Group names (lower case) a plan with `--create-groups` would create first: a row naming
    /// one is planned without a group id (the group has none yet).
    planned: std::collections::HashSet<String>,
}

/// Why the groups are not known, when that may change.
#[derive(Debug)]
enum GroupsUnknown {
    /// The run stopped (or the store refused the token) first.
    Stopped,
    /// The store could not be asked now (5xx, timeouts past the retries).
    ForNow(String),
}

#[derive(Debug)]
struct Groups {
    by_name: HashMap<String, u64>,
    names: Vec<String>,
}

/// A language code as the store matches it: case and `-` or `_` do not matter.
fn language_key(code: &str) -> String {
    code.trim().to_lowercase().replace('-', "_")
}

impl StoreFacts {
    /// Facts that already know the store's groups (read before the run sent anything, and the
    /// groups it created), and the names a plan would create.
    pub(super) fn with_groups(groups: Vec<Group>, planned: Vec<String>) -> Self {
        Self {
            groups: OnceCell::new_with(Some(Ok(index_groups(groups)))),
            languages: OnceCell::new(),
            planned: planned.iter().map(|n| n.trim().to_lowercase()).collect(),
        }
    }

    /// Facts after the store's groups could not be read before the run: the store's definite
    /// word (a plan without groups) is kept for the run, anything less is asked again.
    pub(super) fn groups_failed(failure: &Failure) -> Self {
        match groups_unknown(failure) {
            Ok(why) => Self {
                groups: OnceCell::new_with(Some(Err(why))),
                ..Self::default()
            },
            Err(_) => Self::default(),
        }
    }

    /// Resolves the row's group name and checks its language; `Err` settles the row without
    /// sending it.
    pub(super) async fn prepare(
        &self,
        engine: &Engine,
        mut job: Box<Job>,
    ) -> Result<Box<Job>, RowOutcome> {
        let request = &mut job.request;
        if request.customer_group_id.is_some() {
            // An id wins over a name: the contract resolves names only when no id is given.
            request.customer_group_name = None;
        }
        if let Some(name) = request.customer_group_name.take()
            && !self.planned.contains(&name.trim().to_lowercase())
        {
            match self.groups(engine).await {
                // Not settled: `--resume` takes the row up again.
                Err(GroupsUnknown::Stopped) => return Err(job.stopped_unsent()),
                Err(GroupsUnknown::ForNow(why)) => {
                    let error = format!("customerGroupName {name:?}: {why}");
                    let mut outcome =
                        job.settled_as(Status::Failed, error, "customer groups unknown");
                    outcome.settled = false;
                    return Err(outcome);
                }
                Ok(Ok(groups)) => match groups.by_name.get(&name.trim().to_lowercase()) {
                    Some(&id) => job.request.customer_group_id = Some(id),
                    None => {
                        let error = format!(
                            "customerGroupName {name:?}: the store has no such group; its groups \
                             are: {} (--create-groups creates the missing ones)",
                            groups.names.join(", ")
                        );
                        return Err(job.settled_as(
                            Status::Failed,
                            error,
                            "unknown customer group",
                        ));
                    }
                },
                Ok(Err(why)) => {
                    let error = format!("customerGroupName {name:?}: {why}");
                    return Err(job.settled_as(Status::Failed, error, "customer groups unknown"));
                }
            }
        }
        if let Some(lang) = job.request.lang.take() {
            job.request.lang = match self.languages(engine).await {
                // Sent in the store's own spelling: `pt-br` as `pt_BR`, `EN` as `en`.
                Some(Some(enabled)) => match enabled.get(&language_key(&lang)) {
                    Some(spelling) => Some(spelling.clone()),
                    None => {
                        let mut list: Vec<&str> = enabled.values().map(String::as_str).collect();
                        list.sort_unstable();
                        if job.request.lang_if_enabled {
                            let note = format!(
                                "lang {lang:?} not sent: not enabled in the store (enabled: {})",
                                list.join(", ")
                            );
                            job.add_note(&note);
                            return Ok(job);
                        }
                        let error = format!(
                            "lang {lang:?}: not enabled in the store (enabled: {})",
                            list.join(", ")
                        );
                        let reason = "lang not enabled in the store";
                        return Err(job.settled_as(Status::Invalid, error, reason));
                    }
                },
                // Not known: the store judges the code as the row gives it.
                _ => Some(lang),
            };
        }
        Ok(job)
    }

    /// The store's groups, fetched on first use, or the store's definite word that it has
    /// none to give (kept for the run). Anything less certain is not kept: a later row (or
    /// `--resume`) asks again.
    async fn groups(&self, engine: &Engine) -> Result<&Result<Groups, String>, GroupsUnknown> {
        self.groups
            .get_or_try_init(|| async {
                let mut all: Vec<Group> = Vec::new();
                loop {
                    let offset = all.len() as u64;
                    let mut tries = engine.tries();
                    let page = engine
                        .send(Kind::Groups, &mut tries, || {
                            engine.client.customer_groups(offset)
                        })
                        .await;
                    match page {
                        Ok((items, total)) => {
                            let done = items.is_empty() || offset + items.len() as u64 >= total;
                            all.extend(items);
                            if done {
                                return Ok(Ok(index_groups(all)));
                            }
                        }
                        Err(failure) => return groups_unknown(&failure).map(Err),
                    }
                }
            })
            .await
    }

    /// The store's enabled languages, fetched on first use. A store that will not tell (a
    /// token without the profile scope, say) is not checked: it answers 400 per row instead.
    async fn languages(&self, engine: &Engine) -> Option<&Option<HashMap<String, String>>> {
        let fetched: Result<_, ()> = self
            .languages
            .get_or_try_init(|| async {
                let mut tries = engine.tries();
                let profile = engine
                    .send(Kind::Profile, &mut tries, || {
                        engine.client.enabled_languages()
                    })
                    .await;
                match profile {
                    Ok(codes) if !codes.is_empty() => Ok(Some(
                        codes.into_iter().map(|c| (language_key(&c), c)).collect(),
                    )),
                    Ok(_) => Ok(None),
                    Err(Failure::Stopped) => Err(()),
                    Err(Failure::Failed { error, .. }) => {
                        tracing::warn!(
                            "could not read the store's languages ({error}): lang is not checked \
                             before sending"
                        );
                        Ok(None)
                    }
                }
            })
            .await;
        fetched.ok()
    }
}

/// Why the groups cannot be had: for the run (the store's definite word), or for now.
fn groups_unknown(failure: &Failure) -> Result<String, GroupsUnknown> {
    match failure {
        // The run stopped, or the engine stopped it on a refused token.
        Failure::Stopped
        | Failure::Failed {
            why: STOPPED_RUN, ..
        } => Err(GroupsUnknown::Stopped),
        Failure::Failed { error, .. } if error.status() == Some(402) => Ok(
            "the store's plan has no customer groups (HTTP 402): remove the column or upgrade \
             the plan"
                .into(),
        ),
        Failure::Failed { error, .. } => Err(GroupsUnknown::ForNow(format!(
            "could not read the store's customer groups: {error}"
        ))),
    }
}

fn index_groups(groups: Vec<Group>) -> Groups {
    let names = groups.iter().map(|g| g.name.clone()).collect();
    let by_name = groups
        .into_iter()
        .map(|g| (g.name.trim().to_lowercase(), g.id))
        .collect();
    Groups { by_name, names }
}
