"""The questions after the letter, in order, and which answers each one needs.

The person's details and the letter language are the wizard's own pages (its forms
and templates), asked only when the request was entered by hand; their answers go
with the wizard's. The others are this journey's own and live under "after".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from ..case.vocabulary import Situation
from ..wizard.forms import DetailsForm, LetterLanguageForm
from .forms import PhotoReplyForm, ReceivedForm, SentForm, SituationForm


def _always(state: dict) -> bool:
    return True


def situation_of(state: dict) -> str | None:
    return state["after"].get("situation", {}).get("situation")


def _not_yet_sent(state: dict) -> bool:
    """The request's sending is asked once: a later letter of the case carries it."""
    return state["case"] is None or state["case"].sending is None


def _channel_of_the_letter(state: dict) -> dict | None:
    """The way the letter went, when it names only one."""
    case = state["case"]
    ways = case.request.sent_by if case else ()
    return {"channel": ways[0]} if len(ways) == 1 else None


def _gave_web_pages(state: dict) -> bool:
    """A photo demand may be answered with the web pages instead only when the request gave some (N-M6)."""
    return (situation_of(state) == Situation.ASKED_FOR_PHOTO and state["case"] is not None
            and bool(state["case"].person.profile_urls))


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    template: str
    title: object
    # "answers": a wizard page whose answer the wizard shares; "after": this journey's own.
    store: str = "after"
    applies: Callable[[dict], bool] = _always
    form_context: Callable[[dict, object], dict] = lambda state, registry: {}
    # What the page shows before it is answered (for example what the letter itself says).
    defaults: Callable[[dict], dict | None] = lambda state: None


STEPS: tuple[Step, ...] = (
    Step("your-details", DetailsForm, "wizard/your_details.html", _l("Your details"), store="answers",
         applies=lambda state: state["source"] == "manual",
         form_context=lambda state, registry: {"posting": False}),
    Step("letter-language", LetterLanguageForm, "wizard/letter_language.html",
         _l("Which language should the letter be in?"), store="answers",
         applies=lambda state: state["source"] == "manual",
         form_context=lambda state, registry: {"answers": state["answers"], "registry": registry}),
    Step("sent", SentForm, "followup/sent.html", _l("When and how did you send your letter?"),
         applies=_not_yet_sent, defaults=_channel_of_the_letter,
         form_context=lambda state, registry: {"request_date": state["request_date"]}),
    Step("situation", SituationForm, "followup/question.html", _l("What has the company done?"),
         form_context=lambda state, registry: {"request_type": state["answers"]["request-type"]["request_type"],
                                               "request_date": state["request_date"],
                                               "last_letter_label": state["last_letter_label"]}),
    Step("received", ReceivedForm, "followup/question.html", _l("What did the company send you?"),
         applies=lambda state: situation_of(state) == Situation.INCOMPLETE),
    Step("photo-reply", PhotoReplyForm, "followup/question.html", _l("Do you want to send them a photo?"),
         applies=_gave_web_pages),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def answer_of(step: Step, state: dict) -> dict | None:
    return state[step.store].get(step.slug)


def first_unanswered(state: dict, before: Step | None = None) -> Step | None:
    for step in STEPS:
        if step is before:
            return None
        if step.applies(state) and not answer_of(step, state):
            return step
    return None


def step_before(step: Step, state: dict) -> Step | None:
    earlier = [s for s in STEPS[:STEPS.index(step)] if s.applies(state)]
    return earlier[-1] if earlier else None
