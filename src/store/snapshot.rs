//! The snapshot of the store: its customers read once, before any row is sent, so that a row
//! whose email the store already holds is settled without a create that the store refuses
//! with 409 and a look-up after it. A re-run of an unchanged file then costs a page of
//! requests per 100 customers of the store instead of two requests per row.
//!
//! The store is read through the listing loop `export` shares ([`super::listing`]), which
//! hands on each customer once.
//! Whole records are kept only for emails in the file, in a temporary file ([`super::kept`]):
//! they grow with the file's rows that exist, not with the store. Of every other customer the snapshot keeps its id under a hash of
//! its email (16 bytes a customer, about 50 with the table's slots: BENCHMARKS.md): a row the
//! first pass over the file did not see (the file changed between the two passes) is then still
//! known to exist, and its record costs one `GET` by id instead of a refused create and a look-up;
//! and "not in the snapshot" keeps meaning "not in the store", which `plan` relies on.
//!
//! Whether reading the store is worth it is [`choose`]'s call (`--snapshot`).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::path::Path;

use super::kept::{Kept, Texts};
use super::listing::{self, RESTART_AFTER};
use crate::config::SnapshotMode;
use crate::ecwid::engine::{Engine, Failure, Kind};
use crate::ecwid::{Found, ListFilter, Lookup, PAGE_SIZE, Page, Unreadable, email_key};
use crate::report::summary::{SnapshotCounts, store_read};
use crate::words::count;

/// Emails of the file looked up to predict how many of its rows exist (`--snapshot auto`).
pub(crate) const SAMPLE: usize = 20;
/// A progress line every this many pages.
const PAGES_PER_NOTE: u64 = 10;

/// What the store held when the run read it, for the emails of the file.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// Lower-case email -> the customer, with where its whole record is (as JSON text, in
    /// `texts`: [`super::kept`]).
    by_email: HashMap<String, Kept>,
    texts: Texts,
    /// A hash of every other customer's email in lower case -> its id. Two emails sharing a
    /// hash cost a `GET` whose record shows the wrong email; the row then goes on as if the
    /// snapshot did not know it.
    others: HashMap<u64, u64>,
    hasher: RandomState,
    /// Customers read (each once).
    pub(crate) customers: u64,
    /// Requests of the listing (the pages, not the size).
    pub(crate) requests: u64,
    /// Whether every customer of the store was read: only then does an email it lacks mean
    /// a customer the store does not have (what `plan` takes it to mean).
    pub(crate) complete: bool,
    /// Whether the store was listed; `false` for the customers the sample of `--snapshot auto`
    /// found, kept so that their rows are not looked up a second time.
    pub(crate) listed: bool,
    /// Sampled emails (in lower case) the store did not have.
    sampled_absent: HashSet<String>,
    /// Emails of the file (in lower case) whose record the listing gave without an id that can
    /// be read -> what could not be read: their rows fail with it, and the rest goes on.
    unreadable: HashMap<String, String>,
}

/// What the snapshot knows of a customer of the store.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Known {
    /// Its whole record: an email of the file.
    Record(Found),
    /// Only its id: an email the first pass over the file did not see.
    Id(u64),
    /// A customer with this email whose record cannot be read (no id that can be): what could
    /// not be read.
    Unreadable(String),
}

impl Snapshot {
    /// What the summary says of this read: the customers, the `list` requests of `engine`
    /// (the store's size and the pages, retries included) and the customers the file names.
    /// The INFO line at the end of the read says the same, in the same words.
    pub(crate) fn counts(&self, engine: &Engine) -> SnapshotCounts {
        SnapshotCounts {
            customers: self.customers,
            requests: engine.counts().kind(Kind::List).requests,
            in_file: self.by_email.len() as u64,
        }
    }

    /// The customer with this email when the store was read, if any.
    pub(crate) fn find(&self, email: &str) -> Option<Known> {
        let email = email_key(email);
        if let Some(kept) = self.by_email.get(&email) {
            // Should its text not read back, only its id, which costs the row a `GET` by id.
            let found = self.texts.found(kept);
            return Some(found.map_or(Known::Id(kept.id), Known::Record));
        }
        if let Some(problem) = self.unreadable.get(&email) {
            return Some(Known::Unreadable(problem.clone()));
        }
        let id = self.others.get(&self.hasher.hash_one(&email))?;
        Some(Known::Id(*id))
    }

