"""The letters themselves: every element of the legal checklist, read back from the real PDF."""
import dataclasses
import io
import json
import re
import subprocess
from html import unescape
from datetime import date

import pytest
from pypdf import PdfReader

from app.letters import letter_pdf
from app.case.model import Person
from app.letters.model import Letter, new_request_letter
from app.letters.photo import prepare_photo
from conftest import REASON, SECRET, pdf_text
from language_letters import LANGUAGE_FILES, LANGUAGES, per_language

PERSON = Person(full_name="Maria Müller-Łęcka", email="maria@example.com", street="Hauptstraße 12",
                postcode="10115", city="Berlin", country="DE",
                profile_urls=("https://example.org/team/maria",))
DAY = date(2026, 11, 29)
REFERENCE = "FR-20261129-K7Q2XM"


def make_letter(app, request_type="access", company="clearview-ai", person=PERSON, grounds=(), reason="",
                photo=None, language="en", **request):
    company = app.extensions["facerights.registry"].get(company) if isinstance(company, str) else company
    return new_request_letter(request_type=request_type, company=company,
                              person=person, language=language, date=DAY, reference=REFERENCE, grounds=tuple(grounds),
                              objection_reason=reason, photo=photo, **request)


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
    "29 November 2026", "My reference (please quote it) FR-20261129-K7Q2XM",
    "Maria Müller-Łęcka", "Hauptstraße 12", "10115 Berlin", "Germany", "maria@example.com",
    "Clearview AI, Inc.", "99 Wall Street #5730", "New York, NY 10005", "UNITED STATES",
    "Attn: Data protection officer / privacy team",
    "Dear Sir or Madam,", "Yours faithfully,", "Page 1 of",
    "only if you have reasonable doubts about it (Article 12(6) GDPR)",
    "A copy of an identity document is not needed",
    "Article 12(2) GDPR",
    "https://example.org/team/maria",
    "(Article 3(2)(b) GDPR)",
    "As far as I can tell, you have not designated a representative in the Union (Article 27 GDPR)",
    "Autoriteit Persoonsgegevens, Netherlands: decision of 16 May 2024, fine of EUR 30,500,000",
    "Garante per la protezione dei dati personali, Italy: decision doc. web 9751362 of 10 February 2022, "
    "fine of EUR 20,000,000",
    "Hellenic Data Protection Authority (HDPA), Greece: decision 35/2022 of 13 July 2022",
    "Commission nationale de l'informatique et des libertés (CNIL), France: decision SAN-2022-019 of 17 October 2022",
    "within one month of receiving this request (Article 12(3) GDPR)",
    "free of charge (Article 12(5)",
    # M1: the extension, and that it must be announced within the first month with reasons.
    "Article 12(3) GDPR allows you to extend this period by two further months only where necessary, taking into "
    "account the complexity and number of requests; if you do, you must tell me so within one month of receiving "
    "this request, with your reasons.",
    "Please confirm that you have received this request.",
    "If I do not receive a complete answer within this period, or within the extended period you have told me about, "
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
    "with the date of each disclosure (Article 15(1)(c))",
    "judgment of 12 January 2023, C-154/21, Österreichische Post, EU:C:2023:3",
    # M6: the probe searches, training, links between images, C-487/21, Art. 15(4).
    "every search in which an image of my face was the image searched for, even where it returned no result",
    "who searched, when, and the purpose or case reference they stated",
    "used to develop, train or test your systems or models",
    "the links, groupings or clusters that your system has made between my images",
    "judgment of 4 May 2023, C-487/21, Österreichische Datenschutzbehörde and CRIF, EU:C:2023:369",
    "please blur or crop them rather than withhold the image (Article 15(4) GDPR and its recital 63)",
    # M4: proportionate identity checks for access requests, each deleted after the check.
    "a photograph of me holding a sheet on which the reference of this letter is written; a short video call; or a "
    "copy of an identity document on which everything except my photograph and my name is blacked out",
    "Please delete whatever I provide for this check as soon as the check is done.",
    # L8
    "preferably through a secure download link (Article 32 GDPR)",
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
    # M3: Art. 17(2) only if they made the data public; Art. 19 unconditional.
    "If you have made my data public, please take reasonable steps", "(Article 17(2) GDPR)",
    "Please notify each recipient to whom my data have been disclosed of the erasure, and tell me who these "
    "recipients are (Article 19 GDPR)",
    # M8: what Art. 12(4) requires, and the provision asked for separately.
    "you must tell me so without delay and at the latest within one month of receiving it, with your reasons, and "
    "inform me of the possibility of lodging a complaint with a supervisory authority and seeking a judicial remedy "
    "(Article 12(4) GDPR). Please also tell me which data you keep and name the provision on which you rely, for "
    "example an exception in Article 17(3) GDPR",
    # M5: re-collection, the blocklist question does not suspend erasure.
    "My request covers the future too: do not collect, index or otherwise process images of me again.",
    "Please tell me how you will prevent my images from being collected again.",
    "This question does not suspend the erasure",
    "confirm the erasure to me in writing",
]

OBJECTION = [
    "Article 17(1)(c) GDPR: I object to the processing.",
    "I object under Article 21(1) GDPR, on grounds relating to my particular situation",
    REASON,
    # M7: the burden is the controller's.
    "You must then no longer process my data unless you demonstrate compelling legitimate grounds for the processing "
    "which override my interests, rights and freedoms (Article 21(1) GDPR, second sentence); it is for you to show them.",
    "restrict the processing of my data (Article 18(1)(d) GDPR)",
]


