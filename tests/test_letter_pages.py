"""Every letter kind in every language, each rendered once per session and checked many ways (issue 17):
no text on page 1 overlaps other text (N-M10), Polish dates end a sentence with one full stop (N-L1), the
catalog fixes (L6, N-L11), and the new legal terms in each language's official wording (each translations/<code>/language.json).
"""
import functools
import itertools
import re
import subprocess
from datetime import date
from html import unescape

import pytest

from app import create_app
from app.case.model import Person, reply, sent
from app.case.vocabulary import Situation, values
from app.law import authorities
from app.letters import letter_pdf
from app.letters.email import email_subject
from app.letters.model import complaint_letter, follow_up_letter, new_request_letter
from conftest import SECRET, pdf_text
from language_letters import LANGUAGES, glossary, per_language

DAY = date(2026, 11, 2)
SENT = date(2026, 11, 3)
TODAY = date(2026, 12, 21)
REFERENCE = "FR-20261102-K7Q2XM"
MARIA = Person(full_name="Maria Müller-Łęcka", email="maria@example.com", street="Hauptstraße 12", postcode="10115",
               city="Berlin", country="DE", profile_urls=("https://example.org/team/maria",))
# Request letters, every follow-up, and the complaint.
FOLLOW_UPS = tuple(situation for situation in values(Situation) if Situation(situation).has_letter)
KINDS = ("access", "erasure", "both") + FOLLOW_UPS + ("complaint",)


@pytest.fixture(scope="session")
def pages_app(tmp_path_factory):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET,
                       "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies"))})


def _request(app, language, request_type="both", company="clearview-ai", person=MARIA):
    # Clearview AI: two email addresses, and a letter sent by post and email, the longest information block.
    return new_request_letter(request_type=request_type, company=app.extensions["facerights.registry"].get(company),
                              person=person, language=language, date=DAY, reference=REFERENCE,
                              grounds=("unlawful-biometric",), channels=("letter", "email"))


@pytest.fixture(scope="session")
def rendered(pages_app):
    """The PDF of a letter kind in a language, rendered once for the whole session."""
    @functools.lru_cache(maxsize=None)
    def render(language: str, kind: str) -> bytes:
        if kind in ("access", "erasure", "both"):
            letter = _request(pages_app, language, kind)
        else:
            case = _request(pages_app, language).case.with_event(sent(SENT, "letter"))
            timeline = pages_app.extensions["facerights.timeline"]
            if kind == "complaint":
                letter = complaint_letter(case, "no-answer", day=TODAY, timeline=timeline,
                                          authority=authorities.authority_for("DE", postcode="10115"),
                                          language=language)
            else:
                if kind == "extended-no-answer":
                    case = case.with_event(reply(date(2026, 11, 20), "extension-announced"))
                elif kind != "no-answer":
                    case = case.with_event(reply(date(2026, 12, 10), kind, "REF-1",
                                                 ("copy", "recipients") if kind == "incomplete" else ()))
                letter = follow_up_letter(case, kind, day=TODAY, channel="letter", timeline=timeline)
        with pages_app.app_context():
            return letter_pdf(letter)
    return render


@pytest.fixture(scope="session")
def text_of(rendered):
    @functools.lru_cache(maxsize=None)
    def text(language: str, kind: str) -> str:
        return pdf_text(rendered(language, kind))
    return text


# --- N-M10: nothing on page 1 prints over anything else -------------------------------------------------

