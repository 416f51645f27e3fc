"""Adding a language is its catalog and its language file, with no code change (README, "Adding a language").

Proven with a language made here, in a translations folder of its own: Esperanto ("eo", which CLDR knows and
no EEA authority uses, so it will never be shipped), its catalog a copy of the German one and its language
file a copy of the German file with Esperanto dates and Cyrillic point markers. The app offers it everywhere
and writes letters in it. And a missing or malformed language file stops the app at start-up, saying which
file and what is wrong.
"""
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from pypdf import PdfReader

from app import create_app
from app.i18n import TRANSLATIONS
from app.languages import LanguageFileError, readme_block, skeleton
from app.letters.render import keep_citations_together
from conftest import PERSON, SECRET, Wizard, pdf_text, point_markers

ROOT = Path(__file__).resolve().parent.parent
NEW = "eo"
CYRILLIC_POINTS = ["а", "б", "в", "г", "д", "е", "ж", "з", "и", "к"]


def compile_catalog(folder: Path, code: str) -> None:
    messages = folder / code / "LC_MESSAGES"
    with (messages / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=code)
    with (messages / "messages.mo").open("wb") as target:
        write_mo(target, catalog)


def add_language(folder: Path, code: str, copy_of: str, **changes) -> dict:
    """translations/<code>/: the catalog and language file of ``copy_of``, the file's sections updated."""
    (folder / code / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(TRANSLATIONS / copy_of / "LC_MESSAGES" / "messages.po", folder / code / "LC_MESSAGES")
    compile_catalog(folder, code)
    data = json.loads((TRANSLATIONS / copy_of / "language.json").read_text(encoding="utf-8"))
    for section, value in changes.items():
        data[section] = {**data[section], **value} if isinstance(value, dict) else value
    (folder / code / "language.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def english_only(folder: Path) -> Path:
    shutil.copytree(TRANSLATIONS / "en", folder / "en", ignore=shutil.ignore_patterns("*.mo"))
    compile_catalog(folder, "en")
    return folder


@pytest.fixture(scope="module")
def translations(tmp_path_factory):
    folder = english_only(tmp_path_factory.mktemp("translations"))
    add_language(folder, NEW, "de", dates={"locale": NEW},
                 citation={"part_words": [*json.loads((TRANSLATIONS / "de" / "language.json").read_text(
                     encoding="utf-8"))["citation"]["part_words"], "cikk"]},
                 ordered_list_markers=CYRILLIC_POINTS)
    return folder


@pytest.fixture(scope="module")
def new_app(translations, tmp_path_factory):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "TRANSLATIONS_FOLDER": str(translations),
                       "COMPANIES_FOLDER": str(tmp_path_factory.mktemp("companies"))})


def test_the_app_offers_the_new_language_by_its_own_name(new_app):
    assert new_app.config["LANGUAGES"] == ["en", NEW]
    client = new_app.test_client()
    html = client.get("/language?next=/request-type").get_data(as_text=True)
    assert f'<a href="/language/{NEW}?next=/request-type" lang="{NEW}" hreflang="{NEW}">Esperanto</a>' in html
    assert client.get(f"/language/{NEW}?next=/request-type").location == "/request-type"
    html = client.get("/request-type").get_data(as_text=True)
    assert f'<html lang="{NEW}">' in html and "Was soll das Unternehmen tun?" in html  # the copied catalog
    assert '<span class="current-language">Esperanto</span>' in html
    assert "@counter-style legal-points-eo" in client.get("/letter-points.css").get_data(as_text=True)


def test_the_letter_language_question_offers_it(new_app):
    wizard = Wizard(new_app.test_client())
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["email"]})
    wizard.submit("/your-details", PERSON)
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert f'<option value="{NEW}" lang="{NEW}">Esperanto</option>' in html


def test_the_web_wizard_writes_a_letter_in_it(new_app):
    wizard = Wizard(new_app.test_client())
    wizard.answer_all("access", letter_language=NEW)
    pdf = wizard.download().data
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == NEW
    text = pdf_text(pdf)
    assert "Auskunftsrecht" in text and "Art. 15 Abs. 3 DSGVO" in text  # the copied glossary's terms
    # Its points lettered as its language file says (the counter style is made from the data).
    assert point_markers(text) == [f"{marker})" for marker in CYRILLIC_POINTS[:8]]  # the access request's eight points


def test_flask_letter_writes_it_on_the_command_line(translations, tmp_path):
    """The issue's own check, `flask --app wsgi letter --language xx`, run as a person would run it."""
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Jana Nováková", "email": "jana@example.cz",
                                  "address": {"street": "Hlavní 1", "postcode": "110 00", "city": "Praha",
                                              "country": "CZ"}}), encoding="utf-8")
    environment = {**os.environ, "FACERIGHTS_TRANSLATIONS_FOLDER": str(translations),
                   "FACERIGHTS_SECRET_KEY": SECRET, "FACERIGHTS_COMPANIES_FOLDER": str(tmp_path / "companies")}
    result = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "letter",
                             "--company", "clearview-ai", "--request", "both", "--person", str(person),
                             "--language", NEW, "--date", "2026-12-01", "--output", str(tmp_path / "eo.pdf")],
                            cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "eo.pdf").read_bytes())
    assert format_date(date(2026, 12, 1), "long", locale=NEW) in text  # "1 Decembro 2026", from CLDR
    assert "Recht auf Löschung" in text and "Ĉeĥujo" in text  # the country as Esperanto names it


