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
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
from pathlib import Path


# gunicorn runs this file again on SIGHUP (systemctl reload, or kill -HUP), in the same master
# process: every variable here starts afresh then. What must survive is kept in the environment,
# marked with the master's pid: set when this file first ran in this process, and the folder for the
# metrics if this file made it.
_LOADED_IN = "FACERIGHTS_GUNICORN_CONF_LOADED_IN"
_METRICS_MADE = "FACERIGHTS_METRICS_FOLDER_MADE"
_RELOADED = os.environ.get(_LOADED_IN) == str(os.getpid())
os.environ[_LOADED_IN] = str(os.getpid())


def _metrics_folder() -> tuple[str, bool]:
    """prometheus_client's multiprocess mode: every worker adds its counts to its own file in
    this folder, and /metrics sums them. The files hold only counters and their fixed labels
    (company slugs, request types, languages, page names), no personal data. It must be set
    before prometheus_client is imported, so before the app is. A folder the host gives
    (systemd's RuntimeDirectory) is emptied of the last run's files at start (never on a HUP:
    the running workers' counts are in them); otherwise we make one and remove it on exit.
    Returns (folder, whether we made it)."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if _RELOADED and given:
        return given, os.environ.get(_METRICS_MADE) == given
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return given, False
    # Not "facerights-...": that prefix is the workers' font folders, cleaned by on_starting.
    made = tempfile.mkdtemp(prefix="prometheus-facerights-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[_METRICS_MADE] = made
    return made, True


METRICS_FOLDER, _METRICS_FOLDER_MADE_HERE = _metrics_folder()

from gunicorn.glogging import Logger  # noqa: E402
from app.config import access_log_addresses, access_log_format as log_format_for  # noqa: E402  (after the folder is set)
import gunicorn.http.wsgi  # noqa: E402

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
# Access log without query strings, bodies, user agents or (unless the host opts in with
# FACERIGHTS_ACCESS_LOG_ADDRESSES=true) client addresses: see app/config.py.
accesslog = "-"
access_log_format = log_format_for(access_log_addresses())
errorlog = "-"
loglevel = os.environ.get("FACERIGHTS_LOG_LEVEL", "info")


# WeasyPrint copies the letter fonts (no personal data, about 1.8 MB) into a temporary
# directory that it removes only when the worker ends normally. Each worker gets its own
# directory under this instance's (facerights-<master pid>-...), removed by the master when the
# worker exits for any reason (a timeout kill included); stale ones of a killed master go at the
# next start. The instance's folder is found again by its name, so that it survives a HUP.
TEMP_PREFIX = "facerights-"


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
    _instance_temp(os.getpid())


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _instance_temp(master_pid: int) -> Path:
    """This instance's folder: made by on_starting, found by its name afterwards (a HUP forgets variables)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(f"{TEMP_PREFIX}{master_pid}-*"):
        if folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid():
            return folder
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{master_pid}-", dir=base))


def _worker_temp(master_pid: int, pid: int) -> Path:
    return _instance_temp(master_pid) / f"worker-{pid}"


class _NoVisitorData(logging.Filter):
    """gunicorn's own error messages name the client ("Invalid request from ip=...") and the
    full URI with its query string ("Error handling request GET /x?y"): drop both."""
    _ADDRESS = re.compile(r"ip=\S*")
    _QUERY = re.compile(r"(Error handling request .*?)\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._QUERY.sub(r"\1", self._ADDRESS.sub("ip=(not logged)", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class PrivateLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(existing, _NoVisitorData) for existing in self.error_log.filters):
            self.error_log.addFilter(_NoVisitorData())


logger_class = PrivateLogger


def post_fork(server, worker):
    folder = _worker_temp(server.pid, os.getpid())
    folder.mkdir(mode=0o700)
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    app = server.app.wsgi()
    # The app's resolved setting decides (it may come from instance/config.py too), so
    # that the log and the /privacy page that describes it cannot disagree.
    server.cfg.set("access_log_format", log_format_for(app.config["ACCESS_LOG_ADDRESSES"]))
    # Each worker builds its own FontConfiguration and parsed stylesheet, and
    # renders one sample letter, before its first request; /healthz says 200 after that.
    from app.health import warm_up_worker
    warm_up_worker(app)


def child_exit(server, worker):
    shutil.rmtree(_worker_temp(server.pid, worker.pid), ignore_errors=True)
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    shutil.rmtree(_instance_temp(server.pid), ignore_errors=True)
    if _METRICS_FOLDER_MADE_HERE:
        shutil.rmtree(METRICS_FOLDER, ignore_errors=True)
