#!/usr/bin/env bash
# Benchmark "read-back" of BENCHMARKS.md: builds the release binary, then runs it. Extra
# arguments go to scripts/bench_readback.py (e.g. --reps 3, --work DIR to keep the generated
# files between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin ecwid-import
exec python3 scripts/bench_readback.py "$@"
