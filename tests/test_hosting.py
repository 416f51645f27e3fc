"""Running an instance for years (issue 23, the hosting trial of 2026-12-04): keys that cannot be public,
key rotation without lost visits, the configuration check, /healthz on loopback and without Redis, the
letter budget per IPv6 network (review G4) and per layout (review G5), the version."""
import io
import os
import re
import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import create_app
from app.host import SettingError
from app.host.envfile import parse_environment_file
from app.letters import letter_pdf
from app.case.model import Person
from app.case.timeline import Clock
from app.letters.model import new_request_letter
from app.version import VERSION
from bench.server import free_port
from conftest import PERSON, SECRET, Wizard, csrf_token, with_date_boxes

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ENV = ROOT / "deploy" / "facerights.env"


def make_app(tmp_path, **config):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies"),
                       **config})


# --- Keys -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, message", [
    ("", "FACERIGHTS_SECRET_KEY is empty"),
    # The placeholder shipped in deploy/facerights.env until 0.14: public, and long enough for the old check.
    ("replace-with-a-long-random-string", "FACERIGHTS_SECRET_KEY is a placeholder"),
    # Anything that stands in a file a host copies from is public.
    ("/etc/letsencrypt/live/facerights.example.org/fullchain.pem",
     "FACERIGHTS_SECRET_KEY appears in (docs/HOSTING.md|deploy/nginx/facerights.conf)"),
])
def test_a_public_or_empty_key_stops_the_start(tmp_path, key, message):
    with pytest.raises(SettingError, match=message):
        make_app(tmp_path, SECRET_KEY=key)


def test_a_public_key_is_refused_as_a_fallback_too(tmp_path):
    with pytest.raises(SettingError, match="FACERIGHTS_SECRET_KEY_FALLBACKS is a placeholder"):
        make_app(tmp_path, SECRET_KEY_FALLBACKS='["replace-with-a-long-random-string"]')


def visit_with_answers(app) -> Wizard:
    wizard = Wizard(app.test_client())
    wizard.submit("/request-type", {"request_type": "erasure"})
    return wizard


def test_a_cookie_written_with_the_old_key_is_read_after_rotation(tmp_path):
    old_key, new_key = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    before = visit_with_answers(make_app(tmp_path, SECRET_KEY=old_key))
    cookie = before.client.get_cookie("facerights").value

    rotated = make_app(tmp_path, SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=f'["{old_key}"]').test_client()
    rotated.set_cookie("facerights", cookie)
    html = rotated.get("/request-type").get_data(as_text=True)
    assert re.search(r'value="erasure"[^>]* checked', html), "the answer given before the rotation is lost"
    # The next answer is written with the new key: readable without the old one.
    Wizard(rotated).submit("/request-type", {"request_type": "access"})
    rewritten = rotated.get_cookie("facerights").value
    only_new = make_app(tmp_path, SECRET_KEY=new_key).test_client()
    only_new.set_cookie("facerights", rewritten)
    assert re.search(r'value="access"[^>]* checked', only_new.get("/request-type").get_data(as_text=True))


def test_without_the_fallback_the_old_cookie_is_refused(tmp_path):
    old_key, new_key = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    before = visit_with_answers(make_app(tmp_path, SECRET_KEY=old_key))
    rotated = make_app(tmp_path, SECRET_KEY=new_key).test_client()
    rotated.set_cookie("facerights", before.client.get_cookie("facerights").value)
    assert not re.search(r'value="erasure"[^>]* checked', rotated.get("/request-type").get_data(as_text=True))


# --- The configuration check ----------------------------------------------------------------------

def shipped_settings(**changes) -> dict[str, str]:
    """deploy/facerights.env as HOSTING §2 fills it in (a new key), with changes."""
    settings = parse_environment_file(SHIPPED_ENV.read_text())
    settings["FACERIGHTS_SECRET_KEY"] = secrets.token_urlsafe(48)
    settings.update(changes)
    return {name: value for name, value in settings.items() if value is not None}


