"""Friendly error pages: never a stack trace, always in the visitor's language."""
from __future__ import annotations

import traceback

from flask import Response, current_app, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import gettext as _

from .i18n import megabytes, spoken_duration
from .limits import wait_before_retry
from werkzeug.exceptions import HTTPException


def _page(status: int, title: str, message: str, link: dict | None = None, headers: dict | None = None):
    if request_ctx.url_adapter is None:
        # A Host outside TRUSTED_HOSTS: no link of this site can be built, so no page either.
        return Response(f"{title}. {message}", status=status, mimetype="text/plain", headers=headers)
    return render_template("errors/error.html", title=title, message=message, link=link), status, headers or {}


def handle_http_error(error: HTTPException):
    if error.code == 404:
        return _page(404, _("Page not found"),
                     _("There is no page at this address. Check the address, or start from the beginning."))
    if error.code == 405:
        return _page(405, _("This page cannot be used like that"), _("Go back and use the buttons on the page."))
    if error.code == 413:
        return _too_large()
    if error.code == 429:
        return _too_many()
    if error.code is not None and error.code < 500:
        return _page(error.code, _("Something was wrong with that request"),
                     _("Go back and try again, or start from the beginning."))
    return handle_unexpected_error(error)


def _too_many():
    wait = wait_before_retry()
    if wait is None:
        return _page(429, _("Too many requests"),
                     _("You have made too many requests in a short time. Wait a minute, then try again."))
    return _page(429, _("Too many requests"),
                 _("You have made too many requests. Time to wait before you try again: at least %(duration)s.",
                   duration=spoken_duration(wait)),
                 headers={"Retry-After": str(int(wait.total_seconds()))})


def _too_large():
    """Only an upload can be this large: send the person back to the page it came from."""
    if request.endpoint == "followup.continue_request":
        return _page(413, _("The file is too large"),
                     _("The file you chose is too large to be a letter made by this service. Go back and choose "
                       "the PDF of your letter."),
                     link={"url": url_for("followup.continue_request"), "text": _("Choose your letter again")})
    back = url_for("followup.letter") if request.endpoint == "followup.letter" else url_for("wizard.download")
    return _page(413, _("The file is too large"),
                 _("The photo you chose is too large. Go back and choose a photo smaller than %(size)s.",
                   size=megabytes(current_app.config["MAX_PHOTO_BYTES"])),
                 link={"url": back, "text": _("Choose a smaller photo")})


def handle_unexpected_error(error: Exception):
    # Log where it failed, but not the exception's message: that can quote a person's answers.
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error("Unhandled %s at\n%s", type(original).__name__,
                             "".join(traceback.format_tb(original.__traceback__)))
    return _page(500, _("Sorry, something went wrong"),
                 _("Your answers have not been lost. Go back and try again in a moment."))


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
