"""The answers a letter was made from, carried inside its PDF as a small JSON attachment.

A person who comes back weeks later with only their letter can continue the
request from it: nothing is kept on the server. The record holds only what the
letter itself prints (never the photo), with a format name and version so that
a later FaceRights can read today's letters. Reading is defensive: the PDF is
uploaded by anyone, so every failure becomes a RecordError with a reason the
pages and the command line turn into a message.
"""
from __future__ import annotations

import json

from .attachment import AttachmentError, read_attachment
from .model import Letter

ATTACHMENT_NAME = "facerights-answers.json"
FORMAT = "facerights-answers"
VERSION = 1
# Ours are under 3 KB; an attachment much larger than the longest answers is not ours.
MAX_RECORD_BYTES = 32 * 1024
# Ours nest three levels deep (record, section, list of addresses).
MAX_RECORD_DEPTH = 6


class RecordError(Exception):
    """Why a PDF gave no answers: "too-large", "damaged", "encrypted", "foreign" (not ours) or "version"."""

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
    if len(pdf) > max_bytes:
        raise RecordError("too-large")
    try:
        data = read_attachment(pdf, ATTACHMENT_NAME, MAX_RECORD_BYTES)
    except AttachmentError as error:
        # An attachment of our name that is too large is not one of ours.
        raise RecordError("foreign" if error.reason == "too-large" else error.reason) from None
    if nesting_depth(data) > MAX_RECORD_DEPTH:
        raise RecordError("damaged")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RecordError("damaged") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise RecordError("foreign")
    version = record.get("version")
    if type(version) is not int or version != VERSION:
        raise RecordError("version")
    return record


def nesting_depth(data: bytes) -> int:
    """How deeply the JSON text nests objects and arrays (brackets inside strings ignored), so that a
    hostile record is refused before the parser recurses into it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x7D, 0x5D):
            depth -= 1
    return deepest
