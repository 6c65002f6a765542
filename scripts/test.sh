#!/usr/bin/env bash
# Builds Berth and runs every test (as root: most tests use the real kernel).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
echo "== lint"
swift format lint --recursive Sources Tests 2>&1 | tee /tmp/berth-lint.txt | tail -20 || true
echo "== build"
swift build --build-tests 2>&1 | tail -3
echo "== test"
swift test --skip-build --parallel 2>&1 | tee /tmp/berth-test.txt | grep -vE '^(◇|↳)' | tail -120
status=${PIPESTATUS[0]}
exit "$status"