def assert_contains(text, phrases):
    # A sentence may run over a page break, where the page footer sits in the extracted text.
    # pypdf reads a page's list markers ("a. b. c." or bullets) at its end, before the footer.
    body = re.sub(r"( •| [a-h]\.)* ?Reference FR-[0-9A-Z-]+ Page \d+ of \d+ ?", " ", text)
    missing = [phrase for phrase in phrases if phrase not in text and phrase not in body]
    assert not missing, f"missing from the letter: {missing}"


def test_access_letter_has_every_checklist_element(app):
    text = pdf_text(render(app, request_type="access"))
    assert_contains(text, COMMON + ACCESS)
    # The information block names every address the email copy goes to (a line may wrap at a hyphen).
    assert "Also sent by email to legal-requests@clearview.ai, privacy-requests@clearview.ai" in text
    assert "Article 17(1)" not in text
    assert "Please do not erase or alter any of my data before you have answered this request." in text
    assert "If you need an image of my face to search your database, please tell me." in text


def test_erasure_letter_with_unlawful_processing(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric"]))
    assert_contains(text, COMMON + ERASURE)
    assert "Article 17(1)(c)" not in text and "Article 18(1)(d)" not in text
    assert "Article 15(1)(h)" not in text
    # M4: no identity offers on a letter that discloses nothing.
    assert "a short video call" not in text
    assert "I have never given you my explicit consent" in text


def test_erasure_letter_with_objection(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric", "objection"], reason=REASON))
    assert_contains(text, COMMON + ERASURE + OBJECTION)
    assert "and objection under Article 21 GDPR" in text


def test_objection_alone(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["objection"], reason=REASON))
    assert_contains(text, OBJECTION)
    assert "Article 17(1)(d)" not in text
    assert "In the alternative" not in text
    assert "In so far as you rely on your legitimate interests (Article 6(1)(f) GDPR)" in text


def test_objection_with_unlawfulness_is_pleaded_in_the_alternative(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric", "objection"], reason=REASON))
    assert "Nor do you have a legal basis under Article 6(1) GDPR." in text
    assert ("In the alternative, in so far as you rely on your legitimate interests (Article 6(1)(f) GDPR) or on a task "
            "carried out in the public interest (Article 6(1)(e) GDPR), I object under Article 21(1) GDPR") in text


def test_withdrawal_of_consent_is_a_ground_and_replaces_never_consented(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric", "consent-withdrawn"]))
    assert "Article 17(1)(b) GDPR: I withdraw my consent." in text
    assert "I withdraw it with effect for the future (Article 7(3) GDPR)" in text
    assert "I have never given you my explicit consent" not in text
    assert "whatever consent I may once have given you does not cover the collection of my images" in text
    alone = pdf_text(render(app, request_type="erasure", grounds=["consent-withdrawn"]))
    assert "Article 17(1)(b) GDPR: I withdraw my consent." in alone and "Article 17(1)(d)" not in alone


@pytest.mark.parametrize("suppression, present, absent", [
    ("addresses", "I do not consent to your keeping a template of my face for this purpose.",
     "to your keeping one biometric template of my face"),
    ("template", "I give my explicit consent (Article 9(2)(a) GDPR) to your keeping one biometric template of my face, "
     "to be used for nothing but excluding my images", "I do not consent to your keeping a template"),
])
def test_the_person_chooses_what_may_be_kept_against_recollection(app, suppression, present, absent):
    letter = make_letter(app, request_type="erasure", grounds=["unlawful-biometric"], suppression=suppression)
    with app.app_context():
        text = pdf_text(letter_pdf(letter))
    assert present in text and absent not in text
    assert "This question does not suspend the erasure" in text


def test_combined_letter_asks_for_the_copy_first_then_erasure(app):
    text = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"]))
    assert_contains(text, COMMON + ACCESS[1:] + ERASURE[1:-1])
    assert "then the written confirmation of the erasure" in text
    assert "Part A: access (Article 15 GDPR)" in text and "Part B: erasure (Article 17 GDPR)" in text
    assert text.index("Part A") < text.index("Part B")
    assert "Please do not erase anything before I have received the copy" in text


# H2: Art. 18(1)(b) only where unlawfulness is claimed, as a limited period; the objection alone gets 18(1)(d) only.
@pytest.mark.parametrize("grounds, restriction_b, restriction_d", [
    (["unlawful-biometric"], True, False),
    (["unlawful-biometric", "objection"], True, True),
    (["objection"], False, True),
    (["consent-withdrawn"], False, False),
    (["consent-withdrawn", "objection"], False, True),
    (["unlawful-biometric", "consent-withdrawn", "objection"], True, True),
])
def test_restriction_in_the_combined_letter_follows_the_grounds(app, grounds, restriction_b, restriction_d):
    text = pdf_text(render(app, request_type="both", grounds=grounds, reason=REASON))
    assert ("(Article 18(1)(b) GDPR)" in text) is restriction_b
    assert ("(Article 18(1)(d) GDPR)" in text) is restriction_d
    if restriction_b:
        assert ("I oppose their erasure only until I have received the copy, and for that period only I request the "
                "restriction of their processing instead") in text
        assert "Once I have received the copy, erase them." in text


CONSENT_FOR_THE_SEARCH = ("For this search only, I give my explicit consent (Article 9(2)(a) GDPR) to your computing a "
                          "biometric template of this photograph and comparing it with your database. I withdraw this "
                          "consent as soon as this request has been dealt with (Article 7(3) GDPR).")


@pytest.mark.parametrize("request_type", ["access", "erasure", "both"])
def test_photo_consent_exactly_when_a_photo_is_enclosed(app, photo, request_type):
    """H3: the search needs a template of the photo; the letter consents to that and nothing more."""
    with_photo = pdf_text(render(app, request_type=request_type, grounds=["unlawful-biometric"], photo=photo))
    without = pdf_text(render(app, request_type=request_type, grounds=["unlawful-biometric"]))
    assert_contains(with_photo, [CONSENT_FOR_THE_SEARCH])  # it may run over a page break
    assert "Article 9(2)(a)" not in without
    if request_type != "access":
        # The refusal of a suppression template no longer contradicts the consent for the search.
        assert "A template of my face kept for this purpose would itself be processing" not in with_photo


def test_photo_is_enclosed_with_its_purpose_limited(app, photo):
    pdf = render(app, request_type="access", photo=photo)
    text = pdf_text(pdf)
    assert "I enclose a photograph of my face. I provide it solely so that you can find my data" in text
    assert "Please then delete the photograph and anything derived from it" in text
    assert "Enclosure: photograph for the search only" in text
    images = {image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    assert len(images) == 1


def test_company_without_postal_address_gets_email_and_web_form_in_the_address_field(app):
    text = pdf_text(render(app, company="pimeyes"))
    assert "PimEyes" in text
    assert "By email: office@pimeyes.com" in text
    assert "Via the web form: https://pimeyes.com/en/opt-out-request-form" in text
    # Nothing about a representative that the record does not establish (M2).
    assert "representative" not in text


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


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_recipient_sits_in_the_envelope_window(language_letters, language):
    """DIN 5008 form B: the address field is 20-105 mm from the left, 45-90 mm from the top of page 1."""
    boxes = word_boxes(language_letters(language, "access").pdf)
    for word in ["Clearview", "Wall", "10005", "UNITED"]:
        x, y = next((x, y) for text, x, y in boxes if text == word)
        assert 20 <= x <= 105 and 45 <= y <= 90, (word, x, y)
    # The last recipient line stays clear of the window's bottom edge; the letter starts below it.
    assert max(y for text, x, y in boxes if text == "UNITED") < 86



def test_list_markers_stand_at_the_margin_and_items_hang_at_7_mm(app):
    """DIN 5008: the marker at the text's left edge (25 mm), every line of the item's text at 32 mm."""
    boxes = word_boxes(render(app), page=2)
    lines: dict[float, list[float]] = {}
    for text, x, y in boxes:
        lines.setdefault(round(y, 1), []).append(x)
    markers = [round(y, 1) for text, x, y in boxes if text in ("a.", "b.", "c.", "d.", "e.", "f.", "g.", "h.")]
    assert len(markers) == 8
    points = [sorted(xs) for y, xs in sorted(lines.items()) if markers[0] <= y <= markers[-1]]
    marker_lines = [xs for xs in points if xs[0] < 28]
    continued = [xs for xs in points if xs[0] >= 28]
    assert len(marker_lines) == 8 and continued  # some points run over several lines
    assert all(xs[0] == pytest.approx(25, abs=0.3) and xs[1] == pytest.approx(32, abs=0.3) for xs in marker_lines)
    assert all(xs[0] == pytest.approx(32, abs=0.3) for xs in continued)


def _structure(reader: PdfReader) -> list:
    """The tagged structure as nested (tag, children) pairs."""
    def element(node):
        node = node.get_object()
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        return (str(node["/S"]), [element(kid) for kid in kids if hasattr(kid.get_object(), "get")])
    return [element(kid) for kid in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]]


def _list_items(elements: list) -> list:
    return [item for tag, kids in elements
            for item in ([(tag, kids)] if tag == "/LI" else []) + _list_items(kids)]


def test_every_list_item_is_tagged_with_its_label_and_body(app):
    """PDF/UA: a list item holds a label (Lbl) and a body (LBody), nothing else. With their markers inside
    the items (letter.css), WeasyPrint would put the text directly under the item (app/letters/pdf.py)."""
    pdf = render(app, request_type="both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    items = _list_items(_structure(PdfReader(io.BytesIO(pdf))))
    labelled = [kids for tag, kids in items if kids and kids[0][0] == "/Lbl"]
    assert len(labelled) >= 20  # the letter's points, bullets and decisions
    assert all([tag for tag, _ in kids] == ["/Lbl", "/LBody"] for kids in labelled)
    assert all([tag for tag, _ in kids] in (["/Lbl", "/LBody"], ["/LBody"]) for tag, kids in items)



@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footers_fit_their_given_widths_on_one_line(language_letters, language):
    """letter.css gives the footers widths (the reference 110 mm, the page number 55 mm): in every language
    each stays on one line, in the bottom margin, the reference at the text's left edge."""
    pdf = language_letters(language, "access").pdf
    for page in (1, 2):
        footer = [(text, x, y) for text, x, y in word_boxes(pdf, page) if y > 275]
        assert len({round(y) for _, _, y in footer}) == 1, (page, footer)
        assert any(text.startswith("FR-") for text, _, _ in footer), footer
        assert min(x for _, x, _ in footer) == pytest.approx(25, abs=0.5)



def test_the_citations_kept_between_letters_never_hold_a_persons_answers(app, monkeypatch):
    """app/letters/render.py keeps each catalog message's citations for the next letter: only the catalog's
    text may reach that cache, never a name, an address or an objection."""
    from app.letters import render as letter_render
    kept = []
    cached = letter_render._kept_together
    monkeypatch.setattr(letter_render, "_kept_together", lambda text, citation: kept.append(text) or cached(text, citation))
    person = dataclasses.replace(PERSON, full_name="Quentin Canarywood", street="Canarystraße 9")
    render(app, request_type="both", grounds=["unlawful-biometric", "objection"], reason="Canary reason 4711.",
           person=person)
    assert len(kept) > 30
    assert not [text for text in kept if "Canary" in text or "4711" in text]


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
    # The only embedded file is our own answers record (no <link rel=attachment>, no /etc/passwd),
    # and it holds the hostile text as inert JSON data.
    reader = PdfReader(io.BytesIO(pdf))
    assert list(reader.attachments) == ["facerights-answers.json"]
    assert pdf.count(b"/Type /EmbeddedFile") == 1
    record = json.loads(reader.attachments["facerights-answers.json"][0])
    assert record["person"]["street"] == hostile and "root:x:0:0" not in json.dumps(record)
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
    assert ("Landesbeauftragter für den Datenschutz und die Informationsfreiheit Baden-Württemberg, Germany: "
            "decision of 21 December 2022") in text
    assert "fine of" not in text


@pytest.mark.parametrize("language, text, expected", [
    ("en", "(Article 15(1)(e))", "(Article\u00a015(1)\u2060(e))"),
    ("en", "Article 15(1)(b) and Article 9(1)", "Article\u00a015(1)\u2060(b) and\u00a0Article\u00a09(1)"),
    ("de", "Art. 17 Abs. 1 lit. d DSGVO", "Art.\u00a017\u00a0Abs.\u00a01\u00a0lit.\u00a0d\u00a0DSGVO"),
    ("pl", "art. 15 ust. 3 RODO", "art.\u00a015\u00a0ust.\u00a03\u00a0RODO"),
    ("fr", "article 17, paragraphe 1, point d), du %(gdpr)s", "article\u00a017,\u00a0paragraphe\u00a01,\u00a0point\u00a0d),\u00a0du\u00a0%(gdpr)s"),
    ("el", "άρθρο 15 παρ. 1 στοιχ. ε) ΓΚΠΔ", "άρθρο\u00a015\u00a0παρ.\u00a01\u00a0στοιχ.\u00a0ε)\u00a0ΓΚΠΔ"),
    ("en", "a smart. move", "a smart. move"),
    # Each language protects its own words only: the German "Abs." is a plain word in an English text.
    ("en", "Abs. 1", "Abs. 1"),
    ("en", "(C-307/22, FT, EU:C:2023:811)", "(C-\u2060" "307/22, FT, EU:\u2060C:\u2060" "2023:\u2060" "811)"),
    # A hyphen inside the abbreviation, or before its inflected ending, would otherwise end a line.
    ("fi", "tietosuoja-asetuksen 15 artiklan", "tietosuoja-\u2060asetuksen\u00a015\u00a0artiklan"),
    ("hu", "a GDPR 15. cikk (3) bekezdése", "a\u00a0GDPR\u00a015.\u00a0cikk\u00a0(3)\u00a0bekezdése"),
    ("hr", "članka 15. GDPR-a", "članka\u00a015.\u00a0GDPR-\u2060a"),
    ("en", "a well-known GDPR", "a well-known\u00a0GDPR"),
    # A point's letter after its number, and a lettered point hyphenated to its word.
    ("sv", "artikel 17.1 d och", "artikel\u00a017.1\u00a0d och"),
    ("is", "(d-liður 1. mgr.", "(d-\u2060liður\u00a01.\u00a0mgr."),
    ("en", "in 2 areas", "in 2 areas"),
])
def test_citations_are_kept_on_one_line(language, text, expected):
    from app.letters.render import keep_citations_together
    assert keep_citations_together(text, language) == expected


# --- scope: who the law covers (H1) ------------------------------------------------------------------

def person_in(country, city="Oslo"):
    return dataclasses.replace(PERSON, country=country, city=city)


def test_a_person_in_the_eea_gets_a_gdpr_letter_that_says_why(app):
    text = pdf_text(render(app, person=person_in("NO")))
    assert ("I live in Norway. The GDPR applies in Iceland, Liechtenstein and Norway under the Agreement on the "
            "European Economic Area (Decision of the EEA Joint Committee No 154/2018)") in text
    assert "(Article 3(2)(b) GDPR)" in text


def test_a_person_in_the_united_kingdom_gets_a_uk_gdpr_letter(app):
    text = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"], person=person_in("GB", "London")))
    assert "of the UK General Data Protection Regulation (UK GDPR)" in text
    assert "Request for access to my personal data (Article 15 UK GDPR)" in text
    assert "(Article 15(3) UK GDPR)" in text and "(Article 12(3) UK GDPR)" in text
    assert ("you monitor their behaviour within the United Kingdom (Article 3(2)(b) UK GDPR)") in text
    assert "I will lodge a complaint with the Information Commissioner's Office (Article 77 UK GDPR)" in text
    # No EU-only statements, no CJEU judgment presented as binding, no EU representative, no ICO case.
    for phrase in [" GDPR)", "in the Union", "European Union, judgment", "representative in the Union",
                   "Information Commissioner's Office, United Kingdom"]:
        assert phrase not in text.replace("UK GDPR)", ""), phrase
    assert "in breach of the EU GDPR, whose provisions the UK GDPR shares" in text


@pytest.mark.parametrize("country", ["US", "CH"])
def test_no_letter_is_made_for_a_person_the_gdpr_does_not_cover(app, country):
    with app.app_context(), pytest.raises(ValueError, match="neither the GDPR nor the UK GDPR covers it"):
        letter_pdf(make_letter(app, person=person_in(country)))


def test_a_uk_letter_in_another_language_is_refused_by_the_law():
    from app.law.scope import UK_GDPR
    assert [code for code in ["en", "de", "fr"] if UK_GDPR.allows_language(code)] == ["en"]


# --- what the person can know (M2), channels (L9), address block (L3, L13) ----------------------------

def test_representative_sentence_only_where_a_source_establishes_it(app):
    assert "As far as I can tell, you have not designated a representative" in pdf_text(render(app))
    assert "representative" not in pdf_text(render(app, company="facecheck-id"))


@pytest.mark.parametrize("channels, line", [
    (("letter", "email"), "Also sent by email to legal-requests@clearview.ai, privacy-requests@clearview.ai"),
    (("email",), "Sent by email to legal-requests@clearview.ai, privacy-requests@clearview.ai"),
    (("letter",), None),
])
def test_the_email_line_matches_how_the_person_sends_it(app, channels, line):
    with app.app_context():
        text = pdf_text(letter_pdf(make_letter(app, channels=channels)))
    if line:
        assert line in text
        assert ("Also sent" in line) == ("Also sent by email" in text)
    else:
        assert "by email to legal-requests" not in text and "sent by email" not in text.lower()


def test_a_guide_page_is_not_called_a_web_form(app):
    text = pdf_text(render(app, company="facecheck-id"))
    assert "Through the removal request described at: https://facecheck.id/Face-Search/FAQ" in text
    assert "Via the web form" not in text


def return_line_of(pdf: bytes) -> list[str]:
    return [word for word, x, y in word_boxes(pdf) if 45 <= y <= 60 and x < 100]


def test_a_long_return_line_is_shortened_visibly(app):
    """L3: what returned mail needs stays (town and country), the name and then the street give way, visibly."""
    person = dataclasses.replace(PERSON, full_name="Alexandra Papadopoulou-Schmidt von Hohenberg",
                                 street="Große Friedrichsburger Straße 123, Hinterhaus, 3. Etage links")
    return_line = return_line_of(render(app, person=person))
    assert return_line[0] == "Alexandra…,", return_line
    assert return_line[-3:] == ["Berlin,", "Germany"][-3:] or return_line[-3:] == ["10115", "Berlin,", "Germany"]
    assert any(word.endswith("…,") for word in return_line[1:]), return_line  # the street, cut visibly


@pytest.mark.parametrize("name, line_2", [
    # The review's example: the name gives way; the street, the town and the country stay whole.
    ("Aoife Siobhán Ní Mhurchadha-Fitzgerald de Courcy von Hohenberg", ""),
    # A c/o line is kept before the whole name: without it returned mail may not arrive.
    ("Aoife Siobhán Ní Mhurchadha-Fitzgerald", "c/o Women's Aid"),
])
def test_a_return_line_keeps_what_returned_mail_needs(app, name, line_2):
    person = Person(full_name=name, email="aoife@example.ie", street="12 Merrion Square North",
                    address_line_2=line_2, postcode="D02 X285", city="Dublin 2", country="IE")
    pdf = render(app, person=person)
    line = " ".join(return_line_of(pdf))
    shortened_name, _, address = line.partition("…, ")
    assert name.startswith(shortened_name) and shortened_name != name, line
    assert address == ", ".join(part for part in ("12 Merrion Square North", line_2, "D02 X285 Dublin 2", "Ireland")
                                if part), line
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    mm = 25.4 / 72
    right_edges = [float(x_max) * mm for x_min, y_min, x_max, word in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" [^>]*>([^<]*)</word>', html)
        if 45 <= float(y_min) * mm <= 60 and float(x_min) * mm < 100]
    assert right_edges and max(right_edges) <= 105, right_edges  # inside the window


def test_a_return_line_with_a_care_of_line_is_never_clipped(app):
    person = dataclasses.replace(PERSON, full_name="Maria Müller-Łęcka", street="Hauptstraße 12",
                                 address_line_2="c/o Frauenberatung Nord", postcode="10115", city="Berlin")
    pdf = render(app, person=person)
    return_line = [word for word, x, y in word_boxes(pdf) if 45 <= y <= 60 and x < 100]
    assert return_line[-1].endswith("…") or return_line[-1] == "Germany", return_line
    assert "c/o" in return_line
    # The window shows 80 mm of it, from 25 mm: the last word ends inside.
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    right_edges = [float(x) * 25.4 / 72 for x, word in re.findall(r'xMax="([\d.]+)" [^>]*>([^<]*)</word>', html)
                   if unescape(word) == return_line[-1]]
    assert right_edges and min(right_edges) <= 105, right_edges


def test_a_letter_without_a_postal_address_has_no_return_line(app):
    person = dataclasses.replace(PERSON, street="", postcode="", city="")
    pdf = render(app, person=person, company="facecheck-id")
    boxes = word_boxes(pdf)
    assert not [word for word, x, y in boxes if 45 <= y <= 60 and x < 100]
    text = pdf_text(pdf)
    # Nothing between the sender and the recipient: the PDF reads in the order of the page.
    assert text.startswith(f"{PERSON.full_name} Germany {PERSON.email} FaceCheck.ID Attn:"), text[:120]


def test_domestic_post_keeps_the_country_as_written(app):
    polish = dataclasses.replace(PERSON, country="PL", city="Kraków", postcode="30-001")
    assert "Poland" in pdf_text(render(app, company="lenso-ai", person=polish))
    assert "POLAND" in pdf_text(render(app, company="lenso-ai"))


# --- layout: the signature never alone (M11), citations and addresses unbroken (L2) ------------------

def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


LONGEST = dict(request_type="both", grounds=["unlawful-biometric", "consent-withdrawn", "objection"], reason=REASON * 10)
SHORTEST = dict(request_type="erasure", grounds=["objection"], reason=REASON, person=dataclasses.replace(PERSON, profile_urls=()))


def assert_signature_not_alone(pdf: bytes, closing: str, name: str):
    pages = [re.sub(r"\s+", " ", text) for text in page_texts(pdf)]
    signature_page = next(text for text in pages if name in text.split(closing)[-1] and closing in text)
    body = signature_page.split(closing)[0]
    body = re.sub(r"Reference FR-\S+|Page \d+ of \d+", "", body)
    assert len(body.split()) >= 15, f"the closing stands almost alone on its page: {signature_page!r}"


@pytest.mark.parametrize("kwargs", [LONGEST, SHORTEST, dict(request_type="access", company="pimeyes"),
                                    dict(request_type="access", person=dataclasses.replace(PERSON, profile_urls=()))],
                         ids=["longest", "shortest", "pimeyes-access", "access-without-urls"])
def test_the_signature_never_stands_alone_on_a_page(app, kwargs):
    assert_signature_not_alone(render(app, **kwargs), "Yours faithfully,", "Maria Müller-Łęcka")


def layout_lines(pdf: bytes) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode().splitlines()


# What follows a word that names a part of an article in a citation: a number, "(", or a point ("d", "lit. d",
# "στ)"). A line may end with such a word in plain prose ("du" before "mois"), not before its number.
CITATION_NUMBER = re.compile(r"[(\d]|[^\W\d_]{1,2}\)|[^\W\d_](?:[^\w]|$)")
# A number that comes before the word it numbers: "15. cikk", "15 artiklan".
NUMBER_FIRST = re.compile(r"\(?\d+\.?\)?")


def assert_no_citation_or_address_broken(pdf: bytes, abbreviation: str, part_words=LANGUAGE_FILES["en"].citation.part_words):
    """No line ends inside a citation ("Article⏎15(1)", "Abs.⏎1", "lit.⏎d", "15.⏎cikk", "…⏎GDPR)"), with
    ``part_words`` of the letter's language, or inside an email or web address."""
    lines = [line.strip() for line in layout_lines(pdf) if line.strip()]
    for line, following in zip(lines, lines[1:]):
        last, first = line.split()[-1], following.split()[0]
        footer = re.search(r"FR-\d{8}-\w{6}", line)  # the reference and "Page 1 of 3": a number, then a new page
        assert not (last in part_words and CITATION_NUMBER.match(first)), (line, following)
        assert footer or not (NUMBER_FIRST.fullmatch(last) and first.rstrip(",;:") in part_words), (line, following)
        # "…Article 15(1)⏎GDPR": the abbreviation cut off from its citation (a sentence may begin with it).
        assert not (following.startswith(abbreviation) and (last in part_words or re.search(r"[\d)]$", last))), \
            (line, following)
        assert not re.search(r"[\w.]+@[\w.-]*-$|https?://\S*-$", line), (line, following)


def test_english_citations_and_addresses_stay_on_one_line(app):
    for kwargs in (LONGEST, dict(request_type="access", company="pimeyes")):
        assert_no_citation_or_address_broken(render(app, **kwargs), "GDPR")


def test_a_uk_letter_names_a_missing_uk_representative_only_where_a_source_says_so(tmp_path):
    """UK GDPR Art. 27: the same rule as for the EU representative, and Art. 3(1) for a UK establishment."""
    import json
    from app import create_app
    from app.companies import SHIPPED_RECORDS
    from conftest import SECRET
    record = json.loads((SHIPPED_RECORDS / "clearview-ai.json").read_text(encoding="utf-8"))
    record["uk-representative-absent"] = {"as-of": "2026-11-29", "sources": ["https://example.org/source"]}
    (tmp_path / "clearview-ai.json").write_text(json.dumps(record), encoding="utf-8")
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})
    london = person_in("GB", "London")
    text = pdf_text(render(app, person=london))
    assert ("As far as I can tell, you have not designated a representative in the United Kingdom "
            "(Article 27 UK GDPR)") in text
    assert "representative in the United Kingdom" not in pdf_text(render(app, person=london, company="pimeyes"))
    record["established-in-uk"] = True
    (tmp_path / "clearview-ai.json").write_text(json.dumps(record), encoding="utf-8")
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})
    text = pdf_text(render(app, person=london))
    assert "Your company is established in the United Kingdom, so the UK GDPR applies to this processing " \
           "(Article 3(1) UK GDPR)." in text
    assert "Article 3(2)(b)" not in text


