//! One request budget for every request of the run, with a shared pause for 429 answers.
//!
//! Ecwid counts requests per token in a 60-second window; past 600 it answers 429 and blocks
//! the token for a while. The budget spaces requests so that no 60-second window ever holds more
//! than `--rate` of them, bursts included, and when the store says 429 it holds every worker
//! until the store's `Retry-After` has passed, not only the one that was refused.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::time::Instant;

/// The most requests sent back to back after an idle spell.
const MAX_BURST: u32 = 5;

/// The run's request budget.
#[derive(Debug)]
pub struct RateBudget {
    limiter: DefaultDirectRateLimiter,
    paused_until: Mutex<Option<Instant>>,
}

impl RateBudget {
    /// A budget of `per_minute` requests in any 60-second window.
    ///
    /// With a burst of `b` and one new request allowed every `T`, a window of 60 s holds at
    /// most `b + ceil(60 s / T) - 1` requests. `T = 60 s / (per_minute - b)` keeps that at
    /// `per_minute - 1`: one request of slack for the clock of the store.
    pub fn new(per_minute: NonZeroU32) -> Self {
        let rate = per_minute.get();
        let burst = (rate / 20).clamp(1, MAX_BURST);
        let steady = (rate - burst).max(1);
        let period = Duration::from_secs(60) / steady;
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: RateLimiter::direct(quota),
            paused_until: Mutex::new(None),
        }
    }

    /// Waits until a request may be sent: after any pause, within the rate.
    pub async fn acquire(&self) {
        loop {
            if let Some(until) = self.pause_end() {
                tokio::time::sleep_until(until).await;
                continue;
            }
            self.limiter.until_ready().await;
            // A 429 may have come in while this one waited for its turn.
            if self.pause_end().is_none() {
                return;
            }
        }
    }

    /// Holds every request until `wait` has passed (a later end wins over an earlier one).
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    /// How long the current pause still lasts, if one does.
    pub fn paused_for(&self) -> Option<Duration> {
        self.pause_end().map(|until| until - Instant::now())
    }

    fn pause_end(&self) -> Option<Instant> {
        let mut paused = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        match *paused {
            Some(until) if until > Instant::now() => Some(until),
            _ => {
                *paused = None;
                None
            }
        }
    }
}
