#!/usr/bin/env bash
# Memory benchmark: repositories whose non-source text (JSON fixtures, generated Kubernetes
# YAML) is far larger than `max-kept-text`. Prints the scan's wall time, peak RSS and how many
# files gave their text up, at the default limit and with every text kept (the old behaviour).
# Usage: scripts/bench-memory.sh   (figures go to BENCHMARKS.md by hand)
# Needs python3 and GNU time (/usr/bin/time); writes about 1.2 GB under /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin devops-maturity
scan=target/release/devops-maturity
base=${BENCH_MEMORY_DIR:-/tmp/devops-maturity-bench-memory}

python3 - "$base" <<'PY'
import os, sys
base = sys.argv[1]
def tree(name, files):
    root = os.path.join(base, name)
    if os.path.isdir(root):
        return
    for path, text in files():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
def json_fixtures():
    line = '{"id": 12345, "name": "some fixture value", "tags": ["a", "b"], "score": 0.5},\n'
    blob = "[\n" + line * (1_000_000 // len(line)) + "{}]\n"
    yield "README.md", "# fixtures\n"
    for i in range(1000):
        yield f"data/set{i // 100}/f{i}.json", blob
def k8s_yaml():
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n"
    doc += "".join(f"  key{i}: value-{i}-xxxxxxxxxxxxxxxxxxxxxxxx\n" for i in range(20000))
    yield "README.md", "# manifests\n"
    for i in range(200):
        yield f"deploy/m{i}.yaml", doc
tree("json-1gb", json_fixtures)
tree("k8s-yaml-180mb", k8s_yaml)
PY

unlimited=$(mktemp)
echo "max-kept-text: 1073741824" > "$unlimited"
for t in json-1gb k8s-yaml-180mb; do
  repo="$base/$t"
  find "$repo" -type f -exec cat {} + >/dev/null   # page cache warm, as in bench.sh
  for mode in default unlimited; do
    args=(--no-progress --format json)
    [ "$mode" = unlimited ] && args+=(--config "$unlimited")
    /usr/bin/time -f '%e %M' -o /tmp/bench-memory.time "$scan" "${args[@]}" "$repo" >/tmp/bench-memory.json
    read -r wall rss < /tmp/bench-memory.time
    lost=$(grep -c '"reason": "text not kept' /tmp/bench-memory.json || true)
    printf '%-16s %-9s wall %6.2f s   peak RSS %7.1f MB   files without kept text %5d\n' \
      "$t" "$mode" "$wall" "$(echo "$rss/1024" | bc -l)" "$lost"
  done
done
rm -f "$unlimited"
