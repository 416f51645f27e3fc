"""A request restored from its letter's answers, and the letters that follow it.

The answers inside an uploaded PDF are a stranger's input: they go through the
wizard's own forms, exactly as typed answers do, before anything uses them.
The command line and the web pages both restore and build through here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from ..companies import OTHER
from ..law.authorities import Authority
from ..law.deadlines import due_date, final_period_end
from ..letters.model import CHANNELS, Complaint, Letter, Original, follow_up, letter_from_answers
from ..wizard.forms import (CompanyForm, DetailsForm, GroundsForm, LetterLanguageForm, RecollectionForm,
                            RequestTypeForm)
from .forms import check_day, check_reference


@dataclass
class Restored:
    """The wizard's answers, the reference and the request's date, or the problems that stopped it."""
    answers: dict
    reference: str | None
    request_date: date | None
    sent: date | None
    channel: str | None
    problems: list[tuple[str, str]]


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _section(record: dict, name: str) -> dict:
    value = record.get(name)
    return value if isinstance(value, dict) else {}


def _validated(form, prefix: str, problems: list) -> dict:
    if not form.validate():
        problems += [(f"{prefix}{name}", str(messages[0])) for name, messages in form.errors.items()]
    return form.answer()


def restore(record: dict, registry, today: date) -> Restored:
    """Validate a letter's record with the wizard's forms; ``problems`` lists (field, message)."""
    request, person, erasure = _section(record, "request"), _section(record, "person"), _section(record, "erasure")
    letter = _section(record, "letter")
    problems: list[tuple[str, str]] = []
    no_csrf = {"csrf": False}
    answers = {
        "request-type": _validated(RequestTypeForm(formdata=MultiDict({"request_type": _text(request.get("request_type"))}),
                                                   meta=no_csrf), "request.", problems),
        "company": _validated(CompanyForm(formdata=MultiDict({"company": _text(request.get("company"))}),
                                          registry=registry, meta=no_csrf), "request.", problems),
    }
    if request.get("company") == OTHER:
        # The typed company's details are not in the record: a follow-up would have no one to address.
        problems.append(("request.company", str(_l("This letter is to a company you typed yourself. Follow-up "
                                                   "letters can be written only to companies in this service's "
                                                   "list."))))
    urls = person.get("profile_urls", [])
    if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
        urls = ["(not a list of web addresses)"]  # refused by the form, with its own message
    answers["your-details"] = _validated(DetailsForm(formdata=MultiDict({
        "full_name": _text(person.get("full_name")), "email": _text(person.get("email")),
        "street": _text(person.get("street")), "postcode": _text(person.get("postcode")),
        "city": _text(person.get("city")), "country": _text(person.get("country")),
        "profile_urls": "\n".join(urls)}), meta=no_csrf), "person.", problems)
    if not problems:
        answers["letter-language"] = _validated(LetterLanguageForm(
            formdata=MultiDict({"letter_language": _text(letter.get("language"))}), answers=answers,
            registry=registry, meta=no_csrf), "letter.", problems)
    if erasure and answers["request-type"].get("request_type") in ("erasure", "both"):
        grounds = erasure.get("grounds") if isinstance(erasure.get("grounds"), list) else []
        answers["erasure-grounds"] = _validated(GroundsForm(formdata=MultiDict(
            [("grounds", _text(ground)) for ground in grounds]
            + [("objection_reason", _text(erasure.get("objection_reason")))]), meta=no_csrf), "erasure.", problems)
        answers["recollection"] = _validated(RecollectionForm(
            formdata=MultiDict({"suppression": _text(erasure.get("suppression"))}), meta=no_csrf), "erasure.", problems)
    reference = request_date = sent = None
    try:
        reference = check_reference(_text(request.get("reference")))
    except ValidationError as error:
        problems.append(("request.reference", str(error)))
    try:
        request_date = check_day(_text(request.get("date")), today, _l("Enter the date of your letter."))
    except ValidationError as error:
        problems.append(("request.date", str(error)))
    channel = request.get("channel") if request.get("channel") in CHANNELS else None
    if request.get("sent") is not None:
        try:
            sent = check_day(_text(request.get("sent")), today, _l("Enter the date you sent your letter."))
        except ValidationError as error:
            problems.append(("request.sent", str(error)))
    return Restored(answers, reference, request_date, sent, channel, problems)


def request_letter(answers: dict, registry, *, reference: str, request_date: date, language: str | None = None) -> Letter:
    """The request as its letter was written (for a follow-up's fields, or a complaint's annex)."""
    # Answers restored by hand have no erasure grounds: the follow-ups then argue none.
    answers = {"erasure-grounds": {"grounds": [], "objection_reason": ""}, **answers}
    return letter_from_answers(answers, registry, language=language or answers["letter-language"]["letter_language"],
                               today=request_date, reference=reference)


def original_of(request: Letter, sent: date, channel: str, postal_days: dict, extended: bool = False) -> Original:
    due = due_date(sent, channel, request.company.country, extended=extended, table=postal_days)
    return Original(date=request.date, sent=sent, channel=channel, due=due)


def follow_up_letter(request: Letter, situation: str, original: Original, today: date, *, missing=(),
                     photo=None, photo_reply="send", refusal="refused") -> Letter:
    """The letter for ``situation``. Replies to a demand keep the running period; the others give a short
    final period from today (or from the due date, if that is still ahead)."""
    keeps_period = situation in ("asked-for-id", "asked-for-photo")
    final = None if keeps_period else final_period_end(max(today, original.due), request.company.country)
    return follow_up(request, situation, today=today, original=original, missing=tuple(missing), photo=photo,
                     photo_reply=photo_reply, refusal=refusal, final_date=final)


def complaint_letter(request: Letter, situation: str, original: Original, today: date, authority: Authority, *,
                     language: str, missing=(), refusal="refused", representative: str | None = None,
                     annexed: bool = True) -> Letter:
    return follow_up(request, "complaint", today=today, original=original, language=language,
                     missing=tuple(missing), refusal=refusal,
                     complaint=Complaint(authority=authority, situation=situation, representative=representative,
                                         annexed=annexed))
