"""After the letter: deadlines, the .ics reminder, the answers inside the PDF, the follow-up letters and the
complaint, read back from real PDFs made by WeasyPrint."""
import dataclasses
import io
import json
import re
from datetime import date

import pytest
from babel import Locale
from icalendar import Calendar
from pypdf import PdfReader, PdfWriter

from app.case.model import Case, Person, reply, sent
from app.case.record import ATTACHMENT_NAME
from app.case.timeline import Clock
from app.case.vocabulary import AccessItem, Situation, values
from app.letters.calendar import deadline_ics
from app.followup.restore import restore
from app.law import authorities
from app.law.deadlines import expected_receipt
from app.law.scope import EEA_EFTA_COUNTRIES, EU_COUNTRIES
from app.letters import letter_pdf
from app.letters.attachment import read_record
from app.letters.model import complaint_letter, follow_up_letter, new_request_letter
from app.letters.render import letter_date
from conftest import PERSON, REASON, SECRET, csrf_token, page_text, pdf_text, spaced, with_date_boxes
from language_letters import (LANGUAGES, REFERENCE as LETTERS_REFERENCE, REPLY_DAY, REPLY_REFERENCE, REQUEST_DAY,
                              SENT_DAY, cite, citation_pattern, per_language)

ACCESS_ITEMS = values(AccessItem)
from language_letters import FOLLOW_UPS  # noqa: E402  (every situation that gets a letter)

DAY = date(2026, 11, 2)
REFERENCE = "FR-20261102-K7Q2XM"
MARIA = Person(full_name="Maria Müller-Łęcka", email="maria@example.com", street="Hauptstraße 12", postcode="10115",
               city="Berlin", country="DE", profile_urls=("https://example.org/team/maria",))


def request(app, request_type="both", person=MARIA, language="en", grounds=("unlawful-biometric",), reason="",
            company="clearview-ai", channels=()):
    return new_request_letter(request_type=request_type, company=app.extensions["facerights.registry"].get(company),
                              person=person, language=language, date=DAY, reference=REFERENCE, grounds=tuple(grounds),
                              objection_reason=reason, channels=channels)


def case_of(letter, *events) -> Case:
    case = letter.case
    for event in events:
        case = case.with_event(event)
    return case


def follow_up(app, letter, situation, today, *events, **kwargs):
    """The follow-up about ``situation`` on ``today``, the request sent as the events say."""
    case = case_of(letter, *events)
    channel = kwargs.pop("channel", case.sending.channel if case.sending else None)
    return follow_up_letter(case, situation, day=today, channel=channel, timeline=app.extensions["facerights.timeline"],
                            **kwargs)


@pytest.fixture
def today(app):
    """The clock of the pages, fixed: 21 December 2026 (after the requests' periods have run)."""
    app.extensions["facerights.clock"] = Clock(fixed=date(2026, 12, 21))
    return date(2026, 12, 21)


def render(app, letter, **kwargs):
    with app.app_context():
        return letter_pdf(letter, **kwargs)


# --- The calendar ---------------------------------------------------------------------------------

def test_receipt_by_channel_email_and_web_form_the_same_day_post_later_and_longer_to_the_usa():
    sent_on = date(2026, 12, 1)
    assert expected_receipt(sent_on, "email") == sent_on == expected_receipt(sent_on, "webform")
    assert expected_receipt(sent_on, "letter", "FR") == date(2026, 12, 8)
    assert expected_receipt(sent_on, "letter", "US") == date(2026, 12, 15)
    assert expected_receipt(sent_on, "letter", "US", {"*": 3, "US": 20}) == date(2026, 12, 21)


def test_ics_parses_and_names_only_company_and_reference(app):
    with app.test_request_context():
        data = deadline_ics(date(2027, 1, 4), "Clearview AI, Inc.", REFERENCE)
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == date(2027, 1, 4)
    assert "Clearview AI, Inc." in str(event["summary"]) and REFERENCE in str(event["summary"])
    alarm = list(event.walk("VALARM"))[0]
    assert alarm.decoded("trigger").days == -3 and str(alarm["action"]) == "DISPLAY"
    text = data.decode()
    for personal in ("Maria", "Müller", "maria@example.com", "Hauptstraße", "10115", "Berlin", "ORGANIZER", "ATTENDEE"):
        assert personal not in text


# --- Answers inside the PDF --------------------------------------------------------------------------

