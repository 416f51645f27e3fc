"""Several companies in one visit, a company typed by the person, ready emails and the letter as text."""
import io
import json
import re
import zipfile
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from pypdf import PdfReader

from app.case.record import ATTACHMENT_NAME
from app.letters.email import MAX_MAILTO_LENGTH, mailto_link
from app.case.model import Person
from app.letters.model import Letter, new_request_letter
from app.letters.text import letter_text
from conftest import PERSON, csrf_token, page_text, pdf_text

OTHER = {"name": "Acme Faces Ltd", "street": "1 High Street", "postcode": "EC1A 1AA", "city": "London",
         "country": "GB", "email": "privacy@acme.example"}


def choose(wizard, companies, other=None, request_type="access", letter_language="company"):
    wizard.submit("/request-type", {"request_type": request_type})
    response = wizard.submit("/company", {"company": companies})
    assert response.status_code == 302, response.get_data(as_text=True)
    if other is not None:
        response = wizard.submit("/other-company", other)
        assert response.status_code == 302, page_text(response.get_data(as_text=True))
    # Every way at least one of the companies offers, as the download page once ticked by default.
    wizard.submit("/sending", {"channels": wizard.offered_channels("/sending")})
    wizard.submit("/your-details", PERSON)
    response = wizard.submit("/letter-language", {"letter_language": letter_language})
    assert response.status_code == 302 and response.location.endswith("/check-answers"), response.location


def words(text: str) -> str:
    """Text compared across PDF and plain text: no list markers, section numbers, or line-break hyphens."""
    text = text.replace("\u00a0", " ").replace("\u2060", "").replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def pdf_body_text(pdf: bytes) -> str:
    """The PDF's text without each page's footer (its last line) and the list markers WeasyPrint
    writes apart from their items."""
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page_lines = page.extract_text().splitlines()[:-1]
        lines += [line for line in page_lines if not re.fullmatch(r"\s*(•|[a-z]\.|[α-ω]+\))\s*", line)]
    return " ".join(lines)


def test_zip_holds_one_distinct_letter_per_company_and_an_index(wizard):
    choose(wizard, ["clearview-ai", "pimeyes", "lenso-ai"])
    check = page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert "Clearview AI" in check and "PimEyes" in check and "Lenso.ai" in check
    response = wizard.download()
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 3 and "README.txt" in archive.namelist()
    references, index = set(), archive.read("README.txt").decode()
    for slug, name in (("clearview-ai", "Clearview AI, Inc."), ("pimeyes", "PimEyes"), ("lenso-ai", "LENSO AI S.A.")):
        (filename,) = [pdf for pdf in pdfs if f"-{slug}-" in pdf]
        pdf = archive.read(filename)
        record = json.loads(PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0])
        assert record["request"]["company"] == slug
        reference = record["request"]["reference"]
        assert filename.startswith(reference) and reference in pdf_text(pdf) and reference in index
        assert name in pdf_text(pdf) and name in index
        references.add(reference)
    assert len(references) == 3
    assert "Grabiszyńska 186/2B/4" in pdf_text(archive.read([p for p in pdfs if "lenso-ai" in p][0]))
    assert response.headers["Content-Disposition"].startswith('attachment; filename="FaceRights-')
    assert response.headers["Content-Disposition"].endswith('-3-letters.zip"')
    # Each letter's answer dates, as the download page gives them: PimEyes takes no post.
    pimeyes = index[index.index("PimEyes"):]
    pimeyes = pimeyes[:pimeyes.index("\n\n")]
    assert "if you email it today" in pimeyes and "if you post it today" not in pimeyes
    # Point 5 of issue 17: each record says when its contact details were last checked.
    assert "Contact details last checked on 30 November 2026." in pimeyes
    assert index.count("Contact details last checked on 29 November 2026.") == 2  # Clearview AI and Lenso.ai
    download_page = page_text(wizard.client.get("/download").get_data(as_text=True))
    post_dates = re.findall(r"by about \d+ \w+ \d{4} if you post it today", index)
    assert len(post_dates) == 2  # Clearview AI and Lenso.ai
    assert all(line in download_page for line in post_dates)
    assert "Grabiszyńska" not in pdf_text(archive.read([p for p in pdfs if "pimeyes" in p][0]))


