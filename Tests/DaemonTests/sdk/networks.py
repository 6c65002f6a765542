"""Networks through the docker SDK 7.1 (issue: networking), against a private berthd in a
network namespace of its own: this script runs inside that namespace (nsenter), so the
published port is on its loopback.

Prints one line per check, `ok NAME` or `not ok NAME: why`, and exits 1 if any failed.
"""
import sys
import time
import urllib.request

import docker

client = docker.from_env(timeout=60)
failures = []
HTTPD = ["sh", "-c", 'echo "$0" > /index.html && exec httpd -f -p 80 -h /', "from-sdk"]


def check(name, fn):
    try:
        fn()
        print("ok", name)
    except Exception as e:  # noqa: BLE001 - every failure is reported with its check
        failures.append(name)
        print("not ok", name + ":", repr(e))


def fetch(url):
    last = None
    for _ in range(50):
        try:
            return urllib.request.urlopen(url, timeout=2).read().decode()
        except OSError as e:  # the httpd may still be starting
            last = e
            time.sleep(0.1)
    raise AssertionError(f"{url}: {last!r}")


def predefined_networks_are_listed():
    names = sorted(n.name for n in client.networks.list())
    assert names == ["bridge", "host", "none"], names
    assert client.networks.get("bridge").attrs["Driver"] == "bridge"


def create_connect_with_aliases_resolve_and_remove():
    net = client.networks.create("sdknet", driver="bridge", labels={"by": "sdk"})
    web = client.containers.run("busybox", HTTPD, detach=True, name="sdkweb")
    try:
        assert net.attrs["Labels"] == {"by": "sdk"}, net.attrs
        net.connect(web, aliases=["web-alias"])
        web.reload()
        endpoint = web.attrs["NetworkSettings"]["Networks"]["sdknet"]
        assert "web-alias" in (endpoint.get("Aliases") or []), endpoint
        assert endpoint["IPAddress"], endpoint
        # (busybox's static wget crashes on some lookups: HTTP/1.0 through nc)
        request = "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 web-alias 80 | tail -1"
        out = client.containers.run("busybox", ["sh", "-c", request], network="sdknet", remove=True)
        assert out == b"from-sdk\n", out
        net.reload()
        assert web.id in net.attrs["Containers"], net.attrs["Containers"]
        net.disconnect(web)
        web.reload()
        assert "sdknet" not in web.attrs["NetworkSettings"]["Networks"], web.attrs["NetworkSettings"]
    finally:
        web.remove(force=True)
    net.remove()
    assert [n.name for n in client.networks.list(names=["sdknet"])] == []


def run_with_ports_publishes_them():
    web = client.containers.run("busybox", HTTPD, detach=True, ports={"80/tcp": ("127.0.0.1", 18095)})
    try:
        assert fetch("http://127.0.0.1:18095/index.html") == "from-sdk\n"
        web.reload()
        assert web.ports == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18095"}]}, web.ports
    finally:
        web.remove(force=True)


def prune_removes_unused_networks():
    client.networks.create("unused1")
    result = client.networks.prune()
    assert result["NetworksDeleted"] == ["unused1"], result


for name, fn in [
    ("predefined_networks_are_listed", predefined_networks_are_listed),
    ("create_connect_with_aliases_resolve_and_remove", create_connect_with_aliases_resolve_and_remove),
    ("run_with_ports_publishes_them", run_with_ports_publishes_them),
    ("prune_removes_unused_networks", prune_removes_unused_networks),
]:
    check(name, fn)
sys.exit(1 if failures else 0)
