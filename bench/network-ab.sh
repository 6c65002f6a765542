#!/usr/bin/env bash
# Networking, Berth vs Docker, side by side (issue: networking):
#
#   1. requests/s with `wrk -t2 -c32 -d5s` (keep-alive) to nginx through a port published
#      on 127.0.0.1: berthd (nftables DNAT, no proxy) vs dockerd 20.10 as shipped
#      (userland proxy on) vs straight to the container's address (the limit);
#   2. `run --rm busybox true` on the default bridge vs `--network none`, each engine;
#   3. `run -d -p 20000-20999:20000-20999` until the last port answers, each engine.
#
#   sudo bench/network-ab.sh        # needs root, dockerd, docker, wrk, hyperfine, curl, nginx-light
#
# Each daemon runs in a network namespace of its own (a file under the work directory):
# its bridge, its rules (dockerd's iptables chains, Berth's nftables table), its published
# ports and the clients (wrk, curl) are all inside it, so the host's network is never
# touched and everything goes when the namespaces are unmounted at exit. The nginx image
# is made here from Debian's nginx-light binary and the libraries it links (nothing is
# pulled); busybox from scripts/make-busybox-rootfs.sh.
#
# Environment: SCENARIOS (default "1 2 3": which of the above to run); ROUNDS (default 3) interleaved rounds of scenario 1 and 3; RUNS (default 8)
# runs per command per hyperfine round in scenario 2 (ROUNDS rounds); BERTH_BIN/SKIP_BUILD
# as bench/lib/engines.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-3}
scenarios=${SCENARIOS:-1 2 3}
wanted() { case " $scenarios " in *" $1 "*) return 0 ;; esac; return 1; }
runs=${RUNS:-8}
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH

die() {
  echo "network-ab.sh: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root"
for tool in dockerd docker wrk hyperfine curl jq nsenter unshare; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -x /usr/sbin/nginx ] || die "/usr/sbin/nginx not found (apt-get install nginx-light)"

bench_name=network-ab.sh
# shellcheck source=bench/lib/engines.sh
source "$here/lib/engines.sh"

# ---------------------------------------------------------------------------
# A namespace per daemon.
make_netns() { # file
  touch "$1"
  unshare --net="$1" true
  nsenter --net="$1" ip link set lo up
}
bns=$work/berth.netns
dns=$work/docker.netns
make_netns "$bns"
make_netns "$dns"
in_b() { nsenter --net="$bns" -- "$@"; }
in_d() { nsenter --net="$dns" -- "$@"; }
b() { "$bin/berth" -H "unix://$bsock" "$@"; }
d() { docker -H "unix://$dsock" "$@"; }

mkdir -p "$work/b/data" "$work/d/data"
exec_root "$work/b/exec"
exec_root "$work/d/exec"
# nsenter itself in the background (not a shell function): $! is then berthd's pid.
nsenter --net="$bns" -- "$bin/berthd" --data-root "$work/b/data" --exec-root "$work/b/exec" -H "unix://$bsock" \
  --cgroup-parent "/$berth_cg" </dev/null >>"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_ready "$berthd_pid" berthd "$work/berthd.log" timeout 10 "$bin/berth" -H "unix://$bsock" version ||
  die "berthd did not start (log: $work/berthd.log)"
echo "{\"deprecated-key-path\": \"$work/key.json\"}" >"$work/daemon.json"
# dockerd as Debian ships it (iptables, bridge, userland proxy), inside its namespace.
nsenter --net="$dns" -- dockerd --config-file "$work/daemon.json" --data-root "$work/d/data" --exec-root "$work/d/exec" \
  --pidfile "$work/d.pid" -H "unix://$dsock" --containerd-namespace "$docker_ns" \
  --containerd-plugins-namespace "$docker_ns-plugins" --cgroup-parent "$docker_cg" \
  </dev/null >>"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_ready "$dockerd_pid" dockerd "$work/dockerd.log" timeout 10 docker -H "unix://$dsock" version ||
  die "dockerd did not start (log: $work/dockerd.log)"

# ---------------------------------------------------------------------------
# Images: busybox, and nginx-light with the libraries it links.
"$repo/scripts/make-busybox-rootfs.sh" "$work/busybox" >/dev/null
tar -C "$work/busybox" -cf "$work/busybox.tar" .
ng=$work/nginx
mkdir -p "$ng/usr/sbin" "$ng/etc/nginx" "$ng/srv" "$ng/tmp" "$ng/var/log/nginx" "$ng/var/lib/nginx"
cp /usr/sbin/nginx "$ng/usr/sbin/"
for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*'); do
  mkdir -p "$ng$(dirname "$lib")"
  cp -L "$lib" "$ng$lib"
