#!/usr/bin/env bash
# The lane's checks on this host as it is (for comparison with the VM's pure cgroup v2):
# on a hybrid host they read the v1 controllers' files where v2 has its own.
#
#   scripts/v2-lane/hybrid.sh [BIN_DIR]    (as root; BIN_DIR default .build/release)
#
# berthd runs with its own data root, exec root, socket and cgroup parent; everything the
# checks make (containers, cgroups, the scratch directory) is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(cd "${1:-$repo/.build/release}" && pwd)
for product in berth-runtime berth-shim berth-init berthd berth; do
  [ -x "$bin/$product" ] || { echo "hybrid.sh: no $bin/$product (scripts/build-release.sh $product)"; exit 1; }
done
work=$(mktemp -d /tmp/berth-v2-lane-host.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
status=0
LANE_MODE=host LANE_BIN=$bin LANE_WORK=$work/w LANE_RESULTS=$work/results.txt sh "$here/checks.sh" || status=$?
# Anything left mounted by a failed check (berthd's rootfs mounts) goes before the scratch dir.
{ grep -F " $work/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
exit $status
