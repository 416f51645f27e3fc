"""Letter HTML from a Letter, in the letter's own language.

The letter templates have their own Jinja environment: autoescaping always on,
and StrictUndefined so that a misspelt variable fails in tests instead of
printing nothing in somebody's legal letter.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import flask_babel
from babel import Locale
from babel.dates import DateTimePattern, get_date_format
from babel.numbers import format_currency
from markupsafe import Markup, escape
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..i18n import ROOT, country_names, language_file, postal_country_name
from ..languages import Citation, Language, points_counter_style, points_marker_content
from ..law.scope import UK_GDPR
from .model import Letter
from .return_line import return_line

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
# στοιχ. ε) ΓΚΠΔ", "15. cikk (1) bekezdés". No-break spaces go after the words that
# name a part of an article, between a number (or "15.") and such a word, before the
# regulation's abbreviation (%(gdpr)s until the law's name is filled in), and a word
# joiner between ")(". The words are each language's own (its language file's
# "citation"). Only our own texts get them: Jinja fills in the variables (the person's
# answers) after these calls.
GDPR_PLACEHOLDER = "%(gdpr)s"
# An ECLI ("EU:C:2023:811") may otherwise break after a colon: a word joiner after each one keeps it whole.
_ECLI = re.compile(r"\bEU:[CT]:\d{4}:\d+")
# A point's letter stays with the number before it ("artikel 17.1 d"), and a single letter with what it is
# hyphenated to ("d-liður", the case number "C-307/22"), in every language.
_POINT_AFTER_NUMBER = re.compile(r"(?<=\d) (?=[^\W\d_](?![\w-]))")
_LETTER_AND_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_])-(?=\w)")


def _alternatives(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _citation_patterns(citation: Citation) -> tuple[re.Pattern, re.Pattern, re.Pattern | None]:
    words = _alternatives(citation.part_words)
    abbreviations = _alternatives(citation.abbreviations + (GDPR_PLACEHOLDER,))
    after_word = re.compile(rf"(?<![\w.])({words}) (?=[\w(%])")
    before_word = re.compile(rf"(?:(?<=[\w),])|(?<=\d\.)) (?=(?:{words}|{abbreviations})(?![\w]))")
    conjunction = (re.compile(rf"(?<![\w.])({_alternatives(citation.conjunctions)}) (?=[(\d])")
                   if citation.conjunctions else None)
    return after_word, before_word, conjunction


@lru_cache(maxsize=None)
def _abbreviation_patterns(citation: Citation) -> tuple[re.Pattern, re.Pattern]:
    abbreviations = _alternatives(citation.abbreviations + (GDPR_PLACEHOLDER,))
    return re.compile(rf"({abbreviations})-(?=\w)"), re.compile(rf"(?<![\w-])({abbreviations}) (?=\d)")


def join_abbreviations(text: str, citation: Citation) -> str:
    """A word joiner after each hyphen inside the abbreviation ("tietosuoja-asetuksen") or before its inflected
    ending ("GDPR-a"), and a no-break space between an abbreviation that comes first and the article's number
    ("GDPR 15. cikk", "tietosuoja-asetuksen 15 artiklan"): a line could otherwise break there."""
    inflected, before_number = _abbreviation_patterns(citation)
    text = inflected.sub("\\1-\u2060", before_number.sub("\\1\u00a0", text))
    for abbreviation in citation.abbreviations:
        if "-" in abbreviation:
            text = text.replace(abbreviation, abbreviation.replace("-", "-\u2060"))
    return text


def keep_citations_together(text: str, language: str) -> str:
    """"Article 15(1)(e)", "Art. 15 Abs. 1", "art. 17": no line break inside. ``text`` is a catalog's
    message (before its placeholders are filled): the result is kept for the next letter, so never pass
    a person's answers here."""
    return _kept_together(text, language_file(language).citation)


# A letter asks for about sixty messages, each through a dozen regular expressions: a third of the
# time a letter's HTML takes. A worker serves a few hundred messages in each of its letters' languages.
@lru_cache(maxsize=4096)
def _kept_together(text: str, citation: Citation) -> str:
    after_word, before_word, conjunction = _citation_patterns(citation)
    text = after_word.sub("\\1\u00a0", text.replace(")(", ")\u2060("))
    if conjunction:
        text = conjunction.sub("\\1\u00a0", text)
    text = _ECLI.sub(lambda match: match.group(0).replace(":", ":\u2060"), text)
    text = _LETTER_AND_HYPHEN.sub("\\1-\u2060", _POINT_AFTER_NUMBER.sub("\u00a0", text))
    return join_abbreviations(before_word.sub("\u00a0", text), citation)


def _gettext(message: str) -> str:
    return keep_citations_together(flask_babel.gettext(message), str(flask_babel.get_locale()))