def config_check(tmp_path, settings: dict[str, str], *options: str) -> subprocess.CompletedProcess:
    """scripts/facerights config check, with these settings as the host's environment file."""
    env_file = tmp_path / "facerights.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
    environment = {name: value for name, value in os.environ.items() if not name.startswith("FACERIGHTS_")}
    environment.update(FACERIGHTS_ENV_FILE=str(env_file), FACERIGHTS_PYTHON=sys.executable,
                       FACERIGHTS_USER="no-such-user-facerights-test",
                       FACERIGHTS_COMPANIES_FOLDER=str(tmp_path / "companies"))
    return subprocess.run(["sh", str(ROOT / "scripts" / "facerights"), "config", "check", *options],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)


def test_config_check_passes_the_shipped_settings_with_a_key(tmp_path):
    result = config_check(tmp_path, shipped_settings())
    assert result.returncode == 0, result.stderr
    assert f"FaceRights {VERSION}: the configuration is complete and consistent." in result.stdout


def test_config_check_names_every_bad_setting_on_a_line_and_exits_1(tmp_path):
    result = config_check(tmp_path, shipped_settings(FACERIGHTS_HOST_ACCENT_COLOUR="blue",
                                                     FACERIGHTS_TRUSTED_PROXIES="-1",
                                                     FACERIGHTS_HOST_LOGOO="logo.png"))
    assert result.returncode == 1
    lines = result.stderr.strip().removeprefix("Error: ").splitlines()
    assert len(lines) == 3, result.stderr
    assert any(line.startswith("setting HOST_ACCENT_COLOUR (environment FACERIGHTS_HOST_ACCENT_COLOUR)")
               for line in lines)
    assert any("TRUSTED_PROXIES" in line and "at least 0" in line for line in lines)
    assert any("HOST_LOGOO" in line and "did you mean HOST_LOGO" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_config_check_refuses_the_shipped_file_as_it_is(tmp_path):
    result = config_check(tmp_path, shipped_settings(FACERIGHTS_SECRET_KEY=""))
    assert result.returncode == 1 and "FACERIGHTS_SECRET_KEY is empty" in result.stderr


def test_config_check_names_variables_that_no_setting_reads(tmp_path):
    result = config_check(tmp_path, shipped_settings(FACERIGHTS_RATELIMIT_STORAGE_URL="redis://x",
                                                     FACERIGHTS_WORKERS="two"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "environment FACERIGHTS_RATELIMIT_STORAGE_URL: no setting is called RATELIMIT_STORAGE_URL; "
        "check the spelling (README, Settings)",
        "environment FACERIGHTS_WORKERS: must be a whole number of at least 1, not 'two'"]


def shipped_journald(tmp_path) -> Path:
    """/etc/systemd/journald.conf with the shipped drop-in in journald.conf.d/."""
    configuration = tmp_path / "journald.conf"
    configuration.write_text("[Journal]\n#MaxRetentionSec=\n")
    (tmp_path / "journald.conf.d").mkdir()
    (tmp_path / "journald.conf.d" / "facerights.conf").write_text(
        (ROOT / "deploy" / "journald" / "facerights.conf").read_text())
    return configuration


def test_the_shipped_log_retention_files_keep_what_privacy_states(tmp_path):
    logrotate, journald = ROOT / "deploy" / "logrotate" / "facerights", shipped_journald(tmp_path)
    options = ("--logrotate", str(logrotate), "--journald", str(journald))
    agreeing = config_check(tmp_path, shipped_settings(FACERIGHTS_HOST_LOG_RETENTION_DAYS="7"), *options)
    assert agreeing.returncode == 0, agreeing.stderr
    longer = config_check(tmp_path, shipped_settings(FACERIGHTS_HOST_LOG_RETENTION_DAYS="3"), *options)
    assert longer.returncode == 1
    assert longer.stderr.splitlines() == [
        f"{logrotate}: rotate 7 keeps 7 days of logs, but HOST_LOG_RETENTION_DAYS (on /privacy) says 3",
        f"{journald}: MaxRetentionSec keeps the journal 7 days, but HOST_LOG_RETENTION_DAYS (on /privacy) says 3"]


def test_the_wrapper_reads_the_environment_file_as_systemd_does_and_gives_the_version(tmp_path):
    assert parse_environment_file('# note\n; note\nA=1\nB = "two \\"2\\"" \nC=\'x y\'\nD={"en": "Hi"}\nE=a\\\nb\n'
                                  'no equals sign\n') == {"A": "1", "B": 'two "2"', "C": "x y", "D": '{"en": "Hi"}',
                                                          "E": "ab"}
    env_file = tmp_path / "facerights.env"
    env_file.write_text("")
    result = subprocess.run(["sh", str(ROOT / "scripts" / "facerights"), "--version"], capture_output=True, text=True,
                            env={**os.environ, "FACERIGHTS_ENV_FILE": str(env_file), "FACERIGHTS_PYTHON": sys.executable,
                                 "FACERIGHTS_USER": "no-such-user-facerights-test"}, timeout=60)
    assert result.stdout == f"FaceRights {VERSION}\n" and result.returncode == 0


def test_a_record_that_replaces_a_newer_shipped_one_is_named_at_start_up(tmp_path, caplog):
    import json
    from app.companies import SHIPPED_RECORDS
    record = json.loads((SHIPPED_RECORDS / "pimeyes.json").read_text())
    shipped_date = record["last-verified"]
    record["last-verified"] = "2020-01-01"
    (tmp_path / "companies").mkdir()
    (tmp_path / "companies" / "pimeyes.json").write_text(json.dumps(record))
    with caplog.at_level("INFO"):
        make_app(tmp_path)
    warnings = [entry.getMessage() for entry in caplog.records if entry.levelname == "WARNING"]
    assert any("pimeyes.json replaces the shipped record 'pimeyes'" in message
               and f"shipped verified {shipped_date}, yours 2020-01-01" in message
               and "the shipped record is newer" in message for message in warnings), warnings


# --- /healthz ---------------------------------------------------------------------------------------

def test_healthz_and_metrics_answer_on_loopback_with_trusted_hosts(tmp_path):
    token = "a-metrics-token-of-at-least-32-characters"
    client = make_app(tmp_path, TRUSTED_HOSTS=["letters.ngo.example"], METRICS_TOKEN=token).test_client()
    loopback = "http://127.0.0.1:8001"
    assert client.get("/healthz", base_url=loopback).status_code == 200
    assert client.get("/healthz", base_url="http://localhost:8001").status_code == 200
    assert client.get("/metrics", base_url=loopback, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # Only the machine endpoints: the pages still answer only to the names given.
    assert client.get("/", base_url=loopback).status_code == 400
    assert client.get("/healthz", base_url="http://evil.example").status_code == 400
    assert client.get("/", base_url="https://letters.ngo.example").status_code == 200


def test_healthz_becomes_ready_under_any_wsgi_server(tmp_path):
    """Without gunicorn.conf.py's post-fork hook, the first /healthz warms the process up itself."""
    response = make_app(tmp_path).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == f"ok\nversion {VERSION}\n"


def test_without_redis_pages_work_and_healthz_says_degraded(tmp_path):
    app = make_app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0",
                   LETTER_RATE_LIMIT="2 per minute")
    client = app.test_client()
    assert client.get("/").status_code == 200
    wizard = Wizard(client)
    wizard.answer_all("access")
    # The letter budget still holds, counted in this process's memory.
    assert [client.get("/download").status_code for _ in range(3)] == [200, 200, 429]
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_data(as_text=True).startswith("degraded: the rate-limit store (RATELIMIT_STORAGE_URI) "
                                                    "does not answer")


def test_the_version_is_in_every_page(tmp_path):
    html = make_app(tmp_path).test_client().get("/").get_data(as_text=True)
    assert f'<meta name="generator" content="FaceRights {VERSION}">' in html
    assert re.search(rf"^## {re.escape(VERSION)} ", (ROOT / "CHANGELOG.md").read_text(), re.M)


# --- The letter budget: per IPv6 network (G4) and per layout (G5) -----------------------------------

def continue_statuses(client, addresses) -> list[int]:
    return [client.post("/continue", data={}, content_type="multipart/form-data",
                        environ_base={"REMOTE_ADDR": address}).status_code for address in addresses]


def test_the_letter_budget_also_holds_per_56_and_per_48(tmp_path):
    """Review G4: 30 /64s inside one /48 each got a full budget."""
    client = make_app(tmp_path, LETTER_RATE_LIMIT="1 per minute", WTF_CSRF_ENABLED=False).test_client()
    # Four /64s of one /56: the /56 allows three letters.
    assert continue_statuses(client, [f"2001:db8:1:1{n:02x}::1" for n in range(4)]) == [400, 400, 400, 429]
    # Other /56s of the same /48: ten letters in all for the /48 (three used above).
    statuses = continue_statuses(client, [f"2001:db8:1:{n:02x}00::1" for n in range(2, 10)])
    assert statuses == [400] * 7 + [429]
    # Another /48, and IPv4 clients, are counted on their own.
    assert continue_statuses(client, ["2001:db8:2::1"]) == [400]
    assert continue_statuses(client, [f"192.0.2.{n}" for n in range(1, 6)]) == [400] * 5


def test_the_download_page_costs_the_letters_it_lays_out(tmp_path):
    """Review G5: the budget counts layouts. The page lays out each company's letter to count its pages; the
    copy for the records is shown from its HTML alone, with no layout; one letter's button renders one."""
    app = make_app(tmp_path, LETTER_RATE_LIMIT="3 per minute")
    with_copy = Wizard(app.test_client())
    with_copy.answer_all("access", letter_language="de")  # pages in English: a copy for the records too
    assert "copy for your records" in with_copy.client.get("/download").get_data(as_text=True).lower()
    assert [with_copy.client.get("/download").status_code for _ in range(3)] == [200, 200, 429]

    app = make_app(tmp_path, LETTER_RATE_LIMIT="4 per minute")
    two = Wizard(app.test_client())
    two.answer_all("access", company=["clearview-ai", "pimeyes"])
    assert [two.client.get("/download").status_code for _ in range(3)] == [200, 200, 429]  # two layouts each


def continued_case(app):
    """A client whose visit continues a request sent by email on 3 November and not answered."""
    letter = new_request_letter(request_type="access", company=app.extensions["facerights.registry"].get("clearview-ai"),
                                person=Person(full_name=PERSON["full_name"], email=PERSON["email"],
                                              street=PERSON["street"], postcode=PERSON["postcode"], city=PERSON["city"],
                                              country="DE"),
                                language="en", date=date(2026, 11, 2), reference="FR-20261102-K7Q2XM")
    with app.app_context():
        pdf = letter_pdf(letter)
    client = app.test_client()
    token = csrf_token(client.get("/continue").get_data(as_text=True))
    response = client.post("/continue", data={"csrf_token": token, "letter": (io.BytesIO(pdf), "letter.pdf")},
                           content_type="multipart/form-data")  # the upload: 1
    assert response.status_code == 302
    for path, data in (("/after/sent", {"sent": "2026-11-03", "channel": "email"}),
                       ("/after/situation", {"situation": "no-answer"})):
        client.post(path, data={"csrf_token": csrf_token(client.get(path).get_data(as_text=True)),
                                **with_date_boxes(data)})
    return client


def test_a_complaint_costs_the_complaint_and_its_annex(tmp_path):
    """Review G5: a complaint laid out itself and the request as its annex for one unit of the budget."""
    app = make_app(tmp_path, LETTER_RATE_LIMIT="4 per minute")
    app.extensions["facerights.clock"] = Clock(fixed=date(2026, 12, 21))  # the request's period has run
    client = continued_case(app)  # the upload: 1 of 4
    html = client.get("/complaint").get_data(as_text=True)  # the complaint laid out for its page count: 2 of 4
    form = {"csrf_token": csrf_token(html), "authority": "deberlbdi", "language": "en"}
    first = client.post("/complaint", data=form)  # the complaint and its annex: 4 of 4
    assert first.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(first.data)).pages) > 1
    assert client.post("/complaint", data=form).status_code == 429


