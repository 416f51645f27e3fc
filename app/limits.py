"""Rate limits per client, keyed by a keyed hash of the address.

The limiter's store (memory by default, or a shared store such as Redis via
RATELIMIT_STORAGE_URI when several instances run) never holds an IP address.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import current_app, request, session
from flask_limiter import Limiter


def client_network(address: str | None) -> str:
    """The unit a client controls: one IPv4 address, or the /64 of an IPv6 address
    (every IPv6 client holds at least a /64, and could rotate through it)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def client_key() -> str:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    network = client_network(request.remote_addr).encode()
    return hmac.new(secret, b"rate-limit:" + network, hashlib.sha256).hexdigest()[:32]


def letter_limit() -> str:
    return current_app.config["LETTER_RATE_LIMIT"]


# Machine endpoints: a load balancer's health checks and a Prometheus scraper must never get
# a 429, and /healthz must answer even when the limiter's store (Redis) does not.
EXEMPT_BLUEPRINTS = ("health", "metrics")

# Every endpoint whose POST renders a letter or reads an uploaded one.
LETTER_ENDPOINTS = ("wizard.download", "wizard.download_records_copy", "followup.continue_request",
                    "followup.letter", "followup.complaint")
PREVIEW_ENDPOINTS = ("wizard.download", "wizard.download_records_copy")


def letters_asked_for() -> int:
    """What a request costs the shared budget: one per letter it lays out. The wizard's download POST
    renders one letter per chosen company (a ZIP of four costs four); its page previews the letter to
    one company (one), and with several companies previews none (nothing). Every other letter
    endpoint costs one."""
    if request.endpoint != "wizard.download":
        return 1
    answers = session.get("answers") if isinstance(session.get("answers"), dict) else {}
    companies = answers.get("company", {}).get("company", []) if isinstance(answers.get("company"), dict) else []
    letters = max(1, len(companies)) if isinstance(companies, list) else 1
    if request.method == "POST":
        return letters
    return 1 if letters == 1 else 0


def init_rate_limits(app) -> Limiter:
    """One limiter per app (its settings are read once, from this app's config)."""
    limiter = Limiter(key_func=client_key, app=app)
    for name in EXEMPT_BLUEPRINTS:
        if name in app.blueprints:
            limiter.exempt(app.blueprints[name])
    # Letters cost a render each, and an uploaded letter a parse: one budget of their own. The download
    # page counts on every method (it lays the letter out to preview it and count its pages), the
    # others on POST.
    for endpoint in LETTER_ENDPOINTS:
        methods = None if endpoint in PREVIEW_ENDPOINTS else ["POST"]
        letters = limiter.shared_limit(letter_limit, scope="letters", methods=methods, cost=letters_asked_for)
        app.view_functions[endpoint] = letters(app.view_functions[endpoint])
    # The host's logo and colour and the letter preview's list markers load with every page, like the static
    # stylesheet (which Flask-Limiter exempts).
    for endpoint in ("host.logo", "host.stylesheet", "letter_points_stylesheet"):
        limiter.exempt(app.view_functions[endpoint])
    # The wrapped view refers to the limiter only weakly: the app must hold it.
    app.extensions["facerights.limiter"] = limiter
    return limiter
