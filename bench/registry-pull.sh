#!/usr/bin/env bash
# Pull of a multi-layer image from a local registry: `berth pull` (through berthd) vs
# `docker pull` (through dockerd), both from the same Debian docker-registry on 127.0.0.1,
# and against the limit: the time to gunzip each of the image's blobs in turn here.
#
#   sudo bench/registry-pull.sh
#   sudo ROUNDS=6 RUNS=3 bench/registry-pull.sh
#
# The image (bench/lib/registry.sh): a debootstrap minbase rootfs of Debian 12 (~93 MB
# compressed) and two more layers, built once and cached under /var/cache/berth-bench.
# dockerd: the system one if it answers on /var/run/docker.sock, else an isolated one
# (engines.sh: --iptables=false, no bridge); both data roots on the same filesystem.
# Before every timed run, both engines remove the image; berthd's store also loses its
# blobs (its GC keeps blobs younger than 10 min for pulls in flight), so every run
# downloads and unpacks every layer. Rounds interleave the two, the order alternating;
# medians of all runs pooled; ratio berth/docker and berth/limit.
#
# Environment: ROUNDS (4), RUNS (2 per engine per round), BERTH_BIN (release binaries,
# built by scripts/build-release.sh when unset), CACHE, MIRROR, ISOLATED_DOCKERD=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-4}
runs=${RUNS:-2}

die() {
  echo "registry-pull.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in hyperfine jq docker dockerd docker-registry skopeo python3 curl gzip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps.sh)"
done

bench_name=registry-pull.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"
# shellcheck source=bench/lib/registry.sh
source "$here/lib/registry.sh"
trap 'stop_registries; cleanup' EXIT

build_bench_image
start_registry registry
image=127.0.0.1:$registry_port/bench/debian:v1
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:v1" "docker://$image" || die "skopeo copy to the registry failed"
use_dockerd
start_berthd
berth="$bin/berth -H unix://$bsock"

# Everything either engine has of the image goes before each run.
layer_digests=$(jq -r '.layers[].digest, .manifest.digest | sub("sha256:"; "")' "$layout/bench-image.json" | tr '\n' ' ')
cat >"$work/prepare.sh" <<EOF
#!/bin/sh
$docker rmi -f $image >/dev/null 2>&1
$berth rmi -f $image >/dev/null 2>&1
for d in $layer_digests; do rm -f "$work/b/data/image/content/blobs/sha256/\$d"; done
exit 0
EOF
chmod +x "$work/prepare.sh"

# One pull each, checked: every layer downloaded (nothing "Already exists").
for who in docker berth; do
  "$work/prepare.sh"
  cmd=$docker
  [ $who = berth ] && cmd=$berth
  out=$($cmd pull "$image" 2>&1) || die "$who pull failed: $out"
  if grep -q "Already exists" <<<"$out"; then die "$who found a layer already there: $out"; fi
done

names=(docker berth)
cmds=("$docker pull -q $image" "$berth pull -q $image")
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

# The limit: each blob gunzipped in turn (GNU gzip, one core), page cache warm.
files=$(bench_layer_files | tr '\n' ' ')
largest=$(bench_layer_files | head -1)
hyperfine --shell sh --warmup 1 --runs $((rounds * runs)) --style basic --export-json "$work/limit.json" \
  -n limit "for f in $files; do gzip -dc \$f >/dev/null; done" \
  -n largest "gzip -dc $largest >/dev/null" >/dev/null

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/registry-pull-$(date -u +%Y%m%dT%H%M%SZ).json
docker_s=$(hyperfine_median docker "$work"/round-*.json)
berth_s=$(hyperfine_median berth "$work"/round-*.json)
limit_s=$(hyperfine_median limit "$work/limit.json")
largest_s=$(hyperfine_median largest "$work/limit.json")
jq -s --argjson d "$docker_s" --argjson b "$berth_s" --argjson l "$limit_s" --argjson g "$largest_s" \
  --argjson mb "$(bench_compressed_mb)" --arg where "$docker_where" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  '[.[].results[]] as $all | def times($n): $all | map(select(.command == $n)) | map(.times[]);
   {compressed_mb: $mb, dockerd: $where, load_after: $load,
    median_s: {docker: $d, berth: $b, gunzip_each_blob: $l, gunzip_largest: $g},
    ratio_berth_docker: ($b / $d), ratio_berth_limit: ($b / $l),
    times: {docker: times("docker"), berth: times("berth"), limit: times("limit")}}' \
  "$work"/round-*.json "$work/limit.json" >"$out"
jq -r '"image: \(.compressed_mb) MB compressed, 3 layers; docker: \(.dockerd)
pull medians: docker \(.median_s.docker * 100 | round / 100) s, berth \(.median_s.berth * 100 | round / 100) s, ratio berth/docker \(.ratio_berth_docker * 1000 | round / 1000)
limit (gunzip each blob in turn): \(.median_s.gunzip_each_blob * 100 | round / 100) s (largest alone \(.median_s.gunzip_largest * 100 | round / 100) s), ratio berth/limit \(.ratio_berth_limit * 1000 | round / 1000)"' "$out"
echo "results: $out" >&2
