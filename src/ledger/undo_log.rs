//! The undo log: what an import wrote to the store, kept so that `undo` can reverse it.
//!
//! An import appends one JSON line per write *before* the write leaves (a create, a `PUT`, each
//! create inside a batch submit): the row, the email, the body sent (never the password) and,
//! for a `PUT`, the values it replaces, as the store sent them (whole lists and objects, every
//! field of their entries, known to this tool or not), so that `undo` gives them back exactly. Once the row's outcome is known, a second line gives
//! the customer's id and the status, so that `undo` knows the id of a create. A killed import
//! leaves whole lines and at most a torn last one, which the reader skips.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::customer::CustomerRequest;
use crate::customer::record::CustomerRecord;
use crate::outcome::RowOutcome;

/// The undo log of a results file: `customers.results.csv` → `customers.results.undo.jsonl`.
pub(crate) fn path_for(results: &Path) -> PathBuf {
    let stem = results.file_stem().unwrap_or_default().to_string_lossy();
    results.with_file_name(format!("{stem}.undo.jsonl"))
}

/// What kind of write a line logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Sent {
    Create,
    Update,
}

/// One line of the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Line {
    pub(crate) row: u64,
    /// Set on the line written before a write leaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) write: Option<Sent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
    /// When the write left, in UNIX seconds by this computer's clock: a customer found by
    /// email that registered well before is not the write's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) at: Option<u64>,
    /// The body sent, without the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<Value>,
    /// For an update: the store's values of the fields sent, before the write, as it sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) customer_id: Option<u64>,
    /// Set on the line written once the outcome is known: the row's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) outcome: Option<String>,
    /// Set on the line of a customer group the run created (`--create-groups`), row 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group_created: Option<CreatedGroup>,
}

/// A line in the form it is written in (its JSON text), made when its write is decided: what
/// a row holds until its write leaves (in the batch lane, until its batch does). The text of a
/// `PUT`'s line takes a few hundred bytes, where its body and old values as JSON values take
/// several KB (every key and value an allocation of its own, each object a tree).
#[derive(Debug)]
pub(crate) struct LineText {
    row: u64,
    /// Empty when the line could not be serialized: [`UndoLog::sending`] then refuses it.
    text: Box<str>,
}

/// A customer group an import created: `undo` removes it once it holds no customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CreatedGroup {
    pub(crate) id: u64,
    pub(crate) name: String,
}

impl CreatedGroup {
    /// Its line in the log: row 0, which no data row has.
    pub(crate) fn line(&self) -> Line {
        Line {
            row: 0,
            write: None,
            line: None,
            email: None,
            at: None,
            body: None,
            old: None,
            customer_id: None,
            outcome: None,
            group_created: Some(self.clone()),
        }
    }
}

/// The customer groups the log says the import created, in the order created, each once.
pub(crate) fn created_groups(path: &Path) -> io::Result<Vec<CreatedGroup>> {
    let reader = BufReader::new(File::open(path)?);
    let mut groups: Vec<CreatedGroup> = Vec::new();
    for text in reader.split(b'\n') {
        let Ok(line) = serde_json::from_slice::<Line>(&text?) else {
            continue;
        };
        if let Some(group) = line.group_created
            && !groups.iter().any(|g| g.id == group.id)
        {
            groups.push(group);
        }
    }
    Ok(groups)
}

impl Line {
    /// The line as it is written.
    pub(crate) fn text(&self) -> LineText {
        LineText {
            row: self.row,
            text: serde_json::to_string(self)
                .unwrap_or_default()
                .into_boxed_str(),
        }
    }

    /// The line of a create about to leave.
    pub(crate) fn create(row: u64, line: u64, email: &str, request: &CustomerRequest) -> Self {
        Line {
            row,
            write: Some(Sent::Create),
            line: Some(line),
            email: Some(email.to_string()),
            at: now(),
            body: Some(without_password(request)),
            old: None,
            customer_id: None,
            outcome: None,
            group_created: None,
        }
    }

    /// The line of a `PUT` about to leave to customer `id`, with the body `sent`.
    pub(crate) fn update(
        row: u64,
        line: u64,
        email: &str,
        id: u64,
        sent: &Map<String, Value>,
        record: &CustomerRecord,
    ) -> Self {
        let mut sent = sent.clone();
        sent.remove("password");
        let body = Value::Object(sent);
        Line {
            row,
            write: Some(Sent::Update),
            line: Some(line),
            email: Some(email.to_string()),
            at: now(),
            old: Some(old_values(&body, record)),
            body: Some(body),
            customer_id: Some(id),
            outcome: None,
            group_created: None,
        }
    }
}