def test_letter_pdf_round_trips_its_answers_through_the_wizard_forms(app, wizard):
    wizard.answer_all(request_type="both", grounds=["unlawful-biometric", "objection"], reason=REASON,
                      letter_language="de", suppression="template")
    pdf = wizard.download().data
    reader = PdfReader(io.BytesIO(pdf))
    assert list(reader.attachments) == [ATTACHMENT_NAME]
    # Still PDF/UA: tagged, with its language, and the embedded file described as PDF/UA-1 asks.
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "de"
    filespec = root["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    assert filespec["/F"] == filespec["/UF"] == ATTACHMENT_NAME and filespec["/Desc"]
    record = read_record(pdf, 2 * 1024 * 1024)
    assert record["version"] == 2 and record["request"]["company"] == "clearview-ai" and record["events"] == []
    with app.test_request_context():
        restored = restore(record, app.extensions["facerights.registry"], date.today())
    assert restored.problems == []
    with wizard.client.session_transaction() as state:
        answers, reference = state["answers"], state["reference"]
    assert restored.reference == reference and restored.request_date == date.today()
    for slug in ("request-type", "company", "your-details", "letter-language", "erasure-grounds", "objection-reason",
                 "recollection"):
        # A field the page never posted is None in the wizard's answer, "" in the record: the same letter.
        assert restored.answers[slug] == {key: value if value is not None else "" for key, value in answers[slug].items()}, slug


def test_the_record_holds_only_what_the_letter_prints_and_the_history_of_the_case(app):
    letter = request(app)
    record = read_record(render(app, letter), 10 ** 7)
    assert "photo" not in json.dumps(record) and record["document"]["kind"] == "request"
    reminder = follow_up(app, letter, "no-answer", date(2026, 12, 20), sent(DAY, "email"))
    record = read_record(render(app, reminder), 10 ** 7)
    assert record["request"]["reference"] == REFERENCE and record["request"]["date"] == DAY.isoformat()
    assert record["document"] == {"kind": "follow-up", "date": "2026-12-20", "language": "en"}
    assert [event["kind"] for event in record["events"]] == ["sent", "letter"]
    assert record["events"][1]["situation"] == "no-answer" and record["events"][1]["channel"] == "email"


def tampered(pdf: bytes, change) -> bytes:
    """The letter with its answers record replaced by ``change(record)``."""
    reader = PdfReader(io.BytesIO(pdf))
    record = json.loads(reader.attachments[ATTACHMENT_NAME][0])
    change(record)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_attachment(ATTACHMENT_NAME, json.dumps(record).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def foreign_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(client, data: bytes, filename="letter.pdf"):
    """A multipart body built here: the test client would spool a large one to a temporary file itself."""
    token = csrf_token(client.get("/continue").get_data(as_text=True))
    boundary = "----facerights-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"letter\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/continue", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("case, message", [
    ("foreign", "This PDF was not made by FaceRights"),
    ("damaged", "The file is not a PDF, or it is damaged."),
    ("truncated", "The file is not a PDF, or it is damaged."),
    ("too-large", "The file is larger than 2 MB."),
    ("empty", "The file is empty."),
    ("tampered-name", "The answers inside this PDF are not valid"),
    ("tampered-company", "The answers inside this PDF are not valid"),
    ("other-format", "This PDF was not made by FaceRights"),
    ("newer-version", "This letter was made by a newer version of FaceRights"),
    ("wrong-type", "The answers inside this PDF are not valid"),
    ("bad-json", "The file is not a PDF, or it is damaged."),
])
def test_a_pdf_we_cannot_use_gets_a_clear_message_never_a_500(app, client, case, message):
    pdf = render(app, request(app))
    data = {
        "foreign": foreign_pdf(),
        "damaged": b"%PDF-1.7\n" + b"\x00garbage" * 100,
        "truncated": pdf[: len(pdf) // 2],
        "too-large": pdf + b" " * (2 * 1024 * 1024),
        "empty": b"",
        "tampered-name": tampered(pdf, lambda r: r["person"].update(full_name="Eve\u202eevil")),
        "tampered-company": tampered(pdf, lambda r: r["request"].update(company="../../etc/passwd")),
        "other-format": tampered(pdf, lambda r: r.update(format="someone-else")),
        "newer-version": tampered(pdf, lambda r: r.update(version=99)),
        "wrong-type": tampered(pdf, lambda r: r["events"].append({"kind": "sent", "date": 1, "channel": "email"})),
        "bad-json": None,
    }[case]
    if case == "bad-json":
        writer = PdfWriter()
        writer.add_blank_page(100, 100)
        writer.add_attachment(ATTACHMENT_NAME, b"{not json")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    response = upload(client, data)
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert message in text and "There is a problem" in text
    with client.session_transaction() as state:
        assert "request" not in state


def test_the_language_control_of_a_follow_up_question_keeps_the_draft_and_never_submits_the_answer(app, client):
    """Code review bug 4.2: the language buttons of follow-up pages submitted the answer."""
    upload(client, render(app, request(app)))
    html = client.get("/after/sent").get_data(as_text=True)
    assert 'name="switch_language"' in html
    response = client.post("/after/sent", data={"csrf_token": csrf_token(html), "sent-day": "3", "sent-month": "11",
                                                 "sent-year": "", "channel": "letter", "switch_language": ""})
    assert response.status_code == 302 and response.location.startswith("/language?next=/after/sent")
    with client.session_transaction() as state:
        assert "sent" not in state.get("after", {})  # nothing answered
    client.get("/language/de?next=/after/sent")
    html = client.get("/after/sent").get_data(as_text=True)
    # The boxes of the date as they were typed (the year still missing), and the channel ticked.
    assert 'lang="de"' in html and 'value="letter" checked' in html
    assert [re.search(rf'name="sent-{part}"[^>]* value="([^"]*)"', html).group(1) for part in ("day", "month", "year")] \
        == ["3", "11", ""]
    assert "error-summary" not in html  # a draft, not a failed answer


def test_the_upload_message_is_translated(app, client):
    client.get("/language/de")
    response = upload(client, foreign_pdf())
    assert "Dieses PDF wurde nicht von FaceRights erstellt" in page_text(response.get_data(as_text=True))


HOSTILE = '<img src="{base}/x.png"><link rel=attachment href=file:///etc/passwd>{{{{7*7}}}}'


def test_hostile_data_in_an_uploaded_pdf_is_treated_like_hostile_form_input(app, client, canary, today):
    base, hits = canary
    hostile = HOSTILE.format(base=base)
    pdf = tampered(render(app, request(app)), lambda r: r["person"].update(full_name="Eve " + hostile,
                                                                          city=hostile[:100]))
    response = upload(client, pdf)
    assert response.status_code == 302 and response.location.endswith("/after/sent")
    html = client.get("/after/sent").get_data(as_text=True)
    html = client.post("/after/sent", data={"csrf_token": csrf_token(html),
                                            **with_date_boxes({"sent": DAY.isoformat(), "channel": "email"})})
    html = client.get("/after/situation").get_data(as_text=True)
    client.post("/after/situation", data={"csrf_token": csrf_token(html), "situation": "no-answer"})
    html = client.get("/after/letter").get_data(as_text=True)
    response = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    # Printed literally (a long line may wrap, so compare without whitespace), the template left unevaluated.
    assert re.sub(r"\s", "", "Eve" + hostile) in re.sub(r"\s", "", text) and "{{7*7}}" in text
    assert hits == [] and "root:x:0:0" not in text
    assert list(PdfReader(io.BytesIO(response.data)).attachments) == [ATTACHMENT_NAME]
    # Control characters are refused as in the form: the upload is "not valid".
    bad = tampered(render(app, request(app)), lambda r: r["person"].update(street="Street\x00"))
    assert "The answers inside this PDF are not valid" in page_text(upload(client, bad).get_data(as_text=True))


# --- The follow-up letters, in every language ---------------------------------------------------------

SITUATION_CITATIONS = {
    "no-answer": [("12", "3"), ("12", "4"), ("77",)],
    "extended-no-answer": [("12", "3"), ("12", "4"), ("77",)],
    "asked-for-id": [("12", "6"), ("5", "1", "c"), ("12", "3"), ("77",)],
    "asked-for-photo": [("5", "1", "b"), ("5", "1", "e"), ("12", "3"), ("77",)],
    "no-data": [("15", "1"), ("77",)],
    "incomplete": [("15", "1", "c"), ("15", "3"), ("12", "5"), ("77",)],
    "erasure-refused": [("3", "2", "b"), ("17", "1", "d"), ("12", "4"), ("77",)],
    "gdpr-does-not-apply": [("3", "2", "b"), ("12", "3"), ("77",)],
    # Art. 4 defines by points ("Art. 4 Nr. 14 DSGVO"): checked in English below, not by cite().
    "not-personal-data": [("9", "1"), ("12", "3"), ("77",)],
    "use-our-form": [("12", "2"), ("12", "3"), ("77",)],
    "anonymised-not-erased": [("17", "1"), ("19",), ("77",)],
}
SENT = sent(date(2026, 11, 3), "letter")  # posted to the USA: received 17 November, due 17 December
TODAY = date(2026, 12, 21)


@per_language
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("situation", FOLLOW_UPS)
def test_each_follow_up_in_every_language_has_its_legal_elements_reference_and_dates(language_letters, situation,
                                                                                      language):
    rendered = language_letters(language, situation)
    letter, text = rendered.letter, rendered.text
    assert LETTERS_REFERENCE in text
    assert spaced(letter_date(REQUEST_DAY, language)) in text  # the request's date
    assert spaced(letter_date(SENT_DAY, language)) in text  # when it was sent
    assert spaced(letter_date(letter.final_date, language)) in text
    assert letter.final_date > letter.date  # never an answer asked for by a day already past
    if situation not in ("no-answer", "extended-no-answer"):
        assert REPLY_REFERENCE in text and spaced(letter_date(REPLY_DAY, language)) in text
    for parts in SITUATION_CITATIONS[situation]:
        if parts == ("15", "1", "c") and language == "en":
            assert "Article 15(1)(c) GDPR; Court of Justice of the European Union, C-154/21" in text
            continue
        # In the language's citation style, as a sentence may inflect it ("Artikel 12, lid 3, AVG laat ...").
        assert citation_pattern(language, *parts).search(text), (situation, language, cite(language, *parts))


def test_the_reminder_gives_a_final_period_from_its_arrival_and_encloses_the_request(app):
    letter = follow_up(app, request(app), "no-answer", TODAY, SENT)
    pdf = render(app, letter, annexes=(request(app),))
    text = pdf_text(pdf)
    assert "that is by 17 December 2026. I have received no answer" in text
    # Posted on 21 December, it reaches the USA about 4 January; 14 days later is Martin Luther King Day.
    assert letter.final_date == date(2027, 1, 19)
    assert "I ask you to answer it completely by 19 January 2027." in text
    assert "If I have not received a complete answer by 19 January 2027, I will lodge a complaint" in text
    assert "I sent the request by post on 3 November 2026." in text
    assert "I enclose my request. Should it not have reached you, it reaches you with this letter" in text
    assert "Request for access to my personal data" in text  # the annexed request


def test_after_an_extension_the_reminder_speaks_of_the_extended_period(app):
    letter = follow_up(app, request(app), "extended-no-answer", date(2027, 3, 22), SENT,
                       reply(date(2026, 12, 1), "extension-announced"))
    text = pdf_text(render(app, letter))
    assert ("On 1 December 2026 you told me that you were extending the period for your answer by two further months "
            "(Article 12(3) GDPR). That period ended on 17 February 2027, and I have received no answer.") in text
    assert "nor any notice that you are extending" not in text and "An extension is no longer possible" not in text


def test_incomplete_asks_exactly_for_what_is_missing(app):
    letter = follow_up(app, request(app), "incomplete", TODAY, sent(DAY, "email"),
                       reply(date(2026, 12, 10), "incomplete", missing=("templates", "storage-period")))
    text = pdf_text(render(app, letter))
    assert "the biometric templates, face vectors or other numerical representations of my face" in text
    assert "(Article 15(1)(d) GDPR)" in text
    assert "the purposes of the processing" not in text and "Article 15(1)(a)" not in text
    assert "I have received your reply of 10 December 2026." in text


def test_id_reply_before_the_due_date_keeps_the_running_period(app, sample_jpeg):
    from app.letters.photo import prepare_photo
    # Sent by email on 2 November: due 2 December; replying on 10 November, the period still runs.
    letter = follow_up(app, request(app), "asked-for-id", date(2026, 11, 10), sent(DAY, "email"),
                       reply(date(2026, 11, 9), "asked-for-id"), photo=prepare_photo(sample_jpeg))
    text = pdf_text(render(app, letter))
    assert "I enclose a photograph of my face." in text
    assert "For this search only, I give my explicit consent (Article 9(2)(a) GDPR)" in text
    assert "a copy of an identity document on which everything except my photograph and my name is blacked out" in text
    assert ("Your demand does not stop the period for your answer, which runs from the receipt of my request "
            "(Article 12(3) GDPR): I therefore expect your answer by 2 December 2026.") in text


def test_id_reply_after_the_due_date_sets_a_new_date_and_never_a_past_one(app):
    """N-H1: written on 10 December for a request due on 2 November."""
    letter = follow_up(app, request(app), "asked-for-id", date(2026, 12, 10), sent(date(2026, 10, 1), "email"),
                       reply(date(2026, 10, 20), "asked-for-id"))
    text = pdf_text(render(app, letter))
    assert ("Your demand did not stop the period for your answer, which ran from the receipt of my request and ended "
            "on 2 November 2026 (Article 12(3) GDPR). I nevertheless give you until 24 December 2026 to answer.") in text
    assert "expect your answer by 2 November" not in text and "complete answer by 2 November" not in text
    assert "If I have not received a complete answer by 24 December 2026" in text


def test_a_photo_sent_in_reply_restarts_the_month_from_its_arrival(app, sample_jpeg):
    from app.letters.photo import prepare_photo
    letter = follow_up(app, request(app), "asked-for-photo", date(2026, 12, 10), sent(date(2026, 10, 1), "letter"),
                       reply(date(2026, 11, 20), "asked-for-photo"), photo=prepare_photo(sample_jpeg))
    text = pdf_text(render(app, letter))
    # Posted on 10 December: it reaches the USA about 24 December; one month later, 24 January 2027 is a Sunday.
    assert letter.final_date == date(2027, 1, 25)
    assert ("the period for your answer runs from your receipt of it (Article 12(3) GDPR): I expect your answer within "
            "one month of receiving this letter, that is by 25 January 2027.") in text


def test_without_web_pages_the_photo_demand_is_answered_with_the_photo(app):
    """N-M6: the refusal is worded as a pointer to the web pages the request gave."""
    with_pages = follow_up(app, request(app), "asked-for-photo", TODAY, SENT, reply(date(2026, 12, 10), "asked-for-photo"))
    text = pdf_text(render(app, with_pages))
    assert "My request gave you the web pages on which photographs of me appear" in text
    assert "I do not send you a photograph" not in text


def test_uk_follow_up_names_the_uk_gdpr_the_ico_and_article_12a(app):
    person = dataclasses.replace(MARIA, country="GB", postcode="SW1A 1AA", city="London")
    letter = follow_up(app, request(app, person=person), "asked-for-id", TODAY, sent(DAY, "email"),
                       reply(date(2026, 11, 20), "asked-for-id"))
    text = pdf_text(render(app, letter))
    assert "(Article 12A UK GDPR)" in text and "Information Commissioner's Office (Article 77 UK GDPR)" in text
    assert " GDPR)" not in text.replace("UK GDPR)", "")


# --- Complaints -----------------------------------------------------------------------------------------

EEA = sorted(set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split()))


