"""The letter upload at a bounded cost (security review 2026-12-04, G1, G2, G6 and the F16 note).

Each hostile file is refused with the upload's own message, on the web and on the command line;
the cost (time, memory) of refusing them is measured by bench/hostile_uploads.py, not here.
"""
import io
import json
import re
import zlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.case.record import MAX_RECORD_BYTES, RecordError
from app.letters.attachment import read_record
from app.letters.attachment import AttachmentError, read_attachment
from bench import hostile_pdfs as hostile
from conftest import csrf_token, page_text
from test_cli import PERSON, run

LIMIT = 2 * 1024 * 1024
NAME = hostile.NAME.decode()


@pytest.fixture(scope="module")
def letter_pdf(tmp_path_factory):
    """A real letter, made once for the module by the letter command."""
    folder = tmp_path_factory.mktemp("letter")
    person = folder / "person.json"
    person.write_text(json.dumps(PERSON), encoding="utf-8")
    output = folder / "letter.pdf"
    result = run("letter", "--company", "clearview-ai", "--request", "access", "--person", str(person),
                 "--output", str(output), "--date", "2026-10-01")
    assert result.returncode == 0, result.stderr
    return output.read_bytes()


@pytest.fixture(scope="module")
def record(letter_pdf):
    return hostile.genuine_record(letter_pdf)


def reason(pdf: bytes) -> str:
    try:
        read_record(pdf, LIMIT)
    except RecordError as error:
        return error.reason
    return "accepted"


def test_a_genuine_letter_is_read(letter_pdf):
    assert read_record(letter_pdf, LIMIT)["request"]["reference"].startswith("FR-20261001-")


def test_the_record_is_reached_without_parsing_every_object_of_an_object_stream(letter_pdf, monkeypatch):
    """A letter keeps its catalog among the thousand small objects of its tagged structure, in one
    compressed object stream, which pypdf's get_object() parses whole (60 ms for six pages)."""
    from pypdf import PdfReader

    def parse_all(self, reference):
        raise AssertionError(f"object {reference.idnum} resolved by parsing its whole object stream")
    monkeypatch.setattr(PdfReader, "_get_object_from_stream", parse_all)
    assert read_record(letter_pdf, LIMIT)["request"]["reference"].startswith("FR-20261001-")


@pytest.mark.parametrize("header", [b"", b"1 0", b"x y 99999 0"])
def test_an_object_stream_that_does_not_list_the_object_is_damaged(letter_pdf, monkeypatch, header):
    from pypdf.generic import StreamObject
    real = StreamObject.get_data

    def without_the_header(self):
        data = real(self)
        if self.get("/Type") != "/ObjStm":
            return data
        return header.ljust(int(self["/First"]), b" ") + data[int(self["/First"]):]
    monkeypatch.setattr(StreamObject, "get_data", without_the_header)
    assert reason(letter_pdf) == "damaged"


@pytest.mark.parametrize("kind, expected", [
    ("g1-bomb-16", "foreign"),  # several entries of our name: not one of ours
    ("flate-16-layers", "foreign"),  # more than one filter
    ("deep-nesting-json", "damaged"),
    ("deep-nesting-catalog", "damaged"),
    ("name-tree-kids", "foreign"),
    ("encrypted", "encrypted"),
    ("encrypted-empty-password", "encrypted"),
    ("xref-loop", "foreign"),
])
def test_each_kind_of_hostile_pdf_the_review_built_is_refused(record, letter_pdf, kind, expected):
    assert reason(hostile.review_kinds(record, letter_pdf)[kind]) == expected


def test_one_layer_bomb_stops_at_the_record_size():
    """One entry, one /FlateDecode, 74 MB of zeros: inflated only to just past the record's maximum."""
    assert reason(hostile.single_bomb(layers=1)) == "foreign"
    with pytest.raises(AttachmentError) as refused:
        read_attachment(hostile.single_bomb(layers=1), NAME, MAX_RECORD_BYTES)
    assert refused.value.reason == "too-large"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.integers(min_value=2, max_value=12), layers=st.integers(min_value=0, max_value=4),
       real_first=st.booleans())
def test_several_entries_of_our_name_are_refused_whatever_they_hold(record, entries, layers, real_first):
    # Uncompressed, the bomb must still fit in an upload to reach the reader.
    bomb = (hostile.NAME, hostile.embedded_stream(b"\0" * (2_000_000 if layers else 100_000), layers=layers))
    genuine = (hostile.NAME, hostile.embedded_stream(record))
    items = [genuine] + [bomb] * (entries - 1) if real_first else [bomb] * (entries - 1) + [genuine]
    assert reason(hostile.build(items)) == "foreign"


