"""The answers a letter was made from, carried inside its PDF as a small JSON attachment.

A person who comes back weeks later with only their letter can continue the
request from it: nothing is kept on the server. The record holds only what the
letter itself prints (never the photo), with a format name and version so that
a later FaceRights can read today's letters. Reading is defensive: the PDF is
uploaded by anyone, so every failure becomes a RecordError with a reason the
pages and the command line turn into a message.
"""
from __future__ import annotations

import io
import json
import logging

from .model import Letter

ATTACHMENT_NAME = "facerights-answers.json"
FORMAT = "facerights-answers"
VERSION = 1
# Ours are under 3 KB; an attachment much larger than the longest answers is not ours.
MAX_RECORD_BYTES = 32 * 1024


class RecordError(Exception):
    """Why a PDF gave no answers: "too-large", "damaged", "foreign" (not ours) or "version"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def letter_record(letter: Letter) -> dict:
    """The letter's answers, as far as the letter prints them."""
    person = letter.person
    record = {
        "format": FORMAT, "version": VERSION,
        "letter": {"kind": letter.kind, "date": letter.date.isoformat(), "language": letter.language},
        "request": {"reference": letter.reference, "date": letter.request_date.isoformat(),
                    "request_type": letter.request_type, "company": letter.company.slug},
        "person": {"full_name": person.full_name, "email": person.email, "street": person.street,
                   "postcode": person.postcode, "city": person.city, "country": person.country},
    }
    if letter.is_request:
        record["person"]["profile_urls"] = list(person.profile_urls)
        record["request"]["channels"] = list(letter.channels)
        if letter.asks_erasure:
            record["erasure"] = {"grounds": list(letter.grounds), "objection_reason": letter.objection_reason,
                                 "suppression": letter.suppression}
    if letter.original and letter.original.sent:
        record["request"]["sent"] = letter.original.sent.isoformat()
        record["request"]["channel"] = letter.original.channel
    return record


def record_json(letter: Letter) -> str:
    return json.dumps(letter_record(letter), ensure_ascii=False, sort_keys=True, indent=1)


def read_record(pdf: bytes, max_bytes: int) -> dict:
    """The record inside an uploaded letter; RecordError if there is none we can read."""
    from pypdf import PdfReader

    if len(pdf) > max_bytes:
        raise RecordError("too-large")
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise RecordError("damaged")
    # pypdf logs warnings about broken files; a stranger's PDF must not fill the logs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        contents = reader.attachments.get(ATTACHMENT_NAME)
    except Exception:  # noqa: BLE001  pypdf raises many kinds of error on a damaged file
        raise RecordError("damaged") from None
    if not contents:
        raise RecordError("foreign")
    data = contents[0]
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError("foreign")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RecordError("damaged") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise RecordError("foreign")
    if record.get("version") != VERSION:
        raise RecordError("version")
    return record
