//! A zip archive written entry by entry from data already deflated: the report's sheet part is
//! put together from pieces deflated apart (see [`super::spool`]), which the `zip` crate can only
//! add from memory. Entries larger than 4 GiB and archives past it get the zip64 fields.

use std::io::{self, Write};

/// Where the 32-bit fields of the zip format end; at or past it, zip64 fields take over.
const LIMIT32: u64 = 0xFFFF_FFFF;
/// Deflate, the only method written.
const DEFLATED: u16 = 8;
/// 1980-01-01 00:00 in MS-DOS form, as a workbook writer leaves its parts' times.
const DOS_DATE: u16 = (1 << 5) | 1;

/// One entry written, for the central directory.
#[derive(Debug)]
struct Entry {
    name: String,
    crc: u32,
    compressed: u64,
    uncompressed: u64,
    offset: u64,
}

/// What an entry holds, known before its data is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    pub(super) crc: u32,
    pub(super) compressed: u64,
    pub(super) uncompressed: u64,
}

/// Writes the archive to `out`.
pub(super) struct ZipOut<W: Write> {
    out: W,
    written: u64,
    entries: Vec<Entry>,
    /// Sizes and offsets from this up take zip64 fields: [`LIMIT32`] but in tests.
    limit: u64,
}

impl<W: Write> ZipOut<W> {
    pub(super) fn new(out: W) -> Self {
        Self::with_limit(out, LIMIT32)
    }

    fn with_limit(out: W, limit: u64) -> Self {
        Self {
            out,
            written: 0,
            entries: Vec::new(),
            limit,
        }
    }

    /// Adds the entry `name` whose deflated data `data` writes, `sizes.compressed` bytes.
    pub(super) fn add(
        &mut self,
        name: &str,
        sizes: Sizes,
        data: impl FnOnce(&mut W) -> io::Result<()>,
    ) -> io::Result<()> {
        let large = sizes.compressed >= self.limit || sizes.uncompressed >= self.limit;
        let mut header = Vec::with_capacity(30 + name.len() + 20);
        header.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header.extend_from_slice(&version(large).to_le_bytes());
        push_common(&mut header, sizes.crc);
        if large {
            header.extend_from_slice(&u32::MAX.to_le_bytes());
            header.extend_from_slice(&u32::MAX.to_le_bytes());
        } else {
            header.extend_from_slice(&(sizes.compressed as u32).to_le_bytes());
            header.extend_from_slice(&(sizes.uncompressed as u32).to_le_bytes());
        }
        header.extend_from_slice(&(name.len() as u16).to_le_bytes());
        header.extend_from_slice(&(if large { 20u16 } else { 0 }).to_le_bytes());
        header.extend_from_slice(name.as_bytes());
        if large {
            header.extend_from_slice(&1u16.to_le_bytes());
            header.extend_from_slice(&16u16.to_le_bytes());
            header.extend_from_slice(&sizes.uncompressed.to_le_bytes());
            header.extend_from_slice(&sizes.compressed.to_le_bytes());
        }
        self.out.write_all(&header)?;
        data(&mut self.out)?;
        self.entries.push(Entry {
            name: name.to_string(),
            crc: sizes.crc,
            compressed: sizes.compressed,
            uncompressed: sizes.uncompressed,
            offset: self.written,
        });
        self.written += header.len() as u64 + sizes.compressed;
        Ok(())
    }