def page_1_layout(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def boxes(layout: str, element: str) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of each word or block, as poppler lays out page 1."""
    found = re.findall(rf'<{element} xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</{element}>',
                       layout, re.DOTALL)
    return [(" ".join(unescape(word) for word in re.findall(r">([^<>]*)</word>", body)) or unescape(body),
             *map(float, box)) for *box, body in found]


def intersecting(items) -> list[tuple[str, str]]:
    """Pairs whose boxes overlap by more than a hair: a font's ascent and descent make the boxes of lines
    that merely follow each other touch, never overlap by a quarter of a line."""
    pairs = []
    for a, b in itertools.combinations(items, 2):
        width = min(a[3], b[3]) - max(a[1], b[1])
        height = min(a[4], b[4]) - max(a[2], b[2])
        if width > 0.5 and height > 0.25 * min(a[4] - a[2], b[4] - b[2]):
            pairs.append((a[0][:50], b[0][:50]))
    return pairs


def test_the_overlap_check_finds_text_printed_over_text():
    """The check itself: two words at the same place intersect; two lines one below the other do not."""
    assert intersecting([("Εστάλη", 100, 270, 140, 280), ("Υπενθύμιση", 95, 272, 160, 283)])
    assert not intersecting([("Date", 100, 100, 120, 110), ("2 November", 100, 109.5, 150, 119.5)])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_overlaps_on_page_1(rendered, language, kind):
    layout = page_1_layout(rendered(language, kind))
    assert not intersecting(boxes(layout, "block")), (language, kind)
    assert not intersecting(boxes(layout, "word")), (language, kind)


def test_the_title_starts_below_a_long_information_block(rendered):
    """The Greek reminder of the review: its information block ends lower than the address field; the title
    follows it instead of a fixed place."""
    words = boxes(page_1_layout(rendered("el", "no-answer")), "word")
    email_bottom = max(box[4] for box in words if box[0].startswith("privacy-requests@clearview.ai"))
    title_top = min(box[2] for box in words if box[0] == "Υπενθύμιση:")
    assert title_top > email_bottom


# --- N-L1, L6, N-L11: the catalog fixes ------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_a_polish_date_ends_a_sentence_with_one_full_stop(text_of, kind):
    text = text_of("pl", kind)
    assert "r.." not in text and "r. ." not in text, kind
    if kind in FOLLOW_UPS:
        assert "3 listopada 2026 r. " in text  # the date the request was sent, then the next sentence


def test_the_polish_email_subject_says_moj_znak(pages_app):
    with pages_app.test_request_context():
        assert email_subject(_request(pages_app, "pl")) == \
            f"Żądanie dostępu i usunięcia danych (RODO), mój znak {REFERENCE}"


def test_the_french_final_notice_says_sans_autre_preavis(text_of):
    text = text_of("fr", "no-answer")
    assert "sans autre préavis" in text and "sans autre avis" not in text


# --- issue 17, point 3: the law of 2025-2026 in each language's official terms ---------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_erasure_letters_cite_the_ai_act_and_the_edpb_in_official_terms(text_of, language):
    terms = glossary(language)
    for kind in ("erasure", "both"):
        folded = text_of(language, kind).replace("- ", "-").casefold()
        missing = [terms[key] for key in ("cite_ai_act", "ai_act", "edpb") if terms[key].casefold() not in folded]
        assert not missing, (language, kind, missing)
        assert "2024/1689" in folded and ("10 February 2026" in text_of(language, kind)) == (language == "en")
    assert "2024/1689" not in text_of(language, "access")


@pytest.mark.parametrize("language", LANGUAGES)
def test_access_letters_cite_c_307_22_and_c_203_22(text_of, language):
    for kind in ("access", "both"):
        text = text_of(language, kind)
        for citation in ("C-307/22", "EU:C:2023:811", "C-203/22", "Dun & Bradstreet Austria", "EU:C:2025:117"):
            assert citation in text, (language, kind, citation)
    assert "C-307/22" not in text_of(language, "erasure")
    if language != "en":
        english = ["Court of Justice", "Artificial Intelligence Act", "European Data Protection Board",
                   "I need not give reasons", "Erasure means deleting"]
        leftovers = [phrase for kind in ("access", "erasure", "both") for phrase in english
                     if phrase in text_of(language, kind)]
        assert not leftovers, (language, leftovers)


@pytest.fixture(scope="session")
def us_resident_to_lenso(pages_app):
    """A person in the USA writing to Lenso.ai (Wrocław), once per language."""
    new_yorker = Person(full_name="Sam Smith", email="sam@example.com", street="1 Main Street", postcode="10001",
                        city="New York, NY", country="US")

    @functools.lru_cache(maxsize=None)
    def text(language: str) -> str:
        letter = _request(pages_app, language, "access", company="lenso-ai", person=new_yorker)
        with pages_app.app_context():
            return pdf_text(letter_pdf(letter))
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_us_resident_gets_the_art_3_1_reasoning_in_every_language(us_resident_to_lenso, language):
    """N-H4: the establishment in the Union brings the GDPR, whatever the person's residence (recital 14)."""
    terms = glossary(language)
    folded = us_resident_to_lenso(language).replace("- ", "-").casefold()
    missing = [terms[key] for key in ("cite_establishment", "recital", "abbreviation", "greeting")
               if terms[key].casefold() not in folded]
    assert not missing, (language, missing)
    assert "14" in folded


# --- issue 17, phase 2: the follow-ups and the complaint in every language ------------------------------
# (language_letters, conftest.py: the follow-ups and the complaint answer a "both" request to Clearview AI with
# every erasure ground; the complaint and the "incomplete" follow-up list a copy and the recipients as missing.)

# "zwróciłem(-am)", "opposé(e)", "opposto/a", "Datenschutzbeauftragte/r": a form, not a letter (N-L2).
GENDER_BRACKETS = re.compile(r"[^\W\d_]\(-?[^\W\d_]{1,4}\)|[^\W\d_]/[^\W\d_]{1,2}\b")
LETTERS_AFTER_THE_REQUEST = FOLLOW_UPS + ("complaint",)


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_follow_up_or_complaint_writes_gender_brackets(language_letters, language):
    found = {kind: GENDER_BRACKETS.findall(language_letters(language, kind).text) for kind in LETTERS_AFTER_THE_REQUEST}
    assert not {kind: forms for kind, forms in found.items() if forms}, language


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_last_missing_item_ends_its_list_with_a_full_stop(language_letters, language):
    """N-L8: each item ends with the language's separator (";", French " ;", Greek "·"), the last with a full stop."""
    for kind in ("incomplete", "complaint"):
        text = language_letters(language, kind).text
        # The recipients come last; the judgment ends the item ("…, Österreichische Post)" or "…, C-154/21)").
        assert re.search(r"(?:Österreichische\s+Post|C-154/21)\)\.", text), (language, kind)
        assert not re.search(r"(?:Österreichische\s+Post|C-154/21)\)\s*[;·\u0387]", text), (language, kind)


@per_language
@pytest.mark.parametrize("language, whose, ambiguous", [
    ("de", "In der Antwort des Unternehmens fehlen", ("Seine Antwort", "Seiner Antwort")),
    ("fr", "Il manque à la réponse de l'entreprise", ("Sa réponse", "sa réponse")),
    ("pl", "W odpowiedzi firmy brakuje", ("Jej odpowiedź", "jej odpowiedzi")),
])
def test_the_complaint_says_whose_answer_it_means(language_letters, language, whose, ambiguous):
    """N-L3: after "the request", a possessive could mean the request's answer."""
    text = language_letters(language, "complaint").text
    assert whose in text and not [phrase for phrase in ambiguous if phrase in text]


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_complaint_names_the_companys_country_in_the_complaints_language(language_letters, language):
    """N-L4."""
    from app.i18n import postal_country_name
    text = language_letters(language, "complaint").text
    assert f"New York, NY 10005, {postal_country_name('US', language)}" in text, language