def test_an_address_in_the_canary_islands_ends_with_spain(app):
    """N-L10: IC is an exceptionally reserved code, not a country the post knows; the last line is Spain."""
    person = dataclasses.replace(PERSON, country="IC", street="Calle Triana 1", postcode="35002",
                                 city="Las Palmas de Gran Canaria")
    pdf = render(app, person=person, company="lenso-ai")
    text = pdf_text(pdf)
    assert "35002 Las Palmas de Gran Canaria Spain" in text and "Canary Islands" not in text
    assert " ".join(return_line_of(pdf)).endswith("Las Palmas de Gran Canaria, Spain")



# --- issue 17: scope from both sides (N-H4), the UK after the 2025 Act (N-M1), the law of 2025-2026 ---------

NEW_YORKER = Person(full_name="Sam Smith", email="sam@example.com", street="1 Main Street", postcode="10001",
                    city="New York, NY", country="US", profile_urls=("https://example.org/sam",))
LONDONER = dataclasses.replace(PERSON, country="GB", city="London", postcode="SW1A 1AA")
ART_3_1_FOR_ANYONE = ("It protects me although I do not live in the Union: the GDPR applies to all processing of "
                      "personal data in the context of the activities of an establishment in the Union, whatever the "
                      "nationality or place of residence of the persons whose data are processed (Article 3(1) GDPR "
                      "and recital 14).")


