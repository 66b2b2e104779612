//! How fast the batch lane feeds the store, and how often it polls, from what the store shows.
//!
//! Whether Ecwid counts the requests inside a batch against the token's 600 a minute is not
//! documented, so the lane finds out as it goes. Until the store shows it counts them, rows go
//! out as fast as the bound on outstanding batches lets them: a store that does not count runs
//! them at its own speed. The store shows it counts them by answering a request inside a batch
//! FAILED with `httpStatusCode` 429 (not executed: the row goes into a later batch), or by
//! answering the run's own submits and polls 429 (its window is full of the batches' requests,
//! which a store that throttles them fills). From then on, the rows submitted in any 60 seconds
//! stay within a row budget: `--rate` less room for the run's own submits and polls
//! ([`reserve`]), so that a poll is not the request the store refuses. Each further sign cuts
//! the row budget by a fifth (once per [`CUT_EVERY`]); [`CLIMB_EVERY`] without one raises it by a
//! twentieth of `--rate`, up to the room left beside the run's own requests. A store that
//! showed it counts only once (a stray 429) may climb past that again, back to no row budget.
//!
//! Polls: a batch's next poll comes when the store, at the speed it has shown (rows finished
//! a second, over the last polls of any batch), should have finished the rows before it and its
//! own; until it has shown a speed, after 250 ms and then twice as long each time.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// The fewest rows a batch takes while a row budget is in force, unless fewer are left: a
/// batch of the room the window has left, so that rows flow at the budget's pace and not a
/// whole batch a window.
const MIN_CHUNK: u64 = 50;
/// The store's window.
const WINDOW: Duration = Duration::from_secs(60);
/// Signs within this long of a cut are the same sign (the requests of one window).
const CUT_EVERY: Duration = Duration::from_secs(5);
/// Without a sign for this long, the row budget climbs a step.
const CLIMB_EVERY: Duration = Duration::from_secs(30);
/// The first poll of a batch while the store's speed is unknown, and the shortest and longest
/// wait between polls.
pub(crate) const FIRST_POLL: Duration = Duration::from_millis(250);
const MIN_POLL: Duration = Duration::from_millis(50);
const MAX_POLL: Duration = Duration::from_secs(10);
/// How far back the store's speed is measured.
const SPEED_SPAN: Duration = Duration::from_secs(20);

/// The room left in `--rate` for the run's own submits and polls once the store shows it counts
/// the requests inside batches: a submit a batch and a poll every couple of seconds, at least.
fn reserve(rate: u32) -> u32 {
    (rate / 30).max(10).min(rate.saturating_sub(1))
}

#[derive(Debug)]
pub(crate) struct LanePace {
    state: Mutex<State>,
    rate: u32,
}

