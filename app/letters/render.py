"""Letter HTML from a Letter, in the letter's own language.

The letter templates have their own Jinja environment: autoescaping always on,
and StrictUndefined so that a misspelt variable fails in tests instead of
printing nothing in somebody's legal letter.
"""
from __future__ import annotations

import re
from datetime import date

import flask_babel
from babel import Locale
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

# A citation must not break across lines: "Article 15(1)(e) GDPR", "Art. 17 Abs. 1
# lit. d DSGVO", "article 17, paragraphe 1, point d), du RGPD", "άρθρο 15 παρ. 1
# στοιχ. ε) ΓΚΠΔ". No-break spaces go after the words that name a part of an
# article, between a number and such a word, before the regulation's abbreviation
# (%(gdpr)s until the law's name is filled in), and a word joiner between ")(".
# Only our own texts get them: Jinja fills in the variables (the person's answers)
# after these calls.
_CITATION_WORDS = (
    r"Article|Articles|article|articles|Art\.|art\.|Artikel|artikel|articolo|articoli|artículo|artículos"
    r"|άρθρο|άρθρου|άρθρα|Abs\.|UAbs\.|lit\.|Satz|paragraphe|paragrafo|apartado|lid|ust\.|pkt|παρ\.|στοιχ\."
    r"|point|lettera|letra|onder|zdanie|du|del|della")
_CONJUNCTIONS = r"and|und|et|en|e|y|i|oraz|και"
_ABBREVIATIONS = r"%\(gdpr\)s|GDPR|DSGVO|RGPD|AVG|ΓΚΠΔ|RODO"
_AFTER_WORD = re.compile(rf"(?<![\w.])({_CITATION_WORDS}) (?=[\w(%])")
_BEFORE_WORD = re.compile(rf"(?<=[\w),]) (?=(?:{_CITATION_WORDS}|{_ABBREVIATIONS})(?![\w]))")
_CONJUNCTION = re.compile(rf"(?<![\w.])({_CONJUNCTIONS}) (?=[(\d])")


def keep_citations_together(text: str) -> str:
    """"Article 15(1)(e)", "Art. 15 Abs. 1", "art. 17": no line break inside."""
    text = _AFTER_WORD.sub("\\1\u00a0", text.replace(")(", ")\u2060("))
    text = _CONJUNCTION.sub("\\1\u00a0", text)
    return _BEFORE_WORD.sub("\u00a0", text)


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


def letter_date(day: date, language: str) -> str:
    """A date as a letter in ``language`` writes it: "1 December 2026" (British), "1er décembre 2026",
    "1 grudnia 2026 r."."""
    text = format_date(day, "long", locale="en_GB" if language == "en" else language)
    if language == "fr" and day.day == 1:
        text = "1er" + text[1:]
    if language == "pl":
        text += "\u00a0r."
    return text


# What surely fits on the 7 pt return line above the address window (80 mm), wide letters included.
RETURN_LINE_CHARACTERS = 60


def shorten(text: str, limit: int) -> str:
    """``text`` cut at the last whole word that fits, with a visible ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,") + "…"


def money(amount: float, currency: str, language: str) -> str:
    """A whole amount with the ISO code where the language puts its currency sign: "EUR 20,000,000",
    "20 000 000 EUR" (CLDR's currency pattern of the language tells which side)."""
    symbol_first = Locale.parse(language).currency_formats["standard"].pattern.startswith("¤")
    pattern = "¤¤\u00a0#,##0" if symbol_first else "#,##0\u00a0¤¤"
    return format_currency(amount, currency, pattern, locale=language, currency_digits=False)


_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
# A page shows the letter under its own h1 and a step's h2 ("2. Read it before you send it"):
# the letter's h1 becomes an h3 and its sections h4, one level below the page's.
PREVIEW_HEADING_SHIFT = 2
_HEADING_TAG = re.compile(r"<(/?)h([1-4])\b")


def preview_markup(html: str) -> Markup:
    """The body of a letter's HTML (render_letter_html), for showing the letter inside a web page.

    The same templates and texts as the PDF; only the <head> (the print stylesheet's page
    footers) is left out, and headings move PREVIEW_HEADING_SHIFT levels down, under the page's
    h1 and h2. Every answer in it was escaped by the letter templates, so the markup can be
    embedded as is.
    """
    body = _BODY.search(html)
    if body is None:
        raise ValueError("the letter has no body")
    return Markup(_HEADING_TAG.sub(lambda match: f"<{match[1]}h{int(match[2]) + PREVIEW_HEADING_SHIFT}",
                                   body.group(1)))


def render_letter_html(letter: Letter) -> str:
    """Render inside an app context; the caller need not set the locale."""
    language = letter.language
    law = letter.law
    with flask_babel.force_locale(language):
        return _environment.get_template(letter.template_name).render(
            letter=letter,
            company=letter.company,
            person=letter.person,
            law=law,
            coverage=letter.coverage,
            # "UK GDPR" stays on one line.
            gdpr=str(law.abbreviation).replace(" ", "\u00a0"),
            regulation=str(law.full_name),
            long_date=lambda day: letter_date(day, language),
            money=lambda amount, currency: money(amount, currency, language),
            country_name=lambda code: country_names(language).get(code, code),
            shorten=shorten, return_line_characters=RETURN_LINE_CHARACTERS,
            page_counter_css=page_counter_css,
            css_string=css_string,
            language_name=lambda code: Locale.parse(code).get_display_name(language),
        )
