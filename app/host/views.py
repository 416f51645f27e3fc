"""The host's logo and colour, served like every other response (same strict headers), and /privacy."""
from __future__ import annotations

from flask import Response, abort, current_app, render_template

from . import bp
from ..i18n import spoken_duration
from .notice import notice_facts


def host_settings():
    return current_app.extensions["facerights.host"]


@bp.get("/host/logo")
def logo():
    logo = host_settings().logo or abort(404)
    return Response(logo.data, mimetype=logo.mimetype)


@bp.get("/host.css")
def stylesheet():
    # The colour was checked to be #rrggbb at start-up: nothing else can reach this stylesheet.
    colour = host_settings().accent_colour or abort(404)
    return Response(f":root {{ --host-accent: {colour}; --host-tagline: #fff; }}\n", mimetype="text/css")


bp.add_app_template_filter(spoken_duration, "duration")


@bp.get("/privacy")
def privacy():
    return render_template("host/privacy.html", facts=notice_facts(current_app._get_current_object()))
