#!/usr/bin/env bash
# Benchmark "memory" of BENCHMARKS.md: builds the release binaries, then runs it. Extra arguments go
# to scripts/bench.py (e.g. --reps 3, --work DIR to keep the generated files between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin ecwid-import --example count_rows --example bare_post
exec python3 scripts/bench.py memory "$@"
