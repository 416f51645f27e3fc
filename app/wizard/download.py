"""The last page: the letters made from the answers, downloaded as one PDF (with several companies, a ZIP
with one PDF each, or each PDF on its own), read in the page, with how and when to send them.

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
from ..letters.calendar import calendar_filename, deadline_ics
from ..letters.email import email_subject, mailto_link
from ..letters.model import Letter, chosen_companies, chosen_slugs, letter_from_answers, new_reference
from ..letters.render import preview_markup, render_letter_html
from ..letters.text import letter_text
from ..timelimit import TimeLimitExceeded, time_limit
from . import bp
from .forms import DownloadForm, EmptyForm
from .signals import letter_made
from .views import current_answers, language_name_here, redirect_if_incomplete, registry


def today() -> date:
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
    letters = [letter_from_answers(answers, registry(), language=language, today=today(),
                                   reference=letter_reference(company.slug), company=company)
               for company, language in chosen_companies(answers, registry(), current_app.config["LANGUAGES"])]
    return postal_address_only_where_posted(letters)


def postal_address_only_where_posted(letters: list[Letter]) -> list[Letter]:
    """When some letters go by post, the person gave their address for those: a letter that goes only by
    email or web form (to PimEyes, say, which takes no post) does not carry it, in its text or in the answers
    it embeds. When none goes by post, an address given all the same is printed, as the details page says."""
    if not any("letter" in letter.sent_by for letter in letters):
        return letters
    return [letter if "letter" in letter.sent_by else without_postal_address(letter) for letter in letters]


def without_postal_address(letter: Letter) -> Letter:
    request = letter.request
    person = replace(request.person, street="", address_line_2="", postcode="", city="")
    return replace(letter, case=replace(letter.case, request=replace(request, person=person)))


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


def download_label(letter: Letter, pages: int, several: bool) -> str:
    """The button that downloads one letter: with several, it names the company."""
    if several:
        return ngettext("Download the letter to %(company)s (PDF, %(num)d page)",
                        "Download the letter to %(company)s (PDF, %(num)d pages)", pages, company=letter.company.brand)
    return ngettext("Download your letter (PDF, %(num)d page)", "Download your letter (PDF, %(num)d pages)", pages)


def complaint_authority(letter: Letter, details: dict) -> dict:
    """Whom the person can complain to (app/law/authorities.default_authority): where they live, their
    country's authority, in Germany their Land's (from the postcode), or, where we cannot tell which, the
    authorities of their country in general; living outside the law's territory ("establishment"), the
    authority of the company's establishment, or any in the Union. From their answers, not a letter's sender,
    which may carry no address (postal_address_only_where_posted)."""
    coverage = letter.coverage
    authority = default_authority(coverage, postcode=details.get("postcode") or "")
    country = coverage.complaint_country
    return {"name": authority.name if authority else None, "establishment": not coverage.lives_in_territory,
            "regional": bool(country) and len(in_country(country)) > 1}


def due_dates(letter: Letter, day: date) -> dict:
    """When the company must answer if the letter goes out on ``day``, by each way it goes (the time engine:
    its country's holidays and post decide)."""
    return current_app.extensions["facerights.timeline"].dues_if_sent(day, letter.sent_by, letter.company.country)


def chosen_letter(letters: list[Letter], slug: str | None) -> Letter | None:
    """The letter to the company ``slug`` among ``letters``; without a slug, the first."""
    if not slug:
        return letters[0]
    return next((letter for letter in letters if letter.company.slug == slug), None)


@bp.route("/download", methods=["GET", "POST"])
def download():
    """The letters: the download first (with an optional photo), then each letter read in the page,
    with its copy in the page language, then how to send them and what happens next. The form's
    ``letter`` (a button's value) asks for one company's PDF only; without it, every letter
    (several in a ZIP)."""
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
                wanted = letters if not form.letter.data else [chosen_letter(letters, form.letter.data)]
                if None in wanted:
                    abort(400)
                return letters_response(made_letters([replace(letter, photo=form.prepared_photo)
                                                      for letter in wanted]))
            shown = [letter_on_page(letter, several) for letter in letters]
    except TimeLimitExceeded:
        return too_slow(several)
    first = letters[0]
    return render_template(
        "wizard/download.html", form=form, letters=shown, several=several, company=first.company,
        companies=[letter.company for letter in letters],
        reference=first.reference, page_language_name=language_name_here(str(get_locale())),
        request_type=first.request_type, coverage=first.coverage, gdpr=first.law.abbreviation,
        authority=complaint_authority(first, answers["your-details"]),
        back_url=url_for("wizard.check_answers")), 400 if request.method == "POST" else 200


def letter_in_page(letter: Letter) -> dict:
    """A letter as a page shows it before its download (templates/components/letter.html read_letter): its words,
    its PDF's page count (from its HTML, or one layout where app/letters/pages.py is unsure), its language's name,
    and its copy in the page language when the letter is in another, read in the page without a page count."""
    preview, pages = letter_preview(letter)
    records = records_copy_of(letter)
    return {"letter": letter, "company": letter.company, "preview": preview, "pages": pages,
            "language_name": language_name_here(letter.language), "records": records,
            "records_preview": preview_markup(render_letter_html(records)) if records else None}


def letter_on_page(letter: Letter, several: bool) -> dict:
    """One letter as the download page shows it: read in the page, with its PDF's page count on its download
    button, its copy in the page language, how to send it and when the answer is due."""
    item = letter_in_page(letter)
    company = letter.company
    return {**item, "download_label": download_label(letter, item["pages"], several),
            "mailto": mailto_link(letter), "email_subject": email_subject(letter) if company.email else None,
            "text_url": url_for("wizard.letter_as_text", slug=company.slug),
            "due": due_dates(letter, today())}


@bp.get("/download/<slug>/deadline.ics")
def deadline(slug: str):
    """The answer deadline of the letter to one chosen company, sent today by ``channel`` (query), as an
    .ics event with a reminder: one per company, however many were chosen."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    letter = chosen_letter(letters_for(current_answers()), slug) or abort(404)
    due = due_dates(letter, today()).get(request.args.get("channel", ""))
    if due is None:
        return render_template("errors/error.html", title=_("This link is not valid"),
                               message=_("Go back to your letter and use its calendar link.")), 400
    return Response(deadline_ics(due, letter.company.brand, letter.reference), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{calendar_filename(letter.reference)}"'})


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


@bp.post("/download/records-copy")
def download_records_copy():
    """The letter in the page language, marked on every page as a copy for the person's records."""
    if (incomplete := redirect_if_incomplete()):
        return incomplete
    letter = chosen_letter(letters_for(current_answers()), request.form.get("letter"))
    records = records_copy_of(letter) if letter else None
    if records is None or not EmptyForm().validate_on_submit():
        return redirect(url_for("wizard.download"))
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            # Counted and timed like any letter (code review §4.6).
            return pdf_response(records, rendered_pdf(records))
    except TimeLimitExceeded:
        return too_slow()

