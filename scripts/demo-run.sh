#!/usr/bin/env bash
# Runs a container with the installed berth-runtime: a busybox rootfs made locally,
# a config.json from `berth-runtime spec`, and `berth-runtime run`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
demo=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'berth-runtime delete -f demo-$$ >/dev/null 2>&1 || true; rm -rf "$demo"' EXIT
bash "$here/make-busybox-rootfs.sh" "$demo/rootfs"
cd "$demo"
berth-runtime spec
# Not interactive: no terminal, and a command that shows we are isolated.
python3 - <<'PY'
import json
c = json.load(open("config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo hello from berth; hostname; ps; id"]
json.dump(c, open("config.json", "w"), indent=2)
PY
berth-runtime run "demo-$$"
