"""Rate limits per client, keyed by a keyed hash of the address.

The limiter's store (memory by default, or a shared store such as Redis via
RATELIMIT_STORAGE_URI when several instances run) never holds an IP address.
The stated limits hold across workers and instances only with a shared store:
in memory, each worker counts on its own. When the shared store does not answer,
the pages still work and each worker counts in memory until it is back
(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED); /healthz then says "degraded".
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from datetime import timedelta

from flask import current_app, request, session
from flask_limiter import Limiter
from limits import parse_many

# Most IPv6 clients hold far more than one /64: a home line usually a /56 (256 of them), a server
# often a /48 (65,536). The letter budget is also counted per /56 and per /48, at these multiples
# of the per-client budget, so that rotating through the /64s of one line or server gains little.
COARSER_IPV6_BUDGETS = {56: 3, 48: 10}


def client_network(address: str | None, ipv6_prefix: int = 64) -> str:
    """The unit a client controls: one IPv4 address, or the /64 of an IPv6 address
    (every IPv6 client holds at least a /64, and could rotate through it); with
    ``ipv6_prefix`` a coarser IPv6 network, for the budgets of COARSER_IPV6_BUDGETS."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{ipv6_prefix}", strict=False))


def hashed(network: str) -> str:
    """What the store sees: a keyed hash of the network, never the address."""
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"rate-limit:" + network.encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    return hashed(client_network(request.remote_addr))


def network_key(ipv6_prefix: int):
    return lambda: hashed(client_network(request.remote_addr, ipv6_prefix))


def is_ipv6_client() -> bool:
    return ":" in client_network(request.remote_addr)


def letter_limit() -> str:
    return current_app.config["LETTER_RATE_LIMIT"]


def multiplied(limits: str, factor: int) -> str:
    """'10 per minute; 60 per hour' times 3: '30 per 1 minute; 180 per 1 hour'."""
    return "; ".join(f"{item.amount * factor} per {item.multiples} {item.GRANULARITY.name}"
                     for item in parse_many(limits))


def letter_limit_for_network(factor: int):
    return lambda: multiplied(letter_limit(), factor)


# Machine endpoints: a load balancer's health checks and a Prometheus scraper must never get
# a 429, and /healthz must answer even when the limiter's store (Redis) does not.
EXEMPT_BLUEPRINTS = ("health", "metrics")

# Every endpoint whose POST renders a letter or reads an uploaded one.
LETTER_ENDPOINTS = ("wizard.download", "wizard.download_records_copy", "followup.continue_request",
                    "followup.letter", "followup.complaint", "followup.records_copy", "followup.requests")
PREVIEW_ENDPOINTS = ("wizard.download", "wizard.download_records_copy", "followup.letter", "followup.complaint")


def letters_asked_for() -> int:
    """What a request costs the letter budget: one unit per letter it lays out (review G5), so that the
    budget bounds the rendering work, whichever page asks for it.

    - The wizard's download POST renders one letter per chosen company (a ZIP of four costs four), or the
      one letter its button names (one).
    - The download page (GET) counts each company's pages, from its HTML or, when the page model is unsure,
      by a layout (app/letters/pages.py): one each, so that the budget holds either way; the copies
      for the person's records are shown without a page count, from their HTML alone (nothing more).
    - A complaint (its download, a POST) lays out the complaint and, as its annexes, every letter of the case
      made again: the request and each later letter; typed by hand, the case has no annex (and without a case
      under way the page only redirects): one.
    - The complaint page (GET, or a POST that shows the complaint with other choices) and the follow-up
      letter page (GET) lay out the letter they show, to count its pages: one; the copy for the records
      they show is read from its HTML alone (nothing more).
    - A reminder (POST on the follow-up letter page) encloses the request: two; any other follow-up, one.
    - Every other letter endpoint lays out or reads one letter (a copy for the records: one): one.

    When a page changes what it lays out, this is the one place to change with it.
    """
    case = session.get("request") if isinstance(session.get("request"), dict) else None
    if request.endpoint == "followup.complaint":
        downloads = request.method == "POST" and request.form.get("action") != "preview"
        return 2 + letters_in_case(case) if downloads and case and case.get("source") == "pdf" else 1
    if request.endpoint == "followup.letter" and request.method == "POST":
        return 2 if case and silence_after(session) else 1
    if request.endpoint != "wizard.download":
        return 1
    answers = session.get("answers") if isinstance(session.get("answers"), dict) else {}
    companies = answers.get("company", {}).get("company", []) if isinstance(answers.get("company"), dict) else []
    letters = max(1, len(companies)) if isinstance(companies, list) else 1
    if request.method == "POST" and request.form.get("letter"):
        return 1
    return letters


