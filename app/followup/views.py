"""Continue a case, follow it up, complain: GET shows a page, POST saves and redirects.

The case and these answers live only in the encrypted state cookie; uploads (the letter, a
photo) only in memory for the request that carries them. Every date a page or a letter states
comes from the time engine (app/case/timeline.py), on the clock's today.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from ..case import record
from ..case.vocabulary import PhotoReply, Situation
from ..i18n import language_choices
from ..law import authorities
from ..law.scope import allowed_languages
from ..letters import letter_pdf, letter_preview
from ..letters.calendar import calendar_filename, deadline_ics
from ..letters.model import complaint_letter, follow_up_letter, request_letter, written_letters
from ..state import STATE_BUDGET, state_size
from ..timelimit import TimeLimitExceeded, time_limit
from ..wizard.download import pdf_response, too_slow
from ..wizard.steps import is_covered
from ..wizard.views import only_chosen_company, registry, switch_language_keeping_draft, take_draft
from . import bp, state as case_state
from .forms import UPLOAD_MESSAGES, ComplaintForm, ContinueForm, FollowUpDownloadForm, ManualForm, upload_message
from .restore import restore
from .signals import follow_up_made
from .steps import STEPS_BY_SLUG, answer_of, first_unanswered, situation_of, step_before


def next_url(state: dict) -> str:
    missing = first_unanswered(state)
    if missing:
        return url_for("followup.step", slug=missing.slug)
    return url_for("followup.letter")


def date_example() -> date:
    """The example under a date's three boxes ("For example, 20 11 2026"): a recent day, like the dates asked."""
    return case_state.today() - timedelta(days=14)


def no_request():
    return redirect(url_for("followup.continue_request"))


@bp.route("/continue", methods=["GET", "POST"])
def continue_request():
    form = ContinueForm()
    try:
        # Reading a stranger's PDF is bounded in memory (app/letters/attachment.py) and in time.
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            uploaded = form.validate_on_submit()
    except TimeLimitExceeded:
        uploaded = False
        form.letter.errors = [upload_message("damaged")]
    if uploaded:
        restored = restore(form.record, registry(), case_state.today())
        if restored.problems:
            form.letter.errors = [UPLOAD_MESSAGES["invalid"]] + [message for _field, message in restored.problems[:3]]
        elif state_size({"answers": restored.answers,
                          "events": [record.encode_event(event) for event in restored.events]}) > STATE_BUDGET:
            form.letter.errors = [UPLOAD_MESSAGES["invalid"]]
        else:
            case_state.start(restored.answers, restored.reference, restored.request_date, "pdf", restored.events)
            return redirect(next_url(case_state.current()))
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
        case_state.start(answers, form.reference.data, form.letter_date.data, "manual")
        return redirect(next_url(case_state.current()))
    return render_template("followup/by_hand.html", form=form, date_example=date_example(),
                           back_url=url_for("followup.continue_request")), \
        400 if request.method == "POST" else 200


@bp.route("/after/<slug>", methods=["GET", "POST"])
def step(slug: str):
    step = STEPS_BY_SLUG.get(slug)
    state = case_state.current()
    if state is None:
        return no_request()
    if step is None or not step.applies(state):
        return redirect(next_url(state))
    missing = first_unanswered(state, before=step)
    if missing:
        return redirect(url_for("followup.step", slug=missing.slug))
    if step.store == "after" and not is_covered(state["answers"], registry()):
        return redirect(url_for("wizard.not_covered"))
    context = step.form_context(state, registry())
    if request.method == "POST" and "switch_language" in request.form:
        return switch_language_keeping_draft(step, step.form(**context))
    form = step.form(data=take_draft(step) or answer_of(step, state) or step.defaults(state), **context)
    if form.validate_on_submit():
        store = dict(session.get(step.store, {}))
        store[step.slug] = form.answer()
        session[step.store] = case_state.new_situation(store) if step.slug == "situation" else store
        return redirect(next_url(case_state.current()))
    previous = step_before(step, state)
    back_url = url_for("followup.step", slug=previous.slug) if previous else url_for("followup.continue_request")
    return render_template(step.template, form=form, step=step, back_url=back_url, language_switch_keeps_draft=True,
                           company=only_chosen_company(state["answers"]), case=state["case"],
                           dates=case_state.dates_of(state["case"]) if state["case"] else None,
                           date_example=date_example()), \
        400 if request.method == "POST" else 200


def ready_state():
    """The case with every question answered, or the redirect to the question still open."""
    state = case_state.current()
    if state is None:
        return None, no_request()
    if (missing := first_unanswered(state)):
        return None, redirect(url_for("followup.step", slug=missing.slug))
    if not is_covered(state["answers"], registry()):
        return None, redirect(url_for("wizard.not_covered"))
    return state, None


def made(letter, render) -> Response:
    """A follow-up letter or complaint: ``render()`` within the time limit, counted, sent as a PDF."""
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            pdf = render()
    except TimeLimitExceeded:
        return too_slow()
    follow_up_made.send(current_app._get_current_object(), letter=letter)
    return pdf_response(letter, pdf)


def sending_channel(case) -> str | None:
    """A letter after the request goes the way the request went."""
    return case.sending.channel if case.sending else None


