"""The record a letter's PDF carries (app/case/record.py): one format, written and read in one place,
versioned with upgrades, and proved by a round trip: answers → letter → PDF → upload → restored answers →
the same letter."""
import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from app.case import record
from app.case.record import RecordError, parse
from app.followup.restore import case_of, restore
from app.letters import letter_pdf
from app.letters.attachment import read_record
from app.letters.model import chosen_companies, letter_from_answers, request_letter
from app.letters.render import render_letter_html
from bench import hostile_pdfs
from conftest import SECRET, csrf_token, page_text, pdf_text
from test_cli import run

DAY = date(2026, 11, 2)
LIMIT = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def app():
    from app import create_app
    return create_app({"TESTING": True, "SECRET_KEY": SECRET})


# --- generated answers --------------------------------------------------------------------------------

letters_only = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéèłęąΑΒΓαβγ ", min_size=2, max_size=30).map(
    lambda text: text.strip() or "Ada").filter(lambda text: any(char.isalpha() for char in text))
RESIDENCES = {"DE": "10115", "FR": "75001", "IE": "", "NO": "0150", "GB": "SW1A 1AA", "PL": "00-001"}


@st.composite
def typed_company_answer(draw):
    """The "other company" page's answer, as the wizard saves it: a postal address, an email, or both (N-L12)."""
    with_address, with_email = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    country = draw(st.sampled_from(["DE", "FR", "GB", "IE", "PL", "NO"]))
    return {"name": draw(letters_only) + " Ltd", "street": "1 Example Street" if with_address else "",
            "postcode": draw(st.sampled_from(["10115", "D02 X285", "00-950"])) if with_address else "",
            "city": draw(letters_only) if with_address else "", "country": country,
            "email": "privacy@company.example" if with_email else ""}


def typed_channels(answer: dict) -> list[str]:
    return (["letter"] if answer["street"] else []) + (["email"] if answer["email"] else [])


@st.composite
def wizard_answers(draw, registry):
    """Valid answers of every page, as the wizard saves them, for one company of the registry or one the person
    typed."""
    slug = draw(st.sampled_from(["clearview-ai", "pimeyes", "lenso-ai", "public-mirror", "facecheck-id", "other"]))
    typed = draw(typed_company_answer()) if slug == "other" else None
    offered = typed_channels(typed) if typed else registry.get(slug).channels
    request_type = draw(st.sampled_from(["access", "erasure", "both"]))
    channels = draw(st.lists(st.sampled_from(offered), min_size=0, max_size=3, unique=True))
    posting = "letter" in (channels or offered)
    country = draw(st.sampled_from(sorted(RESIDENCES)))
    with_address = posting or draw(st.booleans())
    details = {
        "full_name": draw(letters_only), "email": "person@example.org",
        "street": "Hauptstraße 12" if with_address else "",
        "address_line_2": draw(st.sampled_from(["", "c/o Frauenhaus Nord", "Apt 3"])) if with_address else "",
        "postcode": RESIDENCES[country] if with_address else "", "city": "Town" if with_address else "",
        "country": country,
        "profile_urls": "\n".join(draw(st.lists(st.sampled_from(["https://example.org/a", "https://example.net/b?x=1"]),
                                                max_size=2, unique=True))),
    }
    language = "en" if country == "GB" else draw(st.sampled_from(["en", "de", "fr", "nl", "it", "el", "es", "pl"]))
    answers = {"request-type": {"request_type": request_type}, "company": {"company": [slug]},
               "sending": {"channels": channels}, "your-details": details,
               "letter-language": {"letter_language": language}}
    if typed:
        answers["other-company"] = typed
    if request_type != "access":
        grounds = draw(st.lists(st.sampled_from(["unlawful-biometric", "consent-withdrawn", "objection"]), min_size=1,
                                unique=True))
        answers["erasure-grounds"] = {"grounds": grounds}
        if "objection" in grounds:
            answers["objection-reason"] = {"objection_reason": "My safety depends on nobody finding me by my face."}
        answers["recollection"] = {"suppression": draw(st.sampled_from(["addresses", "template"]))}
    return answers


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_letter_restored_from_its_pdf_is_the_same_letter(app, data):
    """Every request type, ground, objection, suppression, channel set, with and without a postal address,
    a second address line and web pages, in every language, to a company of the registry or one the person
    typed: the restored request writes the same letter."""
    registry = app.extensions["facerights.registry"]
    answers = data.draw(wizard_answers(registry))
    with app.test_request_context():
        language = answers["letter-language"]["letter_language"]
        # As the download page makes it: a typed company named in the letter's language.
        company = next(iter(chosen_companies(answers, registry, app.config["LANGUAGES"])))[0]
        original = letter_from_answers(answers, registry, language=language, today=DAY,
                                       reference="FR-20261102-K7Q2XM", company=company)
        pdf = letter_pdf(original)
        restored = restore(read_record(pdf, LIMIT), registry, date(2026, 12, 4))
        assert restored.problems == []
        again = request_letter(case_of(restored, registry))
        assert render_letter_html(again) == render_letter_html(original)
        assert again.case == original.case


