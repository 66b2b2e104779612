//! What the engine counts: the kinds of request a run makes and, per kind, its requests,
//! retries and 429 answers, as the summaries report them.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use serde::Serialize;

use super::retry::{self, Action};
use crate::ecwid::ApiError;

/// The kinds of request a run makes, as the summary counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Create,
    /// A look-up by email.
    Search,
    Get,
    List,
    Update,
    Delete,
    Groups,
    Profile,
    BatchSubmit,
    BatchPoll,
    /// `DELETE /batch?ticketId=`: a batch given up on is stopped before its rows are looked up.
    BatchCancel,
    /// `POST /customer_groups` (`--create-groups`).
    GroupCreate,
    /// `DELETE /customer_groups/{id}` (`undo` of `--create-groups`).
    GroupDelete,
    /// `GET /store_extrafields/customers`: the store's customer extra fields.
    ExtraFields,
    /// A page of the customers the run wrote, listed after its writes (`--read-back`).
    ReadBack,
}

impl Kind {
    /// Whether a request of this kind goes on after an interrupt, for the bounded wait of the
    /// work in flight ([`super::Engine::in_flight_over`]): the polls of the batches already in
    /// the store, which tell their rows' outcomes. Nothing that sends a write or starts new
    /// work does.
    pub(crate) fn finishes_in_flight(self) -> bool {
        self == Kind::BatchPoll
    }

    /// Every kind, in the order the summary lists them.
    pub(crate) const ALL: [Kind; 15] = [
        Kind::Create,
        Kind::Search,
        Kind::Get,
        Kind::List,
        Kind::Update,
        Kind::Delete,
        Kind::Groups,
        Kind::Profile,
        Kind::BatchSubmit,
        Kind::BatchPoll,
        Kind::BatchCancel,
        Kind::GroupCreate,
        Kind::GroupDelete,
        Kind::ExtraFields,
        Kind::ReadBack,
    ];

    /// The key of the kind in the summary's `requests_by_kind`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Search => "search",
            Kind::Get => "get",
            Kind::List => "list",
            Kind::Update => "update",
            Kind::Delete => "delete",
            Kind::Groups => "groups",
            Kind::Profile => "profile",
            Kind::BatchSubmit => "batch_submit",
            Kind::BatchPoll => "batch_poll",
            Kind::BatchCancel => "batch_cancel",
            Kind::GroupCreate => "group_create",
            Kind::GroupDelete => "group_delete",
            Kind::ExtraFields => "extrafields",
            Kind::ReadBack => "read_back",
        }
    }

    /// Whether a 404 can only mean a wrong store or API address, which every further request
    /// would meet too: so for requests on `/customers` and `/batch` as a whole. Other requests
    /// name one thing that may be gone (a customer, a batch ticket) or a store's feature.
    fn not_found_stops_run(self) -> bool {
        matches!(
            self,
            Kind::Create | Kind::Search | Kind::List | Kind::BatchSubmit
        )
    }

    /// What a failure of this kind of request calls for. A profile or the extra fields the
    /// token may not read stop nothing (the store then judges `lang` itself, extra-field
    /// columns go by key unchecked, and a token that is wrong altogether is refused at the
    /// first create), nor do groups on a plan without them (402): only the rows that name a
    /// group fail.
    pub(super) fn classify(self, error: &ApiError) -> Action {
        match retry::classify_for(error, self.not_found_stops_run()) {
            Action::StopRun if matches!(self, Kind::Profile | Kind::ExtraFields) => Action::FailRow,
            // `--create-groups` stops the run itself, saying groups need a higher plan.
            Action::StopRun
                if matches!(self, Kind::Groups | Kind::GroupCreate)
                    && error.status() == Some(402) =>
            {
                Action::FailRow
            }
            // The writes are done and recorded: a read-back the store refuses (a token
            // without read_customers, say) ends the read-back, never the run.
            Action::StopRun if self == Kind::ReadBack => Action::FailRow,
            action => action,
        }
    }

    /// Whether a request of this kind changes the store: never sent by a plan.
    pub(crate) fn writes(self) -> bool {
        matches!(
            self,
            Kind::Create
                | Kind::Update
                | Kind::Delete
                | Kind::BatchSubmit
                | Kind::BatchCancel
                | Kind::GroupCreate
                | Kind::GroupDelete
        )
    }

    /// Whether a request that may have taken effect can be sent again as it is. A create
    /// cannot: the store could get the customer (or the group) twice. A batch submit can: the
    /// store runs a deduplication key's batch once.
    pub(super) fn repeatable(self) -> bool {
        !matches!(self, Kind::Create | Kind::GroupCreate)
    }
}

/// Counts of one kind of request.
#[derive(Debug, Default)]
pub(super) struct KindCounts {
    pub(super) requests: AtomicU64,
    pub(super) retries: AtomicU64,
    pub(super) rate_limited: AtomicU64,
    /// Answers that say the request can never work ([`Action::Never`]) since the last success
    /// of the kind.
    pub(super) never_in_a_row: AtomicU32,
}

/// Counts over the whole run, per kind of request.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    kinds: [KindCounts; Kind::ALL.len()],
}

/// Requests, retries and 429 answers of a kind, or of the whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct RequestCounts {
    pub(crate) requests: u64,
    pub(crate) retries: u64,
    pub(crate) rate_limited: u64,
}

impl Counts {
    pub(super) fn of(&self, kind: Kind) -> &KindCounts {
        &self.kinds[kind as usize]
    }

    pub(super) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// What was counted for one kind.
    pub(crate) fn kind(&self, kind: Kind) -> RequestCounts {
        let counts = self.of(kind);
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        RequestCounts {
            requests: load(&counts.requests),
            retries: load(&counts.retries),
            rate_limited: load(&counts.rate_limited),
        }
    }

    /// What was counted over every kind.
    pub(crate) fn total(&self) -> RequestCounts {
        Kind::ALL
            .iter()
            .fold(RequestCounts::default(), |sum, &kind| {
                let one = self.kind(kind);
                RequestCounts {
                    requests: sum.requests + one.requests,
                    retries: sum.retries + one.retries,
                    rate_limited: sum.rate_limited + one.rate_limited,
                }
            })
    }
}
