"""The last page: the letters made from the answers, read in the page, then downloaded as one PDF
(or a ZIP with one PDF per company), with how and when to send them.

Every letter made for download goes through rendered_pdf(), inside the render time limit.
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

from flask import Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _, ngettext

from ..law.authorities import default_authority, in_country
from ..letters import letter_filename, letter_pdf, letter_preview
from ..letters.bundle import MadeLetter, letters_zip, zip_filename
from ..letters.email import email_subject, mailto_link
from ..letters.model import Letter, chosen_companies, chosen_slugs, letter_from_answers, new_reference
from ..letters.text import letter_text
from ..timelimit import TimeLimitExceeded, time_limit
from . import bp
from .forms import DownloadForm, EmptyForm
from .signals import letter_made
from .views import current_answers, language_name_here, letter_language_name, redirect_if_incomplete, registry


def today():
    return current_app.extensions["facerights.clock"].today()


def letter_reference(slug: str | None = None) -> str:
    """One reference per company and set of answers, so that every download of it carries the same one.
    The first company's is the visit's reference (the calendar and the follow-ups use it)."""
    slugs = chosen_slugs(current_answers())
    if slug is None or not slugs or slug == slugs[0]:
        if "reference" not in session:
            session["reference"] = new_reference(today())
        return session["reference"]
    references = dict(session.get("references", {}))
    if slug not in references:
        references[slug] = new_reference(today())
        session["references"] = references
    return references[slug]


def letters_for(answers: dict) -> list[Letter]:
    """Each chosen company's letter (not yet rendered), in its own language and with its own reference."""
    return [letter_from_answers(answers, registry(), language=language, today=today(),
                                reference=letter_reference(company.slug), company=company)
            for company, language in chosen_companies(answers, registry(), current_app.config["LANGUAGES"])]


def records_copy_of(letter: Letter) -> Letter | None:
    """The same letter in the page language, marked as a copy for the person's records, for a person
    who cannot read the letter's language; None when the letter is in the page language already."""
    page_language = str(get_locale())
    return None if letter.language == page_language else replace(letter, language=page_language, records_copy=True)


def too_slow(several: bool = False):
    message = (_("Please try again in a moment, or choose fewer companies at once. If it happens again, "
                 "shorten your longest answer.") if several else
               _("Please try again in a moment. If it happens again, shorten your longest answer."))
    return render_template("errors/error.html", title=_("Your letter took too long to make"), message=message), 503


def rendered_pdf(letter: Letter) -> bytes:
    """The letter's PDF, counted for the host's campaign figures (app/metrics.py)."""
    started = time.perf_counter()
    pdf = letter_pdf(letter)
    letter_made.send(current_app._get_current_object(), letter=letter, render_seconds=time.perf_counter() - started)
    return pdf


def made_letters(letters: list[Letter]) -> list[MadeLetter]:
    """Every letter rendered in turn (the caller's time limit stops the lot), each counted."""
    return [MadeLetter(letter, letter_filename(letter), rendered_pdf(letter)) for letter in letters]


def letters_response(made: list[MadeLetter]) -> Response:
    """One letter: its PDF. Several: a ZIP with an index."""
    if len(made) == 1:
        return pdf_response(made[0].letter, made[0].pdf)
    day = today()
    data = letters_zip(made, day, current_app.extensions["facerights.timeline"])
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{zip_filename(made, day)}"'})


def pdf_response(letter: Letter, pdf: bytes):
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{letter_filename(letter)}"'})


def download_label(pages: int) -> str:
    return ngettext("Download this letter (PDF, %(num)d page)", "Download this letter (PDF, %(num)d pages)", pages)


def complaint_authority(letter: Letter) -> dict:
    """Whom the person can complain to (app/law/authorities.default_authority): where they live, their
    country's authority, in Germany their Land's (from the postcode), or, where we cannot tell which, the
    authorities of their country in general; living outside the law's territory ("establishment"), the
    authority of the company's establishment, or any in the Union."""
    coverage = letter.coverage
    authority = default_authority(coverage, postcode=letter.person.postcode)
    country = coverage.complaint_country
    return {"name": authority.name if authority else None, "establishment": not coverage.lives_in_territory,
            "regional": bool(country) and len(in_country(country)) > 1}


@bp.route("/download", methods=["GET", "POST"])
def download():
    """The letter, read in the page first; then the PDF, with an optional photo; then how to send it."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    answers = current_answers()
    letters = letters_for(answers)
    several = len(letters) > 1
    form = DownloadForm()
    try:
        # Preparing the photo (in validation) and rendering every letter share one time limit.
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            if form.validate_on_submit():
                return letters_response(made_letters([replace(letter, photo=form.prepared_photo)
                                                      for letter in letters]))
            # With several companies the page shows no preview: each letter is in the ZIP.
            previews = {} if several else letter_previews(letters[0])
    except TimeLimitExceeded:
        return too_slow(several)
    letter = letters[0]
    company = letter.company
    day = today()
    channels = letter.sent_by if not several else tuple(answers["sending"]["channels"])
    # Each company's own dates: its country's holidays and post decide them.
    timeline = current_app.extensions["facerights.timeline"]
    due_by_company = {each.company.slug: timeline.dues_if_sent(day, each.sent_by, each.company.country)
                      for each in letters}
    return render_template(
        "wizard/download.html", form=form, company=company, reference=letter.reference, letter=letter, **previews,
        several=several, companies=[each.company for each in letters],
        references={each.company.slug: each.reference for each in letters},
        ready_emails=ready_emails(letters) if several else None,
        letter_language_name=letter_language_name(answers), page_language_name=language_name_here(str(get_locale())),
        request_type=letter.request_type, channels=channels, coverage=letter.coverage,
        gdpr=letter.law.abbreviation,
        due=due_by_company[company.slug], due_by_company=due_by_company,
        authority=complaint_authority(letter),
        mailto=mailto_link(letter), email_subject=email_subject(letter) if company.email else None,
        back_url=url_for("wizard.check_answers")), 400 if request.method == "POST" else 200


def ready_emails(letters: list[Letter]) -> list[dict]:
    """For the download page: each company's letter, mailto: link (or None) and text view address."""
    return [{"company": letter.company, "mailto": mailto_link(letter),
             "text_url": url_for("wizard.letter_as_text", slug=letter.company.slug)} for letter in letters]


@bp.get("/letter-text/<slug>")
def letter_as_text(slug: str):
    """The whole letter to one chosen company as plain text, to paste into a web form or an email."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    letter = next((letter for letter in letters_for(current_answers()) if letter.company.slug == slug), None)
    if letter is None:
        abort(404)
    return render_template("wizard/letter_text.html", letter=letter, text=letter_text(letter),
                           back_url=url_for("wizard.download"))


def letter_previews(letter: Letter) -> dict:
    """The letter as the page shows it, with its PDF's page count; the same for the copy in the page language."""
    records = records_copy_of(letter)
    preview, pages = letter_preview(letter)
    records_preview, records_pages = letter_preview(records) if records else (None, None)
    return {"preview": preview, "download_label": download_label(pages), "records": records,
            "records_preview": records_preview,
            "records_label": download_label(records_pages) if records else None}


@bp.post("/download/records-copy")
def download_records_copy():
    """The letter in the page language, marked on every page as a copy for the person's records."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    records = records_copy_of(letters_for(current_answers())[0])
    if records is None or not EmptyForm().validate_on_submit():
        return redirect(url_for("wizard.download"))
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            return pdf_response(records, letter_pdf(records))
    except TimeLimitExceeded:
        return too_slow()

