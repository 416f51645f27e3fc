import http.server
import io
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from html import unescape

import pytest
from pypdf import PdfReader
from werkzeug.serving import make_server

from app import create_app

SECRET = "test-secret-key-for-the-suite-only"

PERSON = {
    "full_name": "Maria Müller-Łęcka",
    "email": "maria@example.com",
    "street": "Hauptstraße 12",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
    "profile_urls": "https://example.org/team/maria\nhttps://example.net/photos/42",
}
REASON = "I was stalked by a former partner and my safety depends on nobody finding me through my face."


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies")})


@pytest.fixture(scope="session")
def language_letters(tmp_path_factory):
    """Each letter kind in each language, laid out once per test session (tests/language_letters.py)."""
    from language_letters import LanguageLetters  # it reads this module's helpers: imported once they exist
    return LanguageLetters(create_app({"TESTING": True, "SECRET_KEY": SECRET,
                                       "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies"))}))


@pytest.fixture
def set_today(app):
    """Fix the app's clock (app/case/timeline.py Clock): every date a page or letter states follows it."""
    from app.case.timeline import Clock

    def set_day(day):
        app.extensions["facerights.clock"] = Clock(fixed=day)
    return set_day


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


# The follow-up's date questions (GOV.UK date input: app/wizard/forms.py DateInputField).
DATE_FIELDS = ("sent", "replied", "letter_date")


def with_date_boxes(data: dict) -> dict:
    """Form data as the browser posts it: a date question's answer, written here "2026-11-03" for short,
    goes as its three boxes (sent-day "3", sent-month "11", sent-year "2026"); "" leaves them empty, and a
    wrong date such as "2026-13-45" is typed into them as it is, split at its dashes."""
    posted = {}
    for name, value in data.items():
        if name in DATE_FIELDS and isinstance(value, str):
            year, month, day = (value.split("-") + ["", "", ""])[:3]
            posted.update({f"{name}-day": day.lstrip("0"), f"{name}-month": month.lstrip("0"), f"{name}-year": year})
        else:
            posted[name] = value
    return posted


class Wizard:
    """Drives the wizard like a browser: GET the page, then POST its form with the page's CSRF token."""

    def __init__(self, client):
        self.client = client

    def page(self, path):
        response = self.client.get(path)
        return response, response.get_data(as_text=True)

    def submit(self, path, data, **kwargs):
        response, html = self.page(path)
        assert response.status_code == 200, (path, response.status_code, response.location)
        return self.client.post(path, data={"csrf_token": csrf_token(html), **data}, **kwargs)

    def answer_all(self, request_type="access", company="clearview-ai", person=PERSON, grounds=None, reason="",
                   letter_language="en", suppression="addresses", channels=None):
        """Every question; ``channels`` None ticks every way the company can be reached."""
        self.submit("/request-type", {"request_type": request_type})
        self.submit("/company", {"company": company})
        self.submit("/sending", {"channels": channels or self.offered_channels("/sending")})
        self.submit("/your-details", person)
        response = self.submit("/letter-language", {"letter_language": letter_language})
        if request_type != "access":
            grounds = grounds or ["unlawful-biometric"]
            self.submit("/erasure-grounds", {"grounds": grounds})
            if "objection" in grounds:
                self.submit("/objection-reason", {"objection_reason": reason})
            response = self.submit("/recollection", {"suppression": suppression})
        assert response.status_code == 302 and response.location.endswith("/check-answers"), response.location
        return response

    def offered_channels(self, path):
        return re.findall(r'name="channels" type="checkbox" value="([a-z]+)"', self.page(path)[1])

    def download(self, data=None, **kwargs):
        """POST the download form (with ``data``, such as a photo)."""
        response, html = self.page("/download")
        assert response.status_code == 200, (response.status_code, response.location)
        return self.client.post("/download", data={"csrf_token": csrf_token(html), **(data or {})},
                                content_type="multipart/form-data", **kwargs)


@pytest.fixture
def wizard(client):
    return Wizard(client)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with whitespace and line-break hyphenation normalised."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def point_markers(text: str) -> list[str]:
    """The markers that begin the lettered points of a letter's lists ("α)", "β)", …), in the text's order:
    each item's marker stands inside it, before its text (letter.css), so the PDF's text gives them so."""
    return re.findall(r"(?:^|[:;·] )(\w{1,2}\))(?= )", text)


def spaced(text: str) -> str:
    """``text`` with every space as pdf_text() and page_text() give it: no-break spaces (in the letters' dates)
    and narrow ones (Bulgarian "г.") become plain ones."""
    return re.sub(r"\s", " ", text)


def page_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def sample_jpeg():
    """A 1200 x 1600 JPEG with EXIF (camera, GPS) as a phone would send it."""
    from PIL import Image
    image = Image.new("RGB", (1200, 1600), (205, 160, 130))
    exif = Image.Exif()
    exif[0x010F] = "SentinelCam"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 12.0), 1: "N"}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


@pytest.fixture
def canary():
    """A local HTTP server that counts every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, headless, with nothing that would call out of this machine.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def served(app):
    """``app`` on a free loopback port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run sh scripts/test.sh"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