fn now() -> Option<u64> {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    Some(since.as_secs())
}

fn without_password(request: &CustomerRequest) -> Value {
    let mut request = request.clone();
    request.password = None;
    serde_json::to_value(&request).unwrap_or(Value::Null)
}

/// The store's values of the fields in `sent`, as the store sent them ([`CustomerRecord::raw`]).
/// What the `PUT` adds where the store had nothing is given back as nothing: an unset text as
/// `""` (which a `PUT` clears), a list as `[]`; inside the billing person and the extra fields,
/// which a store may merge rather than replace, each text field or key the `PUT` adds is given
/// back as `""`, so that the restore takes it away in either case. An unset field of another
/// kind is left out, as nothing could send it back.
fn old_values(sent: &Value, record: &CustomerRecord) -> Value {
    let mut old = Map::new();
    for (key, new) in sent.as_object().into_iter().flatten() {
        let before = record.raw.get(key).filter(|v| !v.is_null());
        let value = match (key.as_str(), before, new) {
            ("billingPerson", before, Value::Object(new)) => {
                let mut person = match before {
                    Some(Value::Object(fields)) => fields.clone(),
                    _ => Map::new(),
                };
                for (field, value) in new {
                    let unset = person.get(field).is_none_or(Value::is_null);
                    if unset && value.is_string() {
                        person.insert(field.clone(), Value::String(String::new()));
                    }
                }
                Value::Object(person)
            }
            ("extrafields", before, Value::Array(new)) => {
                Value::Array(old_extra_fields(before, new))
            }
            (_, Some(value), _) => value.clone(),
            (_, None, Value::String(_)) => Value::String(String::new()),
            (_, None, Value::Array(_)) => Value::Array(Vec::new()),
            _ => continue,
        };
        old.insert(key.clone(), value);
    }
    Value::Object(old)
}

/// The store's extra fields as they came, and `{"key", "value": ""}` for each key the `PUT`
/// adds.
fn old_extra_fields(before: Option<&Value>, sent: &[Value]) -> Vec<Value> {
    let mut old = match before {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let key = |entry: &Value| entry.get("key").and_then(Value::as_str).map(str::to_string);
    for entry in sent {
        let Some(added) = key(entry) else { continue };
        if !old.iter().any(|o| key(o).as_deref() == Some(&added)) {
            old.push(serde_json::json!({"key": added, "value": ""}));
        }
    }
    old
}

/// The log an import appends to.
#[derive(Debug)]
pub(crate) struct UndoLog {
    file: Mutex<File>,
    /// Rows with a write logged in this run: only they get an outcome line.
    logged: Mutex<HashSet<u64>>,
}

impl UndoLog {
    /// Opens the log at `path` to append (`--resume` goes on with the same one), creating it
    /// readable by the owner only: it holds personal data.
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        let mut options = OpenOptions::new();
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.append(true).create(true).open(path)?;
        Ok(Self {
            file: Mutex::new(file),
            logged: Mutex::default(),
        })
    }

    /// Writes the lines of writes about to leave, in one `write`; `false` when that failed
    /// (the writes must then not leave).
    pub(crate) fn sending(&self, lines: &[LineText]) -> bool {
        let mut text = Vec::new();
        for line in lines {
            if line.text.is_empty() {
                return false;
            }
            text.extend_from_slice(line.text.as_bytes());
            text.push(b'\n');
        }
        let written = match self.file.lock() {
            Ok(mut file) => file.write_all(&text).and_then(|()| file.flush()).is_ok(),
            Err(_) => false,
        };
        if written && let Ok(mut logged) = self.logged.lock() {
            logged.extend(lines.iter().map(|l| l.row));
        }
        written
    }

    /// Notes the outcome of a row whose write was logged. A failure to write it is only
    /// warned of: `undo` then looks the email up.
    pub(crate) fn finished(&self, outcome: &RowOutcome) {
        let logged = self
            .logged
            .lock()
            .is_ok_and(|logged| logged.contains(&outcome.row));
        if !logged {
            return;
        }
        let line = Line {
            row: outcome.row,
            write: None,
            line: None,
            email: None,
            at: None,
            body: None,
            old: None,
            customer_id: outcome.customer_id,
            outcome: Some(outcome.status.as_str().to_string()),
            group_created: None,
        };
        let mut text = serde_json::to_vec(&line).unwrap_or_default();
        text.push(b'\n');
        let written = match self.file.lock() {
            Ok(mut file) => file.write_all(&text).is_ok(),
            Err(_) => false,
        };
        if !written {
            tracing::warn!("cannot write the undo log: row {}'s outcome", outcome.row);
        }
    }
}

