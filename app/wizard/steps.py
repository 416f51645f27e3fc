"""The wizard's question pages, in order, and which answers each one needs."""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.core import UnboundField

from ..companies import OTHER
from ..letters.model import CHANNELS, EACH_COMPANY_LANGUAGE, companies_chosen
from .coverage import configured_languages, is_covered, letter_languages  # noqa: F401  (is_covered: the views ask it here)
from .forms import (COUNTRIES_WITHOUT_POSTCODES, GROUNDS, REQUEST_TYPES, SUPPRESSION, CompanyForm, DetailsForm,
                    GroundsForm, LetterLanguageForm, ObjectionForm, OtherCompanyForm, RecollectionForm,
                    RequestTypeForm, SendingForm)

Answers = dict


def _always(answers: Answers) -> bool:
    return True


def _no_context(answers: Answers, registry) -> dict:
    return {}


def _still_valid(answer: dict, answers: Answers, registry) -> bool:
    return True


def wants_erasure(answers: Answers) -> bool:
    return answers.get("request-type", {}).get("request_type") in ("erasure", "both")


def objects(answers: Answers) -> bool:
    return wants_erasure(answers) and "objection" in answers.get("erasure-grounds", {}).get("grounds", ())


def sends_by_post(answers: Answers) -> bool:
    return "letter" in answers.get("sending", {}).get("channels", ())


def wants_other_company(answers: Answers) -> bool:
    return OTHER in answers.get("company", {}).get("company", [])


def _companies_exist(answer: dict, answers: Answers, registry) -> bool:
    # A record removed from the registry since the person chose it.
    slugs = answer.get("company") or []
    return bool(slugs) and all(slug == OTHER or registry.get(slug) is not None for slug in slugs)


def chosen_channels(answers: Answers, registry) -> tuple[str, ...]:
    """Every way at least one chosen company can be reached, in the usual order (each letter then
    names only the chosen ways its own company offers)."""
    companies = companies_chosen(answers, registry, configured_languages())
    if len(companies) == 1:
        return companies[0].channels  # in the order the company recommends
    return tuple(channel for channel in CHANNELS
                 if any(channel in company.channels for company in companies))


def _channels_offered(answer: dict, answers: Answers, registry) -> bool:
    # The companies may have changed since, to ones without this channel.
    offered = chosen_channels(answers, registry)
    return bool(offered) and set(answer.get("channels", ())) <= set(offered)


def _address_complete_enough(answer: dict, answers: Answers, registry) -> bool:
    # A person who now sends by post, and gave no address when sending by email, is asked for it again.
    if not sends_by_post(answers):
        return True
    postcode_needed = answer.get("country") not in COUNTRIES_WITHOUT_POSTCODES
    return bool(answer.get("street") and answer.get("city") and (answer.get("postcode") or not postcode_needed))


def _sending_context(answers: Answers, registry) -> dict:
    companies = companies_chosen(answers, registry, configured_languages())
    return {"companies": companies, "channels": chosen_channels(answers, registry)}


def _details_context(answers: Answers, registry) -> dict:
    return {"posting": sends_by_post(answers), "several": len(answers.get("company", {}).get("company", [])) > 1}


def _language_allowed(answer: dict, answers: Answers, registry) -> bool:
    # The country or the companies, and so the law, may have changed since: the UK GDPR letter is English
    # only; and "each company's own language" is offered only for several companies.
    allowed = letter_languages(answers, registry)
    language = answer.get("letter_language", "")
    if language == EACH_COMPANY_LANGUAGE:
        return bool(allowed) and len(answers.get("company", {}).get("company", [])) > 1
    return language in allowed


# The parts of the journey, each captioned "Part 2 of 3: About you" on its pages. Whatever the answers,
# there are three, so the caption never changes its total half-way (as "Question 2 of 7" after
# "Question 1 of 5" did once erasure added its pages).
SECTIONS = {
    "request": _l("Your request"),
    "about-you": _l("About you"),
    "letter": _l("Your letter"),
}


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    template: str
    title: object  # a lazy string: the page heading, also the row label on "check your answers"
    section: str  # one of SECTIONS
    applies: Callable[[Answers], bool] = _always
    # Steps after "your details" write a letter under a law that must cover the person.
    needs_coverage: bool = False
    # Extra keyword arguments the step's form needs.
    form_context: Callable[[Answers, object], dict] = _no_context
    # Whether a saved answer still holds, given the other answers and the registry.
    still_valid: Callable[[dict, Answers, object], bool] = _still_valid


