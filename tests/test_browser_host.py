"""An NGO's settings, seen in Debian's Chromium: logo, colour, footer links, one company, welcome text,
the privacy notice; no CSP violation in the console, and hostile text shown as text."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from PIL import Image

from conftest import SECRET, served
from app import create_app

SCREENSHOTS = Path(os.environ.get("FACERIGHTS_SCREENSHOTS", "/tmp/facerights-screenshots"))
HOSTILE = "<script>alert(1)</script>"
pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def live_servers(tmp_path_factory):
    """Two hosts on free loopback ports: a campaign with every setting, and one with hostile texts."""
    folder = tmp_path_factory.mktemp("instance")
    logo = folder / "logo.png"
    Image.new("RGB", (180, 60), (250, 200, 30)).save(logo, format="PNG")
    common = {"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(folder / "companies")}
    campaign = create_app({**common, "HOST_NAME": "Digital Rights Example", "HOST_LOGO": str(logo),
                           "HOST_ACCENT_COLOUR": "#0b4f6c", "HOST_PRIVACY_URL": "https://ngo.example/privacy",
                           "HOST_IMPRINT_URL": "https://ngo.example/imprint",
                           "HOST_CONTACT_URL": "mailto:help@ngo.example",
                           "HOST_SUPERVISORY_AUTHORITY": "Example Data Protection Authority",
                           "HOST_SUPERVISORY_AUTHORITY_URL": "https://dpa.example",
                           "HOST_WELCOME": {"en": "Ask Clearview what it holds about you.",
                                            "de": "Fragen Sie Clearview, was es über Sie gespeichert hat."},
                           "COMPANIES_SHOWN": ["clearview-ai"]})
    hostile = create_app({**common, "HOST_NAME": HOSTILE, "HOST_WELCOME": {"en": HOSTILE + " & <b>bold</b>"}})
    with served(campaign) as campaign_url, served(hostile) as hostile_url:
        yield [campaign_url, hostile_url]



@pytest.fixture
def page(browser):
    """A page (JavaScript on, so that an injected script would run) that records console messages and dialogs."""
    page = browser.new_page(locale="en-GB")
    page.console_messages, page.dialogs = [], []
    page.on("console", lambda message: page.console_messages.append(message.text))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    page.close()


def assert_no_csp_violation(page):
    assert not [text for text in page.console_messages if "Content Security Policy" in text], page.console_messages
    assert page.dialogs == []


def test_the_console_would_show_a_csp_violation(live_servers, page):
    """The check below can fail: an inline style is refused, and Chromium says so in the console."""
    page.goto(live_servers[0])
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in text for text in page.console_messages)


def test_the_campaign_looks_like_its_host(live_servers, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_servers[0])

    logo = page.locator("header img.site-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 180
    expect(page.get_by_role("link", name="Digital Rights Example", exact=True)).to_be_visible()
    header_colour = page.locator("header.site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_colour == "rgb(11, 79, 108)"
    assert page.locator(".tagline").evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    expect(page.get_by_text("Ask Clearview what it holds about you.")).to_be_visible()

    footer = page.locator("footer")
    for name, href in [("Privacy", "/privacy"), ("Privacy notice of Digital Rights Example",
                                                 "https://ngo.example/privacy"),
                       ("Legal notice", "https://ngo.example/imprint"), ("Help and contact", "mailto:help@ngo.example")]:
        link = footer.get_by_role("link", name=name, exact=True)
        assert link.is_visible() and link.get_attribute("href") == href
    page.screenshot(path=SCREENSHOTS / "host-1-start.png", full_page=True)

    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Find out what they hold about me").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("checkbox").count() == 1
    expect(page.get_by_label("Clearview AI", exact=True)).to_be_visible()
    assert page.get_by_text("PimEyes").count() == 0
    page.screenshot(path=SCREENSHOTS / "host-2-one-company.png", full_page=True)
    # The footer follows the visitor onto every page.
    assert page.locator("footer").get_by_role("link", name="Help and contact").is_visible()

    page.get_by_role("button", name="Change language").click()  # a question page: a button of its form
    page.get_by_role("link", name="Deutsch").click()
    page.goto(live_servers[0])
    expect(page.get_by_text("Fragen Sie Clearview, was es über Sie gespeichert hat.")).to_be_visible()
    expect(page.locator("footer").get_by_role("link", name="Impressum")).to_be_visible()
    assert_no_csp_violation(page)


def test_a_campaign_link_to_a_company_it_does_not_show_is_not_found(live_servers, page):
    response = page.goto(live_servers[0] + "/company/pimeyes")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_no_csp_violation(page)


def test_the_privacy_notice_names_the_host(live_servers, page):
    page.goto(live_servers[0])
    page.locator("footer").get_by_role("link", name="Privacy", exact=True).click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(page.get_by_text("This service is run by Digital Rights Example, the controller")).to_be_visible()
    authority = page.get_by_role("link", name="Example Data Protection Authority")
    assert authority.get_attribute("href") == "https://dpa.example"
    expect(page.get_by_text("It records no IP address")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "host-3-privacy.png", full_page=True)
    page.get_by_role("link", name="Change language").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Ελληνικά").click()
    expect(page.get_by_role("heading", name="Ενημέρωση για την προστασία δεδομένων", level=1)).to_be_visible()
    expect(page.get_by_text("Την υπηρεσία αυτή λειτουργεί ο φορέας Digital Rights Example")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "host-4-privacy-el.png", full_page=True)
    assert_no_csp_violation(page)


def test_hostile_host_texts_are_shown_literally(live_servers, page):
    page.goto(live_servers[1])
    assert page.locator("header .site-name").inner_text() == HOSTILE
    expect(page.get_by_text(HOSTILE + " & <b>bold</b>")).to_be_visible()
    assert page.locator("script").count() == 0 and page.locator("main b").count() == 0
    assert page.title().endswith(HOSTILE)
    page.goto(live_servers[1] + "/privacy")
    assert page.locator("script").count() == 0
    page.screenshot(path=SCREENSHOTS / "host-5-hostile.png", full_page=True)
    assert_no_csp_violation(page)
