//! The run-wide signal to stop sending: the store refused the token (abort, exit 3) or the user
//! pressed Ctrl-C (interrupt, exit 130). Rows not yet sent then end up `not_sent`. After an
//! interrupt, the work in flight may go on for a bounded wait (see
//! [`super::Engine::in_flight_over`]); after an abort, nothing goes on.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Why the run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The store refused the token, plan or store: what happened and what to check.
    Aborted(String),
    Interrupted,
}

/// Cloneable handle on the run's stop signal; the first reason given wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stop {
    token: CancellationToken,
    reason: Arc<OnceLock<StopReason>>,
    /// When the run stopped.
    at: Arc<OnceLock<Instant>>,
}

impl Stop {
    pub(crate) fn abort(&self, message: String) {
        self.stop(StopReason::Aborted(message));
    }

    pub(crate) fn interrupt(&self) {
        self.stop(StopReason::Interrupted);
    }

    fn stop(&self, reason: StopReason) {
        let _ = self.reason.set(reason);
        let _ = self.at.set(Instant::now());
        self.token.cancel();
    }

    pub(crate) fn reason(&self) -> Option<&StopReason> {
        self.reason.get()
    }

    /// When the run stopped by an interrupt (Ctrl-C, SIGTERM); `None` while it runs, and after
    /// an abort.
    pub(crate) fn interrupted_at(&self) -> Option<Instant> {
        match self.reason.get() {
            Some(StopReason::Interrupted) => self.at.get().copied(),
            _ => None,
        }
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Resolves when the run stops.
    pub(crate) async fn stopped(&self) {
        self.token.cancelled().await;
    }

    /// Sleeps `wait`; `false` when the run stopped meanwhile.
    pub(crate) async fn sleep(&self, wait: Duration) -> bool {
        tokio::select! {
            _ = self.token.cancelled() => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }
}
