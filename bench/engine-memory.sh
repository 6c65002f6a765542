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

src=${BERTH_BIN:-$repo/.build/release}
if [ -z "${BERTH_BIN:-}" ] && [ -z "${SKIP_BUILD:-}" ]; then
  echo "building release berthd, berth, berth-shim, berth-runtime ..." >&2
  for p in berth-runtime berth-shim berthd berth; do
    (cd "$repo" && swift build -c release --static-swift-stdlib --product "$p" >&2) ||
      echo "engine-memory.sh: release build of $p failed; using the earlier binary" >&2
  done
fi
for b in berthd berth berth-shim berth-runtime; do
  [ -x "$src/$b" ] || die "$src/$b is not executable"
done

# ---------------------------------------------------------------------------
# State and cleanup. Short path: containerd's socket below it must fit in sun_path.
work=$(mktemp -d /tmp/berth-eb.XXXXXX)
tag=${work##*.}
tag=${tag,,}
berth_cg=berth-bench-$$             # berthd --cgroup-parent /berth-bench-$$
docker_cg=berth-bench-docker-$$     # dockerd --cgroup-parent
docker_ns=berth-bench-$tag          # dockerd's containerd namespace
# Host paths dockerd/containerd create on their own: removed at exit only if absent now.
created_host_paths=()
for p in /run/docker/plugins /run/docker /run/containerd/s /run/containerd /run/berth; do
  [ -e "$p" ] || created_host_paths+=("$p")
done
dockerd_pid=""
berthd_pid=""

export DOCKER_CONFIG=$work/cli    # never the user's ~/.docker
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_HOST || true
dsock=$work/d.sock
bsock=$work/b.sock

stop_pid() { # pid name: SIGTERM, then SIGKILL after 20 s
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "engine-memory.sh: $2 ($pid) ignored SIGTERM for 20 s; SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

remove_cgroups() { # name: children first, in every hierarchy (and below our own cgroup)
  local name=$1 mnt own d
  while read -r _ mnt type _; do
    case $type in cgroup | cgroup2) ;; *) continue ;; esac
    for d in "$mnt/$name" $(cut -d: -f3 /proc/self/cgroup | grep -v '^/$' | sed "s|^|$mnt|;s|\$|/$name|"); do
      [ -d "$d" ] || continue
      find "$d" -depth -mindepth 1 -type d -exec rmdir {} \; 2>/dev/null || true
      rmdir "$d" 2>/dev/null || echo "engine-memory.sh: could not rmdir $d" >&2
    done
  done </proc/self/mounts
}

cleanup() {
  set +e
  trap - INT TERM
  if [ -n "$berthd_pid" ] && kill -0 "$berthd_pid" 2>/dev/null; then
    ids=$(timeout 30 "${bin:-}/berth" -H "unix://$bsock" ps -aq 2>/dev/null)
    [ -z "$ids" ] || timeout 60 "${bin:-}/berth" -H "unix://$bsock" rm -f $ids >/dev/null 2>&1
  fi
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    ids=$(timeout 30 docker -H "unix://$dsock" ps -aq 2>/dev/null)
    [ -z "$ids" ] || timeout 60 docker -H "unix://$dsock" rm -f $ids >/dev/null 2>&1
  fi
  if [ -d "$work/state/runc" ]; then
    for id in $(runc --root "$work/state/runc" list -q 2>/dev/null); do
      runc --root "$work/state/runc" delete -f "$id" >/dev/null 2>&1
    done
  fi
  stop_pid "$berthd_pid" berthd
  stop_pid "$dockerd_pid" dockerd
  # Shims or a containerd these daemons left: their command line names $work, or they
  # run a binary copied into $work. Given 10 s to finish on their own (a shim removes
  # its socket in /run/containerd/s as it exits), then SIGKILLed.
  leftovers() {
    local p
    for p in /proc/[0-9]*; do
      [ "${p#/proc/}" != $$ ] || continue
      if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$work/" ||
        readlink "$p/exe" 2>/dev/null | grep -qF "$work/"; then
        echo "${p#/proc/}"
      fi
    done
  }
  for i in $(seq 100); do
    [ -n "$(leftovers)" ] || break
    sleep 0.1
  done
  for pid in $(leftovers); do
    echo "engine-memory.sh: killing leftover $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" >&2
    kill -KILL "$pid" 2>/dev/null
  done
  sleep 0.2
  for i in 1 2 3; do
    pts=$(awk -v w="$work" '$5 == w || index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo |
      awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-)
    [ -n "$pts" ] || break
    while read -r m; do umount -l "$m" 2>/dev/null; done <<<"$pts"
  done
  remove_cgroups "$berth_cg"
  remove_cgroups "$docker_cg"
  rm -rf --one-file-system "$work"
  for p in "${created_host_paths[@]}"; do
    [ -d "$p" ] || continue
    rmdir "$p" 2>/dev/null || echo "engine-memory.sh: left $p (not empty: $(ls -A "$p" | head -3 | tr '\n' ' '))" >&2
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin=$work/bin # a private copy: other builds may replace .build/release meanwhile
mkdir -p "$bin" "$work/cli" "$work/state/runc"
for b in berthd berth berth-shim berth-runtime; do cp "$src/$b" "$bin/$b"; done
sync

# ---------------------------------------------------------------------------
# Daemons.
wait_ready() { # pid name log cmd...
  local pid=$1 name=$2 log=$3 i
  shift 3
  for i in $(seq 225); do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; return 1; }
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "engine-memory.sh: $name not ready after 45 s" >&2
  tail -20 "$log" >&2
  return 1
}

start_dockerd() {
  local driver
  echo "{\"deprecated-key-path\": \"$work/key.json\"}" >"$work/daemon.json"
  for driver in overlay2 vfs; do
    mkdir -p "$work/d/data" "$work/d/exec"
    dockerd --config-file "$work/daemon.json" --data-root "$work/d/data" \
      --exec-root "$work/d/exec" --pidfile "$work/d.pid" -H "unix://$dsock" \
      --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false --bridge=none \
      --storage-driver=$driver --containerd-namespace "$docker_ns" \
      --containerd-plugins-namespace "$docker_ns-plugins" --cgroup-parent "$docker_cg" \
      </dev/null >>"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    if wait_ready "$dockerd_pid" dockerd "$work/dockerd.log" \
      timeout 10 docker -H "unix://$dsock" version --format '{{.Server.Version}}'; then
      docker_driver=$driver
      return 0
    fi
    stop_pid "$dockerd_pid" dockerd
    dockerd_pid=""
    rm -rf --one-file-system "$work/d"
  done
  die "dockerd did not start (log: $work/dockerd.log)"
}

start_berthd() {
  mkdir -p "$work/b/data" "$work/b/exec"
  "$bin/berthd" --data-root "$work/b/data" --exec-root "$work/b/exec" -H "unix://$bsock" \
    --cgroup-parent "/$berth_cg" </dev/null >>"$work/berthd.log" 2>&1 &
  berthd_pid=$!
  wait_ready "$berthd_pid" berthd "$work/berthd.log" \
    timeout 10 "$bin/berth" -H "unix://$bsock" version ||
    die "berthd did not start (log: $work/berthd.log)"
}

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
