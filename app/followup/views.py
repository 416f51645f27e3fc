"""Continue a case, follow it up, complain: GET shows a page, POST saves and redirects.

The case and these answers live only in the encrypted state cookie; uploads (the letter, a
photo) only in memory for the request that carries them. Every date a page or a letter states
comes from the time engine (app/case/timeline.py), on the clock's today.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale, ngettext

from ..case import record
from ..case.vocabulary import PhotoReply, Situation
from ..i18n import language_choices
from ..law import authorities
from ..law.scope import allowed_languages
from ..letters import letter_pdf
from ..letters.calendar import calendar_filename, deadline_ics
from ..letters.model import Letter, complaint_letter, follow_up_letter, request_letter, written_letters
from ..state import STATE_BUDGET, state_size
from ..timelimit import TimeLimitExceeded, time_limit
from ..wizard.download import letter_in_page, pdf_response, records_copy_of, too_slow
from ..wizard.forms import EmptyForm
from ..wizard.steps import is_covered
from ..wizard.views import (language_name_here, only_chosen_company, registry, switch_language_keeping_draft,
                            take_draft)
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


def too_early(state: dict) -> bool:
    """Whether no letter is due yet: an extension was announced, or silence is described before its date
    (the letter page says when instead)."""
    situation = Situation(situation_of(state))
    return situation is Situation.EXTENSION_ANNOUNCED or \
        case_state.dates_of(case_state.case_with_reply(state)).premature(situation)


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
    if too_early(state):
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
            item = letter_in_page(the_follow_up(state))
    except TimeLimitExceeded:
        return too_slow()
    item["download_label"] = follow_up_download_label(item["letter"], item["pages"])
    return render_template("followup/letter.html", form=form, item=item, letter=item["letter"],
                           page_language_name=language_name_here(str(get_locale())),
                           situation=situation, company=case.company, case=case, dates=dates,
                           needs_photo=sends_photo, offers_photo=situation is Situation.ASKED_FOR_ID,
                           back_url=url_for("followup.step", slug="situation")), \
        400 if request.method == "POST" else 200


def encloses_request(letter) -> bool:
    """A reminder encloses the request (which may never have arrived, N-M3); other follow-ups quote it."""
    return Situation(letter.situation).is_silence


def follow_up_download_label(letter, pages: int) -> str:
    """The button names the letter's pages, and the request a reminder encloses after them (not counted: that
    would cost its layout)."""
    if encloses_request(letter):
        return ngettext("Download this letter (PDF, %(num)d page, then your request as its annex)",
                        "Download this letter (PDF, %(num)d pages, then your request as its annex)", pages)
    return ngettext("Download this letter (PDF, %(num)d page)", "Download this letter (PDF, %(num)d pages)", pages)


def annexes_of(letter) -> tuple[Letter, ...]:
    return (request_letter(letter.case),) if encloses_request(letter) else ()


def case_annexes(case) -> tuple[Letter, ...]:
    """Every letter FaceRights wrote for the case, made again from the record."""
    return tuple(written_letters(case, case_state.timeline(), authorities.by_slug))


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


def complaint_form(state: dict):
    """The complaint's choices (authority, language, representation), preset: the authority found for the
    person, in its language (of an authority's several, such as Belgium's, the one the person reads)."""
    found, choices, languages, _law = complaint_choices(state)
    chosen = authorities.by_slug(request.form.get("authority")) if request.method == "POST" else found
    preferred = (str(get_locale()), state["case"].request.language)
    default_language = (authorities.complaint_language(chosen or found or choices[0], languages, preferred)
                        if choices else "en")
    form = ComplaintForm(data={"authority": (found.slug if found else ""), "language": default_language},
                         authorities=choices, languages=language_choices(languages))
    return form, found, choices, default_language


def the_complaint(state: dict, authority, language: str, represented: bool):
    """The complaint about the case's situation to ``authority`` in ``language``; a request typed by hand was
    not written here, so it is not annexed (the person attaches their own copy)."""
    representative = current_app.extensions["facerights.host"].representative
    return complaint_letter(case_state.case_with_reply(state), Situation(situation_of(state)),
                            day=case_state.today(), timeline=case_state.timeline(), authority=authority,
                            language=language, representative=representative if representative and represented else None,
                            annexed=state["source"] == "pdf")


def chosen_complaint(state: dict, form):
    """The complaint with the choices of a valid ``form``."""
    return the_complaint(state, authorities.by_slug(form.authority.data), form.language.data, form.represented.data)


def complaint_download_label(letter, pages: int) -> str:
    """The button names the complaint's pages, and what follows them: the annexes, the person's own letters
    (their pages are not counted: that would cost a layout of each)."""
    if letter.complaint.annexed:
        return ngettext("Download your complaint (PDF, %(num)d page, then your letters as annexes)",
                        "Download your complaint (PDF, %(num)d pages, then your letters as annexes)", pages)
    return ngettext("Download your complaint (PDF, %(num)d page)", "Download your complaint (PDF, %(num)d pages)", pages)


@bp.route("/complaint", methods=["GET", "POST"])
def complaint():
    """The complaint's choices, its download, and the complaint read in the page as the choices make it (with
    JavaScript off, "Show the complaint with these choices" shows it again after a change); its copy in the
    page language when it is in another."""
    state, elsewhere = ready_state()
    if elsewhere:
        return elsewhere
    if too_early(state):
        return redirect(url_for("followup.letter"))
    situation = Situation(situation_of(state))
    case = case_state.case_with_reply(state)
    dates = case_state.dates_of(case)
    form, found, choices, default_language = complaint_form(state)
    asked = bool(choices) and form.validate_on_submit()
    if asked and request.form.get("action") != "preview":
        letter = chosen_complaint(state, form)
        return made(letter, lambda: letter_pdf(letter, annexes=case_annexes(case) if letter.complaint.annexed else ()))
    item = None
    if choices:
        shown = chosen_complaint(state, form) if asked else \
            the_complaint(state, found or choices[0], default_language, represented=False)
        try:
            with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
                item = letter_in_page(shown)
        except TimeLimitExceeded:
            return too_slow()
        item["download_label"] = complaint_download_label(shown, item["pages"])
    return render_template("followup/complaint.html", form=form, found=found, choices=choices, item=item,
                           representative=current_app.extensions["facerights.host"].representative,
                           source=state["source"], situation=situation, case=case, dates=dates, company=case.company,
                           page_language_name=language_name_here(str(get_locale())),
                           back_url=url_for("followup.letter")), \
        400 if request.method == "POST" and not asked else 200


@bp.post("/after/records-copy")
def records_copy():
    """The follow-up letter (``document=letter``) or the complaint with the choices it was read with
    (``document=complaint``) in the page language, marked on every page as a copy for the person's records;
    without annexes, which are the person's own letters."""
    state, elsewhere = ready_state()
    if elsewhere:
        return elsewhere
    if too_early(state):
        return redirect(url_for("followup.letter"))
    if request.form.get("document") == "complaint":
        form, _found, choices, _language = complaint_form(state)
        letter = chosen_complaint(state, form) if choices and form.validate_on_submit() else None
        back = url_for("followup.complaint")
    else:
        letter = the_follow_up(state) if EmptyForm().validate_on_submit() else None
        back = url_for("followup.letter")
    records = records_copy_of(letter) if letter else None
    if records is None:
        return redirect(back)
    return made(records, lambda: letter_pdf(records))