def test_a_typed_company_written_before_letters_carried_it_cannot_be_continued_and_says_why(app):
    registry = app.extensions["facerights.registry"]
    data = json.loads(hostile_pdfs.genuine_record(_letter(app, registry)))
    data["request"]["company"] = "other"
    assert "other_company" not in data
    with app.test_request_context():
        restored = restore(parse(json.dumps(data).encode()), registry, date(2026, 12, 4))
    assert any("company you typed yourself" in message for _field, message in restored.problems)


TYPED = {"name": "Acme Faces Ltd", "street": "1 High Street", "postcode": "EC1A 1AA", "city": "London",
         "country": "GB", "email": "privacy@acme.example"}


def typed_letter_pdf(app, residence="DE", **typed):
    """A request to a company the person typed (TYPED), made as the download page makes it."""
    registry = app.extensions["facerights.registry"]
    answers = {"request-type": {"request_type": "access"}, "company": {"company": ["other"]},
               "other-company": dict(TYPED, **typed), "sending": {"channels": ["email"]}, "your-details": {
                   "full_name": "Ada Lovelace", "email": "ada@example.org", "street": "", "address_line_2": "",
                   "postcode": "", "city": "", "country": residence, "profile_urls": ""},
               "letter-language": {"letter_language": "en"}}
    with app.test_request_context():
        company = chosen_companies(answers, registry, app.config["LANGUAGES"])[0][0]
        return letter_pdf(letter_from_answers(answers, registry, language="en", today=DAY,
                                              reference="FR-20261102-K7Q2XM", company=company))


def test_a_typed_company_travels_in_the_record_and_is_checked_by_its_form(app):
    """N-L12: the record carries the company as typed; restoring it runs the "other company" page's form."""
    registry = app.extensions["facerights.registry"]
    record = read_record(typed_letter_pdf(app), LIMIT)
    assert record["request"]["company"] == "other" and record["other_company"] == TYPED
    with app.test_request_context():
        restored = restore(record, registry, date(2026, 12, 4))
        assert restored.problems == [] and restored.answers["other-company"] == TYPED
        company = case_of(restored, registry).company
    assert company.typed_by_person and company.name == "Acme Faces Ltd" and company.email == "privacy@acme.example"
    assert company.address_lines == ("Acme Faces Ltd", "1 High Street", "EC1A 1AA London", "United Kingdom")
    # A hostile record is refused as the page refuses the same typing.
    data = json.loads(hostile_pdfs.genuine_record(typed_letter_pdf(app)))
    data["other_company"].update(name="Acme\u202eLtd", email="not an email")
    with app.test_request_context():
        restored = restore(parse(json.dumps(data).encode()), registry, date(2026, 12, 4))
    assert {field for field, _message in restored.problems} >= {"other_company.name", "other_company.email"}
    # Only the fields the page has.
    data["other_company"]["web"] = "https://acme.example"
    with pytest.raises(RecordError):
        parse(json.dumps(data).encode())


