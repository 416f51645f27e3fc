"""A case over months in a real browser: the letter, its upload, a reply to the company's demand, the
reply uploaded weeks later, the complaint that annexes both, and "Your requests" with both PDFs."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from icalendar import Calendar
from pypdf import PdfReader

from app import create_app
from app.case.model import Person
from app.case.timeline import Clock
from app.letters import letter_pdf
from app.letters.model import new_request_letter
from conftest import SECRET, pdf_text, served
from test_browser import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def case_server(tmp_path_factory):
    """The app served with a clock the test moves forward, as the months of a case pass (and no rate limit:
    the two walks here make more letters in a minute than one visitor may)."""
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies")),
                      "RATELIMIT_ENABLED": False})
    with served(app) as url:
        yield app, url


def set_day(app, day):
    app.extensions["facerights.clock"] = Clock(fixed=day)


def fill_date(page, question, day):
    """A date question's three boxes (GOV.UK date input), found by the question that is their group's name."""
    boxes = page.get_by_role("group", name=question)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        boxes.get_by_label(part, exact=True).fill(str(value))


def download(page, button, path):
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).first.click()  # the first, above the letter
    download_info.value.save_as(path)
    return path.read_bytes()


def test_a_case_over_months_request_reply_complaint_and_your_requests(case_server, browser, tmp_path):
    app, url = case_server
    request = new_request_letter(request_type="access", company=app.extensions["facerights.registry"].get("clearview-ai"),
                                 person=Person(full_name="Lena Schmidt", email="lena@example.de",
                                               street="Hauptstraße 12", postcode="80331", city="München", country="DE"),
                                 language="en", date=date(2026, 11, 2), reference="FR-20261102-ABCDEF")
    with app.app_context():
        letter = tmp_path / "my-letter.pdf"
        letter.write_bytes(letter_pdf(request))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(accept_downloads=True, java_script_enabled=False)

    # 21 December: Clearview has asked for a passport copy. Lena replies.
    set_day(app, date(2026, 12, 21))
    page.goto(url)
    page.get_by_role("link", name="Continue a request").first.click()
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("shopping list")
    page.get_by_label("Your letter (PDF)").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert").get_by_text("The file is not a PDF, or it is damaged.")).to_be_visible()
    page.get_by_label("Your letter (PDF)").set_input_files(str(letter))
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="When and how did you send your letter?").is_visible()
    fill_date(page, "When did you send it?", date(2026, 11, 3))
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("It asked for a copy of an identity document").check()
    fill_date(page, re.compile(r"^When did it answer\?"), date(2026, 11, 20))
    page.get_by_label("Its reference for your request").fill("CV-2026-77")
    page.screenshot(path=SCREENSHOTS / "case-1-situation.png", full_page=True)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your next letter")).to_be_visible()
    expect(page.get_by_text("I have received your reply of 20 November 2026 (your reference CV-2026-77).")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "case-2-reply.png", full_page=True)
    reply = download(page, re.compile(r"^Download this letter"), tmp_path / "reply.pdf")
    text = pdf_text(reply)
    assert "My request of 2 November 2026, reference FR-20261102-ABCDEF: your demand for an identity document" in text
    # Due 17 December (posted to the USA on 3 November): past; the reply, posted on 21 December, sets a new date.
    assert "ended on 17 December 2026 (Article 12(3) GDPR). I nevertheless give you until 19 January 2027" in text
    assert "by 17 December 2026" not in text

    # 25 January 2027, a new visit: Lena uploads her reply. The case knows how the request went.
    set_day(app, date(2027, 1, 25))
    page.context.clear_cookies()
    page.goto(url + "/continue")
    page.get_by_label("Your letter (PDF)").set_input_files(str(tmp_path / "reply.pdf"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What has the company done?")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "case-3-situation.png", full_page=True)
    page.get_by_label("It has not answered my letter of 21 December 2026, and the date I gave has passed").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Complain to the data protection authority").click()
    assert page.get_by_label("Supervisory authority").input_value() == "debaylda"  # Bavaria, from 80331
    page.get_by_label("Language of the complaint").select_option("en")
    page.screenshot(path=SCREENSHOTS / "case-3-complaint.png", full_page=True)
    complaint = download(page, re.compile(r"^Download your complaint \(PDF"), tmp_path / "complaint.pdf")
    text = pdf_text(complaint)
    assert "Complaint under Article 77 GDPR against Clearview AI, Inc." in text
    assert ("20 November 2026: the answer of Clearview AI, Inc., a demand for a copy of an identity document "
            "(its reference CV-2026-77)") in text
    assert "21 December 2026: my letter to Clearview AI, Inc., in which I asked for its answer by 19 January 2027" in text
    pages = PdfReader(tmp_path / "complaint.pdf").pages
    annexes = re.sub(r"\s+", " ", " ".join(page_.extract_text() for page_ in pages[2:]))
    assert "Request for access to my personal data" in annexes and "your demand for an identity document" in annexes

    # Your requests: both PDFs of the case, one case, its next step.
    page.goto(url)
    page.get_by_role("link", name="Your requests").first.click()
    page.get_by_label("Your letters (PDF or ZIP)").set_input_files([str(letter), str(tmp_path / "reply.pdf")])
    page.get_by_role("button", name="Show my requests").click()
    page.screenshot(path=SCREENSHOTS / "case-4-requests.png", full_page=True)
    cards = page.locator(".case-card")
    assert cards.count() == 1
    card = cards.first
    assert "FR-20261102-ABCDEF" in card.inner_text() and "you wrote to the company again" in card.inner_text()
    card.get_by_role("button", name="Write the complaint").click()
    expect(page.get_by_role("heading", name="Complain to the data protection authority")).to_be_visible()
    page.close()


def test_your_requests_gives_one_calendar_with_each_open_cases_next_date(case_server, browser, tmp_path):
    from app.case.model import reply, sent
    from app.letters.model import follow_up_letter

    app, url = case_server
    set_day(app, date(2026, 11, 10))
    registry, timeline = app.extensions["facerights.registry"], app.extensions["facerights.timeline"]
    person = Person(full_name="Eleni Georgiou", email="eleni@example.gr", street="", postcode="", city="", country="GR")
    files = []
    with app.app_context():
        # Two companies answered with a demand; Eleni replied to each on 5 November.
        for slug, reference in (("pimeyes", "FR-20261102-PPPPPP"), ("clearview-ai", "FR-20261102-CCCCCC")):
            letter = new_request_letter(request_type="access", company=registry.get(slug), person=person,
                                        language="el", date=date(2026, 11, 2), reference=reference, channels=("email",))
            case = letter.case.with_event(sent(date(2026, 11, 2), "email")).with_event(
                reply(date(2026, 11, 4), "asked-for-id"))
            path = tmp_path / f"{slug}.pdf"
            path.write_bytes(letter_pdf(follow_up_letter(case, "asked-for-id", day=date(2026, 11, 5), channel="email",
                                                         timeline=timeline)))
            files.append(str(path))
        # And a third letter, to Lenso.ai, not yet sent.
        path = tmp_path / "lenso.pdf"
        path.write_bytes(letter_pdf(new_request_letter(request_type="access", company=registry.get("lenso-ai"),
                                                       person=person, language="el", date=date(2026, 11, 2),
                                                       reference="FR-20261102-LLLLLL", channels=("webform",))))
        files.append(str(path))
    page = browser.new_page(accept_downloads=True, java_script_enabled=False)
    page.goto(url + "/requests")
    page.get_by_label("Your letters (PDF or ZIP)").set_input_files(files)
    page.get_by_role("button", name="Show my requests").click()
    page.screenshot(path=SCREENSHOTS / "requests-three.png", full_page=True)
    assert page.locator(".case-card").count() == 3, page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Add the next date of each request to your calendar (.ics)").click()
    ics = tmp_path / "requests.ics"
    download_info.value.save_as(ics)
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    # The answer periods of both requests end on 2 December 2026 (sent by email on 2 November).
    assert sorted(str(event.decoded("dtstart")) for event in events) == ["2026-12-02", "2026-12-02"]
    assert "Eleni" not in ics.read_text()
    # Lenso.ai's letter does not say when it was sent: its card asks, and continues that case.
    page.get_by_role("button", name="Say when you sent it (Lenso.ai, FR-20261102-LLLLLL)").click()
    fill_date(page, "When did you send it?", date(2026, 11, 2))
    assert page.get_by_label("Through their web form").is_checked()  # from the letter, which named only that way
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What has the company done?")).to_be_visible()
    page.close()