    /// Whether the store did not have this email when it was read (or sampled): what `plan`
    /// then takes for a customer to create, without asking again. A customer known only by
    /// id (whose `GET` failed) is not lacking: the plan asks about it as the import would.
    pub(crate) fn lacks(&self, email: &str) -> bool {
        let email = email_key(email);
        let known = self.by_email.contains_key(&email)
            || self.unreadable.contains_key(&email)
            || self.others.contains_key(&self.hasher.hash_one(&email));
        (self.complete && !known) || self.sampled_absent.contains(&email)
    }

    /// Whether it knows nothing of the store's customers.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_email.is_empty()
            && self.others.is_empty()
            && self.sampled_absent.is_empty()
            && self.unreadable.is_empty()
    }
}

impl Snapshot {
    /// Takes in a page of the listing (each customer once): counts its customers and keeps
    /// those the file `wanted`, and the problems of the file's customers whose records have no
    /// id that can be read (each is warned of once).
    fn take(&mut self, page: Page, wanted: &FileEmails) {
        for Unreadable { email, problem } in page.unreadable {
            let email = email_key(email.as_deref().unwrap_or_default());
            if !self.unreadable.contains_key(&email) {
                tracing::warn!(
                    "the store listed a customer whose record cannot be read ({problem}){}",
                    if email.is_empty() {
                        String::new()
                    } else {
                        format!(": the row of {email} fails with it")
                    }
                );
            }
            if wanted.has(&email) {
                self.unreadable.insert(email, problem);
            }
        }
        for found in page.customers {
            self.customers += 1;
            let email = email_key(found.record.email.as_deref().unwrap_or_default());
            if wanted.has(&email) {
                let kept = self.texts.keep(&found);
                self.by_email.insert(email, kept);
            } else if !email.is_empty() {
                self.others.insert(self.hasher.hash_one(&email), found.id);
            }
        }
    }
}

/// What the first pass over the file found: what `--snapshot auto` decides by, and which
/// records the snapshot keeps.
#[derive(Debug, Default)]
pub(crate) struct FileEmails {
    /// Rows that would be sent (valid, not duplicates).
    pub(crate) rows: u64,
    /// A hash of each of their emails in lower case: 8 bytes a row rather than the email. Two
    /// emails sharing a hash only make the snapshot keep a record it does not need.
    emails: HashSet<u64>,
    hasher: RandomState,
    /// Up to [`SAMPLE`] of them, spread over the file, in file order.
    pub(crate) sample: Vec<String>,
}

impl FileEmails {
    /// Notes an email (in lower case) of a row to send.
    pub(crate) fn add(&mut self, email: &str) {
        self.emails.insert(self.hasher.hash_one(email));
    }

    /// Whether an email (in lower case) may be one of the file's.
    fn has(&self, email: &str) -> bool {
        self.emails.contains(&self.hasher.hash_one(email))
    }
}

/// Requests a listing of a store of `size` customers costs.
fn pages_for(size: u64) -> u64 {
    size.div_ceil(PAGE_SIZE)
}

/// `--snapshot auto` without a sample: listing costs at most a tenth of the file's rows.
fn cheap_enough(pages: u64, rows: u64) -> bool {
    pages.saturating_mul(10) <= rows
}

/// `--snapshot auto` after a sample: `found` of `sampled` emails exist, so about
/// `found / sampled * rows` rows would each cost a 409 and a look-up; listing wins when it
/// costs less than twice that.
fn worth_it(pages: u64, rows: u64, found: u64, sampled: u64) -> bool {
    sampled > 0
        && u128::from(pages) * u128::from(sampled) < 2 * u128::from(found) * u128::from(rows)
}

/// What [`choose`] decided.
#[derive(Debug)]
pub(crate) enum Decision {
    /// List the store of about this many customers.
    List(u64),
    /// Send the rows one by one. The customers the sample found are known already (their
    /// records, as a listing would give them): their rows need no look-up of their own.
    OneByOne(Box<Snapshot>),
}

