"""WCAG 2.2 AA in a real browser (issue 11): axe-core on every page and every error state in English,
German and Greek, no page wider than a 320 px viewport, a keyboard-only journey to the PDF, and the
letter preview that reads like the PDF.

One Chromium and one server for the module; each language walks the wizard once in one page.
"""
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from app import create_app
from conftest import REASON, SECRET, pdf_text, served

SCREENSHOTS = Path(os.environ.get("FACERIGHTS_SCREENSHOTS", "/tmp/facerights-screenshots")) / "a11y"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    # The walk loads the download page many times: the letter rate limit is not under test here.
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False,
                      "HOST_CONTACT_URL": "mailto:help@ngo.example",
                      "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies"))})
    with served(app) as url:
        yield url



@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


class Audit:
    """Checks the page it is given: axe's WCAG A and AA rules, and reflow at 320 px."""

    def __init__(self, axe, language):
        self.axe, self.language, self.checked = axe, language, []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, state):
        # A click returns once the next page starts loading: check it with its stylesheet applied.
        page.wait_for_load_state("load")
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                              "resultTypes": ["violations"]})
        assert results.violations_count == 0, f"{self.language} {state}:\n{results.generate_report()}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{self.language} {state}: the page is {width} px wide at 320 px"
        page.screenshot(path=SCREENSHOTS / f"{self.language}-{len(self.checked):02d}-{state}-320.png", full_page=True)
        self.checked.append(state)


def submit(page):
    page.locator("#question-form button[type=submit]:not([name])").click()


def focused_class(page) -> str:
    """The focused element's class, once autofocus has run (it runs after the page has loaded)."""
    for _ in range(50):
        name = page.evaluate("document.activeElement.className")
        if name:
            return name
        page.wait_for_timeout(20)
    return ""


@pytest.mark.parametrize("language", ["en", "de", "el"])
def test_every_page_and_error_state_passes_axe_and_reflows_at_320_px(live_server, browser, axe, language, tmp_path):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = context.new_page()
    audit = Audit(axe, language)
    page.goto(f"{live_server}/language/{language}")
    assert page.locator("html").get_attribute("lang") == language
    audit(page, "start")

    page.locator("form[action='/request-type'] button").click()
    submit(page)  # nothing chosen
    assert page.locator(".error-summary").count() == 1
    audit(page, "request-type-error")
    page.locator("#request_type-2").check()
    submit(page)

    submit(page)
    audit(page, "company-error")
    page.locator("input[value='clearview-ai']").check()
    audit(page, "company")
    submit(page)

    page.locator("input[name=channels]").first.uncheck()
    submit(page)
    audit(page, "sending-error")
    page.locator("input[value=letter]").check()
    page.locator("input[value=email]").check()
    submit(page)

    audit(page, "your-details")
    submit(page)  # everything empty
    audit(page, "your-details-error")
    page.locator("#full_name").fill("Μαρία Müller")
    page.locator("#email").fill("maria@")
    page.locator("#street").fill("Hauptstraße 12")
    page.locator("#postcode").fill("10115")
    page.locator("#city").fill("Berlin")
    page.locator("#country").select_option("DE")
    page.locator("#profile_urls").fill("example.org/me")
    submit(page)
    audit(page, "your-details-error-email-url")
    page.locator("#email").fill("maria@example.org")
    page.locator("#profile_urls").fill("https://example.org/me")
    submit(page)

    audit(page, "letter-language")
    submit(page)

    page.locator("#grounds-0").uncheck()
    submit(page)
    audit(page, "erasure-grounds-error")
    page.locator("#grounds-0").check()
    page.locator("#grounds-2").check()
    submit(page)

    submit(page)
    audit(page, "objection-reason-error")
    page.locator("#objection_reason").fill(REASON)
    submit(page)

    audit(page, "recollection")
    submit(page)

    audit(page, "check-answers")
    page.locator("form[action='/download'] button").click()
    audit(page, "download")
    if language != "en":
        page.locator("details.records summary").click()
        audit(page, "download-records-copy-open")
    bad = tmp_path / "not-a-photo.jpg"
    bad.write_bytes(b"not an image")
    page.locator("#photo").set_input_files(str(bad))
    submit(page)
    audit(page, "download-error-photo")

    page.goto(f"{live_server}/delete-answers?next=/check-answers")
    audit(page, "delete-answers")
    page.goto(f"{live_server}/no-such-page")
    audit(page, "404")
    page.goto(f"{live_server}/privacy")
    audit(page, "privacy")
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + b"0" * (11 * 1024 * 1024))
    page.goto(f"{live_server}/download")
    page.locator("#photo").set_input_files(str(big))
    submit(page)
    assert page.locator("main a[href='/download']").count() == 1  # back to the photo
    audit(page, "413")

    # Someone outside the GDPR: the page that says why.
    page.goto(f"{live_server}/your-details?return=check")
    page.locator("#country").select_option("US")
    submit(page)
    audit(page, "not-covered")
    context.close()
    assert len(audit.checked) >= 20


