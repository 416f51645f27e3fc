"""/metrics: absent unless the host sets a token, refused without it, exact campaign counts
summed over gunicorn's workers, and nothing personal in it."""
import re

import pytest

from app import create_app
from bench.server import production_server
from bench.wizard_client import WizardClient

from conftest import SECRET, csrf_token

TOKEN = "metrics-token-for-the-test-suite-0123456789"
SENTINELS = {
    "full_name": "Zqxj Metricsperson",
    "email": "metrics-sentinel-5531@example.org",
    "street": "Metricsweg 5531",
    "postcode": "M-55310",
    "city": "Metricsstadt",
    "country": "AT",
    "profile_urls": "https://example.org/metrics-sentinel-5531",
}
REASON = "Metrics sentinel reason 5531: I never agreed to any of this."
VISITOR = "127.0.0.3"
USER_AGENT = "MetricsSentinelAgent/5531"
# (request type, company, letter language): the scripted campaign.
CAMPAIGN = [("access", "clearview-ai", "en"), ("both", "clearview-ai", "de"), ("erasure", "pimeyes", "fr"),
            ("access", "pimeyes", "en"), ("both", "clearview-ai", "de")]


def metric_values(text: str, name: str) -> dict[str, float]:
    return {labels: float(value) for labels, value in re.findall(rf"^{name}(\{{.*?\}})? (\S+)$", text, re.M)}


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"} if token else {})


@pytest.fixture
def metrics_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies"),
                       "METRICS_TOKEN": TOKEN})


def test_metrics_are_absent_by_default(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_metrics_refuse_a_request_without_the_right_token(metrics_app):
    client = metrics_app.test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
                    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert b"facerights_" not in response.data
    assert scrape(client).status_code == 200


def test_a_short_token_is_refused_at_start_up(tmp_path):
    with pytest.raises(ValueError, match="at least 32"):
        create_app({"TESTING": True, "COMPANIES_FOLDER": str(tmp_path), "METRICS_TOKEN": "short"})


def test_scraping_is_not_rate_limited(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                      "METRICS_TOKEN": TOKEN, "RATELIMIT_DEFAULT": "2 per minute"})
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    assert {scrape(client).status_code for _ in range(10)} == {200}
    assert metric_values(scrape(client).get_data(as_text=True), "facerights_refused_total") == \
        {'{kind="rate_limited"}': 1.0}


def test_letters_funnel_and_refusals_are_counted(metrics_app, wizard):
    wizard = type(wizard)(metrics_app.test_client())
    wizard.answer_all(request_type="access", letter_language="de")
    assert wizard.download().status_code == 200
    assert wizard.download().status_code == 200
    refused = wizard.submit("/your-details", {"full_name": "", "email": "not-an-address"})
    assert refused.status_code == 400
    text = scrape(wizard.client).get_data(as_text=True)
    assert metric_values(text, "facerights_letters_total") == {
        '{company="clearview-ai",language="de",request_type="access"}': 2.0}
    assert metric_values(text, "facerights_letter_render_seconds_count") == {"": 2.0}
    pages = metric_values(text, "facerights_pages_total")
    assert pages['{page="request-type"}'] == 1 and pages['{page="download"}'] == 2
    errors = metric_values(text, "facerights_form_errors_total")
    assert errors['{field="full_name",page="your-details"}'] == 1
    assert errors['{field="email",page="your-details"}'] == 1
    assert metric_values(text, "facerights_refused_total")['{kind="form"}'] == 1


def test_follow_up_form_refusals_are_counted_under_their_own_page(metrics_app):
    """Code review §4.6: they were all counted as page "other"."""
    from conftest import csrf_token
    client = metrics_app.test_client()
    html = client.get("/continue/by-hand").get_data(as_text=True)
    assert client.post("/continue/by-hand", data={"csrf_token": csrf_token(html), "reference": "x"}).status_code == 400
    html = client.get("/continue").get_data(as_text=True)
    assert client.post("/continue", data={"csrf_token": csrf_token(html)}).status_code == 400
    errors = metric_values(scrape(client).get_data(as_text=True), "facerights_form_errors_total")
    assert errors['{field="reference",page="continue/by-hand"}'] == 1
    assert errors['{field="letter",page="continue"}'] == 1
    assert not any('page="other"' in label for label in errors)


