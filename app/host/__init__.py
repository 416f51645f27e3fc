"""The host's identity (name, logo, colour, links, welcome text, companies shown) and its privacy notice."""
from __future__ import annotations

from flask import Blueprint, Flask

from .settings import HostSettings, SettingError, SettingsRefused  # noqa: F401  (SettingError: for callers)

bp = Blueprint("host", __name__)

from . import views  # noqa: E402,F401  (registers the routes)


def init_host(app: Flask, settings: HostSettings) -> HostSettings:
    """Offer the host's settings, checked at start-up (app/host/startup.py), to every page."""
    registry = app.extensions["facerights.registry"]
    app.config["HOST_NAME"] = settings.name
    if settings.companies_shown:
        # One restricted registry serves the company page, campaign links and the command line alike.
        app.extensions["facerights.registry"] = registry.restricted_to(settings.companies_shown)
    app.extensions["facerights.host"] = settings
    app.context_processor(lambda: {"host": settings})
    app.register_blueprint(bp)
    return settings
