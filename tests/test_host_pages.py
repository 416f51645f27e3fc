"""What the host's settings change on the pages, the logo and colour responses, and /privacy."""
import re

import pytest
from PIL import Image

from conftest import SECRET
from app import create_app
from app.commands.companies import companies_command
from app.host.notice import rate_limit_store
from conftest import Wizard, page_text
from language_letters import LANGUAGES, per_language

HOSTILE = "<script>alert(1)</script>"


def make_app(tmp_path, **settings):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies"),
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
    assert response.headers["Cache-Control"] == "no-store, max-age=0"
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
    for path in ["/", "/request-type", "/privacy", "/no-such-page"]:
        html = client.get(path).text
        footer = html[html.index('<footer'):]
        assert '<a href="/privacy">Privacy</a>' in footer
        assert '<a href="https://ngo.example/privacy">Privacy notice of Digital Rights Example</a>' in footer
        assert '<a href="https://ngo.example/imprint?lang=en&amp;x=1">Legal notice</a>' in footer
        assert '<a href="mailto:help@ngo.example">Help and contact</a>' in footer


def test_without_host_links_the_footer_links_only_the_privacy_notice(client):
    footer = client.get("/").text.split("<footer")[1]
    assert re.findall(r'<a href="([^"]+)"', footer) == ["/privacy"]


