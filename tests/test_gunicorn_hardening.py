"""The production server's own settings, through a real gunicorn on a free loopback port:
forwarded headers (F12), the Server banner (F15), header limits (F1), temporary files (F10)."""
import http.client
import os
import runpy
import signal
import time
from pathlib import Path

import pytest

from bench.machine import worker_pids
from bench.server import ROOT, production_server


def get(port, path="/", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize("trusted_proxies, https", [("0", False), ("1", True)])
def test_forwarded_scheme_headers_follow_trusted_proxies(tmp_path, trusted_proxies, https):
    """Review F12: with TRUSTED_PROXIES=0 gunicorn still honoured X-Forwarded-Proto from loopback,
    so any local client made its request "secure" (HSTS, Secure cookie)."""
    env = {"TMPDIR": str(tmp_path), "FACERIGHTS_TRUSTED_PROXIES": trusted_proxies}
    with production_server(workers=1, extra_env=env) as (port, _):
        for header in ("X-Forwarded-Proto", "X-Forwarded-Ssl", "X-Forwarded-Protocol"):
            value = "on" if header == "X-Forwarded-Ssl" else "https"
            response = get(port, "/request-type", {header: value})
            assert response.status == 200
            if header == "X-Forwarded-Proto":
                assert ("Strict-Transport-Security" in response.headers) is https
                assert ("Secure" in response.headers["Set-Cookie"]) is https
            elif not https:
                assert "Strict-Transport-Security" not in response.headers


def test_server_banner_header_limits_and_temporary_files(tmp_path):
    with production_server(workers=1, extra_env={"TMPDIR": str(tmp_path)}) as (port, process):
        response = get(port)
        # Review F15: "Server: gunicorn".
        assert response.headers["Server"] == "FaceRights"
        # Review F1: tighter request limits than gunicorn's defaults.
        assert get(port, "/", {f"X-Filler-{n}": "x" for n in range(60)}).status == 431
        assert get(port, "/" + "a" * 3000).status in (400, 414)

        # Review F10: a worker killed by the timeout left its font copies in $TMPDIR.
        [worker] = worker_pids(process.pid)
        [instance] = tmp_path.glob("facerights-*")
        worker_folder = instance / f"worker-{worker}"
        assert any(worker_folder.glob("weasyprint-*")), list(tmp_path.rglob("*"))
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (worker_pids(process.pid) in ([], [worker])
                                                or worker_folder.exists()):
            time.sleep(0.1)
        assert not worker_folder.exists()
        [replacement] = worker_pids(process.pid)
        assert (instance / f"worker-{replacement}").is_dir()
        assert get(port).status == 200
    assert not list(tmp_path.iterdir())


def test_stale_temporary_folders_of_a_killed_instance_are_removed_at_start(tmp_path):
    stale = tmp_path / "facerights-999999999-abc" / "worker-1" / "weasyprint-x"
    stale.mkdir(parents=True)
    with production_server(workers=1, extra_env={"TMPDIR": str(tmp_path)}):
        assert not (tmp_path / "facerights-999999999-abc").exists()


class FakeLog:
    def __init__(self):
        self.warnings = []

    def warning(self, message, *args):
        self.warnings.append(message % args)


class FakeServer:
    def __init__(self, *addresses):
        self.address = list(addresses)
        self.log = FakeLog()


@pytest.mark.parametrize("address, warned", [(("127.0.0.1", 8000), False), (("::1", 8000), False),
                                             (("localhost", 8000), False), ("/run/facerights.sock", False),
                                             (("0.0.0.0", 8000), True), (("::", 8000), True),
                                             (("192.0.2.10", 8000), True), (("ngo.example", 80), True)])
def test_start_up_warns_when_bound_beyond_this_machine(address, warned, tmp_path, monkeypatch):
    """Review F1: a host who exposes gunicorn directly (FACERIGHTS_BIND=0.0.0.0:8000) is fully exposed."""
    # Loading the configuration points prometheus_client at a counter folder: keep that to this test.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = FakeServer(("127.0.0.1", 8001), address)
    config["when_ready"](server)
    assert bool(server.log.warnings) is warned
    if warned:
        assert "buffers whole requests" in server.log.warnings[0] and "deploy/nginx/" in server.log.warnings[0]
