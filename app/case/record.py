"""The record a letter's PDF carries: the case it belongs to, written and read in one place.

A person who comes back weeks later with only their latest letter continues the case from it:
nothing is kept on the server. The record holds only what the letters print (never the photo):
the request's answers, and each event since. It is versioned; the reader upgrades every earlier
version (letters already printed must stay continuable) and then checks the result against the
JSON Schema beside this module (record.schema.json), strictly: an uploaded PDF is anyone's.

The request, person and other_company sections use the field names of the wizard's forms, so that the
journeys validate them with those forms, exactly as typed answers are validated. other_company (a
company the person typed, not in the registry) is optional: records written before it, and every
version 1 record, have none, and their typed company cannot be rebuilt.
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import jsonschema

from .model import Case, Event, EventKind

ATTACHMENT_NAME = "facerights-answers.json"
FORMAT = "facerights-answers"
VERSION = 2
# Ours are under 6 KB with a long history; an attachment much larger is not ours.
MAX_RECORD_BYTES = 32 * 1024
# Ours nest three levels deep (record, section, list).
MAX_RECORD_DEPTH = 6
SCHEMA_PATH = Path(__file__).with_name("record.schema.json")


class RecordError(Exception):
    """Why a record cannot be used: "damaged", "foreign" (not ours), "version" (one we cannot read)
    or "invalid" (ours in form, but not a record we write)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- writing ---------------------------------------------------------------------------------------

def encode(case: Case, kind: str, day: date, language: str) -> dict:
    """The record of ``case`` for a document of ``kind`` dated ``day`` in ``language`` (the case's
    events already include the document's own, for a follow-up or a complaint)."""
    request, person = case.request, case.person
    typed = request.company.typed_details
    return {
        "format": FORMAT, "version": VERSION,
        "document": {"kind": str(kind), "date": day.isoformat(), "language": language},
        "request": {
            "reference": request.reference, "date": request.date.isoformat(),
            "request_type": str(request.request_type), "company": request.company.slug,
            "language": request.language, "channels": [str(channel) for channel in request.channels],
            "grounds": [str(ground) for ground in request.grounds],
            "objection_reason": request.objection_reason, "suppression": str(request.suppression),
        },
        "person": {
            "full_name": person.full_name, "email": person.email, "street": person.street,
            "address_line_2": person.address_line_2, "postcode": person.postcode, "city": person.city,
            "country": person.country, "profile_urls": list(person.profile_urls),
        },
        "events": [encode_event(event) for event in case.events],
        # A company the person typed: its details as typed, so that the case can be continued (N-L12).
        **({"other_company": dict(typed)} if typed else {}),
    }


def encode_event(event: Event) -> dict:
    record = {"kind": str(event.kind), "date": event.date.isoformat()}
    if event.kind == EventKind.SENT:
        record["channel"] = str(event.channel)
    elif event.kind == EventKind.REPLY:
        record.update(situation=str(event.situation), their_reference=event.their_reference,
                      missing=[str(item) for item in event.missing])
    else:
        record.update(document=str(event.document), situation=_text_or_none(event.situation),
                      language=event.language, channel=_text_or_none(event.channel),
                      photo_enclosed=event.photo_enclosed, authority=event.authority)
    return record


def _text_or_none(value) -> str | None:
    return None if value is None else str(value)


def to_json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1)


# --- reading ---------------------------------------------------------------------------------------

def parse(data: bytes) -> dict:
    """The record in ``data`` (the attachment's bytes), upgraded to this version and checked against
    the schema; RecordError otherwise."""
    if len(data) > MAX_RECORD_BYTES:
        raise RecordError("foreign")
    if nesting_depth(data) > MAX_RECORD_DEPTH:
        raise RecordError("damaged")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RecordError("damaged") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise RecordError("foreign")
    version = record.get("version")
    # An integer, not True or 1.0 (which compare equal to 1).
    if type(version) is not int or version not in UPGRADES and version != VERSION:
        raise RecordError("version")
    while record["version"] != VERSION:
        try:
            record = UPGRADES[record["version"]](record)
        except (KeyError, TypeError, AttributeError, ValueError):
            raise RecordError("invalid") from None
    if not _validator().is_valid(record):
        raise RecordError("invalid")
    return record


def events_of(record: dict) -> tuple[Event, ...]:
    """The events of a parsed record, in order."""
    return decode_events(record["events"])


def decode_events(items: list) -> tuple[Event, ...]:
    """Events as encode_event writes them (from a parsed record, or from the state cookie)."""
    return tuple(Event(
        kind=item["kind"], date=date.fromisoformat(item["date"]), channel=item.get("channel"),
        situation=item.get("situation"), their_reference=item.get("their_reference", ""),
        missing=tuple(item.get("missing", ())), document=item.get("document"), language=item.get("language"),
        photo_enclosed=item.get("photo_enclosed", False), authority=item.get("authority"))
        for item in items)


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


@lru_cache(maxsize=1)
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# --- earlier versions ------------------------------------------------------------------------------

def _v1_to_v2(record: dict) -> dict:
    """Version 1 (issue 9, November 2026): the answers of one letter, with the request's sending for a
    follow-up. It had no second address line, no history and no reply dates: a follow-up's record
    becomes the request, its sending, and the follow-up itself as the one event after them."""
    letter, request, person = record["letter"], record["request"], record["person"]
    erasure = record.get("erasure") or {}
    kind = letter["kind"]
    events = []
    if request.get("sent") and request.get("channel"):
        events.append({"kind": "sent", "date": request["sent"], "channel": request["channel"]})
    if kind != "request":
        complaint = kind == "complaint"
        events.append({"kind": "letter", "date": letter["date"], "document": "complaint" if complaint else "follow-up",
                       "situation": None if complaint else kind, "language": letter["language"],
                       "channel": request.get("channel"), "photo_enclosed": False, "authority": None})
    return {
        "format": FORMAT, "version": 2,
        "document": {"kind": "request" if kind == "request" else ("complaint" if kind == "complaint" else "follow-up"),
                     "date": letter["date"], "language": letter["language"]},
        "request": {"reference": request["reference"], "date": request["date"],
                    "request_type": request["request_type"], "company": request["company"],
                    # A follow-up's language may differ from the request's, which version 1 did not keep.
                    "language": letter["language"], "channels": request.get("channels", []),
                    "grounds": erasure.get("grounds", []), "objection_reason": erasure.get("objection_reason", ""),
                    "suppression": erasure.get("suppression", "addresses")},
        "person": {"full_name": person["full_name"], "email": person["email"], "street": person["street"],
                   "address_line_2": "", "postcode": person["postcode"], "city": person["city"],
                   "country": person["country"], "profile_urls": person.get("profile_urls", [])},
        "events": events,
    }


# Each reads one version and returns the next; the reader applies them in turn.
UPGRADES = {1: _v1_to_v2}