def the_follow_up(state: dict, photo=None):
    case = case_state.case_with_reply(state)
    situation = situation_of(state)
    reply = state["after"].get("photo-reply", {}).get("photo_reply", PhotoReply.SEND)
    photo_enclosed = situation == Situation.ASKED_FOR_PHOTO and reply == PhotoReply.SEND
    return follow_up_letter(case, situation, day=case_state.today(), channel=sending_channel(case),
                            timeline=case_state.timeline(), photo=photo, photo_enclosed=photo_enclosed)


@bp.route("/after/letter", methods=["GET", "POST"])
def letter():
    state, elsewhere = ready_state()
    if elsewhere:
        return elsewhere
    situation = Situation(situation_of(state))
    case = case_state.case_with_reply(state)
    dates = case_state.dates_of(case)
    if situation is Situation.EXTENSION_ANNOUNCED or dates.premature(situation):
        return render_template("followup/not_yet.html", situation=situation, dates=dates, case=case,
                               company=case.company, back_url=url_for("followup.step", slug="situation"))
    sends_photo = situation is Situation.ASKED_FOR_PHOTO and \
        state["after"].get("photo-reply", {}).get("photo_reply", PhotoReply.SEND) == PhotoReply.SEND
    form = FollowUpDownloadForm(photo_required=sends_photo)
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            if form.validate_on_submit():
                photo = form.prepared_photo if situation.keeps_period else None
                letter = the_follow_up(state, photo)
                return made(letter, lambda: letter_pdf(letter, annexes=annexes_of(letter)))
            letter = the_follow_up(state)
            preview, pages = letter_preview(letter)
    except TimeLimitExceeded:
        return too_slow()
    return render_template("followup/letter.html", form=form, letter=letter, preview=preview, pages=pages,
                           situation=situation, company=case.company, case=case, dates=dates,
                           needs_photo=sends_photo, offers_photo=situation is Situation.ASKED_FOR_ID,
                           back_url=url_for("followup.step", slug="situation")), \
        400 if request.method == "POST" else 200


def annexes_of(letter) -> tuple[bytes, ...]:
    """A reminder encloses the request (which may never have arrived, N-M3); other follow-ups quote it."""
    if Situation(letter.situation).is_silence:
        return (letter_pdf(request_letter(letter.case)),)
    return ()


def case_annexes(case) -> tuple[bytes, ...]:
    """Every letter FaceRights wrote for the case, made again from the record, as PDFs."""
    return tuple(letter_pdf(each) for each in written_letters(case, case_state.timeline(), authorities.by_slug))


@bp.get("/after/deadline.ics")
def deadline():
    """The next date that matters in the case being continued, as an .ics event with a reminder. (A letter
    just made in the wizard has its own, per company and channel: app/wizard/download.py deadline.)"""
    state = case_state.current()
    if state is None or state["case"] is None:
        return no_request()
    case = case_state.case_with_reply(state)
    day = case_state.dates_of(case).next_date
    if day is None:
        return no_request()
    return Response(deadline_ics(day, case.company.brand, case.reference), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{calendar_filename(case.reference)}"'})


def complaint_choices(state: dict):
    details = state["answers"]["your-details"]
    covered = state["case"].request.coverage
    # The authority of the residence; for a person living elsewhere, any applying the law, the
    # establishment's first (Art. 77(1) "in particular").
    found = authorities.default_authority(covered, postcode=details["postcode"])
    choices = list(authorities.complaint_authorities(covered))
    languages = allowed_languages(covered, current_app.config["LANGUAGES"])
    return found, choices, languages, covered.law


@bp.route("/complaint", methods=["GET", "POST"])
def complaint():
    state, elsewhere = ready_state()
    if elsewhere:
        return elsewhere
    situation = Situation(situation_of(state))
    case = case_state.case_with_reply(state)
    dates = case_state.dates_of(case)
    if situation is Situation.EXTENSION_ANNOUNCED or dates.premature(situation):
        return redirect(url_for("followup.letter"))
    found, choices, languages, law = complaint_choices(state)
    chosen = authorities.by_slug(request.form.get("authority")) if request.method == "POST" else found
    # Of an authority's several languages (Belgium, Luxembourg), the one the person reads, else its usual one.
    preferred = (str(get_locale()), state["case"].request.language)
    default_language = (authorities.complaint_language(chosen or found or choices[0], languages, preferred)
                        if choices else "en")
    form = ComplaintForm(data={"authority": (found.slug if found else ""), "language": default_language},
                         authorities=choices, languages=language_choices(languages))
    representative = current_app.extensions["facerights.host"].representative
    if choices and form.validate_on_submit():
        # A request typed by hand was not written here: the person attaches their own copy.
        annexed = state["source"] == "pdf"
        letter = complaint_letter(
            case, situation, day=case_state.today(), timeline=case_state.timeline(),
            authority=authorities.by_slug(form.authority.data), language=form.language.data,
            representative=representative if representative and form.represented.data else None, annexed=annexed)
        return made(letter, lambda: letter_pdf(letter, annexes=case_annexes(case) if annexed else ()))
    return render_template("followup/complaint.html", form=form, found=found, choices=choices,
                           representative=representative, source=state["source"], situation=situation,
                           case=case, dates=dates, company=case.company, back_url=url_for("followup.letter"),
                           page_language=str(get_locale())), 400 if request.method == "POST" else 200
