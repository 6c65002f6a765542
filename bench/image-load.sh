#!/usr/bin/env bash
# Side-by-side benchmark of `load -i IMAGE.tar` of the same docker-archive tarball:
#
#   berth  -> berthd        (our CLI, our daemon: blobs into its content store)
#   docker -> dockerd 20.10 (an isolated dockerd with its containerd; overlay2 or vfs)
#
#   sudo bench/image-load.sh         # needs root, dockerd, docker, hyperfine, jq, and
#                                    # debootstrap + a Debian mirror for the first run
#
# The images are made here, nothing is pulled, and written once by the isolated dockerd's
# `docker save`, so they are genuine docker-archives as dockerd 20.10 writes them:
#
#   debian   a debootstrap --variant=minbase bookworm rootfs (one ~200 MB layer),
#            `docker import`ed; rootfs tar cached as $CACHE/berth-bench-debian-minbase.tar
#   busybox  scripts/make-busybox-rootfs.sh, `docker import`ed (one small layer)
#
# The saved tarballs are cached as $CACHE/berth-bench-image-<case>.tar (CACHE defaults to
# /var/tmp; delete them to rebuild). Each case is one hyperfine invocation with both
# commands, ROUNDS rounds interleaved over the cases, the order of the two commands
# alternating per round; times of all rounds are pooled and the medians compared.
#
# Every measured (and warm-up) run starts from an empty image store, by hyperfine's
# --prepare for that command, which also checks that it is empty:
#   berthd:  `berth rmi -f` of every image, then the content store's blobs are deleted
#            (berthd's rmi garbage-collects only blobs older than 10 minutes, a grace
#            period for in-flight loads, and an ingest that finds its blob already there
#            skips the fsync and rename: a load would be cheaper than a first one). The
#            store is a plain directory of blobs, and this berthd has no other images.
#   dockerd: `docker rmi -f` of every image and `docker image prune -a -f`; the layer
#            database and the storage driver's directory must then be empty.
# Both prepares end with `sync`, so no run pays for the previous run's dirty pages. The
# tarball itself is read from the page cache by both (warm-up run).
#
# Not the same work: dockerd 20.10 (graphdriver store) extracts each layer into its
# storage driver during load; berthd stores the layer blobs (hashed, fsynced) and unpacks
# a layer into a snapshot when a container first needs it.
#
# Environment:
#   BERTH_BIN   directory with berthd, berth, berth-shim, berth-runtime (default: build
#               release ones into .build/release; set SKIP_BUILD=1 to use them as they are)
#   CASES       images to load (default "debian busybox")
#   ROUNDS      rounds of hyperfine (default 3)
#   RUNS        runs per command per case per round (default 4; ROUNDS*RUNS >= 10)
#   WARMUP      warm-up runs per command per round (default 1)
#   CACHE       where the rootfs and image tarballs are cached (default /var/tmp)
#   MIRROR      Debian mirror for debootstrap (default http://deb.debian.org/debian)
#
# Everything started here is stopped on exit, also on failure or Ctrl-C (bench/lib/engines.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-3}
runs=${RUNS:-4}
warmup=${WARMUP:-1}
cases=(${CASES:-debian busybox})
cache=${CACHE:-/var/tmp}
mirror=${MIRROR:-http://deb.debian.org/debian}
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH

die() {
  echo "image-load.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in dockerd docker hyperfine jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ $((rounds * runs)) -ge 10 ] || die "ROUNDS*RUNS must be at least 10"
[ "${#cases[@]}" -ge 1 ] || die "no CASES"
for c in "${cases[@]}"; do
  case $c in debian | busybox) ;; *) die "unknown case $c (debian, busybox)" ;; esac
done

bench_name=image-load.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"

echo "starting an isolated dockerd and berthd in $work ..." >&2
start_dockerd
start_berthd
D=(docker -H "unix://$dsock")
B=("$bin/berth" -H "unix://$bsock")

# ---------------------------------------------------------------------------
# The tarballs (built once, cached).
ref_of() { echo "berth-bench/$1:latest"; }
tar_of() { echo "$cache/berth-bench-image-$1.tar"; }

