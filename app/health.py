"""/healthz for the load balancer: 200 once this worker has rendered its warm-up letter, 503 before.

It reads no cookie, writes none, logs nothing of the request, and is exempt from the
rate limits (see app/limits.py): a health check must not depend on Redis.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app

from .letters import warm_up

bp = Blueprint("health", __name__)

_READY = "facerights.ready"


def warm_up_worker(app: Flask) -> None:
    """Called by gunicorn after each fork: one full render, then the worker reports ready."""
    warm_up(app)
    app.extensions[_READY] = True


@bp.get("/healthz")
def healthz():
    if current_app.extensions.get(_READY):
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
    return "warming up\n", 503, {"Content-Type": "text/plain; charset=utf-8", "Retry-After": "1"}
