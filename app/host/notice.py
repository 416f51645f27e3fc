"""The facts the privacy notice states, read from the running app's settings and code.

Nothing here is written by hand: the durations come from STATE_MAX_AGE and the
rate limits, the cookie's lifetime from the cookie the state interface really
sets, the log contents from ACCESS_LOG_ADDRESSES. Change a setting, and the
notice changes with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask
from flask.sessions import SecureCookieSession
from limits import parse_many

from ..state import MAX_CHUNKS


@dataclass(frozen=True)
class NoticeFacts:
    answers_readable_for: timedelta
    cookie_name: str
    cookie_parts: int
    # True: the browser drops the cookie when it closes; False: after answers_readable_for.
    cookie_ends_with_browser: bool
    logs_addresses: bool
    # None when requests are not counted at all.
    rate_limit_kept_for: timedelta | None
    # None: the server's own memory; else the kind of shared store ("Redis").
    rate_limit_store: str | None


def as_timedelta(value) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def cookie_ends_with_browser(app: Flask) -> bool:
    """Ask the state interface for a cookie and look at it: no Max-Age and no Expires
    makes it a browser-session cookie. Needs a request context (the cookie's Secure
    flag follows the request)."""
    response = app.response_class()
    probe = SecureCookieSession()
    probe["probe"] = True  # a changed session, as a visitor's answer makes it
    app.session_interface.save_session(app, probe, response)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = next(header for header in response.headers.getlist("Set-Cookie") if header.startswith(f"{name}="))
    attributes = {part.split("=", 1)[0].strip().lower() for part in cookie.split(";")[1:]}
    return not attributes & {"max-age", "expires"}


def rate_limit_kept_for(config) -> timedelta | None:
    """A count lives as long as the longest window of the limits that are applied."""
    if not config["RATELIMIT_ENABLED"]:
        return None
    limits = parse_many(config["RATELIMIT_DEFAULT"]) + parse_many(config["LETTER_RATE_LIMIT"])
    return timedelta(seconds=max(limit.get_expiry() for limit in limits))


def rate_limit_store(config) -> str | None:
    # Only the kind of store: its address may hold a password.
    scheme = urlsplit(config["RATELIMIT_STORAGE_URI"]).scheme.split("+")[0]
    return None if scheme == "memory" else {"redis": "Redis", "rediss": "Redis", "memcached": "Memcached",
                                            "mongodb": "MongoDB", "valkey": "Valkey"}.get(scheme, scheme)


def notice_facts(app: Flask) -> NoticeFacts:
    config = app.config
    return NoticeFacts(
        answers_readable_for=as_timedelta(config["STATE_MAX_AGE"]),
        cookie_name=config["SESSION_COOKIE_NAME"],
        cookie_parts=MAX_CHUNKS,
        cookie_ends_with_browser=cookie_ends_with_browser(app),
        logs_addresses=bool(config.get("ACCESS_LOG_ADDRESSES", False)),
        rate_limit_kept_for=rate_limit_kept_for(config),
        rate_limit_store=rate_limit_store(config),
    )


