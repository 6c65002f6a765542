#!/usr/bin/env bash
# Where the time of one `berth run --rm busybox true` goes, phase by phase:
#
#   sudo bench/engine-trace.sh                 # uses .build/release (build it first)
#   sudo BERTH_BIN=dir N=10 bench/engine-trace.sh
#   sudo DATA_FS=tmpfs bench/engine-trace.sh   # the data root on a tmpfs too (default: disk)
#   sudo MEDIANS=1 N=20 bench/engine-trace.sh  # each mark's median over the runs instead
#
# Starts an isolated berthd (own --data-root, --exec-root, socket and --cgroup-parent
# below one /tmp/berth-tr.* directory) with BERTH_TRACE=<file>, so the CLI, berthd, the
# shim, berth-runtime and the container's init all append their PhaseTrace marks to one
# file in one monotonic clock. Runs N (5) containers and prints the last run's marks:
# ms since the CLI started, ms since the previous mark, pid, phase. Everything started
# here is stopped and removed on exit.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
src=${BERTH_BIN:-$repo/.build/release}
n=${N:-5}
[ "$(id -u)" = 0 ] || { echo "engine-trace.sh: needs root" >&2; exit 1; }
work=$(mktemp -d /tmp/berth-tr.XXXXXX)
cg=berth-trace-$$
sock=$work/b.sock
berthd_pid=""
cleanup() {
  set +e
  if [ -n "$berthd_pid" ]; then
    kill -TERM "$berthd_pid"
    wait "$berthd_pid"
  fi
  awk -v w="$work" 'index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m"; done
  for d in /sys/fs/cgroup/*/"$cg" /sys/fs/cgroup/unified/"$cg"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/bin" "$work/data" "$work/exec"
# The exec root on a tmpfs, as /run is on most machines (see bench/lib/engines.sh).
[ "${EXEC_FS:-tmpfs}" = disk ] || mount -t tmpfs -o mode=0711 berth-trace-exec "$work/exec"
[ "${DATA_FS:-disk}" = disk ] || mount -t tmpfs -o mode=0711 berth-trace-data "$work/data"
for b in berthd berth berth-shim berth-runtime; do cp "$src/$b" "$work/bin/"; done
BERTH_TRACE=$work/trace.log "$work/bin/berthd" --data-root "$work/data" --exec-root "$work/exec" \
  -H "unix://$sock" --cgroup-parent "/$cg" --bridge none </dev/null >"$work/berthd.log" 2>&1 &
berthd_pid=$!
for _ in $(seq 100); do "$work/bin/berth" -H "unix://$sock" version >/dev/null 2>&1 && break; sleep 0.1; done
"$repo/scripts/make-busybox-rootfs.sh" "$work/rootfs" >/dev/null
tar -C "$work/rootfs" -c . | "$work/bin/berth" -H "unix://$sock" import - busybox:latest >/dev/null
mkdir "$work/runs"
for i in $(seq "$n"); do
  : >"$work/trace.log"
  start=$(date +%s%N)
  BERTH_TRACE=$work/trace.log "$work/bin/berth" -H "unix://$sock" run --rm busybox true
  echo "run $i: $((($(date +%s%N) - start) / 1000000)) ms" >&2
  sleep 0.05 # marks of processes still finishing
  cp "$work/trace.log" "$work/runs/$i.log"
done
sleep 0.3
if [ -n "${MEDIANS:-}" ]; then
  # Each mark's median time since the CLI's start over all runs (the first run, which
  # makes the image's init layer, left out), in the order of those medians.
  python3 - "$work/runs" <<'PY'
import os, re, statistics, sys
runs = sorted(os.listdir(sys.argv[1]), key=lambda n: int(n.split(".")[0]))[1:]
at = {}
for name in runs:
    marks = []
    for line in open(os.path.join(sys.argv[1], name)):
        m = re.match(r"\[trace (\d+) ([0-9.]+)ms\] (.*)", line.strip())
        if m: marks.append((float(m.group(2)), m.group(3)))
    marks.sort()
    if not marks: continue
    t0 = marks[0][0]
    for t, phase in marks: at.setdefault(phase, []).append(t - t0)
prev = 0.0
print(f"medians over {len(runs)} runs: ms since the CLI started, ms since the previous line")
for phase, times in sorted(at.items(), key=lambda kv: statistics.median(kv[1])):
    med = statistics.median(times)
    print(f"{med:8.2f} {med - prev:+7.2f}  {phase}")
    prev = med
PY
  exit 0
fi
sort -s -t' ' -k3,3g "$work/trace.log" | awk '
  { match($0, /[0-9]+\.[0-9]+ms/); t = substr($0, RSTART, RLENGTH - 2) + 0; split($0, f, " ")
    if (NR == 1) { t0 = t; prev = t }
    sub(/^\[trace [0-9]+ [0-9.]+ms\] /, "")
    printf "%8.2f %+7.2f %7s  %s\n", t - t0, t - prev, f[2], $0; prev = t }'
