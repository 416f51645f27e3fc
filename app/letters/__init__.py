"""Letters: the documents of a case (model), their HTML (render) and their PDF (pdf)."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup

from ..case import record
from ..case.model import Person
from .model import Letter, new_request_letter
from .pages import page_count
from .pdf import html_to_pdf
from .render import preview_markup, render_letter_html

RECORD_DESCRIPTION = "FaceRights case record (reference, company, request, dates, sender, history)"


def letter_record(letter: Letter) -> dict:
    """The record the letter's PDF carries: its case, with the letter itself as the latest event."""
    return record.encode(letter.case_with_this, letter.kind, letter.date, letter.language)


def letter_pdf(letter: Letter, annexes: tuple[Letter, ...] = ()) -> bytes:
    """The finished letter as PDF bytes, kept in memory only, carrying its case (app/case/record.py);
    ``annexes``, the case's earlier letters made again from its record, follow it in the same PDF."""
    photo_uri = letter.photo.data_uri if letter.photo else None
    return html_to_pdf(render_letter_html(letter), photo_uri,
                       (record.ATTACHMENT_NAME, RECORD_DESCRIPTION, record.to_json(letter_record(letter))),
                       annexes=tuple(render_letter_html(annex) for annex in annexes))


def letter_preview(letter: Letter) -> tuple[Markup, int]:
    """The letter's body for a web page, and its PDF's page count (without a photo, which may
    add one at the end), from one rendering of its HTML; the count mostly without laying it out
    (pages.py)."""
    html = render_letter_html(letter)
    return preview_markup(html), page_count(html)


def letter_filename(letter: Letter) -> str:
    suffix = f"-{letter.language}-for-your-records" if letter.records_copy else ""
    return f"{letter.reference}-{letter.company.slug}-{letter.file_kind}{suffix}.pdf"


def warm_up(app) -> None:
    """Render one full sample letter and count its pages, so that the first visitor does not pay for
    compiling the letter templates, loading the fonts and CLDR data, or WeasyPrint's first layout."""
    company = next(iter(app.extensions["facerights.registry"]))
    today = date.today()
    person = Person(full_name="Warm Up", email="warm-up@example.org", street="1 Street", postcode="1000",
                    city="City", country="BE", profile_urls=("https://example.org",))
    sample = new_request_letter(request_type="both", company=company, person=person,
                                language=app.config["BABEL_DEFAULT_LOCALE"], date=today, reference="FR-00000000-WARMUP",
                                grounds=("unlawful-biometric", "objection"), objection_reason="Warm-up.")
    with app.app_context():
        letter_pdf(sample)
        letter_preview(sample)  # the glyph widths that count its pages
