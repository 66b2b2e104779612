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
    /// With a burst of `b` and one new request allowed every `T`, a 60-second window, both of
    /// its ends counted, holds at most `b + floor(60 s / T)` requests. `T` a microsecond longer
    /// than `60 s / (per_minute - b)` keeps that at `per_minute - 1` (one request of slack for
    /// the store's clock), and at 1 for a budget of 1.
    pub fn new(per_minute: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::direct(quota(per_minute)),
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

/// The pacing of [`RateBudget::new`].
fn quota(per_minute: NonZeroU32) -> Quota {
    let rate = per_minute.get();
    let burst = (rate / 20).clamp(1, MAX_BURST);
    let steady = (rate - burst).max(1);
    let period = Duration::from_secs(60) / steady + Duration::from_micros(1);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::{Clock, FakeRelativeClock};

    /// Sends as fast as the quota allows for five minutes of fake time, waiting exactly as
    /// long as the limiter says; the send times.
    fn greedy_sends(per_minute: u32) -> Vec<Duration> {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::direct_with_clock(
            quota(NonZeroU32::new(per_minute).expect("non-zero")),
            clock.clone(),
        );
        let mut sends = Vec::new();
        let mut now = Duration::ZERO;
        while now < Duration::from_secs(300) {
            match limiter.check() {
                Ok(()) => sends.push(now),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(clock.now());
                    clock.advance(wait);
                    now += wait;
                }
            }
        }
        sends
    }

    /// The most sends in any 60-second window, both ends counted.
    fn most_in_a_minute(sends: &[Duration]) -> usize {
        let mut most = 0;
        let mut start = 0;
        for (end, &t) in sends.iter().enumerate() {
            while t - sends[start] > Duration::from_secs(60) {
                start += 1;
            }
            most = most.max(end + 1 - start);
        }
        most
    }

    #[test]
    fn no_minute_holds_more_than_the_rate_even_with_the_burst() {
        for rate in [1, 2, 3, 10, 59, 300, 590, 600] {
            let sends = greedy_sends(rate);
            let most = most_in_a_minute(&sends);
            assert!(most <= rate as usize, "rate {rate}: {most} in one minute");
            if rate >= 2 {
                assert!(most < rate as usize, "rate {rate}: no slack left");
            }
        }
    }

    #[test]
    fn default_rate_keeps_up_97_percent_of_ecwids_limit() {
        let sends = greedy_sends(590);
        // Over the last four minutes, after the initial burst.
        let late = sends
            .iter()
            .filter(|t| **t >= Duration::from_secs(60))
            .count();
        let per_minute = late as f64 / 4.0;
        assert!(per_minute >= 0.97 * 600.0, "{per_minute} a minute");
    }
}