/// A write of the log, with what became of it, as `undo` reads it.
#[derive(Debug, Clone)]
pub(crate) struct Logged {
    pub(crate) row: u64,
    pub(crate) line: u64,
    pub(crate) email: String,
    pub(crate) write: Sent,
    /// When the first write of the row left (UNIX seconds), when logged.
    pub(crate) at: Option<u64>,
    pub(crate) body: CustomerRequest,
    pub(crate) old: Map<String, Value>,
    pub(crate) customer_id: Option<u64>,
    /// The row's status in the import, when it was logged.
    pub(crate) outcome: Option<String>,
}

/// Reads the log: one entry per row with a write, in the order of their first line. A row
/// sent again (a resumed run, a create sent again after a look-up) keeps its first write's
/// old values and takes the latest id; lines that do not read (a torn last line) are skipped.
pub(crate) fn read(path: &Path) -> io::Result<Vec<Logged>> {
    let reader = BufReader::new(File::open(path)?);
    let mut entries: Vec<Logged> = Vec::new();
    let mut by_row: HashMap<u64, usize> = HashMap::new();
    for text in reader.split(b'\n') {
        let Ok(line) = serde_json::from_slice::<Line>(&text?) else {
            continue;
        };
        match by_row.get(&line.row) {
            Some(&at) => merge(&mut entries[at], line),
            None => {
                if let Some(entry) = entry_of(line) {
                    by_row.insert(entry.row, entries.len());
                    entries.push(entry);
                }
            }
        }
    }
    Ok(entries)
}

fn entry_of(line: Line) -> Option<Logged> {
    let write = line.write?;
    // Read as the store's records are: an update's body holds the store's entries as they came.
    let body = CustomerRecord::read(line.body?).ok()?.request();
    let old = match line.old {
        Some(Value::Object(old)) => old,
        _ => Map::new(),
    };
    Some(Logged {
        row: line.row,
        line: line.line.unwrap_or_default(),
        email: line.email.unwrap_or_default(),
        write,
        at: line.at,
        body,
        old,
        customer_id: line.customer_id,
        outcome: None,
    })
}

