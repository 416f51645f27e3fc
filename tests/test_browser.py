"""One person, one real browser: Debian's Chromium driven by Playwright through the whole wizard."""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app import create_app
from conftest import REASON, SECRET, pdf_text, served

SCREENSHOTS = Path(os.environ.get("FACERIGHTS_SCREENSHOTS", "/tmp/facerights-screenshots"))
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    # Every test of this module is one visitor to the budget (127.0.0.1): together they lay out more letters
    # than the default 10 a minute allows one person. The budget's own tests are in test_hosting.py.
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies")),
                      "LETTER_RATE_LIMIT": "60 per minute; 600 per hour"})
    with served(app) as url:
        yield url



def test_a_person_fills_in_the_wizard_and_downloads_the_letter(live_server, browser, tmp_path, sample_jpeg):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(accept_downloads=True, java_script_enabled=False)

    page.goto(live_server)
    page.screenshot(path=SCREENSHOTS / "1-start.png", full_page=True)
    page.get_by_role("button", name="Start now").click()

    page.get_by_label("Both: a copy of my data first, then deletion").check()
    page.get_by_role("button", name="Continue").click()

    # Continue without choosing: the error appears, then is fixed.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert").get_by_text("Select at least one company you want to write to.")).to_be_visible()
    page.get_by_label("Clearview AI", exact=True).check()
    page.screenshot(path=SCREENSHOTS / "2-company.png", full_page=True)
    page.get_by_role("button", name="Continue").click()

    # Posted, and emailed: the letter needs the postal address.
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Full name").fill("Sofia Παπαδοπούλου")
    page.get_by_label("Email address").fill("sofia@example.org")
    page.get_by_label("Street and house number").fill("Via Roma 1")
    page.get_by_label("Postcode").fill("00184")
    page.get_by_label("Town or city").fill("Roma")
    page.get_by_label("Country").select_option(label="Italy")
    page.get_by_label("Web pages with photos of you (optional)").fill("https://example.org/sofia")
    page.get_by_role("button", name="Continue").click()

    # The letter language comes before the objection reason, which is written in it.
    assert page.get_by_label("Language of the letter").input_value() == "en"
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_label("They process my biometric data without a lawful basis").is_checked()
    page.get_by_label("I object to their processing of my data, for a reason of my own").check()
    page.get_by_role("button", name="Continue").click()
    # The reason is its own page, asked only of a person who objects, in the letter's language.
    expect(page.get_by_text("Part 3 of 3: Your letter")).to_be_visible()
    page.get_by_label("Why do you object?").fill(REASON)
    expect(page.get_by_text("Write it in English, the language of your letter")).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_label("No template of my face: they may keep only the web addresses my photos came from").is_checked()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "3-check-answers.png", full_page=True)
    # Change the town, and come back to the summary.
    page.get_by_role("link", name="Change postal address").click()
    page.get_by_label("Town or city").fill("Milano")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("00184 Milano")).to_be_visible()
    page.get_by_role("button", name="Continue to your letter").click()

    photo = tmp_path / "face.jpg"
    photo.write_bytes(sample_jpeg)
    page.get_by_label("A photo of your face (optional)").set_input_files(str(photo))
    page.screenshot(path=SCREENSHOTS / "4-download.png", full_page=True)
    with page.expect_download() as download_info:
        # The page count comes from the PDF itself (the letter grew with issue 17): any number, in the label.
        page.get_by_role("button", name=re.compile(r"^Download your letter \(PDF, \d+ pages\)$")).first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("FR-") and download.suggested_filename.endswith("-both.pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    text = pdf_text(target.read_bytes())
    assert "Sofia Παπαδοπούλου" in text and "00184 Milano" in text and "Italy" in text
    assert "Part A: access (Article 15 GDPR)" in text and REASON in text
    assert "I enclose a photograph of my face." in text
    page.close()


def test_a_greek_speaker_writes_an_english_erasure_letter_to_clearview(live_server, browser, tmp_path):
    """Issue 3: the wizard in Greek, by its Greek labels; the letter in English, Clearview's language."""
    page = browser.new_page(accept_downloads=True, java_script_enabled=False, locale="en-GB")
    page.goto(live_server)
    page.get_by_role("link", name="Change language").click()  # the header's link to every language
    page.get_by_role("link", name="Ελληνικά").click()
    assert page.locator("html").get_attribute("lang") == "el"
    assert page.url == live_server + "/"  # back where the person was
    page.screenshot(path=SCREENSHOTS / "el-1-start.png", full_page=True)
    page.get_by_role("button", name="Ξεκινήστε τώρα").click()

    page.get_by_label("Να διαγραφούν τα δεδομένα μου").check()
    page.get_by_role("button", name="Συνέχεια").click()
    page.get_by_label("Clearview AI").check()
    page.get_by_role("button", name="Συνέχεια").click()
    page.get_by_label("Ταχυδρομικά").check()
    page.get_by_role("button", name="Συνέχεια").click()

    page.get_by_label("Ονοματεπώνυμο").fill("Μαρία Παπαδοπούλου")
    page.get_by_label("Διεύθυνση email").fill("maria@example.gr")
    page.get_by_label("Οδός και αριθμός").fill("Ερμού 15")
    page.get_by_label("Ταχυδρομικός κώδικας").fill("105 63")
    page.get_by_label("Πόλη").fill("Αθήνα")
    page.get_by_label("Χώρα").select_option(label="Ελλάδα")
    page.get_by_role("button", name="Συνέχεια").click()

    language = page.get_by_label("Γλώσσα της επιστολής")
    assert language.input_value() == "en"  # Clearview's request language
    page.get_by_role("button", name="Συνέχεια").click()

    # Nothing chosen: the Greek error appears next to the field.
    page.get_by_label("Επεξεργάζονται τα βιομετρικά δεδομένα μου χωρίς νόμιμη βάση").uncheck()
    page.get_by_role("button", name="Συνέχεια").click()
    expect(page.get_by_role("alert").get_by_text("Επιλέξτε τουλάχιστον έναν λόγο διαγραφής.")).to_be_visible()
    page.get_by_label("Επεξεργάζονται τα βιομετρικά δεδομένα μου χωρίς νόμιμη βάση").check()
    page.get_by_role("button", name="Συνέχεια").click()
    page.get_by_role("button", name="Συνέχεια").click()  # what they may keep: the default

    expect(page.get_by_role("heading", name="Ελέγξτε τις απαντήσεις σας")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "el-2-check-answers.png", full_page=True)
    page.get_by_role("button", name="Συνέχεια στην επιστολή σας").click()

    page.screenshot(path=SCREENSHOTS / "el-3-download.png", full_page=True)
    # The English letter, read in the page before it is downloaded.
    assert page.locator("section.letter-preview[lang=en]").get_by_text(
        "Request for erasure of my personal data under Article 17 GDPR").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"^Λήψη της επιστολής σας \(PDF, \d σελίδες\)$")).first.click()
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    text = pdf_text(target.read_bytes())
    assert "Request for erasure of my personal data under Article 17 GDPR" in text
    assert "Για το αρχείο σας" not in text

    # The same letter in Greek, to read and keep: marked on the page and on every page of its PDF.
    page.locator("details.records summary").click()
    copy = page.locator("section.letter-preview[lang=el]")
    expect(copy.get_by_text("Για το αρχείο σας, μην το στείλετε")).to_be_visible()
    expect(copy.get_by_text("Αίτημα διαγραφής").first).to_be_visible()
    with page.expect_download() as download_info:
        page.locator("details.records button").click()
    assert download_info.value.suggested_filename.endswith("-erasure-el-for-your-records.pdf")
    target = tmp_path / "copy.pdf"
    download_info.value.save_as(target)
    copy_text = pdf_text(target.read_bytes())
    pages = int(re.search(r"Σελίδα 1 από (\d)", copy_text).group(1))
    assert copy_text.count("Για το αρχείο σας, μην το στείλετε") == pages
    assert "Μαρία Παπαδοπούλου" in copy_text
    assert "Μαρία Παπαδοπούλου" in text and "Αθήνα" in text and "Greece" in text
    page.close()