@pytest.mark.parametrize("country", EEA + ["GB", "RE", "AX", "IC"])
def test_each_country_has_the_authority_of_its_residents(country):
    postcode = "10115" if country == "DE" else "1000"
    authority = authorities.authority_for(country, postcode=postcode)
    parent = authorities.PARENT_COUNTRY.get(country, country)
    assert authority is not None and parent in authority.countries and authority.takes_complaints
    assert authority.law_key == ("uk-gdpr" if country == "GB" else "gdpr")


@pytest.mark.parametrize("postcode, slug", [
    ("10115", "deberlbdi"), ("14195", "deberlbdi"), ("14467", "debralda"), ("80331", "debaylda"),
    ("63739", "debaylda"), ("89231", "debaylda"), ("89073", "debawueldb"), ("70173", "debawueldb"),
    ("20095", "dehmbbfdi"), ("28195", "debrelfdi"), ("27568", "debrelfdi"), ("60311", "dehessbdi"),
    ("19053", "demvldi"), ("30159", "dendslfd"), ("50667", "denrwldi"), ("55116", "derlpbdi"),
    ("66111", "desaarudz"), ("01067", "desaechsdsb"), ("39104", "desalbd"), ("24103", "deshuld"),
    ("99084", "detlfdi"), ("96515", "detlfdi"),
])
def test_a_german_resident_complains_to_the_authority_of_their_land(postcode, slug):
    assert authorities.authority_for("DE", postcode=postcode).slug == slug


def test_the_land_given_wins_and_an_unknown_postcode_gives_no_guess():
    assert authorities.authority_for("DE", land="BY", postcode="10115").slug == "debaylda"
    assert authorities.authority_for("DE", postcode="ABC") is None
    assert len([a for a in authorities.in_country("DE")]) == 16


def test_switzerland_and_the_uk_are_flagged_as_outside_the_gdpr():
    swiss = authorities.authority_for("CH")
    assert swiss.outside_gdpr and swiss.law_key == "ch-fadp" and not swiss.takes_complaints
    ico = authorities.authority_for("GB")
    assert ico.outside_gdpr and ico.law_key == "uk-gdpr" and ico.takes_complaints


FIRST_EIGHT = ["en", "de", "fr", "nl", "it", "el", "es", "pl"]


@pytest.mark.parametrize("country, languages, expected", [
    ("FR", FIRST_EIGHT, "fr"), ("DE", FIRST_EIGHT, "de"), ("GR", FIRST_EIGHT, "el"), ("PL", FIRST_EIGHT, "pl"),
    ("CZ", FIRST_EIGHT, "en"), ("CZ", FIRST_EIGHT + ["cs"], "cs"), ("RO", FIRST_EIGHT + ["ro"], "ro"),
    ("SE", FIRST_EIGHT + ["sv"], "sv"), ("NO", FIRST_EIGHT + ["no"], "no"), ("IS", FIRST_EIGHT + ["is"], "is"),
    ("IE", FIRST_EIGHT, "en"), ("MT", FIRST_EIGHT, "en"), ("BE", FIRST_EIGHT, "fr"), ("LU", FIRST_EIGHT, "fr"),
])
def test_complaint_language_is_the_authoritys_when_we_have_it(country, languages, expected):
    authority = authorities.authority_for(country, postcode="10115")
    assert authorities.complaint_language(authority, languages) == expected


def test_an_authority_with_several_languages_gets_the_one_the_person_uses():
    belgium, luxembourg = authorities.authority_for("BE"), authorities.authority_for("LU")
    assert authorities.complaint_language(belgium, FIRST_EIGHT, preferred=("nl",)) == "nl"
    assert authorities.complaint_language(belgium, FIRST_EIGHT, preferred=("pl", "de")) == "de"
    assert authorities.complaint_language(belgium, FIRST_EIGHT, preferred=("pl",)) == "fr"
    assert authorities.complaint_language(luxembourg, FIRST_EIGHT, preferred=("de",)) == "de"
    # The law decides first: a language it does not allow is never the default.
    assert authorities.complaint_language(belgium, ["en"], ("nl",)) == "en"


EEA = sorted((EU_COUNTRIES | EEA_EFTA_COUNTRIES) - set(authorities.PARENT_COUNTRY))


@pytest.mark.parametrize("country", EEA)
def test_every_eea_authority_states_its_complaint_language_and_the_complaint_defaults_to_it(country):
    """English for Ireland and Malta is stated in the directory as their language, not left to the fallback."""
    for authority in authorities.in_country(country):
        assert authority.complaint_languages, authority.slug
        assert all(Locale.parse(code) for code in authority.complaint_languages)
        ours = [code for code in authority.complaint_languages if code in LANGUAGES]
        assert authorities.complaint_language(authority, LANGUAGES) == (ours[0] if ours else "en")
    if country in ("IE", "MT"):
        assert authorities.authority_for(country).complaint_languages == ("en",)


def test_the_directory_records_its_source_and_licence():
    data = json.loads(authorities.DIRECTORY.read_text(encoding="utf-8"))
    assert "datenanfragen/data" in data["_source"] and data["_licence"].startswith("CC0")


def test_complaint_pdf_annexes_the_case_letters_and_carries_its_own_record_only(app):
    letter = request(app, language="de")
    case = case_of(letter, sent(DAY, "email"), reply(date(2026, 11, 20), "incomplete", missing=("recipients",)))
    timeline = app.extensions["facerights.timeline"]
    reply_letter = follow_up_letter(case, "incomplete", day=date(2026, 11, 25), channel="email", timeline=timeline)
    case = reply_letter.case_with_this
    berlin = authorities.authority_for("DE", postcode="10115")
    complaint = complaint_letter(case, "no-answer", day=date(2026, 12, 21), timeline=timeline, authority=berlin,
                                 language="de", representative="Digitale Rechte e.V.")
    pdf = render(app, complaint, annexes=(letter, reply_letter))
    reader = PdfReader(io.BytesIO(pdf))
    annex_pages = sum(len(PdfReader(io.BytesIO(render(app, annex))).pages) for annex in (letter, reply_letter))
    complaint_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages[:-annex_pages]))
    annex_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages[-annex_pages:]))
    assert "Beschwerde nach Art. 77 DSGVO gegen Clearview AI" in complaint_text
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in complaint_text
    assert "Auskunft" in annex_text and REFERENCE in annex_text and "unvollständige Antwort" in annex_text
    text = pdf_text(pdf)
    assert "Art. 77 Abs. 1 DSGVO" in text and "Art. 58 Abs. 2 lit. c DSGVO" in text and "Art. 77 Abs. 2 DSGVO" in text
    assert "Art. 58 Abs. 2 lit. g DSGVO" in text and "Art. 78 Abs. 2 DSGVO" in text and "Art. 55 Abs. 1 DSGVO" in text
    assert "Ich habe Digitale Rechte e.V. beauftragt" in text and "Art. 80 Abs. 1 DSGVO" in text
    assert "Attn: Data protection officer" not in text and "Datenschutzbeauftragte" not in complaint_text.split("Beschwerde")[0]
    assert list(reader.attachments) == [ATTACHMENT_NAME]
    # One document: the annexes' pages are tagged in the complaint's structure, each page its own entry.
    assert len({page["/StructParents"] for page in reader.pages}) == len(reader.pages)
    record = json.loads(reader.attachments[ATTACHMENT_NAME][0])
    assert record["document"]["kind"] == "complaint"
    assert [event["kind"] for event in record["events"]] == ["sent", "reply", "letter", "letter"]
    assert record["events"][-1]["authority"] == "deberlbdi"
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_the_complaint_sets_out_the_whole_correspondence(app):
    """N-M5: a complaint made from the reply to an ID demand lists both letters with their dates."""
    timeline = app.extensions["facerights.timeline"]
    letter = request(app)
    case = case_of(letter, sent(DAY, "email"), reply(date(2026, 11, 20), "asked-for-id", "CV-77"))
    my_reply = follow_up_letter(case, "asked-for-id", day=date(2026, 11, 25), channel="email", timeline=timeline)
    complaint = complaint_letter(my_reply.case_with_this, "no-answer", day=date(2026, 12, 21), timeline=timeline,
                                 authority=authorities.authority_for("DE", postcode="10115"), language="en",
                                 representative="Digitale Rechte e.V.")
    text = pdf_text(render(app, complaint))
    assert "I sent the request by email on 2 November 2026." in text
    assert "The company's answer was due by 2 December 2026 (Article 12(3) GDPR)." in text
    assert ("20 November 2026: the answer of Clearview AI, Inc., a demand for a copy of an identity document "
            "(its reference CV-77)") in text
    assert ("25 November 2026: my letter to Clearview AI, Inc., in which I asked for its answer by "
            f"{spaced(letter_date(my_reply.final_date, 'en'))}") in text
    # Its silence since is silence after an answer: the complaint is about that answer, never "no answer".
    assert "Instead of answering, the company asked me for a copy of an identity document" in text
    assert "I last wrote to it on 25 November 2026 and gave it until" in text and "it has not answered since" in text
    assert "I have received no answer" not in text
    assert "my letter of 25 November 2026 to Clearview AI, Inc. (annexed to this complaint)" in text
    assert "proof that I sent my request" in text and "the mandate I gave Digitale Rechte e.V." in text
    assert "You may disclose my identity to Clearview AI, Inc. in dealing with this complaint." in text
    assert "you are competent to deal with this complaint" in text and "yourself (Article 55(1) GDPR)" in text


