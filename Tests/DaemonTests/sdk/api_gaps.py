"""The Engine API gaps real clients hit (issue: engine hardening), through the docker SDK 7.1.

Run by DaemonTests/SDKTests.swift against a private berthd (DOCKER_HOST) that has
busybox:latest. Prints one line per check, `ok NAME` or `not ok NAME: why`, and exits 1 if
any failed.
"""
import io
import os
import sys
import tarfile
import time

import docker

client = docker.from_env(timeout=60)
api = client.api
failures = []


def check(name, fn):
    try:
        fn()
        print("ok", name)
    except Exception as e:  # noqa: BLE001 - every failure is reported with its check
        failures.append(name)
        print("not ok", name + ":", repr(e))


def tar_of(name, data):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def wait_exit(cid):
    return api.wait(cid, timeout=60)["StatusCode"]


def put_archive_into_a_declared_volume_before_start():
    c = api.create_container("busybox", ["cat", "/vol1/f"], volumes=["/vol1"])
    try:
        assert api.put_archive(c["Id"], "/vol1", tar_of("f", b"in the volume\n"))
        api.start(c["Id"])
        assert wait_exit(c["Id"]) == 0
        assert api.logs(c["Id"]) == b"in the volume\n", api.logs(c["Id"])
    finally:
        api.remove_container(c["Id"], v=True, force=True)


def attach_logs_without_stream_returns():
    c = client.containers.run("busybox", ["echo", "hello logs"], detach=True)
    try:
        wait_exit(c.id)
        out = c.attach(stream=False, logs=True)
        assert out == b"hello logs\n", out
    finally:
        c.remove(force=True)


def exec_framed_by_the_start_request():
    c = client.containers.run("busybox", ["sleep", "60"], detach=True)
    try:
        e = api.exec_create(c.id, ["echo", "hi"], tty=True)
        out = api.exec_start(e["Id"])  # Tty: false in the start request
        assert out.replace(b"\r", b"") == b"hi\n", out
        code, out = c.exec_run(["sh", "-c", "echo out; echo err >&2"], demux=True)
        assert code == 0 and out == (b"out\n", b"err\n"), (code, out)
    finally:
        c.remove(force=True)


def commit_right_after_a_short_run():
    for changes in (None, ['CMD ["cat", "/test"]']):
        c = api.create_container("busybox", ["touch", "/test"])
        try:
            api.start(c["Id"])
            img = api.commit(c["Id"], repository="committed", tag="now", changes=changes)
            assert img["Id"].startswith("sha256:"), img
        finally:
            api.remove_container(c["Id"], force=True)
    out = client.containers.run("committed:now", remove=True)
    assert out == b"", out
    client.images.remove("committed:now")


def load_of_something_else_is_an_image_load_error():
    try:
        client.images.load(b"this is not an image archive")
    except docker.errors.ImageLoadError:
        return
    raise AssertionError("no ImageLoadError")


def outside_a_swarm():
    for call in (client.services.list, client.nodes.list, client.secrets.list, client.configs.list):
        try:
            call()
        except docker.errors.APIError as e:
            assert e.status_code == 503 and "not a swarm manager" in str(e), e
        else:
            raise AssertionError(f"{call} answered")
    assert client.plugins.list() == []
    try:
        client.swarm.leave()
    except docker.errors.APIError as e:
        assert e.status_code == 503 and "not part of a swarm" in str(e), e


def container_prune():
    c = client.containers.create("busybox", ["true"], labels={"prune": "me"})
    keep = client.containers.create("busybox", ["true"], labels={"prune": "keep"})
    try:
        out = client.containers.prune(filters={"label": "prune=me"})
        assert out["ContainersDeleted"] == [c.id], out
        assert client.containers.get(keep.id)
    finally:
        keep.remove(force=True)


def volume_prune_before_api_142_takes_named_volumes():
    client.volumes.create("named-old-api")
    old = docker.APIClient(base_url=os.environ["DOCKER_HOST"], version="1.41", timeout=60)
    out = old.prune_volumes()
    assert "named-old-api" in (out.get("VolumesDeleted") or []), out
    client.volumes.create("named-new-api")
    out = api.prune_volumes()
    assert "named-new-api" not in (out.get("VolumesDeleted") or []), out
    client.volumes.get("named-new-api").remove()


