"""Issue 9 in a real browser: upload a letter, write the reminder, take the deadline, complain."""
from datetime import date

import pytest
from icalendar import Calendar

from app.letters import letter_pdf
from app.case.model import Person
from app.letters.model import Letter, new_request_letter
from conftest import pdf_text
from test_browser import SCREENSHOTS, live_server  # noqa: F401  (a module fixture)

pytestmark = pytest.mark.browser


def test_a_person_uploads_their_letter_sends_a_reminder_and_complains(live_server, browser, app, tmp_path):  # noqa: F811
    request = new_request_letter(request_type="access", company=app.extensions["facerights.registry"].get("clearview-ai"),
                     person=Person(full_name="Lena Schmidt", email="lena@example.de", street="Hauptstraße 12",
                                   postcode="80331", city="München", country="DE"),
                     language="en", date=date(2026, 11, 2), reference="FR-20261102-ABCDEF")
    with app.app_context():
        letter = tmp_path / "my-letter.pdf"
        letter.write_bytes(letter_pdf(request))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(accept_downloads=True, java_script_enabled=False)
    page.goto(live_server)
    page.get_by_role("link", name="Continue a request").click()

    # A file that is not a PDF first: the message appears next to the field.
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("shopping list")
    page.get_by_label("Your letter (PDF)").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("alert").get_by_text("The file is not a PDF, or it is damaged.").is_visible()

    page.get_by_label("Your letter (PDF)").set_input_files(str(letter))
    page.screenshot(path=SCREENSHOTS / "after-1-continue.png", full_page=True)
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="When and how did you send your letter?").is_visible()
    page.get_by_label("When did you send it?").fill("2026-11-03")
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("It has not answered, and the deadline has passed").check()
    page.screenshot(path=SCREENSHOTS / "after-2-situation.png", full_page=True)
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="Your next letter").is_visible()
    page.screenshot(path=SCREENSHOTS / "after-3-letter.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    reminder = tmp_path / "reminder.pdf"
    download_info.value.save_as(reminder)
    text = pdf_text(reminder.read_bytes())
    assert "Reminder: my request of 2 November 2026, reference FR-20261102-ABCDEF" in text
    assert "Lena Schmidt" in text and "(Article 12(4) GDPR)" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add the deadline to your calendar (.ics)").click()
    ics = tmp_path / "deadline.ics"
    download_info.value.save_as(ics)
    event = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))[0]
    assert event.decoded("dtstart") == date(2026, 12, 17)  # by post to the USA: received 17 November
    assert "Lena" not in ics.read_text()

    page.get_by_role("link", name="Complain to the data protection authority").click()
    authority = page.get_by_label("Supervisory authority")
    assert authority.input_value() == "debaylda"  # Bavaria, from the postcode 80331
    assert page.get_by_label("Language of the complaint").input_value() == "de"
    page.get_by_label("Language of the complaint").select_option("en")
    page.screenshot(path=SCREENSHOTS / "after-4-complaint.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    complaint = tmp_path / "complaint.pdf"
    download_info.value.save_as(complaint)
    text = pdf_text(complaint.read_bytes())
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in text
    assert "Complaint under Article 77 GDPR against Clearview AI, Inc." in text
    assert "Request for access to my personal data under Article 15 GDPR" in text  # the annex
    page.close()
