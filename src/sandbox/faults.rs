//! The failures a real store and network produce now and then, on demand.
//!
//! A client's retry logic is only as good as the failures it was tried against. The hard ones
//! for an importer are those where a create took effect but the client cannot know it (a 500
//! after storing, a connection lost before the answer): retrying blindly would create the
//! customer twice. The sandbox produces each kind at a chosen share, from a seeded generator so
//! that a failing run can be repeated.

use std::sync::Mutex;

use axum::http::StatusCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{SandboxArgs, lock};

/// What to do to a request before it reaches the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Before {
    Proceed,
    /// Answer 429 with `Retry-After: 1` although the token is under the limit.
    Spurious429,
    /// Answer this 5xx status without taking effect.
    Fail(StatusCode),
}

/// What to do to a successful create after it took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Answer,
    /// Replace the answer with a 500.
    Fail,
    /// Close the connection without answering.
    Drop,
}

/// What to do to one request inside a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inner {
    Run,
    /// Leave it out, as Ecwid does after giving up on it.
    NotExecuted,
    /// Answer 500, after running it if `took_effect`: at every attempt if `lasting`, else at
    /// the first only, so that the store's own retry runs it.
    Fail {
        took_effect: bool,
        lasting: bool,
    },
}

#[derive(Debug)]
pub(crate) struct Faults {
    fail_before: f64,
    fail_after: f64,
    drop_after: f64,
    spurious_429: f64,
    drop_batch_after: f64,
    batch_inner_500: f64,
    batch_inner_500_once: f64,
    batch_not_executed: f64,
    rng: Mutex<StdRng>,
}

impl Faults {
    pub(crate) fn new(args: &SandboxArgs) -> std::io::Result<Self> {
        let rng = match args.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::try_from_os_rng().map_err(std::io::Error::other)?,
        };
        Ok(Self {
            fail_before: args.fail_before,
            fail_after: args.fail_after,
            drop_after: args.drop_after,
            spurious_429: args.spurious_429,
            drop_batch_after: args.drop_batch_after,
            batch_inner_500: args.batch_inner_500,
            batch_inner_500_once: args.batch_inner_500_once,
            batch_not_executed: args.batch_not_executed,
            rng: Mutex::new(rng),
        })
    }

    /// Decides the fate of an API request that passed the token and rate-limit checks.
    pub(crate) fn before(&self) -> Before {
        let mut rng = lock(&self.rng);
        if hit(&mut rng, self.spurious_429) {
            Before::Spurious429
        } else if hit(&mut rng, self.fail_before) {
            // Both happen in practice: 500 from the application, 503 from a proxy in front.
            Before::Fail(if rng.random::<bool>() {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            })
        } else {
            Before::Proceed
        }
    }

    /// Decides the fate of the answer of a create that stored a customer.
    pub(crate) fn after_create(&self) -> After {
        let mut rng = lock(&self.rng);
        if hit(&mut rng, self.drop_after) {
            After::Drop
        } else if hit(&mut rng, self.fail_after) {
            After::Fail
        } else {
            After::Answer
        }
    }
}

impl Faults {
    /// Decides the fate of a request inside a batch.
    pub(crate) fn inner(&self) -> Inner {
        let mut rng = lock(&self.rng);
        if hit(&mut rng, self.batch_not_executed) {
            Inner::NotExecuted
        } else if hit(&mut rng, self.batch_inner_500) {
            Inner::Fail {
                took_effect: rng.random::<bool>(),
                lasting: true,
            }
        } else if hit(&mut rng, self.batch_inner_500_once) {
            Inner::Fail {
                took_effect: rng.random::<bool>(),
                lasting: false,
            }
        } else {
            Inner::Run
        }
    }

    /// Decides the fate of the answer of a batch submit that queued its batch.
    pub(crate) fn after_batch(&self) -> After {
        if hit(&mut lock(&self.rng), self.drop_batch_after) {
            After::Drop
        } else {
            After::Answer
        }
    }
}

/// True with probability `share`. A share of 0 draws nothing, so that under a seed the
/// choices depend only on the faults turned on, not on the order of the checks for the others.
fn hit(rng: &mut StdRng, share: f64) -> bool {
    // `random::<f64>()` lies in [0, 1), so a share of 1 always hits; unlike `random_bool`
    // this cannot panic on a share outside 0..1.
    share > 0.0 && rng.random::<f64>() < share
}