def test_a_request_that_costs_more_than_the_whole_budget_is_charged_the_budget_not_refused_for_ever(tmp_path):
    """A complaint in a long case lays out more letters than "10 per minute" holds (its request and nine letters:
    eleven): charged the whole budget, it is made; charged its full cost, it could never be."""
    app = make_app(tmp_path, LETTER_RATE_LIMIT="1 per minute")
    app.extensions["facerights.clock"] = Clock(fixed=date(2026, 12, 21))
    client = continued_case(app)  # the upload: this address's 1 of 1
    html = client.get("/complaint", environ_base={"REMOTE_ADDR": "192.0.2.8"}).get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "authority": "deberlbdi", "language": "en"}
    other = {"REMOTE_ADDR": "192.0.2.9"}
    made = client.post("/complaint", data=form, environ_base=other)  # two layouts, charged 1 of 1
    assert made.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(made.data)).pages) > 1
    assert client.post("/complaint", data=form, environ_base=other).status_code == 429


def test_the_follow_up_pages_cost_the_letters_they_lay_out(tmp_path):
    """Issue 19: the complaint page lays out the complaint it shows (on GET, and when it shows other choices),
    a copy for the records costs its layout; the copies shown in the page cost nothing."""
    app = make_app(tmp_path, LETTER_RATE_LIMIT="6 per minute")
    app.extensions["facerights.clock"] = Clock(fixed=date(2026, 12, 21))
    client = continued_case(app)  # 1 of 6
    html = client.get("/complaint").get_data(as_text=True)  # in German, with a copy in English shown: 2 of 6
    assert "Read the same complaint in English" in html
    form = {"csrf_token": csrf_token(html), "authority": "deberlbdi", "language": "de"}
    assert client.post("/complaint", data={**form, "action": "preview"}).status_code == 200  # 3 of 6
    copy = client.post("/after/records-copy", data={**form, "document": "complaint"})  # 4 of 6
    assert copy.mimetype == "application/pdf"
    assert client.post("/complaint", data=form).mimetype == "application/pdf"  # with the annex: 6 of 6
    assert client.get("/complaint").status_code == 429
    assert client.post("/after/records-copy", data={**form, "document": "letter"}).status_code == 429


