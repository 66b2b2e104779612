//! The quick first pass over the file that `--snapshot auto` decides by: how many rows would
//! be sent and their emails. It reads and checks the rows with the same reader and checker as
//! a dry run (so it agrees with the run on what is valid and what is a duplicate), and sends
//! nothing.

use super::check::{Checker, Item, Row};
use crate::config::Config;
use crate::ecwid::email_key;
use crate::input::mapping::ColumnMap;
use crate::input::source::Input;
use crate::ledger::resumed::Finished;
use crate::outcome::Status;
use crate::store::snapshot::{FileEmails, SAMPLE};

/// Rows checked at once.
const BATCH: usize = 512;

/// The valid rows of the file and their emails, on a thread of its own. A file that cannot
/// be read here is reported by the run's own pass: this one then counts what it read.
pub(super) async fn survey(config: &Config, map: &ColumnMap) -> FileEmails {
    let config = config.clone();
    let map = map.clone();
    tokio::task::spawn_blocking(move || survey_blocking(&config, map))
        .await
        .unwrap_or_default()
}

fn survey_blocking(config: &Config, map: ColumnMap) -> FileEmails {
    let Ok(mut input) = Input::open(&config.input, config.read_options()) else {
        return FileEmails::default();
    };
    let mut checker = Checker::new(map, true, Finished::default()).silenced();
    let mut file = FileEmails::default();
    let mut sample = Spread::default();
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match input.next_row() {
                Ok(Some(raw)) => batch.push(Row::from(raw)),
                _ => break,
            }
        }
        let last = batch.len() < BATCH;
        for item in checker.check_batch(batch) {
            if let Item::Ready(outcome) = item
                && outcome.status == Status::Valid
            {
                file.rows += 1;
                let email = email_key(&outcome.email);
                file.add(&email);
                sample.offer(email);
            }
        }
        if last {
            break;
        }
    }
    file.sample = spread(sample.items, SAMPLE);
    file
}

/// At most `n` of `items`, evenly spread from the first on.
fn spread(items: Vec<String>, n: usize) -> Vec<String> {
    let len = items.len();
    if len <= n {
        return items;
    }
    let mut picks = (0..n).map(|i| i * len / n).peekable();
    items
        .into_iter()
        .enumerate()
        .filter_map(|(at, item)| {
            let picked = picks.peek() == Some(&at);
            if picked {
                picks.next();
            }
            picked.then_some(item)
        })
        .collect()
}

/// Items of a stream of unknown length, evenly spread over it in little memory: every
/// `stride`-th item is kept, and when too many are kept, every other one is dropped and the
/// stride doubles.
struct Spread {
    stride: u64,
    seen: u64,
    items: Vec<String>,
}

impl Default for Spread {
    fn default() -> Self {
        Self {
            stride: 1,
            seen: 0,
            items: Vec::new(),
        }
    }
}

impl Spread {
    fn offer(&mut self, item: String) {
        if self.seen.is_multiple_of(self.stride) {
            self.items.push(item);
            if self.items.len() > 2 * SAMPLE {
                let kept = std::mem::take(&mut self.items);
                self.items = kept.into_iter().step_by(2).collect();
                self.stride *= 2;
            }
        }
        self.seen += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_spread_over_the_file() {
        let items: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let sample = spread(items, 20);
        assert_eq!(sample.len(), 20);
        assert_eq!(sample[0], "0");
        assert_eq!(sample[1], "5");
        assert_eq!(spread(vec!["a".into()], 20), vec!["a".to_string()]);
    }

    #[test]
    fn a_stream_is_sampled_evenly_in_little_memory() {
        let mut s = Spread::default();
        for i in 0..1_000 {
            s.offer(i.to_string());
            assert!(s.items.len() <= 2 * SAMPLE);
        }
        let sample = spread(s.items, SAMPLE);
        assert_eq!(sample.len(), SAMPLE);
        assert_eq!(sample[0], "0");
        let last: u64 = sample[SAMPLE - 1].parse().expect("a number");
        assert!(last > 800, "{sample:?}");
    }
}
