#!/usr/bin/env bash
# Benchmark "every write kind" of BENCHMARKS.md (issue 22): through the batch lane, into a
# sandbox whose requests inside a batch take --batch-request-ms 100 and are not counted against
# the rate limit (parallel mode honoured):
#
#   1. setup: an import of N new customers (--lane batch);
#   2. update: the same N customers, each changed (its name), with --on-existing update;
#   3. undo of the update run (N restores);
#   4. undo of the first import (N deletes).
#
# For 2-4: wall time, the requests the sandbox received, the statuses, and the peak RSS.
#
#   scripts/bench-writes.sh [N] [RATE] [BATCH_SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RATE=${2:-600}
SIZE=${3:-500}
. scripts/sandbox-store.sh

python3 scripts/gen-customers.py "$N" > "$WORK/in.csv"
python3 - "$WORK" <<'EOF'
import csv, sys
work = sys.argv[1]
rows = list(csv.DictReader(open(f"{work}/in.csv", encoding="utf-8")))
with open(f"{work}/changed.csv", "w", newline="", encoding="utf-8") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    for row in rows:
        row["name"] = row["name"] + " Jr"
        writer.writerow(row)
EOF
start_sandbox --rate-limit "$RATE" --batch-request-ms 100 --batch-counting none
export ECWID_TOKEN=secret_sandbox RUST_LOG=error
LANE=(--lane batch --batch-size "$SIZE" --rate "$RATE" --api-url "$API" --store-id 1003)

# Runs "$@" timed, with its peak RSS; then the sandbox's stats. $1 names the step.
step() {
  local name=$1
  shift
  curl -s "$BASE/_sandbox/stats" > "$WORK/$name.before.json"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/$name.rss" "$@" || true
  end=$(date +%s.%N)
  curl -s "$BASE/_sandbox/stats" > "$WORK/$name.after.json"
  python3 - "$name" "$N" "$start" "$end" "$WORK" <<'EOF'
import csv, json, sys, collections
name, n, start, end, work = sys.argv[1:]
n, wall = int(n), float(end) - float(start)
before = json.load(open(f"{work}/{name}.before.json"))
after = json.load(open(f"{work}/{name}.after.json"))
delta = lambda key: after.get(key, 0) - before.get(key, 0)
rss = int(open(f"{work}/{name}.rss").read().split()[-1]) / 1024
path = {"update": f"{work}/changed.results.csv",
        "undo-update": f"{work}/changed.results.undo-results.csv",
        "undo-import": f"{work}/in.results.undo-results.csv"}.get(name)
statuses = collections.Counter(r["status"] for r in csv.DictReader(open(path, encoding="utf-8")))
print(f"{name}: {n} customers, batch lane, inner requests not counted, inner request 100 ms")
for label, value in [
    ("wall", f"{wall:.1f} s"),
    ("requests received by the store", delta("requests")),
    ("  share of one request a write", f"{delta('requests') / n:.2%}"),
    ("  batch polls", delta("batch_polls")),
    ("  batches run", delta("batches")),
    ("  answered 429 (outer)", delta("rate_limited")),
    ("statuses", dict(statuses)),
    ("updates applied / creates", f"{delta('updates')} / {delta('creates')}"),
    ("peak RSS", f"{rss:.1f} MB"),
]:
    print(f"  {label:<36} {value}")
EOF
}

"$BIN" -q import "$WORK/in.csv" -o "$WORK/in.results.csv" "${LANE[@]}" --snapshot never \
  --read-back none
step update "$BIN" -q import "$WORK/changed.csv" -o "$WORK/changed.results.csv" "${LANE[@]}" \
  --on-existing update --read-back none
step undo-update "$BIN" -q undo "$WORK/changed.results.csv" --yes "${LANE[@]}"
step undo-import "$BIN" -q undo "$WORK/in.results.csv" --yes "${LANE[@]}"
