#!/usr/bin/env bash
# Push of a multi-layer image to a local registry: `berth push` (through berthd) vs
# `docker push` (through dockerd), to a Debian docker-registry on 127.0.0.1 whose storage
# is emptied before every run, so nothing is skipped (no layer "already exists", no mount).
#
#   sudo bench/registry-push.sh
#   sudo ROUNDS=6 RUNS=3 bench/registry-push.sh
#
# The image is registry-pull.sh's (bench/lib/registry.sh), pulled once into both engines
# from a second registry. dockerd keeps no compressed layers (it compresses each one again
# for a push); berthd pushes the blobs it pulled. Rounds interleave, the order alternating;
# medians of all runs pooled; ratio berth/docker.
#
# Environment: ROUNDS (4), RUNS (2 per engine per round), BERTH_BIN, CACHE, MIRROR,
# ISOLATED_DOCKERD=1 (as registry-pull.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-4}
runs=${RUNS:-2}

die() {
  echo "registry-push.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in hyperfine jq docker dockerd docker-registry skopeo python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps.sh)"
done

bench_name=registry-push.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"
# shellcheck source=bench/lib/registry.sh
source "$here/lib/registry.sh"
trap 'stop_registries; cleanup' EXIT

build_bench_image
start_registry source
source_image=127.0.0.1:$registry_port/bench/debian:v1
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:v1" "docker://$source_image" ||
  die "skopeo copy to the registry failed"
start_registry target
image=127.0.0.1:$registry_port/bench/debian:v1
use_dockerd
start_berthd
berth="$bin/berth -H unix://$bsock"
for cmd in "$docker" "$berth"; do
  $cmd pull -q "$source_image" >/dev/null || die "$cmd pull $source_image failed"
  $cmd tag "$source_image" "$image" || die "$cmd tag failed"
done

# The target registry's storage, emptied (the registry keeps no cache of it).
cat >"$work/prepare.sh" <<EOF
#!/bin/sh
rm -rf --one-file-system "$work/target/docker"
EOF
chmod +x "$work/prepare.sh"

# One push each, checked: every layer uploaded.
for who in docker berth; do
  "$work/prepare.sh"
  cmd=$docker
  [ $who = berth ] && cmd=$berth
  out=$($cmd push "$image" 2>&1) || die "$who push failed: $out"
  if grep -qE "already exists|Mounted from" <<<"$out"; then die "$who skipped a layer: $out"; fi
done

names=(docker berth)
cmds=("$docker push $image" "$berth push $image")
r=1
while [ "$r" -le "$rounds" ]; do
  if [ $((r % 2)) = 1 ]; then order=(0 1); else order=(1 0); fi
  args=()
  for i in "${order[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo "round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  hyperfine --shell sh --runs "$runs" --prepare "$work/prepare.sh" --style basic \
    --export-json "$work/round-$r.json" "${args[@]}" >/dev/null
  r=$((r + 1))
done

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/registry-push-$(date -u +%Y%m%dT%H%M%SZ).json
docker_s=$(hyperfine_median docker "$work"/round-*.json)
berth_s=$(hyperfine_median berth "$work"/round-*.json)
jq -s --argjson d "$docker_s" --argjson b "$berth_s" --argjson mb "$(bench_compressed_mb)" \
  --arg where "$docker_where" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  '[.[].results[]] as $all | def times($n): $all | map(select(.command == $n)) | map(.times[]);
   {compressed_mb: $mb, dockerd: $where, load_after: $load, median_s: {docker: $d, berth: $b},
    ratio_berth_docker: ($b / $d), times: {docker: times("docker"), berth: times("berth")}}' \
  "$work"/round-*.json >"$out"
jq -r '"image: \(.compressed_mb) MB compressed, 3 layers; docker: \(.dockerd)
push medians: docker \(.median_s.docker * 100 | round / 100) s, berth \(.median_s.berth * 100 | round / 100) s, ratio berth/docker \(.ratio_berth_docker * 1000 | round / 1000)"' "$out"
echo "results: $out" >&2