debian_rootfs_tar() { # prints the cached rootfs tar, building it with debootstrap if needed
  local t=$cache/berth-bench-debian-minbase.tar root
  if [ ! -s "$t" ]; then
    command -v debootstrap >/dev/null || die "debootstrap not found (needed once to build $t)"
    root=$work/debootstrap
    echo "debootstrap --variant=minbase bookworm (once; cached as $t) ..." >&2
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" . && mv "$work/rootfs.tar" "$t"
    rm -rf --one-file-system "$root"
  fi
  echo "$t"
}

make_image_tar() { # case: docker import into the isolated dockerd, docker save, cache
  local c=$1 ref t
  ref=$(ref_of "$c")
  t=$(tar_of "$c")
  [ -s "$t" ] && return 0
  echo "building $t (docker import + docker save, once) ..." >&2
  case $c in
  debian) "${D[@]}" import -c 'CMD ["bash"]' "$(debian_rootfs_tar)" "$ref" >/dev/null ;;
  busybox)
    "$repo/scripts/make-busybox-rootfs.sh" "$work/busybox-rootfs"
    tar -C "$work/busybox-rootfs" -c . | "${D[@]}" import -c 'CMD ["sh"]' - "$ref" >/dev/null
    ;;
  esac
  "${D[@]}" save -o "$work/image.tar" "$ref" # in $work: nothing half-written is left in $cache
  mv "$work/image.tar" "$t"
  "${D[@]}" rmi -f "$ref" >/dev/null
}
for c in "${cases[@]}"; do make_image_tar "$c"; done

# ---------------------------------------------------------------------------
# Prepares: empty image stores, checked.
bstore=$work/b/data/image
dstore=$work/d/data
cat >"$work/prep-berth.sh" <<EOF
set -eu
b() { "$bin/berth" -H "unix://$bsock" "\$@"; }
ids=\$(b images -aq)
[ -z "\$ids" ] || b rmi -f \$ids >/dev/null
[ -z "\$(b images -aq)" ] || { echo "berthd still has images" >&2; exit 1; }
find "$bstore/content/blobs/sha256" -mindepth 1 -delete
left=\$(ls -A "$bstore/content/blobs/sha256" "$bstore/content/ingest" "$bstore/snapshots/snapshots" | grep -v -e '^\$' -e ':\$' || true)
[ -z "\$left" ] || { echo "berthd left: \$left" >&2; exit 1; }
sync
EOF
cat >"$work/prep-docker.sh" <<EOF
set -eu
d() { docker -H "unix://$dsock" "\$@"; }
ids=\$(d images -aq)
[ -z "\$ids" ] || d rmi -f \$ids >/dev/null
d image prune -a -f >/dev/null
[ -z "\$(d images -aq)" ] || { echo "dockerd still has images" >&2; exit 1; }
[ -z "\$(ls -A "$dstore/image/$docker_driver/layerdb/sha256" 2>/dev/null)" ] || { echo "dockerd layers left" >&2; exit 1; }
[ -z "\$(ls -A "$dstore/$docker_driver" 2>/dev/null | grep -vx l)" ] || { echo "dockerd $docker_driver dirs left" >&2; exit 1; }
sync
EOF

# One load on each, checked: the same image ID (the config digest) on both.
for c in "${cases[@]}"; do
  t=$(tar_of "$c")
  ref=$(ref_of "$c")
  sh "$work/prep-berth.sh" && sh "$work/prep-docker.sh"
  "${B[@]}" load -i "$t" >/dev/null || die "berth load -i $t failed"
  "${D[@]}" load -i "$t" >/dev/null || die "docker load -i $t failed"
  bid=$("${B[@]}" image inspect --format '{{.Id}}' "$ref") || die "berthd has no $ref after load"
  did=$("${D[@]}" image inspect --format '{{.Id}}' "$ref") || die "dockerd has no $ref after load"
  [ "$bid" = "$did" ] || die "$c: image IDs differ: berthd $bid, dockerd $did"
  # The places the prepares check for emptiness are where the loads put their data.
  [ -n "$(ls -A "$bstore/content/blobs/sha256")" ] || die "no blobs in $bstore/content after berth load"
  [ -n "$(ls -A "$dstore/image/$docker_driver/layerdb/sha256")" ] || die "no layers in dockerd's layerdb after docker load"
  echo "$c: $(du -m "$t" | cut -f1) MB tarball, image $bid; berthd content store $(du -sm "$bstore/content" | cut -f1) MB, snapshots: $(ls -A "$bstore/snapshots/snapshots" 2>/dev/null | wc -l)" >&2
