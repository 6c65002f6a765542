#!/usr/bin/env bash
# A/B of two builds of Berth (e.g. main before and after a change), side by side in one run:
#
#   1. `berth run --rm busybox true` through each build's own berthd, hyperfine rounds with
#      the order alternating, medians of all rounds pooled, ratio B/A;
#   2. each berthd's PSS fresh, and after a mixed workload of API calls through B's CLI (MIXED rounds of run
#      -d, exec, logs, inspect, stats, top, pause/unpause, commit, export, cp, stop, rm,
#      images, volumes, ps, system df, events), containers removed, SETTLE seconds later.
#
#   sudo BERTH_BIN_A=/path/to/old/.build/release BERTH_BIN_B=.build/release bench/engine-ab.sh
#
# Each berthd is isolated as in engine-run.sh (own data and exec roots on a private tmpfs,
# socket, cgroup parent, all under one /tmp/berth-eb.* directory) and everything is
# removed on exit, also on failure or Ctrl-C.
#
# Environment: ROUNDS (4), RUNS (6), WARMUP (1), MIXED (20), SETTLE (12 s: berthd trims its
# heap every 10 s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-4}
runs=${RUNS:-6}
warmup=${WARMUP:-1}
mixed=${MIXED:-20}
settle=${SETTLE:-12}

die() {
  echo "engine-ab.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in hyperfine jq; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done
[ -n "${BERTH_BIN_A:-}" ] && [ -n "${BERTH_BIN_B:-}" ] || die "set BERTH_BIN_A and BERTH_BIN_B"

bench_name=engine-ab.sh
export BERTH_BIN=$BERTH_BIN_B
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"

# engines.sh starts and cleans up one berthd ("B", in $bin); A gets the same treatment here.
bin_a=$work/bin-a
mkdir -p "$bin_a"
for b in berthd berth berth-shim berth-runtime; do
  [ -x "$BERTH_BIN_A/$b" ] || die "$BERTH_BIN_A/$b is not executable"
  cp "$BERTH_BIN_A/$b" "$bin_a/$b"
done
[ -x "$BERTH_BIN_A/berth-init" ] && cp "$BERTH_BIN_A/berth-init" "$bin_a/"
[ -x "$BERTH_BIN_B/berth-init" ] && cp "$BERTH_BIN_B/berth-init" "$bin/"
asock=$work/a.sock
berthd_a_pid=""
cleanup_ab() {
  set +e
  if [ -n "$berthd_a_pid" ] && kill -0 "$berthd_a_pid" 2>/dev/null; then
    ids=$(timeout 30 "$bin_a/berth" -H "unix://$asock" ps -aq 2>/dev/null)
    [ -z "$ids" ] || timeout 60 "$bin_a/berth" -H "unix://$asock" rm -f $ids >/dev/null 2>&1
  fi
  stop_pid "$berthd_a_pid" "berthd A"
  remove_cgroups "$berth_cg-a"
  cleanup
}
trap cleanup_ab EXIT

mkdir -p "$work/a/data"
exec_root "$work/a/exec"
"$bin_a/berthd" --data-root "$work/a/data" --exec-root "$work/a/exec" -H "unix://$asock" \
  --cgroup-parent "/$berth_cg-a" </dev/null >>"$work/berthd-a.log" 2>&1 &
berthd_a_pid=$!
wait_ready "$berthd_a_pid" "berthd A" "$work/berthd-a.log" timeout 10 "$bin_a/berth" -H "unix://$asock" version ||
  die "berthd A did not start (log: $work/berthd-a.log)"
start_berthd

pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; } # kB
sleep 3
fresh_a=$(pss "$berthd_a_pid")
fresh_b=$(pss "$berthd_pid")

rootfs=$work/rootfs
"$repo/scripts/make-busybox-rootfs.sh" "$rootfs"
tar -C "$rootfs" -c . | "$bin_a/berth" -H "unix://$asock" import - busybox:latest >/dev/null
tar -C "$rootfs" -c . | "$bin/berth" -H "unix://$bsock" import - busybox:latest >/dev/null

