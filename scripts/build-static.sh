#!/usr/bin/env bash
# Builds the statically linked release binary (glibc, +crt-static): it runs with nothing beside
# it, in an empty chroot or a FROM scratch image.
#
#   scripts/build-static.sh [OUT_DIR]     # default OUT_DIR: dist/
#
# TARGET overrides the target triple (default: the host's x86_64/aarch64 linux-gnu triple).
set -euo pipefail

cd "$(dirname "$0")/.."
out_dir="${1:-dist}"
target="${TARGET:-$(uname -m)-unknown-linux-gnu}"

case "$target" in
  *-linux-gnu | *-linux-musl) ;;
  *) echo "error: $target: only Linux targets can be linked statically here" >&2; exit 2 ;;
esac

# Static glibc: no dynamic loader, no libc.so at run time. The tool does no DNS or user
# look-ups, the only glibc functions that still want shared objects when linked statically.
export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static"
# --target keeps RUSTFLAGS away from build scripts and proc macros (they must stay dynamic).
cargo build --release --locked --target "$target"

bin="${CARGO_TARGET_DIR:-target}/$target/release/devops-maturity"
mkdir -p "$out_dir"
cp "$bin" "$out_dir/devops-maturity"

# Refuse to hand out a binary that still needs a loader.
if command -v readelf >/dev/null 2>&1 && readelf -l "$out_dir/devops-maturity" | grep -q 'INTERP'; then
  echo "error: $out_dir/devops-maturity is dynamically linked" >&2
  exit 1
fi
echo "built $out_dir/devops-maturity ($target, $(du -h "$out_dir/devops-maturity" | cut -f1), static)"
