"""GET shows a page, POST saves its answer and redirects (POST/redirect/GET).

Answers live only in the encrypted state cookie (see app/state.py).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from babel import Locale
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from ..i18n import country_names, spoken_duration
from ..state import STATE_BUDGET, answers_lifetime, state_size
from ..companies import OTHER
from ..letters.model import EACH_COMPANY_LANGUAGE, chosen_slugs, web_addresses
from . import bp
from .forms import (DATE_PARTS, GROUNDS, MAX_REASON, MIN_REASON, OTHER_COMPANY_LABEL, REQUEST_TYPES, SENDING,
                    SUPPRESSION, DateInputField, EmptyForm)
from .next_page import safe_next_url
from .coverage import covered_elsewhere, is_covered, uncovered_companies
from .steps import (STEPS, STEPS_BY_SLUG, Step, applicable_steps, first_unanswered, objects, section_of,
                    step_after, step_before, wants_erasure, well_formed)


def registry():
    return current_app.extensions["facerights.registry"]


def current_answers() -> dict:
    return dict(session.get("answers", {}))


def save_answer(slug: str, answer: dict) -> None:
    answers = current_answers()
    answers[slug] = answer
    session["answers"] = answers


@bp.before_request
def refuse_unreadable_state():
    """An expired, altered or ill-formed state cookie: forget it and explain, from the start page."""
    if getattr(session, "rejected", False) or not well_formed(session.get("answers", {})):
        session.clear()
        flash(_("Your answers were deleted because they were more than %(duration)s old or could not be read. "
                "Please start again.", duration=spoken_duration(answers_lifetime(current_app.config))), "info")
        if request.endpoint != "wizard.start":
            return redirect(url_for("wizard.start"))
    return None


def returning_to_check() -> bool:
    return request.args.get("return") == "check"


def step_url(step: Step) -> str:
    return url_for("wizard.step", slug=step.slug, **({"return": "check"} if returning_to_check() else {}))


def make_form(step: Step, answers: dict, draft: dict | None = None):
    return step.form(data=draft or answers.get(step.slug), **step.form_context(answers, registry()))


def fits_in_state(slug: str, answer: dict) -> bool:
    answers = current_answers()
    answers[slug] = answer
    return state_size(answers) <= STATE_BUDGET


def only_chosen_company(answers: dict):
    """The company of the registry written to when it is the only one chosen, else None."""
    slugs = chosen_slugs(answers)
    return registry().get(slugs[0]) if len(slugs) == 1 and slugs[0] != OTHER else None


@bp.get("/")
def start():
    answers = current_answers()
    # A campaign link (/company/pimeyes) chooses the company and nothing else: that is not "earlier answers".
    return render_template("wizard/start.html", has_answers=any(slug != "company" for slug in answers),
                           chosen_company=only_chosen_company(answers),
                           first_step=STEPS[0])


@bp.get("/language")
def languages():
    """Every page language by its own name, one link each (GOV.UK-style: the header links here, so that
    24 languages fit a 320 px screen); each link comes back to the page the person was on."""
    back = safe_next_url(request.args.get("next"))
    return render_template("language.html", next_url=back, back_url=back)


@bp.get("/language/<code>")
def choose_language(code: str):
    """The language switcher: plain links, no JavaScript; the choice lasts for the visit."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next_url(request.args.get("next")))


@bp.get("/company/<slug>")
def company_link(slug: str):
    """Campaign links (/company/clearview-ai) preselect a company; the person can change it.
    A GET can be triggered by any site: it never replaces a company already chosen."""
    if registry().get(slug) is None:
        abort(404)
    if "company" not in current_answers():
        save_answer("company", {"company": [slug]})
    return redirect(url_for("wizard.start"))


@bp.route("/<slug>", methods=["GET", "POST"])
def step(slug: str):
    step = STEPS_BY_SLUG.get(slug) or abort(404)
    answers = current_answers()
    if not step.applies(answers):
        return redirect(url_for("wizard.check_answers"))
    missing = first_unanswered(answers, registry(), before=step)
    if missing:
        return redirect(url_for("wizard.step", slug=missing.slug))
    if step.needs_coverage and not is_covered(answers, registry()):
        return redirect(url_for("wizard.not_covered"))
    if request.method == "POST" and "switch_language" in request.form:
        return switch_language_keeping_draft(step, make_form(step, answers))
    form = make_form(step, answers, draft=take_draft(step))
    if form.validate_on_submit():
        answer = form.answer()
        if fits_in_state(step.slug, answer):
            save_answer(step.slug, answer)
            return redirect(next_page_after(step))
        form.form_errors.append(_("Your answers are too long to keep. Shorten your longest answer."))
    previous = step_before(step, answers)
    back_url = (url_for("wizard.check_answers") if returning_to_check()
                else url_for("wizard.step", slug=previous.slug) if previous else url_for("wizard.start"))
    number, count, section = section_of(step)
    return render_template(step.template, form=form, step=step, back_url=back_url, registry=registry(),
                           language_switch_keeps_draft=True,
                           # Translators: the caption above a question, e.g. "Part 2 of 3: About you".
                           caption=_("Part %(number)d of %(count)d: %(section)s", number=number, count=count,
                                     section=section),
                           answers=answers, company=only_chosen_company(answers),
                           min_reason=MIN_REASON, max_reason=MAX_REASON,
                           letter_language_name=letter_language_name(answers)), 400 if request.method == "POST" else 200


