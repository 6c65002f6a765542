#!/bin/sh
# Side-by-side benchmark: `berth-runtime run` vs `runc run` on the same bundle.
#
#   bench/runtime-run.sh            # needs root, runc, hyperfine, jq, busybox-static
#
# The bundle is a busybox rootfs (scripts/make-busybox-rootfs.sh) with the config from
# `runc spec`, terminal false and args ["true"]. Each runtime gets its own --root state
# directory and a unique container id per run (the shell's pid). hyperfine runs both
# commands in the same session, in ROUNDS rounds whose order alternates (berth first,
# then runc first, ...), so slow drifts of the machine hit both alike; the times of all
# rounds are pooled and the medians compared.
#
# Environment:
#   BERTH_RUNTIME  use this berth-runtime instead of building a release one
#   ROUNDS         rounds of hyperfine (default 4)
#   RUNS           runs per command per round (default 8; ROUNDS*RUNS >= 20)
#   WARMUP         warmup runs per command per round (default 2)
#   SCRATCH        swift build scratch path (default .build-bench)
#   STATE_FS       tmpfs (default): both --root state dirs on a private tmpfs, as /run is
#                  on most machines; disk: on /tmp's filesystem (where fsync costs)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-4}
runs=${RUNS:-8}
warmup=${WARMUP:-2}
state_fs=${STATE_FS:-tmpfs}
scratch=${SCRATCH:-$repo/.build-bench}

die() {
  echo "runtime-run.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (both runtimes create namespaces and cgroups)"
for tool in runc hyperfine jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install $tool)"
done
[ $((rounds * runs)) -ge 20 ] || die "ROUNDS*RUNS must be at least 20"

# A release, statically linked Swift stdlib build: what ships.
if [ -n "${BERTH_RUNTIME:-}" ]; then
  berth=$BERTH_RUNTIME
else
  berth=$scratch/release/berth-runtime
  echo "building release berth-runtime (swift build -c release --static-swift-stdlib) ..." >&2
  if ! bash "$repo/scripts/build-release.sh" berth-runtime --scratch-path "$scratch" >&2; then
    [ -x "$berth" ] || die "release build failed and there is no earlier $berth"
    echo "runtime-run.sh: release build failed; using the earlier $berth" >&2
  fi
fi
[ -x "$berth" ] || die "$berth is not executable"
runc=$(command -v runc)

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
mounted=""
cleanup() {
  # Delete anything either runtime left behind, then the state dirs and the bundle.
  for pair in "$berth:$work/state/berth" "$runc:$work/state/runc"; do
    bin=${pair%%:*}
    root=${pair#*:}
    [ -d "$root" ] || continue
    for id in $("$bin" --root "$root" list -q 2>/dev/null); do
      "$bin" --root "$root" delete -f "$id" >/dev/null 2>&1 || true
    done
  done
  [ -z "$mounted" ] || umount "$mounted" || umount -l "$mounted"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bundle=$work/bundle
mkdir -p "$bundle" "$work/state"
case $state_fs in
  tmpfs)
    mount -t tmpfs -o size=64m,mode=0711 berth-bench "$work/state"
    mounted=$work/state
    ;;
  disk) ;;
  *) die "STATE_FS must be tmpfs or disk" ;;
esac
mkdir -p "$work/state/berth" "$work/state/runc"
"$repo/scripts/make-busybox-rootfs.sh" "$bundle/rootfs"
(cd "$bundle" && runc spec)
jq '.process.terminal = false | .process.args = ["true"]' "$bundle/config.json" >"$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"

# `$$` is the pid of the shell hyperfine starts for each run: a unique id per run.
# hyperfine measures that shell's own start-up and subtracts it.
cmd_berth="$berth --root $work/state/berth run --bundle $bundle berth-\$\$"
cmd_runc="$runc --root $work/state/runc run --bundle $bundle runc-\$\$"

# Sanity: both run the bundle and exit 0.
sh -c "$cmd_berth" || die "berth-runtime run failed on the bundle"
sh -c "$cmd_runc" || die "runc run failed on the bundle"

i=1
while [ "$i" -le "$rounds" ]; do
  if [ $((i % 2)) -eq 1 ]; then
    set -- "$cmd_berth" "$cmd_runc"
  else
    set -- "$cmd_runc" "$cmd_berth"
  fi
  echo "round $i/$rounds" >&2
  hyperfine --shell sh --warmup "$warmup" --runs "$runs" --style basic \
    --export-json "$work/round-$i.json" "$1" "$2" >/dev/null
  i=$((i + 1))
done

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/runtime-run-$(date -u +%Y%m%dT%H%M%SZ).json
# Pool the rounds: one list of times per runtime (by which binary the command runs).
jq -s --arg berth "$berth" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def stats: {runs: length, min: min, median: median, mean: (add / length), max: max};
  [.[].results[]] as $all
  | ($all | map(select(.command | startswith($berth))) | map(.times[]) ) as $b
  | ($all | map(select(.command | startswith($berth) | not)) | map(.times[])) as $r
  | {berth: ($b | stats), runc: ($r | stats), ratio: (($b | median) / ($r | median)),
     berth_times: $b, runc_times: $r}
' "$work"/round-*.json >"$out"

jq -r '
  (["berth-runtime", .berth], ["runc", .runc])
  | [.[0], .[1].runs, (.[1] | .min, .median, .mean, .max | . * 1000)] | @tsv
' "$out" | awk -F '\t' '
  BEGIN { printf "%-14s %5s %10s %10s %10s %10s\n", "runtime", "runs", "min ms", "median ms", "mean ms", "max ms" }
  { printf "%-14s %5d %10.2f %10.2f %10.2f %10.2f\n", $1, $2, $3, $4, $5, $6 }'
echo "state dirs on: $state_fs"
jq -r '"\nratio berth/runc of medians: \(.ratio * 1000 | round / 1000)"' "$out"
echo "raw times: $out" >&2
