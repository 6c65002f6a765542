#!/usr/bin/env bash
# Builds Berth and runs every test (as root: most tests use the real kernel).
set -uo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
echo "== lint (swift format)"
swift format lint --recursive Sources Tests 2>&1 | tail -20
echo "== build"
swift build --build-tests 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -5
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }
echo "== test"
swift test --skip-build 2>&1 | grep -vE '^(◇|↳)'
exit "${PIPESTATUS[0]}"