def switch_language_keeping_draft(step, form):
    """The header's language control on a question page (of the wizard or of the follow-up) is a button of the
    page's form: what was typed is kept, shown again in the new language once the person has chosen it on the
    language page. ``form``, the page's form, names the fields."""
    draft = {field.name: typed_in(field) for field in form if field.name != "csrf_token"}
    try:
        validate_csrf(request.form.get("csrf_token"))
        answers = current_answers()
        if state_size({**answers, "draft": draft}) <= STATE_BUDGET:
            session["draft"] = {"slug": step.slug, "data": draft}
    except (CSRFError, ValidationError):
        pass  # an expired page: the language changes, the typed text is not kept
    return redirect(url_for("wizard.languages", next=request.full_path if request.query_string else request.path))


def typed_in(field):
    """What the person has typed or ticked in one field of the posted page, as its form takes it back as data:
    the values of checkboxes, the three boxes of a date (DateInputField) as they are, else the text."""
    if field.type == "MultiCheckboxField":
        return request.form.getlist(field.name)
    if isinstance(field, DateInputField):
        return {part: request.form.get(f"{field.name}-{part}", "") for part in DATE_PARTS}
    return request.form.get(field.name, "")


def take_draft(step) -> dict | None:
    """Unsaved text of this page kept over a change of language, once."""
    draft = session.pop("draft", None) if "draft" in session else None
    return draft["data"] if draft and draft.get("slug") == step.slug else None


def letter_language_name(answers: dict) -> str | None:
    """The letter language's name in the page language, once chosen."""
    code = answers.get("letter-language", {}).get("letter_language")
    if code == EACH_COMPANY_LANGUAGE:
        return _("Each company's own language")
    return language_name_here(code) if code else None


def language_name_here(code: str) -> str:
    """A language's name in the page language ("Greek" on an English page)."""
    return Locale.parse(code).get_display_name(str(get_locale()))


def next_page_after(step: Step) -> str:
    answers = current_answers()
    missing = first_unanswered(answers, registry())
    if missing:
        return step_url(missing)
    following = step_after(step, answers)
    if following and not returning_to_check():
        return url_for("wizard.step", slug=following.slug)
    return url_for("wizard.check_answers")


def summary_rows(answers: dict) -> list[dict]:
    """Question, answer and Change link of each answer, for "check your answers"."""
    details = answers["your-details"]
    countries = country_names(str(get_locale()))
    country = countries.get(details["country"], details["country"])
    names = [OTHER_COMPANY_LABEL if slug == OTHER else registry().get(slug).brand for slug in chosen_slugs(answers)]
    address = [line for line in (details.get("street"), details.get("address_line_2"),
                                 f'{details.get("postcode") or ""} {details.get("city") or ""}'.strip()) if line]

    def change(slug):
        return url_for("wizard.step", slug=slug, **{"return": "check"})

    # Translators: shown on "Check your answers" when no web page was given.
    no_web_pages = _("None")
    rows = [
        # Translators: row label on "Check your answers": what the person asks the company to do.
        {"key": _("Request"), "value": [REQUEST_TYPES[answers["request-type"]["request_type"]]],
         "change": change("request-type"), "hidden": _("what you want the company to do")},
        {"key": _("Companies") if len(names) > 1 else _("Company"), "value": names, "change": change("company"),
         "hidden": _("companies") if len(names) > 1 else _("company")},
        # Translators: row label on "Check your answers": by post, by email, through their web form.
        {"key": _("How you will send it"), "value": sending_lines(answers["sending"]["channels"]),
         "change": change("sending"), "hidden": _("how you will send it")},
        {"key": _("Name"), "value": [details["full_name"]], "change": change("your-details"), "hidden": _("name")},
        {"key": _("Email address"), "value": [details["email"]], "change": change("your-details"),
         "hidden": _("email address")},
        {"key": _("Postal address"), "value": address + [country],
         "change": change("your-details"), "hidden": _("postal address")},
        {"key": _("Web pages with photos of you"), "value": web_addresses(details["profile_urls"]) or [no_web_pages],
         "change": change("your-details"), "hidden": _("web pages")},
        {"key": _("Language of the letter"), "value": [letter_language_name(answers)],
         "change": change("letter-language"), "hidden": _("language of the letter")},
    ]
    if "other-company" in answers and OTHER in chosen_slugs(answers):
        rows.insert(2, other_company_row(answers["other-company"], countries, change("other-company")))
    if wants_erasure(answers):
        grounds = answers["erasure-grounds"]
        rows.append({"key": _("Reasons for deletion"), "value": [GROUNDS[g] for g in grounds["grounds"]],
                     "change": change("erasure-grounds"), "hidden": _("reasons for deletion")})
        if objects(answers):
            rows.append({"key": _("Your reason for objecting"), "value": [answers["objection-reason"]["objection_reason"]],
                         "change": change("objection-reason"), "hidden": _("reason for objecting")})
        rows.append({"key": _("What they may keep"), "value": [SUPPRESSION[answers["recollection"]["suppression"]]],
                     "change": change("recollection"), "hidden": _("what they may keep")})
    return rows