def test_a_reminder_after_the_companys_answer_and_my_reply_says_it_answered(app):
    """Review of 2026-12-04: after a refusal and the person's reply, a reminder about the silence since says the
    company answered, and never that the request may not have reached it."""
    timeline = app.extensions["facerights.timeline"]
    case = case_of(request(app, "erasure"), sent(DAY, "email"), reply(date(2026, 11, 20), "erasure-refused"))
    my_reply = follow_up_letter(case, "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    reminder = follow_up_letter(my_reply.case_with_this, "no-answer", day=date(2026, 12, 21), channel="email",
                                timeline=timeline)
    text = pdf_text(render(app, reminder))
    assert "I have received your reply of 20 November 2026. On 23 November 2026 I wrote to you again" in text
    assert "Should it not have reached you" not in text and "I have received no answer to that letter." in text
    complaint = complaint_letter(reminder.case_with_this, "no-answer", day=date(2027, 1, 20), timeline=timeline,
                                 authority=authorities.authority_for("DE", postcode="10115"), language="en")
    text = pdf_text(render(app, complaint))
    assert "The company has not erased my data (Article 17 GDPR)." in text and "I have received no answer" not in text


def test_uk_complaint_goes_to_the_ico_under_the_uk_gdpr(app):
    person = dataclasses.replace(MARIA, country="GB", postcode="SW1A 1AA", city="London")
    case = case_of(request(app, person=person), sent(DAY, "email"))
    letter = complaint_letter(case, "no-answer", day=TODAY, timeline=app.extensions["facerights.timeline"],
                              authority=authorities.authority_for("GB"), language="en")
    text = pdf_text(render(app, letter))
    assert "The Information Commissioner’s Office" in text and "Wycliffe House" in text
    assert "(Article 77(1) UK GDPR)" in text and "Article 58(2)(c) UK GDPR" in text and "Article 12A UK GDPR" in text
    assert "Article 55(1)" not in text and "78(2)" not in text


def test_a_complaint_at_home_names_the_authority_as_it_names_itself_with_no_country_line(app):
    """Post within Poland to UODO, in Polish: its own name and address, no "Poland" line; from Germany, in Polish:
    the country in capitals (UPU); in English from abroad: the directory's own English name and address."""
    uodo = authorities.by_slug("plgiodo")
    person = dataclasses.replace(MARIA, country="PL", postcode="00-950", city="Warszawa", street="ul. Prosta 1")
    case = case_of(request(app, person=person, language="pl"), sent(DAY, "email"))
    timeline = app.extensions["facerights.timeline"]
    text = pdf_text(render(app, complaint_letter(case, "no-answer", day=TODAY, timeline=timeline, authority=uodo,
                                                 language="pl")))
    recipient = text.split("maria@example.com ")[1][:80]
    assert recipient.startswith("Prezes Urzędu Ochrony Danych Osobowych ul. Stawki 2 00-193 Warszawa ")
    assert "Poland" not in text and "POLSKA" not in recipient
    assert uodo.address_in("pl", "DE", lambda code: {"PL": "Polska"}[code])[-1] == "POLSKA"
    assert uodo.name_in("en") == uodo.name and uodo.address_in("en", "DE", str)[-1] == "Poland"
    # Post within Poland needs no country line, whatever the complaint's language.
    assert uodo.address_in("en", "PL", str) == ("ul. Stawki 2", "00-193 Warszawa")


# --- Issue 17, phase 2: the follow-ups and the complaint -------------------------------------------------

GB_PERSON = dataclasses.replace(MARIA, country="GB", postcode="SW1A 1AA", city="London")


def erasure_request(app, **kwargs):
    return request(app, "erasure", **kwargs)


def test_an_erasure_only_reply_to_an_id_demand_offers_the_checks_for_the_recipients_and_the_confirmation(app):
    """N-M9: erasure discloses nothing, but the list of recipients (Art. 19) and the confirmation do."""
    demand = reply(date(2026, 12, 10), "asked-for-id")
    text = pdf_text(render(app, follow_up(app, erasure_request(app), "asked-for-id", TODAY, SENT, demand)))
    assert ("Erasure itself discloses nothing. For the list of recipients and the confirmation of the erasure, which my "
            "request also asks for, I offer the proportionate checks below. If you have reasonable doubts, I offer to "
            "confirm my identity in one of these proportionate ways") in text
    assert "a short video call" in text and "Please delete whatever I provide for this check" in text
    assert "no identity document is needed" not in text and "Because the copy of my data" not in text
    access_request = request(app, "access", grounds=())
    access = pdf_text(render(app, follow_up(app, access_request, "asked-for-id", TODAY, SENT, demand)))
    assert "Because the copy of my data will contain images of my face" in access and "Erasure itself" not in access


def test_a_uk_reminder_after_an_answer_is_no_section_164a_complaint_and_the_ico_complaint_names_the_reply(app):
    """Independent review: one rule (Case.complains_to_controller) for the reminder's words, its final date and the
    complaint to the Commissioner; after the company answered, the reminder is an ordinary one. The person's reply
    contesting the refusal was the complaint to the controller, and the complaint to the ICO names that one."""
    timeline = app.extensions["facerights.timeline"]
    case = case_of(erasure_request(app, person=GB_PERSON), sent(DAY, "email"),
                   reply(date(2026, 11, 20), "erasure-refused"))
    my_reply = follow_up_letter(case, "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    reminder = follow_up_letter(my_reply.case_with_this, "no-answer", day=date(2027, 1, 4), channel="email",
                                timeline=timeline)
    assert not reminder.complains_to_controller
    assert reminder.final_date == timeline.final_date(my_reply.case_with_this, reminder.date, "email")  # 14 days
    assert "section 164A" not in pdf_text(render(app, reminder))
    complaint = complaint_letter(reminder.case_with_this, "no-answer", day=date(2027, 1, 20), timeline=timeline,
                                 authority=authorities.authority_for("GB"), language="en")
    assert complaint.complaint_to_controller == my_reply.event
    text = pdf_text(render(app, complaint))
    assert ("Before lodging it, I complained to Clearview AI, Inc. under section 164A of the Data Protection Act "
            "2018, by my letter of 23 November 2026.") in text
    assert "4 January 2027: my complaint" not in text and "4 January 2027: my letter to Clearview AI" in text


