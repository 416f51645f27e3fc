"""Default configuration: everything works with no environment variable set.

Production overrides come from ``FACERIGHTS_*`` environment variables (for
example FACERIGHTS_SECRET_KEY) or from ``<instance>/config.py``.
"""
from __future__ import annotations

import os
from datetime import timedelta

from .law.deadlines import POSTAL_DAYS
from .letters.photo import MAX_PHOTO_BYTES


# gunicorn's access log, one line per request. Never the query string, the body,
# a cookie or the user agent; the client address only when the host opts in
# (FACERIGHTS_ACCESS_LOG_ADDRESSES=true), which its privacy notice must then say.
# gunicorn.conf.py and the app (the /privacy page) both read these.
ACCESS_LOG_ADDRESSES_VARIABLE = "FACERIGHTS_ACCESS_LOG_ADDRESSES"
ACCESS_LOG_FORMAT = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
ACCESS_LOG_FORMAT_WITH_ADDRESSES = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


def as_flag(value) -> bool:
    """A yes/no setting from a bool, or from the text of an environment variable.
    Anything else is refused: a typo must not silently log addresses, or silently not."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def access_log_addresses(environ=os.environ) -> bool:
    return as_flag(environ.get(ACCESS_LOG_ADDRESSES_VARIABLE, "false"))


def access_log_format(with_addresses: bool) -> str:
    return ACCESS_LOG_FORMAT_WITH_ADDRESSES if with_addresses else ACCESS_LOG_FORMAT


class DefaultConfig:
    # None means: a random key per process start (fine for one instance; see README).
    SECRET_KEY = None
    # Keys that were SECRET_KEY before a rotation: answers encrypted with them are still read (app/keys.py).
    SECRET_KEY_FALLBACKS = []
    # Answers are forgotten this long after the visit began (and when the browser closes).
    STATE_MAX_AGE = timedelta(hours=2)
    SESSION_COOKIE_NAME = "facerights"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (FACERIGHTS_SESSION_COOKIE_SECURE=true)
    # A photo of up to 8 MB plus the form around it.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_PHOTO_BYTES = MAX_PHOTO_BYTES
    # A letter PDF uploaded to continue a request (ours are 15-150 KB; with a photo under 1 MB).
    MAX_LETTER_UPLOAD_BYTES = 2 * 1024 * 1024
    # Days a posted letter takes to reach a company, by its country ("*": any other), for the deadlines.
    POSTAL_DAYS = POSTAL_DAYS
    BABEL_DEFAULT_LOCALE = "en"
    # The catalogs and language files (translations/<code>/); None: the ones shipped with the code.
    TRANSLATIONS_FOLDER = None
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The app logs no request data at any level; DEBUG only adds start-up details.
    LOG_LEVEL = "INFO"
    # Whether gunicorn's access log records the client address (see ACCESS_LOG_FORMAT above).
    ACCESS_LOG_ADDRESSES = False
    # Who runs this instance; shown in the page footer.
    HOST_NAME = "FaceRights"
    # Who may frame the wizard (CSP frame-ancestors), e.g. "https://ngo.example".
    FRAME_ANCESTORS = "'none'"
    # Rate limits per client address (Flask-Limiter syntax). Use a shared store,
    # e.g. RATELIMIT_STORAGE_URI = "redis://localhost:6379", when several instances run.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_DEFAULT = "120 per minute"
    RATELIMIT_HEADERS_ENABLED = False
    # A shared store (Redis) that does not answer must not take the pages down: each worker then counts
    # in memory until it is back, and /healthz says "degraded" (app/health.py).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LETTER_RATE_LIMIT = "10 per minute; 60 per hour"
    # A letter that takes longer than this to render is abandoned (seconds).
    RENDER_TIME_LIMIT = 10
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
    TRUSTED_PROXIES = 0
    # Serve campaign counts on /metrics to a scraper that sends "Authorization: Bearer <token>"
    # (at least 32 characters). None: no /metrics, nothing counted (see app/metrics.py).
    METRICS_TOKEN = None
    # Host names this instance answers to, e.g. FACERIGHTS_TRUSTED_HOSTS='["letters.ngo.example"]';
    # requests for any other Host get a 400. None accepts any (the app builds no absolute URL).
    TRUSTED_HOSTS = None
    # Extra company records, overriding shipped ones by slug (default <instance>/companies).
    COMPANIES_FOLDER = None

    # --- The host's identity (issue 13), checked at start-up by app/host/settings.py ---
    # A PNG, JPEG or WebP file in the instance folder, shown before HOST_NAME (e.g. "logo.png").
    HOST_LOGO = None
    # The header colour, "#rrggbb", dark enough for white text on it (contrast 4.5:1).
    HOST_ACCENT_COLOUR = None
    # Links in the footer of every page: https://..., http://... or mailto:...
    HOST_PRIVACY_URL = None
    HOST_IMPRINT_URL = None
    HOST_CONTACT_URL = None
    # The supervisory authority responsible for the host, named on /privacy.
    HOST_SUPERVISORY_AUTHORITY = None
    HOST_SUPERVISORY_AUTHORITY_URL = None
    # The host's data protection officer, where it has one (Art. 13(1)(b)): https://... or mailto:...
    HOST_DPO_CONTACT = None
    # How many days the host keeps its server logs, stated on /privacy (None: not stated).
    HOST_LOG_RETENTION_DAYS = None
    # A short plain text on the start page per page language, e.g. {"en": "...", "de": "..."}.
    HOST_WELCOME = None
    # An organisation that represents people before the supervisory authority (Art. 80(1) GDPR): its name
    # (and address, one line) is offered as representative in complaints. None: no representation offered.
    HOST_REPRESENTATIVE = None
    # The companies offered, by slug, e.g. ["clearview-ai"] for a campaign (None: all).
    COMPANIES_SHOWN = None
