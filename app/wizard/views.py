"""GET shows a page, POST saves its answer and redirects (POST/redirect/GET).

Answers live only in the encrypted state cookie (see app/state.py).
"""
from __future__ import annotations

import time
from datetime import date

from flask import (Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from babel import Locale
from flask_babel import get_locale, gettext as _

from ..timelimit import TimeLimitExceeded, time_limit
from ..i18n import country_names
from ..law.deadlines import answer_due, expected_receipt
from ..law.scope import coverage
from ..state import STATE_BUDGET, state_size
from ..companies import OTHER
from ..letters import letter_filename, letter_pdf
from ..letters.bundle import MadeLetter, letters_zip, zip_filename
from ..letters.email import mailto_link
from ..letters.text import letter_text
from ..letters.model import (EACH_COMPANY_LANGUAGE, chosen_companies, chosen_slugs, letter_from_answers,
                             new_reference, web_addresses)
from . import bp
from .signals import letter_made
from .forms import GROUNDS, OTHER_COMPANY_LABEL, REQUEST_TYPES, SUPPRESSION, DownloadForm, EmptyForm
from .next_page import safe_next_url
from .steps import (STEPS, STEPS_BY_SLUG, Step, applicable_steps, first_unanswered, is_covered, step_after,
                    step_before, wants_erasure, well_formed)


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
    return step.form(data=answers.get(step.slug), **step.form_context(answers, registry()))


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
    if step.needs_coverage and not is_covered(answers):
        return redirect(url_for("wizard.not_covered"))
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
    return render_template(step.template, form=form, step=step, back_url=back_url, registry=registry(),
                           letter_language_name=letter_language_name(answers)), 400 if request.method == "POST" else 200


def letter_language_name(answers: dict) -> str | None:
    """The letter language's name in the page language, once chosen."""
    code = answers.get("letter-language", {}).get("letter_language")
    if code == EACH_COMPANY_LANGUAGE:
        return _("Each company's own language")
    return Locale.parse(code).get_display_name(str(get_locale())) if code else None


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
    names = [OTHER_COMPANY_LABEL if slug == OTHER else registry().get(slug).name for slug in chosen_slugs(answers)]

    def change(slug):
        return url_for("wizard.step", slug=slug, **{"return": "check"})

    # Translators: shown on "Check your answers" when no web page was given.
    no_web_pages = _("None")
    rows = [
        # Translators: row label on "Check your answers": what the person asks the company to do.
        {"key": _("Request"), "value": [REQUEST_TYPES[answers["request-type"]["request_type"]]],
         "change": change("request-type"), "hidden": _("what you want the company to do")},
        {"key": _("Companies") if len(names) > 1 else _("Company"), "value": names, "change": change("company"),
         "hidden": _("companies")},
        {"key": _("Name"), "value": [details["full_name"]], "change": change("your-details"), "hidden": _("name")},
        {"key": _("Email address"), "value": [details["email"]], "change": change("your-details"),
         "hidden": _("email address")},
        {"key": _("Postal address"), "value": [details["street"], f'{details["postcode"]} {details["city"]}', country],
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
        if "objection" in grounds["grounds"]:
            rows.append({"key": _("Your reason for objecting"), "value": [grounds["objection_reason"]],
                         "change": change("erasure-grounds"), "hidden": _("reason for objecting")})
        rows.append({"key": _("What they may keep"), "value": [SUPPRESSION[answers["recollection"]["suppression"]]],
                     "change": change("recollection"), "hidden": _("what they may keep")})
    return rows


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
    if missing and missing.needs_coverage and not is_covered(answers):
        return redirect(url_for("wizard.not_covered"))
    return redirect(url_for("wizard.step", slug=missing.slug)) if missing else None


@bp.get("/not-covered")
def not_covered():
    """The person lives where no law we write letters under protects them: say why, and what else they can do."""
    answers = current_answers()
    country = answers.get("your-details", {}).get("country")
    if not country or is_covered(answers):
        return redirect(url_for("wizard.start"))
    slugs = chosen_slugs(answers)
    company = registry().get(slugs[0]) if len(slugs) == 1 else None
    return render_template("wizard/not_covered.html", country=country,
                           country_name=country_names(str(get_locale())).get(country, country), company=company,
                           back_url=url_for("wizard.step", slug="your-details", **{"return": "check"}))


@bp.get("/check-answers")
def check_answers():
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    last = applicable_steps(answers)[-1]
    return render_template("wizard/check_answers.html", rows=summary_rows(answers),
                           back_url=url_for("wizard.step", slug=last.slug))


def letter_reference(slug: str | None = None) -> str:
    """One reference per company and set of answers, so that every download of it carries the same one.
    The first company's is the visit's reference (the calendar and the follow-ups use it)."""
    slugs = chosen_slugs(current_answers())
    if slug is None or not slugs or slug == slugs[0]:
        if "reference" not in session:
            session["reference"] = new_reference(date.today())
        return session["reference"]
    references = dict(session.get("references", {}))
    if slug not in references:
        references[slug] = new_reference(date.today())
        session["references"] = references
    return references[slug]


def make_letters(form: DownloadForm, answers: dict) -> list[MadeLetter]:
    """Every chosen company's letter, rendered in turn (the caller's time limit stops the lot)."""
    made = []
    for company, language in chosen_companies(answers, registry(), current_app.config["LANGUAGES"]):
        chosen = tuple(channel for channel in form.channels.data if channel in company.channels)
        letter = letter_from_answers(answers, registry(), language=language, today=date.today(),
                                     reference=letter_reference(company.slug), photo=form.prepared_photo,
                                     channels=chosen, company=company)
        started = time.perf_counter()
        pdf = letter_pdf(letter)
        letter_made.send(current_app._get_current_object(), letter=letter,
                         render_seconds=time.perf_counter() - started)
        made.append(MadeLetter(letter, letter_filename(letter), pdf))
    return made


def letters_response(made: list[MadeLetter]) -> Response:
    """One letter: its PDF. Several: a ZIP with an index."""
    if len(made) == 1:
        return Response(made[0].pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{made[0].filename}"'})
    today = date.today()
    return Response(letters_zip(made, today), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{zip_filename(made, today)}"'})


def channels_offered(companies) -> tuple[str, ...]:
    """Every way at least one chosen company can be reached, in the usual order."""
    return tuple(channel for channel in ("letter", "email", "webform")
                 if any(channel in company.channels for company in companies))


@bp.route("/download", methods=["GET", "POST"])
def download():
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    companies = [company for company, _language in chosen_companies(answers, registry(),
                                                                    current_app.config["LANGUAGES"])]
    several = len(companies) > 1
    company = companies[0]
    form = DownloadForm(company=channels_offered(companies) if several else company)
    try:
        # Preparing the photo (in validation) and rendering every letter share one time limit.
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            made = make_letters(form, answers) if form.validate_on_submit() else None
    except TimeLimitExceeded:
        message = (_("Please try again in a moment, or choose fewer companies at once. If it happens again, "
                     "shorten your longest answer.") if several else
                   _("Please try again in a moment. If it happens again, shorten your longest answer."))
        return render_template("errors/error.html", title=_("Your letter took too long to make"),
                               message=message), 503
    if made is not None:
        return letters_response(made)
    today = date.today()
    return render_template(
        "wizard/download.html", form=form, company=company, companies=companies, several=several,
        references={c.slug: letter_reference(c.slug) for c in companies}, reference=letter_reference(),
        ready_emails=ready_emails(answers),
        request_type=answers["request-type"]["request_type"],
        coverage=coverage(answers["your-details"]["country"]),
        due_by_email=answer_due(expected_receipt(today, "email"), company.country),
        due_by_post=answer_due(expected_receipt(today, "letter"), company.country),
        back_url=url_for("wizard.check_answers")), 400 if request.method == "POST" else 200


def unrendered_letters(answers: dict) -> list:
    """Each chosen company's letter (not rendered), as the download would make it with every channel."""
    return [letter_from_answers(answers, registry(), language=language, today=date.today(),
                                reference=letter_reference(company.slug), company=company)
            for company, language in chosen_companies(answers, registry(), current_app.config["LANGUAGES"])]


def ready_emails(answers: dict) -> list[dict]:
    """For the download page: each company's name, mailto: link (or None) and text view address."""
    return [{"company": letter.company, "mailto": mailto_link(letter),
             "text_url": url_for("wizard.letter_as_text", slug=letter.company.slug)}
            for letter in unrendered_letters(answers)]


@bp.get("/letter-text/<slug>")
def letter_as_text(slug: str):
    """The whole letter to one chosen company as plain text, to paste into a web form or an email."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    letter = next((letter for letter in unrendered_letters(current_answers()) if letter.company.slug == slug), None)
    if letter is None:
        abort(404)
    return render_template("wizard/letter_text.html", letter=letter, text=letter_text(letter),
                           back_url=url_for("wizard.download"))


@bp.post("/delete-answers")
def delete_answers():
    if not EmptyForm().validate_on_submit():
        flash(_("The page had expired. Press \u201cDelete my answers\u201d again to delete them."), "error")
        return redirect(url_for("wizard.start"))
    session.clear()
    flash(_("Your answers have been deleted from this browser. This service kept no other copy of them."), "info")
    return redirect(url_for("wizard.start"))
