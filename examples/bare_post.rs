//! The floor of benchmark 2 (see BENCHMARKS.md): a bare loop that posts request bodies that are
//! already serialized, with the reqwest client settings of `ecwid::Client` and a fixed number
//! of requests in flight. `ecwid-import import` is measured against it into the same kind of
//! sandbox store.
//!
//! Two steps, so that the timed one does nothing but post:
//!
//!     cargo run --release --example bare_post -- bodies CSV > BODIES   # one JSON body a line
//!     cargo run --release --example bare_post -- post BODIES API_URL STORE_ID TOKEN CONCURRENCY

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use ecwid_import::ecwid::body_of;
use ecwid_import::input::mapping::{ColumnMap, Layout};
use ecwid_import::input::reader::CsvInput;
use futures_util::StreamExt;

/// The tool's allocator, so that the comparison is of the work and not of allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["bodies", csv] => bodies(csv),
        ["post", bodies, api_url, store_id, token, concurrency] => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(post(bodies, api_url, store_id, token, concurrency.parse()?))
        }
        _ => Err(
            "usage: bare_post bodies CSV | bare_post post BODIES API_URL STORE_ID TOKEN N".into(),
        ),
    }
}

/// Writes the body the import would send for each valid row, one a line.
fn bodies(csv: &str) -> Result<()> {
    let mut input = CsvInput::open(csv.as_ref(), None, None)?;
    let (map, _) = ColumnMap::new(input.headers(), &Layout::default())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    while let Some(raw) = input.next_row()? {
        if let Ok(mapped) = map.request(&raw.record) {
            out.write_all(&body_of(&mapped.request))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

async fn post(
    bodies: &str,
    api_url: &str,
    store_id: &str,
    token: &str,
    concurrency: usize,
) -> Result<()> {
    let file = std::io::BufReader::new(std::fs::File::open(bodies)?);
    let bodies: Vec<bytes::Bytes> = file
        .lines()
        .map(|line| line.map(bytes::Bytes::from))
        .collect::<std::io::Result<_>>()?;
    // The settings of `ecwid::Client::new` with its defaults.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(20))
        .pool_max_idle_per_host(concurrency)
        .user_agent("ecwid-import-bare-post")
        .build()?;
    let url = format!("{}/{store_id}/customers", api_url.trim_end_matches('/'));
    let auth = format!("Bearer {token}");
    let started = Instant::now();
    let results: Vec<bool> = futures_util::stream::iter(bodies)
        .map(|body| {
            let request = http
                .post(&url)
                .header("authorization", &auth)
                .header("content-type", "application/json")
                .body(body);
            async move {
                match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        response.bytes().await.is_ok() && ok
                    }
                    Err(_) => false,
                }
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let ok = results.iter().filter(|&&ok| ok).count();
    eprintln!(
        "{ok} of {} posts succeeded in {:.3} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{ok}");
    if ok != results.len() {
        return Err("some posts failed".into());
    }
    Ok(())
}
