"""The personas of the journey review of 4 December 2026 (docs: ../shared/reference/journey-review-2026-12-04.md),
each on their phone in Debian's Chromium, without JavaScript: they finish their journey with no more pages
than the review counted (Anna 10, Eleni 9, Chris 5 and 5), and the review's sticking points are gone."""
import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from datetime import date

from app import create_app
from app.case.model import Person
from app.case.record import ATTACHMENT_NAME
from app.case.timeline import Clock
from app.letters import letter_pdf
from app.letters.model import new_request_letter
from conftest import SECRET, pdf_text, served
from test_browser import SCREENSHOTS, live_server  # noqa: F401  (a module fixture: the app as hosts run it)

pytestmark = pytest.mark.browser


class Journey:
    """One person's phone: every page that loads is counted (a redirect's target once, a download never)."""

    def __init__(self, browser, name, **context):
        self.name = name
        self.context = browser.new_context(accept_downloads=True, java_script_enabled=False, **context)
        self.page = self.context.new_page()
        self.pages = []
        self.page.on("load", lambda: self.pages.append(urlsplit(self.page.url).path))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(self, label):
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=SCREENSHOTS / f"persona-{self.name}-{len(self.pages):02d}-{label}.png", full_page=True)

    def next(self):
        """The page's main button (Continue, Weiter, Συνέχεια...)."""
        self.page.locator("#question-form button[type=submit]:not([name])").first.click()
        self.page.wait_for_load_state("load")

    def download(self, button, target):
        with self.page.expect_download() as info:
            button.click()
        info.value.save_as(target)
        return info.value.suggested_filename, target.read_bytes()

    def screens_down(self, locator) -> float:
        """How many phone screens down the page the element ends (1.0: it ends at the bottom of the first)."""
        self.page.evaluate("window.scrollTo(0, 0)")
        box = locator.bounding_box()
        return (box["y"] + box["height"]) / self.page.viewport_size["height"]


def test_anna_has_her_data_erased_by_clearview_from_a_german_phone(live_server, browser, tmp_path,  # noqa: F811
                                                                     sample_jpeg):
    """Persona (a): Germany, 360 x 740, browser in German; erasure from Clearview AI, with a photo; 4 inputs."""
    anna = Journey(browser, "anna", viewport={"width": 360, "height": 740}, locale="de-DE")
    page = anna.page
    page.goto(live_server)
    assert page.locator("html").get_attribute("lang") == "de"  # from the browser
    page.get_by_role("button", name="Jetzt beginnen").click()
    expect(page.get_by_text("Teil 1 von 3: Ihre Anfrage")).to_be_visible()
    page.get_by_label("Meine Daten löschen lassen").check()
    anna.next()
    assert page.get_by_text("Teil 1 von 3: Ihre Anfrage").is_visible()  # the total did not change (review N9)
    page.get_by_label("Clearview AI", exact=True).check()
    anna.next()
    # Email, as Clearview AI recommends, is ticked; the sentence about the letter's internals is gone (N13).
    assert page.get_by_label("Per E-Mail").is_checked() and not page.get_by_label("Per Post").is_checked()
    expect(page.get_by_text("E-Mail ist am schnellsten.")).to_be_visible()
    anna.shoot("sending")
    anna.next()
    # The country comes first (N15); the address is optional, since nothing goes by post.
    assert page.locator("main select, main input:not([type=hidden]), main textarea").first.get_attribute("id") == "country"
    page.get_by_label("Land, in dem Sie wohnen").select_option("DE")
    page.get_by_label("Vollständiger Name").fill("Anna Schmidt")
    page.get_by_label("E-Mail-Adresse").fill("anna.schmidt@example.de")
    anna.shoot("your-details")
    anna.next()
    assert page.get_by_label("Sprache des Briefs").input_value() == "en"
    anna.next()
    expect(page.get_by_text("Teil 3 von 3: Ihr Brief")).to_be_visible()
    anna.next()  # the ground ticked for her
    # The hard choice, with the advice she needs (N14).
    expect(page.get_by_text("Wenn Sie unsicher sind, wählen Sie die erste Möglichkeit")).to_be_visible()
    anna.shoot("recollection")
    anna.next()
    page.get_by_role("button", name="Weiter zu Ihrem Brief").click()
    page.wait_for_load_state("load")
    anna.shoot("download")

    # The download button is on her first two screens, before the letter's text (N2).
    first_button = page.get_by_role("button", name=re.compile(r"^Ihren Brief herunterladen \(PDF, \d Seiten\)$")).first
    assert anna.screens_down(first_button) <= 2
    assert first_button.bounding_box()["y"] < page.locator("section.letter-preview").first.bounding_box()["y"]
    # She is told to keep the PDF, and where to come back with it (N5).
    expect(page.get_by_text("Bewahren Sie dieses PDF auf: Es enthält Ihre Antworten.")).to_be_visible()
    assert page.get_by_role("link", name="Eine Anfrage fortsetzen").get_attribute("href") == "/continue"
    # The file button's words, in German, whatever the browser writes on it (N18).
    expect(page.get_by_text("die Schaltfläche „Datei auswählen“")).to_be_visible()

    photo = tmp_path / "anna.jpg"
    photo.write_bytes(sample_jpeg)
    page.get_by_label("Ein Foto Ihres Gesichts (freiwillig)").set_input_files(str(photo))
    filename, pdf = anna.download(first_button, tmp_path / "anna.pdf")
    assert filename.endswith("-clearview-ai-erasure.pdf")
    text = pdf_text(pdf)
    assert "Anna Schmidt" in text and "I enclose a photograph of my face." in text and "Germany" in text
    assert anna.pages == ["/", "/request-type", "/company", "/sending", "/your-details", "/letter-language",
                          "/erasure-grounds", "/recollection", "/check-answers", "/download"]  # 10, as before
    anna.context.close()


