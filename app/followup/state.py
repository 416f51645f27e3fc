"""The case being continued, as the encrypted state cookie keeps it between the pages.

The state holds the request's answers in the wizard's shape (so that the wizard's pages can
ask for what a by-hand entry lacks), the reference, the request's date and source, the case's
events in the record's own form, and the answers of this journey's pages ("after"). The case
is made again from them on every page: no second copy of it is kept.
"""
from __future__ import annotations

from datetime import date

from flask import current_app, session

from ..case import record
from ..case.model import Case, reply, sent
from ..case.timeline import Dates, Timeline
from ..case.vocabulary import AccessItem, Situation, values
from ..i18n import format_page_date
from ..letters.model import request_from_answers
from ..wizard.views import registry
from .forms import NO_ANSWER_TO_MY_LETTER
from .restore import case_company

# The situation answers that became events once their letter was written.
_KEPT_AFTER_A_NEW_SITUATION = ("sent", "situation")


def timeline() -> Timeline:
    return current_app.extensions["facerights.timeline"]


def today() -> date:
    return current_app.extensions["facerights.clock"].today()


def start(answers: dict, reference: str, request_date: date, source: str, events=()) -> None:
    """A case to continue: from an uploaded letter ("pdf") or typed by hand ("manual")."""
    session["answers"] = answers
    session["reference"] = reference
    session["request"] = {"date": request_date.isoformat(), "source": source,
                          "events": [record.encode_event(event) for event in events]}
    session["after"] = {}


def current() -> dict | None:
    """The case being continued and this journey's answers, or None when there is none (or the state
    holds one this version cannot read)."""
    answers = dict(session.get("answers", {}))
    saved = session.get("request")
    if not saved or "reference" not in session or not answers.get("request-type") or not answers.get("company"):
        return None
    # The registry's company, or one the person typed (a letter's record carries it, N-L12).
    if len(answers["company"].get("company", ())) != 1 or case_company(answers, registry(), "en") is None:
        return None
    try:
        request_date = date.fromisoformat(saved["date"])
        events = record.decode_events(saved["events"])
    except (KeyError, TypeError, ValueError):
        return None
    state = {"answers": answers, "after": dict(session.get("after", {})), "request_date": request_date,
             "source": saved["source"], "events": events}
    state["case"] = case_so_far(state)
    state["last_letter_label"] = last_letter_label(state["case"])
    return state


def case_so_far(state: dict) -> Case | None:
    """The case with its request and events, and the sending once the person has said when it went."""
    answers = state["answers"]
    if "your-details" not in answers or "letter-language" not in answers:
        return None  # typed by hand, and the person's details are still to come
    language = answers["letter-language"]["letter_language"]
    request = request_from_answers(answers, registry(), language=language, day=state["request_date"],
                                   reference=session["reference"], company=case_company(answers, registry(), language))
    case = Case(request, tuple(state["events"]))
    when = state["after"].get("sent")
    if case.sending is None and when:
        case = case.with_event(sent(date.fromisoformat(when["sent"]), when["channel"]))
    return case


def case_with_reply(state: dict) -> Case:
    """The case once the company's reply the person just described is added (its date and reference,
    and for an incomplete answer what it left out)."""
    case = state["case"]
    answer = state["after"].get("situation", {})
    situation = answer.get("situation")
    if not situation or not answer.get("replied"):
        return case
    missing = state["after"].get("received", {}).get("received", [])
    missing = tuple(item for item in values(AccessItem) if item not in missing) if situation == Situation.INCOMPLETE else ()
    # "It said it needed more time, and has still not answered": the reply is the announcement.
    kind = Situation.EXTENSION_ANNOUNCED if situation == Situation.EXTENDED_NO_ANSWER else situation
    event = reply(date.fromisoformat(answer["replied"]), kind, answer.get("their_reference", ""), missing)
    # A reply the uploaded letter already records (continued from "Your requests") is not added twice.
    return case if event in case.events else case.with_event(event)


def dates_of(case: Case) -> Dates:
    return timeline().dates(case, today())


def last_letter_label(case: Case | None) -> str | None:
    """"It has not answered my letter of 4 December 2026": when the person's last letter came after the
    company's last reply, silence is about that letter."""
    if case is None or case.last_letter is None or not case.last_letter.is_follow_up:
        return None
    if case.last_reply and case.last_reply.date > case.last_letter.date:
        return None
    return str(NO_ANSWER_TO_MY_LETTER) % {"date": format_page_date(case.last_letter.date, "long")}


def new_situation(store: dict) -> dict:
    """A new situation: the answers that belonged to the old one no longer apply."""
    return {key: value for key, value in store.items() if key in _KEPT_AFTER_A_NEW_SITUATION}


def forget_request() -> None:
    for key in ("request", "after"):
        session.pop(key, None)