#[derive(Debug)]
struct State {
    /// Rows a minute the store is given; `None` until it shows it counts them.
    rows_per_minute: Option<u32>,
    /// Signs the store gave that it counts the requests inside batches.
    signs: u32,
    last_sign: Option<Instant>,
    changed: Instant,
    /// Rows submitted within the last [`WINDOW`]: when, and how many still count (rows the
    /// store refused with 429 did not run, and are taken off).
    submitted: VecDeque<(Instant, u64)>,
    /// The run's 429s last seen (any request), to notice new ones.
    refusals_seen: u64,
    /// Rows the store has finished, over time: (when, finished so far).
    finished: VecDeque<(Instant, u64)>,
    finished_rows: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl LanePace {
    pub(crate) fn new(rate: u32, now: Instant) -> Self {
        Self {
            rate,
            state: Mutex::new(State {
                rows_per_minute: None,
                signs: 0,
                last_sign: None,
                changed: now,
                submitted: VecDeque::new(),
                refusals_seen: 0,
                finished: VecDeque::new(),
                finished_rows: 0,
            }),
        }
    }

    /// The most rows a minute beside the run's own requests.
    fn room(&self) -> u32 {
        self.rate.saturating_sub(reserve(self.rate)).max(1)
    }

    /// The row budget now, `None` when there is none.
    #[cfg(test)]
    fn rows_per_minute(&self) -> Option<u32> {
        lock(&self.state).rows_per_minute
    }

    /// How many of `rows` may be submitted now (all of them while there is no row budget;
    /// else what the window has room for, if that is at least [`MIN_CHUNK`] or all of them):
    /// counted as submitted at `now`. `Err`: how long to wait before asking again.
    pub(crate) fn submit(&self, rows: u64, now: Instant) -> Result<u64, Duration> {
        let mut state = lock(&self.state);
        self.climb(&mut state, now);
        while state
            .submitted
            .front()
            .is_some_and(|&(t, _)| now.saturating_duration_since(t) >= WINDOW)
        {
            state.submitted.pop_front();
        }
        let mut granted = rows;
        if let Some(limit) = state.rows_per_minute {
            let limit = u64::from(limit);
            let least = rows.min(MIN_CHUNK).min(limit).max(1);
            let in_window: u64 = state.submitted.iter().map(|&(_, n)| n).sum();
            let room = limit.saturating_sub(in_window);
            if room < least {
                // The wait until enough of the window's rows have left it.
                let mut left = in_window;
                for &(t, n) in &state.submitted {
                    left -= n;
                    if left + least <= limit {
                        let frees = t + WINDOW;
                        return Err(frees.saturating_duration_since(now).max(MIN_POLL));
                    }
                }
                return Err(WINDOW);
            }
            granted = rows.min(room);
        }
        state.submitted.push_back((now, granted));
        Ok(granted)
    }

    /// `rows` of the batch submitted at `at` were refused 429: they did not run, so they do not
    /// count in the window; and the store has shown it counts the requests inside batches.
    pub(crate) fn refused(&self, at: Instant, rows: u64, now: Instant) {
        let mut state = lock(&self.state);
        if let Some(entry) = state.submitted.iter_mut().find(|(t, _)| *t == at) {
            entry.1 = entry.1.saturating_sub(rows);
        }
        self.sign(&mut state, now);
    }

    /// The run's count of 429 answers now: a new one to a request of the lane while rows are in
    /// the store is a sign that the store counts them.
    pub(crate) fn refusals(&self, count: u64, now: Instant) {
        let mut state = lock(&self.state);
        if count > state.refusals_seen {
            state.refusals_seen = count;
            self.sign(&mut state, now);
        }
    }

    fn sign(&self, state: &mut State, now: Instant) {
        if state
            .last_sign
            .is_some_and(|t| now.saturating_duration_since(t) < CUT_EVERY)
        {
            return;
        }
        state.signs += 1;
        state.last_sign = Some(now);
        let room = self.room();
        let next = match state.rows_per_minute {
            None => room,
            Some(r) => (r - r / 5).max(1),
        };
        if state.rows_per_minute != Some(next) {
            tracing::info!(
                "the store counts the requests inside batches: now at most {next} rows a \
                 minute (--rate {} less {} for the run's own requests)",
                self.rate,
                reserve(self.rate)
            );
        }
        state.rows_per_minute = Some(next);
        state.changed = now;
    }

    fn climb(&self, state: &mut State, now: Instant) {
        let Some(r) = state.rows_per_minute else {
            return;
        };
        if now.saturating_duration_since(state.changed) < CLIMB_EVERY {
            return;
        }
        let room = self.room();
        let step = (self.rate / 20).max(1);
        state.changed = now;
        state.rows_per_minute = if r >= room && state.signs < 2 {
            // One sign only, and none since: past the room again, and past four times it, no
            // row budget at all.
            let up = r.saturating_add(step);
            (up <= room.saturating_mul(4)).then_some(up)
        } else {
            Some(r.saturating_add(step).min(room.max(r)))
        };
    }

    /// A poll showed a batch with `done` more rows finished than this lane knew of.
    pub(crate) fn finished(&self, done: u64, now: Instant) {
        if done == 0 {
            return;
        }
        let mut state = lock(&self.state);
        state.finished_rows += done;
        let total = state.finished_rows;
        state.finished.push_back((now, total));
        while state.finished.len() > 2
            && state
                .finished
                .front()
                .is_some_and(|&(t, _)| now.saturating_duration_since(t) > SPEED_SPAN)
        {
            state.finished.pop_front();
        }
    }

    /// The store's speed, in rows a second, over the last polls; `None` until it has shown one.
    fn speed(state: &State) -> Option<f64> {
        let (t0, n0) = *state.finished.front()?;
        let (t1, n1) = *state.finished.back()?;
        let span = t1.saturating_duration_since(t0).as_secs_f64();
        (span >= 0.05 && n1 > n0).then(|| (n1 - n0) as f64 / span)
    }

    /// When to poll a batch again: `ahead` rows to finish before the batch is done (those of
    /// the batches before it and its own not finished yet), `last` the wait before this one.
    pub(crate) fn next_poll(&self, ahead: u64, last: Duration) -> Duration {
        let state = lock(&self.state);
        match Self::speed(&state) {
            Some(speed) => Duration::from_secs_f64(ahead as f64 / speed).clamp(MIN_POLL, MAX_POLL),
            None => (last * 2).clamp(FIRST_POLL, MAX_POLL),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_row_budget_until_the_store_shows_it_counts() {
        let t = Instant::now();
        let pace = LanePace::new(600, t);
        for i in 0..100 {
            assert_eq!(pace.submit(500, t + Duration::from_millis(i)), Ok(500));
        }
        assert_eq!(pace.rows_per_minute(), None);
        // A 429 seen: the room beside the run's own requests, and a full window waits.
        pace.refusals(1, t);
        assert_eq!(pace.rows_per_minute(), Some(580));
        let wait = pace.submit(100, t + Duration::from_secs(1));
        assert!(wait.is_err_and(|w| w > Duration::from_secs(55)), "{wait:?}");
    }

    #[test]
    fn rows_refused_do_not_count_and_signs_cut_then_climb_back() {
        let t = Instant::now();
        let pace = LanePace::new(600, t);
        assert_eq!(pace.submit(500, t), Ok(500));
        pace.refused(t, 450, t);
        assert_eq!(pace.rows_per_minute(), Some(580));
        // 50 rows still count: 500 more fit in the window, then 30: fewer than a chunk.
        assert_eq!(pace.submit(500, t), Ok(500));
        assert!(pace.submit(100, t).is_err());
        // Signs within a few seconds are one; a later one cuts by a fifth.
        pace.refused(t, 0, t + Duration::from_secs(1));
        assert_eq!(pace.rows_per_minute(), Some(580));
        pace.refused(t, 0, t + Duration::from_secs(6));
        assert_eq!(pace.rows_per_minute(), Some(464));
        // Half a minute without a sign: a twentieth of --rate back, never past the room after
        // two signs.
        let later = t + Duration::from_secs(40);
        let _ = pace.submit(1, later);
        assert_eq!(pace.rows_per_minute(), Some(494));
        for i in 1..20 {
            let _ = pace.submit(1, later + CLIMB_EVERY * i);
        }
        assert_eq!(pace.rows_per_minute(), Some(580));
    }

    #[test]
    fn a_batch_takes_the_room_the_window_has_left() {
        let t = Instant::now();
        let pace = LanePace::new(600, t);
        pace.refusals(1, t);
        assert_eq!(pace.submit(500, t), Ok(500));
        let s = t + Duration::from_secs(1);
        assert_eq!(pace.submit(500, s), Ok(80));
        assert_eq!(pace.submit(10, s), Err(Duration::from_secs(59)));
        // Fewer than a chunk left to send: they wait for room for all of them.
        assert_eq!(pace.submit(30, s), Err(Duration::from_secs(59)));
    }

    #[test]
    fn one_stray_sign_climbs_back_to_no_budget() {
        let t = Instant::now();
        let pace = LanePace::new(600, t);
        pace.refusals(3, t);
        assert_eq!(pace.rows_per_minute(), Some(580));
        // The same count again is no new sign.
        pace.refusals(3, t + Duration::from_secs(10));
        for i in 1..200 {
            let _ = pace.submit(1, t + CLIMB_EVERY * i);
        }
        assert_eq!(pace.rows_per_minute(), None);
    }

    #[test]
    fn polls_follow_the_speed_the_store_showed() {
        let t = Instant::now();
        let pace = LanePace::new(600, t);
        // Unknown speed: 250 ms, then doubling up to 10 s.
        assert_eq!(pace.next_poll(100, Duration::ZERO), FIRST_POLL);
        assert_eq!(pace.next_poll(100, FIRST_POLL), FIRST_POLL * 2);
        assert_eq!(pace.next_poll(100, Duration::from_secs(8)), MAX_POLL);
        // 1,000 rows a second shown: 500 rows ahead is half a second.
        pace.finished(100, t);
        pace.finished(1_000, t + Duration::from_secs(1));
        assert_eq!(pace.next_poll(500, FIRST_POLL), Duration::from_millis(500));
        assert_eq!(pace.next_poll(1, FIRST_POLL), MIN_POLL);
        assert_eq!(pace.next_poll(1_000_000, FIRST_POLL), MAX_POLL);
    }

    #[test]
    fn reserve_leaves_room_for_submits_and_polls() {
        assert_eq!(reserve(600), 20);
        assert_eq!(reserve(590), 19);
        assert_eq!(reserve(60), 10);
        assert_eq!(reserve(5), 4);
    }
}
