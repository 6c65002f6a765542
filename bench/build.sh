#!/usr/bin/env bash
# Dockerfile builds: `berth build` (berthd) vs dockerd's classic builder and vs BuildKit
# (Debian's docker 20.10 client with DOCKER_BUILDKIT=0 / =1), on the same machine, in the
# same run, interleaved, the order rotating each round; medians of all runs; ratios of
# berth to the faster of the two.
#
#   sudo bench/build.sh
#   sudo ROUNDS=4 RUNS=3 bench/build.sh
#
# Three builds:
#   cold     the seed's Dockerfile (bench/build-seed: WORKDIR, COPY tiny.c, RUN gcc, CMD,
#            EXPOSE) with --no-cache, the base image present;
#   cached   the same, unchanged, after a first build: every step from the cache;
#   stages   two independent stages (each a RUN of ~0.3 s of work) and a final one copying
#            from both, --no-cache (BuildKit runs the two at once).
# The base image `gcc-base` is a debootstrap rootfs with gcc (scripts/make-gcc-rootfs.sh,
# cached), imported into both engines.
#
# Every RUN has no network (--network none): the daemons run without a bridge.
#
# Environment: ROUNDS (3), RUNS (3 per command per round), BERTH_BIN, GCC_ROOTFS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-3}
runs=${RUNS:-3}

die() {
  echo "build.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in hyperfine jq dockerd /usr/bin/docker tar; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps.sh)"
done

bench_name=build.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"
# shellcheck source=bench/lib/registry.sh
source "$here/lib/registry.sh"

rootfs=${GCC_ROOTFS:-/var/cache/berth-gcc-rootfs}
bash "$repo/scripts/make-gcc-rootfs.sh" "$rootfs" >&2 || die "making the gcc rootfs failed"
tar --numeric-owner -C "$rootfs" -cf "$work/gcc-base.tar" .

use_dockerd
start_berthd
# Debian's 20.10 client: its BuildKit is the one built into dockerd 20.10.
dcli="/usr/bin/docker -H ${docker#docker -H }"
berth="$bin/berth -H unix://$bsock"
$dcli import "$work/gcc-base.tar" gcc-base >/dev/null || die "docker import failed"
$berth import "$work/gcc-base.tar" gcc-base >/dev/null || die "berth import failed"

seed=$work/seed
mkdir -p "$seed" "$work/stages"
cp "$here/build-seed/Dockerfile" "$here/build-seed/tiny.c" "$seed/"
cat >"$work/stages/Dockerfile" <<'DOCKERFILE'
FROM gcc-base AS left
RUN for i in $(seq 3000); do echo $i; done | sort -n | tail -1 > /left && sleep 0.3
FROM gcc-base AS right
RUN for i in $(seq 3000); do echo $i; done | sort -rn | tail -1 > /right && sleep 0.3
FROM gcc-base
COPY --from=left /left /left
COPY --from=right /right /right
DOCKERFILE

# Each builder once, checked: the image runs and serves Hello World (berth's and docker's).
for who in berth classic buildkit; do
  case $who in
  berth) cmd="$berth build --network none" ;;
  classic) cmd="env DOCKER_BUILDKIT=0 $dcli build --network none" ;;
  buildkit) cmd="env DOCKER_BUILDKIT=1 $dcli build --network none" ;;
  esac
  $cmd -q -t "seed-$who" "$seed" >/dev/null 2>"$work/first-$who.log" || die "$who build failed: $(cat "$work/first-$who.log")"
  $cmd -q -t "stages-$who" "$work/stages" >/dev/null 2>>"$work/first-$who.log" || die "$who stages build failed"
done
out=$($berth run --rm seed-berth cat /home/index.html)
[ "$out" = "Hello World" ] || die "berth's image: index.html is '$out'"

declare -A cmds=(
  [berth-cold]="$berth build --network none -q --no-cache -t seed-berth $seed"
  [classic-cold]="DOCKER_BUILDKIT=0 $dcli build --network none -q --no-cache -t seed-classic $seed"
  [buildkit-cold]="DOCKER_BUILDKIT=1 $dcli build --network none -q --no-cache -t seed-buildkit $seed"
  [berth-cached]="$berth build --network none -q -t seed-berth $seed"
  [classic-cached]="DOCKER_BUILDKIT=0 $dcli build --network none -q -t seed-classic $seed"
  [buildkit-cached]="DOCKER_BUILDKIT=1 $dcli build --network none -q -t seed-buildkit $seed"
  [berth-stages]="$berth build --network none -q --no-cache -t stages-berth $work/stages"
  [classic-stages]="DOCKER_BUILDKIT=0 $dcli build --network none -q --no-cache -t stages-classic $work/stages"
  [buildkit-stages]="DOCKER_BUILDKIT=1 $dcli build --network none -q --no-cache -t stages-buildkit $work/stages"
)
builders=(berth classic buildkit)
for kind in cold cached stages; do
  r=1
  while [ "$r" -le "$rounds" ]; do
    args=()
    for k in 0 1 2; do
      who=${builders[$(((k + r) % 3))]}
      args+=(-n "$who-$kind" "${cmds[$who-$kind]}")
    done
    echo "$kind round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    hyperfine --shell sh --runs "$runs" --style basic --export-json "$work/$kind-$r.json" "${args[@]}" >/dev/null
    r=$((r + 1))
  done
done

results=${RESULTS:-$here/results}
mkdir -p "$results"
file=$results/build-$(date -u +%Y%m%dT%H%M%SZ).json
{
  echo "{"
  for kind in cold cached stages; do
    b=$(hyperfine_median "berth-$kind" "$work/$kind"-*.json)
    c=$(hyperfine_median "classic-$kind" "$work/$kind"-*.json)
    k=$(hyperfine_median "buildkit-$kind" "$work/$kind"-*.json)
    echo "\"$kind\": {\"berth\": $b, \"classic\": $c, \"buildkit\": $k},"
  done
  echo "\"dockerd\": \"$docker_where\", \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
} >"$file"
jq -r 'to_entries[] | select(.value | type == "object") |
  (.value.classic as $c | .value.buildkit as $k | ([$c, $k] | min) as $best |
   "\(.key): berth \(.value.berth * 1000 | round) ms, classic \($c * 1000 | round) ms, buildkit \($k * 1000 | round) ms; berth/faster \(.value.berth / $best * 100 | round / 100)")' "$file"
echo "results: $file" >&2
