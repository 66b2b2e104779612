//! The deduplication keys of the batch lane's batches.

use sha2::{Digest, Sha256};

use crate::ecwid::BatchRequest;

/// What a run's deduplication keys cover besides the batch itself.
#[derive(Debug)]
pub(crate) struct KeyBase {
    /// Random per run, and kept in the journal for `--resume`.
    pub(crate) run_id: String,
    pub(crate) store_id: u64,
    pub(crate) api_url: String,
}

/// The deduplication key of a batch. Ecwid answers a key it saw within the hour with that
/// batch's ticket and runs nothing, so a key must be new for anything but the same batch sent
/// again: it covers the run (a resumed run keeps its id), the store, the API address, the
/// group's place in the file and every request's id and body. Fixing a mapping and importing
/// again, importing into a second store, or importing again after deleting the customers all
/// make new keys. `round` tells apart the later batches of a group's rows the store refused
/// with 429 (not executed) from the first, which may hold the very same rows. A request other
/// than a create is covered with its method and path too (a create's key stays what it was
/// before the lane sent anything else, so that an older journal resumes). Shaped as a UUID, as
/// Ecwid's docs show the key.
pub(crate) fn dedup_key(
    run: &KeyBase,
    index: u64,
    round: u32,
    requests: &[BatchRequest],
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"ecwid-import batch 2\0");
    for part in [run.run_id.as_str(), &run.store_id.to_string(), &run.api_url] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.update(index.to_le_bytes());
    // The first round's key is that of the runs before rounds, so a journal of one resumes.
    if round > 0 {
        hasher.update(b"round\0");
        hasher.update(round.to_le_bytes());
    }
    for request in requests {
        hasher.update(request.id.as_bytes());
        hasher.update(b"\0");
        if !request.is_create() {
            hasher.update(request.method.as_bytes());
            hasher.update(b" ");
            hasher.update(request.path.as_bytes());
            hasher.update(b"\0");
        }
        let body = request.body.as_deref().unwrap_or_default();
        hasher.update((body.len() as u64).to_le_bytes());
        hasher.update(body);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lane::ID_PREFIX;

    fn run(run_id: &str, store_id: u64, api_url: &str) -> KeyBase {
        KeyBase {
            run_id: run_id.into(),
            store_id,
            api_url: api_url.into(),
        }
    }

    fn creates(rows: &[(u64, &str)]) -> Vec<BatchRequest> {
        rows.iter()
            .map(|(row, body)| {
                let body = bytes::Bytes::copy_from_slice(body.as_bytes());
                BatchRequest::create(format!("{ID_PREFIX}{row}"), body)
            })
            .collect()
    }

    /// The same batch of the same run gets the same key; another run (or a second import of
    /// the same file), another store, another API address, another place in the file, other
    /// rows or any changed body get another.
    #[test]
    fn keys_are_stable_and_tell_batches_apart() {
        let url = "https://app.ecwid.com/api/v3";
        let base = run("4f2a", 1003, url);
        let rows = creates(&[
            (301, r#"{"email":"a@x.com"}"#),
            (302, r#"{"email":"b@x.com"}"#),
        ]);
        let key = dedup_key(&base, 3, 0, &rows);
        let body = rows[0].body.clone().unwrap_or_default();
        assert_eq!(key, dedup_key(&run("4f2a", 1003, url), 3, 0, &rows));
        assert_eq!(key.len(), 36);
        assert_eq!(key.matches('-').count(), 4);
        let fixed = creates(&[
            (301, r#"{"email":"a@x.com","lang":"en"}"#),
            (302, r#"{"email":"b@x.com"}"#),
        ]);
        for other in [
            dedup_key(&run("4f2b", 1003, url), 3, 0, &rows),
            dedup_key(&run("4f2a", 1004, url), 3, 0, &rows),
            dedup_key(
                &run("4f2a", 1003, "http://127.0.0.1:8080/api/v3"),
                3,
                0,
                &rows,
            ),
            dedup_key(&base, 4, 0, &rows),
            dedup_key(&base, 3, 0, &rows[..1]),
            dedup_key(&base, 3, 0, &fixed),
            dedup_key(&base, 3, 1, &rows),
        ] {
            assert_ne!(key, other);
        }
        // The same id and body as a create or an update of customer 7 or 8.
        let kinds = [
            dedup_key(&base, 3, 0, &rows[..1]),
            dedup_key(
                &base,
                3,
                0,
                &[BatchRequest::update("row-301".into(), 7, body.clone())],
            ),
            dedup_key(
                &base,
                3,
                0,
                &[BatchRequest::update("row-301".into(), 8, body)],
            ),
        ];
        for (i, a) in kinds.iter().enumerate() {
            for b in &kinds[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
