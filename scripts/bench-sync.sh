#!/usr/bin/env bash
# Benchmark "sync" of BENCHMARKS.md (the targets of issue 14, "Store sync"): builds the release
# binary, then runs it. Extra arguments go to scripts/bench.py (e.g. --memory-store 300000, --work
# DIR to keep the generated files between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin ecwid-import
exec python3 scripts/bench.py sync "$@"
