# Sourced by the benchmarks that run against a sandbox store of their own (bench-lane.sh,
# bench-writes.sh): builds the release binary (BIN), makes a work folder (WORK) that is removed,
# with the sandbox stopped, when the benchmark exits; `start_sandbox ARGS...` starts
# `ecwid-import sandbox --port 0 ARGS...` in the background and sets API (its API base) and
# BASE (where its /_sandbox/stats are).
cargo build --release --locked --bin ecwid-import >&2
BIN=$PWD/target/release/ecwid-import
WORK=$(mktemp -d)
SANDBOX=""
cleanup() {
  if [ -n "$SANDBOX" ]; then kill "$SANDBOX" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_sandbox() {
  "$BIN" sandbox --port 0 "$@" > "$WORK/sandbox.out" 2>/dev/null &
  SANDBOX=$!
  for _ in $(seq 100); do
    grep -q '^api url:' "$WORK/sandbox.out" 2>/dev/null && break
    sleep 0.1
  done
  API=$(sed -n 's/^api url: //p' "$WORK/sandbox.out")
  BASE=${API%/api/v3}
}
