"""The wizard's question pages, in order, and which answers each one needs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from .forms import GROUNDS, REQUEST_TYPES, CompanyForm, DetailsForm, GroundsForm, RequestTypeForm

Answers = dict


def _always(answers: Answers) -> bool:
    return True


def wants_erasure(answers: Answers) -> bool:
    return answers.get("request-type", {}).get("request_type") in ("erasure", "both")


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    template: str
    title: object  # a lazy string: the page heading, also the row label on "check your answers"
    applies: Callable[[Answers], bool] = _always


STEPS: tuple[Step, ...] = (
    Step("request-type", RequestTypeForm, "wizard/request_type.html", _l("What do you want the company to do?")),
    Step("company", CompanyForm, "wizard/company.html", _l("Which company do you want to write to?")),
    Step("your-details", DetailsForm, "wizard/your_details.html", _l("Your details")),
    Step("erasure-grounds", GroundsForm, "wizard/erasure_grounds.html", _l("Why must they delete your data?"),
         applies=wants_erasure),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def applicable_steps(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def is_answered(step: Step, answers: Answers, registry) -> bool:
    answer = answers.get(step.slug)
    if not answer:
        return False
    if step.slug == "company":
        # A record removed from the registry since the person chose it.
        return registry.get(answer.get("company")) is not None
    return True


def first_unanswered(answers: Answers, registry, before: Step | None = None) -> Step | None:
    """The first page still to answer (only pages before ``before``, if given)."""
    for step in applicable_steps(answers):
        if step is before:
            return None
        if not is_answered(step, answers, registry):
            return step
    return None


def step_after(step: Step, answers: Answers) -> Step | None:
    steps = applicable_steps(answers)
    position = steps.index(step)
    return steps[position + 1] if position + 1 < len(steps) else None


def step_before(step: Step, answers: Answers) -> Step | None:
    steps = applicable_steps(answers)
    position = steps.index(step)
    return steps[position - 1] if position > 0 else None


# The shape each page's answer has in the state (what its form's answer() returns).
_ANSWER_FIELDS = {
    "request-type": {"request_type": str},
    "company": {"company": str},
    "your-details": {name: str for name in ("full_name", "email", "street", "postcode", "city", "country",
                                            "profile_urls")},
    "erasure-grounds": {"grounds": list, "objection_reason": str},
}


def well_formed(answers) -> bool:
    """Answers of the shape this version's pages save: anything else cannot be shown or made into a letter."""
    if not isinstance(answers, dict) or not set(answers) <= set(_ANSWER_FIELDS):
        return False
    for slug, answer in answers.items():
        fields = _ANSWER_FIELDS[slug]
        if not isinstance(answer, dict) or set(answer) != set(fields):
            return False
        if not all(isinstance(answer[name], kind) for name, kind in fields.items()):
            return False
    if answers.get("request-type", {}).get("request_type", "access") not in REQUEST_TYPES:
        return False
    grounds = answers.get("erasure-grounds", {}).get("grounds", [])
    return all(isinstance(ground, str) and ground in GROUNDS for ground in grounds)
