"""FaceRights: a wizard that writes GDPR access and erasure letters to face-search companies."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import Flask, Request
from flask_babel import Babel, get_locale
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Map

from . import i18n, languages
from .case.timeline import Clock, Timeline
from .commands import register_commands
from .config import DefaultConfig
from .errors import register_error_handlers
from .host import init_host
from .host.startup import checked_settings
from .health import bp as health_bp, is_machine_path
from .keys import InsecureSecretKey  # noqa: F401  (for callers)
from .limits import init_rate_limits
from .metrics import init_metrics
from .security import set_security_headers
from .state import EncryptedCookieStateInterface, answers_lifetime
from .version import VERSION

babel = Babel()
log = logging.getLogger(__name__)


# The Host a local health check or Prometheus scrape sends (http://127.0.0.1:8001/healthz). Not [::1]:
# Werkzeug cannot match an IPv6 address in TRUSTED_HOSTS.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class InMemoryRequest(Request):
    """Uploads stay in memory (bounded by MAX_CONTENT_LENGTH): Werkzeug's default
    spools any file over 500 KB to a temporary file on disk, and a photo of a
    face must never touch the disk."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()

    @property
    def trusted_hosts(self):
        """TRUSTED_HOSTS (Flask sets it from the setting), plus the loopback names for /healthz and
        /metrics: a health check or a scrape on the instance's own port must never get a 400."""
        hosts = self.__dict__.get("_trusted_hosts")
        if hosts is not None and is_machine_path(self.path):
            return [*hosts, *LOOPBACK_HOSTS]
        return hosts

    @trusted_hosts.setter
    def trusted_hosts(self, hosts):
        self.__dict__["_trusted_hosts"] = hosts


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
    translations = Path(app.config["TRANSLATIONS_FOLDER"] or i18n.TRANSLATIONS)
    app.config["TRANSLATIONS_FOLDER"] = app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    # Refuses to start with a missing or malformed language file, naming the file and each problem.
    language_files = languages.load(translations)
    app.config.setdefault("LANGUAGES", i18n.available_locales(translations))
    if unknown := [code for code in app.config["LANGUAGES"] if code not in language_files]:
        raise languages.LanguageFileError(f"LANGUAGES: {', '.join(unknown)} has no catalog and language file in "
                                          f"{translations}; languages there: {', '.join(language_files)}")
    babel.init_app(app, locale_selector=i18n.select_locale)

    # Every setting and record checked, every problem named at once (SettingsRefused).
    checked = checked_settings(app)
    app.session_interface = EncryptedCookieStateInterface()
    app.extensions["facerights.registry"] = checked.registry
    # One clock and one time engine for every date a page, a letter or a command states.
    app.extensions["facerights.clock"] = Clock(app.config["BABEL_DEFAULT_TIMEZONE"])
    app.extensions["facerights.timeline"] = Timeline(app.config["POSTAL_DAYS"])

    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        # Not X-Forwarded-Host: no page needs the host name, and TRUSTED_HOSTS checks the real one.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    app.after_request(set_security_headers)
    register_error_handlers(app)
    app.context_processor(lambda: {"current_locale": str(get_locale()), "host_name": app.config["HOST_NAME"],
                                   "language_choices": i18n.language_choices(app.config["LANGUAGES"]),
                                   "current_language_name": i18n.language_name(str(get_locale())),
                                   "answers_lifetime": answers_lifetime(app.config), "facerights_version": VERSION,
                                   # The limits a host can set, as the pages state them (never hard-coded).
                                   "max_photo": i18n.megabytes(app.config["MAX_PHOTO_BYTES"]),
                                   "max_letter_upload": i18n.megabytes(app.config["MAX_LETTER_UPLOAD_BYTES"])})
    app.add_url_rule("/letter-points.css", "letter_points_stylesheet", i18n.letter_points_stylesheet)
    # Dates as the page language writes them, British in English ("29 November 2026").
    app.jinja_env.filters["dateformat"] = i18n.format_page_date
    # Every page's "delete my answers" button needs a token, not only WTForms forms.
    app.jinja_env.globals["csrf_token"] = generate_csrf

    from .wizard import bp as wizard_bp
    app.register_blueprint(wizard_bp)
    from .followup import bp as followup_bp
    app.register_blueprint(followup_bp)
    init_host(app, checked.host)
    app.register_blueprint(health_bp)
    init_metrics(app)
    # A page must not expire before the answers it shows: the CSRF token lives as long as the answers.
    app.config["WTF_CSRF_TIME_LIMIT"] = int(answers_lifetime(app.config).total_seconds())
    init_rate_limits(app)
    register_commands(app)
    return app
