"""The letters themselves: every element of the legal checklist, read back from the real PDF."""
import io
import re
import subprocess
from html import unescape
from datetime import date

import pytest
from pypdf import PdfReader

from app.letters import letter_pdf
from app.letters.model import Letter, Person
from app.letters.photo import prepare_photo
from conftest import REASON, SECRET, pdf_text

PERSON = Person(full_name="Maria Müller-Łęcka", email="maria@example.com", street="Hauptstraße 12",
                postcode="10115", city="Berlin", country="DE",
                profile_urls=("https://example.org/team/maria",))
DAY = date(2026, 11, 29)
REFERENCE = "FR-20261129-K7Q2XM"


def make_letter(app, request_type="access", company="clearview-ai", person=PERSON, grounds=(), reason="",
                photo=None, language="en"):
    return Letter(request_type=request_type, company=app.extensions["facerights.registry"].get(company),
                  person=person, language=language, date=DAY, reference=REFERENCE, grounds=tuple(grounds),
                  objection_reason=reason, photo=photo)


def render(app, **kwargs):
    with app.app_context():
        return letter_pdf(make_letter(app, **kwargs))


@pytest.fixture
def photo():
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (210, 160, 130)).save(buffer, format="JPEG")
    return prepare_photo(buffer.getvalue())


# Every letter: dated, referenced, sender, recipient, signature, page numbers, identity and scope.
COMMON = [
    "November 29, 2026", "My reference (please quote it) FR-20261129-K7Q2XM",
    "Maria Müller-Łęcka", "Hauptstraße 12", "10115 Berlin", "Germany", "maria@example.com",
    "Clearview AI, Inc.", "99 Wall Street #5730", "New York, NY 10005", "United States",
    "Attn: Data protection officer / privacy team",
    "Dear Sir or Madam,", "Yours faithfully,", "Page 1 of",
    "only if you have reasonable doubts about it (Article 12(6) GDPR)",
    "A copy of an identity document is not needed",
    "Article 12(2) GDPR",
    "https://example.org/team/maria",
    "(Article 3(2)(b) GDPR)", "You have not designated a representative in the Union (Article 27 GDPR)",
    "Autoriteit Persoonsgegevens (Netherlands), decision of May 16, 2024: fine of EUR 30,500,000",
    "Garante per la protezione dei dati personali (Italy), decision of February 10, 2022: fine of EUR 20,000,000",
    "within one month of receiving this request (Article 12(3) GDPR)",
    "free of charge (Article 12(5)",
    "I will lodge a complaint with the competent supervisory authority (Article 77 GDPR)",
]

ACCESS = [
    "Request for access to my personal data",
    "Please confirm whether or not you process personal data concerning me (Article 15(1) GDPR)",
    "a copy of all personal data concerning me that you process (Article 15(3) GDPR)",
    "every image of me that you hold",
    "the biometric templates, face vectors or other numerical representations of my face",
    "the web address (URL) from which each image was collected",
    "the purposes of the processing (Article 15(1)(a))",
    "biometric data (Article 15(1)(b) and Article 9(1))",
    "including law-enforcement and other public authorities",
    "(Article 15(1)(c))", "C-154/21",
    "the period for which my personal data will be stored", "(Article 15(1)(d))",
    "rectification or erasure of my personal data or restriction of their processing, and of the right to object",
    "(Article 15(1)(e))",
    "the right to lodge a complaint with a supervisory authority (Article 15(1)(f))",
    "information on the source of my personal data", "(Article 15(1)(g))",
    "automated decision-making, including profiling, and meaningful information about the logic involved",
    "(Article 15(1)(h) and Article 22(1) and (4))",
    "appropriate safeguards under Article 46 GDPR relating to the transfer (Article 15(2) GDPR)",
    "in a commonly used electronic form",
]

ERASURE = [
    "Request for erasure of my personal data under Article 17 GDPR",
    "Please erase, without undue delay, all personal data concerning me",
    "erasing the images alone is not enough",
    "backups, search indexes, caches",
    "Article 17(1)(d) GDPR: my personal data have been unlawfully processed.",
    "biometric data (Article 4(14) GDPR)", "prohibited by Article 9(1) GDPR",
    "None of the exceptions in Article 9(2) GDPR applies",
    "(Article 17(2) GDPR)", "(Article 19 GDPR)", "tell me who these recipients are",
    "name the exception in Article 17(3) GDPR on which you rely",
    "confirm the erasure to me in writing",
]