done
sh "$work/prep-berth.sh" && sh "$work/prep-docker.sh"

# ---------------------------------------------------------------------------
# Rounds: per round, each case once, its two commands in alternating order.
names=(berth-berthd docker-dockerd)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
r=1
while [ "$r" -le "$rounds" ]; do
  for c in "${cases[@]}"; do
    t=$(tar_of "$c")
    cmds=("$bin/berth -H unix://$bsock load -i $t" "docker -H unix://$dsock load -i $t")
    preps=("sh $work/prep-berth.sh" "sh $work/prep-docker.sh")
    args=()
    preps_args=()
    for k in 0 1; do
      i=$(((k + r - 1) % 2))
      args+=(-n "$c/${names[$i]}" "${cmds[$i]}")
      preps_args+=(--prepare "${preps[$i]}")
    done
    echo "round $r/$rounds, $c (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    hyperfine --shell sh --warmup "$warmup" --runs "$runs" --style basic "${preps_args[@]}" \
      --export-json "$work/round-$r-$c.json" "${args[@]}" >/dev/null
  done
  r=$((r + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
sh "$work/prep-berth.sh" && sh "$work/prep-docker.sh"

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/image-load-$(date -u +%Y%m%dT%H%M%SZ).json
sizes=$(for c in "${cases[@]}"; do jq -n --arg c "$c" --argjson b "$(stat -c %s "$(tar_of "$c")")" '{($c): $b}'; done | jq -s add)
jq -s --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg driver "$docker_driver" --argjson sizes "$sizes" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def stats: {runs: length, min: min, median: median, mean: (add / length), max: max};
  [.[].results[]] as $all
  | ($all | map(.command) | unique) as $names
  | ([$names[] as $n | {key: $n, value: [$all[] | select(.command == $n) | .times[]]}] | from_entries) as $t
  | {stats: ($t | map_values(stats)), times: $t,
     ratio_berth_docker: ($sizes | keys | map({key: ., value:
       (($t[. + "/berth-berthd"] | median) / ($t[. + "/docker-dockerd"] | median))}) | from_entries),
     tarball_bytes: $sizes, load_before: $load_before, load_after: $load_after,
     docker_storage_driver: $driver}
' "$work"/round-*.json >"$out"

jq -r '.stats | to_entries[] | [.key, .value.runs, (.value | .min, .median, .mean, .max | . * 1000)] | @tsv' "$out" |
  awk -F '\t' '
  BEGIN { printf "%-24s %5s %10s %10s %10s %10s\n", "image/client->engine", "runs", "min ms", "median ms", "mean ms", "max ms" }
  { printf "%-24s %5d %10.1f %10.1f %10.1f %10.1f\n", $1, $2, $3, $4, $5, $6 }'
echo
jq -r '.ratio_berth_docker | to_entries[] |
  "\(.key): ratio berth/docker of medians (berth->berthd / docker->dockerd): \(.value * 1000 | round / 1000)"' "$out"
jq -r '"tarballs: \(.tarball_bytes | to_entries | map("\(.key) \(.value / 1048576 | . * 10 | round / 10) MiB") | join(", "))
dockerd storage driver: \(.docker_storage_driver); load average before: \(.load_before), after: \(.load_after)"' "$out"
echo "$(nproc) cores, $(uname -r), $(dockerd --version | cut -d, -f1)"
echo "raw times: $out" >&2