def campaign_letter(port: int, request_type: str, company: str, language: str) -> bytes:
    client = WizardClient("127.0.0.1", port, source_address=VISITOR, headers={"User-Agent": USER_AGENT})
    reply = client.complete_wizard(SENTINELS, request_type=request_type, company=company, reason=REASON,
                                   language=language)
    assert reply.status == 200
    # A second download of the same letter (a person who lost the first) is a letter made too.
    again = client.download()
    assert again.status == 200 and again.body.startswith(b"%PDF-")
    refused = client.download(b"not an image")
    assert refused.status == 400
    client.request("GET", "/no-such-page-Zqxj-Metricsperson")
    return dict(again.headers)["Content-Disposition"].encode()


def test_a_campaign_of_n_letters_reports_exactly_n_across_workers(tmp_path):
    # Every visitor of the campaign comes from one test address: give its letters room.
    env = {"FACERIGHTS_METRICS_TOKEN": TOKEN, "FACERIGHTS_TRUSTED_PROXIES": "0",
           "FACERIGHTS_LETTER_RATE_LIMIT": "100 per minute"}
    with production_server(workers=2, extra_env=env) as (port, _):
        dispositions = [campaign_letter(port, *letter) for letter in CAMPAIGN]
        scraper = WizardClient("127.0.0.1", port)
        scraper.headers["Authorization"] = f"Bearer {TOKEN}"
        # Each scrape is answered by whichever worker is free: every one must see every letter.
        texts = [scraper.request("GET", "/metrics").text for _ in range(6)]
        unauthorised = WizardClient("127.0.0.1", port).request("GET", "/metrics")
    assert unauthorised.status == 401
    letters_made = 2 * len(CAMPAIGN)  # each campaign letter is downloaded twice
    for text in texts:
        letters = metric_values(text, "facerights_letters_total")
        assert sum(letters.values()) == letters_made, text
        assert letters['{company="clearview-ai",language="de",request_type="both"}'] == 4
        assert letters['{company="pimeyes",language="fr",request_type="erasure"}'] == 2
        assert metric_values(text, "facerights_letter_render_seconds_count") == {"": letters_made}
        refused = metric_values(text, "facerights_refused_total")
        assert refused['{kind="photo"}'] == len(CAMPAIGN) and refused['{kind="not_found"}'] == len(CAMPAIGN)
        assert metric_values(text, "facerights_pages_total")['{page="start"}'] == len(CAMPAIGN)
    output = "\n".join(texts).encode()
    needles = [value.encode() for key, value in SENTINELS.items() if key != "country"]
    needles += [REASON.encode(), b"Zqxj", b"Metricsperson", VISITOR.encode(), USER_AGENT.encode(), b"127.0.0"]
    needles += [re.search(rb"FR-\d{8}-[0-9A-Z]{6}", disposition).group(0) for disposition in dispositions]
    for needle in needles:
        assert needle not in output, needle


def test_follow_up_letters_and_complaints_are_counted_by_situation(metrics_app):
    from app.case.timeline import Clock
    from test_followup import TODAY, continue_with, render, request, submit
    metrics_app.extensions["facerights.clock"] = Clock(fixed=TODAY)  # the request's period has run
    client = metrics_app.test_client()
    continue_with(client, render(metrics_app, request(metrics_app, language="fr")))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "letter"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/after/letter").get_data(as_text=True)
    reminder = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data")
    assert reminder.mimetype == "application/pdf"
    html = client.get("/complaint").get_data(as_text=True)
    complaint = client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "deberlbdi",
                                                "language": "de"})
    assert complaint.mimetype == "application/pdf"
    text = scrape(client).get_data(as_text=True)
    assert metric_values(text, "facerights_follow_ups_total") == {
        '{kind="follow-up",situation="no-answer"}': 1.0, '{kind="complaint",situation="no-answer"}': 1.0}
    # The original request in the uploaded PDF is not a letter made here.
    assert metric_values(text, "facerights_letters_total") == {}