names=(A B)
cmds=("$bin_a/berth -H unix://$asock run --rm busybox true" "$bin/berth -H unix://$bsock run --rm busybox true")
for i in 0 1; do sh -c "${cmds[$i]}" >/dev/null 2>&1 || die "${names[$i]}: '${cmds[$i]}' failed"; done
r=1
while [ "$r" -le "$rounds" ]; do
  if [ $((r % 2)) = 1 ]; then order=(0 1); else order=(1 0); fi
  args=()
  for i in "${order[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo "round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  hyperfine --shell sh --warmup "$warmup" --runs "$runs" --style basic \
    --export-json "$work/round-$r.json" "${args[@]}" >/dev/null
  r=$((r + 1))
done

workload() { # berth-binary socket
  local berth="$1 -H unix://$2" i id
  for i in $(seq "$mixed"); do
    id=$($berth run -d busybox sh -c 'echo hello; sleep 60')
    $berth exec "$id" echo hi >/dev/null
    $berth logs "$id" >/dev/null
    $berth inspect "$id" >/dev/null
    $berth stats --no-stream "$id" >/dev/null
    $berth top "$id" >/dev/null
    $berth pause "$id" >/dev/null && $berth unpause "$id" >/dev/null
    $berth commit "$id" "ab-commit:$i" >/dev/null
    $berth export "$id" >/dev/null 2>&1 </dev/null | cat >/dev/null
    $berth cp "$id:/etc/hostname" - >/dev/null 2>&1 || true
    $berth stop -t 1 "$id" >/dev/null
    $berth rm "$id" >/dev/null
    $berth rmi "ab-commit:$i" >/dev/null
    $berth volume create "ab-vol-$i" >/dev/null && $berth volume rm "ab-vol-$i" >/dev/null
    $berth images >/dev/null
    $berth ps -a >/dev/null
    $berth system df >/dev/null
    $berth events --since 1s --until 0s >/dev/null 2>&1 || true
  done
}
# The same (B's) CLI drives both daemons: it is the daemons' memory that is measured, and
# an older CLI may lack a verb (commit, export).
echo "mixed workload: $mixed rounds on each" >&2
workload "$bin/berth" "$asock"
workload "$bin/berth" "$bsock"
sleep "$settle"
after_a=$(pss "$berthd_a_pid")
after_b=$(pss "$berthd_pid")

results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/engine-ab-$(date -u +%Y%m%dT%H%M%SZ).json
jq -s --argjson fa "$fresh_a" --argjson fb "$fresh_b" --argjson aa "$after_a" --argjson ab "$after_b" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  [.[].results[]] as $all
  | def times($n): $all | map(select(.command == $n)) | map(.times[]);
  {a: times("A"), b: times("B")} as $t
  | {median_ms: {a: ($t.a | median * 1000), b: ($t.b | median * 1000)},
     ratio_b_a: (($t.b | median) / ($t.a | median)),
     pss_kb: {fresh_a: $fa, fresh_b: $fb, after_mixed_a: $aa, after_mixed_b: $ab}, times: $t}' \
  "$work"/round-*.json >"$out"
jq -r '"run --rm medians: A \(.median_ms.a * 10 | round / 10) ms, B \(.median_ms.b * 10 | round / 10) ms, ratio B/A \(.ratio_b_a * 1000 | round / 1000)
berthd PSS fresh: A \(.pss_kb.fresh_a / 1024 * 10 | round / 10) MB, B \(.pss_kb.fresh_b / 1024 * 10 | round / 10) MB
berthd PSS after the mixed workload: A \(.pss_kb.after_mixed_a / 1024 * 10 | round / 10) MB, B \(.pss_kb.after_mixed_b / 1024 * 10 | round / 10) MB"' "$out"
echo "raw times: $out" >&2
