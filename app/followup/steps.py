"""The questions after the letter, in order, and which answers each one needs.

The person's details and the letter language are the wizard's own pages (its forms
and templates), asked only when the request was entered by hand; their answers go
with the wizard's. The others are this journey's own and live under "after".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from ..wizard.forms import DetailsForm, LetterLanguageForm
from .forms import PhotoReplyForm, ReceivedForm, RefusalForm, SentForm, SituationForm


def _always(state: dict) -> bool:
    return True


def _situation(state: dict) -> str | None:
    return state["after"].get("situation", {}).get("situation")


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


STEPS: tuple[Step, ...] = (
    Step("your-details", DetailsForm, "wizard/your_details.html", _l("Your details"), store="answers"),
    Step("letter-language", LetterLanguageForm, "wizard/letter_language.html",
         _l("Which language should the letter be in?"), store="answers",
         form_context=lambda state, registry: {"answers": state["answers"], "registry": registry}),
    Step("sent", SentForm, "followup/sent.html", _l("When and how did you send your letter?"),
         form_context=lambda state, registry: {"request_date": state["request_date"]}),
    Step("situation", SituationForm, "followup/question.html", _l("What has the company done?"),
         form_context=lambda state, registry: {"request_type": state["answers"]["request-type"]["request_type"]}),
    Step("received", ReceivedForm, "followup/question.html", _l("What did the company send you?"),
         applies=lambda state: _situation(state) == "incomplete"),
    Step("photo-reply", PhotoReplyForm, "followup/question.html", _l("Do you want to send them a photo?"),
         applies=lambda state: _situation(state) == "asked-for-photo"),
    Step("refusal", RefusalForm, "followup/question.html", _l("What did the company say?"),
         applies=lambda state: _situation(state) == "erasure-refused"),
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