fn merge(entry: &mut Logged, line: Line) {
    let (id, outcome) = (line.customer_id, line.outcome.clone());
    match line.write {
        // A `PUT` after a create refused with 409 (`--on-existing update`): the create did not
        // take effect, the update is the row's write.
        Some(Sent::Update) if entry.write == Sent::Create => {
            if let Some(update) = entry_of(line) {
                *entry = update;
            }
        }
        // A create sent again after a look-up found nothing: the same row, the later body.
        Some(Sent::Create) if entry.write == Sent::Create => {
            if let Some(again) = entry_of(line) {
                entry.body = again.body;
            }
        }
        _ => {}
    }
    if id.is_some() {
        entry.customer_id = id;
    }
    if outcome.is_some() {
        entry.outcome = outcome;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(email: &str, name: &str) -> CustomerRequest {
        serde_json::from_value(serde_json::json!({
            "email": email, "password": "hunter2", "billingPerson": {"name": name}
        }))
        .expect("a request")
    }

    /// A line is written as the text it was made into; one that could not be serialized
    /// (empty) is refused with the lines sent beside it, so that their writes do not leave, and
    /// their rows get no outcome line.
    #[test]
    fn writes_a_line_as_its_text_and_refuses_one_without_text() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.undo.jsonl");
        let log = UndoLog::open(&path).expect("opens");
        let line = Line::create(1, 2, "a@example.com", &request("a@example.com", "New"));
        let text = line.text();
        assert_eq!(*text.text, *serde_json::to_string(&line).expect("json"));
        let empty = LineText {
            row: 2,
            text: "".into(),
        };
        assert!(!log.sending(&[line.text(), empty]));
        assert!(log.sending(&[text]));
        let outcome = |row| RowOutcome {
            row,
            line: row + 1,
            email: String::new(),
            status: crate::outcome::Status::Created,
            customer_id: Some(9),
            http_status: None,
            attempts: 1,
            error: String::new(),
            reasons: Vec::new(),
            record: csv::ByteRecord::new(),
            settled: true,
        };
        log.finished(&outcome(1));
        log.finished(&outcome(2));
        drop(log);
        let written = std::fs::read_to_string(&path).expect("log");
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 2, "{written}");
        assert_eq!(lines[0], &*serde_json::to_string(&line).expect("json"));
        assert!(lines[1].contains("\"row\":1"), "{written}");
    }

    /// A create, then the update a 409 led to, then the outcome: one entry, the update's, with
    /// the id; a torn last line is skipped; the password is never written.
    #[test]
    fn reads_one_entry_per_row_and_skips_a_torn_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.undo.jsonl");
        let log = UndoLog::open(&path).expect("opens");
        let sent = request("a@example.com", "New");
        let record: CustomerRecord = serde_json::from_value(serde_json::json!(
            {"id": 7, "email": "a@example.com", "billingPerson": {"name": "Old"}, "taxId": null}
        ))
        .expect("a record");
        assert!(log.sending(&[Line::create(1, 2, "a@example.com", &sent).text()]));
        let update = serde_json::to_value(&sent).expect("json");
        let update = update.as_object().expect("an object");
        let update = Line::update(1, 2, "a@example.com", 7, update, &record);
        assert!(log.sending(&[update.text()]));
        assert!(log.sending(&[Line::create(2, 3, "b@example.com", &sent).text()]));
        drop(log);
        let mut text = std::fs::read_to_string(&path).expect("log");
        assert!(!text.contains("hunter2"));
        text.push_str("{\"row\":2,\"customer_id\":9,\"outc");
        std::fs::write(&path, text).expect("tear");

        let entries = read(&path).expect("reads");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].write, Sent::Update);
        assert_eq!(entries[0].customer_id, Some(7));
        assert_eq!(entries[0].old["billingPerson"]["name"], "Old");
        assert_eq!(entries[1].write, Sent::Create);
        assert_eq!(entries[1].customer_id, None);
    }

    /// An unset text is restored as `""`, an absent list as `[]`; an unset field of another
    /// kind is left out.
    #[test]
    fn old_values_of_unset_fields() {
        let sent = serde_json::json!({"taxId": "IT1", "taxExempt": true, "contacts": []});
        let old = old_values(&sent, &CustomerRecord::default());
        assert_eq!(old, serde_json::json!({"taxId": "", "contacts": []}));
    }

    /// The store's values come back as it sent them, unknown fields and nulls included; what
    /// the `PUT` adds to the billing person and the extra fields is given back as `""`.
    #[test]
    fn old_values_are_the_stores_own() {
        let record = CustomerRecord::read(serde_json::json!({
            "id": 7, "taxId": null,
            "billingPerson": {"name": "Ann", "x-app": {"a": [1]}, "city": null},
            "contacts": [{"id": 1, "type": "PHONE", "contact": "+1", "x-app": true}],
            "extrafields": [{"key": "a", "value": null, "title": "A", "type": "TEXT"}],
        }))
        .expect("a record");
        let sent = serde_json::json!({
            "taxId": "X",
            "billingPerson": {"name": "Ann", "x-app": {"a": [1]}, "city": "Oslo"},
            "contacts": [{"id": 1, "type": "PHONE", "contact": "+1", "x-app": true},
                         {"type": "PHONE", "contact": "+2"}],
            "extrafields": [{"key": "a", "value": "1", "title": "A", "type": "TEXT"},
                            {"key": "b", "value": "2"}],
        });
        assert_eq!(
            old_values(&sent, &record),
            serde_json::json!({
                "taxId": "",
                "billingPerson": {"name": "Ann", "x-app": {"a": [1]}, "city": ""},
                "contacts": [{"id": 1, "type": "PHONE", "contact": "+1", "x-app": true}],
                "extrafields": [{"key": "a", "value": null, "title": "A", "type": "TEXT"},
                                {"key": "b", "value": ""}],
            })
        );
    }

    #[test]
    fn lies_beside_the_results_file() {
        assert_eq!(
            path_for(Path::new("out/customers.results.csv")),
            Path::new("out/customers.results.undo.jsonl")
        );
    }
}
