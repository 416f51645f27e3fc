"""Nothing personal readable outside the letter; no caching; the headers every response carries."""
import re

import pytest

from conftest import PERSON, REASON


@pytest.mark.parametrize("path", ["/", "/request-type", "/no-such-page", "/static/css/site.css", "/check-answers"])
def test_every_response_forbids_caching(client, path):
    with client.get(path) as response:
        assert response.headers["Cache-Control"] == "no-store, max-age=0"


def test_pdf_download_forbids_caching(wizard):
    wizard.answer_all("access")
    assert wizard.download().headers["Cache-Control"] == "no-store, max-age=0"


def test_no_answer_is_readable_in_the_cookies(wizard):
    wizard.answer_all("both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    cookies = "".join(cookie.value for cookie in wizard.client._cookies.values())
    assert cookies
    for value in [PERSON["full_name"], "Maria", "maria@example.com", "Hauptstra", "10115", "stalked",
                  "clearview", "both"]:
        assert value not in cookies
    import base64
    for cookie in wizard.client._cookies.values():
        padded = cookie.value + "=" * (-len(cookie.value) % 4)
        decoded = base64.urlsafe_b64decode(padded)
        assert b"Maria" not in decoded and b"maria@example.com" not in decoded


def test_state_cookie_flags(wizard):
    response = wizard.submit("/request-type", {"request_type": "access"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("facerights=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_state_cookie_is_a_browser_session_cookie(wizard):
    """Review F9: Max-Age=7200 wrote the answers to the browser profile, to outlive the browser."""
    long_greek_reason = ("Με παρακολουθούσε ένας πρώην σύντροφος και η ασφάλειά μου εξαρτάται από αυτό. " * 20)[:1490]
    response = wizard.answer_all("both", grounds=["unlawful-biometric", "objection"], reason=long_greek_reason)
    cookies = [value for name, value in response.headers.items() if name == "Set-Cookie"]
    assert len(cookies) >= 2  # the long reason is split over several cookies
    for cookie in cookies:
        assert "Max-Age" not in cookie and "Expires" not in cookie, cookie


def test_cookie_is_secure_whenever_the_request_is_https(app):
    response = app.test_client().get("/request-type", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Secure" not in app.test_client().get("/request-type").headers["Set-Cookie"]


def test_a_response_that_changed_nothing_sends_no_cookie(wizard):
    """A request that read the older state (the previous page's favicon, a stylesheet, another tab) may be
    answered after the page that changed it: had it sent its copy of the state back, the browser would have
    lost the newer one, and with it the page's CSRF token (CI: a 400 on the next POST)."""
    assert "Set-Cookie" in wizard.client.get("/request-type").headers  # the page's new CSRF token
    for path in ("/request-type", "/favicon.ico", "/letter-points.css", "/static/css/site.css", "/privacy"):
        with wizard.client.get(path) as response:
            assert "Set-Cookie" not in response.headers, path
    assert wizard.submit("/request-type", {"request_type": "access"}).status_code == 302


def test_secure_cookie_behind_https(app, wizard):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = wizard.client.get("/request-type", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_personal_data_never_travels_in_urls(wizard):
    """Every form posts; no redirect or link carries an answer."""
    wizard.answer_all("both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    for path in ["/", "/request-type", "/company", "/sending", "/your-details", "/erasure-grounds",
                 "/objection-reason", "/check-answers", "/download"]:
        html = wizard.client.get(path).get_data(as_text=True)
        # The only GET forms are buttons ("Start now", "Continue to your letter"): no field in them.
        for form in re.findall(r'<form method="get".*?</form>', html, flags=re.DOTALL | re.IGNORECASE):
            assert not re.search(r"<(input|textarea|select)\b", form), (path, form)
        for href in __import__("re").findall(r'href="([^"]+)"', html):
            assert "Maria" not in href and "maria%40" not in href and "maria@" not in href