def test_hostile_name_and_welcome_text_are_shown_as_text(tmp_path):
    client = make_app(tmp_path, HOST_NAME=HOSTILE, HOST_WELCOME={"en": HOSTILE + ' "quoted" & more'}).test_client()
    for path in ["/", "/privacy"]:
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
    from app.commands.letter import letter_command
    app = make_app(tmp_path, COMPANIES_SHOWN="pimeyes")
    person = tmp_path / "person.json"
    person.write_text("{}")
    result = app.test_cli_runner().invoke(letter_command, ["--company", "clearview-ai", "--request", "access",
                                                           "--person", str(person), "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "--company: unknown company 'clearview-ai'; choose one of pimeyes" in result.output


# --- /privacy ---------------------------------------------------------------------------------------

def privacy_text(client, language="en"):
    response = client.get("/privacy", headers={"Accept-Language": language})
    assert response.status_code == 200
    return page_text(response.text)


def test_privacy_notice_names_the_host_and_its_links(tmp_path):
    client = make_app(tmp_path, HOST_NAME="Digital Rights Example", HOST_CONTACT_URL="https://ngo.example/contact",
                      HOST_SUPERVISORY_AUTHORITY="Example Data Protection Authority",
                      HOST_SUPERVISORY_AUTHORITY_URL="https://dpa.example").test_client()
    text = privacy_text(client)
    assert "This service is run by Digital Rights Example, the controller" in text
    html = client.get("/privacy").text
    assert ('The supervisory authority responsible for Digital Rights Example is '
            '<a href="https://dpa.example">Example Data Protection Authority</a>.') in html
    assert "European Data Protection Board" not in text
    assert html.count('<a href="https://ngo.example/contact">Help and contact</a>') == 2  # notice and footer


def test_privacy_notice_says_honestly_when_the_host_is_not_named(client):
    text = privacy_text(client)
    assert "has not given its name in the service's settings" in text
    assert "The host has not given any contact details" in text
    assert "The European Data Protection Board lists the supervisory authorities." in text
    assert "How long these logs are kept is up to the host" in text


def test_privacy_notice_follows_the_answers_lifetime(tmp_path):
    text = privacy_text(make_app(tmp_path).test_client())
    assert "can no longer be read 2 hours after you began answering, however often you use them" in text
    assert "Your browser deletes the cookie when you close it." in text
    text = privacy_text(make_app(tmp_path, STATE_MAX_AGE=5400).test_client())
    assert "can no longer be read 90 minutes after you began answering" in text and "read 2 hours" not in text


def test_privacy_notice_reads_the_cookie_the_code_sets(tmp_path):
    """The state cookie is a browser-session cookie (no Max-Age, no Expires): the notice says so."""
    app = make_app(tmp_path)
    wizard = Wizard(app.test_client())
    cookie = wizard.submit("/request-type", {"request_type": "access"}).headers["Set-Cookie"]
    assert "Max-Age" not in cookie and "Expires" not in cookie
    text = privacy_text(app.test_client())
    assert "Your browser deletes the cookie when you close it." in text
    assert "Your browser deletes the cookie 2 hours" not in text


def test_privacy_notice_follows_the_log_setting(tmp_path):
    text = privacy_text(make_app(tmp_path).test_client())
    assert "It records no IP address" in text and "records your IP address" not in text
    text = privacy_text(make_app(tmp_path, ACCESS_LOG_ADDRESSES=True, HOST_LOG_RETENTION_DAYS=7).test_client())
    assert "the server's log records your IP address" in text and "It records no IP address" not in text
    assert "The host keeps these logs for 7 days." in text


def test_privacy_notice_follows_the_rate_limits(tmp_path):
    text = privacy_text(make_app(tmp_path).test_client())
    assert "kept in the server's memory only, and each is deleted after 1 hour at most" in text
    text = privacy_text(make_app(tmp_path, RATELIMIT_DEFAULT="30 per minute", LETTER_RATE_LIMIT="5 per day").test_client())
    assert "each is deleted after 1 day at most" in text
    text = privacy_text(make_app(tmp_path, RATELIMIT_ENABLED=False).test_client())
    assert "This service does not count visitors' requests." in text and "keyed" not in text


def test_privacy_notice_names_the_answers_cookie(tmp_path):
    text = privacy_text(make_app(tmp_path, SESSION_COOKIE_NAME="answers").test_client())
    assert "This service sets one cookie, “answers”, for your answers, your choice of language" in text
    assert "split over up to 4 cookies" in text


def test_a_shared_rate_limit_store_is_named_by_its_kind_only():
    assert rate_limit_store({"RATELIMIT_STORAGE_URI": "memory://"}) is None
    assert rate_limit_store({"RATELIMIT_STORAGE_URI": "redis://:secret-password@10.0.0.5:6379/2"}) == "Redis"
    assert rate_limit_store({"RATELIMIT_STORAGE_URI": "redis+sentinel://h:26379/m"}) == "Redis"


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_notice_in_every_language_with_the_hosts_details(tmp_path, language):
    client = make_app(tmp_path, HOST_NAME="Digital Rights Example", HOST_SUPERVISORY_AUTHORITY="Example DPA",
                      HOST_CONTACT_URL="https://ngo.example/contact", HOST_LOG_RETENTION_DAYS=14).test_client()
    response = client.get("/privacy", headers={"Accept-Language": language})
    assert f'<html lang="{language}">' in response.text
    text = page_text(response.text)
    assert "Digital Rights Example" in text and "Example DPA" in text and "facerights" in text
    english = privacy_text(client, "en")
    if language != "en":
        # No sentence of the notice is left in English.
        for sentence in ["Who is responsible", "The server's log", "Your rights", "It records no IP address",
                         "after you began answering", "Article 77 GDPR"]:
            assert sentence in english and sentence not in text, (language, sentence)


def test_logo_and_colour_do_not_use_up_the_visitors_rate_limit(tmp_path):
    client = make_app(tmp_path, RATELIMIT_DEFAULT="3 per minute", HOST_LOGO=str(png(tmp_path)),
                      HOST_ACCENT_COLOUR="#0b4f6c").test_client()
    for _ in range(3):
        assert client.get("/host.css").status_code == 200
        assert client.get("/host/logo").status_code == 200
        with client.get("/static/css/site.css") as response:
            assert response.status_code == 200
    assert [client.get("/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_privacy_notice_names_the_data_protection_officer_when_there_is_one(tmp_path):
    """Art. 13(1)(b): the contact details of the data protection officer, where applicable."""
    text = privacy_text(make_app(tmp_path / "a", HOST_NAME="Digital Rights Example",
                                 HOST_DPO_CONTACT="mailto:dpo@ngo.example").test_client())
    assert "You can reach the data protection officer of Digital Rights Example at: dpo@ngo.example" in text
    assert "data protection officer" not in privacy_text(make_app(tmp_path / "b").test_client())