# --- The campaign start page (trial m9) ------------------------------------------------------------

@pytest.mark.parametrize("shown, language, expected", [
    (["clearview-ai"], "en", "Companies such as Clearview AI copy photos from the web"),
    (["clearview-ai", "lenso-ai"], "de", "Unternehmen wie Clearview AI und Lenso.ai kopieren Fotos"),
])
def test_a_campaign_start_page_names_only_the_companies_it_offers(tmp_path, shown, language, expected):
    client = make_app(tmp_path, COMPANIES_SHOWN=shown).test_client()
    html = re.sub(r"\s+", " ", client.get("/", headers={"Accept-Language": language}).get_data(as_text=True))
    assert expected in html
    assert "PimEyes" not in html


def test_without_a_campaign_the_start_page_names_the_best_known_companies(tmp_path):
    html = make_app(tmp_path).test_client().get("/").get_data(as_text=True)
    assert "Companies such as Clearview AI and PimEyes copy photos" in html


# --- The lock files ------------------------------------------------------------------------------

@pytest.mark.parametrize("requirements, lock", [("requirements.txt", "requirements.lock"),
                                                ("requirements-dev.txt", "requirements-dev.lock")])
def test_the_lock_pins_every_direct_requirement_with_hashes(requirements, lock):
    """install.sh installs the lock, not the requirements: a package added to a requirements file
    without `sh scripts/lock.sh` would never be installed."""
    def pins(text):
        return {re.sub(r"[-_.]+", "-", name).lower(): version
                for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.M)}
    direct = {}
    for path in (ROOT / requirements, ROOT / "requirements.txt"):
        direct.update(pins(path.read_text()))
    locked_text = (ROOT / lock).read_text()
    locked = pins(locked_text)
    assert {name: version for name, version in direct.items() if locked.get(name) != version} == {}
    assert locked_text.count("==") == len(locked) and locked_text.count("--hash=sha256:") >= len(locked)
