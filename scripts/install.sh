#!/usr/bin/env bash
# Installs Berth's dependencies, builds release binaries (static Swift stdlib) and
# puts them in /usr/local/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --static-swift-stdlib --product berth-runtime
install -m 0755 .build/release/berth-runtime /usr/local/bin/berth-runtime
echo "installed /usr/local/bin/berth-runtime"