def test_its_citation_words_are_kept_together(new_app):
    """Including the words it adds, and after a numbered "15." as Hungarian or Latvian write articles."""
    with new_app.app_context():
        assert keep_citations_together("15. cikk (3)", NEW) == "15.\u00a0cikk\u00a0(3)"
        assert keep_citations_together("Art. 15 Abs. 3 DSGVO", NEW) == "Art.\u00a015\u00a0Abs.\u00a03\u00a0DSGVO"


# --- a broken language file stops the app ------------------------------------------------------------------

def start_with(folder: Path):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "TRANSLATIONS_FOLDER": str(folder),
                       "COMPANIES_FOLDER": str(folder / "no-companies")})


@pytest.mark.parametrize("changes, message", [
    (dict(glossary={"closing": ""}), "glossary/closing: '' does not match"),
    (dict(lawyer_reviewed="no"), "lawyer_reviewed: 'no' is not of type 'boolean'"),
    (dict(dates={"locale": "xx_YY"}), "dates/locale: 'xx_YY' is not a locale Babel (CLDR) knows"),
    (dict(citation={"abbreviations": ["GDPR"]}), "citation/abbreviations: must include the glossary's "
                                                 "abbreviation 'DSGVO'"),
    (dict(ordered_list_markers=["a", "b"]), "ordered_list_markers: ['a', 'b'] is too short"),
    (dict(ordered_list_markers=['"', "b", "c", "d", "e", "f", "g", "h"]), "ordered_list_markers/0: '\"' does not match"),
    (dict(dates={"first_of_month": "1 er"}), "dates/first_of_month: '1 er' does not match"),
    (dict(citation={"part_words": []}), "citation/part_words: [] should be non-empty"),
])
def test_a_malformed_language_file_stops_the_app_naming_the_file_and_the_problem(tmp_path, changes, message):
    folder = english_only(tmp_path / "translations")
    add_language(folder, NEW, "de", **changes)
    with pytest.raises(LanguageFileError) as refused:
        start_with(folder)
    assert str(refused.value).startswith(f"{folder / NEW / 'language.json'}: ")
    assert message in str(refused.value)


def test_every_problem_is_listed_one_a_line(tmp_path):
    folder = english_only(tmp_path / "translations")
    add_language(folder, NEW, "de", glossary={"closing": " "}, lawyer_reviewed=None)
    (folder / "de" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po", folder / "de" / "LC_MESSAGES")
    with pytest.raises(LanguageFileError) as refused:
        start_with(folder)
    lines = str(refused.value).splitlines()
    assert len(lines) == 3, lines
    assert "de/language.json: missing; every language needs one beside its catalog" in lines[0]
    assert "glossary/closing" in lines[1] and "lawyer_reviewed" in lines[2]


def test_an_unreadable_language_file_or_one_without_a_catalog_stops_the_app(tmp_path):
    folder = english_only(tmp_path / "translations")
    add_language(folder, NEW, "de")
    (folder / NEW / "language.json").write_text("{not json", encoding="utf-8")
    (folder / "sv").mkdir()
    shutil.copy(TRANSLATIONS / "de" / "language.json", folder / "sv")
    with pytest.raises(LanguageFileError) as refused:
        start_with(folder)
    assert "eo/language.json: not readable JSON" in str(refused.value)
    assert "sv/language.json: there is no catalog sv/LC_MESSAGES/messages.po beside it" in str(refused.value)


def test_a_new_language_file_from_the_script_names_every_field_to_fill_in(tmp_path):
    """sh scripts/translations.sh init xx writes this skeleton; until it is filled in, the app says what is
    missing."""
    folder = english_only(tmp_path / "translations")
    add_language(folder, NEW, "de")
    (folder / NEW / "language.json").write_text(json.dumps(skeleton()), encoding="utf-8")
    with pytest.raises(LanguageFileError) as refused:
        start_with(folder)
    problems = str(refused.value)
    for field in ("glossary/regulation", "glossary/closing", "citation/part_words", "citation/abbreviations",
                  "dates/locale"):
        assert f"language.json: {field}: " in problems, field


def test_a_language_a_lawyer_has_reviewed_leaves_the_readmes_list(tmp_path):
    folder = english_only(tmp_path / "translations")
    add_language(folder, NEW, "de", lawyer_reviewed=True)
    block = readme_block(folder)
    assert "Languages of the pages and the letters: English (en), Esperanto (eo)." in block
    assert "reviewed yet: English (en)." in block


def test_a_page_language_without_files_stops_the_app(tmp_path):
    with pytest.raises(LanguageFileError, match="LANGUAGES: ga has no catalog and language file in "):
        create_app({"TESTING": True, "SECRET_KEY": SECRET, "LANGUAGES": ["en", "ga"],
                    "COMPANIES_FOLDER": str(tmp_path)})
