"""The company registry: schema, sources, confidence, and NGO overrides."""
import json
from pathlib import Path

import pytest

from app import create_app
from app.companies import SHIPPED_RECORDS, Registry, RegistryError, validate_record
from conftest import SECRET

RECORDS = sorted(SHIPPED_RECORDS.glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_shipped_companies():
    assert [path.stem for path in RECORDS] == ["clearview-ai", "facecheck-id", "lenso-ai", "pimeyes", "public-mirror"]


def test_public_mirror_is_the_polish_controller_from_its_own_privacy_policy():
    record = load(next(path for path in RECORDS if path.stem == "public-mirror"))
    assert record["address"].splitlines()[1:] == ["ul. A. Ostrowskiego 7 lok. 167", "53-238 Wrocław", "Poland"]
    assert record["email"] is None and record["established-in-eu"] and record["country"] == "PL"
    assert any("KRS 0000855054" in comment for comment in record["comments"])
    assert record["verification"] == "desk-research"


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.stem)
def test_every_record_is_valid_and_sourced(path):
    record = load(path)
    validate_record(record, str(path))
    assert record["sources"], "every record names its sources"
    # Only high and medium facts are shipped: every contact detail present has a confidence.
    for field in ("address", "email", "webform"):
        if record[field]:
            assert record["confidence"].get(field) in ("high", "medium"), field


def test_letters_can_reach_every_company():
    registry = Registry.load(SHIPPED_RECORDS)
    for company in registry:
        assert company.channels, company.slug
        assert company.channels[0] == company.suggested_medium


def test_schema_errors_name_the_file_and_field(tmp_path):
    record = load(SHIPPED_RECORDS / "pimeyes.json")
    record["email"] = 42
    record["request-language"] = "english"
    (tmp_path / "pimeyes.json").write_text(json.dumps(record))
    with pytest.raises(RegistryError) as error:
        Registry.load(tmp_path)
    assert "pimeyes.json" in str(error.value)
    assert "email: 42 is not of type 'string', 'null'" in str(error.value)
    assert "request-language" in str(error.value)


def test_a_company_needs_a_channel(tmp_path):
    record = dict(load(SHIPPED_RECORDS / "facecheck-id.json"), webform=None)
    with pytest.raises(RegistryError, match="at least a postal address, an email or a web form"):
        validate_record(record, "facecheck-id.json")


def test_suggested_medium_must_exist(tmp_path):
    record = dict(load(SHIPPED_RECORDS / "pimeyes.json"), **{"suggested-transport-medium": "letter"})
    with pytest.raises(RegistryError, match="suggested-transport-medium is 'letter' but 'address' is empty"):
        validate_record(record, "pimeyes.json")


def test_file_name_must_match_slug(tmp_path):
    (tmp_path / "other.json").write_text((SHIPPED_RECORDS / "pimeyes.json").read_text())
    with pytest.raises(RegistryError, match="the file name must be the slug"):
        Registry.load(tmp_path)


def test_ngo_adds_and_overrides_companies_from_its_instance_folder(tmp_path):
    override = dict(load(SHIPPED_RECORDS / "pimeyes.json"), email="dpo@pimeyes.example",
                    verification="confirmed-by-hand", **{"last-verified": "2026-12-01"})
    (tmp_path / "pimeyes.json").write_text(json.dumps(override))
    added = dict(load(SHIPPED_RECORDS / "facecheck-id.json"), slug="example-faces", name="Example Faces Ltd")
    (tmp_path / "example-faces.json").write_text(json.dumps(added))
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})
    registry = app.extensions["facerights.registry"]
    assert registry.get("pimeyes").email == "dpo@pimeyes.example"
    assert registry.get("example-faces").name == "Example Faces Ltd"
    assert registry.get("clearview-ai") is not None
    client = app.test_client()
    client.get("/company/pimeyes")  # any page: check the company list
    from conftest import Wizard, page_text
    wizard = Wizard(client)
    wizard.submit("/request-type", {"request_type": "access"})
    text = page_text(client.get("/company").get_data(as_text=True))
    assert "Example Faces Ltd" in text
    assert "Contact details confirmed by hand on 1 December 2026." in text


def test_a_broken_ngo_record_stops_the_start_with_a_clear_message(tmp_path):
    (tmp_path / "broken.json").write_text("{ not json")
    from app.host import SettingError
    with pytest.raises(SettingError, match="COMPANIES_FOLDER.*broken.json: not readable JSON"):
        create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})


def test_regulator_decisions_quoted_in_letters_are_the_final_eu_ones():
    clearview = Registry.load(SHIPPED_RECORDS).get("clearview-ai")
    cited = {(d.country, d.amount) for d in clearview.decisions_to_cite}
    assert cited == {("IT", 20_000_000), ("GR", 20_000_000), ("FR", 20_000_000), ("NL", 30_500_000)}
    assert sum(amount for _, amount in cited) == 90_500_000


def test_a_translated_authority_name_is_translated_into_every_letter_language():
    """A decision whose authority's name the letters translate (the Greek HDPA) has it in every letter language:
    a Swedish letter must not name it in English."""
    from app.i18n import available_locales
    languages = set(available_locales()) - {"en"}
    for company in Registry.load(SHIPPED_RECORDS):
        for decision in company.decisions_to_cite:
            if decision.authority_translations:
                assert languages <= set(decision.authority_translations), (company.slug, decision.authority)


def test_registry_restricted_to_some_companies_keeps_their_order():
    registry = Registry.load(SHIPPED_RECORDS)
    assert registry.restricted_to(["pimeyes", "clearview-ai"]).slugs() == ["pimeyes", "clearview-ai"]
    with pytest.raises(RegistryError, match="unknown company 'acme'"):
        registry.restricted_to(["acme"])