@pytest.mark.parametrize("company", ["lenso-ai", "public-mirror"])
def test_a_us_resident_gets_a_gdpr_letter_to_a_company_established_in_the_union(app, company):
    text = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"], company=company,
                           person=NEW_YORKER))
    assert "Your company is established in the European Union, so the GDPR applies to this processing " \
           "(Article 3(1) GDPR)." in text
    assert ART_3_1_FOR_ANYONE in text
    assert "UK GDPR" not in text and "Article 3(2)(b)" not in text and "I live in" not in text


def test_a_uk_resident_writing_to_lenso_gets_the_eu_gdpr_route_and_may_cite_the_uk_gdpr(app):
    text = pdf_text(render(app, request_type="access", company="lenso-ai", person=LONDONER))
    assert "of the General Data Protection Regulation (EU) 2016/679 (GDPR)" in text
    assert "(Article 15(3) GDPR)" in text and "(Article 3(1) GDPR)" in text and ART_3_1_FOR_ANYONE in text
    assert ("I live in the United Kingdom. In so far as you monitor the behaviour of people there, your processing "
            "of my data is also subject to the UK GDPR (Article 3(2)(b) UK GDPR); this request is without prejudice "
            "to my rights under it.") in text
    assert "This request also concerns EYEMATCH AI PTE. LTD." in text  # the EU branch's Art. 26 paragraph
    assert "Article 15(1A)" not in text  # a GDPR letter, not a UK GDPR one