STEPS: tuple[Step, ...] = (
    Step("request-type", RequestTypeForm, "wizard/request_type.html", _l("What do you want the company to do?"),
         "request"),
    Step("company", CompanyForm, "wizard/company.html", _l("Which companies do you want to write to?"), "request",
         form_context=lambda answers, registry: {"registry": registry}, still_valid=_companies_exist),
    Step("other-company", OtherCompanyForm, "wizard/other_company.html", _l("The other company"), "request",
         applies=wants_other_company),
    Step("sending", SendingForm, "wizard/sending.html", _l("How will you send the letter?"), "request",
         form_context=_sending_context, still_valid=_channels_offered),
    Step("your-details", DetailsForm, "wizard/your_details.html", _l("Your details"), "about-you",
         form_context=_details_context, still_valid=_address_complete_enough),
    Step("letter-language", LetterLanguageForm, "wizard/letter_language.html", _l("Which language should the letter be in?"),
         "letter", needs_coverage=True,
         form_context=lambda answers, registry: {"answers": answers, "registry": registry},
         still_valid=_language_allowed),
    Step("erasure-grounds", GroundsForm, "wizard/erasure_grounds.html", _l("Why must they delete your data?"), "letter",
         applies=wants_erasure, needs_coverage=True),
    Step("objection-reason", ObjectionForm, "wizard/objection_reason.html", _l("Why do you object?"), "letter",
         applies=objects, needs_coverage=True),
    Step("recollection", RecollectionForm, "wizard/recollection.html",
         _l("What may they keep to stop collecting your photos again?"), "letter", applies=wants_erasure,
         needs_coverage=True),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def applicable_steps(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def is_answered(step: Step, answers: Answers, registry) -> bool:
    answer = answers.get(step.slug)
    return bool(answer) and step.still_valid(answer, answers, registry)


def first_unanswered(answers: Answers, registry, before: Step | None = None) -> Step | None:
    """The first page still to answer (only pages before ``before``, if given)."""
    for step in applicable_steps(answers):
        if step is before:
            return None
        if not is_answered(step, answers, registry):
            return step
    return None


def section_of(step: Step) -> tuple[int, int, object]:
    """"Part 2 of 3: About you": the number of this page's part, how many parts there are, and its name."""
    slugs = list(SECTIONS)
    return slugs.index(step.section) + 1, len(slugs), SECTIONS[step.section]


def step_after(step: Step, answers: Answers) -> Step | None:
    steps = applicable_steps(answers)
    position = steps.index(step)
    return steps[position + 1] if position + 1 < len(steps) else None


def step_before(step: Step, answers: Answers) -> Step | None:
    steps = applicable_steps(answers)
    position = steps.index(step)
    return steps[position - 1] if position > 0 else None


def _answer_shape(form_class) -> dict[str, type | tuple[type, ...]]:
    """The answer a page saves (BaseForm.answer): each field of its form but the CSRF token,
    a list for multiple choices (the companies, the channels...) and text (or nothing, for a field
    left out) for the others."""
    return {name: list if issubclass(field.field_class, SelectMultipleField) else (str, type(None))
            for name, field in inspect.getmembers(form_class) if isinstance(field, UnboundField)}


# The shape each page's answer has in the state, from the page's own form.
_ANSWER_FIELDS = {step.slug: _answer_shape(step.form) for step in STEPS}


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
    if answers.get("recollection", {}).get("suppression", "addresses") not in SUPPRESSION:
        return False
    grounds = answers.get("erasure-grounds", {}).get("grounds", [])
    slugs = answers.get("company", {}).get("company", [])
    return (all(isinstance(ground, str) and ground in GROUNDS for ground in grounds)
            and all(isinstance(slug, str) for slug in slugs))
