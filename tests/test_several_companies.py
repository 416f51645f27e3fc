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


def choose(wizard, companies, other=None, request_type="access", letter_language="company", channels=None):
    wizard.submit("/request-type", {"request_type": request_type})
    response = wizard.submit("/company", {"company": companies})
    assert response.status_code == 302, response.get_data(as_text=True)
    if other is not None:
        response = wizard.submit("/other-company", other)
        assert response.status_code == 302, page_text(response.get_data(as_text=True))
    # Every way at least one of the companies offers, as the download page once ticked by default.
    wizard.submit("/sending", {"channels": channels or wizard.offered_channels("/sending")})
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
                      "LETTER_RATE_LIMIT": "9 per hour"})
    wizard = Wizard(app.test_client())
    choose(wizard, ["clearview-ai", "pimeyes", "lenso-ai"])
    assert wizard.download().status_code == 200  # three layouts for the page, three renders for the ZIP
    # Six of nine are spent: the page shows once more (three), the second ZIP of three is refused.
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


def test_a_typed_companys_download_page_gives_a_real_ics(wizard):
    """Issue 18 (G7): the calendar links of the download page work for a company the person typed."""
    from icalendar import Calendar

    choose(wizard, ["other"], other=OTHER, letter_language="en", channels=["letter", "email"])
    html = wizard.client.get("/download").get_data(as_text=True)
    links = sorted(set(re.findall(r'href="(/download/other/deadline\.ics\?channel=\w+)"', html)))
    assert links == ["/download/other/deadline.ics?channel=email", "/download/other/deadline.ics?channel=letter"]
    with wizard.client.session_transaction() as state:
        reference = state["reference"]
    days = {}
    for link in links:
        response = wizard.client.get(link)
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{reference}-deadline.ics"'
        event = list(Calendar.from_ical(response.data).walk("VEVENT"))[0]
        assert str(event["summary"]) == f"Answer due from Acme Faces Ltd ({reference})"
        assert PERSON["full_name"] not in response.data.decode()
        days[link.rsplit("=", 1)[1]] = event.decoded("dtstart")
    # Posted to London it arrives later than an email: its answer is due later.
    assert days["letter"] > days["email"]
    assert wizard.client.get("/download/other/deadline.ics?channel=webform").status_code == 400  # it has none


