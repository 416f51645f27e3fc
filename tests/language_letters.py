"""Every available language, its language file, and its letters rendered once per test session.

The per-language tests take their languages from available_locales(), so a catalog and language file dropped
into translations/ are tested with no change here. Their letters come from the session fixture
``language_letters`` (conftest.py): each letter kind is laid out once per language and checked many ways.
"""
from __future__ import annotations

import re
import subprocess
from datetime import date
from functools import cached_property

import pytest

from app import languages
from app.case.model import Case, Person, reply, sent
from app.case.vocabulary import Situation, values
from app.i18n import TRANSLATIONS, available_locales
from app.law import authorities
from app.letters import letter_pdf
from app.letters.model import Letter, complaint_letter, follow_up_letter, new_request_letter
from conftest import REASON, pdf_text

LANGUAGES = available_locales()
LANGUAGE_FILES = languages.load(TRANSLATIONS)

# A letter laid out per language costs 0.3-0.5 s: ``-m "not per_language"`` leaves these tests out locally.
per_language = pytest.mark.per_language


def glossary(language: str):
    return LANGUAGE_FILES[language].glossary


JANA = Person(full_name="Jana Nováková", email="jana@example.cz", street="Hlavní 1", postcode="110 00",
              city="Praha", country="CZ", profile_urls=("https://example.cz/jana",))
REQUEST_DAY = date(2026, 11, 2)
SENT_DAY = date(2026, 11, 3)  # by post to the USA: received 17 November, due 17 December
REPLY_DAY = date(2026, 12, 10)
REPLY_REFERENCE = "DPO-4711"
TODAY = date(2026, 12, 21)
# "No answer by the extended date" is written after the extended period (announced 1 December): in March.
AFTER_THE_EXTENSION = date(2027, 3, 22)
REFERENCE = "FR-20261102-LANG01"
# Every situation that gets a letter.
FOLLOW_UPS = tuple(situation for situation in values(Situation) if Situation(situation).has_letter)

# The requests, from the longest to the shortest erasure letter: grounds of each.
REQUESTS = {
    "access": (),
    # To a company established in the Union (Lenso.ai, Wrocław): the letter argues Art. 3(1).
    "access-established": (),
    "erasure": ("unlawful-biometric", "objection"),
    "both": ("unlawful-biometric", "consent-withdrawn", "objection"),
    "erasure-objection": ("objection",),
}
# The follow-ups and the complaint answer the combined request ("both").
KINDS = (*REQUESTS, *FOLLOW_UPS, "complaint")


class Rendered:
    """One letter, its PDF and the texts read back from it."""

    def __init__(self, letter: Letter, pdf: bytes):
        self.letter = letter
        self.pdf = pdf

    @cached_property
    def text(self) -> str:
        return pdf_text(self.pdf)

    @cached_property
    def layout_lines(self) -> list[str]:
        """The lines as poppler lays them out (where each line really ends)."""
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=self.pdf, capture_output=True,
                              check=True).stdout.decode().splitlines()


class LanguageLetters:
    """``language_letters(language, kind)``: the letter of ``kind`` (KINDS) in ``language``, made once."""

    def __init__(self, app):
        self.app = app
        self.rendered: dict[tuple[str, str], Rendered] = {}

    def __call__(self, language: str, kind: str) -> Rendered:
        if (language, kind) not in self.rendered:
            letter = self.letter(language, kind)
            with self.app.app_context():
                self.rendered[language, kind] = Rendered(letter, letter_pdf(letter))
        return self.rendered[language, kind]

    def letter(self, language: str, kind: str) -> Letter:
        timeline = self.app.extensions["facerights.timeline"]
        if kind in REQUESTS:
            grounds = REQUESTS[kind]
            company = "lenso-ai" if kind == "access-established" else "clearview-ai"
            return new_request_letter(request_type=kind.split("-")[0], company=self.app.extensions[
                "facerights.registry"].get(company), person=JANA, language=language, date=REQUEST_DAY,
                reference=REFERENCE, grounds=grounds, objection_reason=REASON if "objection" in grounds else "")
        case = self.case(language, "incomplete" if kind == "complaint" else kind)
        if kind == "complaint":
            return complaint_letter(case, "incomplete", day=TODAY, timeline=timeline,
                                    authority=authorities.authority_for(JANA.country), language=language)
        day = AFTER_THE_EXTENSION if kind == Situation.EXTENDED_NO_ANSWER else TODAY
        return follow_up_letter(case, kind, day=day, channel="letter", timeline=timeline)

    def case(self, language: str, situation: str) -> Case:
        """The combined request ("both"), sent by post, and the company's reply for every situation but silence."""
        case = self.letter(language, "both").case.with_event(sent(SENT_DAY, "letter"))
        if situation == Situation.EXTENDED_NO_ANSWER:
            return case.with_event(reply(date(2026, 12, 1), Situation.EXTENSION_ANNOUNCED))
        if situation == Situation.NO_ANSWER:
            return case
        missing = ("copy", "recipients") if situation == Situation.INCOMPLETE else ()
        return case.with_event(reply(REPLY_DAY, situation, REPLY_REFERENCE, missing))


_LATIN = "abcdefghijklmnopqrstuvwxyz"


def cite(language: str, article: str, paragraph: str | None = None, point: str | None = None) -> str:
    """Art. ``article``(``paragraph``)(``point``) as the letters of ``language`` cite it, built from the glossary's
    own examples (Art. 77; Art. 15(3); Art. 17(1)(d)) with the numbers and the point exchanged: a new language
    needs nothing here. Points are lettered as its legal texts letter them (Greek δ for d)."""
    terms = glossary(language)
    markers = LANGUAGE_FILES[language].ordered_list_markers
    mark = (lambda letter: markers[_LATIN.index(letter)]) if markers else (lambda letter: letter)
    if point:
        example, old, new = terms["cite_unlawful"], ("17", "1", mark("d")), (article, paragraph, mark(point))
    elif paragraph:
        example, old, new = terms["cite_copy"], ("15", "3"), (article, paragraph)
    else:
        example, old, new = terms["cite_complaint"], ("77",), (article,)
    # Each number or point is found in the example wherever the language puts it (Slovenian names the point
    # first: "točka (d) člena 17(1)"), then all are exchanged at once, from the right.
    spans = []
    for before, after in zip(old, new):
        match = re.compile(rf"(?<!\w){re.escape(before)}(?!\w)").search(example)
        assert match, f"{language}: the glossary's {example!r} has no {before!r} where a citation puts it"
        spans.append((match.start(), match.end(), after))
    text = example
    for start, end, after in sorted(spans, reverse=True):
        text = text[:start] + after + text[end:]
    return text


_WORD = re.compile(r"[^\W\d_][\w-]*\.?")


def citation_pattern(language: str, article: str, paragraph: str | None = None, point: str | None = None) -> re.Pattern:
    """cite(), matched as the letters may inflect it: the numbers, points, punctuation and abbreviations exactly,
    each longer word by its first half ("artiklan" / "artiklassa", "άρθρο" / "άρθρου", "cikk" / "cikkének"),
    case ignored, any space. A new language's sentences need not repeat the glossary's grammatical case."""
    parts = []
    for match in re.finditer(rf"{_WORD.pattern}|\s+|.", cite(language, article, paragraph, point)):
        token = match.group()
        if token.isspace():
            parts.append(r"\s+")
        elif _WORD.fullmatch(token) and len(token) > 3 and not token.endswith(".") and not token.isupper():
            parts.append(re.escape(token[:max(3, len(token) // 2)]) + r"[\w-]*")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts), re.IGNORECASE)
