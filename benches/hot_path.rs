//! Microbenchmarks of the per-row hot path: mapping a row's cells to fields with the value
//! rules (building the request, or only checking the row as a dry run does), and serializing
//! the request body. Rows come from `samples/customers.csv`, read once.
//!
//!     cargo bench --bench hot_path

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ecwid_import::ecwid::body_of;
use ecwid_import::input::mapping::{ColumnMap, Layout};
use ecwid_import::input::raw::RawRow;
use ecwid_import::input::reader::CsvInput;

const SAMPLE: &str = include_str!("../samples/customers.csv");

fn sample() -> (ColumnMap, Vec<RawRow>) {
    let source = Box::new(Cursor::new(SAMPLE.as_bytes().to_vec()));
    let mut input = CsvInput::from_reader(source, None).expect("the sample opens");
    let (map, _) = ColumnMap::new(input.headers(), &Layout::default()).expect("header maps");
    let mut rows = Vec::new();
    while let Some(row) = input.next_row().expect("the sample reads") {
        rows.push(row);
    }
    (map, rows)
}

fn hot_path(c: &mut Criterion) {
    let (map, rows) = sample();
    let requests: Vec<_> = rows
        .iter()
        .filter_map(|r| map.request(&r.record).ok())
        .map(|m| m.request)
        .collect();
    let mut group = c.benchmark_group("per_row");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("read", |b| {
        b.iter(|| {
            let source = Box::new(Cursor::new(SAMPLE.as_bytes().to_vec()));
            let mut input = CsvInput::from_reader(source, None).expect("opens");
            let mut n = 0;
            while let Some(row) = input.next_row().expect("reads") {
                n += black_box(row).record.len();
            }
            n
        })
    });
    group.bench_function("map_and_rules", |b| {
        b.iter(|| {
            for row in &rows {
                black_box(map.email(&row.record));
                let _ = black_box(map.request(black_box(&row.record)));
            }
        })
    });
    group.bench_function("check", |b| {
        b.iter(|| {
            for row in &rows {
                black_box(map.email(&row.record));
                let _ = black_box(map.check(black_box(&row.record)));
            }
        })
    });
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("serialize", |b| {
        b.iter(|| {
            for request in &requests {
                black_box(body_of(black_box(request)));
            }
        })
    });
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("map_rules_serialize", |b| {
        b.iter(|| {
            for row in &rows {
                black_box(map.email(&row.record));
                if let Ok(mapped) = map.request(black_box(&row.record)) {
                    black_box(body_of(&mapped.request));
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, hot_path);
criterion_main!(benches);