def test_typed_company_letter_is_followed_up_from_its_pdf(wizard, client):
    """N-L12: the letter's answers carry the typed company, so its case continues."""
    choose(wizard, ["other"], other=OTHER, letter_language="en")
    pdf = wizard.download().data
    response, html = wizard.page("/continue")
    response = client.post("/continue", data={"csrf_token": csrf_token(html), "letter": (io.BytesIO(pdf), "l.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith("/after/sent"), \
        page_text(response.get_data(as_text=True))


@pytest.mark.parametrize("channels", [
    ["email"],
    # Posted to Clearview AI, the letter to PimEyes carries no postal address (review N4).
    ["letter", "email"],
])
def test_a_letter_from_the_zip_continues_as_a_follow_up(wizard, client, channels):
    choose(wizard, ["clearview-ai", "pimeyes"], channels=channels)
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


# --- issue 19: the journey, second pass (review of 4 December 2026) -------------------------------------------

def section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_with_two_companies_the_download_page_previews_both_letters_with_a_copy_each(wizard):
    """Review N3: one <details> per company, each letter before its own button, and its copy in the page language."""
    choose(wizard, ["lenso-ai", "pimeyes"])
    wizard.client.get("/language/el")
    html = wizard.client.get("/download").get_data(as_text=True)
    read = section(html, "<h2>2. ", "<h2>3. ")
    summaries = re.findall(r"<summary>([^<]+)</summary>", read)
    assert summaries == ["Διαβάστε την επιστολή προς Lenso.ai", "Διαβάστε την ίδια επιστολή στα Ελληνικά",
                         "Διαβάστε την επιστολή προς PimEyes", "Διαβάστε την ίδια επιστολή στα Ελληνικά"]
    chunks = read.split('<details class="details letter">')[1:]
    for chunk, slug, name in zip(chunks, ("lenso-ai", "pimeyes"), ("LENSO AI S.A.", "PimEyes")):
        letter = section(chunk, '<section class="letter-preview" lang="en"', "</section>")
        assert name in letter and "Request for access to my personal data under" in letter
        copy = section(chunk, '<section class="letter-preview" lang="el"', "</section>")
        assert name in copy and "Για το αρχείο σας, μην το στείλετε" in copy
        # The letter's own button after its text; its copy's button after the copy.
        assert chunk.index("</section>") < chunk.index(f'name="letter" value="{slug}">')
        assert chunk.count(f'name="letter" value="{slug}"') == 2
    # The first download button comes before any letter's text (review N2).
    assert html.index("Λήψη ZIP με τις επιστολές σας") < html.index('class="letter-preview"')


def test_each_letter_downloads_on_its_own_besides_the_zip(wizard):
    """Review N10: a PDF per company (a ZIP is awkward on a phone); its copy for the records, per company."""
    choose(wizard, ["clearview-ai", "pimeyes"])
    html = wizard.client.get("/download").get_data(as_text=True)
    label = re.search(r'value="pimeyes">(Download the letter to PimEyes \(PDF, (\d) pages\))</button>', html)
    assert label, "no download button for the PimEyes letter"
    response = wizard.client.post("/download", data={"csrf_token": csrf_token(html), "letter": "pimeyes"},
                                  content_type="multipart/form-data")
    assert response.mimetype == "application/pdf"
    assert re.fullmatch(r'attachment; filename="FR-\d{8}-[A-Z0-9]{6}-pimeyes-access.pdf"',
                        response.headers["Content-Disposition"])
    text = pdf_text(response.data)
    assert "PimEyes" in text and "Clearview" not in text
    assert f"Page {label.group(2)} of {label.group(2)}" in text
    assert "Your browser saves the ZIP file, or the PDF, with your other downloads." in page_text(html)
    bad = wizard.client.post("/download", data={"csrf_token": csrf_token(html), "letter": "lenso-ai"},
                             content_type="multipart/form-data")
    assert bad.status_code == 400 and "Something was wrong with that request" in bad.get_data(as_text=True)
    # The copy for the records of the second letter, in the page language.
    wizard.client.get("/language/de")
    html = wizard.client.get("/download").get_data(as_text=True)
    response = wizard.client.post("/download/records-copy", data={"csrf_token": csrf_token(html), "letter": "pimeyes"})
    assert response.headers["Content-Disposition"].endswith('-pimeyes-access-de-for-your-records.pdf"')
    assert "PimEyes" in pdf_text(response.data) and "Für Ihre Unterlagen, nicht absenden" in pdf_text(response.data)


def test_web_forms_and_emails_are_links_for_every_company(wizard):
    """Review N7: the several-letters page links web forms and emails, as the one-letter page does."""
    choose(wizard, ["clearview-ai", "pimeyes", "lenso-ai"])
    html = wizard.client.get("/download").get_data(as_text=True)
    send = section(html, "<h2>3. ", "<h2>4. ")
    assert '<a class="copyable" href="https://pimeyes.com/en/opt-out-request-form">' in send
    assert '<a class="copyable" href="https://lenso.ai/en/blog/guides/how-to-send-an-image-opt-out-request-on-lensoai">' in send
    mailtos = re.findall(r'<a class="copyable mailto" href="mailto:([^"?]+)\?[^"]+">([^<]+)</a>', send)
    assert mailtos == [("legal-requests@clearview.ai", "legal-requests@clearview.ai"),
                       ("office@pimeyes.com", "office@pimeyes.com")]
    for company in ("Clearview AI", "PimEyes", "Lenso.ai"):
        assert f"<h3>{company}</h3>" in send
    assert "Keep the PDF of each letter" in page_text(html) and '<a href="/continue">' in html


def test_each_company_has_its_own_calendar_file(wizard, set_today):
    """Review N10: an .ics per company, with that company's date and reference."""
    from icalendar import Calendar

    set_today(date(2026, 12, 1))
    choose(wizard, ["clearview-ai", "lenso-ai"])
    html = wizard.client.get("/download").get_data(as_text=True)
    links = re.findall(r'href="(/download/([a-z-]+)/deadline\.ics\?channel=([a-z]+))"', html)
    assert {(slug, channel) for _, slug, channel in links} == {
        ("clearview-ai", "letter"), ("clearview-ai", "email"), ("lenso-ai", "letter"), ("lenso-ai", "webform")}
    references = dict(re.findall(r"<h3>([^<]+)</h3>\s*<p>Reference: (FR-[0-9A-Z-]+)</p>", html))
    response = wizard.client.get("/download/lenso-ai/deadline.ics?channel=letter")
    assert response.mimetype == "text/calendar"
    event = list(Calendar.from_ical(response.data).walk("VEVENT"))[0]
    # As the page says: posted to Poland on 1 December, received 8 December, due Friday 8 January 2027.
    assert event.decoded("dtstart") == date(2027, 1, 8)
    assert "Lenso.ai" in str(event["summary"]) and references["Lenso.ai"] in str(event["summary"])  # its brand
    assert references["Lenso.ai"] != references["Clearview AI"]
    assert "Maria" not in response.get_data(as_text=True)
    assert 'class="visually-hidden">Lenso.ai: </span>if you post it today</a>' in html
    assert wizard.client.get("/download/lenso-ai/deadline.ics?channel=email").status_code == 400  # no email
    assert wizard.client.get("/download/pimeyes/deadline.ics?channel=email").status_code == 404  # not chosen


def test_the_postal_address_is_printed_only_on_letters_that_go_by_post(wizard):
    """Review N4: posting to Clearview AI does not put the home address on the letter to PimEyes, which takes no post
    (nor in the answers its PDF carries); the person's authority still comes from their postcode."""
    choose(wizard, ["clearview-ai", "pimeyes"], channels=["letter", "email"])
    archive = zipfile.ZipFile(io.BytesIO(wizard.download().data))
    for slug, posted in (("clearview-ai", True), ("pimeyes", False)):
        pdf = archive.read([name for name in archive.namelist() if f"-{slug}-" in name][0])
        record = PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0].decode()
        assert ("Hauptstraße 12" in pdf_text(pdf)) is posted and ("10115" in pdf_text(pdf)) is posted
        assert ("Hauptstraße 12" in record) is posted
        assert "Maria Müller-Łęcka" in pdf_text(pdf) and "Germany" in pdf_text(pdf)
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in text


def test_the_details_page_says_which_letters_carry_the_address(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["clearview-ai", "pimeyes"]})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    assert ("It is printed only on the letters that go by post, so only those companies learn it."
            in page_text(wizard.client.get("/your-details").get_data(as_text=True)))


def test_an_address_given_though_nothing_is_posted_is_printed_as_the_details_page_says(wizard):
    choose(wizard, ["clearview-ai", "pimeyes"], channels=["email"])
    archive = zipfile.ZipFile(io.BytesIO(wizard.download().data))
    assert all("Hauptstraße 12" in pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf"))
