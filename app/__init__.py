"""FaceRights: a wizard that writes GDPR access and erasure letters to face-search companies."""
from __future__ import annotations

import io
import logging
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, Request
from flask_babel import Babel, get_locale
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Map

from . import i18n, languages
from .cli import register_commands
from .companies import SHIPPED_RECORDS, Registry
from .config import DefaultConfig, as_flag
from .errors import register_error_handlers
from .host import init_host
from .health import bp as health_bp
from .limits import init_rate_limits
from .metrics import init_metrics
from .security import set_security_headers
from .state import EncryptedCookieStateInterface

babel = Babel()
log = logging.getLogger(__name__)


class InMemoryRequest(Request):
    """Uploads stay in memory (bounded by MAX_CONTENT_LENGTH): Werkzeug's default
    spools any file over 500 KB to a temporary file on disk, and a photo of a
    face must never touch the disk."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


class RelativeOnlyMap(Map):
    """No routing redirects: Werkzeug builds them as absolute URLs from the Host header
    (or X-Forwarded-Host), so /company//x with Host: evil.example would redirect there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "merge_slashes": False, "strict_slashes": False})


class FaceRights(Flask):
    url_map_class = RelativeOnlyMap


def create_app(config: dict | None = None) -> Flask:
    app = FaceRights(__name__, template_folder=str(i18n.ROOT / "templates"), instance_relative_config=True)
    app.request_class = InMemoryRequest
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACERIGHTS")
    app.config.update(config or {})
    app.logger.setLevel(app.config["LOG_LEVEL"].upper())
    app.config["ACCESS_LOG_ADDRESSES"] = as_flag(app.config["ACCESS_LOG_ADDRESSES"])
    _ensure_secret_key(app)

    translations = Path(app.config["TRANSLATIONS_FOLDER"] or i18n.TRANSLATIONS)
    app.config["TRANSLATIONS_FOLDER"] = app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    # Refuses to start with a missing or malformed language file, naming the file and each problem.
    language_files = languages.load(translations)
    app.config.setdefault("LANGUAGES", i18n.available_locales(translations))
    if unknown := [code for code in app.config["LANGUAGES"] if code not in language_files]:
        raise languages.LanguageFileError(f"LANGUAGES: {', '.join(unknown)} has no catalog and language file in "
                                          f"{translations}; languages there: {', '.join(language_files)}")
    babel.init_app(app, locale_selector=i18n.select_locale)

    app.session_interface = EncryptedCookieStateInterface()
    companies_folder = Path(app.config["COMPANIES_FOLDER"] or Path(app.instance_path) / "companies")
    app.extensions["facerights.registry"] = Registry.load(SHIPPED_RECORDS, companies_folder)

    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        # Not X-Forwarded-Host: no page needs the host name, and TRUSTED_HOSTS checks the real one.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    app.after_request(set_security_headers)
    register_error_handlers(app)
    app.context_processor(lambda: {"current_locale": str(get_locale()), "host_name": app.config["HOST_NAME"],
                                   "language_choices": i18n.language_choices(app.config["LANGUAGES"]),
                                   "current_language_name": i18n.language_name(str(get_locale())),
                                   "answers_lifetime": _answers_lifetime(app)})
    app.add_url_rule("/letter-points.css", "letter_points_stylesheet", i18n.letter_points_stylesheet)
    # Dates as the page language writes them, British in English ("29 November 2026").
    app.jinja_env.filters["dateformat"] = i18n.format_page_date
    # Every page's "delete my answers" button needs a token, not only WTForms forms.
    app.jinja_env.globals["csrf_token"] = generate_csrf

    from .wizard import bp as wizard_bp
    app.register_blueprint(wizard_bp)
    from .followup import bp as followup_bp
    app.register_blueprint(followup_bp)
    init_host(app)
    app.register_blueprint(health_bp)
    init_metrics(app)
    # A page must not expire before the answers it shows: the CSRF token lives as long as the answers.
    app.config["WTF_CSRF_TIME_LIMIT"] = int(_answers_lifetime(app).total_seconds())
    init_rate_limits(app)
    register_commands(app)
    return app


def _answers_lifetime(app: Flask) -> timedelta:
    max_age = app.config["STATE_MAX_AGE"]
    return max_age if isinstance(max_age, timedelta) else timedelta(seconds=int(max_age))


# A key an attacker could guess from one captured cookie: too short, or too few different characters.
MIN_SECRET_KEY_BYTES = 32
MIN_SECRET_KEY_CHARACTERS = 10


class InsecureSecretKey(ValueError):
    """FACERIGHTS_SECRET_KEY is too weak to protect the answers: the app refuses to start."""


def _ensure_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if not key:
        # Fine for a single process (or gunicorn with preload_app): the key dies with it,
        # and so do the answers it protects. Several instances need a shared key.
        app.config["SECRET_KEY"] = secrets.token_urlsafe(32)
        log.warning("No FACERIGHTS_SECRET_KEY set: using a random key for this process.")
        return
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if len(text.encode()) < MIN_SECRET_KEY_BYTES or len(set(text)) < MIN_SECRET_KEY_CHARACTERS:
        raise InsecureSecretKey(
            "FACERIGHTS_SECRET_KEY is too short or too easy to guess: use at least 32 random characters, "
            "for example the output of: python3 -c \"import secrets; print(secrets.token_urlsafe(48))\"")
