"""Security headers by exact value, rate limits, render time limit, proxies."""
import pytest

from app import create_app
from conftest import csrf_token, page_text

EXPECTED_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                           "interest-cohort=(), browsing-topics=()"),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
}


@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/request-type"), ("GET", "/nope"),
                                          ("POST", "/request-type"), ("GET", "/static/css/site.css")])
def test_every_response_carries_the_security_headers(client, method, path):
    with client.open(path, method=method) as response:
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers[name] == value, name
        assert "Strict-Transport-Security" not in response.headers


def test_pdf_download_carries_the_security_headers(wizard):
    wizard.answer_all("access")
    response = wizard.download()
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://facerights.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_host_can_allow_framing_by_its_own_site(tmp_path):
    app = create_app({"SECRET_KEY": "x", "FRAME_ANCESTORS": "https://ngo.example",
                      "COMPANIES_FOLDER": str(tmp_path)})
    response = app.test_client().get("/")
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors https://ngo.example")
    assert "X-Frame-Options" not in response.headers


def test_pages_need_no_inline_script_or_style(wizard):
    wizard.answer_all("both")
    for path in ["/", "/request-type", "/company", "/your-details", "/erasure-grounds", "/check-answers",
                 "/download"]:
        html = wizard.client.get(path).get_data(as_text=True)
        assert "<script" not in html and "style=" not in html and "<style" not in html, path


def test_rate_limit_gives_a_friendly_429(tmp_path):
    app = create_app({"SECRET_KEY": "x", "RATELIMIT_DEFAULT": "3 per minute", "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    statuses = [client.get("/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/")
    assert response.status_code == 429
    assert "Wait a minute, then try again." in page_text(response.get_data(as_text=True))
    # Another client address is not affected.
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_letters_have_their_own_lower_limit(tmp_path, monkeypatch):
    import gc
    from conftest import Wizard

    app = create_app({"SECRET_KEY": "x", "LETTER_RATE_LIMIT": "3 per minute", "COMPANIES_FOLDER": str(tmp_path)})
    gc.collect()  # the limiter must survive garbage collection
    wizard = Wizard(app.test_client())
    wizard.answer_all("access")
    # The page lays the letter out to preview it: it counts as a letter, like each PDF.
    token = csrf_token(wizard.client.get("/download").get_data(as_text=True))
    statuses = [wizard.client.post("/download", data={"csrf_token": token}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_rate_limit_store_never_sees_the_address(app):
    from app.limits import client_key
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        key = client_key()
    assert "203.0.113.9" not in key and len(key) == 32


def test_render_time_limit_gives_a_friendly_503(wizard, app):
    wizard.answer_all("both")
    token = csrf_token(wizard.client.get("/download").get_data(as_text=True))
    app.config["RENDER_TIME_LIMIT"] = 0.001
    for response in (wizard.client.get("/download"), wizard.client.post("/download", data={"csrf_token": token})):
        assert response.status_code == 503
        assert "Your letter took too long to make" in response.get_data(as_text=True)
    app.config["RENDER_TIME_LIMIT"] = 10
    assert wizard.download().status_code == 200


def test_trusted_proxy_headers(tmp_path):
    app = create_app({"SECRET_KEY": "x", "TRUSTED_PROXIES": 1, "COMPANIES_FOLDER": str(tmp_path)})
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_no_stack_trace_on_an_unexpected_error(app, client, monkeypatch):
    import app.wizard.views as views
    monkeypatch.setattr(views, "summary_rows", lambda answers: 1 / 0)
    from conftest import Wizard
    wizard = Wizard(client)
    wizard.answer_all("access")
    response = client.get("/check-answers")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert "Traceback" not in html and "ZeroDivisionError" not in html


def test_downloads_work_with_rate_limits_switched_off(tmp_path):
    """The limiter is only weakly referenced by the views it wraps: the app must keep it alive."""
    import gc
    from conftest import Wizard
    app = create_app({"SECRET_KEY": "x", "RATELIMIT_ENABLED": False, "COMPANIES_FOLDER": str(tmp_path)})
    gc.collect()
    wizard = Wizard(app.test_client())
    wizard.answer_all("access")
    assert wizard.download().status_code == 200


def test_production_server_configuration():
    """gunicorn.conf.py: process workers per core, time-outs, recycling, preloaded app, no body in logs."""
    import os
    import runpy
    from pathlib import Path
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync"
    assert config["workers"] == os.cpu_count()
    assert 0 < config["timeout"] <= 30 and config["graceful_timeout"] > 0
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["preload_app"] is True
    assert config["limit_request_field_size"] >= 16384  # the largest state cookie fits
    assert "%(q)s" not in config["access_log_format"] and "%(r)s" not in config["access_log_format"]
    assert callable(config["post_fork"])
