#!/usr/bin/env bash
# Benchmark "lane" of BENCHMARKS.md (issue 22): an import of N new customers through the batch
# lane into a sandbox whose requests inside a batch take --batch-request-ms 100, in one of the
# sandbox's counting models, with wall time, the requests the sandbox received, the rows that
# ended created and the peak RSS of the import.
#
#   scripts/bench-lane.sh MODEL [N] [RATE] [BATCH_SIZE]
#
# MODEL: none (parallel mode honoured, inner requests not counted), throttled or refused.
# RATE is both the sandbox's --rate-limit (per 60 s) and the import's --rate (default 600).
# The floor: none, N x 100 ms / 100 at once; counted, N / RATE minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:?MODEL: none, throttled or refused}
N=${2:-10000}
RATE=${3:-600}
SIZE=${4:-500}
. scripts/sandbox-store.sh

python3 scripts/gen-customers.py "$N" > "$WORK/in.csv"
start_sandbox --rate-limit "$RATE" --batch-request-ms 100 --batch-counting "$MODEL"

start=$(date +%s.%N)
ECWID_TOKEN=secret_sandbox RUST_LOG=error /usr/bin/time -f '%M' -o "$WORK/rss" \
  "$BIN" -q import "$WORK/in.csv" -o "$WORK/out.csv" --api-url "$API" --store-id 1003 \
  --lane batch --batch-size "$SIZE" --rate "$RATE" --snapshot never --read-back none \
  --summary-json "$WORK/summary.json" || true
end=$(date +%s.%N)
curl -s "$BASE/_sandbox/stats" > "$WORK/stats.json"

python3 - "$MODEL" "$N" "$RATE" "$start" "$end" "$WORK" <<'EOF'
import csv, json, sys
model, n, rate, start, end, work = sys.argv[1:]
n, rate, wall = int(n), int(rate), float(end) - float(start)
stats = json.load(open(f"{work}/stats.json"))
summary = json.load(open(f"{work}/summary.json"))
rows = list(csv.DictReader(open(f"{work}/out.csv", encoding="utf-8")))
created = sum(r["status"] == "created" for r in rows)
failed = sum(r["status"] == "failed" for r in rows)
floor = n * 0.1 / 100 if model == "none" else n / rate * 60
# A sliding 60-second window lets `rate` rows run at once, then `rate` more each minute: the
# last of N runs (ceil(N / rate) - 1) minutes after the first.
window_floor = None if model == "none" else max(-(-n // rate) - 1, 1) * 60
rss = int(open(f"{work}/rss").read().split()[-1]) / 1024
print(f"batch lane, {n} new customers, sandbox --batch-counting {model}, "
      f"--rate-limit {rate}, inner request 100 ms")
for name, value in [
    ("wall", f"{wall:.1f} s"),
    ("floor", f"{floor:.1f} s"),
    ("ratio wall / floor", f"{wall / floor:.3f}"),
    *([] if window_floor is None else [
        ("sliding-window floor", f"{window_floor:.1f} s"),
        ("ratio wall / sliding-window floor", f"{wall / window_floor:.3f}"),
    ]),
    ("requests received by the store", stats["requests"]),
    ("  share of the direct lane's requests", f"{stats['requests'] / n:.2%}"),
    ("  batch submits / polls (tool's count)",
     f"{summary['requests_by_kind']['batch_submit']} / {summary['requests_by_kind']['batch_poll']}"),
    ("  answered 429 (outer)", stats["rate_limited"]),
    ("requests inside batches refused 429", stats.get("batch_inner_429", 0)),
    ("most requests of a batch at once", stats.get("batch_max_parallel", 0)),
    ("rows created / failed", f"{created} / {failed}"),
    ("customers in the store / duplicate creates", f"{stats['creates']} / {stats['duplicate_creates']}"),
    ("peak RSS of the import", f"{rss:.1f} MB"),
]:
    print(f"  {name:<44} {value}")
EOF
