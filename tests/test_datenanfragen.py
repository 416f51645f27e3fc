"""Our records in the Datenanfragen format and back, checked against that format's own schema (CC0, copied)."""
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from app.companies import Registry, SHIPPED_RECORDS, validate_record
from app.companies.datenanfragen import CATEGORIES, FormatError, from_datenanfragen, to_datenanfragen

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "datenanfragen" / "company-schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
EXAMPLE = json.loads((HERE / "datenanfragen" / "example-record-clearview.json").read_text(encoding="utf-8"))


def passes_their_rules(record: dict) -> None:
    errors = [error.message for error in VALIDATOR.iter_errors(record)]
    assert not errors, errors
    assert record["name"] not in record["address"]
    assert record.get("web", "https://").startswith("https://")
    assert set(record.get("categories", [])) <= set(CATEGORIES)
    assert None not in record.values()


def test_the_copied_schema_accepts_their_own_example():
    passes_their_rules(EXAMPLE)


@pytest.mark.parametrize("slug", ["clearview-ai", "lenso-ai"])
def test_export_passes_their_schema_and_rules(slug):
    record = json.loads((SHIPPED_RECORDS / f"{slug}.json").read_text(encoding="utf-8"))
    exported = to_datenanfragen(record)
    passes_their_rules(exported)
    assert exported["slug"] == slug and exported["email" if record["email"] else "name"]


def test_a_guide_page_is_not_exported_as_a_web_form():
    record = json.loads((SHIPPED_RECORDS / "lenso-ai.json").read_text(encoding="utf-8"))
    exported = to_datenanfragen(record)
    assert "webform" not in exported and any(record["webform"] in comment for comment in exported["comments"])


def test_a_record_without_postal_address_cannot_be_exported():
    record = json.loads((SHIPPED_RECORDS / "pimeyes.json").read_text(encoding="utf-8"))
    with pytest.raises(FormatError, match="no postal address"):
        to_datenanfragen(record)


@pytest.mark.parametrize("slug", ["clearview-ai", "lenso-ai"])
def test_round_trip_keeps_the_contact_details(slug):
    ours = json.loads((SHIPPED_RECORDS / f"{slug}.json").read_text(encoding="utf-8"))
    back = from_datenanfragen(to_datenanfragen(ours), date(2026, 11, 30))
    validate_record(back, slug)
    for key in ("slug", "name", "address", "email", "web", "request-language", "sources", "country"):
        assert back.get(key) == ours.get(key), key
    passes_their_rules(to_datenanfragen(back))


def test_their_example_imports_as_a_valid_record_of_ours(tmp_path):
    record = from_datenanfragen(EXAMPLE, date(2026, 11, 30))
    assert record["address"].splitlines()[0] == "Clearview AI, Inc." and record["country"] == "US"
    assert record["established-in-eu"] is False and record["quality"] == "imported"
    (tmp_path / "clearview-ai.json").write_text(json.dumps(record), encoding="utf-8")
    assert Registry.load(tmp_path).get("clearview-ai").email == "legal-requests@clearview.ai"


@pytest.mark.parametrize("change, message", [
    ({"web": "http://example.com"}, "https web address"),
    ({"address": ""}, "missing address"),
    ({"slug": "other"}, "kept for a company the person types"),
])
def test_import_refuses_what_it_cannot_carry(change, message):
    with pytest.raises(FormatError, match=message):
        from_datenanfragen({**EXAMPLE, **change}, date(2026, 11, 30))


def run(*args, cwd, env):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_the_commands_export_import_and_still_list(tmp_path):
    import os
    root = HERE.parent
    env = {**os.environ, "FACERIGHTS_COMPANIES_FOLDER": str(tmp_path / "instance-companies")}
    listing = run("companies", cwd=root, env=env)
    assert listing.returncode == 0 and re.search(r"^pimeyes\s", listing.stdout, re.M)
    exported = run("companies", "export", "--format", "datenanfragen", str(tmp_path / "out"), cwd=root, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "skipped: pimeyes: no postal address" in exported.stderr
    for path in (tmp_path / "out").glob("*.json"):
        passes_their_rules(json.loads(path.read_text(encoding="utf-8")))
    example = tmp_path / "acme.json"
    example.write_text(json.dumps({**EXAMPLE, "slug": "acme-faces", "name": "Acme Faces GmbH",
                                   "address": "Hauptstraße 1\n10115 Berlin\nGermany"}), encoding="utf-8")
    imported = run("companies", "import", str(example), cwd=root, env=env)
    assert imported.returncode == 0, imported.stderr
    written = json.loads((tmp_path / "instance-companies" / "acme-faces.json").read_text(encoding="utf-8"))
    assert written["established-in-eu"] is True and written["country"] == "DE"
    assert "acme-faces" in run("companies", cwd=root, env=env).stdout
    again = run("companies", "import", str(example), cwd=root, env=env)
    assert again.returncode == 2 and "--force" in again.stderr
