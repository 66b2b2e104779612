//! The row budget and the poll cadence of the batch lane, on given instants: no test waits.

use super::*;

fn granted(result: Result<Lease, Duration>) -> Option<u64> {
    result.ok().map(|lease| lease.rows)
}

/// A lane whose store has shown more than once that it counts the requests inside batches:
/// its row budget is the room beside the run's own requests, and stays there.
fn counting_store(t: Instant) -> LanePace {
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    lock(&pace.state).signs = 2;
    pace
}

#[test]
fn no_row_budget_until_the_store_shows_it_counts() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    for i in 0..100 {
        assert_eq!(
            granted(pace.submit(500, t + Duration::from_millis(i))),
            Some(500)
        );
    }
    assert_eq!(pace.rows_per_minute(), None);
    // A 429 seen: the room beside the run's own requests, and a full window waits.
    pace.refusals(1, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    assert!(pace.submit(100, t + Duration::from_secs(1)).is_err());
}

#[test]
fn rows_refused_do_not_count() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let lease = pace.submit(500, t).unwrap();
    pace.ran(lease.id, 500);
    pace.refused(&lease, 450, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    // 50 rows still count: 500 more fit in the window, then 30: fewer than a chunk.
    assert_eq!(granted(pace.submit(500, t)), Some(500));
    assert!(pace.submit(100, t).is_err());
}

#[test]
fn a_sign_holds_the_climb_back() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let _ = pace.submit(500, t).unwrap();
    pace.refusals(1, t + Duration::from_secs(1));
    pace.refusals(2, t + Duration::from_secs(29));
    let _ = pace.submit(1, t + Duration::from_secs(40));
    assert_eq!(pace.rows_per_minute(), Some(580));
    let _ = pace.submit(1, t + Duration::from_secs(59));
    assert_eq!(pace.rows_per_minute(), Some(725));
}

#[test]
fn a_batch_takes_the_room_the_window_has_left() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let _ = pace.submit(500, t).unwrap();
    let s = t + Duration::from_secs(1);
    assert_eq!(granted(pace.submit(500, s)), Some(80));
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
    let mut budgets = Vec::new();
    for i in 1..9 {
        let _ = pace.submit(1, t + CLIMB_EVERY * i);
        budgets.push(pace.rows_per_minute());
    }
    // A quarter more each half minute; past four times the room, none.
    let climbed = [725, 906, 1132, 1415, 1768, 2210].map(Some);
    assert_eq!(budgets[..6], climbed);
    assert_eq!(budgets[6..], [None, None]);
    // Another stray sign much later is a first one again.
    pace.refusals(4, t + Duration::from_secs(600));
    assert_eq!(pace.rows_per_minute(), Some(580));
    let _ = pace.submit(1, t + Duration::from_secs(630));
    assert_eq!(pace.rows_per_minute(), Some(725));
}

#[test]
fn a_store_that_refuses_past_the_room_keeps_the_room() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let _ = pace.submit(1, t + CLIMB_EVERY);
    assert_eq!(pace.rows_per_minute(), Some(725));
    // Rows sent past the room come back refused: the budget is the room again, and climbs no
    // further.
    let at = t + Duration::from_secs(40);
    let lease = pace.submit(1_000, at).unwrap();
    assert_eq!(lease.rows, 724);
    pace.ran(lease.id, 724);
    pace.refused(&lease, 144, at);
    assert_eq!(pace.rows_per_minute(), Some(580));
    for i in 1..10 {
        let _ = pace.submit(1, at + CLIMB_EVERY * i);
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
}

#[test]
fn a_429_while_rows_wait_in_the_store_does_not_cut() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let probe = pace.submit(1, t + CLIMB_EVERY).unwrap();
    assert_eq!(pace.rows_per_minute(), Some(725));
    // A store that throttles holds the surplus back, and answers a poll 429 meanwhile: the
    // room again, not less (it runs the rows it holds as fast as it allows).
    let at = t + Duration::from_secs(40);
    let lease = pace.submit(700, at).unwrap();
    pace.refusals(2, at + Duration::from_secs(5));
    assert_eq!(pace.rows_per_minute(), Some(580));
    // A while later, the rows done: a 429 then is still theirs (sent before the cut).
    let later = at + Duration::from_secs(50);
    pace.settled(probe.id);
    pace.settled(lease.id);
    pace.refusals(3, later);
    assert_eq!(pace.rows_per_minute(), Some(580));
    // Nothing of the lane's in the store, every row counted sent under the budget: the store
    // allows less than the room.
    let again = later + Duration::from_secs(61);
    let lease = pace.submit(100, again).unwrap();
    pace.settled(lease.id);
    pace.refusals(4, again);
    assert_eq!(pace.rows_per_minute(), Some(464));
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

#[test]
fn rows_refused_in_a_batch_sent_before_the_cut_do_not_cut_it() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let first = pace.submit(500, t).unwrap();
    let second = pace.submit(500, t).unwrap();
    // The polls were answered 429 for a minute: the first 429 sets the budget when they
    // answer.
    let answered = t + Duration::from_secs(60);
    pace.refusals(3, answered);
    assert_eq!(pace.rows_per_minute(), Some(580));
    for lease in [&first, &second] {
        pace.ran(lease.id, 500);
        pace.settled(lease.id);
    }
    // The second batch's refusals are a minute old and its rows no longer count: the cut
    // made since is still untried.
    pace.refused(&second, 407, answered);
    assert_eq!(pace.rows_per_minute(), Some(580));
    assert_eq!(granted(pace.submit(500, answered)), Some(500));
}

#[test]
fn a_sign_cuts_only_once_the_rows_before_the_last_cut_have_left() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let old = pace.submit(500, t).unwrap();
    pace.refusals(1, t + Duration::from_secs(1));
    assert_eq!(pace.rows_per_minute(), Some(580));
    // The rows sent before the budget are still in the window: their 429s say nothing about
    // the budget, however many come.
    for i in 2..12 {
        pace.refusals(i, t + Duration::from_secs(i * 5));
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
    // Out of the window but still held back in the store: it throttles them, and is not cut.
    pace.refusals(12, t + Duration::from_secs(61));
    assert_eq!(pace.rows_per_minute(), Some(580));
    pace.ran(old.id, 500);
    pace.settled(old.id);
    let new = pace.submit(80, t + Duration::from_secs(62)).unwrap();
    assert_eq!(new.rows, 80);
    pace.settled(new.id);
    // Nothing waits in the store and every row counted went out under the budget: the
    // store allows less.
    let at = t + Duration::from_secs(70);
    pace.refusals(13, at);
    assert_eq!(pace.rows_per_minute(), Some(464));
    // Half a minute without a sign: a twentieth of --rate back, never past the room after
    // two signs.
    let later = at + CLIMB_EVERY;
    let _ = pace.submit(1, later);
    assert_eq!(pace.rows_per_minute(), Some(494));
    for i in 1..20 {
        let _ = pace.submit(1, later + CLIMB_EVERY * i);
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
}

#[test]
fn rows_count_for_a_window_from_their_submit() {
    let t = Instant::now();
    let pace = counting_store(t);
    assert_eq!(granted(pace.submit(300, t)), Some(300));
    let s = t + Duration::from_secs(20);
    assert_eq!(granted(pace.submit(500, s)), Some(280));
    assert_eq!(pace.submit(500, s), Err(Duration::from_secs(40)));
    assert_eq!(
        granted(pace.submit(500, t + Duration::from_secs(60))),
        Some(300)
    );
    assert_eq!(
        pace.submit(500, t + Duration::from_secs(60)),
        Err(Duration::from_secs(20))
    );
}
