#!/usr/bin/env bash
# The pure cgroup v2 lane: boots Debian 12's own kernel in qemu (TCG, one vCPU: KVM is not
# usable on these machines, and two vCPUs once stalled) twice, with this commit's release
# binaries, and runs scripts/v2-lane/checks.sh inside:
#   1. lane-init.sh as PID 1: only cgroup2 mounted, cpu memory pids io cpuset enabled;
#   2. systemd (Debian's systemd-sysv) as PID 1, berthd.service with Delegate=yes.
#
#   scripts/v2-lane/run.sh        (as root; exits non-zero if a check failed or a boot did not finish)
#
# BERTH_V2_LANE_BIN=DIR uses binaries already built there instead of building them;
# BERTH_V2_LANE_TIMEOUT is the limit for one boot, in seconds (default 420);
# BERTH_V2_LANE_MODES="script" (or "systemd") runs one of the two boots.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
boot_timeout=${BERTH_V2_LANE_TIMEOUT:-420}
products=(berth-runtime berth-shim berth-init berthd berth)
lane_start=$(date +%s)
say() { echo "v2-lane: $*"; }

image=$(bash "$here/build-image.sh")
say "image: $image ($(($(date +%s) - lane_start)) s)"

bin=${BERTH_V2_LANE_BIN:-}
if [ -z "$bin" ]; then
  build_start=$(date +%s)
  for product in "${products[@]}"; do
    if ! out=$(bash "$repo/scripts/build-release.sh" "$product" 2>&1); then
      echo "$out" | tail -30
      say "release build of $product failed"
      exit 1
    fi
  done
  bin=$repo/.build/release
  say "release binaries built in $(($(date +%s) - build_start)) s"
fi

# The 9p share: this run's binaries and the VM side's scripts in, results out.
share=$(mktemp -d /tmp/berth-v2-lane.XXXXXX)
qemu_pid=
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
  rm -rf "$share"
}
trap cleanup EXIT
mkdir -p "$share/bin" "$share/vm/systemd" "$share/out"
for product in "${products[@]}"; do cp "$bin/$product" "$share/bin/"; done
cp "$here/checks.sh" "$here/lane-init.sh" "$here/berthd-delegated.sh" "$repo/scripts/make-busybox-rootfs.sh" "$share/vm/"
cp "$here/systemd/"*.service "$share/vm/systemd/"
chmod 0755 "$share/vm/"*.sh
bash "$repo/scripts/make-busybox-rootfs.sh" "$share/rootfs"
tar -C "$share/rootfs" -cf "$share/vm/busybox-rootfs.tar" . && rm -rf "$share/rootfs"

# boot MODE: one VM run; its console goes to $share/console-MODE.log.
boot() {
  local mode=$1 start status
  start=$(date +%s)
  qemu-system-x86_64 -nodefaults -machine pc,accel=tcg -cpu max -smp 1 -m 2048 \
    -display none -no-reboot -monitor none -serial "file:$share/console-$mode.log" \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 lane.mode=$mode systemd.show_status=false" \
    -drive "file=$image/root.img,if=virtio,format=raw,snapshot=on" \
    -virtfs "local,path=$share,mount_tag=lane,security_model=none,id=lane" &
  qemu_pid=$!
  local waited=0
  while kill -0 "$qemu_pid" 2>/dev/null && [ $waited -lt "$boot_timeout" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid"
    wait "$qemu_pid" 2>/dev/null || true
    qemu_pid=
    say "$mode boot: no power-off within $boot_timeout s"
    return 1
  fi
  wait "$qemu_pid" && status=0 || status=$?
  qemu_pid=
  say "$mode boot: $(($(date +%s) - start)) s, qemu exit $status"
}

total_passed=0
total_failed=0
lane_ok=true
for mode in ${BERTH_V2_LANE_MODES:-script systemd}; do
  results=$share/out/results-$mode.txt
  boot "$mode" || true
  summary=$(tail -1 "$results" 2>/dev/null || true)
  if [[ ! $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    say "$mode boot: no results; its console:"
    cat "$share/console-$mode.log" 2>/dev/null || true
    lane_ok=false
    total_failed=$((total_failed + 1))
    continue
  fi
  echo "== v2-lane, $mode boot (pure cgroup v2, Debian $(cat "$image/kernel-version"))"
  grep -E '^(ok|not ok) ' "$results" | sed 's/^/  /'
  total_passed=$((total_passed + BASH_REMATCH[1]))
  total_failed=$((total_failed + BASH_REMATCH[2]))
  if [ "${BASH_REMATCH[2]}" -ne 0 ]; then
    lane_ok=false
    say "$mode boot: checks failed; its console:"
    cat "$share/console-$mode.log"
  fi
done
say "took $(($(date +%s) - lane_start)) s in all"
echo "v2-lane: $total_passed passed, $total_failed failed"
$lane_ok
