"""Your requests: the letters of several cases uploaded at once, where each stands and what comes next.

Everything happens in memory for the one request that carries the files: each case's button takes
its record along in a sealed hidden field (tokens.py), never in a store.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, redirect, render_template, request, session, url_for

from ..case.model import Case, EventKind
from ..case.overview import NextStep, latest_of_each, summarise
from ..case.record import RecordError
from ..case.vocabulary import AccessItem, Situation, values
from ..letters.attachment import read_record
from ..letters.uploads import UploadError, letters_in
from ..timelimit import TimeLimitExceeded, time_limit
from ..wizard.download import too_slow
from ..wizard.forms import EmptyForm
from ..wizard.views import registry
from . import bp, state as case_state
from ..letters.calendar import cases_ics
from .forms import MAX_OVERVIEW_FILES, SENT_CHANNELS, SITUATIONS, RequestsForm, upload_message
from .restore import case_of, restore
from .tokens import seal, unseal
from .views import next_url

@dataclass
class Read:
    case: Case
    record: dict


def read_uploads(uploads) -> tuple[list[Read], list[str]]:
    """The cases in the uploaded files, and one message for each file (or letter in a ZIP) that has none."""
    max_bytes = current_app.config["MAX_LETTER_UPLOAD_BYTES"]
    found, problems = [], []
    for upload in uploads:
        name = upload.filename
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            problems.append((name, upload_message("too-large")))
            continue
        try:
            letters = letters_in(name, data, max_bytes)
        except UploadError as error:
            problems.append((name, upload_message(error.reason)))
            continue
        for letter_name, pdf in letters:
            shown = name if letter_name == name else f"{name}: {letter_name}"
            try:
                record = read_record(pdf, max_bytes)
            except RecordError as error:
                problems.append((shown, upload_message(error.reason)))
                continue
            restored = restore(record, registry(), case_state.today())
            if restored.problems:
                problems.append((shown, upload_message("invalid")))
                continue
            found.append(Read(case_of(restored, registry()), record))
    return found, problems


@bp.route("/requests", methods=["GET", "POST"])
def requests():
    form = RequestsForm()
    summaries, problems, tokens = [], [], {}
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            if form.validate_on_submit():
                read, problems = read_uploads(form.letters.data)
                cases = latest_of_each([each.case for each in read])
                # The record of the letter that stands for each case (latest_of_each returns those very cases).
                records = {id(each.case): each.record for each in read}
                summaries = [summarise(case, case_state.timeline(), case_state.today()) for case in cases]
                tokens = {case.reference: seal(records[id(case)]) for case in cases}
    except TimeLimitExceeded:
        return too_slow(several=True)
    status = 400 if request.method == "POST" and not summaries else 200
    if request.method == "POST" and problems and not summaries:
        form.letters.errors = [f"{name}: {message}" for name, message in problems]
    return render_template("followup/requests.html", form=form, summaries=summaries, problems=problems,
                           tokens=tokens, situation_labels=SITUATIONS, channel_names=SENT_CHANNELS,
                           max_files=MAX_OVERVIEW_FILES,
                           back_url=url_for("wizard.start")), status


@bp.post("/requests/continue")
def continue_from_overview():
    """A case's button on "Your requests": continue that case at its next step."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("followup.requests"))
    record = unseal(request.form.get("case", ""))
    restored = restore(record, registry(), case_state.today()) if isinstance(record, dict) else None
    if restored is None or restored.problems:
        return redirect(url_for("followup.requests"))
    case_state.start(restored.answers, restored.reference, restored.request_date, "pdf", restored.events)
    case = case_of(restored, registry())
    last = case.last_event
    step = request.form.get("step")
    # A reply the case already holds is the situation to answer; after silence, it is silence.
    if step == NextStep.REPLY and last is not None and last.kind == EventKind.REPLY:
        session["after"] = {"situation": {"situation": last.situation, "replied": last.date.isoformat(),
                                          "their_reference": last.their_reference}}
        if last.situation == Situation.INCOMPLETE:
            session["after"]["received"] = {"received": [item for item in values(AccessItem) if item not in last.missing]}
    elif step in (NextStep.REMIND, NextStep.COMPLAIN) and case.sending:
        session["after"] = {"situation": {"situation": Situation.NO_ANSWER, "replied": "", "their_reference": ""}}
    if step == NextStep.COMPLAIN and case.sending:
        return redirect(url_for("followup.complaint"))
    return redirect(next_url(case_state.current()))


@bp.post("/requests/calendar")
def calendar():
    """One calendar with each open case's next date, from the sealed cases of the overview."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("followup.requests"))
    summaries = []
    for token in request.form.getlist("case")[:20]:
        record = unseal(token)
        restored = restore(record, registry(), case_state.today()) if isinstance(record, dict) else None
        if restored is not None and not restored.problems:
            summary = summarise(case_of(restored, registry()), case_state.timeline(), case_state.today())
            if summary.next_date:
                summaries.append(summary)
    if not summaries:
        return redirect(url_for("followup.requests"))
    return Response(cases_ics(summaries), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="FaceRights-requests.ics"'})