def test_a_uk_letter_contesting_a_refusal_is_a_complaint_under_section_164a(app):
    """Section 164A lets a person complain to the controller of any infringement of the UK GDPR, not only of
    silence: a UK reply that contests a refusal says it is one, and gives the 30 days the controller has to
    acknowledge it. A reply to a demand for information is no such complaint, nor is any EU letter."""
    timeline = app.extensions["facerights.timeline"]
    refused = reply(date(2026, 11, 20), "erasure-refused")
    case = case_of(erasure_request(app, person=GB_PERSON), sent(DAY, "email"), refused)
    my_reply = follow_up_letter(case, "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert my_reply.complains_to_controller
    text = pdf_text(render(app, my_reply))
    assert ("This letter is also a complaint to you under section 164A of the Data Protection Act 2018: your answer, "
            "as set out above, infringes the UK GDPR. That section requires you to acknowledge receipt of this "
            "complaint within 30 days of receiving it") in text
    assert my_reply.final_date == date(2026, 12, 23)  # emailed on 23 November: 30 days from its arrival
    assert "If I have not received a complete answer by 23 December 2026, I will lodge a complaint" in text
    demand = follow_up_letter(case_of(erasure_request(app, person=GB_PERSON), sent(DAY, "email"),
                                      reply(date(2026, 11, 20), "asked-for-id")),
                              "asked-for-id", day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert not demand.complains_to_controller and "164A" not in pdf_text(render(app, demand))
    eu = follow_up_letter(case_of(erasure_request(app), sent(DAY, "email"), refused), "erasure-refused",
                          day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert not eu.complains_to_controller and "164A" not in pdf_text(render(app, eu))


def test_a_uk_reminder_is_a_complaint_under_section_164a_and_the_ico_complaint_says_so(app):
    """N-M1: from 19 June 2026 a UK reminder complains to the controller (s. 164A DPA 2018), gives the 30 days it
    has to acknowledge, and the complaint to the ICO refers to it."""
    timeline = app.extensions["facerights.timeline"]
    reminder = follow_up(app, request(app, person=GB_PERSON), "no-answer", TODAY, sent(DAY, "email"))
    text = pdf_text(render(app, reminder))
    assert ("Complaint under section 164A of the Data Protection Act 2018: my request of 2 November 2026, reference "
            f"{REFERENCE}") in text and "Reminder:" not in text
    assert ("This letter is therefore also a complaint to you under section 164A of the Data Protection Act 2018: by "
            "not answering my request, you infringe the UK GDPR. That section requires you to acknowledge receipt of "
            "this complaint within 30 days of receiving it") in text
    assert ("You had to answer without undue delay and in any event within one month of receiving my request "
            "(Article 12A UK GDPR), that is by 2 December 2026.") in text and "12(3) UK GDPR" not in text
    # Emailed on 21 December: 30 days from its arrival.
    assert reminder.final_date == date(2027, 1, 20)
    assert "I ask you to answer it completely by 20 January 2027." in text
    complaint = complaint_letter(reminder.case_with_this, "no-answer", day=date(2027, 1, 21), timeline=timeline,
                                 authority=authorities.authority_for("GB"), language="en")
    text = pdf_text(render(app, complaint))
    assert ("(Article 77(1) UK GDPR). Before lodging it, I complained to Clearview AI, Inc. under section 164A of the "
            "Data Protection Act 2018, by my letter of 21 December 2026.") in text
    assert ("21 December 2026: my complaint to Clearview AI, Inc. under section 164A of the Data Protection Act 2018, "
            "in which I asked for its answer by 20 January 2027") in text


def test_no_complaint_while_the_30_days_of_a_section_164a_complaint_run(app):
    """Adversarial review: a refusal can be complained of at once, but after the person's s. 164A complaint the
    controller has 30 days to acknowledge it; a complaint to the ICO before then cites a complaint still running.
    The EU letter's 14 days set no such bar."""
    timeline = app.extensions["facerights.timeline"]
    refused = reply(date(2026, 11, 20), "erasure-refused")
    uk = follow_up_letter(case_of(erasure_request(app, person=GB_PERSON), sent(DAY, "email"), refused),
                          "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert uk.final_date == date(2026, 12, 23)
    assert timeline.dates(uk.case_with_this, date(2026, 11, 25)).premature("erasure-refused")
    assert timeline.dates(uk.case_with_this, date(2026, 12, 23)).premature("erasure-refused")
    assert not timeline.dates(uk.case_with_this, date(2026, 12, 24)).premature("erasure-refused")
    eu = follow_up_letter(case_of(erasure_request(app), sent(DAY, "email"), refused), "erasure-refused",
                          day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert not timeline.dates(eu.case_with_this, date(2026, 11, 25)).premature("erasure-refused")


def test_the_ico_complaint_names_the_latest_section_164a_complaint_and_lists_each_as_one(app):
    """Review of this session: with two s. 164A letters (one per refusal), the complaint cited the first, about
    another infringement, and listed the second as a plain letter."""
    timeline = app.extensions["facerights.timeline"]
    case = case_of(erasure_request(app, person=GB_PERSON), sent(DAY, "email"),
                   reply(date(2026, 11, 20), "erasure-refused"))
    first = follow_up_letter(case, "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    case = first.case_with_this.with_event(reply(date(2026, 12, 28), "anonymised-not-erased"))
    second = follow_up_letter(case, "anonymised-not-erased", day=date(2026, 12, 30), channel="email",
                              timeline=timeline)
    complaint = complaint_letter(second.case_with_this, "anonymised-not-erased", day=date(2027, 2, 15),
                                 timeline=timeline, authority=authorities.authority_for("GB"), language="en")
    text = pdf_text(render(app, complaint))
    assert ("Before lodging it, I complained to Clearview AI, Inc. under section 164A of the Data Protection Act "
            "2018, by my letter of 30 December 2026.") in text
    assert "23 November 2026: my complaint to Clearview AI, Inc. under section 164A" in text
    assert "30 December 2026: my complaint to Clearview AI, Inc. under section 164A" in text


def test_a_complaint_within_the_period_the_persons_last_letter_gave_does_not_say_it_has_not_answered_since(app):
    """Review of this session: "I last wrote to it on … and gave it until …; it has not answered since" was said
    before that date had come."""
    timeline = app.extensions["facerights.timeline"]
    case = case_of(erasure_request(app), sent(DAY, "email"), reply(date(2026, 11, 20), "erasure-refused"))
    my_reply = follow_up_letter(case, "erasure-refused", day=date(2026, 11, 23), channel="email", timeline=timeline)
    assert my_reply.final_date == date(2026, 12, 7)
    berlin = authorities.authority_for("DE", postcode="10115")

    def complaint_on(day):
        return pdf_text(render(app, complaint_letter(my_reply.case_with_this, "erasure-refused", day=day,
                                                     timeline=timeline, authority=berlin, language="en")))
    assert "I last wrote to it on" not in complaint_on(date(2026, 11, 25))
    assert ("I last wrote to it on 23 November 2026 and gave it until 7 December 2026; it has not answered "
            "since.") in complaint_on(date(2026, 12, 8))


def test_before_19_june_2026_a_uk_reminder_is_a_reminder_and_the_eu_one_never_is_a_complaint(app):
    timeline = app.extensions["facerights.timeline"]
    spring = new_request_letter(request_type="access", company=app.extensions["facerights.registry"].get("clearview-ai"),
                                person=GB_PERSON, language="en", date=date(2026, 4, 1), reference=REFERENCE)
    early = follow_up_letter(spring.case.with_event(sent(date(2026, 4, 1), "email")), "no-answer", day=date(2026, 6, 10),
                             channel="email", timeline=timeline)
    text = pdf_text(render(app, early))
    assert "Reminder: my request of 1 April 2026" in text and "164A" not in text
    assert early.final_date == date(2026, 6, 24)  # 14 days
    eu = pdf_text(render(app, follow_up(app, request(app), "no-answer", TODAY, SENT)))
    assert "164A" not in eu and "(Article 12(3) GDPR), that is by 17 December 2026" in eu


# (A page may break inside the paragraph: its two halves.)
AI_ACT = "Moreover, since 2 February 2025, Article 5(1)(e) of Regulation (EU)"
AI_ACT_PROHIBITS = ("(the Artificial Intelligence Act) has prohibited the placing on the market, the putting into "
                    "service for this specific purpose and the use of AI systems that create or expand facial "
                    "recognition databases")


@pytest.mark.parametrize("situation", ["erasure-refused", "anonymised-not-erased"])
def test_erasure_follow_ups_cite_the_ai_act_for_unlawfulness(app, situation):
    refused = reply(date(2026, 12, 10), situation)
    text = pdf_text(render(app, follow_up(app, erasure_request(app), situation, TODAY, SENT, refused)))
    assert AI_ACT in text and AI_ACT_PROHIBITS in text and "such as yours, is such a database" in text
    # Only in support of a claim of unlawfulness, as in the request.
    objection = erasure_request(app, grounds=("objection",), reason=REASON)
    assert "2024/1689" not in pdf_text(render(app, follow_up(app, objection, situation, TODAY, SENT, refused)))


def test_the_complaint_cites_the_ai_act_for_erasure_under_the_gdpr_against_a_company_of_the_registry(app):
    from app.companies import typed_company
    timeline = app.extensions["facerights.timeline"]
    berlin = authorities.authority_for("DE", postcode="10115")

    def complaint_text(letter, authority=berlin):
        case = case_of(letter, SENT)
        return pdf_text(render(app, complaint_letter(case, "no-answer", day=TODAY, timeline=timeline,
                                                     authority=authority, language="en")))
    text = complaint_text(request(app))
    assert ("The processing of my data is unlawful, as my request sets out (Article 17(1)(d) GDPR). " + AI_ACT) in text
    assert AI_ACT_PROHIBITS in text
    assert "such as that of Clearview AI, Inc., is such a database" in text
    typed = typed_company(name="Acme Faces GmbH", street="Hauptstraße 1", postcode="10115", city="Berlin",
                          country="DE", email="", country_name="Germany", request_language="de")
    for letter, authority in ((request(app, "access", grounds=()), berlin),
                              (erasure_request(app, grounds=("objection",), reason=REASON), berlin),
                              (request(app, person=GB_PERSON), authorities.authority_for("GB")),
                              (dataclasses.replace(request(app), case=Case(dataclasses.replace(
                                  request(app).request, company=typed))), berlin)):
        assert "2024/1689" not in complaint_text(letter, authority)


def test_the_erasure_refusal_follow_up_asks_for_the_reasons_article_12_4_requires(app):
    """N-L5: the month for giving reasons is past, so no "within one month"; and the letter does not claim that no
    reasons were given, which the person may not be able to say (independent review)."""
    text = pdf_text(render(app, follow_up(app, erasure_request(app), "erasure-refused", TODAY, SENT,
                                          reply(date(2026, 12, 10), "erasure-refused"))))
    assert ("Where you do not act on my request for erasure, in whole or in part, Article 12(4) GDPR requires you to "
            "give me your reasons. Please tell me which data you keep and name the provision on which you "
            "rely, for example an exception in Article 17(3) GDPR") in text
    assert "You have not given me the reasons" not in text
    assert "at the latest within one month of receiving it" not in text


def test_an_erasure_refusal_after_a_request_for_both_recalls_the_copy_asked_first(app):
    """The request asked for the copy before the erasure; the follow-up does not ask for erasure alone."""
    events = (SENT, reply(date(2026, 12, 10), "erasure-refused"))
    both = pdf_text(render(app, follow_up(app, request(app), "erasure-refused", TODAY, *events)))
    assert ("My request also asked you for a copy of my data first (part A). If you have not yet sent it to me, "
            "please send it before you erase my data. Please erase my data") in both
    erasure = pdf_text(render(app, follow_up(app, erasure_request(app), "erasure-refused", TODAY, *events)))
    assert "(part A)" not in erasure


def test_no_data_asks_about_erasure_after_an_access_request_and_the_complaint_offers_evidence(app):
    """N-L7."""
    answer = reply(date(2026, 12, 10), "no-data")
    access = pdf_text(render(app, follow_up(app, request(app, "access", grounds=()), "no-data", TODAY, SENT, answer)))
    assert ("My request covered the data you held when you received it, and asked you not to erase any of them "
            "before answering. If you erased data concerning me after receiving it, please tell me which data, "
            "and when.") in access
    erasure = pdf_text(render(app, follow_up(app, erasure_request(app), "no-data", TODAY, SENT, answer)))
    assert "If you erased data concerning me after receiving my request, please tell me which data, and when." in erasure
    timeline = app.extensions["facerights.timeline"]
    berlin = authorities.authority_for("DE", postcode="10115")
    for situation, events, offered in (("no-data", (SENT, answer), True), ("no-answer", (SENT,), False)):
        complaint = complaint_letter(case_of(request(app, "access", grounds=()), *events), situation, day=TODAY,
                                     timeline=timeline, authority=berlin, language="en")
        text = pdf_text(render(app, complaint))
        assert ("evidence such as screenshots of search results showing my images" in text) == offered


def test_the_complaint_names_the_companys_country_in_its_own_language(app):
    """N-L4: the last line of the registry's address is English; the complaint names the country in its language."""
    timeline = app.extensions["facerights.timeline"]
    complaint = complaint_letter(case_of(request(app, language="de"), SENT), "no-answer", day=TODAY, timeline=timeline,
                                 authority=authorities.authority_for("DE", postcode="10115"), language="de")
    text = pdf_text(render(app, complaint))
    assert "Clearview AI, Inc., 99 Wall Street #5730, New York, NY 10005, Vereinigte Staaten ein" in text
    assert "United States" not in text


@pytest.mark.parametrize("slug, sentence", [
    ("plgiodo", "I lodge a complaint with you, the supervisory authority of the State in which the company is "
                "established, against LENSO AI S.A., ul. Grabiszyńska 186/2B/4, 53-235 Wrocław, Poland "
                "(Article 77(1) GDPR)."),
    ("frcnil", "I lodge a complaint with you, a supervisory authority in the Union, against LENSO AI S.A."),
])
def test_a_person_living_outside_the_union_complains_as_the_establishment_allows(app, slug, sentence):
    """A US resident complaining about Lenso.ai (Wrocław): not "the State of my habitual residence"."""
    new_yorker = dataclasses.replace(MARIA, country="US", postcode="10001", city="New York, NY")
    letter = request(app, person=new_yorker, company="lenso-ai", channels=("letter",))
    complaint = complaint_letter(case_of(letter, sent(DAY, "letter")), "no-answer", day=TODAY,
                                 timeline=app.extensions["facerights.timeline"], authority=authorities.by_slug(slug),
                                 language="en")
    text = pdf_text(render(app, complaint))
    assert sentence in text and "habitual residence" not in text
    assert ("The GDPR protects me although I do not live in the Union, because the company is established in it "
            "(Article 3(1) GDPR and recital 14).") in text


def test_a_letter_to_a_typed_company_is_continued_on_the_web_in_general_wording(app, client, today):
    """N-L12: the record carries the company as typed; the follow-up and the complaint address it, and say nothing
    of its processing (no face database, no AI Act)."""
    from test_record import typed_letter_pdf
    continue_with(client, typed_letter_pdf(app, residence="FR"))
    assert submit(client, "/after/sent", {"sent": DAY.isoformat(), "channel": "email"}).location.endswith(
        "/after/situation")
    submit(client, "/after/situation", {"situation": "no-data", "replied": "2026-12-10"})
    html = client.get("/after/letter").get_data(as_text=True)
    response = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Acme Faces Ltd" in text and "1 High Street" in text and "privacy@acme.example" in text
    assert ("please tell me in writing which systems and records your search covered, backups and archives included, "
            "and with which data concerning me you searched") in text
    for face in ("biometric templates", "every face in your database", "images of faces"):
        assert face not in text
    html = client.get("/complaint").get_data(as_text=True)
    response = client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "frcnil",
                                               "language": "en"})
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "against Acme Faces Ltd, 1 High Street, EC1A 1AA London, United Kingdom (Article 77(1) GDPR)" in text
    assert ("The company told me that it holds no personal data concerning me, without saying what it searched and "
            "how (Article 15(1) GDPR).") in text
    for absent in ("images of faces", "2024/1689", "screenshots", "Article 55(1)"):
        assert absent not in text


# --- The pages --------------------------------------------------------------------------------------------

def continue_with(client, pdf):
    response = upload(client, pdf)
    assert response.status_code == 302, page_text(response.get_data(as_text=True))[:500]


def submit(client, path, data):
    html = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(html), **with_date_boxes(data)})


def test_start_page_offers_to_continue_a_request(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/continue"' in html and "Continue a request" in html


def test_download_page_offers_the_deadline_as_ics(wizard):
    wizard.answer_all()
    html = wizard.page("/download")[1]
    # One calendar file per company, however many (app/wizard/download.py deadline).
    assert "/download/clearview-ai/deadline.ics?channel=email" in html
    assert "/download/clearview-ai/deadline.ics?channel=letter" in html
    response = wizard.client.get("/download/clearview-ai/deadline.ics?channel=letter")
    assert response.mimetype == "text/calendar"
    event = list(Calendar.from_ical(response.data).walk("VEVENT"))[0]
    company = "Clearview AI"  # the brand people know
    assert company in str(event["summary"]) and PERSON["full_name"] not in response.data.decode()
    assert wizard.client.get("/download/clearview-ai/deadline.ics?channel=pigeon").status_code == 400
    # The follow-up's calendar is the case's only: a letter just made has no case being continued.
    assert "/after/deadline.ics" not in html
    response = wizard.client.get("/after/deadline.ics?channel=letter")
    assert response.status_code == 302 and response.location.endswith("/continue")


def test_an_uploaded_letter_walks_to_a_reminder_a_new_deadline_and_a_complaint(app, client, today):
    continue_with(client, render(app, request(app, language="fr")))
    assert submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "letter"}).location.endswith("/after/situation")
    assert submit(client, "/after/situation", {"situation": "no-answer"}).location.endswith("/after/letter")
    html = client.get("/after/letter").get_data(as_text=True)
    assert "Rappel : ma demande du 2 novembre 2026" in page_text(html)  # the preview, in the letter's language
    assert "Download this letter (PDF, " in html and 'href="/requests"' in html and 'href="/continue"' in html
    response = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data")
    text = pdf_text(response.data)
    assert "Rappel : ma demande du 2 novembre 2026, référence FR-20261102-K7Q2XM" in text
    # The company announced an extension: a new deadline and its .ics, no letter.
    submit(client, "/after/situation", {"situation": "extension-announced", "replied": "2026-11-20"})
    html = client.get("/after/letter").get_data(as_text=True)
    assert "Download this letter" not in html and "Your new deadline" in html
    event = list(Calendar.from_ical(client.get("/after/deadline.ics").data).walk("VEVENT"))[0]
    assert event.decoded("dtstart") == date(2027, 2, 17)  # received 17 November (by post to the USA) + 3 months
    # Complaint: to the Berlin authority, in German by default.
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/complaint").get_data(as_text=True)
    assert re.search(r'<option value="deberlbdi" selected>', html) and re.search(r'<option value="de" selected>', html)
    response = client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "deberlbdi",
                                               "language": "de"})
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Beschwerde nach Art. 77 DSGVO gegen Clearview AI" in text and "Rappel" not in text
    assert "Demande d'accès" in text or "droit d'accès" in text  # the annexed request, in its own language