@settings(max_examples=30, deadline=None)
@given(layers=st.integers(min_value=1, max_value=16), size=st.integers(min_value=0, max_value=4_000_000))
def test_layered_flate_is_refused_unless_it_is_one_layer_that_fits(layers, size):
    result = reason(hostile.single_bomb(layers=layers, megabytes=0) if size == 0 else
                    hostile.build([(hostile.NAME, hostile.embedded_stream(b"\0" * size, layers=layers))]))
    if layers > 1 or size > MAX_RECORD_BYTES:
        assert result == "foreign"
    else:
        assert result == "damaged"  # zeros are not JSON


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(min_value=7, max_value=8000), kind=st.sampled_from(["{\"a\":", "["]))
def test_deeply_nested_records_are_damaged_not_a_recursion_error(depth, kind):
    closing = "}" if kind.startswith("{") else "]"
    text = '{"format":"facerights-answers","version":1,"x":' + kind * depth + "1" + closing * depth + "}"
    if len(text) > MAX_RECORD_BYTES:
        return
    assert reason(hostile.build([(hostile.NAME, hostile.embedded_stream(text.encode(), layers=1))])) == "damaged"


@pytest.mark.parametrize("version", [True, 1.0, "1", [1], None, 99])
def test_the_version_must_be_an_integer_we_read(letter_pdf, record, version):
    data = json.loads(record)
    data["version"] = version
    assert reason(hostile.record_with(data)) == "version"


def test_a_filter_with_parameters_or_of_another_kind_is_refused(record):
    predictor = hostile.build([(hostile.NAME, b"<< /Length %d /Filter /FlateDecode /DecodeParms << /Predictor 12 >> >>"
                                b"\nstream\n%s\nendstream" % (len(zlib.compress(record)), zlib.compress(record)))])
    assert reason(predictor) == "foreign"
    ascii_hex = record.hex().encode()
    other = hostile.build([(hostile.NAME, b"<< /Length %d /Filter /ASCIIHexDecode >>\nstream\n%s\nendstream"
                            % (len(ascii_hex), ascii_hex))])
    assert reason(other) == "foreign"


# --- the same files through the web page and the command line ---------------------------------------

def upload(client, data: bytes):
    html = client.get("/continue").get_data(as_text=True)
    return client.post("/continue", data={"csrf_token": csrf_token(html), "letter": (io.BytesIO(data), "letter.pdf")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("kind, message", [
    ("g1-bomb-16", "This PDF was not made by FaceRights"),
    ("deep-nesting-json", "The file is not a PDF, or it is damaged."),
    ("encrypted", "This PDF is protected with a password."),
])
def test_the_web_upload_refuses_them_with_its_message(client, record, letter_pdf, kind, message):
    response = upload(client, hostile.review_kinds(record, letter_pdf)[kind])
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert message in text and "There is a problem" in text


@pytest.mark.parametrize("kind, message", [
    ("g1-bomb-16", "This PDF was not made by FaceRights"),
    ("deep-nesting-json", "The file is not a PDF, or it is damaged."),
    ("encrypted", "This PDF is protected with a password."),
])
def test_the_command_line_refuses_them_with_one_line_and_exit_2(tmp_path, record, letter_pdf, kind, message):
    original = tmp_path / "letter.pdf"
    original.write_bytes(hostile.review_kinds(record, letter_pdf)[kind])
    result = run("follow-up", "--original", str(original), "--situation", "no-answer",
                 "--output", str(tmp_path / "out.pdf"))
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


# --- G3: the command line's complaint never appends the pages of the file it is given ----------------------

def hostile_letter(letter_pdf: bytes, pages: int = 1) -> bytes:
    """A genuine letter (its record intact) whose page 1 runs JavaScript when opened and is one big link to a
    phishing page, repeated ``pages`` times in the page tree."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf)))
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})})
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): ArrayObject([NumberObject(0)] * 2 + [NumberObject(600)] * 2),
                             NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                                                 NameObject("/URI"): TextStringObject(
                                                                     "https://evil.example/phish")})})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    for _ in range(pages - 1):
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize("pages", [1, 2000])
def test_the_complaints_annexes_are_made_again_never_copied_from_the_given_file(tmp_path, letter_pdf, pages):
    """G3: JavaScript, actions and links on the given pages, or thousands of pages, never reach the complaint."""
    from pypdf import PdfReader

    original = tmp_path / "letter.pdf"
    original.write_bytes(hostile_letter(letter_pdf, pages))
    output = tmp_path / "complaint.pdf"
    result = run("complaint", "--original", str(original), "--situation", "no-answer", "--sent", "2026-10-01",
                 "--channel", "email", "--output", str(output), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    data = output.read_bytes()
    assert b"/JavaScript" not in data and b"evil.example" not in data and b"/AA" not in data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) < 10  # the complaint and the request made again from the record
    assert all("/Annots" not in page or not any(annotation.get_object().get("/A") for annotation in page["/Annots"])
               for page in reader.pages)
