"""Letter HTML from a Letter, in the letter's own language.

The letter templates have their own Jinja environment: autoescaping always on,
and StrictUndefined so that a misspelt variable fails in tests instead of
printing nothing in somebody's legal letter.
"""
from __future__ import annotations

import re

import flask_babel
from babel.dates import format_date
from babel.numbers import format_currency
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..i18n import ROOT, country_names
from .model import Letter

LETTER_TEMPLATES = ROOT / "templates" / "letters"

_environment = Environment(
    loader=FileSystemLoader(LETTER_TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.policies["ext.i18n.trimmed"] = True

# A citation such as "Article 15(1)(e)" must not break across lines: a word
# joiner (U+2060) between ")(" and a no-break space before "15(" forbid it.
# Only our own texts get them: Jinja fills in the variables (the person's
# answers) after these calls.
_CITATION_SPACE = re.compile(r"(?<=\b[Aa]rt\.) | (?=\d+\()")


def keep_citations_together(text: str) -> str:
    """"Article 15(1)(e)", "Art. 15 Abs. 1", "art. 17": no line break inside."""
    return _CITATION_SPACE.sub("\u00a0", text.replace(")(", ")\u2060("))


def _gettext(message: str) -> str:
    return keep_citations_together(flask_babel.gettext(message))


def _ngettext(singular: str, plural: str, number: int) -> str:
    return keep_citations_together(flask_babel.ngettext(singular, plural, number))


# flask_babel's gettext follows force_locale(), so the letter is translated
# into the letter language whatever the page language is.
_environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def css_string(text: str) -> Markup:
    """A CSS string literal that is safe inside <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return Markup(f'"{escaped}"')


def page_counter_css(label: str) -> Markup:
    """CSS content for a translated "Page {page} of {pages}" label, safe inside <style>."""
    parts = []
    marked = label.replace("{pages}", "\0#pages\0").replace("{page}", "\0#page\0")
    for piece in marked.split("\0"):
        if piece in ("#page", "#pages"):
            parts.append(f"counter({piece[1:]})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def render_letter_html(letter: Letter) -> str:
    """Render inside an app context; the caller need not set the locale."""
    language = letter.language
    with flask_babel.force_locale(language):
        return _environment.get_template(letter.template_name).render(
            letter=letter,
            company=letter.company,
            person=letter.person,
            long_date=lambda day: format_date(day, "long", locale=language),
            money=lambda amount, currency: format_currency(amount, currency, "¤¤\u00a0#,##0", locale=language,
                                                           currency_digits=False),
            country_name=lambda code: country_names(language).get(code, code),
            page_counter_css=page_counter_css,
            css_string=css_string,
        )