def test_no_letter_to_a_company_no_law_covers_from_where_the_person_lives(app):
    with app.app_context(), pytest.raises(ValueError, match="neither the GDPR nor the UK GDPR"):
        letter_pdf(make_letter(app, person=NEW_YORKER))


@pytest.mark.parametrize("country, country_name, expected", [
    ("IE", "Ireland", "The address I have for your company is in Ireland. The GDPR applies to all processing of "
                      "personal data in the context of the activities of an establishment of a controller in the Union, "
                      "whatever the nationality or place of residence of the persons whose data are processed "
                      "(Article 3(1) GDPR and recital 14)."),
    ("GB", "United Kingdom", "The address I have for your company is in the United Kingdom. The UK GDPR applies to "
                             "the processing of personal data in the context of the activities of an establishment of "
                             "a controller in the United Kingdom, whoever the person concerned is and wherever they "
                             "live (Article 3(1) UK GDPR)."),
])
def test_a_typed_company_is_covered_by_the_law_of_its_address(app, country, country_name, expected):
    from app.companies import typed_company
    company = typed_company(name="Example Faces Ltd", street="1 Main Street", postcode="D02 X285", city="Dublin",
                            country=country, email="privacy@example.org", country_name=country_name,
                            request_language="en")
    letter = make_letter(app, request_type="erasure", grounds=["unlawful-biometric"], person=NEW_YORKER,
                         company=company)
    with app.app_context():
        text = pdf_text(letter_pdf(letter))
    assert expected in text
    # Nothing is said of a typed company's processing: no AI Act, no face database.
    assert "2024/1689" not in text


