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

src=${BERTH_BIN:-$repo/.build/release}
if [ -z "${BERTH_BIN:-}" ] && [ -z "${SKIP_BUILD:-}" ]; then
  echo "building release berthd, berth, berth-shim, berth-runtime ..." >&2
  for p in berth-runtime berth-shim berthd berth; do
    (cd "$repo" && swift build -c release --static-swift-stdlib --product "$p" >&2) ||
      echo "engine-run.sh: release build of $p failed; using the earlier binary" >&2
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
  echo "engine-run.sh: $2 ($pid) ignored SIGTERM for 20 s; SIGKILL" >&2
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
      rmdir "$d" 2>/dev/null || echo "engine-run.sh: could not rmdir $d" >&2
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
    echo "engine-run.sh: killing leftover $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" >&2
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
    rmdir "$p" 2>/dev/null || echo "engine-run.sh: left $p (not empty: $(ls -A "$p" | head -3 | tr '\n' ' '))" >&2
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
  echo "engine-run.sh: $name not ready after 45 s" >&2
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

echo "starting an isolated dockerd and berthd in $work ..." >&2
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