def _letter(app, registry, **changes):
    answers = {"request-type": {"request_type": "access"}, "company": {"company": ["clearview-ai"]},
               "sending": {"channels": ["email"]}, "your-details": {
                   "full_name": "Ada Lovelace", "email": "ada@example.org", "street": "", "address_line_2": "",
                   "postcode": "", "city": "", "country": "DE", "profile_urls": ""},
               "letter-language": {"letter_language": "en"}, **changes}
    with app.test_request_context():
        return letter_pdf(letter_from_answers(answers, registry, language="en", today=DAY,
                                              reference="FR-20261102-K7Q2XM"))


# --- versions --------------------------------------------------------------------------------------------

V1_REQUEST = {
    "format": "facerights-answers", "version": 1,
    "letter": {"kind": "request", "date": "2026-11-02", "language": "de"},
    "request": {"reference": "FR-20261102-K7Q2XM", "date": "2026-11-02", "request_type": "both",
                "company": "clearview-ai", "channels": ["letter"]},
    "person": {"full_name": "Maria Müller", "email": "maria@example.com", "street": "Hauptstraße 12",
               "postcode": "10115", "city": "Berlin", "country": "DE", "profile_urls": ["https://example.org/me"]},
    "erasure": {"grounds": ["unlawful-biometric", "objection"], "objection_reason": "Ich wurde verfolgt und bin "
                "nur sicher, wenn mich niemand über mein Gesicht findet.", "suppression": "addresses"},
}
V1_FOLLOW_UP = {
    "format": "facerights-answers", "version": 1,
    "letter": {"kind": "asked-for-id", "date": "2026-11-20", "language": "en"},
    "request": {"reference": "FR-20261102-K7Q2XM", "date": "2026-11-02", "request_type": "access",
                "company": "clearview-ai", "sent": "2026-11-03", "channel": "email"},
    "person": {"full_name": "Maria Müller", "email": "maria@example.com", "street": "Hauptstraße 12",
               "postcode": "10115", "city": "Berlin", "country": "DE"},
}


def test_letters_printed_in_version_1_are_read_and_upgraded(app):
    registry = app.extensions["facerights.registry"]
    upgraded = read_record(hostile_pdfs.record_with(V1_REQUEST), LIMIT)
    assert upgraded["version"] == record.VERSION and upgraded["events"] == []
    with app.test_request_context():
        restored = restore(upgraded, registry, date(2026, 12, 4))
    assert restored.problems == []
    case = case_of(restored, registry)
    assert case.request.channels == ("letter",) and case.request.language == "de"
    assert case.request.objection_reason.startswith("Ich wurde verfolgt") and case.request.grounds == (
        "unlawful-biometric", "objection")

    follow_up = read_record(hostile_pdfs.record_with(V1_FOLLOW_UP), LIMIT)
    assert [event["kind"] for event in follow_up["events"]] == ["sent", "letter"]
    assert follow_up["events"][1]["situation"] == "asked-for-id" and follow_up["document"]["kind"] == "follow-up"


@pytest.mark.parametrize("version", [0, 3, True, 1.0, "2", None])
def test_a_version_we_do_not_write_is_refused_by_its_own_reason(version):
    data = dict(V1_REQUEST, version=version)
    with pytest.raises(RecordError) as refused:
        parse(json.dumps(data).encode())
    assert refused.value.reason == "version"


def test_the_schema_is_strict_about_types_and_unknown_fields(app):
    registry = app.extensions["facerights.registry"]
    good = json.loads(hostile_pdfs.genuine_record(_letter(app, registry)))
    for change in (lambda r: r.update(extra=1), lambda r: r["request"].update(request_type="all"),
                   lambda r: r["person"].update(full_name=7), lambda r: r["events"].append({"kind": "reply"}),
                   lambda r: r["request"].update(channels=["pigeon"]), lambda r: r["document"].update(kind="x")):
        data = json.loads(json.dumps(good))
        change(data)
        with pytest.raises(RecordError) as refused:
            parse(json.dumps(data).encode())
        assert refused.value.reason == "invalid"