def test_the_error_summary_takes_focus_and_its_links_show_label_and_error(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/language/en")
    page.goto(f"{live_server}/request-type")
    page.get_by_label("Find out what they hold about me").check()
    submit(page)
    page.get_by_label("Clearview AI").check()
    submit(page)
    submit(page)  # by email, the default
    submit(page)  # nothing typed
    assert focused_class(page) == "error-summary"
    page.get_by_role("link", name="Enter your full name.").click()
    assert page.evaluate("document.activeElement.id") == "full_name"
    label_top = page.locator("label[for=full_name]").bounding_box()["y"]
    error_top = page.locator("#full_name-error").bounding_box()["y"]
    assert label_top >= 0 and error_top >= 0, "the label and its error are scrolled out of view"
    context.close()


def test_changing_the_language_on_a_question_page_keeps_what_was_typed(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/language/en")
    page.goto(f"{live_server}/request-type")
    page.get_by_label("Find out what they hold about me").check()
    submit(page)
    page.get_by_label("Clearview AI").check()
    submit(page)
    submit(page)
    page.get_by_label("Full name").fill("Sofia Παπαδοπούλου")
    page.get_by_label("Town or city").fill("Roma")
    page.get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("#full_name").input_value() == "Sofia Παπαδοπούλου"
    assert page.locator("#city").input_value() == "Roma"
    assert page.locator(".error-summary").count() == 0  # a draft, not a failed submit
    context.close()


def test_a_keyboard_only_journey_to_the_pdf(live_server, browser, tmp_path):
    """Tab, Enter and Space only, no JavaScript; the error summary is focused after a failed submit."""
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    keyboard = page.keyboard
    page.goto(f"{live_server}/language/en")

    def tab_to(predicate, limit=60):
        for _ in range(limit):
            keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    def focused_is(text):
        return f"document.activeElement.textContent.trim() === {text!r}"

    def focused_id(element_id):
        return f"document.activeElement.id === {element_id!r}"

    tab_to(focused_is("Start now"))
    keyboard.press("Space")
    page.wait_for_url("**/request-type*")
    tab_to(focused_is("Continue"))
    keyboard.press("Enter")  # nothing chosen
    page.wait_for_selector(".error-summary")
    assert focused_class(page) == "error-summary"
    tab_to(focused_id("request_type-0"))
    keyboard.press("Space")
    tab_to(focused_is("Continue"))
    keyboard.press("Enter")
    page.wait_for_url("**/company")
    tab_to(focused_id("company-0"))
    keyboard.press("Space")
    tab_to(focused_is("Continue"))
    keyboard.press("Space")
    page.wait_for_url("**/sending")
    tab_to(focused_is("Continue"))  # by email, as Clearview recommends
    keyboard.press("Enter")
    page.wait_for_url("**/your-details")
    tab_to(focused_id("country"))  # asked first
    keyboard.type("Netherlands")
    for field, text in (("full_name", "Kim Keyboard"), ("email", "kim@example.org")):
        tab_to(focused_id(field))
        keyboard.type(text)
    tab_to(focused_is("Continue"))
    keyboard.press("Enter")
    page.wait_for_url("**/letter-language")
    tab_to(focused_is("Continue"))
    keyboard.press("Enter")
    page.wait_for_url("**/check-answers")
    tab_to(focused_is("Continue to your letter"))
    keyboard.press("Space")
    page.wait_for_url("**/download*")
    tab_to("document.activeElement.textContent.trim().startsWith('Download your letter (PDF, ')")
    with page.expect_download() as download_info:
        keyboard.press("Enter")
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    text = pdf_text(target.read_bytes())
    assert "Kim Keyboard" in text and "Netherlands" in text and "Sent by email to" in text
    context.close()


def normalised_words(text: str) -> list[str]:
    """Words of a letter, as compared between page and PDF: the PDF's page footers, list markers and
    section numbers (CSS-generated in both) left out."""
    text = unicodedata.normalize("NFKC", text).replace("\u2060", "").replace("\u00ad", "")
    text = re.sub(r"Reference FR-\d{8}-[A-Z0-9]{6} Page \d+ of \d+", " ", text)
    words = text.split()
    marker = re.compile(r"^(\d+\.|[a-zα-ω]{1,2}[.)]|•)$")
    return [word for word in words if not marker.match(word)]


def without(words: list[str], part: list[str]) -> list[str]:
    """``words`` without the run of words ``part`` (which must be in it)."""
    for start in range(len(words) - len(part) + 1):
        if words[start:start + len(part)] == part:
            return words[:start] + words[start + len(part):]
    raise AssertionError(f"not found in order: {' '.join(part)}")


def test_the_preview_reads_exactly_like_the_pdf(live_server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server}/language/en")
    page.goto(f"{live_server}/request-type")
    page.get_by_label("Both: a copy of my data first, then deletion").check()
    submit(page)
    page.get_by_label("Lenso.ai").check()
    submit(page)
    page.get_by_label("Through their web form").check()
    page.get_by_label("By post").uncheck()
    submit(page)
    # Sent through the web form only: no postal address.
    page.get_by_label("Full name").fill("Ana Costa")
    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Country").select_option(label="Portugal")
    submit(page)
    submit(page)  # English
    page.get_by_label("I object to their processing of my data, for a reason of my own").check()
    submit(page)
    page.locator("#objection_reason").fill(REASON)
    submit(page)
    submit(page)
    page.get_by_role("button", name="Continue to your letter").click()
    preview = page.locator("section.letter-preview").first.inner_text()
    head = normalised_words(page.locator("section.letter-preview .head").first.inner_text())
    label = page.locator("#question-form button[type=submit]").inner_text()
    with page.expect_download() as download_info:
        page.locator("#question-form button[type=submit]").click()
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    pdf = target.read_bytes()
    in_page, in_pdf = normalised_words(preview), normalised_words(pdf_text(pdf))
    # The same words, each as often...
    assert Counter(in_page) == Counter(in_pdf)
    # ...in the same order. The PDF paints the address window and the date block, which are
    # positioned, after the text of page 1 that flows: compare them apart.
    assert without(in_page, head) == without(in_pdf, head)
    pages = int(re.search(r"PDF, (\d+) pages", label).group(1))
    assert f"Page {pages} of {pages}" in pdf_text(pdf)
    assert "Ana Costa" in preview and REASON in preview and "Hauptstraße" not in preview
    assert "CNPD – Comissão Nacional de Protecção de Dados" in page.locator("main").inner_text()
    context.close()
