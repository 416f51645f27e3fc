"""Start the production server (gunicorn with gunicorn.conf.py) on loopback, for tests and benchmarks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
# Long enough for the app's start-up check; used by benchmarks and tests only.
BENCH_SECRET = "bench-and-test-only-key-0123456789abcdefghij"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_workers(process: subprocess.Popen, count: int, seconds: float = 30) -> None:
    from .machine import worker_pids
    deadline = time.monotonic() + seconds
    while len(worker_pids(process.pid)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start {count} workers")
        time.sleep(0.05)


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not start listening")


@contextmanager
def production_server(*, workers: int | None = None, log_path: Path | None = None, extra_env: dict | None = None,
                      extra_args: tuple[str, ...] = ()):
    """Yield (port, process); the server is stopped on exit. Logs go to log_path (or are discarded)."""
    port = free_port()
    env = dict(os.environ, FACERIGHTS_SECRET_KEY=BENCH_SECRET, **(extra_env or {}))
    args = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
            *extra_args, "wsgi:app"]
    if workers:
        args += ["--workers", str(workers)]
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process)
        wait_for_workers(process, workers or os.cpu_count())
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()
