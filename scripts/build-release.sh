#!/usr/bin/env bash
# Builds one product as it ships: release, with the Swift stdlib linked statically.
#
#   scripts/build-release.sh PRODUCT [more swift build flags, e.g. --scratch-path DIR]
#
# berth-runtime (run twice per container start) and berth-shim (one per running container)
# are linked position-dependent: their pointer-laden data then needs no relocation at start
# and stays shared page cache instead of a private copy in every process
# (bench/shim-memory.sh: 1045 kB → 801 kB PSS per container). Only with the static stdlib:
# against the shared Swift libraries ld.so warns about a non-PIE binary on every start.
#
# berth-runtime is moreover a fully static executable (glibc too; Package.swift links it
# with -static-executable in release): no dynamic loader, no shared libraries to map and
# relocate, twice per container start (hyperfine, `run` of a busybox `true`: 14.9 → 11.0
# ms; a bare start 1.5 → 0.5 ms of CPU). It uses no NSS (users are numeric in the OCI
# spec), so static glibc's dlopen caveat does not apply.
#
# Every product is compiled to reach type metadata through accessor functions instead of
# mangled type names: a mangled name is demangled by the Swift runtime at first use, in
# every new process, and the Codable types of config.json made that about 12 % of a
# `berth-runtime run`'s CPU (perf stat task-clock 18.0 → 15.9 ms per run).
set -euo pipefail
product=${1:?usage: scripts/build-release.sh PRODUCT [swift build flags]}
shift
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
link=()
case $product in
  # berth, the CLI, starts once per command: without relocations it starts in 2.8 ms, not
  # 3.9 (hyperfine, `berth --version`).
  berth-shim | berth) link=(-Xlinker -no-pie) ;;
esac
metadata=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
swift build -c release --static-swift-stdlib "${metadata[@]}" "${link[@]}" --product "$product" "$@"