def test_one_company_still_downloads_a_pdf(wizard):
    choose(wizard, ["pimeyes"], letter_language="en")
    response = wizard.download()
    assert response.mimetype == "application/pdf"


def test_each_company_language_is_only_offered_for_several(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["pimeyes"]})
    wizard.submit("/sending", {"channels": ["email"]})
    wizard.submit("/your-details", PERSON)
    response = wizard.submit("/letter-language", {"letter_language": "company"})
    assert response.status_code == 400


def test_a_zip_costs_one_render_per_letter(tmp_path):
    from app import create_app
    from conftest import SECRET, Wizard

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "c"),
                      "LETTER_RATE_LIMIT": "4 per hour"})
    wizard = Wizard(app.test_client())
    choose(wizard, ["clearview-ai", "pimeyes", "lenso-ai"])
    assert wizard.download().status_code == 200
    # Three of four renders are spent: a second ZIP of three is refused.
    assert wizard.download().status_code == 429


def test_typed_company_letter_holds_only_what_was_typed(wizard):
    choose(wizard, ["other"], other=OTHER, letter_language="en")
    check = page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert "Another company (typed by you)" in check and "Acme Faces Ltd" in check
    download = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "You typed the details of Acme Faces Ltd yourself" in download
    text = pdf_text(wizard.download().data)
    for typed in ("Acme Faces Ltd", "1 High Street", "EC1A 1AA London", "UNITED KINGDOM", "privacy@acme.example"):
        assert typed in text
    # Nothing we do not know about it: no claim that it runs face search, no decisions, no establishment.
    for claim in ("collects images of faces from the internet", "Article 3(2)(b)", "Article 3(1) GDPR",
                  "because they include biometric data", "organised by face", "representative",
                  "Supervisory authorities have already found"):
        assert claim not in text, claim
    assert "it applies in so far as you process such data" in text
    assert "(Article 3 GDPR)" in text


