"""Each language's behaviour in the letters, as data: translations/<code>/language.json.

Besides its catalog (messages.po), a language is: the official GDPR terms its letters must use (the tests
check every letter against them), the words of its article citations (kept on one line by the no-break
spaces of letters/render.py), how it writes a long date, how its legal texts letter the points of an
article, and whether a native-speaking lawyer has reviewed it. No code names a language, so adding one is
its catalog plus this file. The format is language.schema.json beside this module; README explains it.

Plain data, no Flask: the app, the tests and scripts/translations.sh all read it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import jsonschema
from babel import Locale, UnknownLocaleError

# The language the texts are written in: always offered, and it has a language file like every other.
SOURCE_LANGUAGE = "en"
LANGUAGE_FILE = "language.json"
SCHEMA = json.loads(Path(__file__).with_name("language.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


class LanguageFileError(ValueError):
    """A language file is missing or malformed; the message names the file and each problem, one a line."""


@dataclass(frozen=True)
class Citation:
    part_words: tuple[str, ...]
    conjunctions: tuple[str, ...]
    abbreviations: tuple[str, ...]


@dataclass(frozen=True)
class Dates:
    locale: str  # CLDR locale of the long dates
    first_of_month: str | None  # written instead of the day 1 ("1er"), or None
    suffix: str  # after every long date ("\u00a0r."), or ""


@dataclass(frozen=True)
class Language:
    code: str
    glossary: Mapping[str, str]
    citation: Citation
    dates: Dates
    ordered_list_markers: tuple[str, ...] | None  # None: a., b., c.
    lawyer_reviewed: bool


def catalog_codes(folder: Path) -> list[str]:
    """The source language, then every language with a catalog in ``folder``, by code."""
    found = {path.parent.parent.name for path in folder.glob("*/LC_MESSAGES/messages.po")}
    return [SOURCE_LANGUAGE] + sorted(found - {SOURCE_LANGUAGE})


def load(folder: Path | str) -> Mapping[str, Language]:
    """Every language of ``folder`` with its file read and checked, once per folder.

    Raises LanguageFileError listing every problem of every file: the app refuses to start with one."""
    return _load(str(folder))


@lru_cache(maxsize=None)  # by the folder's name as given: every gettext call of a letter asks for its language
def _load(folder_name: str) -> Mapping[str, Language]:
    folder = Path(folder_name)
    problems: list[str] = []
    languages = {}
    codes = catalog_codes(folder)
    for code in codes:
        try:
            languages[code] = read(code, folder / code / LANGUAGE_FILE)
        except LanguageFileError as error:
            problems.append(str(error))
    for orphan in sorted(set(path.parent.name for path in folder.glob(f"*/{LANGUAGE_FILE}")) - set(codes)):
        problems.append(f"{folder / orphan / LANGUAGE_FILE}: there is no catalog {orphan}/LC_MESSAGES/messages.po "
                        "beside it")
    if problems:
        raise LanguageFileError("\n".join(problems))
    return MappingProxyType(languages)


def read(code: str, path: Path) -> Language:
    """One language file, checked against the schema and against Babel's locale data."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LanguageFileError(f"{path}: missing; every language needs one beside its catalog "
                                "(README, 'Adding a language')") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LanguageFileError(f"{path}: not readable JSON ({error})") from None
    problems = [f"{'/'.join(map(str, error.absolute_path)) or '(file)'}: {error.message}"
                for error in sorted(_VALIDATOR.iter_errors(data), key=lambda error: list(error.absolute_path))]
    if not problems:
        problems = _meaning_problems(code, data)
    if problems:
        raise LanguageFileError("\n".join(f"{path}: {problem}" for problem in problems))
    return _language(code, data)


def _meaning_problems(code: str, data: dict) -> list[str]:
    """What the schema cannot say: Babel knows the language and the date locale, and the glossary's
    abbreviation is one that the citations protect."""
    problems = []
    for where, name in (("(folder name)", code), ("dates/locale", data["dates"]["locale"])):
        try:
            Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            problems.append(f"{where}: {name!r} is not a locale Babel (CLDR) knows")
    abbreviation = data["glossary"]["abbreviation"]
    if abbreviation not in data["citation"]["abbreviations"]:
        problems.append(f"citation/abbreviations: must include the glossary's abbreviation {abbreviation!r}")
    return problems


def _language(code: str, data: dict) -> Language:
    citation, dates, markers = data["citation"], data["dates"], data["ordered_list_markers"]
    return Language(
        code=code,
        glossary=MappingProxyType(dict(data["glossary"])),
        citation=Citation(part_words=tuple(citation["part_words"]), conjunctions=tuple(citation["conjunctions"]),
                          abbreviations=tuple(citation["abbreviations"])),
        dates=Dates(locale=dates["locale"], first_of_month=dates["first_of_month"], suffix=dates["suffix"]),
        ordered_list_markers=tuple(markers) if markers is not None else None,
        lawyer_reviewed=data["lawyer_reviewed"])


POINT_SUFFIX = ")"  # after the marker of each point: α) β) γ)


def points_counter_style(name: str, markers: tuple[str, ...]) -> str:
    """The CSS counter style that letters points with ``markers`` followed by ")": α) β) γ). The schema
    allows only letters as markers, so they need no escaping."""
    symbols = " ".join(f'"{marker}"' for marker in markers)
    return f'@counter-style {name} {{ system: fixed; symbols: {symbols}; suffix: "{POINT_SUFFIX} "; }}'


def points_marker_content(name: str) -> str:
    """A letter's list marker for these points, as letter.css sets its markers out: the point's marker,
    its suffix, and a tab to the item's text (``counter()`` leaves the counter style's suffix out)."""
    return f'counter(list-item, {name}) "{POINT_SUFFIX}\\9"'


def not_reviewed(folder: Path) -> list[str]:
    """Codes of the languages whose letters no native-speaking lawyer has reviewed yet."""
    return [code for code, language in load(folder).items() if not language.lawyer_reviewed]


# --- for people adding a language: scripts/translations.sh runs these -----------------------------------------

README_START = "<!-- languages: made from translations/*/language.json by: sh scripts/translations.sh readme -->"
README_END = "<!-- /languages -->"


def readme_block(folder: Path) -> str:
    """README's list of the languages, and of those whose letters await a native-speaking lawyer's review."""
    def names(codes) -> str:
        return ", ".join(f"{Locale.parse(code).get_display_name('en')} ({code})" for code in codes) or "none"
    return "\n".join([
        README_START,
        f"Languages of the pages and the letters: {names(load(folder))}.",
        "",
        f"Letters that no native-speaking lawyer has reviewed yet: {names(not_reviewed(folder))}.",
        README_END])


def update_readme(readme: Path, folder: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    readme.write_text(text[:start] + readme_block(folder) + text[end:], encoding="utf-8")


def skeleton() -> dict:
    """A new language file: every field there, empty, so that the app names each one until it is filled in."""
    return {"glossary": dict.fromkeys(SCHEMA["properties"]["glossary"]["required"], ""),
            "citation": {"part_words": [], "conjunctions": [], "abbreviations": []},
            "dates": {"locale": "", "first_of_month": None, "suffix": ""},
            "ordered_list_markers": None,
            "lawyer_reviewed": False}
