"""Continue a request, follow it up, complain: GET shows a page, POST saves and redirects.

The request and these answers live only in the encrypted state cookie; uploads
(the letter, a photo) only in memory for the request that carries them.
"""
from __future__ import annotations

from datetime import date

from flask import Response, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _

from ..timelimit import TimeLimitExceeded, time_limit
from ..i18n import language_choices
from ..law import authorities
from ..law.deadlines import due_date
from ..law.scope import allowed_languages, coverage
from ..letters import letter_pdf
from ..letters.model import ACCESS_ITEMS, CHANNELS
from ..state import STATE_BUDGET, state_size
from ..wizard.download import pdf_response, too_slow
from ..wizard.steps import is_covered
from ..wizard.views import only_chosen_company, registry
from . import bp
from .calendar import calendar_filename, deadline_ics
from .forms import UPLOAD_MESSAGES, ComplaintForm, ContinueForm, FollowUpDownloadForm, ManualForm
from .request import complaint_letter, follow_up_letter, original_of, request_letter, restore
from .signals import follow_up_made
from .steps import STEPS_BY_SLUG, answer_of, first_unanswered, step_before


def follow_up_state() -> dict | None:
    """The request being followed up, from the state, or None when there is none."""
    answers = dict(session.get("answers", {}))
    saved = session.get("request")
    if not saved or "reference" not in session or not answers.get("request-type") or not answers.get("company"):
        return None
    if only_chosen_company(answers) is None:
        return None
    return {"answers": answers, "after": dict(session.get("after", {})),
            "request_date": date.fromisoformat(saved["date"]), "source": saved["source"]}


def start_follow_up(answers: dict, reference: str, request_date: date, source: str, after: dict | None = None) -> None:
    session["answers"] = answers
    session["reference"] = reference
    session["request"] = {"date": request_date.isoformat(), "source": source}
    session["after"] = after or {}


def next_url(state: dict) -> str:
    missing = first_unanswered(state)
    if missing:
        return url_for("followup.step", slug=missing.slug)
    return url_for("followup.letter")


@bp.route("/continue", methods=["GET", "POST"])
def continue_request():
    form = ContinueForm()
    if form.validate_on_submit():
        restored = restore(form.record, registry(), date.today())
        if restored.problems:
            form.letter.errors = [UPLOAD_MESSAGES["invalid"]] + [message for _field, message in restored.problems[:3]]
        elif state_size(restored.answers) > STATE_BUDGET:
            form.letter.errors = [UPLOAD_MESSAGES["invalid"]]
        else:
            after = {}
            if restored.sent and restored.channel:
                after["sent"] = {"sent": restored.sent.isoformat(), "channel": restored.channel}
            start_follow_up(restored.answers, restored.reference, restored.request_date, "pdf", after)
            return redirect(next_url(follow_up_state()))
    return render_template("followup/continue.html", form=form, back_url=url_for("wizard.start")), \
        400 if request.method == "POST" else 200


@bp.route("/continue/by-hand", methods=["GET", "POST"])
def by_hand():
    form = ManualForm(registry=registry())
    if form.validate_on_submit():
        answers = {"request-type": {"request_type": form.request_type.data}, "company": {"company": [form.company.data]}}
        # Details typed earlier in this visit are kept; the follow-up asks for them otherwise.
        for slug in ("your-details", "letter-language"):
            if slug in session.get("answers", {}):
                answers[slug] = session["answers"][slug]
        start_follow_up(answers, form.reference.data, date.fromisoformat(form.letter_date.data), "manual")
        return redirect(next_url(follow_up_state()))
    return render_template("followup/by_hand.html", form=form, back_url=url_for("followup.continue_request")), \
        400 if request.method == "POST" else 200


def no_request():
    return redirect(url_for("followup.continue_request"))


@bp.route("/after/<slug>", methods=["GET", "POST"])
def step(slug: str):
    step = STEPS_BY_SLUG.get(slug)
    state = follow_up_state()
    if state is None:
        return no_request()
    if step is None or not step.applies(state):
        return redirect(next_url(state))
    missing = first_unanswered(state, before=step)
    if missing:
        return redirect(url_for("followup.step", slug=missing.slug))
    if step.store == "after" and not is_covered(state["answers"], registry()):
        return redirect(url_for("wizard.not_covered"))
    form = step.form(data=answer_of(step, state), **step.form_context(state, registry()))
    if form.validate_on_submit():
        store = dict(session.get(step.store, {}))
        store[step.slug] = form.answer()
        session[step.store] = store
        if step.slug == "situation":
            # A new situation: the answers that belonged to the old one no longer apply.
            session["after"] = {key: value for key, value in store.items() if key in ("sent", "situation")}
        return redirect(next_url(follow_up_state()))
    previous = step_before(step, state)
    back_url = url_for("followup.step", slug=previous.slug) if previous else url_for("followup.continue_request")
    return render_template(step.template, form=form, step=step, back_url=back_url, company=only_chosen_company(state["answers"])), \
        400 if request.method == "POST" else 200


def the_request(state: dict, language: str | None = None):
    return request_letter(state["answers"], registry(), reference=session["reference"],
                          request_date=state["request_date"], language=language)


def the_original(state: dict, request_letter_, extended: bool = False):
    sent = state["after"]["sent"]
    return original_of(request_letter_, date.fromisoformat(sent["sent"]), sent["channel"],
                       current_app.config["POSTAL_DAYS"], extended=extended)