def test_a_person_writes_to_three_companies_and_gets_a_zip_a_ready_email_and_the_text(live_server, browser, tmp_path):
    import io
    import re
    import zipfile
    from urllib.parse import parse_qs, unquote, urlsplit

    from test_several_companies import pdf_body_text, words

    page = browser.new_page(accept_downloads=True, java_script_enabled=False)
    page.goto(live_server)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Find out what they hold about me").check()
    page.get_by_role("button", name="Continue").click()
    for name in ("Clearview AI", "PimEyes", "Lenso.ai"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    # Every way at least one of them offers; each letter names only its own company's.
    page.get_by_label("By email").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").fill("Jan de Vries")
    page.get_by_label("Email address").fill("jan@example.org")
    page.get_by_label("Street and house number").fill("Damrak 1")
    page.get_by_label("Postcode").fill("1012 LG")
    page.get_by_label("Town or city").fill("Amsterdam")
    page.get_by_label("Country").select_option(label="Netherlands")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_label("Language of the letter").input_value() == "company"
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".summary-list").inner_text()
    assert "Clearview AI" in summary and "PimEyes" in summary and "Lenso.ai" in summary
    page.get_by_role("button", name="Continue to your letter").click()

    mailto = page.locator("a.mailto").first.get_attribute("href")
    parts = urlsplit(mailto)
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query)
    assert unquote(parts.path) in ("legal-requests@clearview.ai", "office@pimeyes.com")
    assert re.search(r"FR-\d{8}-[A-Z0-9]{6}", query["subject"][0]) and "Jan" not in query["body"][0]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download ZIP with your letters").click()
    path = tmp_path / "letters.zip"
    download_info.value.save_as(path)
    archive = zipfile.ZipFile(path)
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert len(pdfs) == 3 and "README.txt" in archive.namelist()
    pimeyes_pdf = archive.read([name for name in pdfs if "-pimeyes-" in name][0])

    page.goto(f"{live_server}/download")
    page.get_by_role("link", name="The whole letter to PimEyes as text, to paste into a web form or an email").click()
    text = page.get_by_label("The whole letter").input_value()
    assert "PimEyes" in text
    pdf_words = words(pdf_body_text(pimeyes_pdf))
    for paragraph in text.split("\n\n"):
        paragraph = words(re.sub(r"^(\d+\.|[a-z]\.)\s", "", paragraph.strip()))
        if paragraph:
            assert paragraph in pdf_words, paragraph
