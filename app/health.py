"""/healthz for load balancers, the systemd unit's start-up wait and monitoring.

It answers 200 once this process has rendered its warm-up letter. gunicorn.conf.py warms each worker
up right after the fork; under any other WSGI server the first /healthz does it (a few seconds), so
that no server is told "warming up" forever.

The first line is "ok", or "degraded: ..." when the rate limiter's shared store (Redis) does not
answer: the pages still work, with limits counted by each worker on its own (Flask-Limiter's
in-memory fallback), and a monitor that looks for "ok" sees it. The answer stays 200 then, because
the instance still serves visitors and a load balancer must keep sending them. The second line is
the version (app/version.py).

It reads no cookie and writes none, and is exempt from the rate limits (see app/limits.py): a
health check must not depend on Redis. gunicorn and nginx log the probe like any request.
"""
from __future__ import annotations

import gc
import threading

from flask import Blueprint, Flask, current_app
from limits.storage import MemoryStorage

from .letters import warm_up
from .version import VERSION

bp = Blueprint("health", __name__)

_READY = "facerights.ready"
_WARMING = threading.Lock()
# The machine endpoints: asked for on the instance's own loopback port, by monitoring and Prometheus.
MACHINE_PATHS = ("/healthz", "/metrics")


def is_machine_path(path: str) -> bool:
    return path.rstrip("/") in MACHINE_PATHS


def warm_up_worker(app: Flask) -> None:
    """One full render, then this process reports ready (called by gunicorn after each fork)."""
    with _WARMING:
        if not app.extensions.get(_READY):
            warm_up(app)
            keep_out_of_collections()
            app.extensions[_READY] = True


def keep_out_of_collections() -> None:
    """What the process holds for its life once warm (modules, templates, the fonts' tables) leaves
    the garbage collector's generations: a full collection, such as the one after each upload
    (app/letters/attachment.py), then walks only what requests made, 2 ms instead of 40."""
    gc.collect()
    gc.freeze()


def store_problem(app: Flask) -> str | None:
    """What is wrong with the rate limiter's shared store, or None (it answers, or none is used)."""
    limiter = app.extensions.get("facerights.limiter")
    if limiter is None or not limiter.enabled or isinstance(limiter.storage, MemoryStorage):
        return None
    if limiter.storage.check():
        return None
    return ("the rate-limit store (RATELIMIT_STORAGE_URI) does not answer; "
            "each worker counts the limits on its own until it is back")


@bp.get("/healthz")
def healthz():
    app = current_app._get_current_object()
    warm_up_worker(app)
    problem = store_problem(app)
    status = f"degraded: {problem}" if problem else "ok"
    return f"{status}\nversion {VERSION}\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