done
printf 'root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n' >"$ng/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ng/etc/group"
cat >"$ng/etc/nginx/nginx.conf" <<'EOF'
daemon off;
worker_processes 1;
error_log stderr;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path /tmp/body;
  proxy_temp_path /tmp/proxy;
  fastcgi_temp_path /tmp/fastcgi;
  uwsgi_temp_path /tmp/uwsgi;
  scgi_temp_path /tmp/scgi;
  server { listen 80; location / { root /srv; } }
}
EOF
echo "hello from nginx" >"$ng/srv/index.html"
tar -C "$ng" -cf "$work/nginx.tar" .
for e in b d; do
  $e import "$work/busybox.tar" busybox:latest >/dev/null
  $e import "$work/nginx.tar" bench-nginx:latest >/dev/null
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rps() { # netns-runner url: requests/s of one wrk run
  "$1" wrk -t2 -c32 -d5s "$2" | awk '/^Requests\/sec:/ { print $2 }'
}
wait_http() { # netns-runner url
  for _ in $(seq 100); do
    "$1" curl -sf --max-time 1 "$2" >/dev/null && return 0
    sleep 0.1
  done
  die "$2 did not answer"
}

ratio() { echo "scale=3; $1 / $2" | bc -l; }
echo "network-ab.sh: $rounds interleaved rounds (medians)"

# ---------------------------------------------------------------------------
# 1. req/s through 127.0.0.1.
if wanted 1; then
nginx_cmd=(/usr/sbin/nginx -c /etc/nginx/nginx.conf)
b run -d --name web -p 127.0.0.1:18080:80 bench-nginx "${nginx_cmd[@]}" >/dev/null
d run -d --name web -p 127.0.0.1:18080:80 bench-nginx "${nginx_cmd[@]}" >/dev/null
bip=$(b inspect -f '{{.NetworkSettings.IPAddress}}' web)
wait_http in_b http://127.0.0.1:18080/index.html
wait_http in_d http://127.0.0.1:18080/index.html
wait_http in_b "http://$bip/index.html"
: >"$work/rps-berth"
: >"$work/rps-docker"
: >"$work/rps-direct"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds: wrk berth, docker, direct ..." >&2
  rps in_b http://127.0.0.1:18080/index.html >>"$work/rps-berth"
  rps in_d http://127.0.0.1:18080/index.html >>"$work/rps-docker"
  rps in_b "http://$bip/index.html" >>"$work/rps-direct"
done
rb=$(median <"$work/rps-berth")
rd=$(median <"$work/rps-docker")
rx=$(median <"$work/rps-direct")
b rm -f web >/dev/null
d rm -f web >/dev/null
echo "1. wrk -t2 -c32 -d5s to nginx (req/s)"
echo "   berth  127.0.0.1 published   $rb"
echo "   docker 127.0.0.1 published   $rd   (userland proxy)"
echo "   direct to the container's IP $rx"
echo "   berth/docker $(ratio "$rb" "$rd")   berth/direct $(ratio "$rb" "$rx")"
fi

# ---------------------------------------------------------------------------
# 2. run --rm: bridged vs none.
if wanted 2; then
echo "run --rm: $rounds hyperfine rounds ..." >&2
for r in $(seq "$rounds"); do
  hyperfine -N --runs "$runs" --warmup 1 --export-json "$work/run-$r.json" \
    "$bin/berth -H unix://$bsock run --rm busybox true" \
    "$bin/berth -H unix://$bsock run --rm --network none busybox true" \
    "docker -H unix://$dsock run --rm busybox true" \
    "docker -H unix://$dsock run --rm --network none busybox true" >/dev/null
done
run_median() { # index in the hyperfine export
  jq -r ".results[$1].times[]" "$work"/run-*.json | median
}
b_bridge=$(run_median 0)
b_none=$(run_median 1)
d_bridge=$(run_median 2)
d_none=$(run_median 3)
echo "2. run --rm busybox true (s)"
echo "   berth  bridge $b_bridge   none $b_none   bridge/none $(ratio "$b_bridge" "$b_none")"
echo "   docker bridge $d_bridge   none $d_none   bridge/none $(ratio "$d_bridge" "$d_none")"
echo "   berth/docker (bridge) $(ratio "$b_bridge" "$d_bridge")"
fi

# ---------------------------------------------------------------------------
# 3. 1000 published ports, until the last one answers.
if wanted 3; then
thousand() { # engine-fn netns-runner: seconds from `run -d` to port 20999 answering
  local t0 t1
  t0=$(date +%s.%N)
  "$1" run -d --name many -p 20000-20999:20000-20999 busybox httpd -f -p 20999 >/dev/null
  for _ in $(seq 1200); do
    "$2" curl -s --max-time 1 -o /dev/null http://127.0.0.1:20999/ && break
    sleep 0.05
  done
  t1=$(date +%s.%N)
  "$1" rm -f many >/dev/null
  echo "$t1 - $t0" | bc -l
}
: >"$work/ports-berth"
: >"$work/ports-docker"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds: 1000 ports, berth and docker ..." >&2
  thousand b in_b >>"$work/ports-berth"
  thousand d in_d >>"$work/ports-docker"
done
pb=$(median <"$work/ports-berth")
pd=$(median <"$work/ports-docker")

echo "3. run -d -p 20000-20999:20000-20999 until port 20999 answers (s)"
echo "   berth $pb   docker $pd   berth/docker $(ratio "$pb" "$pd")"
fi