def test_uk_letters_to_clearview_cite_the_upper_tribunal_and_answer_article_15_1a(app):
    text = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"], person=LONDONER))
    assert ("In your own case, the Upper Tribunal has held that this processing is related to the monitoring of the "
            "behaviour of people in the United Kingdom, so that the UK GDPR applies to it, and that the Information "
            "Commissioner had jurisdiction over it (Information Commissioner v Clearview AI Inc [2025] UKUT 319 "
            "(AAC)).") in text
    assert ("Article 15(1A) UK GDPR limits my right to what you can provide based on a reasonable and proportionate "
            "search. Your database is built to find people by their face: a search of it with an image of my face, "
            "and for any web addresses I give in this letter, is such a search.") in text
    assert ("I need not give reasons for this request, and the first copy of my data is free of charge "
            "(Article 15(3) UK GDPR).") in text
    # EU law that does not bind the United Kingdom stays out of UK letters.
    for absent in ("2024/1689", "C-307/22", "C-203/22", "European Data Protection Board"):
        assert absent not in text, absent
    assert "Erasure means deleting these data." in text


def test_the_upper_tribunal_only_in_letters_to_clearview_and_article_15_1a_only_for_access(app):
    pimeyes = pdf_text(render(app, request_type="access", company="pimeyes", person=LONDONER))
    assert "UKUT" not in pimeyes and "Article 15(1A) UK GDPR" in pimeyes
    erasure = pdf_text(render(app, request_type="erasure", grounds=["objection"], reason=REASON, person=LONDONER))
    assert "Article 15(1A)" not in erasure and "[2025] UKUT 319 (AAC)" in erasure