def letter_cost() -> int:
    """What the budgets charge a request: letters_asked_for(), but never more than the smallest budget
    holds. A complaint in a long case (its request and nine letters: eleven layouts) would otherwise cost
    more than "10 per minute" allows, and could never be made; the render time limit bounds it instead."""
    return min(letters_asked_for(), min(item.amount for item in parse_many(letter_limit())))


def letters_in_case(case: dict) -> int:
    """The follow-ups and complaints a case holds (each one more annex for a complaint)."""
    events = case.get("events") if isinstance(case.get("events"), list) else []
    return sum(1 for event in events if isinstance(event, dict) and event.get("kind") == "letter")


def silence_after(state) -> bool:
    """Whether the follow-up asked for is a reminder, which encloses the request."""
    after = state.get("after") if isinstance(state.get("after"), dict) else {}
    situation = after.get("situation", {}).get("situation") if isinstance(after.get("situation"), dict) else None
    return situation in ("no-answer", "extended-no-answer")


def letter_budgets(limiter: Limiter, methods):
    """The letter budget per client, and for IPv6 also per /56 and per /48 (review G4): shared by every
    letter endpoint (one scope each), each request costing letters_asked_for()."""
    yield limiter.shared_limit(letter_limit, scope="letters", methods=methods, cost=letter_cost)
    for prefix, factor in COARSER_IPV6_BUDGETS.items():
        yield limiter.shared_limit(letter_limit_for_network(factor), scope=f"letters-ipv6-{prefix}",
                                   key_func=network_key(prefix), methods=methods, cost=letter_cost,
                                   exempt_when=lambda: not is_ipv6_client())


def wait_before_retry() -> timedelta | None:
    """How long until every limit this request broke lets the client in again, in whole minutes rounded up,
    as the 429 page states it: a letter budget per hour must not say "wait a minute". The page says "at
    least": Flask-Limiter stops at the first broken limit (the shortest window first), so a longer one may
    be spent too. None when it cannot be told (no broken limit recorded, or the store does not answer)."""
    limiter = current_app.extensions.get("facerights.limiter")
    try:
        resets = [limit.window[0] for limit in (limiter.current_limits if limiter else []) if limit.breached]
    except Exception:  # the store (Redis) went away between the check and this page: say no time
        return None
    if not resets:
        return None
    return timedelta(minutes=max(1, math.ceil((max(resets) - time.time()) / 60)))


REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "unix://")


def init_rate_limits(app) -> Limiter:
    """One limiter per app (its settings are read once, from this app's config)."""
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(REDIS_SCHEMES) and \
            not app.config.get("RATELIMIT_STORAGE_OPTIONS"):
        # A store that does not answer must cost a request a moment, not a minute: then the in-memory
        # fallback takes over.
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    limiter = Limiter(key_func=client_key, app=app)
    for name in EXEMPT_BLUEPRINTS:
        if name in app.blueprints:
            limiter.exempt(app.blueprints[name])
    # Letters cost a render each, and an uploaded letter a parse: one budget of their own. The download
    # page counts on every method (it lays the letter out to preview it and count its pages), the
    # others on POST.
    for endpoint in LETTER_ENDPOINTS:
        methods = None if endpoint in PREVIEW_ENDPOINTS else ["POST"]
        view = app.view_functions[endpoint]
        for budget in letter_budgets(limiter, methods):
            view = budget(view)
        app.view_functions[endpoint] = view
    # The host's logo and colour and the letter preview's list markers load with every page, like the static
    # stylesheet (which Flask-Limiter exempts).
    for endpoint in ("host.logo", "host.stylesheet", "letter_points_stylesheet"):
        limiter.exempt(app.view_functions[endpoint])
    # The wrapped view refers to the limiter only weakly: the app must hold it.
    app.extensions["facerights.limiter"] = limiter
    return limiter
