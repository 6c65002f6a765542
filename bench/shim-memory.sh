#!/usr/bin/env bash
# Memory per container: total PSS (smaps_rollup) of N idle berth-shims, divided by N.
# Each shim holds a created busybox container (release binaries, static Swift stdlib).
#
#   sudo bench/shim-memory.sh [N]        (default 10)
set -euo pipefail
n=${1:-10}
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
bin=${BERTH_BIN:-.build/release}
if [ ! -x "$bin/berth-shim" ] || [ ! -x "$bin/berth-runtime" ]; then
  bash scripts/build-release.sh berth-runtime >/dev/null
  bash scripts/build-release.sh berth-shim >/dev/null
fi
bin=$(cd "$bin" && pwd)
work=$(mktemp -d /tmp/berth-shim-mem.XXXXXX)
cleanup() {
  for i in $(seq "$n"); do "$bin/berth-runtime" --root "$work/rt" delete -f "shm$$-$i" >/dev/null 2>&1 || true; done
  sleep 0.3
  for f in "$work"/s*/shim.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    grep -q berth-shim "/proc/$p/cmdline" 2>/dev/null && kill "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
bash scripts/make-busybox-rootfs.sh "$work/rootfs" >/dev/null
"$bin/berth-runtime" spec --bundle "$work"
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
c = json.load(open(w + "/config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = ["sleep", "600"]
c["root"]["path"] = w + "/rootfs"
json.dump(c, open(w + "/config.json", "w"))
PY
sync  # freshly written binaries show inflated dirty pages until written back
for i in $(seq "$n"); do
  d="$work/s$i"
  mkdir -p "$d"
  cat > "$d/shim.json" <<JSON
{"id":"shm$$-$i","bundle":"$work","runtime":"$bin/berth-runtime","runtimeRoot":"$work/rt","stateDir":"$d",
 "logPath":"$d/log.json","terminal":false,"openStdin":false,"stdinOnce":false,"logMaxSize":0,"logMaxFiles":1}
JSON
  "$bin/berth-shim" launch --state-dir "$d" > "$d/report.json"
done
sleep 1
total=0
for i in $(seq "$n"); do
  pid=$(cat "$work/s$i/shim.pid")
  kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  total=$((total + kb))
done
echo "berth-shim: $n shims, total PSS ${total} kB, per container $((total / n)) kB"
