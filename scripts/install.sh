#!/usr/bin/env bash
# Installs Berth's dependencies, builds release binaries (static Swift stdlib) and puts
# them in /usr/local/bin: berth (CLI), berth-cp (`berth cp`, which berth runs: the tar
# libraries stay out of every other berth start), berthd (daemon), berth-shim,
# berth-runtime and berth-init (`--init`'s PID 1, a fully static C binary: berthd mounts
# it into containers), and berth-registry (the registry server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
for product in berth-runtime berth-shim berth-init berthd berth berth-cp berth-registry; do
  bash scripts/build-release.sh "$product"
  install -m 0755 ".build/release/$product" "/usr/local/bin/$product"
  echo "installed /usr/local/bin/$product"
done
