#!/usr/bin/env bash
# Runs containers with the installed Berth, two ways:
#  1. the OCI runtime alone: `berth-runtime run` on a bundle made here;
#  2. the engine: berthd (started if it is not running) and `berth run`, the way
#     `docker run` works. berthd is left running; point the docker CLI at it with
#     DOCKER_HOST=unix:///run/berth/berth.sock.
# The image is made locally from busybox-static, never downloaded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
demo=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'berth-runtime delete -f demo-$$ >/dev/null 2>&1 || true; rm -rf "$demo"' EXIT
bash "$here/make-busybox-rootfs.sh" "$demo/rootfs"

echo "== berth-runtime run"
(
  cd "$demo"
  berth-runtime spec
  python3 - <<'PY'
import json
c = json.load(open("config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo hello from berth-runtime; hostname; ps; id"]
json.dump(c, open("config.json", "w"), indent=2)
PY
  berth-runtime run "demo-$$"
)

echo "== berthd + berth run"
socket=/run/berth/berth.sock
if ! berth version >/dev/null 2>&1; then
  mkdir -p /var/log
  nohup berthd >/var/log/berthd.log 2>&1 &
  for _ in $(seq 100); do berth version >/dev/null 2>&1 && break; sleep 0.1; done
  echo "started berthd (log: /var/log/berthd.log, socket: $socket)"
fi
if ! berth image inspect busybox:latest >/dev/null 2>&1; then
  tar -C "$demo/rootfs" -cf "$demo/busybox.tar" .
  berth import -c 'CMD ["sh"]' "$demo/busybox.tar" busybox:latest >/dev/null
fi
berth run --rm busybox echo hello from berthd
berth images
echo "The docker CLI works too: DOCKER_HOST=unix://$socket docker run --rm busybox echo hi"
