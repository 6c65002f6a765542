# Shared by registry-pull.sh and registry-push.sh (sourced after engines.sh, which gives
# $work, $bin, the daemons, cleanup and die()): the bench image, built once and cached, and
# Debian's docker-registry on 127.0.0.1.
#
# The image: three gzip layers, made here, never downloaded from a registry:
#   1. a debootstrap --variant=minbase rootfs of Debian 12 (bookworm) from the apt mirror
#      ($MIRROR, default http://deb.debian.org/debian): about 93 MB compressed;
#   2. the rootfs's /usr/lib/x86_64-linux-gnu again, as /opt/bench/lib (an application's
#      libraries);
#   3. its /etc as /opt/bench/etc (a small configuration layer).
# They are cached in $CACHE (default /var/cache/berth-bench) as an OCI layout; delete it to
# rebuild. Layers are compressed by GNU gzip -6 -n (as docker's default level).
# shellcheck shell=bash
cache=${CACHE:-/var/cache/berth-bench}
layout=$cache/registry-image

build_bench_image() {
  [ -f "$layout/index.json" ] && return 0
  command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
  mkdir -p "$cache"
  if [ ! -d "$cache/rootfs" ]; then
    echo "debootstrap --variant=minbase bookworm (once; cached in $cache/rootfs) ..." >&2
    rm -rf --one-file-system "$cache/rootfs.tmp"
    debootstrap --variant=minbase bookworm "$cache/rootfs.tmp" "${MIRROR:-http://deb.debian.org/debian}" \
      >"$cache/debootstrap.log" 2>&1 || die "debootstrap failed (log: $cache/debootstrap.log)"
    mv "$cache/rootfs.tmp" "$cache/rootfs"
  fi
  echo "making the bench image's layers (once; cached in $layout) ..." >&2
  local tmp=$cache/layers.tmp
  rm -rf "$tmp" "$layout.tmp"
  mkdir -p "$tmp"
  local tarflags=(--numeric-owner --sort=name --mtime=@1700000000 --xattrs)
  tar "${tarflags[@]}" -C "$cache/rootfs" -cf "$tmp/1.tar" .
  tar "${tarflags[@]}" -C "$cache/rootfs" --transform 's,^usr/lib/x86_64-linux-gnu,opt/bench/lib,' \
    -cf "$tmp/2.tar" usr/lib/x86_64-linux-gnu
  tar "${tarflags[@]}" -C "$cache/rootfs" --transform 's,^etc,opt/bench/etc,' -cf "$tmp/3.tar" etc
  python3 - "$layout.tmp" "$tmp"/1.tar "$tmp"/2.tar "$tmp"/3.tar <<'EOF'
import sys, os, json, hashlib, subprocess
out, tars = sys.argv[1], sys.argv[2:]
os.makedirs(out + '/blobs/sha256')
def blob(data, media):
    d = hashlib.sha256(data).hexdigest()
    open(out + '/blobs/sha256/' + d, 'wb').write(data)
    return {'mediaType': media, 'digest': 'sha256:' + d, 'size': len(data)}
layers, diffs = [], []
for t in tars:
    raw = open(t, 'rb').read()
    diffs.append('sha256:' + hashlib.sha256(raw).hexdigest())
    gz = subprocess.run(['gzip', '-6', '-n', '-c', t], check=True, capture_output=True).stdout
    layers.append(blob(gz, 'application/vnd.oci.image.layer.v1.tar+gzip'))
config = {'architecture': 'amd64', 'os': 'linux', 'created': '2026-01-01T00:00:00Z',
          'config': {'Cmd': ['bash'], 'Env': ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']},
          'rootfs': {'type': 'layers', 'diff_ids': diffs}}
c = blob(json.dumps(config).encode(), 'application/vnd.oci.image.config.v1+json')
m = blob(json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                     'config': c, 'layers': layers}).encode(), 'application/vnd.oci.image.manifest.v1+json')
m['annotations'] = {'org.opencontainers.image.ref.name': 'v1'}
json.dump({'schemaVersion': 2, 'manifests': [m]}, open(out + '/index.json', 'w'))
open(out + '/oci-layout', 'w').write('{"imageLayoutVersion":"1.0.0"}')
json.dump({'layers': layers, 'manifest': m}, open(out + '/bench-image.json', 'w'))
EOF
  mv "$layout.tmp" "$layout"
  rm -rf "$tmp"
}

# The layer blobs of the bench image, largest first, and their total compressed size.
bench_layer_files() {
  jq -r '.layers | sort_by(-.size) | .[].digest | sub("sha256:"; "")' "$layout/bench-image.json" |
    sed "s|^|$layout/blobs/sha256/|"
}
bench_compressed_mb() {
  jq '[.layers[].size] | add / 1e6 * 10 | round / 10' "$layout/bench-image.json"
}

registry_pids=()
# start_registry NAME: Debian's docker-registry on a free 127.0.0.1 port, storage in
# $work/NAME, no blob descriptor cache (so a wiped storage is really empty); sets
# $registry_port.
start_registry() {
  local name=$1 i
  mkdir -p "$work/$name"
  registry_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/$name.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/$name
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$registry_port
EOF
  docker-registry serve "$work/$name.yml" </dev/null >>"$work/$name.log" 2>&1 &
  registry_pids+=($!)
  for i in $(seq 100); do
    curl -fs "http://127.0.0.1:$registry_port/v2/" >/dev/null && return 0
    sleep 0.1
  done
  die "docker-registry $name did not start (log: $work/$name.log)"
}

stop_registries() {
  local pid
  for pid in "${registry_pids[@]}"; do stop_pid "$pid" docker-registry; done
}

# The system dockerd when it answers on /var/run/docker.sock; else engines.sh's isolated
# one (--iptables=false, no bridge, its data root under $work: the same filesystem as
# berthd's). Sets $docker (the CLI with -H).
use_dockerd() {
  if [ -z "${ISOLATED_DOCKERD:-}" ] && timeout 10 docker -H unix:///var/run/docker.sock version >/dev/null 2>&1; then
    docker="docker -H unix:///var/run/docker.sock"
    docker_where="the system dockerd ($(docker -H unix:///var/run/docker.sock info -f '{{.DockerRootDir}}'))"
  else
    start_dockerd
    docker="docker -H unix://$dsock"
    docker_where="an isolated dockerd ($docker_driver, data root $work/d/data; no system dockerd answered)"
  fi
  command -v pigz >/dev/null && echo "note: pigz is on PATH; dockerd as Debian installs it has none" >&2
  return 0
}

# hyperfine_median NAME FILE...: the median (s) of all runs of the command NAME in hyperfine's JSON files.
hyperfine_median() { # name files...
  local name=$1
  shift
  jq -s --arg n "$name" '
    [.[].results[] | select(.command == $n) | .times[]] | sort
    | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$@"
}