OBJECTION = [
    "Article 17(1)(c) GDPR: I object to the processing.",
    "Under Article 21(1) GDPR I object, on grounds relating to my particular situation",
    REASON,
    "restrict the processing of my data (Article 18(1)(d) GDPR)",
]


def assert_contains(text, phrases):
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"missing from the letter: {missing}"


def test_access_letter_has_every_checklist_element(app):
    text = pdf_text(render(app, request_type="access"))
    assert_contains(text, COMMON + ACCESS)
    # The information block names every address the email copy goes to (a line may wrap at a hyphen).
    assert "Also sent by email to legal-requests@clearview.ai, privacy-requests@clearview.ai" in text.replace("- ", "-")
    assert "Article 17(1)" not in text
    assert "If you need an image of my face to search your database, please tell me." in text


def test_erasure_letter_with_unlawful_processing(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric"]))
    assert_contains(text, COMMON + ERASURE)
    assert "Article 17(1)(c)" not in text and "Article 18(1)(d)" not in text
    assert "Article 15(1)(h)" not in text


def test_erasure_letter_with_objection(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric", "objection"], reason=REASON))
    assert_contains(text, COMMON + ERASURE + OBJECTION)
    assert "and objection under Article 21 GDPR" in text


def test_objection_alone(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["objection"], reason=REASON))
    assert_contains(text, OBJECTION)
    assert "Article 17(1)(d)" not in text


def test_combined_letter_asks_for_the_copy_first_then_erasure(app):
    text = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"]))
    assert_contains(text, COMMON + ACCESS[1:] + ERASURE[1:-1])
    assert "then the written confirmation of the erasure" in text
    assert "Part A: access (Article 15 GDPR)" in text and "Part B: erasure (Article 17 GDPR)" in text
    assert text.index("Part A") < text.index("Part B")
    assert "Please do not erase anything before I have received the copy" in text
    assert "(Article 18(1)(b) GDPR)" in text


def test_photo_is_enclosed_with_its_purpose_limited(app, photo):
    pdf = render(app, request_type="access", photo=photo)
    text = pdf_text(pdf)
    assert "I enclose a photograph of my face. I provide it solely so that you can find my data" in text
    assert "Please delete it, and anything derived from it" in text
    assert "Enclosure: photograph for the search only" in text
    images = {image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    assert len(images) == 1


def test_company_without_postal_address_gets_email_and_web_form_in_the_address_field(app):
    text = pdf_text(render(app, company="pimeyes"))
    assert "PimEyes" in text
    assert "By email: office@pimeyes.com" in text
    # The URL may wrap at a hyphen.
    assert "Via the web form: https://pimeyes.com/en/opt-out-request-form" in text.replace("- ", "-")


def test_eu_company_and_joint_controller(app):
    text = pdf_text(render(app, company="lenso-ai"))
    assert "ul. Grabiszyńska 186/2B/4" in text and "53-235 Wrocław" in text
    assert "Your company is established in the European Union, so the GDPR applies to this processing (Article 3(1) GDPR)." in text
    assert "This request also concerns EYEMATCH AI PTE. LTD." in text and "(Article 26(3) GDPR)" in text
    assert "Article 3(2)(b)" not in text
    assert "Supervisory authorities have already found" not in text


def test_pdf_metadata_and_tagging(app):
    reader = PdfReader(io.BytesIO(render(app, request_type="erasure", grounds=["unlawful-biometric"])))
    assert reader.metadata.title == "Request for erasure of my personal data under Article 17 GDPR – Clearview AI, Inc."
    assert reader.metadata.author == "Maria Müller-Łęcka"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert all("LetterSerif" in font or "Letter-Serif" in font or "NotoSerif" in font for font in fonts), fonts


def test_page_numbers_count_all_pages(app):
    pdf = render(app, request_type="both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()
        assert REFERENCE in page.extract_text()


def word_boxes(pdf: bytes, page: int = 1) -> list[tuple[str, float, float]]:
    """(word, x, y) in millimetres from the top-left corner of the page, read by poppler's pdftotext."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    to_mm = 25.4 / 72
    return [(unescape(word), float(x) * to_mm, float(y) * to_mm)
            for x, y, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>([^<]*)</word>', html)]


@pytest.mark.parametrize("language", ["en", "de", "fr", "nl", "it", "el", "es", "pl"])
def test_recipient_sits_in_the_envelope_window(app, language):
    """DIN 5008 form B: the address field is 20-105 mm from the left, 45-90 mm from the top of page 1."""
    boxes = word_boxes(render(app, language=language))
    for word in ["Clearview", "Wall", "10005", "United"]:
        x, y = next((x, y) for text, x, y in boxes if text == word)
        assert 20 <= x <= 105 and 45 <= y <= 90, (word, x, y)
    # The last recipient line stays clear of the window's bottom edge; the letter starts below it.
    assert max(y for text, x, y in boxes if text == "United") < 86


HOSTILE = [
    '<img src="{base}/img.png">',
    '<img src="file:///etc/passwd">',
    "{{{{7*7}}}} {{% raw %}}",
    "<style>@import url({base}/import.css);</style>",
    "x</style><link rel=stylesheet href={base}/link.css><link rel=attachment href=file:///etc/passwd>",
    "a {{ background: url({base}/bg.png) }} @import '{base}/i.css';",
    '<svg><image href="{base}/svg.png"/></svg>',
]


@pytest.mark.parametrize("template", HOSTILE)
def test_injected_markup_in_any_field_is_printed_literally_and_fetches_nothing(app, canary, template):
    base, hits = canary
    hostile = template.format(base=base)
    person = Person(full_name="Eve " + hostile, email="eve@example.com", street=hostile, postcode="1000",
                    city=hostile, country="BE", profile_urls=(f"{base}/profile?<b>x</b>",))
    pdf = render(app, request_type="both", person=person, grounds=["objection"], reason="Because " + hostile)
    text = pdf_text(pdf)
    assert hostile.replace("  ", " ") in text
    assert "root:x:0:0" not in text
    assert b"/EmbeddedFile" not in pdf
    assert hits == []


def test_very_long_and_non_latin_names(app):
    person = Person(full_name="Αικατερίνη Παπαδοπούλου-Βασιλείου " + "Ж" * 60, email="katerina@example.gr",
                    street="Οδός Ερμού 15", postcode="105 63", city="Αθήνα", country="GR")
    text = pdf_text(render(app, person=person))
    assert "Αικατερίνη Παπαδοπούλου-Βασιλείου" in text
    assert "Οδός Ερμού 15" in text and "Αθήνα" in text and "Greece" in text


def test_a_misspelt_template_variable_fails_loudly(app):
    from jinja2 import UndefinedError
    from app.letters.render import _environment
    with app.app_context(), pytest.raises(UndefinedError):
        _environment.from_string("{{ letter.no_such_field }}").render(letter=make_letter(app))


def test_a_cited_decision_without_a_fine_is_quoted_without_one(tmp_path):
    import json
    from app import create_app
    from app.companies import SHIPPED_RECORDS
    record = json.loads((SHIPPED_RECORDS / "pimeyes.json").read_text(encoding="utf-8"))
    record["enforcement"][0]["cite-in-letter"] = True
    (tmp_path / "pimeyes.json").write_text(json.dumps(record), encoding="utf-8")
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})
    text = pdf_text(render(app, company="pimeyes")).replace("- ", "-")  # may wrap at "Baden-"
    assert ("Landesbeauftragter für den Datenschutz und die Informationsfreiheit Baden-Württemberg (Germany), "
            "decision of December 21, 2022") in text
    assert "fine of" not in text


@pytest.mark.parametrize("text, expected", [
    ("(Article 15(1)(e))", "(Article\u00a015(1)\u2060(e))"),
    ("Art. 17 Abs. 1 lit. d DSGVO", "Art.\u00a017 Abs. 1 lit. d DSGVO"),
    ("art. 15 ust. 3 RODO", "art.\u00a015 ust. 3 RODO"),
    ("a smart. move", "a smart. move"),
])
def test_citations_are_kept_on_one_line(text, expected):
    from app.letters.render import keep_citations_together
    assert keep_citations_together(text) == expected
