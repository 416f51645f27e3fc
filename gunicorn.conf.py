"""Production server settings: `gunicorn --config gunicorn.conf.py wsgi:app`.

Process workers, not threads: WeasyPrint's layout runs under the GIL, and a
FontConfiguration must not be shared between threads.

Sync workers serve one connection each: a client that sends its request slowly
holds a worker until the timeout. gunicorn must therefore only be reachable
through a proxy that buffers each whole request before passing it on (the
shipped nginx configuration in deploy/nginx/; see docs/HOSTING.md). The default
bind is loopback, and any other bind is warned about at start-up.
"""
import ipaddress
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

import gunicorn.http.wsgi

bind = os.environ.get("FACERIGHTS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FACERIGHTS_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# A letter renders in well under a second; a render that takes longer is killed.
timeout = 20
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, as a backstop against slow native memory growth
# (measured flat: see docs/OPERATIONS.md). A visit is about ten requests.
max_requests = 50000
max_requests_jitter = 5000
# Load the app (registry, templates, fonts) once in the master, then fork.
preload_app = True
# The encrypted state cookie can be up to ~12 KB for very long answers.
limit_request_field_size = 16384
# The longest address of this site is a language link with a page to return to;
# browsers and a proxy send about 20 header fields.
limit_request_line = 2048
limit_request_fields = 50
# gunicorn honours X-Forwarded-Proto/-Ssl/-Protocol from these addresses: only when
# the app itself is told to trust a proxy (FACERIGHTS_TRUSTED_PROXIES), else from nobody.
if int(os.environ.get("FACERIGHTS_TRUSTED_PROXIES") or 0) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""
# The Server header names no software (gunicorn has no setting for it).
gunicorn.http.wsgi.SERVER = "FaceRights"
# No control socket: the app needs no runtime management, and it would be a file in $HOME.
control_socket_disable = True
# Access log without query strings or bodies: URLs never carry personal data.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("FACERIGHTS_LOG_LEVEL", "info")


# WeasyPrint copies the letter fonts (no personal data, about 1.8 MB) into a temporary
# directory that it removes only when the worker ends normally. Each worker gets its own
# directory under this instance's, removed by the master when the worker exits for any
# reason (a timeout kill included); stale ones of a killed master go at the next start.
TEMP_PREFIX = "facerights-"
_temp = {}


def _is_loopback(address) -> bool:
    if isinstance(address, str):  # a unix socket: reachable on this machine only
        return True
    host = address[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def when_ready(server):
    exposed = [address for address in server.address if not _is_loopback(address)]
    if exposed:
        server.log.warning(
            "FaceRights listens on %s, beyond this machine. Sync workers must only be reached through a proxy "
            "that buffers whole requests (deploy/nginx/, docs/HOSTING.md): slow clients stop the service otherwise.",
            ", ".join(str(address) for address in exposed))


def on_starting(server):
    base = Path(tempfile.gettempdir())
    for stale in base.glob(TEMP_PREFIX + "*"):
        owner = stale.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not _process_exists(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    _temp["root"] = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=base))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_temp(pid: int) -> Path:
    return _temp["root"] / f"worker-{pid}"


def post_fork(server, worker):
    folder = _worker_temp(os.getpid())
    folder.mkdir(mode=0o700)
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    # Each worker builds its own FontConfiguration and parsed stylesheet, and
    # renders one sample letter, before its first request.
    from app.letters import warm_up
    warm_up(server.app.wsgi())


def child_exit(server, worker):
    shutil.rmtree(_worker_temp(worker.pid), ignore_errors=True)


def on_exit(server):
    shutil.rmtree(_temp["root"], ignore_errors=True)
