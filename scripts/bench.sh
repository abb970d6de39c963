#!/usr/bin/env bash
# Benchmark: scan of a synthetic 100,000-file monorepo vs the floor (a bare parallel walk that
# reads every file with the same `ignore` settings). Prints wall time and peak RSS of each.
# Usage: scripts/bench.sh [FILES] [RUNS]   (figures go to BENCHMARKS.md by hand)
# BENCH_COLD=1 drops the page cache before every run (Linux, root), so both sides read from
# disk, as a scan of a large checkout that is not in memory does.
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

cold=${BENCH_COLD:-0}
if [ "$cold" = 1 ]; then
  [ -w /proc/sys/vm/drop_caches ] || { echo "BENCH_COLD=1 needs root on Linux" >&2; exit 2; }
else
  # Warm the page cache once so both sides read from memory.
  $floor "$repo" >/dev/null
fi

measure() { # label command...
  local label=$1; shift
  local best_ms=999999999 peak_kb=0 all=()
  for _ in $(seq "$runs"); do
    local start end ms rss
    if [ "$cold" = 1 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o /tmp/bench-rss "$@" >/dev/null 2>&1
    rss=$(tail -n1 /tmp/bench-rss)
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    all+=("$ms")
    (( ms < best_ms )) && best_ms=$ms
    (( rss > peak_kb )) && peak_kb=$rss
  done
  local median
  median=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-9s best wall %6d ms   median %6d ms   peak RSS %6.1f MB\n' "$label" "$best_ms" \
    "$median" "$(echo "$peak_kb/1024" | bc -l)"
  echo "$best_ms" > "/tmp/bench-$label.ms"
}

mode="warm page cache"
[ "$cold" = 1 ] && mode="page cache dropped before each run"
mode="$mode; ratios of the best of $runs runs"
echo "repository: $repo ($(find "$repo" -type f | wc -l) files, $(du -sh "$repo" | cut -f1)); $(nproc) cores; $mode"
measure floor "$floor" "$repo"
measure floor-at "$floor" --openat "$repo"
# As the action runs it: every report rendered and written (stdout JSON goes to /dev/null).
out=$(mktemp -d)
measure scan "$scan" --no-progress --format json --json "$out/r.json" --sarif "$out/r.sarif" \
  --markdown "$out/r.md" "$repo"
rm -rf "$out"
# A reference, when ripgrep is installed: the leanest content search there is (one literal,
# hidden files included, .gitignore honoured without .git), over the same tree.
rg=${BENCH_RG:-$(command -v rg || true)}
if [ -n "$rg" ]; then
  measure rg "$rg" --hidden --no-require-git --no-messages --count-matches --fixed-strings \
    console.log "$repo"
fi
echo "scan / floor: $(echo "scale=2; $(cat /tmp/bench-scan.ms) / $(cat /tmp/bench-floor.ms)" | bc -l)"
# The scan opens files relative to their folder; so does this floor (`--openat`).
echo "scan / floor-at: $(echo "scale=2; $(cat /tmp/bench-scan.ms) / $(cat /tmp/bench-floor-at.ms)" | bc -l)"
if [ -n "$rg" ]; then
  echo "rg / floor: $(echo "scale=2; $(cat /tmp/bench-rg.ms) / $(cat /tmp/bench-floor.ms)" | bc -l)"
fi
