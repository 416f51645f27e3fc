"""Where the language switcher may send a person back to: a page of this site, nothing else.

Browsers and Werkzeug's Location encoding both drop tab, CR and LF and read a
backslash as a slash, so a value that merely *starts* like a path can still
leave the site (``/\t/evil.example`` becomes ``//evil.example``). Instead of
guessing every such normalisation, a target is accepted only when it is plain
(no whitespace, control or invisible character) and its path is one that this
site's own URL map answers with a page.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .steps import STEPS_BY_SLUG

# Endpoints that are not a page to return to: files, the language list and choice, and links that change the
# answers.
_NOT_PAGES = {"static", "letter_points_stylesheet", "host.stylesheet", "host.logo", "wizard.languages",
              "wizard.choose_language", "wizard.company_link", "wizard.deadline"}


def _is_plain(target: str) -> bool:
    return "\\" not in target and not any(
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
        for char in target)


def _is_page_of_this_site(path: str) -> bool:
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, arguments = adapter.match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return False
    if endpoint in _NOT_PAGES:
        return False
    return endpoint != "wizard.step" or arguments.get("slug") in STEPS_BY_SLUG


def safe_next_url(target: str | None) -> str:
    """``target`` if it is a page of this site (a path, optionally with a query), else the start page."""
    if target and _is_plain(target) and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not parts.fragment and _is_page_of_this_site(parts.path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("wizard.start")