/// Whether to read the store, by `mode`. `Err` when the store could not be asked (the run may
/// have stopped).
pub(crate) async fn choose(
    engine: &Engine,
    mode: SnapshotMode,
    file: &FileEmails,
) -> Result<Decision, Failure> {
    // A file with no row to send has nothing to learn from the store.
    if mode == SnapshotMode::Never || (mode == SnapshotMode::Auto && file.rows == 0) {
        return Ok(Decision::OneByOne(Box::default()));
    }
    let client = &engine.client;
    let mut tries = engine.tries();
    let size = engine
        .send(Kind::List, &mut tries, || client.store_size())
        .await?;
    let pages = pages_for(size);
    if size == 0 {
        // The read ends here: `read` says so, as the summary does.
        return Ok(Decision::List(size));
    }
    if mode == SnapshotMode::Always || cheap_enough(pages, file.rows) {
        tracing::info!(
            "reading the store first: {} ({} of {PAGE_SIZE}), for {}",
            count_grouped(size, "customer", "customers"),
            count(pages, "page", "pages"),
            count_grouped(file.rows, "row", "rows")
        );
        return Ok(Decision::List(size));
    }
    // Whole records, at the cost of the same one request: should the store not be listed,
    // these rows are settled as a listing would settle them.
    let mut sample = Snapshot::default();
    for email in &file.sample {
        let mut tries = engine.tries();
        let hit = engine
            .send(Kind::Search, &mut tries, || {
                client.find_customer(email, Lookup::Full)
            })
            .await?;
        if let Some(hit) = hit {
            let kept = sample.texts.keep(&hit);
            sample.by_email.insert(email.clone(), kept);
        } else {
            sample.sampled_absent.insert(email.clone());
        }
    }
    let found = sample.by_email.len() as u64;
    let sampled = file.sample.len() as u64;
    let list = worth_it(pages, file.rows, found, sampled);
    tracing::info!(
        "{found} of {} in the store of {}: {}",
        count(sampled, "sampled email exists", "sampled emails exist"),
        count_grouped(size, "customer", "customers"),
        if list {
            format!(
                "reading the store first ({} of {PAGE_SIZE})",
                count(pages, "page", "pages")
            )
        } else {
            "looking rows up one by one instead of reading the store".to_string()
        }
    );
    Ok(if list {
        Decision::List(size)
    } else {
        Decision::OneByOne(Box::new(sample))
    })
}

/// Reads the store of about `size` customers, keeping the records of `wanted` emails (in a
/// temporary file in `dir`, when given: [`super::kept`]).
pub(crate) async fn read(
    engine: &Engine,
    size: u64,
    wanted: &FileEmails,
    dir: Option<&Path>,
) -> Result<Snapshot, Failure> {
    let mut snapshot = Snapshot {
        listed: true,
        texts: dir.map(Texts::beside).unwrap_or_default(),
        ..Snapshot::default()
    };
    if size == 0 {
        snapshot.complete = true;
        tracing::info!("{}", store_read(&snapshot.counts(engine)));
        return Ok(snapshot);
    }
    let mut pages = 0u64;
    let listed = listing::read_all(engine, &ListFilter::default(), |page| {
        snapshot.take(page, wanted);
        pages += 1;
        if pages.is_multiple_of(PAGES_PER_NOTE) {
            tracing::info!(
                "reading the store: {} of {} customers",
                grouped(snapshot.customers),
                grouped(size.max(snapshot.customers))
            );
        }
    })
    .await?;
    snapshot.requests = listed.requests;
    if !listed.complete {
        tracing::warn!(
            "the store lists more than {} customers from one registration time: the snapshot \
             holds the first {} customers, the others are looked up row by row",
            grouped(RESTART_AFTER),
            grouped(snapshot.customers)
        );
        return Ok(snapshot);
    }
    tracing::info!("{}", store_read(&snapshot.counts(engine)));
    snapshot.complete = true;
    Ok(snapshot)
}

/// `1 customer`, `1,200 customers`, for the log.
fn count_grouped(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", grouped(n))
    }
}