def button_positions(html: str, label: str) -> list[int]:
    return [match.start() for match in re.finditer(re.escape(label) + r"</button>", html)]


def test_the_follow_up_letter_page_downloads_first_then_reads_the_letter_and_its_copy(app, client, today):
    """Issue 19 (review N2, N3): the download before the letter's words and again after them, as on the download
    page; a copy in the page language when the letter is in another, with its own download."""
    continue_with(client, render(app, request(app, language="fr")))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "email"})
    submit(client, "/after/situation", {"situation": "asked-for-id", "replied": "2026-12-10",
                                        "their_reference": "CV-77"})
    html = client.get("/after/letter").get_data(as_text=True)
    pages = int(re.search(r"Download this letter \(PDF, (\d+) pages?\)</button>", html).group(1))
    letter_at = html.index('<section class="letter-preview" lang="fr" aria-label="Your letter, in French">')
    copy_at = html.index('<section class="letter-preview" lang="en" aria-label="Copy for your records, in English">')
    first, second = button_positions(html, f"Download this letter (PDF, {pages} page{'s' if pages > 1 else ''})")
    assert html.index("1. Download your letter") < first < html.index("2. Read it before you send it") < letter_at \
        < second < copy_at
    assert '<button type="submit" form="question-form" class="button">' in html  # the second submits the same form
    preview = page_text(html[letter_at:second])
    assert "votre réponse du 10 décembre 2026 (votre référence CV-77)" in preview.replace("\u00a0", " ")
    assert "Read the same letter in English" in page_text(html)
    assert "For your records, do not send" in page_text(html[copy_at:])
    letter = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data")
    assert f"Page {pages} sur {pages}" in pdf_text(letter.data)
    # The copy: the same letter in English, marked on every page, without annexes.
    copy = client.post("/after/records-copy", data={"csrf_token": csrf_token(html), "document": "letter"})
    assert copy.headers["Content-Disposition"].endswith('-clearview-ai-asked-for-id-en-for-your-records.pdf"')
    text = pdf_text(copy.data)
    assert "your reply of 10 December 2026 (your reference CV-77)" in text and "For your records, do not send" in text
    assert client.post("/after/records-copy", data={"document": "letter"}).location.endswith("/after/letter")
    # A letter in the page language has no copy.
    client.get("/language/fr")
    html = client.get("/after/letter").get_data(as_text=True)
    assert 'lang="en" aria-label' not in html and "/after/records-copy" not in html
    assert client.post("/after/records-copy", data={"csrf_token": csrf_token(html), "document": "letter"}) \
        .location.endswith("/after/letter")


