"""Which languages exist, and which one a request is answered in."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Response, current_app, has_app_context, request, session
from flask_babel import format_timedelta, get_locale

from . import languages

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"


def available_locales(folder: Path = TRANSLATIONS) -> list[str]:
    """English (the source language) plus every language with a catalog in ``folder``."""
    return languages.catalog_codes(folder)


def translations_folder() -> Path:
    """The running app's translations (its TRANSLATIONS_FOLDER), else the shipped ones."""
    return Path(current_app.config["TRANSLATIONS_FOLDER"]) if has_app_context() else TRANSLATIONS


def language_file(code: str) -> languages.Language:
    """How ``code`` behaves in the letters (translations/<code>/language.json)."""
    return languages.load(translations_folder())[code]


def select_locale() -> str:
    """The visitor's explicit choice, else their browser's, else the host's default."""
    supported = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    """A language's name in that language ("Deutsch", "Ελληνικά")."""
    return Locale.parse(code).get_display_name(code).capitalize()


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in codes]


# CLDR territory codes that are not countries a person can live in.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@lru_cache(maxsize=None)
def country_names(locale: str) -> dict[str, str]:
    """ISO 3166 alpha-2 code -> country name in ``locale``, sorted by name."""
    territories = Locale.parse(locale).territories
    names = {code: name for code, name in territories.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))


# Exceptionally reserved codes that CLDR names but the post does not know as countries: an address in the
# Canary Islands, or in Ceuta and Melilla, ends with "SPAIN" (UPU), not with the territory's name.
_POSTAL_COUNTRY = {"IC": "ES", "EA": "ES"}


def postal_country_name(code: str, locale: str) -> str:
    """The country line of an address in ``locale``: the country's name, "Spain" for the Canary Islands."""
    code = _POSTAL_COUNTRY.get(code, code)
    return country_names(locale).get(code, code)


def date_locale(code: str) -> str:
    """The CLDR locale for dates, from the language file: British English for English ("29 November 2026")."""
    return language_file(code).dates.locale


def format_page_date(day, format: str = "medium") -> str:
    return format_date(day, format, locale=date_locale(str(get_locale())))


def megabytes(size: int) -> str:
    """A size limit as the page language writes it: "2 MB", "1,5 MB"."""
    return f"{format_decimal(size / (1024 * 1024), format='#,##0.#', locale=str(get_locale()))}\u00a0MB"


def spoken_duration(duration: timedelta) -> str:
    """"2 hours", "90 minutes": in the page's language, in the largest unit that states it exactly."""
    seconds = int(duration.total_seconds())
    unit = next(unit for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
                if seconds % size == 0)
    # A threshold no value reaches makes Babel use exactly this unit, never a rounded larger one.
    return format_timedelta(duration, granularity=unit, threshold=10 ** 9)


def letter_points_stylesheet() -> Response:
    """The list markers of letter previews on the pages, for each language whose legal texts letter the
    points of an article in their own way (the PDF gets the same counter style in letters/_base.html).
    A stylesheet because the pages' Content-Security-Policy allows no inline style."""
    rules = []
    for code, language in languages.load(translations_folder()).items():
        if language.ordered_list_markers:
            name = f"legal-points-{code}"
            rules += [languages.points_counter_style(name, language.ordered_list_markers),
                      f".letter-preview:lang({code}) ol.items {{ list-style-type: {name}; }}"]
    return Response("".join(f"{rule}\n" for rule in rules), mimetype="text/css")
