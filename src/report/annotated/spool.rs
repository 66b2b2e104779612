//! The `Rows` sheet's XML, deflated on a thread of its own into an unnamed temporary file, as
//! the rows are recorded: the compression, most of what the report costs, runs beside the
//! check instead of after it, and memory holds a few buffers, not the sheet.
//!
//! The file holds raw deflate blocks that end on a byte boundary without a last block (a sync
//! flush): the workbook's sheet part is these blocks after the deflated start of the sheet and
//! before its deflated end (see [`super::package`]), which a reader inflates as one stream.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use crc32fast::Hasher;
use flate2::{Compress, Compression, FlushCompress, Status};

/// How much XML is handed to the thread at a time.
pub(super) const CHUNK: usize = 128 * 1024;
/// Chunks waiting for the thread at most: the recorder waits past this.
const QUEUED: usize = 3;

/// Deflated data and what the zip entry needs to know of what it holds.
#[derive(Debug)]
pub(super) struct Deflated {
    /// The deflate blocks, from the start of the file.
    pub(super) file: File,
    pub(super) compressed: u64,
    pub(super) uncompressed: u64,
    pub(super) crc: Hasher,
}

/// Hands chunks of XML to the deflating thread.
#[derive(Debug)]
pub(super) struct Spool {
    chunks: Option<SyncSender<Vec<u8>>>,
    /// Buffers the thread is done with, to fill again.
    spare: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<Deflated>>>,
}

impl Spool {
    /// Starts the thread, its file in `dir` (unnamed: nothing is left behind if the process
    /// ends at once).
    pub(super) fn start(dir: &Path) -> io::Result<Self> {
        let file = tempfile::tempfile_in(dir)?;
        let (chunks, queue) = sync_channel::<Vec<u8>>(QUEUED);
        let (done, spare) = sync_channel::<Vec<u8>>(QUEUED + 1);
        let thread = std::thread::Builder::new()
            .name("report-deflate".into())
            .spawn(move || deflate_chunks(file, &queue, &done))?;
        Ok(Self {
            chunks: Some(chunks),
            spare,
            thread: Some(thread),
        })
    }

    /// Hands `chunk` over and gives an empty buffer back in its place.
    pub(super) fn send(&mut self, chunk: &mut Vec<u8>) -> io::Result<()> {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK + CHUNK / 4));
        let full = std::mem::replace(chunk, next);
        let sent = self.chunks.as_ref().map(|c| c.send(full));
        match sent {
            Some(Ok(())) => Ok(()),
            // The thread stopped: its error says why.
            _ => Err(self.join().err().unwrap_or_else(stopped)),
        }
    }

    /// Hands the last chunk over and waits for the thread to deflate all it was given.
    pub(super) fn finish(mut self, last: Vec<u8>) -> io::Result<Deflated> {
        if !last.is_empty() {
            let mut last = last;
            self.send(&mut last)?;
        }
        self.join()
    }

    fn join(&mut self) -> io::Result<Deflated> {
        self.chunks = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the report's compressing thread failed")),
            None => Err(stopped()),
        }
    }
}

fn stopped() -> io::Error {
    io::Error::other("the report's compressing thread has stopped")
}

/// The thread: deflates each chunk into `file`, gives the buffer back, and ends the blocks
/// with a sync flush once no chunk is left to come.
fn deflate_chunks(
    file: File,
    queue: &Receiver<Vec<u8>>,
    done: &SyncSender<Vec<u8>>,
) -> io::Result<Deflated> {
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    let mut deflate = Deflate::new();
    let mut crc = Hasher::new();
    for mut chunk in queue {
        crc.update(&chunk);
        deflate.write(&chunk, FlushCompress::None, &mut out)?;
        chunk.clear();
        // Full or gone: the buffer is dropped.
        let _ = done.try_send(chunk);
    }
    deflate.write(&[], FlushCompress::Sync, &mut out)?;
    let mut file = out.into_inner().map_err(|e| e.into_error())?;
    file.rewind()?;
    Ok(Deflated {
        file,
        compressed: deflate.compress.total_out(),
        uncompressed: deflate.compress.total_in(),
        crc,
    })
}

/// Raw deflate at the fastest level, written out as it comes.
pub(super) struct Deflate {
    compress: Compress,
    buffer: Vec<u8>,
}

impl Deflate {
    pub(super) fn new() -> Self {
        Self {
            // The fastest level: a file a few tenths larger, in much less time (BENCHMARKS.md).
            compress: Compress::new(Compression::fast(), false),
            buffer: vec![0; 64 * 1024],
        }
    }

    /// Deflates `input`, then flushes as `flush` says, writing all that comes out to `out`.
    pub(super) fn write(
        &mut self,
        mut input: &[u8],
        flush: FlushCompress,
        out: &mut impl Write,
    ) -> io::Result<()> {
        loop {
            let (before_in, before_out) = (self.compress.total_in(), self.compress.total_out());
            let status = self
                .compress
                .compress(input, &mut self.buffer, flush)
                .map_err(io::Error::other)?;
            let read = (self.compress.total_in() - before_in) as usize;
            let written = (self.compress.total_out() - before_out) as usize;
            out.write_all(&self.buffer[..written])?;
            input = &input[read..];
            let finished = match flush {
                FlushCompress::None => input.is_empty(),
                FlushCompress::Finish => status == Status::StreamEnd,
                // Done once the flush left room in the buffer: nothing more is pending.
                _ => input.is_empty() && written < self.buffer.len(),
            };
            if finished {
                return Ok(());
            }
        }
    }
}

/// `data` deflated whole into memory, ended by `flush`: its blocks and their CRC.
pub(super) fn deflate_all(data: &[u8], flush: FlushCompress) -> io::Result<(Vec<u8>, Hasher)> {
    let mut deflate = Deflate::new();
    let mut out = Vec::new();
    deflate.write(data, flush, &mut out)?;
    let mut crc = Hasher::new();
    crc.update(data);
    Ok((out, crc))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// Blocks deflated apart (a start, the spooled chunks, an end) inflate as one stream.
    #[test]
    fn pieces_deflated_apart_inflate_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::start(dir.path()).unwrap();
        let mut expected = b"<start>".to_vec();
        for i in 0..2000 {
            let mut chunk = format!("<row r=\"{i}\">{}</row>", "x".repeat(i % 300)).into_bytes();
            expected.extend_from_slice(&chunk);
            spool.send(&mut chunk).unwrap();
            assert!(chunk.is_empty());
        }
        let body = spool.finish(b"<last/>".to_vec()).unwrap();
        expected.extend_from_slice(b"<last/><end>");
        let (head, mut crc) = deflate_all(b"<start>", FlushCompress::Sync).unwrap();
        let (tail, tail_crc) = deflate_all(b"<end>", FlushCompress::Finish).unwrap();
        let mut deflated = head;
        let mut file = body.file;
        let mut spooled = Vec::new();
        file.read_to_end(&mut spooled).unwrap();
        assert_eq!(spooled.len() as u64, body.compressed);
        deflated.extend_from_slice(&spooled);
        deflated.extend_from_slice(&tail);
        let mut inflated = Vec::new();
        flate2::read::DeflateDecoder::new(&deflated[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, expected);
        crc.combine(&body.crc);
        crc.combine(&tail_crc);
        let mut whole = Hasher::new();
        whole.update(&expected);
        assert_eq!(crc.finalize(), whole.finalize());
    }
}