def test_a_reminders_button_says_the_request_follows_as_its_annex(app, client, today):
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/after/letter").get_data(as_text=True)
    label = re.search(r"Download this letter \(PDF, (\d+) pages?, then your request as its annex\)</button>", html)
    pages = int(label.group(1))
    assert len(button_positions(html, label.group(0)[:-len("</button>")])) == 2
    pdf = client.post("/after/letter", data={"csrf_token": csrf_token(html)}, content_type="multipart/form-data").data
    assert f"Page {pages} of {pages}" in pdf_text(pdf) and len(PdfReader(io.BytesIO(pdf)).pages) > pages


def test_the_complaint_page_reads_the_complaint_as_the_choices_make_it_with_links_to_send_it(app, client, today):
    """Issue 19 (review N3, N7): the complaint read before its download, as the authority and language chosen make
    it; a copy in the page language; the authority's web form and email as links."""
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/complaint").get_data(as_text=True)
    # Berlin, in German by default: the complaint in German, its copy in English.
    label = re.search(r"Download your complaint \(PDF, (\d+) pages?, then your letters as annexes\)", html).group(0)
    first, second = button_positions(html, label)
    preview_at = html.index('<section class="letter-preview" lang="de" aria-label="Your complaint, in German">')
    copy_at = html.index('<section class="letter-preview" lang="en" aria-label="Copy for your records, in English">')
    assert first < html.index("Read your complaint before you send it") < preview_at < second < copy_at
    assert "Beschwerde nach Art. 77 DSGVO gegen Clearview AI" in page_text(html[preview_at:second])
    assert "Read the same complaint in English" in page_text(html)
    assert "which the authority will read" in page_text(html)
    assert '<a class="copyable" href="https://kontakt.datenschutz-berlin.de/">' in html
    assert '<a class="copyable" href="mailto:mailbox@datenschutz-berlin.de">mailbox@datenschutz-berlin.de</a>' in html
    assert "Alt-Moabit 59-61" in page_text(html)
    # The address to post it to is the letter's own: domestic post (Maria lives in Berlin), no country line.
    postal = re.search(r'<address class="postal copyable">(.*?)</address>', html, re.DOTALL).group(1)
    assert "Alt-Moabit 59-61" in postal and "Deutschland" not in postal and "Germany" not in postal
    # Other choices, shown again without JavaScript: Bavaria, in English; then no copy is needed.
    shown = client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "debaylda", "language": "en",
                                            "action": "preview"})
    assert shown.status_code == 200 and shown.mimetype == "text/html"
    html = shown.get_data(as_text=True)
    assert '<section class="letter-preview" lang="en" aria-label="Your complaint, in English">' in html
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in page_text(html.split("letter-preview")[1])
    assert "Read the same complaint in" not in html and '<option value="debaylda" selected>' in html
    assert 'href="mailto:poststelle@lda.bayern.de"' in html  # how to send it follows the authority shown
    pages = int(re.search(r"Download your complaint \(PDF, (\d+) pages?", html).group(1))
    pdf = client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "debaylda", "language": "en"})
    assert pdf.mimetype == "application/pdf" and f"Page {pages} of {pages}" in pdf_text(pdf.data)
    # The copy for the records of the complaint read in German: the same complaint, in English, marked.
    copy = client.post("/after/records-copy", data={"csrf_token": csrf_token(html), "document": "complaint",
                                                    "authority": "deberlbdi", "language": "de"})
    assert copy.headers["Content-Disposition"].endswith('-complaint-en-for-your-records.pdf"')
    text = pdf_text(copy.data)
    assert "Complaint under Article 77 GDPR against Clearview AI" in text and "For your records, do not send" in text
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in text
    assert len(PdfReader(io.BytesIO(copy.data)).pages) < len(PdfReader(io.BytesIO(pdf.data)).pages)  # no annexes
    refused = client.post("/after/records-copy", data={"csrf_token": csrf_token(html), "document": "complaint",
                                                       "authority": "nowhere", "language": "de"})
    assert refused.status_code == 302 and refused.location.endswith("/complaint")


def test_the_way_back_is_on_every_follow_up_page_that_gives_a_letter_and_requests_lead_to_continue(app, client,
                                                                                                   set_today):
    """Issue 19 (review N5): "Continue a request" and "Your requests" where a letter is given or a date is set;
    the two lead to each other."""
    def links(html):
        return 'href="/continue"' in html and 'href="/requests"' in html

    assert 'href="/requests"' in client.get("/continue").get_data(as_text=True)
    assert 'href="/continue"' in client.get("/requests").get_data(as_text=True)
    set_today(date(2026, 12, 21))
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-12-01", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    assert "It is too early for this letter" in page_text(client.get("/after/letter").get_data(as_text=True))
    assert links(client.get("/after/letter").get_data(as_text=True))
    submit(client, "/after/situation", {"situation": "extension-announced", "replied": "2026-12-10"})
    assert links(client.get("/after/letter").get_data(as_text=True))
    # The erasure refused (review: not tested last time): its letter, read in the page before its download.
    submit(client, "/after/situation", {"situation": "erasure-refused", "replied": "2026-12-10"})
    html = client.get("/after/letter").get_data(as_text=True)
    assert "Download this letter (PDF, " in html and links(html)
    preview = page_text(html[html.index('<section class="letter-preview"'):])
    assert "You have not erased my data." in preview and "My data must be erased" in preview
    set_today(date(2027, 1, 21))
    submit(client, "/after/situation", {"situation": "no-answer"})
    assert links(client.get("/complaint").get_data(as_text=True))


def test_a_letter_about_silence_before_its_time_is_not_offered_the_page_says_from_when(app, client, set_today):
    """N-H2: sent by email on 1 December, the answer is due on 4 January 2027 (1 January a holiday, then the weekend)."""
    set_today(date(2026, 12, 21))
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-12-01", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/after/letter").get_data(as_text=True)
    text = page_text(html)
    assert "It is too early for this letter" in text and "Download this letter" not in html
    assert "Clearview AI still has until 4 January 2027 to answer." in text
    assert "From 5 January 2027, come back with your latest letter" in text
    event = list(Calendar.from_ical(client.get("/after/deadline.ics").data).walk("VEVENT"))[0]
    assert event.decoded("dtstart") == date(2027, 1, 4)
    assert client.get("/complaint").location.endswith("/after/letter")  # no premature complaint either
    assert client.post("/after/letter", data={}).mimetype == "text/html"  # still no PDF
    # A demand needs no waiting: the company has acted.
    submit(client, "/after/situation", {"situation": "asked-for-id", "replied": "2026-12-10"})
    assert "Download this letter" in client.get("/after/letter").get_data(as_text=True)


def test_an_unknown_authority_gets_a_message_not_a_500(app, client, today):
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    response = submit(client, "/complaint", {"authority": "frcnil", "language": "xx"})
    assert response.status_code == 400 and "There is a problem" in page_text(response.get_data(as_text=True))


def test_manual_entry_validates_like_the_forms_and_then_asks_for_the_details(client, today):
    response = submit(client, "/continue/by-hand", {"reference": "FR-123", "company": "clearview-ai",
                                                    "request_type": "access", "letter_date": "2026-13-45"})
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Enter the reference as printed on your letter, like FR-20261129-K7Q2XM." in text
    assert "The date of your letter must be a real date." in text
    response = submit(client, "/continue/by-hand", {"reference": " fr-20261102-k7q2xm ", "company": "clearview-ai",
                                                    "request_type": "access", "letter_date": "2026-11-02"})
    assert response.location.endswith("/after/your-details")
    submit(client, "/after/your-details", PERSON)
    assert submit(client, "/after/letter-language", {"letter_language": "en"}).location.endswith("/after/sent")
    response = submit(client, "/after/sent", {"sent": "2026-11-01", "channel": "email"})
    assert "You cannot have sent the letter before its date." in page_text(response.get_data(as_text=True))
    submit(client, "/after/sent", {"sent": "2026-11-02", "channel": "email"})
    response = submit(client, "/after/situation", {"situation": "erasure-refused"})
    assert response.status_code == 400  # an access request cannot have its erasure refused
    response = submit(client, "/after/situation", {"situation": "incomplete"})
    assert "Enter the date of the company's answer." in page_text(response.get_data(as_text=True)), \
        page_text(response.get_data(as_text=True))
    submit(client, "/after/situation", {"situation": "incomplete", "replied": "2026-11-20"})
    response = submit(client, "/after/received", {"received": list(ACCESS_ITEMS)})
    assert "You have ticked everything" in page_text(response.get_data(as_text=True))
    assert submit(client, "/after/received", {"received": ["copy"]}).location.endswith("/after/letter")
    html = client.get("/complaint").get_data(as_text=True)
    assert "Attach a copy of your request" in page_text(html)  # typed by hand: no annex to append