def _ngettext(singular: str, plural: str, number: int) -> str:
    return keep_citations_together(flask_babel.ngettext(singular, plural, number), str(flask_babel.get_locale()))


# flask_babel's gettext follows force_locale(), so the letter is translated
# into the letter language whatever the page language is.
_environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)


# The separator a list item ends with in the letter's language: ";" (French " ;"), Greek "·" (ano teleia).
_ITEM_SEPARATOR = re.compile(r"\s*[;\u00b7\u0387]\s*$")


def last_item(text: str) -> Markup:
    """A list item that ends its list: its separator becomes a full stop (N-L8). The items of a list whose
    length varies (what an answer left out) are translated each with its separator."""
    return Markup(_ITEM_SEPARATOR.sub(".", str(escape(text))))


_environment.filters["last_item"] = last_item


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


_DAY_FIELD = re.compile(r"%\(d+\)s")


def letter_date(day: date, language: str) -> str:
    """A date as a letter in ``language`` writes it (its language file's "dates"): "1 December 2026"
    (British), "1er décembre 2026", "1 grudnia 2026 r.". Never broken across lines ("1. / října 2026" is
    wrong in Czech and Slovak typography, and unclear in any language): its spaces are no-break spaces."""
    dates = language_file(language).dates
    pattern = get_date_format("long", locale=dates.locale)
    if day.day == 1 and dates.first_of_month:
        # The day field of the CLDR pattern, wherever the language puts it, becomes the special form.
        first = dates.first_of_month.replace("%", "%%")
        pattern = DateTimePattern(pattern.pattern, _DAY_FIELD.sub(lambda _: first, pattern.format))
    return (pattern.apply(day, Locale.parse(dates.locale)) + dates.suffix).replace(" ", "\u00a0")


def money(amount: float, currency: str, language: str) -> str:
    """A whole amount with the ISO code where the language puts its currency sign: "EUR 20,000,000",
    "20 000 000 EUR" (CLDR's currency pattern of the language tells which side)."""
    locale = language_file(language).dates.locale  # the country's own usage: pt_PT writes "20 000 000"
    symbol_first = Locale.parse(locale).currency_formats["standard"].pattern.startswith("¤")
    pattern = "¤¤\u00a0#,##0" if symbol_first else "#,##0\u00a0¤¤"
    return format_currency(amount, currency, pattern, locale=locale, currency_digits=False)


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


def period_citation(law, gdpr: str) -> str:
    """The provision that sets the period for the company's answer, cited in the letter's language."""
    if law is UK_GDPR:
        return "Article\u00a012A UK\u00a0GDPR"  # the UK GDPR exists in English only
    # Translators: cited where a letter says when the period for the company's answer runs.
    return keep_citations_together(flask_babel.gettext("Article 12(3) %(gdpr)s", gdpr=gdpr),
                                   str(flask_babel.get_locale()))


def sender_return_line(person, country: str):
    """The person's return line (app/letters/return_line.py), ``country`` named in the letter's language."""
    town = f"{person.postcode} {person.city}".strip()
    return return_line(person.full_name, person.street, person.address_line_2, town, country)


def render_letter_html(letter: Letter) -> str:
    """Render inside an app context; the caller need not set the locale."""
    language = letter.language
    law = letter.law
    with flask_babel.force_locale(language):
        # "UK GDPR" stays on one line.
        gdpr = str(law.abbreviation).replace(" ", "\u00a0").replace("-", "-\u2060")
        return _environment.get_template(letter.template_name).render(
            letter=letter,
            company=letter.company,
            person=letter.person,
            law=law,
            coverage=letter.coverage,
            gdpr=gdpr,
            # Where the period for an answer is set: Art. 12(3), in the UK Art. 12A since 5 February 2026 (DUAA).
            period=period_citation(law, gdpr),
            regulation=str(law.full_name),
            long_date=lambda day: letter_date(day, language),
            money=lambda amount, currency: money(amount, currency, language),
            country_name=lambda code: postal_country_name(code, language),
            return_line=lambda: sender_return_line(letter.person, postal_country_name(letter.person.country, language)),
            page_counter_css=page_counter_css,
            css_string=css_string,
            language_name=lambda code: Locale.parse(code).get_display_name(language),
            points_counter_style=points_style(language_file(language)),
        )


def points_style(language: Language) -> Markup | None:
    """The counter style "legal-points" of a language whose legal texts letter the points of an article in
    their own way (Greek α), β), γ)), and the markers of the letter's points in it; else None (a., b., c.)."""
    markers = language.ordered_list_markers
    if not markers:
        return None
    return Markup(f"{points_counter_style('legal-points', markers)}\n"
                  f"html ol.items > li::marker {{ content: {points_marker_content('legal-points')}; }}")
