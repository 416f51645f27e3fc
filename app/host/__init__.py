"""The host's identity (name, logo, colour, links, welcome text, companies shown) and its privacy notice."""
from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, Flask
from flask_babel import get_locale

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
    app.context_processor(lambda: {"host": settings, "campaign_companies": campaign_companies(app, settings)})
    app.register_blueprint(bp)
    return settings


def campaign_companies(app: Flask, settings: HostSettings) -> str | None:
    """For a campaign (COMPANIES_SHOWN), the companies it offers as the page language lists them
    ("Clearview AI and Lenso.ai"), so that no page names a company it does not offer; None otherwise."""
    if not settings.companies_shown:
        return None
    brands = [company.brand for company in app.extensions["facerights.registry"]]
    return format_list(brands, locale=str(get_locale()))
