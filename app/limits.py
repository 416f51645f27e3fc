"""Rate limits per client, keyed by a keyed hash of the address.

The limiter's store (memory by default, or a shared store such as Redis via
RATELIMIT_STORAGE_URI when several instances run) never holds an IP address.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from flask_limiter import Limiter


def client_key() -> str:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, b"rate-limit:" + address, hashlib.sha256).hexdigest()[:32]


def letter_limit() -> str:
    return current_app.config["LETTER_RATE_LIMIT"]


def init_rate_limits(app) -> Limiter:
    """One limiter per app (its settings are read once, from this app's config)."""
    limiter = Limiter(key_func=client_key, app=app)
    # Letters cost a render each (the download page too: it lays the letter out to preview it and count
    # its pages): they get a lower limit of their own, shared by the letter and the copy for the records.
    letters = limiter.shared_limit(letter_limit, scope="letters")
    for endpoint in ("wizard.download", "wizard.download_records_copy"):
        app.view_functions[endpoint] = letters(app.view_functions[endpoint])
    # The host's logo and colour load with every page, like the static stylesheet (which Flask-Limiter exempts).
    for endpoint in ("host.logo", "host.stylesheet"):
        limiter.exempt(app.view_functions[endpoint])
    # The wrapped view refers to the limiter only weakly: the app must hold it.
    app.extensions["facerights.limiter"] = limiter
    return limiter