@pytest.mark.parametrize("field, value, message", [
    ("name", "Acme\u202eevil", "Remove the invisible or control characters from this answer."),
    ("name", "x" * 101, "The company's name must be 100 characters or fewer."),
    ("name", "1234", "Enter the name of the company, using letters."),
    ("street", "1 High\u200b Street", "Remove the invisible or control characters from this answer."),
    ("city", "y" * 101, "The town or city must be 100 characters or fewer."),
    ("email", "not-an-email", "Enter an email address in the correct format, like name@example.com."),
    ("country", "ZZ", "Select the company's country."),
])
def test_hostile_typed_company_is_refused_like_the_persons_own_fields(wizard, field, value, message):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["other"]})
    response = wizard.submit("/other-company", dict(OTHER, **{field: value}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in page_text(html) and f'id="{field}-error"' in html


def test_typed_company_needs_an_address_or_an_email(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["other"]})
    response = wizard.submit("/other-company", dict(OTHER, street="", postcode="", city="", email=""))
    assert "Enter the company's postal address, its email address, or both." in page_text(response.get_data(as_text=True))


def test_html_in_typed_company_is_printed_as_text(wizard):
    choose(wizard, ["other"], other=dict(OTHER, name="<b>Acme</b> & Co"), letter_language="en")
    assert "<b>Acme</b> & Co" in pdf_text(wizard.download().data)


def test_typed_company_letter_cannot_be_followed_up_from_its_pdf(wizard, client):
    choose(wizard, ["other"], other=OTHER, letter_language="en")
    pdf = wizard.download().data
    response, html = wizard.page("/continue")
    response = client.post("/continue", data={"csrf_token": csrf_token(html), "letter": (io.BytesIO(pdf), "l.pdf")},
                           content_type="multipart/form-data")
    assert "Follow-up letters can be written only to companies in this service's list." in \
        page_text(response.get_data(as_text=True))


def test_a_letter_from_the_zip_continues_as_a_follow_up(wizard, client):
    choose(wizard, ["clearview-ai", "pimeyes"])
    archive = zipfile.ZipFile(io.BytesIO(wizard.download().data))
    pdf = archive.read([name for name in archive.namelist() if "pimeyes" in name][0])
    response, html = wizard.page("/continue")
    response = client.post("/continue", data={"csrf_token": csrf_token(html), "letter": (io.BytesIO(pdf), "l.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, page_text(response.get_data(as_text=True))


def sample_letter(app, language="de", company_slug="clearview-ai") -> Letter:
    company = app.extensions["facerights.registry"].get(company_slug)
    person = Person(full_name="Maria Müller", email="maria@example.com", street="Hauptstraße 12", postcode="10115",
                    city="Berlin", country="DE", profile_urls=("https://example.org/me",))
    return new_request_letter(request_type="both", company=company, person=person, language=language, date=date(2026, 11, 29),
                  reference="FR-20261129-K7Q2XM", grounds=("unlawful-biometric",))


@pytest.mark.parametrize("language", ["en", "de", "el"])
def test_mailto_parses_back_to_recipient_copies_subject_and_body(app, language):
    with app.test_request_context():
        letter = sample_letter(app, language)
        link = mailto_link(letter)
    assert len(link) <= MAX_MAILTO_LENGTH
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "legal-requests@clearview.ai"
    query = parse_qs(parts.query)
    assert query["cc"] == ["privacy-requests@clearview.ai"]
    assert "FR-20261129-K7Q2XM" in query["subject"][0]
    body = query["body"][0]
    assert "FR-20261129-K7Q2XM" in body and "Maria" not in body and "\r\n" in body
    if language == "de":
        assert "Sehr geehrte Damen und Herren" in body and "DSGVO" in query["subject"][0]


def test_no_mailto_for_a_company_without_email(app):
    with app.test_request_context():
        assert mailto_link(sample_letter(app, "en", "lenso-ai")) is None


@pytest.mark.parametrize("language, slug", [("en", "clearview-ai"), ("de", "pimeyes"), ("el", "lenso-ai"),
                                            ("pl", "facecheck-id")])
def test_text_and_pdf_say_the_same(app, language, slug):
    from app.letters import letter_pdf

    with app.app_context():
        letter = sample_letter(app, language, slug)
        text, pdf = letter_text(letter), letter_pdf(letter)
    pdf_words = words(pdf_body_text(pdf))
    for paragraph in text.split("\n\n"):
        paragraph = words(re.sub(r"^(\d+\.|[a-z]\.|[α-ω]+\))\s", "", paragraph.strip()))
        if paragraph:
            assert paragraph in pdf_words, paragraph


def test_download_page_has_ready_email_and_text_view(wizard):
    choose(wizard, ["pimeyes", "lenso-ai"])
    html = wizard.client.get("/download").get_data(as_text=True)
    links = re.findall(r'href="(mailto:[^"]+)"', html)
    assert len(links) == 1 and links[0].startswith("mailto:office@pimeyes.com?")
    text_page = wizard.client.get("/letter-text/lenso-ai")
    assert text_page.status_code == 200 and "LENSO AI S.A." in page_text(text_page.get_data(as_text=True))
    assert wizard.client.get("/letter-text/clearview-ai").status_code == 404


def test_each_company_gets_its_own_due_dates(wizard, set_today):
    """Post to the USA takes longer, and each company's country has its own public holidays."""
    set_today(date(2026, 12, 1))
    choose(wizard, ["clearview-ai", "lenso-ai"])
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    # Clearview AI (USA): posted on 1 December, received 15 December, due 15 January 2027.
    # LENSO AI (Poland): received 8 December, due Friday 8 January 2027.
    next_steps = text.index("What happens next")
    clearview, lenso = text.index("Clearview AI", next_steps), text.index("Lenso", next_steps)
    assert "by about 15 January 2027 if you post it today" in text[clearview:lenso]
    assert "by about 8 January 2027 if you post it today" in text[lenso:]