def test_the_follow_up_dates_are_three_boxes_with_a_recent_example_and_silence_keeps_no_date(client, set_today):
    """Issue 19 (review N11): the GOV.UK date input instead of "For example 2026-11-29", which contradicted the
    browser's own date picker; the companies by the names people know (N16)."""
    set_today(date(2026, 12, 4))
    html = client.get("/continue/by-hand").get_data(as_text=True)
    assert "2026-11-29" not in html and 'type="date"' not in html
    assert [f'name="letter_date-{part}"' in html for part in ("day", "month", "year")] == [True, True, True]
    assert "For example, 20 11 2026." in page_text(html)  # two weeks before today
    assert '<label class="choice-label" for="company-0">Clearview AI</label>' in html
    assert "Legal name: Clearview AI, Inc." in page_text(html)
    submit(client, "/continue/by-hand", BY_HAND)
    submit(client, "/after/your-details", PERSON)
    submit(client, "/after/letter-language", {"letter_language": "en"})
    html = client.get("/after/sent").get_data(as_text=True)
    assert '<legend class="label legend-medium">When did you send it?</legend>' in html
    assert 'id="sent-day" name="sent-day" type="text" inputmode="numeric"' in html
    assert submit(client, "/after/sent", {"sent": "2026-11-02", "channel": "email"}).status_code == 302
    with client.session_transaction() as state:
        assert state["after"]["sent"] == {"sent": "2026-11-02", "channel": "email"}  # kept as ISO text
    # Silence has no date: one typed all the same is not kept, and asks nothing.
    response = submit(client, "/after/situation", {"situation": "no-answer", "replied": "2026-11-20"})
    assert response.status_code == 302
    with client.session_transaction() as state:
        assert state["after"]["situation"] == {"situation": "no-answer", "replied": "", "their_reference": ""}
    response = submit(client, "/after/situation", {"situation": "asked-for-id", "replied": "2026-11-20",
                                                   "their_reference": "CV-1"})
    with client.session_transaction() as state:
        assert state["after"]["situation"] == {"situation": "asked-for-id", "replied": "2026-11-20",
                                               "their_reference": "CV-1"}


def test_follow_up_pages_without_a_request_go_to_continue(client):
    for path in ("/after/sent", "/after/letter", "/complaint"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/continue")


def test_new_letter_endpoints_are_rate_limited(tmp_path):
    from app import create_app
    from conftest import SECRET
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                      "LETTER_RATE_LIMIT": "2 per minute", "WTF_CSRF_ENABLED": False})
    def fresh_client():
        return create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                           "LETTER_RATE_LIMIT": "2 per minute", "WTF_CSRF_ENABLED": False}).test_client()

    client = app.test_client()
    statuses = [client.post("/continue", data={}, content_type="multipart/form-data").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    # One budget for every letter: the uploads used it up for the other letter endpoints too.
    assert client.post("/complaint").status_code == 429
    for path in ("/after/letter", "/complaint"):
        other = fresh_client()
        assert [other.post(path).status_code for _ in range(3)] == [302, 302, 429]


def test_the_host_can_offer_representation_under_article_80(tmp_path):
    from app import create_app
    from conftest import SECRET
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                      "HOST_REPRESENTATIVE": "Digitale Rechte e.V., Berlin"})
    app.extensions["facerights.clock"] = Clock(fixed=TODAY)
    client = app.test_client()
    continue_with(client, render(app, request(app)))
    submit(client, "/after/sent", {"sent": "2026-11-03", "channel": "email"})
    submit(client, "/after/situation", {"situation": "no-answer"})
    html = client.get("/complaint").get_data(as_text=True)
    assert "Digitale Rechte e.V., Berlin represents me in this complaint (Article 80(1) GDPR)" in page_text(html)
    without = pdf_text(client.post("/complaint", data={"csrf_token": csrf_token(html), "authority": "deberlbdi",
                                                       "language": "en"}).data)
    assert "mandated" not in without
    with_representative = pdf_text(client.post("/complaint", data={
        "csrf_token": csrf_token(html), "authority": "deberlbdi", "language": "en", "represented": "y"}).data)
    assert ("I have mandated Digitale Rechte e.V., Berlin to lodge this complaint on my behalf and to represent me "
            "in this procedure (Article 80(1) GDPR).") in with_representative


@pytest.mark.parametrize("setting, value, message", [
    ("HOST_REPRESENTATIVE", "Two\nlines", "must be one line"),
    ("POSTAL_DAYS", {"US": 14}, 'must map "\\*" and country codes'),
    ("POSTAL_DAYS", {"*": 7, "usa": 14}, "must map"),
    ("POSTAL_DAYS", {"*": 700}, "between 0 and 60"),
])
def test_invalid_follow_up_settings_stop_the_start(tmp_path, setting, value, message):
    from app import create_app
    from app.host import SettingError
    with pytest.raises(SettingError, match=f"{setting}.*{message}"):
        create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path), setting: value})


@pytest.mark.parametrize("change", [
    lambda r: r["person"].update(profile_urls="https://example.org"),
    lambda r: r["person"].update(profile_urls=[{"url": 1}]),
    lambda r: r["request"].pop("date"),
    lambda r: r["request"].update(date="2099-01-01"),
    lambda r: r["request"].update(reference="FR-1"),
    lambda r: r.update(person=["not", "an", "object"]),
    lambda r: r.update(version=True),
    lambda r: r["events"].append({"kind": "sent", "date": "2026-11-01", "channel": "email"}),  # before the letter
    lambda r: r["events"].append({"kind": "reply", "date": "2026-11-05", "situation": "no-data",
                                  "their_reference": "X\u202eY", "missing": []}),
])
def test_a_record_that_fails_the_schema_or_the_forms_is_not_restored(app, client, change):
    pdf = tampered(render(app, request(app)), change)
    response = upload(client, pdf)
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert "The answers inside this PDF are not valid" in text or "newer version of FaceRights" in text


def test_an_oversized_upload_of_a_letter_is_a_friendly_413_that_leads_back_to_the_upload(app, client):
    """An upload over MAX_CONTENT_LENGTH is refused before any form sees it: the page names the letter."""
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    token = csrf_token(client.get("/continue").get_data(as_text=True))
    boundary = "----facerights-test-boundary"
    # A body built here: the test client would spool a large one to a temporary file itself.
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"letter\"; filename=\"l.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-" + b"\0" * 2 * 1024 * 1024 + \
        f"\r\n--{boundary}--\r\n".encode()
    response = client.post("/continue", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    main = page_text(html.split("<main")[1].split("</main>")[0])
    assert "too large to be a letter made by this service" in main and "photo" not in main.lower()
    assert 'href="/continue">Choose your letter again' in html


BY_HAND = {"reference": "FR-20261102-K7Q2XM", "company": "clearview-ai", "request_type": "access",
           "letter_date": "2026-11-02"}


@pytest.mark.parametrize("changes, field, message", [
    ({"reference": ""}, "reference", "Enter the reference printed on your letter."),
    ({"company": None}, "company", "Select the company you wrote to."),
    ({"request_type": None}, "request_type", "Select what you asked for."),
    ({"letter_date": ""}, "letter_date", "Enter the date of your letter."),
    ({"letter_date": "2999-01-01"}, "letter_date", "The date must be today or in the past."),
    ({"letter_date": "2018-05-01"}, "letter_date", "The date must be after 25 May 2018, when the GDPR began to apply."),
    ({"letter_date": "2026-11-"}, "letter_date", "The date of your letter must include a day, a month and a year."),
    ({"letter_date": "2026-02-30"}, "letter_date", "The date of your letter must be a real date."),
])
def test_each_by_hand_answer_gets_its_message_next_to_its_field(client, changes, field, message):
    data = {name: value for name, value in {**BY_HAND, **changes}.items() if value is not None}
    response = submit(client, "/continue/by-hand", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count(message) == 2, message  # in the summary and next to the field
    assert f'id="{field}-error"' in html
    kept = with_date_boxes({name: value for name, value in BY_HAND.items() if name not in changes})
    assert all(f'name="{name}"' in html and f'value="{value}"' in html for name, value in kept.items()
               if name == "reference" or name.startswith("letter_date-"))


@pytest.mark.parametrize("path, data, message, link", [
    ("/after/sent", {"sent": "2026-11-02"}, "Select how you sent your letter.", "#channel-0"),
    ("/after/sent", {"sent": "", "channel": "email"}, "Enter the date you sent your letter.", "#sent-day"),
    ("/after/sent", {"sent": "2026-02-30", "channel": "email"}, "The date you sent your letter must be a real date.",
     "#sent-day"),
    ("/after/sent", {"sent": "-11-02", "channel": "email"},
     "The date you sent your letter must include a day, a month and a year.", "#sent-year"),
    ("/after/situation", {}, "Select what the company has done.", "#situation-0"),
    ("/after/situation", {"situation": "asked-for-id"}, "Enter the date of the company's answer.", "#replied-day"),
    ("/after/situation", {"situation": "asked-for-id", "replied": "2026-13-20"},
     "The date of the company's answer must be a real date.", "#replied-month"),
    ("/after/situation", {"situation": "asked-for-id", "replied": "2026-11-01"},
     "The company cannot have answered before the date of your letter.", "#replied-day"),
])
def test_each_follow_up_question_says_what_is_missing(client, path, data, message, link):
    submit(client, "/continue/by-hand", BY_HAND)
    submit(client, "/after/your-details", PERSON)
    submit(client, "/after/letter-language", {"letter_language": "en"})
    if path != "/after/sent":
        submit(client, "/after/sent", {"sent": "2026-11-02", "channel": "email"})
    response = submit(client, path, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert html.count(message) == 2, message  # in the summary and next to the field
    assert f'<a href="{link}">{message}</a>' in html  # the summary leads to what to correct first
