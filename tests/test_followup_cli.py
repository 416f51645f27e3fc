"""flask --app wsgi follow-up / complaint / deadline / authorities, run as real subprocesses."""
import io
import json
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from conftest import pdf_text
from test_cli import PERSON, run


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """A real letter made by the letter command: the input every follow-up reads."""
    folder = tmp_path_factory.mktemp("original")
    person = folder / "person.json"
    person.write_text(json.dumps(PERSON), encoding="utf-8")
    output = folder / "letter.pdf"
    result = run("letter", "--company", "clearview-ai", "--request", "both", "--person", str(person),
                 "--output", str(output), "--date", "2026-10-01", "--language", "nl")
    assert result.returncode == 0, result.stderr
    return output


def test_follow_up_writes_the_letter_for_the_situation(original, tmp_path):
    output = tmp_path / "incomplete.pdf"
    result = run("follow-up", "--original", str(original), "--situation", "incomplete", "--missing",
                 "recipients,storage-period", "--sent", "2026-10-02", "--channel", "email", "--replied", "2026-11-10",
                 "--their-reference", "CV/2026/118", "--output", str(output), "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "Mijn verzoek van 1 oktober 2026" in text and "onvolledige antwoord" in text
    assert "artikel 15, lid 1, onder c), AVG" in text and "artikel 15, lid 1, onder d), AVG" in text
    assert "onder a), AVG" not in text  # purposes were received
    reference = result.stdout.split(": ")[1].split(",")[0]
    assert reference in text and reference.startswith("FR-20261001-")
    assert "CV/2026/118" in text and "10 november 2026" in text  # the company's reply, by date and reference


def test_follow_up_in_another_language(original, tmp_path):
    output = tmp_path / "reminder.pdf"
    result = run("follow-up", "--original", str(original), "--situation", "no-answer", "--language", "el",
                 "--sent", "2026-10-01", "--channel", "email", "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "Υπενθύμιση" in text and "άρθρο 12 παρ. 4 ΓΚΠΔ" in text


def test_complaint_goes_to_the_authority_of_the_residence_with_the_original_as_annex(original, tmp_path):
    output = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(original), "--situation", "no-answer", "--sent", "2026-10-01",
                 "--channel", "post", "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert "to nlap" in result.stdout
    pdf = output.read_bytes()
    original_pages = len(PdfReader(io.BytesIO(original.read_bytes())).pages)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > original_pages
    annex = " ".join(page.extract_text() for page in reader.pages[-original_pages:])
    assert annex == " ".join(page.extract_text() for page in PdfReader(io.BytesIO(original.read_bytes())).pages)
    text = pdf_text(pdf)
    assert "Autoriteit Persoonsgegevens" in text and "Klacht op grond van artikel 77 AVG" in text


def test_complaint_to_a_chosen_authority_in_english(original, tmp_path):
    output = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(original), "--situation", "asked-for-id", "--authority", "iedpc",
                 "--language", "en", "--sent", "2026-10-01", "--channel", "email", "--replied", "2026-10-20",
                 "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "Irish Data Protection Commission" in text and "(Article 12(6) GDPR)" in text


def test_deadline_writes_an_ics(original, tmp_path):
    output = tmp_path / "deadline.ics"
    result = run("deadline", "--original", str(original), "--sent", "2026-10-02", "--channel", "post",
                 "--output", str(output), "--extended")
    assert result.returncode == 0, result.stderr
    event = list(Calendar.from_ical(output.read_bytes()).walk("VEVENT"))[0]
    # Posted to the USA on 2 October: received 16 October; + 3 months = Saturday 16 January 2027; Monday 18th is
    # Martin Luther King Day in the USA, so Tuesday 19th.
    assert str(event.decoded("dtstart")) == "2027-01-19"
    assert "Jan de Vries" not in output.read_text() and "Keizersgracht" not in output.read_text()


def test_authorities_lists_the_directory_with_the_uk_and_switzerland_flagged():
    result = run("authorities")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("gbico") and "UK GDPR (outside the GDPR)" in line for line in lines)
    assert any(line.startswith("chedoeb") and "Swiss FADP" in line for line in lines)
    german = run("authorities", "--country", "de").stdout.splitlines()
    assert len(german) == 16 and all(" DE " in line for line in german)
    assert run("authorities", "--country", "zz").returncode == 2


def test_bad_input_exits_2_with_one_line_per_problem_and_writes_nothing(original, tmp_path):
    output = tmp_path / "out.pdf"
    result = run("follow-up", "--original", str(original), "--situation", "ghosted", "--missing", "soul",
                 "--sent", "yesterday", "--output", str(output), "--language", "xx")
    assert result.returncode == 2 and not output.exists()
    lines = result.stderr.strip().splitlines()
    assert ("error: --situation: must be one of no-answer, extended-no-answer, asked-for-id, asked-for-photo, no-data, "
            "incomplete, erasure-refused, gdpr-does-not-apply, not-personal-data, use-our-form, "
            "anonymised-not-erased") in lines
    assert "error: --sent: must be a date such as 2026-11-29" in lines
    assert any(line.startswith("error: --missing: unknown item soul; choose from copy, images,") for line in lines)
    assert any(line.startswith("error: --language: must be one of en") for line in lines)
    assert all(line.startswith("error: ") for line in lines)


def test_a_pdf_that_is_not_ours_or_is_damaged_is_refused(tmp_path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7 nothing here")
    output = tmp_path / "out.pdf"
    result = run("complaint", "--original", str(damaged), "--situation", "no-answer", "--output", str(output))
    assert result.returncode == 2 and not output.exists()
    assert "error: --original: The file is not a PDF, or it is damaged." in result.stderr
    result = run("deadline", "--original", str(tmp_path / "missing.pdf"), "--sent", "2026-10-02", "--channel", "fax",
                 "--output", str(tmp_path / "x.ics"))
    assert result.returncode == 2 and "error: --channel: must be one of email, post, webform" in result.stderr
    assert "error: --original: cannot read" in result.stderr and not (tmp_path / "x.ics").exists()


def test_help_lists_the_situations_and_items():
    text = run("follow-up", "--help").stdout.replace("\n", " ")
    # Click wraps long help lines, at hyphens too: compare without the breaks.
    text = re.sub(r"-\s+", "-", text)
    for name in ("no-answer", "extended-no-answer", "asked-for-id", "asked-for-photo", "no-data", "incomplete",
                 "erasure-refused", "gdpr-does-not-apply", "not-personal-data", "use-our-form", "anonymised-not-erased",
                 "recipients", "storage-period", "transfer-safeguards", "--replied", "--their-reference", "--no-photo"):
        assert name in text, name
    assert "erasure-refused" in re.sub(r"-\s+", "-", run("complaint", "--help").stdout.replace("\n", " "))


def test_a_letter_posted_only_is_followed_up_by_post_without_asking(tmp_path):
    """N-H3: the channel comes from the letter's own record; a posted reminder's final date counts from its arrival."""
    person = tmp_path / "person.json"
    person.write_text(json.dumps(PERSON), encoding="utf-8")
    letter = tmp_path / "letter.pdf"
    assert run("letter", "--company", "lenso-ai", "--request", "access", "--person", str(person), "--send", "letter",
               "--output", str(letter), "--date", "2026-11-24").returncode == 0
    reminder = tmp_path / "reminder.pdf"
    result = run("follow-up", "--original", str(letter), "--situation", "no-answer", "--language", "en",
                 "--output", str(reminder), "--date", "2027-01-10")
    assert result.returncode == 0, result.stderr
    text = pdf_text(reminder.read_bytes()).split("Request for access")[0]  # the reminder, not its annex
    # Posted on 24 November, received 1 December; due 1 January 2027, a holiday (a Friday): Monday 4 January.
    assert "I sent the request by post on 24 November 2026." in text and "that is by 4 January 2027" in text
    assert "by email" not in text
    refused = run("follow-up", "--original", str(letter), "--situation", "no-answer", "--channel", "email",
                  "--output", str(tmp_path / "x.pdf"), "--date", "2027-01-10")
    assert refused.returncode == 2 and "--channel: LENSO AI S.A. cannot be reached by email" in refused.stderr


def test_a_reminder_or_complaint_before_the_due_date_is_refused_with_that_date(original, tmp_path):
    """N-H2: sent by email on 1 October, due Monday 2 November 2026."""
    for command in ("follow-up", "complaint"):
        output = tmp_path / f"{command}.pdf"
        result = run(command, "--original", str(original), "--situation", "no-answer", "--sent", "2026-10-01",
                     "--channel", "email", "--output", str(output), "--date", "2026-10-20")
        assert result.returncode == 2 and not output.exists()
        assert result.stderr.strip().splitlines() == [
            "error: --situation: no-answer is possible only after 2026-11-02, the last day the company has to answer"]
    # A demand for an ID document needs no waiting: the company has acted.
    output = tmp_path / "id.pdf"
    result = run("follow-up", "--original", str(original), "--situation", "asked-for-id", "--sent", "2026-10-01",
                 "--channel", "email", "--replied", "2026-10-10", "--output", str(output), "--date", "2026-10-20")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("situation, expected", [
    ("gdpr-does-not-apply", "Article 3(2)(b) GDPR"),
    ("not-personal-data", "Article 4(14) GDPR"),
    ("use-our-form", "Article 12(2) GDPR"),
    ("anonymised-not-erased", "Anonymising or deactivating data is not erasing them"),
])
def test_the_new_situations_on_the_command_line(original, tmp_path, situation, expected):
    output = tmp_path / "out.pdf"
    result = run("follow-up", "--original", str(original), "--situation", situation, "--language", "en",
                 "--sent", "2026-10-01", "--channel", "email", "--replied", "2026-10-20", "--output", str(output),
                 "--date", "2026-10-25")
    assert result.returncode == 0, result.stderr
    assert expected in pdf_text(output.read_bytes())


def test_status_shows_each_case_with_its_next_date_and_a_calendar(original, tmp_path):
    """Three cases: a request, its follow-up (one case with it), and a ZIP of two letters."""
    person = tmp_path / "person.json"
    person.write_text(json.dumps(PERSON), encoding="utf-8")
    reply = tmp_path / "reply.pdf"
    assert run("follow-up", "--original", str(original), "--situation", "asked-for-id", "--sent", "2026-10-01",
               "--channel", "email", "--replied", "2026-10-10", "--output", str(reply), "--date", "2026-10-20",
               "--language", "en").returncode == 0
    bundle = tmp_path / "letters.zip"
    assert run("letter", "--company", "pimeyes,lenso-ai", "--request", "access", "--person", str(person),
               "--output", str(bundle), "--date", "2026-10-05").returncode == 0
    ics = tmp_path / "all.ics"
    result = run("status", str(original), str(reply), str(bundle), "--ics", str(ics), "--date", "2026-10-25")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert any("Clearview AI" in line and "your follow-up (asked-for-id) 2026-10-20" in line for line in lines)
    assert sum("say when you sent the request" in line for line in lines) == 2  # the two letters of the ZIP
    # The reply of 20 October gave until 3 November (the period itself ended on 2 November).
    assert any("Clearview AI" in line and "next 2026-11-03  reply" not in line and "next 2026-11-03" in line
               for line in lines)
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == 1 and str(events[0].decoded("dtstart")) == "2026-11-03"
    assert "Jan de Vries" not in ics.read_text()


def test_status_names_each_unreadable_file_on_one_line_and_exits_2(original, tmp_path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7 nothing")
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    result = run("status", str(original), str(damaged), str(notes), str(tmp_path / "missing.pdf"))
    assert result.returncode == 2
    assert len(result.stdout.strip().splitlines()) == 1  # the readable case is still shown
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("error: ") for line in errors)
    assert "damaged.pdf: The file is not a PDF, or it is damaged." in errors[0]


def typed_company_letter(tmp_path, address: dict, other_company: dict):
    """An access request of 1 October 2026, sent by email, to a company the person typed (letter --company other)."""
    person, other, letter = tmp_path / "person.json", tmp_path / "other.json", tmp_path / "letter.pdf"
    person.write_text(json.dumps(dict(PERSON, address=address)), encoding="utf-8")
    other.write_text(json.dumps(other_company), encoding="utf-8")
    assert run("letter", "--company", "other", "--other-company", str(other), "--request", "access", "--person",
               str(person), "--send", "email", "--output", str(letter), "--date", "2026-10-01",
               "--language", "en").returncode == 0
    return letter


def test_a_letter_to_a_typed_company_continues_on_the_command_line(tmp_path):
    """N-L12: letter --company other, then a follow-up and a complaint from its PDFs; a reply the given letter
    already records (given again with --replied) is listed once."""
    letter = typed_company_letter(tmp_path, {"country": "NL"}, {
        "name": "Acme Faces BV", "email": "privacy@acme.example",
        "address": {"street": "Damrak 1", "postcode": "1012 LG", "city": "Amsterdam", "country": "NL"}})
    reply = tmp_path / "reply.pdf"
    result = run("follow-up", "--original", str(letter), "--situation", "not-personal-data", "--sent", "2026-10-01",
                 "--replied", "2026-10-20", "--output", str(reply), "--date", "2026-10-25")
    assert result.returncode == 0, result.stderr
    text = pdf_text(reply.read_bytes())
    assert "Acme Faces BV" in text and "privacy@acme.example" in text
    assert ("Data that relate to me, a natural person who can be identified from them directly or indirectly, are "
            "personal data (Article 4(1) GDPR).") in text
    assert "Images of my face" not in text and "find a person by their face" not in text
    complaint = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(reply), "--situation", "not-personal-data", "--replied", "2026-10-20",
                 "--output", str(complaint), "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    text = pdf_text(complaint.read_bytes())
    assert "een klacht in tegen Acme Faces BV, Damrak 1, 1012 LG Amsterdam, Nederland (artikel 77, lid 1, AVG)" in text
    assert text.count("20 oktober 2026: het antwoord van Acme Faces BV") == 1
    assert "hoewel het aanbiedt mensen aan de hand van hun gezicht te vinden" not in text


def test_a_uk_reminder_from_the_command_line_is_a_section_164a_complaint(tmp_path):
    person = tmp_path / "person.json"
    person.write_text(json.dumps(dict(PERSON, address={"street": "1 High Street", "postcode": "SW1A 1AA",
                                                       "city": "London", "country": "GB"})), encoding="utf-8")
    letter = tmp_path / "letter.pdf"
    assert run("letter", "--company", "clearview-ai", "--request", "erasure", "--person", str(person), "--send", "email",
               "--output", str(letter), "--date", "2026-10-01").returncode == 0
    reminder = tmp_path / "reminder.pdf"
    result = run("follow-up", "--original", str(letter), "--situation", "no-answer", "--output", str(reminder),
                 "--date", "2026-11-10")
    assert result.returncode == 0, result.stderr
    assert "answer by 2026-12-10" in result.stdout  # 30 days to acknowledge the complaint
    text = pdf_text(reminder.read_bytes())
    assert "Complaint under section 164A of the Data Protection Act 2018" in text
    early = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(reminder), "--situation", "no-answer", "--output", str(early),
                 "--date", "2026-12-10")
    assert result.returncode == 2 and "possible only after 2026-12-10" in result.stderr


def test_a_complaint_whose_authority_cannot_be_told_names_the_establishment_not_the_residence(tmp_path):
    """A US resident writing to a typed company in Germany: the Land of its establishment is unknown, and the
    message says so (not the person's own country and postcode)."""
    letter = typed_company_letter(
        tmp_path, {"street": "1 Main St", "postcode": "10001", "city": "New York", "country": "US"},
        {"name": "Gesichter GmbH", "email": "datenschutz@gesichter.example",
         "address": {"street": "Marienplatz 1", "postcode": "80331", "city": "München", "country": "DE"}})
    result = run("complaint", "--original", str(letter), "--situation", "use-our-form", "--replied", "2026-10-20",
                 "--output", str(tmp_path / "complaint.pdf"), "--date", "2026-11-20")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == ("error: --authority: cannot tell the authority for the company's "
                                                      "establishment in DE; give --authority")
    assert not (tmp_path / "complaint.pdf").exists()
    # Told which authority: the complaint says what the person knows, the company's address, not its establishment.
    result = run("complaint", "--original", str(letter), "--situation", "use-our-form", "--replied", "2026-10-20",
                 "--authority", "debaylda", "--language", "en", "--output", str(tmp_path / "complaint.pdf"),
                 "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "complaint.pdf").read_bytes())
    assert "the supervisory authority of the State where the company has its address, against Gesichter GmbH" in text
    assert ("because the company has its address in the Union and, as far as I can tell, is established there "
            "(Article 3(1) GDPR and recital 14)") in text
    assert "in which the company is established" not in text