def test_access_letters_state_their_purpose_and_cite_c_307_22_and_c_203_22(app):
    text = pdf_text(render(app, request_type="access"))
    assert ("I need not give reasons for this request, and whatever its purpose, the first copy of my data is free "
            "of charge (Court of Justice of the European Union, judgment of 26 October 2023, C-307/22, FT, "
            "EU:C:2023:811). I make it nonetheless for the protection of my personal data: to know whether and how "
            "you process them, to check that the processing is lawful, and to exercise my further rights.") in text
    assert_contains(text, [
        "(Article 15(1)(h) and Article 22(1) and (4)). That information must describe the procedure and principles "
        "actually applied to my data, in a concise, transparent, intelligible and easily accessible form, so that I "
        "can understand how the result concerning me was reached (Court of Justice of the European Union, judgment "
        "of 27 February 2025, C-203/22, Dun & Bradstreet Austria, EU:C:2025:117)."])
    assert "2024/1689" not in text and "Erasure means" not in text


AI_ACT = ("Moreover, since 2 February 2025, Article 5(1)(e) of Regulation (EU) 2024/1689 (the Artificial Intelligence "
          "Act) has prohibited the placing on the market, the putting into service for this specific purpose and the "
          "use of AI systems that create or expand facial recognition databases through the untargeted scraping of "
          "facial images from the internet or CCTV footage. A database of faces collected from the internet without a "
          "focus on particular persons, such as yours, is such a database, and no interest in it can be a legitimate "
          "interest (Article 6(1)(f) GDPR).")
