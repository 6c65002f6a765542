#!/bin/sh
# Unpack benchmark: Berth's layer apply (with diffID hashing) vs `tar -xzf` vs `gzip -dc`
# on the same tar.gz, interleaved runs, medians and ratios. Target: berth ≤ 1.0× gzip -dc.
#
#   bench/unpack/run.sh [LAYER.tar.gz] [RUNS]
#
# Without a layer it builds one from a debootstrap minbase rootfs when debootstrap and a
# mirror are available, otherwise from this machine's /usr (a real tree of similar shape).
set -eu
cd "$(dirname "$0")/../.."
layer=${1:-}
runs=${2:-5}
work=${BERTH_BENCH_DIR:-/var/tmp}
if [ -z "$layer" ]; then
  layer=$work/berth-bench-layer.tar.gz
  if [ ! -s "$layer" ]; then
    root=$work/berth-bench-rootfs
    if command -v debootstrap >/dev/null && debootstrap --variant=minbase bookworm "$root" >/dev/null 2>&1; then
      tar -C "$root" -czf "$layer" .
    else
      tar -C / -czf "$layer" usr/lib/python3.11 usr/share/doc usr/sbin usr/share/perl5 2>/dev/null || true
    fi
    rm -rf "$root"
  fi
fi
ls -l "$layer"
BERTH_BENCH_LAYER=$layer BERTH_BENCH_RUNS=$runs BERTH_BENCH_DIR=$work \
  swift test -c release --scratch-path .build-images-release --filter UnpackBenchmark 2>&1 | grep -E 'unpack bench|passed|failed'
