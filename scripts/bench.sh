#!/usr/bin/env bash
# Benchmark: scan of a synthetic 100,000-file monorepo vs the floor (a bare parallel walk that
# reads every file with the same `ignore` settings). Prints wall time and peak RSS of each.
# Usage: scripts/bench.sh [FILES] [RUNS]   (figures go to BENCHMARKS.md by hand)
# Phase and per-rule times of one scan: DEVOPS_MATURITY_TIMINGS=1 devops-maturity --quiet REPO
# Needs python3, GNU time (/usr/bin/time) and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100000}
runs=${2:-3}
repo=${BENCH_REPO:-/tmp/devops-maturity-bench-$files}
if [ ! -d "$repo" ]; then
  python3 scripts/make-synthetic-repo.py "$repo" "$files"
fi
cargo build --release --quiet --bin devops-maturity --example walk_floor
scan=target/release/devops-maturity
floor=target/release/examples/walk_floor

# Warm the page cache once so both sides read from memory.
$floor "$repo" >/dev/null

measure() { # label command...
  local label=$1; shift
  local best_ms=999999999 peak_kb=0
  for _ in $(seq "$runs"); do
    local start end ms rss
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o /tmp/bench-rss "$@" >/dev/null 2>&1
    rss=$(tail -n1 /tmp/bench-rss)
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    (( ms < best_ms )) && best_ms=$ms
    (( rss > peak_kb )) && peak_kb=$rss
  done
  printf '%-9s best wall %6d ms   peak RSS %6.1f MB\n' "$label" "$best_ms" "$(echo "$peak_kb/1024" | bc -l)"
  echo "$best_ms" > "/tmp/bench-$label.ms"
}

echo "repository: $repo ($(find "$repo" -type f | wc -l) files, $(du -sh "$repo" | cut -f1)); $(nproc) cores; best of $runs"
measure floor "$floor" "$repo"
measure floor-at "$floor" --openat "$repo"
# As the action runs it: every report rendered and written (stdout JSON goes to /dev/null).
out=$(mktemp -d)
measure scan "$scan" --no-progress --format json --json "$out/r.json" --sarif "$out/r.sarif" \
  --markdown "$out/r.md" "$repo"
rm -rf "$out"
echo "scan / floor: $(echo "scale=2; $(cat /tmp/bench-scan.ms) / $(cat /tmp/bench-floor.ms)" | bc -l)"
# The scan opens files relative to their folder; so does this floor (`--openat`).
echo "scan / floor-at: $(echo "scale=2; $(cat /tmp/bench-scan.ms) / $(cat /tmp/bench-floor-at.ms)" | bc -l)"