/// `1200` as `1,200`, for the log.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::record::CustomerRecord;

    #[test]
    fn the_rule_lists_when_pages_cost_a_tenth_of_the_rows() {
        assert_eq!(pages_for(0), 0);
        assert_eq!(pages_for(1_300), 13);
        assert_eq!(pages_for(1_301), 14);
        assert!(cheap_enough(14, 300));
        assert!(!cheap_enough(31, 300));
        assert!(cheap_enough(0, 0));
    }

    #[test]
    fn the_sample_lists_when_pages_are_below_twice_the_predicted_existing_rows() {
        // 10 of 20 sampled exist in 1,000 rows: 500 predicted, listing up to 999 pages wins.
        assert!(worth_it(999, 1_000, 10, 20));
        assert!(!worth_it(1_000, 1_000, 10, 20));
        assert!(!worth_it(1, 10, 0, 10));
        assert!(!worth_it(0, 0, 0, 0));
    }

    fn listed(customers: Vec<Found>) -> Page {
        Page {
            total: 0,
            customers,
            unreadable: Vec::new(),
        }
    }

    /// A record without an id that can be read is known by its email, with what could not be
    /// read: its row is told so, and the plan does not take it for a customer to create.
    #[test]
    fn an_unreadable_record_is_known_by_its_email() {
        let mut wanted = FileEmails::default();
        wanted.add("ann@example.com");
        let mut snapshot = Snapshot::default();
        let page = Page {
            total: 2,
            customers: Vec::new(),
            unreadable: vec![
                Unreadable {
                    email: Some("Ann@example.com".into()),
                    problem: "id: missing".into(),
                },
                Unreadable {
                    email: None,
                    problem: "the customer: an object was expected, found 5".into(),
                },
            ],
        };
        snapshot.take(page, &wanted);
        snapshot.complete = true;
        assert_eq!(
            snapshot.find("ann@example.com"),
            Some(Known::Unreadable("id: missing".into()))
        );
        assert!(!snapshot.lacks("ann@example.com"));
    }

    fn customer(id: u64, email: &str) -> Found {
        let record = serde_json::json!({ "id": id, "email": email });
        Found::of(serde_json::from_value(record).expect("a record")).expect("an id")
    }

    /// The file's emails keep their records; every other customer is known by id (the listing
    /// hands each customer on once: `listing`'s tests).
    #[test]
    fn file_emails_keep_records_and_the_rest_their_ids() {
        let mut wanted = FileEmails::default();
        wanted.add("ann@example.com");
        let mut snapshot = Snapshot::default();
        let page = vec![
            customer(1, "Ann@Example.com"),
            customer(2, "bob@example.com"),
            customer(3, ""),
        ];
        snapshot.take(listed(page), &wanted);
        assert_eq!(snapshot.customers, 3);
        match snapshot.find(" ANN@example.com") {
            Some(Known::Record(found)) => assert_eq!(found.id, 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(snapshot.find("Bob@example.com"), Some(Known::Id(2)));
        assert_eq!(snapshot.find("carl@example.com"), None);
        assert_eq!(snapshot.find(""), None);
        // Read to the end, the store lacks only the emails it knows neither way.
        snapshot.complete = true;
        assert!(!snapshot.lacks("ann@example.com"));
        assert!(!snapshot.lacks("bob@example.com"));
        assert!(snapshot.lacks("carl@example.com"));
    }

    /// A record is kept as its text and read again when its row asks: the row gets the very
    /// record the listing read, unknown fields, numbers and a field that cannot be read included.
    #[test]
    fn a_kept_record_reads_back_as_the_listing_read_it() {
        let value = serde_json::json!({
            "id": 7, "email": "Zoë@example.com", "name": "Zoë Ω 山田",
            "registered": "2024-01-02 03:04:05 +0000", "taxExempt": "not a boolean",
            "billingPerson": { "name": "Zoë", "phone": "+1 555", "countryCode": "US" },
            "shippingAddresses": [null, { "street": "1 Main St\nSuite 2" }],
            "contacts": [{ "contact": "z@example.com", "type": "EMAIL", "orderBy": 0 }],
            "extrafields": [{ "key": "k", "value": "v" }],
            "totalOrderCount": 3, "someNewField": { "ratio": 0.1, "big": 12_345_678_901_234_u64 }
        });
        let record = CustomerRecord::read(value).expect("an object");
        assert!(record.unreadable.is_some());
        let found = Found::of(record).expect("an id");
        let mut wanted = FileEmails::default();
        wanted.add("zoë@example.com");
        let mut snapshot = Snapshot::default();
        snapshot.take(listed(vec![found.clone()]), &wanted);
        assert_eq!(
            snapshot.find("zoë@example.com"),
            Some(Known::Record(found.clone()))
        );
        // Asked again (a second row of the same email), the same record.
        assert_eq!(snapshot.find("ZOË@example.com"), Some(Known::Record(found)));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_200), "1,200");
        assert_eq!(grouped(10_000_000), "10,000,000");
    }
}
