"""flask --app wsgi follow-up / complaint / deadline / authorities, run as real subprocesses."""
import io
import json

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
                 "recipients,storage-period", "--sent", "2026-10-02", "--output", str(output), "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "Mijn verzoek van 1 oktober 2026" in text and "onvolledige antwoord" in text
    assert "artikel 15, lid 1, onder c), AVG" in text and "artikel 15, lid 1, onder d), AVG" in text
    assert "onder a), AVG" not in text  # purposes were received
    reference = result.stdout.split(": ")[1].split(",")[0]
    assert reference in text and reference.startswith("FR-20261001-")


def test_follow_up_in_another_language(original, tmp_path):
    output = tmp_path / "reminder.pdf"
    result = run("follow-up", "--original", str(original), "--situation", "no-answer", "--language", "el",
                 "--sent", "2026-10-01", "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    text = pdf_text(output.read_bytes())
    assert "Υπενθύμιση" in text and "άρθρο 12 παρ. 4 ΓΚΠΔ" in text


def test_complaint_goes_to_the_authority_of_the_residence_with_the_original_as_annex(original, tmp_path):
    output = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(original), "--situation", "no-answer", "--output", str(output),
                 "--date", "2026-12-01")
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
                 "--language", "en", "--output", str(output), "--date", "2026-12-01")
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
    assert "error: --situation: must be one of no-answer, asked-for-id, asked-for-photo, no-data, incomplete, erasure-refused" in lines
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
    assert result.returncode == 2 and "error: --channel: must be email or post" in result.stderr
    assert "error: --original: cannot read" in result.stderr and not (tmp_path / "x.ics").exists()


def test_help_lists_the_situations_and_items():
    text = run("follow-up", "--help").stdout.replace("\n", " ")
    for name in ("no-answer", "asked-for-id", "asked-for-photo", "no-data", "incomplete", "erasure-refused",
                 "recipients", "storage-period", "transfer-safeguards"):
        assert name in text
    assert "erasure-refused" in run("complaint", "--help").stdout
