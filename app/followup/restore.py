"""A case restored from the record of its latest letter, checked as strictly as typed answers.

The record (app/case/record.py) has already been parsed, upgraded and checked against its schema.
The request's answers now go through the wizard's own forms, exactly as typed answers do (so a
name with a bidi override or an address too long is refused with the same message), and the
events are checked for dates that cannot be. The web page and the command line both restore here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from ..case.model import Case, Event, EventKind
from ..case.record import events_of
from ..case.vocabulary import RequestType
from ..companies import OTHER, Company
from ..letters.model import chosen_slugs, request_from_answers, typed_company_from
from ..wizard.coverage import configured_languages
from ..wizard.forms import (CompanyForm, DetailsForm, GroundsForm, LetterLanguageForm, ObjectionForm,
                            OtherCompanyForm, RecollectionForm, RequestTypeForm, check_plain_text)
from .forms import check_day, check_reference

NO_CSRF = {"csrf": False}


@dataclass
class Restored:
    """The wizard's answers for the request, its reference and date, the case's events and the
    uploaded document's kind, date and language; or the problems that stopped it."""
    answers: dict
    reference: str | None
    request_date: date | None
    events: tuple[Event, ...]
    document: dict
    problems: list[tuple[str, str]] = field(default_factory=list)


def _validated(form, prefix: str, problems: list) -> dict:
    if not form.validate():
        problems += [(f"{prefix}{name}", str(messages[0])) for name, messages in form.errors.items()]
    return form.answer()


def _form(form_class, data: dict | list, **context):
    return form_class(formdata=MultiDict(data), meta=NO_CSRF, **context)


def restore(record: dict, registry, today: date) -> Restored:
    """Validate a parsed record (app/case/record.py parse) with the wizard's forms; ``problems`` lists
    (field, message)."""
    request, person = record["request"], record["person"]
    problems: list[tuple[str, str]] = []
    slug = request["company"]
    answers = {
        "request-type": _validated(_form(RequestTypeForm, {"request_type": request["request_type"]}), "request.",
                                   problems),
        "company": _validated(_form(CompanyForm, {"company": slug}, registry=registry), "request.", problems),
    }
    if slug == OTHER:
        if record.get("other_company") is None:
            # Written before records carried a typed company: a follow-up would have no one to address.
            problems.append(("request.company", str(_l("This letter is to a company you typed yourself, and it was "
                                                       "made before letters carried that company's details, so it "
                                                       "cannot be continued. Write a new letter to the company "
                                                       "instead."))))
        else:
            # As typed on the "other company" page, and checked by its form as it was then.
            typed_problems: list[tuple[str, str]] = []
            typed = _validated(_form(OtherCompanyForm, record["other_company"]), "other_company.", typed_problems)
            problems += typed_problems
            if not typed_problems:
                answers["other-company"] = typed
    # Its channels only (the letter language, checked below, names its country in the letters).
    company = case_company(answers, registry, "en")
    channels = list(request["channels"])
    if company is not None and not set(channels) <= set(company.channels):
        problems.append(("request.channels", str(_l("This letter was sent in a way the company no longer offers. "
                                                    "Enter your request by hand instead."))))
    answers["sending"] = {"channels": channels}
    # Only a letter that went by post needed a postal address (as in the wizard).
    posting = "letter" in (channels or (company.channels if company else ()))
    answers["your-details"] = _validated(_form(DetailsForm, {
        "full_name": person["full_name"], "email": person["email"], "street": person["street"],
        "address_line_2": person["address_line_2"], "postcode": person["postcode"], "city": person["city"],
        "country": person["country"], "profile_urls": "\n".join(person["profile_urls"])}, posting=posting),
        "person.", problems)
    if not problems:
        answers["letter-language"] = _validated(_form(LetterLanguageForm, {"letter_language": request["language"]},
                                                      answers=answers, registry=registry), "request.", problems)
    if RequestType(request["request_type"]).asks_erasure:
        answers.update(_erasure_answers(request, problems))
    reference = request_date = None
    try:
        reference = check_reference(request["reference"])
    except ValidationError as error:
        problems.append(("request.reference", str(error)))
    try:
        request_date = check_day(request["date"], today, _l("Enter the date of your letter."))
    except ValidationError as error:
        problems.append(("request.date", str(error)))
    events = events_of(record)
    problems += _event_problems(events, request_date, today)
    return Restored(answers, reference, request_date, events, record["document"], problems)


def _erasure_answers(request: dict, problems: list) -> dict:
    grounds = request["grounds"]
    answers = {"erasure-grounds": _validated(_form(GroundsForm, [("grounds", ground) for ground in grounds]),
                                             "request.", problems)}
    if "objection" in grounds:
        answers["objection-reason"] = _validated(_form(ObjectionForm, {"objection_reason": request["objection_reason"]}),
                                                 "request.", problems)
    answers["recollection"] = _validated(_form(RecollectionForm, {"suppression": request["suppression"]}),
                                         "request.", problems)
    return answers


def _event_problems(events: tuple[Event, ...], request_date: date | None, today: date) -> list[tuple[str, str]]:
    """Events dated before the request or after today, or in the wrong order, cannot have happened;
    a company's reference is plain text like any typed answer."""
    problems = []
    days = [event.date for event in events]
    if any(day > today for day in days) or (request_date and any(day < request_date for day in days)) \
            or days != sorted(days) or sum(event.kind == EventKind.SENT for event in events) > 1:
        problems.append(("events", str(_l("The dates in this letter's history cannot be right."))))
    for event in events:
        try:
            check_plain_text(event.their_reference)
        except ValidationError as error:
            problems.append(("events.their_reference", str(error)))
    return problems


def case_company(answers: dict, registry, language: str) -> Company | None:
    """The company a case's letters go to: the registry's, or the one the person typed (its country named in
    ``language``, as its letters name it); None when the answers hold neither."""
    slug = chosen_slugs(answers)[0]
    if slug == OTHER:
        typed = answers.get("other-company")
        return typed_company_from(typed, language, configured_languages()) if typed else None
    return registry.get(slug)


def case_of(restored: Restored, registry) -> Case:
    """The case a restored record describes (its answers are valid: restore found no problem)."""
    answers = restored.answers
    language = answers["letter-language"]["letter_language"]
    request = request_from_answers(answers, registry, language=language, day=restored.request_date,
                                   reference=restored.reference, company=case_company(answers, registry, language))
    return Case(request, restored.events)
