#!/usr/bin/env bash
# Benchmark "export" of BENCHMARKS.md (issue 24): builds the release binary, then exports a
# 100,000-customer sandbox store at its real 600/min, as CSV and as a workbook. Extra arguments
# go to scripts/bench.py (e.g. --export-customers 10000 for a quicker run).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin ecwid-import
exec python3 scripts/bench.py export "$@"
