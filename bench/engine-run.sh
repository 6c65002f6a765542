#!/usr/bin/env bash
# Side-by-side benchmark of a whole `run --rm busybox true` through an engine:
#
#   berth  -> berthd                 (our CLI, our daemon, berth-shim, berth-runtime)
#   docker -> dockerd 20.10          (an isolated dockerd with its containerd and runc)
#   docker -> berthd                 (the docker CLI against berthd: the daemon's share)
#   runc run on a bundle             (the bare runtime, as bench/runtime-run.sh)
#
#   sudo bench/engine-run.sh         # needs root, dockerd, docker, runc, hyperfine, jq
#
# Both daemons are started here, isolated: their own --data-root, --exec-root, pid file,
# unix socket, containerd namespace and cgroup parent, all under one /tmp/berth-eb.*
# directory; dockerd with --iptables=false --bridge=none and its own config file. Each
# gets a busybox:latest imported from scripts/make-busybox-rootfs.sh (nothing is
# pulled). hyperfine runs all four commands in ROUNDS rounds, the order rotating per
# round; the times of all rounds are pooled and the medians compared.
#
# Environment:
#   BERTH_BIN   directory with berthd, berth, berth-shim, berth-runtime (default: build
#               release ones into .build/release; set SKIP_BUILD=1 to use them as they are)
#   ROUNDS      rounds of hyperfine (default 4)
#   RUNS        runs per command per round (default 6; ROUNDS*RUNS >= 20)
#   WARMUP      warm-up runs per command per round (default 1)
#   EXEC_FS     tmpfs (default): both daemons' --exec-root on a private tmpfs, as /run is
#               on most machines; disk: on /tmp's filesystem (see bench/lib/engines.sh)
#
# Everything started here is stopped on exit, also on failure or Ctrl-C: containers are
# removed, the daemons get SIGTERM (SIGKILL after 20 s), leftovers below the temporary
# directory are unmounted, the cgroup parents removed, and /run/docker*, /run/containerd*
# removed only if this script created them and they are empty.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-4}
runs=${RUNS:-6}
warmup=${WARMUP:-1}
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH

die() {
  echo "engine-run.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in dockerd docker runc hyperfine jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ $((rounds * runs)) -ge 20 ] || die "ROUNDS*RUNS must be at least 20"

bench_name=engine-run.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"

echo "starting an isolated dockerd and berthd in $work ..." >&2
exec_root "$work/state" # runc's --root too
mkdir -p "$work/state/runc"
start_dockerd
start_berthd

rootfs=$work/rootfs
"$repo/scripts/make-busybox-rootfs.sh" "$rootfs"
tar -C "$rootfs" -c . | docker -H "unix://$dsock" import - busybox:latest >/dev/null
tar -C "$rootfs" -c . | "$bin/berth" -H "unix://$bsock" import - busybox:latest >/dev/null

bundle=$work/bundle
mkdir -p "$bundle"
cp -a "$rootfs" "$bundle/rootfs"
(cd "$bundle" && runc spec)
jq '.process.terminal = false | .process.args = ["true"]' "$bundle/config.json" >"$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"

# ---------------------------------------------------------------------------
# The four commands. `$$` in the runc one: the pid of the shell hyperfine starts for
# each run, a unique id (hyperfine measures that shell's start-up and subtracts it).
names=(berth-berthd docker-dockerd docker-berthd runc)
cmds=(
  "$bin/berth -H unix://$bsock run --rm busybox true"
  "docker -H unix://$dsock run --rm busybox true"
  "docker -H unix://$bsock run --rm busybox true"
  "runc --root $work/state/runc run --bundle $bundle runc-\$\$"
)
for i in 0 1 2 3; do
  out=$(sh -c "${cmds[$i]}" 2>&1) || die "${names[$i]}: '${cmds[$i]}' failed: $out"
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
r=1
while [ "$r" -le "$rounds" ]; do
  args=()
  for k in 0 1 2 3; do # rotate: round 1 starts with berth, round 2 with docker, ...
    i=$(((k + r - 1) % 4))
    args+=(-n "${names[$i]}" "${cmds[$i]}")
  done
  echo "round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  hyperfine --shell sh --warmup "$warmup" --runs "$runs" --style basic \
    --export-json "$work/round-$r.json" "${args[@]}" >/dev/null
  r=$((r + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/engine-run-$(date -u +%Y%m%dT%H%M%SZ).json
jq -s --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg driver "$docker_driver" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def stats: {runs: length, min: min, median: median, mean: (add / length), max: max};
  [.[].results[]] as $all
  | def times($n): $all | map(select(.command == $n)) | map(.times[]);
  {berth_berthd: times("berth-berthd"), docker_dockerd: times("docker-dockerd"),
   docker_berthd: times("docker-berthd"), runc: times("runc")} as $t
  | {stats: ($t | map_values(stats)), times: $t,
     ratio_berth_docker: (($t.berth_berthd | median) / ($t.docker_dockerd | median)),
     ratio_berth_runc: (($t.berth_berthd | median) / ($t.runc | median)),
     ratio_dockercli_berthd_dockerd: (($t.docker_berthd | median) / ($t.docker_dockerd | median)),
     load_before: $load_before, load_after: $load_after, docker_storage_driver: $driver}
' "$work"/round-*.json >"$out"

jq -r '.stats | to_entries[] | [.key, .value.runs, (.value | .min, .median, .mean, .max | . * 1000)] | @tsv' "$out" |
  awk -F '\t' '
  BEGIN { printf "%-16s %5s %10s %10s %10s %10s\n", "client->engine", "runs", "min ms", "median ms", "mean ms", "max ms" }
  { printf "%-16s %5d %10.1f %10.1f %10.1f %10.1f\n", $1, $2, $3, $4, $5, $6 }'
jq -r '"
ratio berth/docker of medians (berth->berthd / docker->dockerd): \(.ratio_berth_docker * 1000 | round / 1000)
ratio berth/runc of medians (berth->berthd / runc run):          \(.ratio_berth_runc * 1000 | round / 1000)
docker CLI: berthd / dockerd of medians:                          \(.ratio_dockercli_berthd_dockerd * 1000 | round / 1000)
dockerd storage driver: \(.docker_storage_driver); load average before: \(.load_before), after: \(.load_after)"' "$out"
echo "$(nproc) cores, $(uname -r), $(dockerd --version | cut -d, -f1), $(runc --version | head -1)"
echo "raw times: $out" >&2
