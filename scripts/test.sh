#!/usr/bin/env bash
# Builds Berth and runs every test (as root: most tests use the real kernel).
set -uo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
echo "== lint (swift format)"
# --strict: a finding fails the run (CI must not land unformatted code).
lint_output=$(swift format lint --strict --recursive Sources Tests 2>&1)
lint_status=$?
[ -z "$lint_output" ] || echo "$lint_output" | tail -20
[ "$lint_status" -eq 0 ] || { echo "lint failed: run swift format --in-place --recursive Sources Tests"; exit 1; }
echo "== build"
swift build --build-tests 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -5
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }
# The in-process API server tests run on their own first: Swift's concurrency pool has
# one thread per core, and the long blocking integration tests of a shared run can hold
# both threads for a minute, starving the server's route tasks into client timeouts.
echo "== test: in-process API server"
swift test --skip-build --filter DaemonHTTPTests 2>&1 | grep -vE '^◇'
server_status=${PIPESTATUS[0]}
# The registry server's tests talk to an in-process server (NIO with Swift concurrency)
# through blocking sockets: one at a time, so that their blocked threads never leave the
# server without one.
echo "== test: in-process registry server"
swift test --skip-build --no-parallel --filter RegistryServerTests 2>&1 | grep -vE '^◇'
registry_status=${PIPESTATUS[0]}
echo "== test: everything else"
swift test --skip-build --skip "DaemonHTTPTests|RegistryServerTests" 2>&1 | grep -vE '^◇'
rest_status=${PIPESTATUS[0]}
# The pure cgroup v2 lane (a qemu VM with Debian's kernel, the release binaries): after the
# tests, so their debug build and run keep both cores to themselves, and a lane failure is
# reported beside theirs instead of hiding them. BERTH_SKIP_V2_LANE=1 skips it.
lane_status=0
if [ "${BERTH_SKIP_V2_LANE:-0}" != 1 ]; then
  echo "== test: pure cgroup v2 lane (scripts/v2-lane/run.sh)"
  bash scripts/v2-lane/run.sh
  lane_status=$?
fi
[ "$server_status" -eq 0 ] && [ "$registry_status" -eq 0 ] && [ "$rest_status" -eq 0 ] && [ "$lane_status" -eq 0 ]
