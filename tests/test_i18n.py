"""Every language: complete catalogs and language files, pages in each language, letters in each language and
its legal terms. The languages are the catalogs on disk (available_locales), never a list written here."""
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.support import Translations
from pypdf import PdfReader

from app import create_app
from app.i18n import TRANSLATIONS, available_locales, language_name
from app.languages import readme_block
from language_letters import FOLLOW_UPS
from app.letters.render import letter_date
from conftest import PERSON, REASON, SECRET, Wizard, page_text, pdf_text, point_markers, spaced
from language_letters import (KINDS, LANGUAGE_FILES, LANGUAGES, REFERENCE, REQUEST_DAY, cite, citation_pattern,
                              glossary, per_language)

ROOT = Path(__file__).resolve().parent.parent

# Sentences or phrases that only the English letter may contain.
ENGLISH_SENTINELS = ["Dear Sir or Madam", "Yours faithfully", "personal data", "Please ", "within one month",
                     "My reference", "I object", "free of charge", "supervisory authority", "Enclosure",
                     "The GDPR applies", "biometric data"]


def translate(language: str, message: str) -> str:
    return Translations.load(str(TRANSLATIONS), [language]).gettext(message)


def test_the_eight_first_languages_are_still_available():
    assert {"en", "de", "fr", "nl", "it", "el", "es", "pl"} <= set(available_locales())


def test_readme_lists_the_languages_and_those_no_lawyer_has_reviewed():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_block(TRANSLATIONS) in readme, "run: sh scripts/translations.sh readme"


def test_every_catalog_has_a_valid_language_file():
    """translations/<code>/language.json beside every catalog, checked against app/language.schema.json."""
    assert sorted(LANGUAGE_FILES) == sorted(available_locales())
    assert all((TRANSLATIONS / code / "language.json").is_file() for code in available_locales())


# --- catalogs ---------------------------------------------------------------------------------------

def read_catalog(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def message_ids(path: Path) -> set:
    return {message.id for message in read_catalog(path) if message.id}


def test_pot_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-k", "lazy_ngettext:1,2", "--add-comments=Translators:", "--no-location", "--omit-header",
                    "--sort-output", "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True)
    expected = message_ids(fresh)
    committed = message_ids(TRANSLATIONS / "messages.pot")
    assert committed == expected, ("run: sh scripts/translations.sh extract && sh scripts/translations.sh update; "
                                   f"new: {sorted(expected - committed)[:5]}, gone: {sorted(committed - expected)[:5]}")


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_catalog_is_complete(language):
    template = message_ids(TRANSLATIONS / "messages.pot")
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    messages = {message.id: message for message in catalog if message.id}
    assert set(messages) == template, f"{language}: run sh scripts/translations.sh update"
    # A plural entry is a tuple of forms: every form must be there.
    untranslated = [mid for mid, message in messages.items()
                    if not message.string or (isinstance(message.string, tuple) and not all(message.string))]
    fuzzy = [mid for mid, message in messages.items() if message.fuzzy]
    assert not untranslated, f"{language}: untranslated {untranslated[:3]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:3]}"
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog.check() if errors]
    assert not problems, problems[:3]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_catalog_has_as_many_plural_forms_as_its_language(language):
    """Three forms in Polish or Czech, four in Slovenian: the CLDR rules that Babel ships (the completeness test
    above checks that every form of every entry is there)."""
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    assert catalog.num_plurals == get_plural(language).num_plurals, \
        f"{language}: Plural-Forms must be: {get_plural(language).plural_forms}"


# --- pages ------------------------------------------------------------------------------------------

