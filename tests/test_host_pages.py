"""What the host's settings change on the pages, the logo and colour responses, and /privacy."""
import re

import pytest
from PIL import Image

from app import create_app
from app.cli import companies_command
from conftest import Wizard, page_text

HOSTILE = "<script>alert(1)</script>"


def make_app(tmp_path, **settings):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "COMPANIES_FOLDER": str(tmp_path / "companies"),
                       **settings})


def png(tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (20, 90, 160)).save(path, format="PNG")
    return path


def test_logo_is_served_with_the_strict_headers_and_shown_in_the_header(tmp_path):
    logo = png(tmp_path)
    client = make_app(tmp_path, HOST_LOGO=str(logo)).test_client()
    response = client.get("/host/logo")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == logo.read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["Cache-Control"] == "no-store"
    assert '<img class="site-logo" src="/host/logo" alt="" width="120" height="40">' in client.get("/").text


def test_without_logo_or_colour_there_is_neither(client):
    assert client.get("/host/logo").status_code == 404
    assert client.get("/host.css").status_code == 404
    html = client.get("/").text
    assert "site-logo" not in html and "host.css" not in html


def test_accent_colour_is_a_stylesheet_not_inline_style(tmp_path):
    client = make_app(tmp_path, HOST_ACCENT_COLOUR="#0B4F6C").test_client()
    response = client.get("/host.css")
    assert response.mimetype == "text/css" and "--host-accent: #0b4f6c;" in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = client.get("/").text
    assert '<link rel="stylesheet" href="/host.css">' in html
    assert "style=" not in html and "<style" not in html


def test_footer_links_on_every_page(tmp_path):
    client = make_app(tmp_path, HOST_NAME="Digital Rights Example", HOST_PRIVACY_URL="https://ngo.example/privacy",
                      HOST_IMPRINT_URL="https://ngo.example/imprint?lang=en&x=1",
                      HOST_CONTACT_URL="mailto:help@ngo.example").test_client()
    for path in ["/", "/request-type", "/no-such-page"]:
        html = client.get(path).text
        footer = html[html.index('<footer'):]
        assert '<a href="https://ngo.example/privacy">Privacy notice of Digital Rights Example</a>' in footer
        assert '<a href="https://ngo.example/imprint?lang=en&amp;x=1">Legal notice</a>' in footer
        assert '<a href="mailto:help@ngo.example">Help and contact</a>' in footer


def test_without_host_links_the_footer_has_none(client):
    footer = client.get("/").text.split("<footer")[1]
    assert re.findall(r'<a href="([^"]+)"', footer) == []


def test_hostile_name_and_welcome_text_are_shown_as_text(tmp_path):
    client = make_app(tmp_path, HOST_NAME=HOSTILE, HOST_WELCOME={"en": HOSTILE + ' "quoted" & more'}).test_client()
    for path in ["/", "/request-type"]:
        html = client.get(path).text
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; more</p>' in client.get("/").text


def test_welcome_text_in_the_page_language_else_the_default_language(tmp_path):
    client = make_app(tmp_path, HOST_WELCOME={"en": "Welcome from the campaign.", "de": "Willkommen zur Kampagne."},
                      BABEL_DEFAULT_LOCALE="en").test_client()
    assert '<p class="host-welcome" lang="de">Willkommen zur Kampagne.</p>' in \
        client.get("/", headers={"Accept-Language": "de"}).text
    assert '<p class="host-welcome" lang="en">Welcome from the campaign.</p>' in \
        client.get("/", headers={"Accept-Language": "fr"}).text
    assert "host-welcome" not in client.get("/request-type").text


def test_a_campaign_shows_only_its_company_everywhere(tmp_path):
    app = make_app(tmp_path, COMPANIES_SHOWN=["clearview-ai"])
    client = app.test_client()
    Wizard(client).submit("/request-type", {"request_type": "access"})
    text = page_text(client.get("/company").text)
    assert "Clearview AI" in text and "PimEyes" not in text and "Lenso" not in text
    assert client.get("/company/pimeyes").status_code == 404
    assert client.get("/company/clearview-ai").status_code == 302
    listing = app.test_cli_runner().invoke(companies_command).output
    assert listing.startswith("clearview-ai") and "pimeyes" not in listing and len(listing.splitlines()) == 1
    # A company outside the campaign cannot be posted either.
    wizard = Wizard(app.test_client())
    wizard.submit("/request-type", {"request_type": "access"})
    response = wizard.submit("/company", {"company": "pimeyes"})
    assert response.status_code == 400
    assert wizard.submit("/company", {"company": "clearview-ai"}).status_code == 302


def test_the_letter_command_refuses_a_company_outside_the_campaign(tmp_path):
    from app.cli import letter_command
    app = make_app(tmp_path, COMPANIES_SHOWN="pimeyes")
    person = tmp_path / "person.json"
    person.write_text("{}")
    result = app.test_cli_runner().invoke(letter_command, ["--company", "clearview-ai", "--request", "access",
                                                           "--person", str(person), "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "--company: unknown company 'clearview-ai'; choose one of pimeyes" in result.output
