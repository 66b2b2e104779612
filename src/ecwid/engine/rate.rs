//! One request budget for every request of the run, with a shared pause for 429 answers.
//!
//! Ecwid counts requests per token in a 60-second window; past 600 it answers 429 and blocks
//! the token for a while. The budget spaces requests so that no 60-second window ever holds more
//! than `--rate` of them, bursts included, and when the store says 429 it holds every worker
//! until the store's `Retry-After` has passed, not only the one that was refused.
//!
//! A 429 after the store took a good part of the pace in the last minute means the store allows
//! less than `--rate` (another app shares the token, or the store's limit is lower): the pace
//! drops to just under what the store took (at most by half at a time), so that the run does not
//! hit the wall again every minute, and it climbs back towards `--rate` by a twentieth every half
//! minute without a 429. A 429 while the run sends far below its pace (slow answers, retries,
//! the first seconds) says nothing about the pace and only pauses: otherwise stray 429s would
//! slow the run down step by step, each cut lowering what the next one measures.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::time::Instant;

use crate::words::count;

/// The default of `--rate`: below Ecwid's 600 a minute, leaving room for another app's
/// requests and clock skew.
pub(crate) const DEFAULT_RATE: u32 = 590;
/// The most requests sent back to back after an idle spell.
const MAX_BURST: u32 = 5;
/// The store's window: what it took in this long tells what it allows.
const WINDOW: Duration = Duration::from_secs(60);
/// Without a 429 for this long, the pace climbs back a step towards `--rate`.
const CLIMB_EVERY: Duration = Duration::from_secs(30);

/// The run's request budget.
#[derive(Debug)]
pub(crate) struct RateBudget {
    pace: Mutex<Pace>,
    paused_until: Mutex<Option<Instant>>,
}

/// The current pacing and what it is based on.
#[derive(Debug)]
struct Pace {
    limiter: Arc<DefaultDirectRateLimiter>,
    per_minute: u32,
    /// `--rate`: the pace never goes above it.
    ceiling: u32,
    /// When the pace last changed (or the run started).
    changed: Instant,
    /// When requests left within the last [`WINDOW`].
    sent: VecDeque<Instant>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl RateBudget {
    /// A budget of `per_minute` requests in any 60-second window.
    ///
    /// With a burst of `b` and one new request allowed every `T`, a 60-second window, both of
    /// its ends counted, holds at most `b + floor(60 s / T)` requests. `T` a microsecond longer
    /// than `60 s / (per_minute - b)` keeps that at `per_minute - 1` (one request of slack for
    /// the store's clock), and at 1 for a budget of 1.
    pub(crate) fn new(per_minute: NonZeroU32) -> Self {
        Self {
            pace: Mutex::new(Pace {
                limiter: Arc::new(RateLimiter::direct(quota(per_minute))),
                per_minute: per_minute.get(),
                ceiling: per_minute.get(),
                changed: Instant::now(),
                sent: VecDeque::new(),
            }),
            paused_until: Mutex::new(None),
        }
    }

    /// Waits until a request may be sent: after any pause, within the pace.
    pub(crate) async fn acquire(&self) {
        loop {
            if let Some(until) = self.pause_end() {
                tokio::time::sleep_until(until).await;
                continue;
            }
            let limiter = self.climb();
            limiter.until_ready().await;
            // A 429 may have come in while this one waited for its turn.
            if self.pause_end().is_none() {
                let mut pace = lock(&self.pace);
                let now = Instant::now();
                pace.sent.push_back(now);
                while pace.sent.front().is_some_and(|&t| now - t > WINDOW) {
                    pace.sent.pop_front();
                }
                return;
            }
        }
    }

    /// The store answered 429: hold every request until `wait` has passed (a later end wins
    /// over an earlier one), and slow down to what the store takes.
    pub(crate) fn rate_limited(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let first_of_a_burst = {
            let mut paused = lock(&self.paused_until);
            let first = paused.is_none_or(|p| p <= Instant::now());
            if paused.is_none_or(|p| p < until) {
                *paused = Some(until);
            }
            first
        };
        // Requests in flight when the store started refusing come back 429 together: one
        // slowdown for them all.
        if first_of_a_burst {
            let mut pace = lock(&self.pace);
            let now = Instant::now();
            // What the store took in its window.
            let taken = pace.sent.iter().filter(|&&t| now - t <= WINDOW).count();
            if let Some(slower) = slowed(pace.per_minute, u32::try_from(taken).unwrap_or(u32::MAX))
            {
                pace.set(slower);
            }
        }
    }

    /// How long the current pause still lasts, if one does.
    pub(crate) fn paused_for(&self) -> Option<Duration> {
        self.pause_end().map(|until| until - Instant::now())
    }

    /// The limiter to wait on, after climbing a step back towards `--rate` when it is time.
    fn climb(&self) -> Arc<DefaultDirectRateLimiter> {
        let mut pace = lock(&self.pace);
        if pace.per_minute < pace.ceiling && pace.changed.elapsed() >= CLIMB_EVERY {
            let step = (pace.ceiling / 20).max(1);
            let faster = pace.per_minute.saturating_add(step).min(pace.ceiling);
            pace.set(faster);
        }
        Arc::clone(&pace.limiter)
    }

    fn pause_end(&self) -> Option<Instant> {
        let mut paused = lock(&self.paused_until);
        match *paused {
            Some(until) if until > Instant::now() => Some(until),
            _ => {
                *paused = None;
                None
            }
        }
    }
}

impl Pace {
    fn set(&mut self, per_minute: u32) {
        if per_minute != self.per_minute {
            tracing::info!(
                "pace now {} a minute (--rate {})",
                count(u64::from(per_minute), "request", "requests"),
                self.ceiling
            );
            let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
            self.limiter = Arc::new(RateLimiter::direct(quota(rate)));
            self.per_minute = per_minute;
        }
        self.changed = Instant::now();
    }
}

/// The pace after a 429, given the current pace and how many requests the store took in the
/// last minute: just under what the store took, never faster than now nor below half of it.
/// `None` when the store took less than a third of the pace: the run was not sending at its
/// pace (slow answers, retries, the first seconds of a run), so the 429 says nothing about it.
fn slowed(per_minute: u32, taken: u32) -> Option<u32> {
    if taken.saturating_mul(3) < per_minute {
        return None;
    }
    Some(
        taken
            .saturating_sub(2)
            .min(per_minute)
            .max(per_minute / 2)
            .max(1),
    )
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
    fn a_429_at_full_pace_slows_to_just_under_what_the_store_took() {
        // A store of 300 a minute under --rate 590: just under 300.
        assert_eq!(slowed(590, 300), Some(298));
        // A store far below the pace: at most halved at a time.
        assert_eq!(slowed(590, 200), Some(295));
        assert_eq!(slowed(295, 200), Some(198));
        // At full pace, a stray 429 costs a couple of requests a minute.
        assert_eq!(slowed(590, 589), Some(587));
        // Sending far below the pace, or early in a run: the 429 is not about the pace.
        assert_eq!(slowed(6000, 1000), None);
        assert_eq!(slowed(590, 5), None);
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