def client_in(app, language):
    client = app.test_client()
    client.get(f"/language/{language}")
    return client


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_every_ui_language(app, language):
    client = client_in(app, language)
    wizard = Wizard(client)
    pages = {
        "/": "Ask a face-search company what it holds about you, or make it delete it",
        "/request-type": "What do you want the company to do?",
    }
    for path, heading in pages.items():
        html = client.get(path).get_data(as_text=True)
        assert f'<html lang="{language}">' in html
        assert translate(language, heading) in html
    response = wizard.submit("/request-type", {})
    assert translate(language, "Select what you want the company to do.") in response.get_data(as_text=True)
    assert translate(language, "There is a problem") in response.get_data(as_text=True)
    wizard.answer_all("erasure")
    for path, heading in {"/company": "Which companies do you want to write to?", "/your-details": "Your details",
                          "/erasure-grounds": "Why must they delete your data?",
                          "/check-answers": "Check your answers", "/download": "Your letter"}.items():
        html = client.get(path).get_data(as_text=True)
        assert f'<html lang="{language}">' in html, path
        assert translate(language, heading) in html, (language, path)
    response = wizard.submit("/your-details", dict(PERSON, email="not-an-email", city=""))
    html = response.get_data(as_text=True)
    assert translate(language, "Enter an email address in the correct format, like name@example.com.") in html
    assert translate(language, "Enter your town or city.") in html
    if language != "en":
        assert "Enter your town or city." not in html


def test_country_names_and_dates_are_localised(app):
    client = client_in(app, "de")
    Wizard(client).answer_all("access")
    html = client.get("/your-details").get_data(as_text=True)
    assert '<option value="DE" selected>Deutschland</option>' in html
    company = client.get("/company").get_data(as_text=True)
    assert "29. November 2026" in company


