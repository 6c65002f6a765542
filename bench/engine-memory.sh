#!/usr/bin/env bash
# Memory of the engines, measured alike (PSS from /proc/PID/smaps_rollup):
#
#   1. idle: berthd vs dockerd + its containerd (sum), right after start (ready plus
#      SETTLE seconds), no containers and no images;
#   2. per running container: N containers `run -d busybox sleep 600` on each daemon
#      (through the same docker CLI), the total PSS of their shims divided by N:
#      berth-shim vs containerd-shim-runc-v2. The daemons' PSS with N running is shown too.
#
#   sudo bench/engine-memory.sh [N]      # default 10; needs root, dockerd, docker, jq
#
# Both daemons are isolated as in bench/engine-run.sh (own data/exec roots, sockets,
# containerd namespace, cgroup parents under one /tmp/berth-eb.* directory), and
# everything is cleaned up on exit, also on failure or Ctrl-C.
#
# Environment:
#   BERTH_BIN   directory with berthd, berth, berth-shim, berth-runtime (default: build
#               release ones into .build/release; SKIP_BUILD=1 uses them as they are)
#   SETTLE      seconds to wait after a daemon answers before measuring idle (default 3)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
n=${1:-10}
settle=${SETTLE:-3}
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH

die() {
  echo "engine-memory.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in dockerd docker runc jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

bench_name=engine-memory.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"

pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }  # kB
rss() { awk '/^Rss:/ { print $2 }' "/proc/$1/smaps_rollup"; }  # kB
sum_kb() { # field pids...: sum of Pss or Rss
  local f=$1 t=0 p
  shift
  for p in "$@"; do t=$((t + $($f "$p"))); done
  echo "$t"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# Processes started from a binary copied into $work, or whose command line names $work.
pids_exe() { local p; for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"; done; true; }
pids_exe_cmdline() { # exe text
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] || continue
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$2" && echo "${p#/proc/}"
  done
  true
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "starting an isolated dockerd and berthd in $work ..." >&2
start_dockerd
sleep "$settle"
containerd_pid=$(pgrep -P "$dockerd_pid" -x containerd | head -1) || true
[ -n "$containerd_pid" ] || die "dockerd's containerd not found (is it using a system containerd?)"
start_berthd
sleep "$settle"
sync
idle_berthd=$(pss "$berthd_pid")
idle_dockerd=$(pss "$dockerd_pid")
idle_containerd=$(pss "$containerd_pid")
idle_berthd_rss=$(rss "$berthd_pid")
idle_docker_rss=$(sum_kb rss "$dockerd_pid" "$containerd_pid")

rootfs=$work/rootfs
"$repo/scripts/make-busybox-rootfs.sh" "$rootfs"
tar -C "$rootfs" -c . | docker -H "unix://$dsock" import - busybox:latest >/dev/null
tar -C "$rootfs" -c . | docker -H "unix://$bsock" import - busybox:latest >/dev/null

echo "starting $n containers on each ..." >&2
for i in $(seq "$n"); do
  docker -H "unix://$dsock" run -d busybox sleep 600 >/dev/null || die "docker run -d on dockerd failed"
  docker -H "unix://$bsock" run -d busybox sleep 600 >/dev/null || die "docker run -d on berthd failed"
done
sleep "$settle"
sync
running_d=$(docker -H "unix://$dsock" ps -q | wc -l)
running_b=$(docker -H "unix://$bsock" ps -q | wc -l)
[ "$running_d" = "$n" ] && [ "$running_b" = "$n" ] ||
  die "expected $n running on each, dockerd has $running_d, berthd $running_b"
mapfile -t bshims < <(pids_exe "$bin/berth-shim")
mapfile -t dshims < <(pids_exe_cmdline "$(readlink -f "$(command -v containerd-shim-runc-v2)")" "$work/")
[ "${#bshims[@]}" -ge "$n" ] || die "found ${#bshims[@]} berth-shim processes for $n containers"
[ "${#dshims[@]}" -ge "$n" ] || die "found ${#dshims[@]} containerd-shim-runc-v2 processes for $n containers"
bshim_pss=$(sum_kb pss "${bshims[@]}")
dshim_pss=$(sum_kb pss "${dshims[@]}")
bshim_rss=$(sum_kb rss "${bshims[@]}")
dshim_rss=$(sum_kb rss "${dshims[@]}")
busy_berthd=$(pss "$berthd_pid")
busy_docker=$(sum_kb pss "$dockerd_pid" "$containerd_pid")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

idle_docker=$((idle_dockerd + idle_containerd))
printf '%-40s %12s %12s %8s\n' "" "berth" "docker" "ratio"
printf '%-40s %9s MB %9s MB %8s\n' "idle PSS: berthd | dockerd+containerd" "$(mb "$idle_berthd")" "$(mb "$idle_docker")" \
  "$(awk -v a="$idle_berthd" -v b="$idle_docker" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %12s %9s MB\n' "  of which dockerd | containerd" "" "$(mb "$idle_dockerd") | $(mb "$idle_containerd")"
printf '%-40s %9s MB %9s MB\n' "idle RSS (for reference)" "$(mb "$idle_berthd_rss")" "$(mb "$idle_docker_rss")"
printf '%-40s %9s MB %9s MB\n' "daemons' PSS with $n running" "$(mb "$busy_berthd")" "$(mb "$busy_docker")"
printf '%-40s %9s MB %9s MB\n' "shims' total PSS ($n containers)" "$(mb "$bshim_pss")" "$(mb "$dshim_pss")"
printf '%-40s %9s MB %9s MB %8s\n' "PSS per container (shims / $n)" "$(mb $((bshim_pss / n)))" "$(mb $((dshim_pss / n)))" \
  "$(awk -v a="$bshim_pss" -v b="$dshim_pss" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %9s MB %9s MB\n' "RSS per shim (for reference)" "$(mb $((bshim_rss / ${#bshims[@]})))" "$(mb $((dshim_rss / ${#dshims[@]})))"
echo "shim processes: ${#bshims[@]} berth-shim, ${#dshims[@]} containerd-shim-runc-v2; dockerd storage driver: $docker_driver"
echo "load average before: $load_before, after: $load_after; $(nproc) cores, $(uname -r), $(dockerd --version | cut -d, -f1), $(containerd --version | awk '{ print "containerd", $3 }')"

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/engine-memory-$(date -u +%Y%m%dT%H%M%SZ).json
jq -n --argjson n "$n" --argjson ib "$idle_berthd" --argjson idd "$idle_dockerd" --argjson ic "$idle_containerd" \
  --argjson bb "$busy_berthd" --argjson bd "$busy_docker" --argjson bs "$bshim_pss" --argjson ds "$dshim_pss" \
  --arg lb "$load_before" --arg la "$load_after" \
  '{containers: $n, idle_pss_kb: {berthd: $ib, dockerd: $idd, containerd: $ic},
    busy_pss_kb: {berthd: $bb, dockerd_containerd: $bd},
    shims_pss_kb: {berth_shim: $bs, containerd_shim_runc_v2: $ds},
    per_container_kb: {berth: ($bs / $n), docker: ($ds / $n)}, load_before: $lb, load_after: $la}' >"$out"
echo "raw: $out" >&2