NOT_ERASURE = ("Erasure means deleting these data. Pseudonymising or masking them, marking them as deactivated, hiding "
               "them from search results, or an “anonymisation” after which they can still be linked to me, is not "
               "erasure: an image of my face, and a template derived from it, identify me by themselves. In its "
               "coordinated enforcement action on the right to erasure, the European Data Protection Board found that "
               "controllers use such substitutes for erasure and lack procedures for erasing backups (report adopted on "
               "10 February 2026). If a backup cannot be erased at once, please tell me when it will be, and make sure "
               "that my data are not restored from it in the meantime.")


@pytest.mark.parametrize("request_type", ["erasure", "both"])
def test_erasure_letters_cite_the_ai_act_as_unlawfulness_and_say_anonymising_is_not_erasing(app, request_type):
    text = pdf_text(render(app, request_type=request_type, grounds=["unlawful-biometric"]))
    assert_contains(text, [AI_ACT, NOT_ERASURE])
    # In the unlawfulness ground, not as a right of its own.
    assert text.index("Article 17(1)(d) GDPR: my personal data have been unlawfully processed.") \
        < text.index("Moreover, since 2 February 2025") < text.index("The future, and informing others")


def test_the_ai_act_supports_only_a_claim_of_unlawfulness(app):
    text = pdf_text(render(app, request_type="erasure", grounds=["objection"], reason=REASON))
    assert "2024/1689" not in text and "Erasure means deleting these data." in text


def test_both_erases_after_the_copy_and_erasure_alone_erases_now(app):
    """N-M7: the combined letter never asks to erase "now"."""
    both = pdf_text(render(app, request_type="both", grounds=["unlawful-biometric"]))
    assert ("This question does not suspend the erasure: erase my data as requested in part B once I have received "
            "the copy, whatever you decide about preventing future collection.") in both
    assert "erase my data now" not in both
    erasure = pdf_text(render(app, request_type="erasure", grounds=["unlawful-biometric"]))
    assert "This question does not suspend the erasure: erase my data now" in erasure


@pytest.mark.parametrize("suppression", ["template", "addresses"])
def test_the_consented_template_is_the_one_exception_to_deleting_what_the_photo_gave(app, photo, suppression):
    """N-M8."""
    letter = make_letter(app, request_type="both", grounds=["unlawful-biometric"], photo=photo,
                         suppression=suppression)
    with app.app_context():
        text = pdf_text(letter_pdf(letter))
    exception = ("Please then delete the photograph and anything derived from it, except the one template of my face "
                 "to which I consent above for excluding my images, which you may compute from this photograph; and "
                 "confirm to me that you have done so (Article 5(1)(b), (c) and (e) GDPR).")
    assert (exception in text) == (suppression == "template")
    assert ("Please then delete the photograph and anything derived from it, and confirm to me" in text) \
        == (suppression == "addresses")


def test_a_company_without_published_contacts_is_told_so_and_asked_for_its_controller(app):
    """L11: FaceCheck.ID publishes no address, no email and no controller; the letter says so honestly."""
    text = pdf_text(render(app, company="facecheck-id"))
    assert ("As far as I can find, you publish neither a postal address nor an email address for data protection "
            "requests, nor the identity of the controller of this service; so I send this request through your "
            "removal request. Please tell me the identity and the contact details of the controller "
            "(Article 14(1)(a) GDPR), and answer me by email.") in text
    assert "Through the removal request described at: https://facecheck.id/Face-Search/FAQ" in text
    assert "As far as I can find" not in pdf_text(render(app, company="pimeyes"))