def test_language_follows_the_browser_then_the_host_default(tmp_path):
    app = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)})
    client = app.test_client()
    assert '<html lang="el">' in client.get("/", headers={"Accept-Language": "el-GR,el;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    nl_default = create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path), "BABEL_DEFAULT_LOCALE": "nl"})
    assert '<html lang="nl">' in nl_default.test_client().get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)


def test_language_switcher_works_without_javascript_and_lasts_for_the_visit(client):
    html = client.get("/privacy").get_data(as_text=True)
    header = html[html.index('<nav class="languages"'):html.index("</nav>")]
    assert '<a class="language-link" href="/language?next=/privacy">' in header
    assert '<span class="current-language">English</span>' in header and "Change language" in header
    html = client.get("/language?next=/privacy").get_data(as_text=True)
    assert 'href="/language/el?next=/privacy" lang="el" hreflang="el">Ελληνικά</a>' in html
    response = client.get("/language/el?next=/request-type")
    assert response.status_code == 302 and response.location.endswith("/request-type")
    assert '<html lang="el">' in client.get("/request-type", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="el">' in client.get("/").get_data(as_text=True)


# The security review's payloads (F2, F7): whitespace and control characters that browsers or
# Werkzeug drop, backslashes they read as slashes, other hosts, schemes and encodings.
OFF_SITE_TARGETS = ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example",
                    "/\t/evil.example", "\t//evil.example", " //evil.example", "/\r\n/evil.example", "/\r",
                    "/\n", "/\r\nSet-Cookie: x=1", "/\\/evil.example", "\\\\evil.example", "///evil.example",
                    "/.//evil.example", "/%2F%2Fevil.example", "/%5cevil.example", "http:/evil.example",
                    "HTTPS://evil.example", "data:text/html,x", "/\u3000/evil.example", "/\uff0f\uff0fevil.example",
                    "/\u2215\u2215evil.example", "/\u200b/evil.example", "/@evil.example", "/static/css/site.css",
                    "/company/pimeyes", "/language/el", "/no-such-page", "/request-type#x", "a" * 9000]


@pytest.mark.parametrize("target", OFF_SITE_TARGETS)
def test_language_switcher_only_returns_to_a_page_of_this_site(client, target):
    response = client.get("/language/de", query_string={"next": target})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("raw_query", ["next=/%09/evil.example", "next=/%0d%0a", "next=/%0a", "next=/%0D",
                                       "next=%2F%09%2Fevil.example", "next=/%5C/evil.example"])
def test_language_switcher_with_an_encoded_payload_stays_on_the_site(client, raw_query):
    response = client.get(f"/language/de?{raw_query}")
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("target", ["/", "/request-type", "/your-details?return=check", "/check-answers",
                                    "/download"])
def test_language_switcher_returns_to_the_page_it_was_used_on(client, target):
    response = client.get("/language/de", query_string={"next": target})
    assert response.status_code == 302 and response.location == target


@pytest.mark.parametrize("page_language", ["en", "el"])
def test_the_language_page_lists_every_language_by_its_own_name(client, page_language):
    """Whatever their number: one link each, named in its own language, the current one marked."""
    client.get(f"/language/{page_language}")
    html = client.get("/language?next=/request-type%3Freturn%3Dcheck").get_data(as_text=True)
    listed = html[html.index("<ul class=\"language-list\">"):html.index("</main>")]
    for code in available_locales():
        name = language_name(code)
        if code == page_language:
            assert f'<span class="current" aria-current="true" lang="{code}">{name}</span>' in listed
        else:
            assert (f'<a href="/language/{code}?next=/request-type?return%3Dcheck" lang="{code}" hreflang="{code}">'
                    f'{name}</a>') in listed
    assert listed.count("<li>") == len(available_locales())
    header = html[html.index('<nav class="languages"'):html.index("</nav>")]
    assert f'<span class="current-language">{language_name(page_language)}</span>' in header
    assert "<a " not in header  # no link to the page itself
    start = client.get("/").get_data(as_text=True)
    assert translate(page_language, "Change language") in start[start.index('<nav class="languages"'):]


def test_the_language_page_returns_only_to_a_page_of_this_site(client):
    html = client.get("/language", query_string={"next": "//evil.example/"}).get_data(as_text=True)
    assert 'href="/language/de?next=/"' in html and "evil" not in html


def test_every_language_name_is_its_own():
    names = {code: language_name(code) for code in available_locales()}
    assert names["de"] == "Deutsch" and names["el"] == "Ελληνικά" and names["pl"] == "Polski"
    assert len(set(names.values())) == len(names)


def test_unknown_language_is_404(client):
    assert client.get("/language/xx").status_code == 404


# --- letters ----------------------------------------------------------------------------------------

def folded(text: str) -> str:
    return text.replace("- ", "-").casefold()  # a term may be hyphenated at a line end


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("request_type", ["access", "erasure", "both"])
def test_letter_uses_the_legal_terms_of_its_language(language_letters, language, request_type):
    rendered = language_letters(language, request_type)
    text, terms = rendered.text, glossary(language)
    expected = [terms["regulation"], terms["abbreviation"], terms["cite_complaint"], terms["greeting"],
                terms["closing"]]
    if request_type in ("access", "both"):
        expected += [terms["right_of_access"], terms["cite_copy"]]
    if request_type in ("erasure", "both"):
        expected += [terms["right_to_erasure"], terms["cite_unlawful"], terms["cite_objection"]]
    missing = [term for term in expected if term.casefold() not in folded(text)]
    assert not missing, f"{language}/{request_type}: missing {missing}"
    assert spaced(letter_date(REQUEST_DAY, language)) in text  # pdf_text folds every space
    assert "Jana Nováková" in text and REFERENCE in text
    assert (REASON in text) == (request_type != "access")


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [*FOLLOW_UPS, "complaint"])
def test_follow_ups_and_the_complaint_use_the_legal_terms_of_their_language(language_letters, language, kind):
    text, terms = language_letters(language, kind).text, glossary(language)
    missing = [term for term in (terms["abbreviation"], terms["greeting"], terms["closing"])
               if term.casefold() not in folded(text)]
    assert not missing, f"{language}/{kind}: missing {missing}"
    assert spaced(letter_date(REQUEST_DAY, language)) in text and REFERENCE in text
    if kind == "complaint":
        # The complaint is lodged under Art. 77(1), cited as the language cites it.
        assert citation_pattern(language, "77", "1").search(text), (language, cite(language, "77", "1"))


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glossary_term_is_in_the_letters_of_its_language(language_letters, language):
    """A term added to a language file's glossary is checked too: it must be in one of the letters."""
    texts = folded(" ".join(language_letters(language, kind).text for kind in KINDS))
    unused = [name for name, term in glossary(language).items() if term.casefold() not in texts]
    assert not unused, f"{language}: no letter uses the glossary's {unused}"


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_english_left_in_any_letter_and_the_pdf_names_its_language(language_letters, language, kind):
    rendered = language_letters(language, kind)
    assert PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"]["/Lang"] == language
    if language != "en":
        leftovers = [phrase for phrase in ENGLISH_SENTINELS if phrase in rendered.text]
        assert not leftovers, f"{language}/{kind}: English left over: {leftovers}"


