#!/usr/bin/env python3
"""Benchmark "read-back" of BENCHMARKS.md: what `--read-back` costs on a 10,000-row import and
on a 10,000-row update, in requests and in wall time as a ratio to the same run with
`--read-back none`.

Each mode (none, sample, all) gets a fresh sandbox store of its own: the import of the file
into it, then `--on-existing update` of the same file with every name changed (10,000 PUTs).
The runs are paced by the rate budget, as against a real store, but at a faster rate than
Ecwid's 600/min (default: a store at 12,000/min, the tool at --rate 11800) so that the six runs
take minutes, not hours: at 600/min each would take about 17 minutes, and the ratio to `none`
is the same, since a paced run's time is its requests divided by the rate.

Run through scripts/bench-readback.sh, which builds the release binary first:

    python3 scripts/bench_readback.py --rows 10000 --reps 1
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench import TOOL, Sandbox, change_names, generate, import_argv, measure, show, tool_env

MODES = ("none", "sample", "all")


def run(args, sandbox, csv, work, name, mode, *extra):
    """One import into `sandbox` with `--read-back mode`: wall time, requests and summary."""
    summary = Path(work) / f"{name}.json"
    before = sandbox.stats()["requests"]
    argv = import_argv(csv, Path(work) / f"{name}.results.csv", sandbox.api_url, args.rate, None,
                       summary) + ["--read-back", mode, *extra]
    m = measure(argv, args.deadline, env=tool_env())
    seen = sandbox.stats()["requests"] - before
    s = json.loads(summary.read_text())
    if m.code != 0:
        sys.exit(f"bench: {name} exited {m.code}: {s['by_status']}")
    read_back = s.get("read_back") or {}
    print(f"{name}: {m.wall:.1f} s, store saw {seen} requests, read_back {read_back}, "
          f"statuses {s['by_status']}", file=sys.stderr)
    return {"wall": m.wall, "requests": seen, "read_back": s["requests_by_kind"]["read_back"],
            "customers": read_back.get("customers", 0)}


def main():
    parser = argparse.ArgumentParser(description="read-back benchmark of BENCHMARKS.md")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--store-rate", type=int, default=12_000,
                        help="the sandbox's limit per 60 s window")
    parser.add_argument("--rate", type=int, default=11_800, help="the tool's --rate")
    parser.add_argument("--deadline", type=float, default=400, help="seconds any one process may run")
    parser.add_argument("--work", help="folder for generated files (kept between runs)")
    args = parser.parse_args()
    if not TOOL.exists():
        sys.exit(f"bench: {TOOL} is missing: run scripts/bench-readback.sh, which builds it")
    work = args.work or tempfile.mkdtemp(prefix="ecwid-import-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs; files in {work}", file=sys.stderr)
    try:
        csv = generate(args.rows, work)
        renamed = Path(work) / f"renamed-{args.rows}.csv"
        change_names(csv, renamed, args.rows)
        found = {(kind, mode): [] for kind in ("import", "update") for mode in MODES}
        for rep in range(args.reps):
            # Each repetition starts with another mode, so that a slow spell of the machine
            # does not always fall on the same one.
            for mode in MODES[rep % 3:] + MODES[:rep % 3]:
                with Sandbox(args.store_rate) as sandbox:
                    found[("import", mode)].append(run(args, sandbox, csv, work, f"import-{mode}", mode))
                    found[("update", mode)].append(run(args, sandbox, renamed, work, f"update-{mode}",
                                                       mode, "--on-existing", "update"))
        ok = True
        for kind in ("import", "update"):
            base = statistics.median(r["wall"] for r in found[(kind, "none")])
            table = []
            for mode in MODES:
                runs = found[(kind, mode)]
                wall = statistics.median(r["wall"] for r in runs)
                table.append((f"--read-back {mode}",
                              f"requests {runs[0]['requests']} (read-back {runs[0]['read_back']}, "
                              f"{runs[0]['customers']} customers compared), wall {wall:.1f} s, "
                              f"ratio {wall / base:.3f}"))
                ok &= all(r["read_back"] == runs[0]["read_back"] for r in runs)
            show(f"read-back on a {args.rows}-row {kind} (store at {args.store_rate}/min, --rate "
                 f"{args.rate}), median of {args.reps}", table)
        print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