def made(letter, render) -> Response:
    """A follow-up letter or complaint: ``render()`` within the time limit, counted, sent as a PDF."""
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            pdf = render()
    except TimeLimitExceeded:
        return too_slow()
    follow_up_made.send(current_app._get_current_object(), letter=letter)
    return pdf_response(letter, pdf)


def missing_items(after: dict, situation: str) -> list[str]:
    """For an incomplete answer: the items of the access request that the person did not receive."""
    if situation != "incomplete":
        return []
    received = after.get("received", {}).get("received", [])
    return [item for item in ACCESS_ITEMS if item not in received]


def refusal_of(after: dict) -> str:
    return after.get("refusal", {}).get("refusal", "refused")


@bp.route("/after/letter", methods=["GET", "POST"])
def letter():
    state = follow_up_state()
    if state is None:
        return no_request()
    if (missing := first_unanswered(state)):
        return redirect(url_for("followup.step", slug=missing.slug))
    if not is_covered(state["answers"], registry()):
        return redirect(url_for("wizard.not_covered"))
    after = state["after"]
    situation = after["situation"]["situation"]
    request_ = the_request(state)
    original = the_original(state, request_, extended=situation == "extension-announced")
    photo_reply = after.get("photo-reply", {}).get("photo_reply", "send")
    needs_photo = situation == "asked-for-photo" and photo_reply == "send"
    form = FollowUpDownloadForm(photo_required=needs_photo)
    if situation != "extension-announced" and form.validate_on_submit():
        letter = follow_up_letter(
            request_, situation, original, date.today(), missing=missing_items(after, situation),
            photo=form.prepared_photo if situation in ("asked-for-id", "asked-for-photo") else None,
            photo_reply=photo_reply, refusal=refusal_of(after))
        return made(letter, lambda: letter_pdf(letter))
    return render_template("followup/letter.html", form=form, situation=situation, company=request_.company,
                           reference=request_.reference, original=original, needs_photo=needs_photo,
                           offers_photo=situation == "asked-for-id",
                           back_url=url_for("followup.step", slug="situation")), \
        400 if request.method == "POST" else 200


@bp.get("/after/deadline.ics")
def deadline():
    """The deadline of the request in the state; ``channel`` and ``sent`` (query) for a letter not yet sent."""
    state = follow_up_state() or wizard_state()
    if state is None:
        return no_request()
    company = only_chosen_company(state["answers"])
    sent, channel = state["after"].get("sent", {}).get("sent"), state["after"].get("sent", {}).get("channel")
    if request.args.get("channel") is not None or sent is None:
        channel = request.args.get("channel", "email")
        if channel not in CHANNELS:
            return render_template("errors/error.html", title=_("This link is not valid"),
                                   message=_("Go back to your letter and use its calendar link.")), 400
        sent = date.today().isoformat()
    extended = state["after"].get("situation", {}).get("situation") == "extension-announced"
    due = due_date(date.fromisoformat(sent), channel, company.country, extended=extended,
                   table=current_app.config["POSTAL_DAYS"])
    return Response(deadline_ics(due, company.name, session["reference"]), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{calendar_filename(session["reference"])}"'})


def wizard_state() -> dict | None:
    """A letter just made in the wizard: its deadline before it is sent."""
    answers = dict(session.get("answers", {}))
    if "reference" not in session or only_chosen_company(answers) is None:
        return None
    return {"answers": answers, "after": {}}


def complaint_choices(state: dict):
    details = state["answers"]["your-details"]
    covered = coverage(details["country"], only_chosen_company(state["answers"]))
    found = authorities.authority_for(details["country"], postcode=details["postcode"])
    choices = [a for a in authorities.in_country(details["country"]) if a.takes_complaints]
    languages = allowed_languages(covered, current_app.config["LANGUAGES"])
    return found, choices, languages, covered.law


@bp.route("/complaint", methods=["GET", "POST"])
def complaint():
    state = follow_up_state()
    if state is None:
        return no_request()
    if (missing := first_unanswered(state)):
        return redirect(url_for("followup.step", slug=missing.slug))
    after = state["after"]
    situation = after["situation"]["situation"]
    if situation == "extension-announced" or not is_covered(state["answers"], registry()):
        return redirect(url_for("followup.letter"))
    found, choices, languages, law = complaint_choices(state)
    chosen = authorities.by_slug(request.form.get("authority")) if request.method == "POST" else found
    default_language = authorities.complaint_language(chosen or found or choices[0], languages) if choices else "en"
    form = ComplaintForm(data={"authority": (found.slug if found else ""), "language": default_language},
                         authorities=choices, languages=language_choices(languages))
    representative = current_app.extensions["facerights.host"].representative
    if choices and form.validate_on_submit():
        authority = authorities.by_slug(form.authority.data)
        request_ = the_request(state)
        original = the_original(state, request_)
        annexed = state["source"] == "pdf"
        letter = complaint_letter(
            request_, situation, original, date.today(), authority, language=form.language.data,
            missing=missing_items(after, situation), refusal=refusal_of(after),
            representative=representative if representative and form.represented.data else None, annexed=annexed)
        return made(letter, lambda: letter_pdf(letter, annex=letter_pdf(request_) if annexed else None))
    return render_template("followup/complaint.html", form=form, found=found, choices=choices,
                           representative=representative, source=state["source"], situation=situation,
                           company=only_chosen_company(state["answers"]), back_url=url_for("followup.letter"),
                           page_language=str(get_locale())), 400 if request.method == "POST" else 200