def test_greek_letter_has_real_glyphs_and_extractable_text(language_letters):
    pdf, text = language_letters("el", "erasure").pdf, language_letters("el", "erasure").text
    assert "ΓΚΠΔ" in text and "δικαίωμα διαγραφής" in text
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("Letter-Serif" in font or "LetterSerif" in font for font in fonts), fonts
    # poppler finds no missing glyphs: every Greek character maps to a glyph of the embedded font.
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Type 3" not in listing
    assert "\ufffd" not in text


def test_greek_letter_numbers_the_points_of_article_15_as_the_greek_gdpr_does(language_letters):
    """α), β), γ), δ), ε), στ), ζ), η): not the alphabet (which has ζ after ε); from the Greek language file."""
    assert point_markers(language_letters("el", "access").text) == "α) β) γ) δ) ε) στ) ζ) η)".split()


def test_every_company_request_language_has_a_complete_letter_catalog(app):
    for company in app.extensions["facerights.registry"]:
        assert company.request_language in available_locales(), company.slug


def test_ui_and_letter_languages_are_chosen_separately(app):
    client = client_in(app, "el")
    wizard = Wizard(client)
    wizard.submit("/request-type", {"request_type": "erasure"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", PERSON)
    page = client.get("/letter-language").get_data(as_text=True)
    assert '<option value="en" lang="en" selected>English</option>' in page  # Clearview's request language
    wizard.answer_all("erasure")
    text = pdf_text(wizard.download().data)
    assert "Request for erasure of my personal data under Article 17 GDPR" in text
    wizard.submit("/letter-language?return=check", {"letter_language": "nl"})
    dutch = pdf_text(wizard.download().data)
    assert "recht op gegevenswissing" in dutch and "AVG" in dutch


def test_the_objection_reason_is_asked_in_the_letter_language(app):
    """M10: the letter language comes first, and the reason's hint names it."""
    client = client_in(app, "de")
    wizard = Wizard(client)
    wizard.submit("/request-type", {"request_type": "erasure"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", PERSON)
    wizard.submit("/letter-language", {"letter_language": "fr"})
    wizard.submit("/erasure-grounds", {"grounds": ["objection"]})
    text = page_text(client.get("/objection-reason").get_data(as_text=True))
    assert translate("de", "Write it in %(language)s, the language of your letter: it goes into the letter word "
                           "for word.") % {"language": "Französisch"} in text


@pytest.mark.parametrize("language, day, expected", [
    ("en", date(2026, 12, 1), "1 December 2026"), ("fr", date(2026, 12, 1), "1er décembre 2026"),
    ("fr", date(2026, 12, 2), "2 décembre 2026"), ("pl", date(2026, 12, 1), "1 grudnia 2026\u00a0r."),
    ("de", date(2026, 12, 1), "1. Dezember 2026"),
])
def test_letter_dates_as_each_language_writes_them(language, day, expected):
    """Written as each language writes them, and never broken across lines (no-break spaces)."""
    assert letter_date(day, language) == expected.replace(" ", "\u00a0")


@pytest.mark.parametrize("language, expected", [
    ("en", "EUR\u00a020,000,000"), ("nl", "EUR\u00a020.000.000"), ("fr", "20\u202f000\u202f000\u00a0EUR"),
    ("de", "20.000.000\u00a0EUR"), ("pl", "20\u00a0000\u00a0000\u00a0EUR"), ("es", "20.000.000\u00a0EUR"),
    ("pt", "20\u00a0000\u00a0000\u00a0EUR"),  # Portugal's usage (pt_PT), not Brazil's
])
def test_amounts_as_each_language_writes_them(language, expected):
    from app.letters.render import money
    assert money(20_000_000, "EUR", language) == expected


# Official wording the legal review asked for, and wording it asked to remove (M9, L6).
OFFICIAL_WORDING = {
    "el": (["εναντίωση"], ["αντίρρηση", "με email"]),
    "nl": (["onverwijld", "zonder onredelijke vertraging"], ["onnodige vertraging", "gegronde twijfels",
                                                             "rechtsmiddel"]),
    "fr": (["motifs légitimes et impérieux"], ["motifs légitimes impérieux"]),
    "pl": (["Mój znak", "administracyjna kara pieniężna"], ["Moja sygnatura", "któregokolwiek z moich danych"]),
    "it": (["Gentili Signori,", "Distinti saluti."], ["Gentili Signore e Signori", "Distinti saluti,"]),
}


@pytest.mark.parametrize("language", sorted(OFFICIAL_WORDING))
def test_letters_use_the_official_wording_the_review_asked_for(language_letters, language):
    required, forbidden = OFFICIAL_WORDING[language]
    texts = [language_letters(language, request_type).text for request_type in ("access", "erasure", "both")]
    combined = " ".join(texts).replace("- ", "-")
    assert not [phrase for phrase in required if phrase not in combined], language
    assert not [phrase for phrase in forbidden if phrase in combined], language


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_signature_alone_in_any_letter_of_any_language(language_letters, language, kind):
    """M11 for every letter of each language, from the longest to the shortest (a complaint keeps its enclosures
    with the closing)."""
    from test_letters import assert_signature_not_alone
    # The whole closing: its first word alone may begin the footer's "Page" ("S" of "Stran", "С" of "Страница").
    closing = glossary(language)["closing"]
    assert_signature_not_alone(language_letters(language, kind).pdf, closing, "Jana Nováková")


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_broken_citation_in_any_letter_of_any_language(language_letters, language, kind):
    """L2 for every letter of each language, with the citation words of its language file."""
    from test_letters import assert_no_citation_or_address_broken
    assert_no_citation_or_address_broken(language_letters(language, kind).pdf, glossary(language)["abbreviation"],
                                         LANGUAGE_FILES[language].citation.part_words)


def test_company_descriptions_follow_the_ui_language(app):
    client = client_in(app, "fr")
    Wizard(client).submit("/request-type", {"request_type": "access"})
    html = client.get("/company").get_data(as_text=True)
    assert "Moteur de recherche faciale ouvert à tous" in html


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_cli_writes_a_letter_in_every_language(app, tmp_path, language):
    """`flask letter --language xx`, the issue's check for each language, in its official terms."""
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Eleni Papadaki", "email": "eleni@example.gr",
                                  "address": {"street": "Ermou 1", "postcode": "10563", "city": "Athina",
                                              "country": "GR"}}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["letter", "--company", "clearview-ai", "--request", "access",
                                                "--person", str(person), "--output", str(tmp_path / "letter.pdf"),
                                                "--language", language, "--date", "2026-03-05"])
    assert result.exit_code == 0, result.output
    text = folded(pdf_text((tmp_path / "letter.pdf").read_bytes()))
    assert glossary(language)["right_of_access"].casefold() in text
    assert spaced(letter_date(date(2026, 3, 5), language)).casefold() in text