def test_eleni_asks_pimeyes_and_lenso_in_greek_and_reads_both_letters(live_server, browser, tmp_path):  # noqa: F811
    """Persona (b): a Greek speaker with an English browser, 390 x 844; access from PimEyes and Lenso.ai."""
    eleni = Journey(browser, "eleni", viewport={"width": 390, "height": 844}, locale="en-GB")
    page = eleni.page
    page.goto(live_server)
    page.get_by_text("This service in your language").click()  # on the start page: a tap, not a page
    page.get_by_role("link", name="Ελληνικά").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Ξεκινήστε τώρα").click()
    page.get_by_label("Να μάθω τι διατηρούν για μένα").check()
    eleni.next()
    page.get_by_label("PimEyes", exact=True).check()
    page.get_by_label("Lenso.ai", exact=True).check()
    eleni.next()
    # Nothing ticked: post would have made her give her home address, printed on both letters (N4).
    assert page.locator("input[name=channels]:checked").count() == 0
    eleni.shoot("sending")
    page.get_by_label("Με ηλεκτρονικό ταχυδρομείο").check()
    page.get_by_label("Μέσω της φόρμας ιστού της εταιρείας").check()
    eleni.next()
    expect(page.get_by_text("Ταχυδρομική διεύθυνση (προαιρετικό)")).to_be_visible()
    page.get_by_label("Χώρα διαμονής").select_option("GR")
    page.get_by_label("Ονοματεπώνυμο").fill("Ελένη Παπαδοπούλου")
    page.get_by_label("Διεύθυνση email").fill("eleni@example.gr")
    eleni.next()
    assert page.get_by_label("Γλώσσα της επιστολής").input_value() == "company"
    eleni.next()
    page.get_by_role("button", name="Συνέχεια στην επιστολή σας").click()
    page.wait_for_load_state("load")
    eleni.shoot("download")

    # The ZIP, and each letter on its own, before any letter's text, on her first two screens (N2, N10).
    zip_button = page.get_by_role("button", name="Λήψη ZIP με τις επιστολές σας")
    assert eleni.screens_down(zip_button) <= 2
    pimeyes_button = page.locator("#question-form").get_by_role(
        "button", name=re.compile(r"^Λήψη της επιστολής προς PimEyes \(PDF, \d σελίδες\)$"))
    assert eleni.screens_down(pimeyes_button) <= 2
    # Both letters can be read before she sends them, each with a copy in Greek (N3).
    assert page.locator("details.letter > summary").all_inner_texts() == [
        "Διαβάστε την επιστολή προς Lenso.ai", "Διαβάστε την επιστολή προς PimEyes"]
    letter = page.locator("details.letter", has_text="Διαβάστε την επιστολή προς PimEyes")
    letter.locator("summary").first.click()
    assert letter.locator("section.letter-preview[lang=en]").get_by_text(
        "Request for access to my personal data under Article 15 GDPR").is_visible()
    letter.locator("details.records > summary").click()
    copy = letter.locator("section.letter-preview[lang=el]")
    expect(copy.get_by_text("Για το αρχείο σας, μην το στείλετε")).to_be_visible()
    expect(copy.get_by_text("PimEyes").first).to_be_visible()
    eleni.shoot("download-pimeyes-open")
    # Where to send each one: links, not text to copy by hand (N7); a calendar file for each company (N10).
    assert page.locator("a[href='https://pimeyes.com/en/opt-out-request-form']").count() == 1
    assert page.locator("a[href^='mailto:office@pimeyes.com?']").count() == 1
    assert page.locator("a[href^='https://lenso.ai/']").count() == 1
    assert page.locator("a[href^='/download/pimeyes/deadline.ics']").count() == 2  # by email, by its web form
    assert page.locator("a[href^='/download/lenso-ai/deadline.ics']").count() == 1  # by its web form
    assert page.get_by_role("link", name="Συνέχιση αιτήματος").get_attribute("href") == "/continue"

    # She downloads the PimEyes letter on its own: a PDF her phone opens, with no home address.
    filename, pdf = eleni.download(letter.get_by_role("button", name=re.compile(r"^Λήψη της επιστολής προς PimEyes")),
                                   tmp_path / "pimeyes.pdf")
    assert re.fullmatch(r"FR-\d{8}-[A-Z0-9]{6}-pimeyes-access\.pdf", filename)
    text = pdf_text(pdf)
    assert "Ελένη Παπαδοπούλου" in text and "Greece" in text and "PimEyes" in text and "LENSO" not in text
    record = json.loads(PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0])
    assert record["person"]["street"] == "" and record["request"]["channels"] == ["email", "webform"]
    # And the ZIP, for her records, with its index in Greek.
    _, data = eleni.download(zip_button, tmp_path / "letters.zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(name.split("-", 3)[-1] for name in archive.namelist() if name.endswith(".pdf")) == [
        "lenso-ai-access.pdf", "pimeyes-access.pdf"]
    assert "Αριθμός αναφοράς" in archive.read("README.txt").decode()
    assert eleni.pages == ["/", "/", "/request-type", "/company", "/sending", "/your-details", "/letter-language",
                           "/check-answers", "/download"]  # 9, as before
    eleni.context.close()


