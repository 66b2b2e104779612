//! The floor of benchmark 1 (see BENCHMARKS.md): the least work any reader of the file must do,
//! a count of its records with the `csv` crate's `read_byte_record` in a loop, one record
//! buffer reused. `validate` is measured against this on the same file in the same run.
//!
//!     cargo run --release --example count_rows -- FILE

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os().nth(1).ok_or("usage: count_rows FILE")?;
    let started = Instant::now();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader.read_byte_record(&mut record)? {
        rows += 1;
    }
    eprintln!("{rows} rows in {:.3} s", started.elapsed().as_secs_f64());
    println!("{rows}");
    Ok(())
}
