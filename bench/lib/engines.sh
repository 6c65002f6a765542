# Shared by engine-run.sh and engine-memory.sh: builds or finds the release binaries,
# starts an isolated dockerd (with its containerd) and berthd under $work, and cleans
# up everything on exit. Expects: $repo, $bench_name, die(); sets $bin, $work, the
# sockets, and the daemons' pids.
# shellcheck shell=bash
src=${BERTH_BIN:-$repo/.build/release}
if [ -z "${BERTH_BIN:-}" ] && [ -z "${SKIP_BUILD:-}" ]; then
  echo "building release berthd, berth, berth-cp, berth-shim, berth-runtime ..." >&2
  for p in berth-runtime berth-shim berthd berth berth-cp; do
    bash "$repo/scripts/build-release.sh" "$p" >&2 ||
      echo "$bench_name: release build of $p failed; using the earlier binary" >&2
  done
fi
for b in berthd berth berth-cp berth-shim berth-runtime; do
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
  echo "$bench_name: $2 ($pid) ignored SIGTERM for 20 s; SIGKILL" >&2
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
      rmdir "$d" 2>/dev/null || echo "$bench_name: could not rmdir $d" >&2
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
    echo "$bench_name: killing leftover $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" >&2
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
    rmdir "$p" 2>/dev/null || echo "$bench_name: left $p (not empty: $(ls -A "$p" | head -3 | tr '\n' ' '))" >&2
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin=$work/bin # a private copy: other builds may replace .build/release meanwhile
mkdir -p "$bin" "$work/cli" "$work/state/runc"
for b in berthd berth berth-cp berth-shim berth-runtime; do cp "$src/$b" "$bin/$b"; done
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
  echo "$bench_name: $name not ready after 45 s" >&2
  tail -20 "$log" >&2
  return 1
}

# The exec roots (runtime state, shim state, sockets, fifos, bundles of containerd) go on
# a private tmpfs, as /run is on most machines (not on this VM). On this VM's ext4, which
# has no journal, the kernel skips every inode deleted in the last 60 s, one by one, when
# it allocates a new one (ext4's recently_deleted()): back-to-back runs that each create
# and delete a few dozen files make each other's creations slower and slower. The data
# roots stay on disk. EXEC_FS=disk keeps the exec roots on disk as well.
exec_root() { # dir
  mkdir -p "$1"
  if [ "${EXEC_FS:-tmpfs}" = tmpfs ] && ! mountpoint -q "$1"; then
    mount -t tmpfs -o mode=0711 "bench-exec-$tag" "$1"
  fi
}

start_dockerd() {
  local driver
  echo "{\"deprecated-key-path\": \"$work/key.json\"}" >"$work/daemon.json"
  for driver in overlay2 vfs; do
    mkdir -p "$work/d/data"
    exec_root "$work/d/exec"
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
    rm -rf --one-file-system "$work/d/data"
    find "$work/d/exec" -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system {} + 2>/dev/null || true
  done
  die "dockerd did not start (log: $work/dockerd.log)"
}

start_berthd() {
  mkdir -p "$work/b/data"
  exec_root "$work/b/exec"
  # --bridge none, as dockerd's above: the host's network is not the benchmark's
  # (bench/network-ab.sh measures networking, each daemon in a namespace of its own).
  "$bin/berthd" --data-root "$work/b/data" --exec-root "$work/b/exec" -H "unix://$bsock" \
    --cgroup-parent "/$berth_cg" --bridge none </dev/null >>"$work/berthd.log" 2>&1 &
  berthd_pid=$!
  wait_ready "$berthd_pid" berthd "$work/berthd.log" \
    timeout 10 "$bin/berth" -H "unix://$bsock" version ||
    die "berthd did not start (log: $work/berthd.log)"
}
