"""Letters: the data they are made from (model), their HTML (render) and their PDF (pdf)."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup

from .annex import append_annex
from .answers import ATTACHMENT_NAME, record_json
from .model import Letter, Person
from .pages import page_count
from .pdf import html_to_pdf
from .render import preview_markup, render_letter_html


def letter_pdf(letter: Letter, annex: bytes | None = None) -> bytes:
    """The finished letter as PDF bytes, kept in memory only, carrying its answers (see answers.py);
    ``annex``, a PDF (the original request), is appended after it."""
    photo_uri = letter.photo.data_uri if letter.photo else None
    pdf = html_to_pdf(render_letter_html(letter), photo_uri,
                      (ATTACHMENT_NAME, "FaceRights answers (reference, company, request, dates, sender)",
                       record_json(letter)))
    return append_annex(pdf, annex) if annex else pdf


def letter_preview(letter: Letter) -> tuple[Markup, int]:
    """The letter's body for a web page, and its PDF's page count (without a photo, which may
    add one at the end), from one rendering of its HTML; the count mostly without laying it out
    (pages.py)."""
    html = render_letter_html(letter)
    return preview_markup(html), page_count(html)


def letter_filename(letter: Letter) -> str:
    kind = letter.request_type if letter.is_request else letter.kind
    suffix = f"-{letter.language}-for-your-records" if letter.records_copy else ""
    return f"{letter.reference}-{letter.company.slug}-{kind}{suffix}.pdf"


def warm_up(app) -> None:
    """Render one full sample letter and count its pages, so that the first visitor does not pay for
    compiling the letter templates, loading the fonts and CLDR data, or WeasyPrint's first layout."""
    company = next(iter(app.extensions["facerights.registry"]))
    sample = Letter(request_type="both", company=company, language=app.config["BABEL_DEFAULT_LOCALE"],
                    date=date.today(), reference="FR-00000000-WARMUP", grounds=("unlawful-biometric", "objection"),
                    objection_reason="Warm-up.", person=Person(full_name="Warm Up", email="warm-up@example.org",
                                                               street="1 Street", postcode="1000", city="City",
                                                               country="BE", profile_urls=("https://example.org",)))
    with app.app_context():
        letter_pdf(sample)
        letter_preview(sample)  # the glyph widths that count its pages
