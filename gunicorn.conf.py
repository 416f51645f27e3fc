"""Production server settings: `gunicorn --config gunicorn.conf.py wsgi:app`.

Process workers, not threads: WeasyPrint's layout runs under the GIL, and a
FontConfiguration must not be shared between threads.
"""
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
from pathlib import Path


def _metrics_folder() -> tuple[str, bool]:
    """prometheus_client's multiprocess mode: every worker adds its counts to its own file in
    this folder, and /metrics sums them. The files hold only counters and their fixed labels
    (company slugs, request types, languages, page names), no personal data. It must be set
    before prometheus_client is imported, so before the app is. A folder the host gives
    (systemd's RuntimeDirectory) is emptied of the last run's files; otherwise we make one and
    remove it on exit. Returns (folder, whether we made it)."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return given, False
    made = tempfile.mkdtemp(prefix="facerights-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = made
    return made, True


METRICS_FOLDER, _METRICS_FOLDER_MADE_HERE = _metrics_folder()

from gunicorn.glogging import Logger  # noqa: E402
from app.config import access_log_addresses, access_log_format as log_format_for  # noqa: E402  (after the folder is set)

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
# No control socket: the app needs no runtime management, and it would be a file in $HOME.
control_socket_disable = True
# Access log without query strings, bodies, user agents or (unless the host opts in with
# FACERIGHTS_ACCESS_LOG_ADDRESSES=true) client addresses: see app/config.py.
accesslog = "-"
access_log_format = log_format_for(access_log_addresses())
errorlog = "-"
loglevel = os.environ.get("FACERIGHTS_LOG_LEVEL", "info")


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
    app = server.app.wsgi()
    # The app's resolved setting decides (it may come from instance/config.py too), so
    # that the log and the /privacy page that describes it cannot disagree.
    server.cfg.set("access_log_format", log_format_for(app.config["ACCESS_LOG_ADDRESSES"]))
    # Each worker builds its own FontConfiguration and parsed stylesheet, and
    # renders one sample letter, before its first request; /healthz says 200 after that.
    from app.health import warm_up_worker
    warm_up_worker(app)


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _METRICS_FOLDER_MADE_HERE:
        shutil.rmtree(METRICS_FOLDER, ignore_errors=True)
