"""Default configuration: everything works with no environment variable set.

Production overrides come from ``FACERIGHTS_*`` environment variables (for
example FACERIGHTS_SECRET_KEY) or from ``<instance>/config.py``.
"""
from __future__ import annotations

from datetime import timedelta

from .letters.photo import MAX_PHOTO_BYTES


class DefaultConfig:
    # None means: a random key per process start (fine for one instance; see README).
    SECRET_KEY = None
    # Answers are forgotten after this long without a page being loaded.
    STATE_MAX_AGE = timedelta(hours=2)
    SESSION_COOKIE_NAME = "facerights"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (FACERIGHTS_SESSION_COOKIE_SECURE=true)
    # A photo of up to 8 MB plus the form around it.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_PHOTO_BYTES = MAX_PHOTO_BYTES
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The app logs no request data at any level; DEBUG only adds start-up details.
    LOG_LEVEL = "INFO"
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
    LETTER_RATE_LIMIT = "10 per minute; 60 per hour"
    # A letter that takes longer than this to render is abandoned (seconds).
    RENDER_TIME_LIMIT = 10
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
    TRUSTED_PROXIES = 0
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
    # How many days the host keeps its server logs, stated on /privacy (None: not stated).
    HOST_LOG_RETENTION_DAYS = None
    # A short plain text on the start page per page language, e.g. {"en": "...", "de": "..."}.
    HOST_WELCOME = None
    # The companies offered, by slug, e.g. ["clearview-ai"] for a campaign (None: all).
    COMPANIES_SHOWN = None