def log_drivers_as_dockerd():
    c = client.containers.create("busybox", ["echo", "x"], log_config={"type": "json-file", "config": {"max-size": "1m", "max-file": "3"}})
    try:
        lc = api.inspect_container(c.id)["HostConfig"]["LogConfig"]
        assert lc == {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "3"}}, lc
    finally:
        c.remove(force=True)
    c = client.containers.run("busybox", ["echo", "x"], detach=True, log_config={"type": "none"})
    try:
        wait_exit(c.id)
        try:
            c.logs()
        except docker.errors.APIError as e:
            assert "configured logging driver does not support reading" in str(e), e
        else:
            raise AssertionError("logs of a none container answered")
    finally:
        c.remove(force=True)
    for bad, why in (({"type": "syslogish"}, "no log driver named 'syslogish'"),
                     ({"type": "json-file", "config": {"colour": "blue"}}, "unknown log opt 'colour'")):
        try:
            client.containers.create("busybox", ["true"], log_config=bad)
        except docker.errors.APIError as e:
            assert e.status_code == 400 and why in str(e), e
        else:
            raise AssertionError(f"{bad} accepted")


def inspect_has_the_host_config_fields():
    src = client.containers.run("busybox", ["sh", "-c", "echo shared > /data/f"], volumes=["/data"], detach=True)
    try:
        wait_exit(src.id)
        out = client.containers.run("busybox", ["cat", "/data/f"], volumes_from=[src.id + ":ro"], remove=True)
        assert out == b"shared\n", out
        c = client.containers.create("busybox", ["true"], volumes_from=[src.id], device_cgroup_rules=["c 42:* rmw"])
        try:
            h = api.inspect_container(c.id)["HostConfig"]
            assert h["VolumeDriver"] == "" and h["Isolation"] == "", h
            assert h["VolumesFrom"] == [src.id] and h["DeviceCgroupRules"] == ["c 42:* rmw"], h
        finally:
            c.remove(force=True)
    finally:
        src.remove(force=True, v=True)
    # The rule lets the container make and open the device; without it, the open is denied.
    script = "mknod /tmp/d c 42 0 && head -c0 /tmp/d 2>&1; echo rc=$?"
    allowed = client.containers.run("busybox", ["sh", "-c", script], device_cgroup_rules=["c 42:* rmw"], remove=True)
    denied = client.containers.run("busybox", ["sh", "-c", script], remove=True)
    assert b"Operation not permitted" not in allowed, allowed
    assert b"Operation not permitted" in denied, denied


def cgroup_namespace_modes():
    private = client.containers.run("busybox", ["cat", "/proc/self/cgroup"], cgroupns="private", remove=True)
    host = client.containers.run("busybox", ["cat", "/proc/self/cgroup"], cgroupns="host", remove=True)
    assert all(line.endswith(b":/") for line in private.splitlines() if line), private
    assert not all(line.endswith(b":/") for line in host.splitlines() if line), host


def detach_keys_leave_the_container_running():
    # docker run -it sends StdinOnce: a detach must not end the container's stdin either.
    for stdin_once in (False, True):
        body = {"Image": "busybox", "Cmd": ["cat"], "OpenStdin": True, "StdinOnce": stdin_once, "Tty": True,
                "AttachStdin": True, "AttachStdout": True}
        c = api._result(api._post_json(api._url("/containers/create"), data=body), True)
        try:
            sock = api.attach_socket(c["Id"], params={"stdin": 1, "stdout": 1, "stream": 1, "detachKeys": "ctrl-x"})
            api.start(c["Id"])
            raw = sock._sock
            raw.settimeout(20)
            raw.sendall(b"echoed\n")
            got = b""
            while b"echoed" not in got:
                chunk = raw.recv(4096)
                assert chunk, got
                got += chunk
            # ctrl-x: berthd ends the attach (end of file here), the container goes on.
            raw.sendall(b"\x18")
            while raw.recv(4096):
                pass
            raw.close()
            time.sleep(0.3)
            assert api.inspect_container(c["Id"])["State"]["Running"], f"stopped (stdin_once={stdin_once})"
        finally:
            api.remove_container(c["Id"], force=True)


def image_size_is_unpacked():
    out = client.containers.run("busybox", ["true"], remove=True)
    size = client.images.get("busybox:latest").attrs["Size"]
    assert size >= os.path.getsize("/bin/busybox"), size


for name, fn in list(globals().items()):
    if callable(fn) and fn.__module__ == "__main__" and name not in ("check", "tar_of", "wait_exit"):
        check(name, fn)
print(f"{len(failures) == 0 and 'all passed' or 'failed: ' + ', '.join(failures)}")
sys.exit(1 if failures else 0)