@pytest.fixture
def chris_server(tmp_path):
    """The app as hosts run it (the letter budget on), on a clock the test sets: Chris's visits are weeks apart."""
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies")})
    with served(app) as url:
        yield app, url


def fill_date(page, question, day):
    """The three boxes of a date question (GOV.UK date input), in the group the question names."""
    boxes = page.get_by_role("group", name=question)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        boxes.get_by_label(part, exact=True).fill(str(value))


def test_chris_replies_to_clearviews_passport_demand_and_later_complains_to_the_dpc(chris_server, browser, tmp_path):
    """Persona (c): Ireland, 390 x 844. His Clearview AI access request (made with the command line on 23 October,
    sent by email) got a demand for his passport. On 4 December he replies (the review: 5 pages, 7 taps, 3
    inputs); on 8 January, in a new visit with that reply's PDF, he complains to the Irish DPC (the review: 5
    pages with the reply's PDF)."""
    app, url = chris_server
    person = Person(full_name="Chris Byrne", email="chris.byrne@example.ie", street="", postcode="", city="",
                    country="IE")
    request = new_request_letter(request_type="access", company=app.extensions["facerights.registry"].get("clearview-ai"),
                                 person=person, language="en", date=date(2026, 10, 23), reference="FR-20261023-CHRSBY",
                                 channels=("email",))
    with app.app_context():
        original = tmp_path / "FR-20261023-CHRSBY-clearview-ai-access.pdf"
        original.write_bytes(letter_pdf(request))

    # 4 December 2026: the reply to the demand for an ID document.
    app.extensions["facerights.clock"] = Clock(fixed=date(2026, 12, 4))
    chris = Journey(browser, "chris", viewport={"width": 390, "height": 844}, locale="en-IE")
    page = chris.page
    page.goto(url)
    page.get_by_role("link", name="Continue a request").first.click()
    page.get_by_label("Your letter (PDF)").set_input_files(str(original))
    chris.next()
    # When and how: three boxes for the date (review N11), and email ticked from his letter (N12).
    assert page.get_by_role("heading", name="When and how did you send your letter?").is_visible()
    assert page.get_by_label("By email").is_checked()
    assert page.get_by_text("2026-11-29").count() == 0
    fill_date(page, "When did you send it?", date(2026, 10, 23))
    chris.shoot("sent")
    chris.next()
    page.get_by_label("It asked for a copy of an identity document").check()
    fill_date(page, re.compile(r"^When did it answer\?"), date(2026, 11, 20))
    chris.shoot("situation")
    chris.next()
    expect(page.get_by_role("heading", name="Your next letter")).to_be_visible()
    chris.shoot("letter")
    # The download before the letter's words, on his first screens; the letter read in the page (N2, N3).
    first_button = page.get_by_role("button", name=re.compile(r"^Download this letter \(PDF, \d pages?\)$")).first
    assert chris.screens_down(first_button) <= 2
    preview = page.locator("section.letter-preview[lang=en]")
    assert first_button.bounding_box()["y"] < preview.bounding_box()["y"]
    expect(preview.get_by_text("your demand for an identity document", exact=False).first).to_be_visible()
    # His request's period ended on 23 November: the reply says so and gives a new date, never a past one (N1).
    expect(page.get_by_text(re.compile(r"It asks Clearview AI to answer by \d+ December 2026\."))).to_be_visible()
    assert page.get_by_role("link", name="Continue a request").get_attribute("href") == "/continue"
    assert page.get_by_role("link", name="Your requests").get_attribute("href") == "/requests"
    filename, reply = chris.download(first_button, tmp_path / "reply.pdf")
    assert filename == "FR-20261023-CHRSBY-clearview-ai-asked-for-id.pdf"
    text = pdf_text(reply)
    assert "ended on 23 November 2026" in text and "by 23 November 2026" not in text
    assert chris.pages == ["/", "/continue", "/after/sent", "/after/situation", "/after/letter"]  # 5, as before
    chris.context.close()

    # 8 January 2027, a new visit: Clearview has not answered his reply. He uploads the reply's PDF.
    app.extensions["facerights.clock"] = Clock(fixed=date(2027, 1, 8))
    chris = Journey(browser, "chris-complaint", viewport={"width": 390, "height": 844}, locale="en-IE")
    page = chris.page
    page.goto(url)
    page.get_by_role("link", name="Continue a request").first.click()
    page.get_by_label("Your letter (PDF)").set_input_files(str(tmp_path / "reply.pdf"))
    chris.next()
    # The reply carries when and how the request went: no question about it again.
    expect(page.get_by_role("heading", name="What has the company done?")).to_be_visible()
    page.get_by_label("It has not answered my letter of 4 December 2026, and the date I gave has passed").check()
    chris.next()
    page.get_by_role("link", name="Complain to the data protection authority").click()
    page.wait_for_load_state("load")
    chris.shoot("complaint")
    assert page.get_by_label("Supervisory authority").input_value() == "iedpc"
    assert page.get_by_label("Language of the complaint").input_value() == "en"
    # The authority's web form and email are links (N7); the complaint is read before its download (N3).
    expect(page.locator("main a[href='https://forms.dataprotection.ie/contact']")).to_be_visible()
    expect(page.locator("main a[href='mailto:info@dataprotection.ie']")).to_be_visible()
    complaint_button = page.get_by_role("button", name=re.compile(
        r"^Download your complaint \(PDF, \d pages?, then your letters as annexes\)$")).first
    assert chris.screens_down(complaint_button) <= 2
    complaint_preview = page.locator("section.letter-preview[lang=en]")
    assert complaint_button.bounding_box()["y"] < complaint_preview.bounding_box()["y"]
    expect(complaint_preview.get_by_text(re.compile("Irish Data Protection Commission")).first).to_be_visible()
    filename, complaint = chris.download(complaint_button, tmp_path / "complaint.pdf")
    assert filename == "FR-20261023-CHRSBY-clearview-ai-complaint.pdf"
    text = pdf_text(complaint)
    assert "Complaint under Article 77 GDPR against Clearview AI, Inc." in text and "Chris Byrne" in text
    # His reply is part of the story, and of the annexes (review sticking point 3).
    assert "4 December 2026: my letter to Clearview AI, Inc." in text
    assert "Request for access to my personal data" in text and "your demand for an identity document" in text
    assert chris.pages == ["/", "/continue", "/after/situation", "/after/letter", "/complaint"]  # 5, as before
    chris.context.close()
