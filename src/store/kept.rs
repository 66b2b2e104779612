//! The records the snapshot keeps until their rows ask: each the record's object as the store
//! sent it, as JSON text, read again each time the same way the listing read it (so the row gets
//! the same record). A record read into [`CustomerRecord`]'s fields and its `raw` map takes
//! several times its text (every key and value a heap string of its own, held twice).
//!
//! The texts go one after another into an unnamed temporary file beside the run's results (the
//! system removes it when the run ends, however it ends; readable by its owner only, as it holds
//! personal data). Memory then keeps about 100 bytes a customer of the file that exists (its
//! email and where its text is) instead of about 1.5 KB, so that an update run's memory is
//! mostly the rows in progress (BENCHMARKS.md, "every write kind"). When no such file can be
//! made or written, the texts are kept in memory, one after another.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::customer::record::CustomerRecord;
use crate::ecwid::Found;

/// Where the kept records' texts are.
#[derive(Debug, Default)]
pub(super) struct Texts {
    /// The folder of the temporary file; `None`: in memory.
    dir: Option<PathBuf>,
    /// The file once made, and its length.
    file: Option<Mutex<(File, u64)>>,
    /// Texts kept in memory: without a folder, or since the file failed.
    memory: Vec<u8>,
}

/// Where one text is.
#[derive(Debug, Clone, Copy)]
enum Place {
    File { at: u64, len: usize },
    Memory { at: usize, len: usize },
}

/// A customer of the file as the snapshot keeps it: its id and where its record's text is.
#[derive(Debug)]
pub(super) struct Kept {
    pub(super) id: u64,
    place: Place,
}

impl Texts {
    /// Texts in a temporary file in `dir`.
    pub(super) fn beside(dir: &Path) -> Self {
        Texts {
            dir: Some(dir.to_path_buf()),
            ..Texts::default()
        }
    }

    /// Keeps the record of `found`.
    pub(super) fn keep(&mut self, found: &Found) -> Kept {
        // The map serializes as the object it came from, without a copy of it first.
        let text = serde_json::to_string(&found.record.raw).unwrap_or_default();
        let place = match self.append(text.as_bytes()) {
            Some(place) => place,
            None => {
                let at = self.memory.len();
                self.memory.extend_from_slice(text.as_bytes());
                Place::Memory {
                    at,
                    len: text.len(),
                }
            }
        };
        Kept {
            id: found.id,
            place,
        }
    }

    /// Appends `text` to the file, made at the first text; `None` (and no file from then on)
    /// when it cannot be made or written.
    fn append(&mut self, text: &[u8]) -> Option<Place> {
        if self.file.is_none() {
            let dir = self.dir.take()?;
            match tempfile::tempfile_in(&dir) {
                Ok(file) => self.file = Some(Mutex::new((file, 0))),
                Err(e) => {
                    tracing::debug!(
                        "the snapshot keeps its records in memory: no temporary file in {}: {e}",
                        dir.display()
                    );
                    return None;
                }
            }
        }
        let written = self.file.as_ref().and_then(|file| {
            let mut file = file.lock().ok()?;
            let (file, end) = &mut *file;
            let at = *end;
            file.seek(SeekFrom::Start(at)).ok()?;
            file.write_all(text).ok()?;
            *end += text.len() as u64;
            Some(Place::File {
                at,
                len: text.len(),
            })
        });
        if written.is_none() {
            tracing::debug!("the snapshot keeps its records in memory: its file cannot be written");
            self.file = None;
        }
        written
    }

    /// The text at `place`; `None` when it cannot be read back.
    fn text(&self, place: Place) -> Option<Vec<u8>> {
        match place {
            Place::Memory { at, len } => self.memory.get(at..at + len).map(<[u8]>::to_vec),
            Place::File { at, len } => {
                let mut file = self.file.as_ref()?.lock().ok()?;
                let (file, _) = &mut *file;
                let mut text = vec![0; len];
                file.seek(SeekFrom::Start(at)).ok()?;
                file.read_exact(&mut text).ok()?;
                Some(text)
            }
        }
    }

    /// The whole record of `kept` again, read as the listing read it; `None` when its text
    /// does not read back (the row then costs a `GET` by id).
    pub(super) fn found(&self, kept: &Kept) -> Option<Found> {
        let text = self.text(kept.place)?;
        serde_json::from_slice(&text)
            .ok()
            .and_then(|raw| CustomerRecord::read(raw).ok())
            .and_then(Found::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(id: u64, name: &str) -> Found {
        let raw = serde_json::json!({
            "id": id, "email": format!("c{id}@example.com"), "registered": "2024-01-02 03:04:05 +0000",
            "billingPerson": {"name": name, "street": "Hauptstraße 1"}, "contacts": [],
            "unknownToThisTool": {"kept": [1, 2]}
        });
        Found::of(CustomerRecord::read(raw).expect("a record")).expect("an id")
    }

    /// Each record reads back as the listing read it, in the temporary file as in memory
    /// (without a folder, or when the folder cannot hold the file).
    #[test]
    fn reads_each_record_back_as_the_listing_read_it() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("no such folder");
        for (mut texts, in_file) in [
            (Texts::beside(dir.path()), true),
            (Texts::default(), false),
            (Texts::beside(&missing), false),
        ] {
            let (ann, bob) = (found(7, "Ann Ö"), found(8, "Bob"));
            let kept = [texts.keep(&ann), texts.keep(&bob)];
            assert_eq!(texts.file.is_some(), in_file);
            assert_eq!(texts.memory.is_empty(), in_file);
            assert_eq!(kept[0].id, 7);
            assert_eq!(texts.found(&kept[1]), Some(bob));
            assert_eq!(texts.found(&kept[0]), Some(ann));
        }
    }
}