    /// Writes the central directory and the end records; gives the writer back.
    pub(super) fn finish(mut self) -> io::Result<W> {
        let start = self.written;
        let mut directory = Vec::new();
        for entry in &self.entries {
            let large = entry.compressed >= self.limit
                || entry.uncompressed >= self.limit
                || entry.offset >= self.limit;
            directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            directory.extend_from_slice(&version(large).to_le_bytes());
            directory.extend_from_slice(&version(large).to_le_bytes());
            push_common(&mut directory, entry.crc);
            let fields = [entry.compressed, entry.uncompressed];
            for field in fields {
                let short = if large { u32::MAX } else { field as u32 };
                directory.extend_from_slice(&short.to_le_bytes());
            }
            directory.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
            directory.extend_from_slice(&(if large { 28u16 } else { 0 }).to_le_bytes());
            // Comment length, disk, internal and external attributes.
            directory.extend_from_slice(&[0; 10]);
            let offset = if large { u32::MAX } else { entry.offset as u32 };
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(entry.name.as_bytes());
            if large {
                directory.extend_from_slice(&1u16.to_le_bytes());
                directory.extend_from_slice(&24u16.to_le_bytes());
                directory.extend_from_slice(&entry.uncompressed.to_le_bytes());
                directory.extend_from_slice(&entry.compressed.to_le_bytes());
                directory.extend_from_slice(&entry.offset.to_le_bytes());
            }
        }
        let size = directory.len() as u64;
        let count = self.entries.len() as u64;
        let mut end = Vec::new();
        let large = start >= self.limit || size >= self.limit || count >= 0xFFFF.min(self.limit);
        if large {
            let record = start + size;
            end.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            end.extend_from_slice(&44u64.to_le_bytes());
            end.extend_from_slice(&45u16.to_le_bytes());
            end.extend_from_slice(&45u16.to_le_bytes());
            end.extend_from_slice(&[0; 8]);
            end.extend_from_slice(&count.to_le_bytes());
            end.extend_from_slice(&count.to_le_bytes());
            end.extend_from_slice(&size.to_le_bytes());
            end.extend_from_slice(&start.to_le_bytes());
            end.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            end.extend_from_slice(&0u32.to_le_bytes());
            end.extend_from_slice(&record.to_le_bytes());
            end.extend_from_slice(&1u32.to_le_bytes());
        }
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        end.extend_from_slice(&[0; 4]);
        let short_count = if large { u16::MAX } else { count as u16 };
        end.extend_from_slice(&short_count.to_le_bytes());
        end.extend_from_slice(&short_count.to_le_bytes());
        let (short_size, short_start) = if large {
            (u32::MAX, u32::MAX)
        } else {
            (size as u32, start as u32)
        };
        end.extend_from_slice(&short_size.to_le_bytes());
        end.extend_from_slice(&short_start.to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        self.out.write_all(&directory)?;
        self.out.write_all(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The version needed to extract: 2.0 (deflate), 4.5 with zip64 fields.
fn version(large: bool) -> u16 {
    if large { 45 } else { 20 }
}

/// Flags, method, time, date and CRC: the same in both headers.
fn push_common(out: &mut Vec<u8>, crc: u32) {
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&DEFLATED.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&DOS_DATE.to_le_bytes());
    out.extend_from_slice(&crc.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use flate2::FlushCompress;

    use super::super::spool::deflate_all;
    use super::*;

    fn archive(limit: u64) -> Vec<u8> {
        let mut zip = ZipOut::with_limit(Vec::new(), limit);
        for (name, text) in [("a.xml", "<a/>"), ("dir/b.xml", "b ".repeat(5000).as_str())] {
            let (data, crc) = deflate_all(text.as_bytes(), FlushCompress::Finish).unwrap();
            let sizes = Sizes {
                crc: crc.finalize(),
                compressed: data.len() as u64,
                uncompressed: text.len() as u64,
            };
            zip.add(name, sizes, |out| out.write_all(&data)).unwrap();
        }
        zip.finish().unwrap()
    }

    /// The `zip` crate reads what is written back, with and without the zip64 fields.
    #[test]
    fn entries_read_back_with_and_without_zip64() {
        for limit in [LIMIT32, 0] {
            let bytes = archive(limit);
            let mut read = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            assert_eq!(read.len(), 2);
            let mut text = String::new();
            read.by_name("dir/b.xml")
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, "b ".repeat(5000), "limit {limit}");
            text.clear();
            read.by_name("a.xml")
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, "<a/>");
        }
        assert!(
            archive(0)
                .windows(4)
                .any(|w| w == 0x0606_4b50u32.to_le_bytes())
        );
    }
}
