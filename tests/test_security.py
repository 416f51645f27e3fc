"""Security headers by exact value, rate limits, render time limit, proxies."""
import pytest

from app import create_app
from conftest import SECRET, csrf_token, page_text

EXPECTED_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "X-Permitted-Cross-Domain-Policies": "none",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store, max-age=0",
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
        if name != "Content-Security-Policy":
            assert response.headers[name] == value, name
    # Review F15: the letter, opened in the browser, is sandboxed.
    assert response.headers["Content-Security-Policy"] == EXPECTED_HEADERS["Content-Security-Policy"] + "; sandbox"


def test_pdf_does_not_name_the_renderer_or_its_version(wizard):
    """Review F15: the PDF's Producer said "WeasyPrint 70.0" (Info dictionary and XMP)."""
    import io
    import weasyprint
    from pypdf import PdfReader
    wizard.answer_all("access")
    pdf = wizard.download().data
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata["/Producer"] == "FaceRights"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"WeasyPrint" not in xmp and weasyprint.__version__.encode() not in xmp
    assert b"FaceRights" in xmp


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://facerights.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_host_can_allow_framing_by_its_own_site(tmp_path):
    app = create_app({"SECRET_KEY": SECRET, "FRAME_ANCESTORS": "https://ngo.example",
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
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_DEFAULT": "3 per minute", "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    statuses = [client.get("/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/")
    assert response.status_code == 429
    text = page_text(response.get_data(as_text=True))
    assert "You have made too many requests. Time to wait before you try again: at least 1 minute." in text
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Another client address is not affected.
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_the_429_page_says_how_long_an_hourly_budget_makes_one_wait(tmp_path):
    """An hour's letters spent: "wait a minute" would send the person back to a second 429."""
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_DEFAULT": "2 per hour", "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/")
    assert "Time to wait before you try again: at least 1 hour." in page_text(response.get_data(as_text=True))
    assert 3540 <= int(response.headers["Retry-After"]) <= 3600
    german = client.get("/", headers={"Accept-Language": "de"})
    assert "1 Stunde" in page_text(german.get_data(as_text=True))


def test_the_429_page_promises_no_wait_the_store_cannot_tell(tmp_path, monkeypatch):
    """The store went away between the check and the page: no wait is stated, no Retry-After sent."""
    import flask_limiter

    def gone(self):
        raise ConnectionError("the store does not answer")
    monkeypatch.setattr(flask_limiter.RequestLimit, "window", property(gone))
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_DEFAULT": "1 per minute", "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(2)] == [200, 429]
    response = client.get("/")
    assert "Wait a minute, then try again." in page_text(response.get_data(as_text=True))
    assert "Retry-After" not in response.headers


def test_letters_have_their_own_lower_limit(tmp_path, monkeypatch):
    import gc
    from conftest import Wizard

    app = create_app({"SECRET_KEY": SECRET, "LETTER_RATE_LIMIT": "3 per minute", "COMPANIES_FOLDER": str(tmp_path)})
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
    app = create_app({"SECRET_KEY": SECRET, "TRUSTED_PROXIES": 1, "COMPANIES_FOLDER": str(tmp_path)})
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
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False, "COMPANIES_FOLDER": str(tmp_path)})
    gc.collect()
    wizard = Wizard(app.test_client())
    wizard.answer_all("access")
    assert wizard.download().status_code == 200


def test_production_server_configuration(monkeypatch):
    """gunicorn.conf.py: process workers per core, time-outs, recycling, preloaded app, no body in logs."""
    import os
    import runpy
    from pathlib import Path
    # Reading the configuration sets the master's environment (the metrics folder): not this process's.
    monkeypatch.setattr(os, "environ", dict(os.environ))
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync"
    assert config["workers"] == os.cpu_count()
    assert 0 < config["timeout"] <= 30 and config["graceful_timeout"] > 0
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["preload_app"] is True
    assert config["limit_request_field_size"] >= 16384  # the largest state cookie fits
    assert "%(q)s" not in config["access_log_format"] and "%(r)s" not in config["access_log_format"]
    assert callable(config["post_fork"])


@pytest.mark.parametrize("key", ["x", "short-but-not-32-bytes", "a" * 64, "0123456701234567012345670123456701234567"[:9] * 5])
def test_weak_secret_key_is_refused_at_start_up(tmp_path, key):
    """Review F15: FACERIGHTS_SECRET_KEY=x was accepted; one captured cookie then allows offline guessing."""
    from app.host import SettingError
    with pytest.raises(SettingError, match="FACERIGHTS_SECRET_KEY is too short .* at least 32 random characters"):
        create_app({"SECRET_KEY": key, "COMPANIES_FOLDER": str(tmp_path)})


def test_weak_secret_key_stops_the_command_line_with_a_clear_message():
    import os
    import subprocess
    import sys
    from pathlib import Path
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "companies"],
                            cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, FACERIGHTS_SECRET_KEY="change-me"))
    assert result.returncode != 0
    assert "FACERIGHTS_SECRET_KEY is too short or too easy to guess" in result.stderr


def test_strong_secret_key_is_accepted(tmp_path):
    import secrets
    create_app({"SECRET_KEY": secrets.token_hex(32), "COMPANIES_FOLDER": str(tmp_path)})


@pytest.mark.parametrize("path", ["/company//pimeyes", "//request-type", "/static//css/site.css", "/check-answers/"])
@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}])
def test_no_redirect_is_built_from_the_host_header(tmp_path, path, headers):
    """Review F11: Werkzeug's routing redirects (merge_slashes) were absolute URLs built from Host,
    or from X-Forwarded-Host behind a trusted proxy."""
    app = create_app({"SECRET_KEY": SECRET, "TRUSTED_PROXIES": 1, "COMPANIES_FOLDER": str(tmp_path)})
    response = app.test_client().get(path, headers=headers)
    assert response.status_code < 500
    assert "evil.example" not in response.headers.get("Location", "")


def test_trusted_hosts_refuse_other_host_names(tmp_path):
    app = create_app({"SECRET_KEY": SECRET, "TRUSTED_PROXIES": 1, "TRUSTED_HOSTS": ["letters.ngo.example"],
                      "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    assert client.get("/", headers={"Host": "letters.ngo.example"}).status_code == 200
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400 and "Something was wrong with that request" in response.get_data(as_text=True)
    # X-Forwarded-Host is not trusted: the Host the proxy sends is the one checked.
    assert client.get("/", headers={"Host": "letters.ngo.example", "X-Forwarded-Host": "evil.example"}).status_code == 200


def test_rate_limit_counts_an_ipv6_client_by_its_64(tmp_path):
    """Review F8: rotating addresses inside one IPv6 /64 evaded every limit."""
    app = create_app({"SECRET_KEY": SECRET, "RATELIMIT_DEFAULT": "3 per minute", "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    statuses = [client.get("/", environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{n:x}"}).status_code
                for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    assert client.get("/", environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"}).status_code == 200
    # IPv4 clients are still counted one address at a time.
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200