def sending_lines(channels: list[str]) -> list[str]:
    """The ways chosen, and what a letter both posted and emailed says about it (told here rather than
    on the sending page, where it came before the choice and confused more than it helped)."""
    lines = [SENDING[channel] for channel in channels]
    if "letter" in channels and "email" in channels:
        lines.append(_("A letter that you post and also email says so on it."))
    return lines


def other_company_row(typed: dict, countries: dict, change_url: str) -> dict:
    lines = [typed["name"]]
    if typed["street"]:
        lines += [typed["street"], f'{typed["postcode"]} {typed["city"]}'.strip()]
    lines.append(countries.get(typed["country"], typed["country"]))
    if typed["email"]:
        lines.append(typed["email"])
    # Translators: row label on "Check your answers" for the company the person typed.
    return {"key": _("Another company (typed by you)"), "value": lines, "change": change_url,
            "hidden": _("the other company")}


def redirect_if_incomplete():
    answers = current_answers()
    missing = first_unanswered(answers, registry())
    if missing and missing.needs_coverage and not is_covered(answers, registry()):
        return redirect(url_for("wizard.not_covered"))
    return redirect(url_for("wizard.step", slug=missing.slug)) if missing else None


@bp.get("/not-covered")
def not_covered():
    """No law we write under covers a letter to any chosen company from where the person lives (neither the
    companies' establishment nor the person's residence brings one): say why, and what else they can do."""
    answers = current_answers()
    country = answers.get("your-details", {}).get("country")
    if not country or is_covered(answers, registry()):
        return redirect(url_for("wizard.start"))
    return render_template("wizard/not_covered.html", country=country,
                           country_name=country_names(str(get_locale())).get(country, country),
                           companies=uncovered_companies(answers, registry()),
                           covered_elsewhere=covered_elsewhere(country, registry()),
                           companies_url=url_for("wizard.step", slug="company", **{"return": "check"}),
                           back_url=url_for("wizard.step", slug="your-details", **{"return": "check"}))


@bp.get("/check-answers")
def check_answers():
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    last = applicable_steps(answers)[-1]
    country = answers["your-details"]["country"]
    return render_template("wizard/check_answers.html", rows=summary_rows(answers),
                           uncovered=[company.brand for company in uncovered_companies(answers, registry())],
                           country_name=country_names(str(get_locale())).get(country, country),
                           back_url=url_for("wizard.step", slug=last.slug))


def answers_to_delete() -> bool:
    return bool(session.get("answers"))


@bp.get("/delete-answers")
def confirm_delete_answers():
    """Deleting cannot be undone: ask on a page of its own (no JavaScript needed)."""
    back = safe_next_url(request.args.get("next"))
    if not answers_to_delete():
        return redirect(url_for("wizard.start"))
    return render_template("wizard/delete_answers.html", form=EmptyForm(), cancel_url=back, back_url=back)


@bp.post("/delete-answers")
def delete_answers():
    if not EmptyForm().validate_on_submit():
        flash(_("The page had expired. Press \u201cDelete my answers\u201d again to delete them."), "error")
        return redirect(url_for("wizard.start"))
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language  # the person's choice of page language is not an answer
    flash(_("Your answers have been deleted from this browser. This service kept no other copy of them."), "info")
    return redirect(url_for("wizard.start"))
