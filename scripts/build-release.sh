#!/usr/bin/env bash
# Builds one product as it ships: release, with the Swift stdlib linked statically.
#
#   scripts/build-release.sh PRODUCT [more swift build flags, e.g. --scratch-path DIR]
#
# berth-runtime (run twice per container start) and berth-shim (one per running container)
# are fully static executables (glibc too; Package.swift links them with
# -static-executable in release), so position-dependent: no dynamic loader, no shared
# libraries to map and relocate, and their pointer-laden data stays shared page cache
# instead of a private copy in every process (bench/shim-memory.sh: 1045 kB → 801 kB PSS
# per container when the shim went non-PIE). hyperfine: a `run` of a busybox `true`
# 14.9 → 11.0 ms when the runtime went static; a bare start of the shim 2.6 → 0.9 ms.
# Neither uses NSS (users are numeric in the OCI spec) nor dlopen, so static glibc's
# caveat does not apply.
#
# berth, the CLI, starts once per command and is linked position-dependent (non-PIE): no
# relocations at start (3.9 → 2.8 ms, `berth --version`). Not static: it dlopens libssl
# for TLS and resolves host names with NSS. Only with the static stdlib: against the
# shared Swift libraries ld.so warns about a non-PIE binary on every start.
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
  berth) link=(-Xlinker -no-pie) ;;
esac
metadata=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
swift build -c release --static-swift-stdlib "${metadata[@]}" "${link[@]}" --product "$product" "$@"
