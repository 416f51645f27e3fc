"""flask --app wsgi letter / companies, run as a real subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REASON, pdf_text

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]

PERSON = {"full_name": "Jan de Vries", "email": "jan@example.nl",
          "address": {"street": "Keizersgracht 1", "postcode": "1015 CJ", "city": "Amsterdam", "country": "nl"},
          "profile_urls": ["https://example.nl/jan"],
          "erasure_grounds": ["unlawful-biometric", "objection"], "objection_reason": REASON}


def run(*args, cwd=ROOT):
    env = dict(os.environ, FACERIGHTS_SECRET_KEY="cli-test-key-long-and-random-enough-4711")
    return subprocess.run(FLASK + list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def person_file(tmp_path):
    def write(person):
        path = tmp_path / "person.json"
        path.write_text(json.dumps(person), encoding="utf-8")
        return path
    return write


def test_letter_command_writes_the_pdf(tmp_path, person_file, sample_jpeg):
    photo = tmp_path / "face.jpg"
    photo.write_bytes(sample_jpeg)
    output = tmp_path / "out.pdf"
    result = run("letter", "--company", "clearview-ai", "--request", "both", "--person", str(person_file(PERSON)),
                 "--output", str(output), "--photo", str(photo), "--date", "2026-03-05")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "5 March 2026" in text  # British English date
    assert "Jan de Vries" in text and "1015 CJ Amsterdam" in text and "Netherlands" in text
    assert "Article 17(1)(c) GDPR: I object to the processing." in text and REASON in text
    assert "I enclose a photograph of my face." in text
    assert "FR-20260305-" in result.stdout


def test_invalid_input_exits_2_with_one_line_per_problem_and_writes_nothing(tmp_path, person_file):
    bad = dict(PERSON, full_name="", email="not-an-email", erasure_grounds=["objection"], objection_reason="")
    bad["address"] = dict(PERSON["address"], country="ZZ")
    output = tmp_path / "out.pdf"
    result = run("letter", "--company", "nope", "--request", "erasure", "--person", str(person_file(bad)),
                 "--output", str(output), "--date", "29.11.2026", "--language", "xx")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "error: --company: unknown company 'nope'; choose from clearview-ai, facecheck-id, lenso-ai, pimeyes, public-mirror or other" in lines
    assert any(line.startswith("error: --language: must be one of en, ") or line == "error: --language: must be one of en"
               for line in lines)
    assert "error: --date: must be a date such as 2026-11-29" in lines
    assert "error: person.full_name: Enter your full name." in lines
    assert "error: person.email: Enter an email address in the correct format, like name@example.com." in lines
    assert "error: person.country: Select your country." in lines
    assert "error: person.objection_reason: Explain why you object, in a sentence or two about your own situation." in lines
    assert all(line.startswith("error: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert not output.exists()


@pytest.mark.parametrize("content, message", [
    ("{not json", "error: --person: cannot read"),
    ("[1, 2]", "error: --person: the file must hold a JSON object"),
    ('{"full_name": "A", "email": "a@example.com", "address": "Main St"}', "error: person.address: must be an object"),
])
def test_malformed_person_files(tmp_path, content, message):
    path = tmp_path / "person.json"
    path.write_text(content, encoding="utf-8")
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(path),
                 "--output", str(tmp_path / "out.pdf"))
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_bad_photo_is_reported(tmp_path, person_file):
    photo = tmp_path / "face.jpg"
    photo.write_bytes(b"GIF89a not really")
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person_file(PERSON)),
                 "--output", str(tmp_path / "out.pdf"), "--photo", str(photo))
    assert result.returncode == 2
    assert "error: --photo: The photo must be a JPEG or PNG image." in result.stderr


def test_too_large_photo_is_reported(tmp_path, person_file):
    photo = tmp_path / "face.jpg"
    photo.write_bytes(b"\xff" * (8 * 1024 * 1024 + 1))
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person_file(PERSON)),
                 "--output", str(tmp_path / "out.pdf"), "--photo", str(photo))
    assert result.returncode == 2
    assert "error: --photo: The photo must be smaller than 8 MB." in result.stderr


def test_companies_command_lists_the_registry():
    result = run("companies")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("clearview-ai") and "email, letter" in lines[0]
    assert any(line.startswith("facecheck-id") and "webform" in line for line in lines)


@pytest.mark.parametrize("country, companies, language, message", [
    ("US", "clearview-ai", "en", "person.address.country: neither the GDPR nor the UK GDPR covers a letter from a "
                                 "person living in US to clearview-ai, which is not established in the EU, the EEA or "
                                 "the United Kingdom (companies established there answer anyone: lenso-ai, "
                                 "public-mirror)"),
    ("US", "clearview-ai,lenso-ai", "en", "to clearview-ai, which is not established"),
    ("GB", "clearview-ai", "de", "--language: a uk-gdpr letter can only be written in en"),
])
def test_the_cli_follows_the_same_scope_as_the_wizard(tmp_path, country, companies, language, message):
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Sam Smith", "email": "sam@example.com",
                                  "address": {"street": "1 Main St", "postcode": "10001", "city": "Somewhere",
                                              "country": country}}), encoding="utf-8")
    result = run(*["letter", "--company", companies, "--request", "access", "--person", str(person),
                      "--output", str(tmp_path / "out.pdf"), "--language", language])
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_the_cli_writes_a_us_residents_gdpr_letter_to_an_eu_company_and_refuses_a_future_date(tmp_path, app):
    """N-H4 on the command line (in-process: the same command); N-L9: a letter dated after today is refused,
    since no follow-up could ever use it."""
    from datetime import date, timedelta
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Sam Smith", "email": "sam@example.com",
                                  "address": {"street": "1 Main St", "postcode": "10001", "city": "New York",
                                              "country": "US"}}), encoding="utf-8")
    runner = app.test_cli_runner()
    args = ["letter", "--company", "lenso-ai", "--request", "access", "--person", str(person),
            "--output", str(tmp_path / "out.pdf"), "--language", "de"]
    result = runner.invoke(args=args + ["--date", "2026-11-02"])
    assert result.exit_code == 0, result.output
    text = pdf_text((tmp_path / "out.pdf").read_bytes())
    assert "Art. 3 Abs. 1 DSGVO und Erwägungsgrund 14" in text
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    (tmp_path / "out.pdf").unlink()
    refused = runner.invoke(args=args + ["--date", tomorrow])
    assert refused.exit_code == 2
    assert f"error: --date: must not be after today ({date.today().isoformat()})" in refused.output
    assert not (tmp_path / "out.pdf").exists()


def test_companies_check_lists_records_older_than_max_age_and_exits_1(tmp_path):
    """Point 5 of issue 17: a host's scheduled job runs `companies check`; dates relative to today, so that
    the test does not age."""
    from datetime import date, timedelta
    from app import create_app
    from app.companies import SHIPPED_RECORDS
    from conftest import SECRET
    folder = tmp_path / "companies"
    folder.mkdir()
    today = date.today()
    for slug, age in {"clearview-ai": 10, "pimeyes": 200, "lenso-ai": 400, "facecheck-id": 0, "public-mirror": 30}.items():
        record = json.loads((SHIPPED_RECORDS / f"{slug}.json").read_text(encoding="utf-8"))
        record["last-verified"] = (today - timedelta(days=age)).isoformat()
        (folder / f"{slug}.json").write_text(json.dumps(record), encoding="utf-8")
    runner = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(folder)}).test_cli_runner()
    stale = runner.invoke(args=["companies", "check"])
    assert stale.exit_code == 1
    lines = stale.output.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["lenso-ai", "pimeyes"]  # oldest first, the default 180 days
    assert lines[1] == (f"pimeyes: last verified {(today - timedelta(days=200)).isoformat()}, 200 days ago (more "
                        "than 180); check its contact details and update its record")
    assert runner.invoke(args=["companies", "check", "--max-age", "9"]).output.count("days ago") == 4
    fresh = runner.invoke(args=["companies", "check", "--max-age", "400"])
    assert fresh.exit_code == 0 and fresh.output.strip() == "all 5 records verified within the last 400 days"
    assert runner.invoke(args=["companies", "check", "--max-age", "0"]).exit_code == 2
    listing = runner.invoke(args=["companies"]).output.splitlines()
    assert listing[0].startswith("clearview-ai") and listing[0].endswith(
        f"last verified {(today - timedelta(days=10)).isoformat()}")


def test_the_cli_takes_the_new_grounds_the_suppression_choice_and_the_channels(tmp_path):
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Jan de Vries", "email": "jan@example.nl",
                                  "address": {"street": "Keizersgracht 1", "postcode": "1015 CJ", "city": "Amsterdam",
                                              "country": "NL"},
                                  "erasure_grounds": ["consent-withdrawn"], "suppression": "template"}),
                      encoding="utf-8")
    result = run(*["letter", "--company", "clearview-ai", "--request", "erasure", "--person", str(person),
                      "--output", str(tmp_path / "out.pdf"), "--send", "email"])
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "out.pdf").read_bytes())
    assert "Article 17(1)(b) GDPR: I withdraw my consent." in text
    assert "to your keeping one biometric template of my face" in text
    assert "Sent by email to legal-requests@clearview.ai" in text and "Also sent" not in text
    bad = run(*["letter", "--company", "pimeyes", "--request", "erasure", "--person", str(person),
                   "--output", str(tmp_path / "bad.pdf"), "--send", "letter"])
    assert bad.returncode == 2 and "--send: PimEyes can be reached by email, webform" in bad.stderr


def test_photo_with_malformed_exif_makes_a_letter(tmp_path, person_file):
    """Review F6: a traceback and exit status 1 before; the photo is now used as it is."""
    from photos import malformed_exif_jpeg
    photo = tmp_path / "face.jpg"
    photo.write_bytes(malformed_exif_jpeg())
    output = tmp_path / "out.pdf"
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person_file(PERSON)),
                 "--output", str(output), "--photo", str(photo))
    assert result.returncode == 0, result.stderr
    assert "I enclose a photograph of my face." in pdf_text(output.read_bytes())


@pytest.mark.parametrize("content, message", [
    ("cut off", "The photo could not be read. Choose another JPEG or PNG image."),
    (None, "The photo is too large. Choose a photo of at most 16 megapixels and at most 10000 pixels wide and high."),
])
def test_unusable_photo_is_one_line_and_exit_2(tmp_path, person_file, content, message):
    from PIL import Image
    from photos import png
    if content is None:
        content = png(Image.new("L", (1, 49_900_000)), optimize=True)
    elif content == "cut off":
        content = png(Image.effect_noise((300, 200), 80))[:5000]
    photo = tmp_path / "face.png"
    photo.write_bytes(content)
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person_file(PERSON)),
                 "--output", str(tmp_path / "out.pdf"), "--photo", str(photo))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: --photo: {message}"]
    assert not (tmp_path / "out.pdf").exists()


def test_several_companies_make_a_zip_and_text_is_the_same_letter(tmp_path, person_file):
    import io
    import zipfile
    person = person_file(PERSON)
    result = run("letter", "--company", "clearview-ai,pimeyes", "--request", "access", "--person", str(person),
                 "--output", str(tmp_path / "out.zip"), "--send", "email")
    assert result.returncode == 0, result.stderr
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "out.zip").read_bytes()))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2 and "README.txt" in archive.namelist()
    assert {name.split("-")[3] for name in pdfs} == {"clearview", "pimeyes"}  # FR-date-code-slug-request.pdf
    result = run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person),
                 "--output", str(tmp_path / "out.txt"), "--format", "text")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "PimEyes" in text and "Article 15(3) GDPR" in text and "%PDF" not in text


def test_a_typed_company_from_its_file_and_a_file_that_is_not_json(tmp_path, person_file):
    person = person_file(PERSON)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"name": "Acme Faces Ltd", "email": "privacy@acme.example",
                                 "address": {"street": "1 Rue X", "postcode": "75001", "city": "Paris",
                                             "country": "FR"}}), encoding="utf-8")
    result = run("letter", "--company", "other", "--other-company", str(other), "--request", "access",
                 "--person", str(person), "--output", str(tmp_path / "out.pdf"))
    assert result.returncode == 0, result.stderr
    assert "Acme Faces Ltd" in pdf_text((tmp_path / "out.pdf").read_bytes())
    other.write_text("{not json", encoding="utf-8")
    result = run("letter", "--company", "other", "--other-company", str(other), "--request", "access",
                 "--person", str(person), "--output", str(tmp_path / "bad.pdf"))
    assert result.returncode == 2 and "--other-company: cannot read" in result.stderr
    assert not (tmp_path / "bad.pdf").exists()
