"""`flask --app wsgi status FILE [FILE ...] [--ics OUT.ics]`: every case the letters carry, one line each.

Each file is a letter FaceRights made (the request, a follow-up or a complaint) or the ZIP of
several letters. The line says the reference, the company, the last event and its date, the next
date that matters and the next step; the calendar holds each open case's next date. A file that
holds no letter we can read gets one line of its own, and the command then exits 2.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..case.model import Case, EventKind
from ..case.overview import Summary, latest_of_each, summarise
from ..letters.calendar import cases_ics
from ..followup.restore import case_of
from ..letters.uploads import UploadError, letters_in
from .common import CHANNEL_WORDS, day, fail, in_english, restore_letter, today, write

STEP_WORDS = {"say-when-sent": "say when you sent the request", "wait": "wait for the answer",
              "remind": "write a reminder", "complain": "complain to the authority",
              "reply": "reply to the company, or complain", "wait-for-authority": "wait for the authority"}


def _last(summary: Summary) -> str:
    event = summary.last_event
    if event is None:
        return f"request of {summary.case.request.date.isoformat()}, not yet sent"
    if event.kind == EventKind.SENT:
        return f"request sent {event.date.isoformat()} by {CHANNEL_WORDS[event.channel]}"
    if event.kind == EventKind.REPLY:
        return f"company: {event.situation} {event.date.isoformat()}"
    return f"your {event.document}{f' ({event.situation})' if event.situation else ''} {event.date.isoformat()}"


def line(summary: Summary) -> str:
    next_date = summary.next_date.isoformat() if summary.next_date else "now"
    return (f"{summary.case.reference}  {summary.case.company.brand}  {_last(summary)}  next {next_date}  "
            f"{STEP_WORDS[summary.step]}")


@click.command("status")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--ics", "ics_path", default=None, type=click.Path(path_type=Path),
              help="OUT.ics: one calendar with each open case's next date.")
@click.option("--date", "today_text", default=None, help="The day to tell the state on, YYYY-MM-DD (default: today).")
@with_appcontext
@in_english
def status_command(files, ics_path, today_text):
    """Show where each of your requests stands, from the letters' PDFs (or ZIPs of them)."""
    problems: list[str] = []
    on_day = day(today_text, "--date", problems) or today()
    max_bytes = current_app.config["MAX_LETTER_UPLOAD_BYTES"]
    cases: list[Case] = []
    for path in files:
        try:
            data = path.read_bytes()
            found = letters_in(path.name, data, max_bytes)
        except OSError as error:
            problems.append(f"{path}: cannot read it ({error.strerror})")
            continue
        except UploadError:
            problems.append(f"{path}: not a letter made by FaceRights (a PDF or a ZIP of them)")
            continue
        for name, pdf in found:
            where = str(path) if name == path.name else f"{path}:{name}"
            letter_problems: list[str] = []
            restored = restore_letter(pdf, where, on_day, letter_problems)
            if restored is None:
                problems.append(letter_problems[0])  # one line per file that cannot be read
            else:
                cases.append(case_of(restored, current_app.extensions["facerights.registry"]))
    timeline = current_app.extensions["facerights.timeline"]
    summaries = [summarise(case, timeline, on_day) for case in latest_of_each(cases)]
    for summary in summaries:
        click.echo(line(summary))
    if ics_path is not None and summaries:
        write(ics_path, cases_ics([summary for summary in summaries if summary.next_date]), "--ics")
    if problems:
        fail(problems)