# --- the bugs of the code review (§4.1), each through the page and the command line -----------------------

def upload(client, pdf):
    html = client.get("/continue").get_data(as_text=True)
    return client.post("/continue", data={"csrf_token": csrf_token(html), "letter": (io.BytesIO(pdf), "l.pdf")},
                       content_type="multipart/form-data")


def test_an_email_only_letter_without_a_postal_address_continues_on_the_web(app):
    pdf = _letter(app, app.extensions["facerights.registry"])
    client = app.test_client()
    response = upload(client, pdf)
    assert response.status_code == 302 and response.location.endswith("/after/sent")
    # The channel is preselected from the letter, which went by email only.
    assert 'value="email" checked' in client.get("/after/sent").get_data(as_text=True)


@pytest.fixture(scope="module")
def posted_objection(tmp_path_factory):
    """A letter made by the command line: objection with its reason, a c/o line, sent by post only."""
    folder = tmp_path_factory.mktemp("posted")
    person = folder / "person.json"
    person.write_text(json.dumps({
        "full_name": "Lena Schmidt", "email": "lena@example.de",
        "address": {"street": "Postfach 12", "address_line_2": "c/o Frauenhaus Nord", "postcode": "80331",
                    "city": "München", "country": "DE"},
        "erasure_grounds": ["objection"], "objection_reason": "A stalker must not find me through my face again."}),
        encoding="utf-8")
    output = folder / "letter.pdf"
    result = run("letter", "--company", "clearview-ai", "--request", "erasure", "--person", str(person),
                 "--send", "letter", "--output", str(output), "--date", "2026-10-01")
    assert result.returncode == 0, result.stderr
    return output


def test_objection_reason_c_o_line_and_post_only_survive_into_the_complaint_annex(posted_objection, tmp_path):
    output = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(posted_objection), "--situation", "no-answer", "--sent", "2026-10-02",
                 "--output", str(output), "--date", "2026-12-21")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    text = pdf_text(output.read_bytes())
    assert "per Post" in text  # the complaint says how the request went
    annex = " ".join(page.extract_text() for page in reader.pages[-3:])
    assert "A stalker must not find me through my face again." in text and "c/o Frauenhaus Nord" in annex
    assert "Also sent by email" not in text and "Auch per E-Mail" not in text


def test_an_email_only_letter_continues_on_the_command_line(tmp_path):
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"full_name": "Ada Lovelace", "email": "ada@example.org",
                                  "address": {"country": "FR"}}), encoding="utf-8")
    letter = tmp_path / "letter.pdf"
    assert run("letter", "--company", "pimeyes", "--request", "access", "--person", str(person), "--send", "email",
               "--output", str(letter), "--date", "2026-10-01").returncode == 0
    output = tmp_path / "reminder.pdf"
    result = run("follow-up", "--original", str(letter), "--situation", "no-answer", "--sent", "2026-10-01",
                 "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert "par e-mail" in pdf_text(output.read_bytes()) or "by email" in pdf_text(output.read_bytes())


def test_the_command_line_round_trips_a_letter_through_a_follow_up_into_status(tmp_path, posted_objection):
    reply = tmp_path / "reply.pdf"
    result = run("follow-up", "--original", str(posted_objection), "--situation", "asked-for-id", "--sent",
                 "2026-10-02", "--replied", "2026-10-20", "--their-reference", "CV-9", "--output", str(reply),
                 "--date", "2026-10-22")
    assert result.returncode == 0, result.stderr
    result = run("status", str(posted_objection), str(reply))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and "Clearview AI" in lines[0] and "your follow-up (asked-for-id) 2026-10-22" in lines[0]
