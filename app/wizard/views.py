"""GET shows a page, POST saves its answer and redirects (POST/redirect/GET).

Answers live only in the encrypted state cookie (see app/state.py).
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask import (Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from babel import Locale
from flask_babel import get_locale, gettext as _

from ..timelimit import TimeLimitExceeded, time_limit
from ..i18n import country_names
from ..state import STATE_BUDGET, state_size
from ..letters import letter_filename, letter_pdf
from ..letters.model import letter_from_answers, new_reference, web_addresses
from . import bp
from .forms import GROUNDS, REQUEST_TYPES, DownloadForm, EmptyForm
from .next_page import safe_next_url
from .steps import (STEPS, STEPS_BY_SLUG, Step, applicable_steps, first_unanswered, step_after, step_before,
                    wants_erasure, well_formed)

# Time a letter usually needs to arrive; the one-month deadline runs from receipt.
POSTAL_DELAY = timedelta(days=7)


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
        flash(_("Your answers were deleted because they were more than 2 hours old or could not be read. "
                "Please start again."), "info")
        if request.endpoint != "wizard.start":
            return redirect(url_for("wizard.start"))
    return None


def returning_to_check() -> bool:
    return request.args.get("return") == "check"


def step_url(step: Step) -> str:
    return url_for("wizard.step", slug=step.slug, **({"return": "check"} if returning_to_check() else {}))


def make_form(step: Step, answers: dict):
    kwargs = {"registry": registry()} if step.slug == "company" else {}
    return step.form(data=answers.get(step.slug), **kwargs)


def fits_in_state(slug: str, answer: dict) -> bool:
    answers = current_answers()
    answers[slug] = answer
    return state_size(answers) <= STATE_BUDGET


@bp.get("/")
def start():
    return render_template("wizard/start.html", has_answers=bool(session.get("answers")),
                           first_step=STEPS[0], form=EmptyForm())


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
        save_answer("company", {"company": slug})
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
    form = make_form(step, answers)
    if form.validate_on_submit():
        answer = form.answer()
        if fits_in_state(step.slug, answer):
            save_answer(step.slug, answer)
            return redirect(next_page_after(step))
        form.form_errors.append(_("Your answers are too long to keep. Shorten your longest answer."))
    previous = step_before(step, answers)
    back_url = (url_for("wizard.check_answers") if returning_to_check()
                else url_for("wizard.step", slug=previous.slug) if previous else url_for("wizard.start"))
    return render_template(step.template, form=form, step=step, back_url=back_url,
                           registry=registry()), 400 if request.method == "POST" else 200


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
    company = registry().get(answers["company"]["company"])
    country = country_names(str(get_locale())).get(details["country"], details["country"])

    def change(slug):
        return url_for("wizard.step", slug=slug, **{"return": "check"})

    # Translators: shown on "Check your answers" when no web page was given.
    no_web_pages = _("None")
    rows = [
        # Translators: row label on "Check your answers": what the person asks the company to do.
        {"key": _("Request"), "value": [REQUEST_TYPES[answers["request-type"]["request_type"]]],
         "change": change("request-type"), "hidden": _("what you want the company to do")},
        {"key": _("Company"), "value": [company.name], "change": change("company"), "hidden": _("company")},
        {"key": _("Name"), "value": [details["full_name"]], "change": change("your-details"), "hidden": _("name")},
        {"key": _("Email address"), "value": [details["email"]], "change": change("your-details"),
         "hidden": _("email address")},
        {"key": _("Postal address"), "value": [details["street"], f'{details["postcode"]} {details["city"]}', country],
         "change": change("your-details"), "hidden": _("postal address")},
        {"key": _("Web pages with photos of you"), "value": web_addresses(details["profile_urls"]) or [no_web_pages],
         "change": change("your-details"), "hidden": _("web pages")},
    ]
    if wants_erasure(answers):
        grounds = answers["erasure-grounds"]
        rows.append({"key": _("Reasons for deletion"), "value": [GROUNDS[g] for g in grounds["grounds"]],
                     "change": change("erasure-grounds"), "hidden": _("reasons for deletion")})
        if "objection" in grounds["grounds"]:
            rows.append({"key": _("Your reason for objecting"), "value": [grounds["objection_reason"]],
                         "change": change("erasure-grounds"), "hidden": _("reason for objecting")})
    return rows


def redirect_if_incomplete():
    missing = first_unanswered(current_answers(), registry())
    return redirect(url_for("wizard.step", slug=missing.slug)) if missing else None


@bp.get("/check-answers")
def check_answers():
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    last = applicable_steps(answers)[-1]
    return render_template("wizard/check_answers.html", rows=summary_rows(answers),
                           back_url=url_for("wizard.step", slug=last.slug))


def add_months(day: date, months: int) -> date:
    """Calendar months, as the GDPR counts them: 31 January + 1 month = 28 (29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_letter_language(company) -> str:
    """The company's request language if we have it, else the language of these pages."""
    languages = current_app.config["LANGUAGES"]
    return company.request_language if company.request_language in languages else str(get_locale())


def letter_reference() -> str:
    """One reference per set of answers, so that every download of it carries the same one."""
    if "reference" not in session:
        session["reference"] = new_reference(date.today())
    return session["reference"]


def make_letter(form: DownloadForm, answers: dict):
    letter = letter_from_answers(answers, registry(), language=form.letter_language.data, today=date.today(),
                                 reference=letter_reference(), photo=form.prepared_photo)
    return letter, letter_pdf(letter)


@bp.route("/download", methods=["GET", "POST"])
def download():
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    company = registry().get(answers["company"]["company"])
    form = DownloadForm(data={"letter_language": default_letter_language(company)})
    try:
        # Preparing the photo (in validation) and rendering share one time limit.
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            letter, pdf = make_letter(form, answers) if form.validate_on_submit() else (None, None)
    except TimeLimitExceeded:
        return render_template("errors/error.html", title=_("Your letter took too long to make"),
                               message=_("Please try again in a moment. If it happens again, shorten your "
                                         "longest answer.")), 503
    if pdf is not None:
        return Response(pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{letter_filename(letter)}"'})
    today = date.today()
    return render_template(
        "wizard/download.html", form=form, company=company, reference=letter_reference(),
        company_language_name=Locale.parse(company.request_language).get_display_name(str(get_locale())),
        request_type=answers["request-type"]["request_type"],
        due_by_email=add_months(today, 1), due_by_post=add_months(today + POSTAL_DELAY, 1),
        back_url=url_for("wizard.check_answers")), 400 if request.method == "POST" else 200


@bp.post("/delete-answers")
def delete_answers():
    if not EmptyForm().validate_on_submit():
        flash(_("The page had expired. Press \u201cDelete my answers\u201d again to delete them."), "error")
        return redirect(url_for("wizard.start"))
    session.clear()
    flash(_("Your answers have been deleted from this browser. This service kept no other copy of them."), "info")
    return redirect(url_for("wizard.start"))
