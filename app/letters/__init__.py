"""Letters: the data they are made from (model), their HTML (render) and their PDF (pdf)."""
from __future__ import annotations

from datetime import date

from .model import Letter, Person
from .pdf import html_to_pdf, page_count
from .render import letter_preview_html, render_letter_html  # noqa: F401  (letter_preview_html: for callers)


def letter_pdf(letter: Letter) -> bytes:
    """The finished letter as PDF bytes, kept in memory only."""
    photo_uri = letter.photo.data_uri if letter.photo else None
    return html_to_pdf(render_letter_html(letter), photo_uri)


def letter_page_count(letter: Letter) -> int:
    """Pages of the letter's PDF (without a photo, which may add one at the end)."""
    return page_count(render_letter_html(letter))


def letter_filename(letter: Letter) -> str:
    suffix = f"-{letter.language}-for-your-records" if letter.records_copy else ""
    return f"{letter.reference}-{letter.company.slug}-{letter.request_type}{suffix}.pdf"


def warm_up(app) -> None:
    """Render one full sample letter, so that the first visitor does not pay for compiling
    the letter templates, loading the fonts and CLDR data, or WeasyPrint's first layout."""
    company = next(iter(app.extensions["facerights.registry"]))
    sample = Letter(request_type="both", company=company, language=app.config["BABEL_DEFAULT_LOCALE"],
                    date=date.today(), reference="FR-00000000-WARMUP", grounds=("unlawful-biometric", "objection"),
                    objection_reason="Warm-up.", person=Person(full_name="Warm Up", email="warm-up@example.org",
                                                               street="1 Street", postcode="1000", city="City",
                                                               country="BE", profile_urls=("https://example.org",)))
    with app.app_context():
        letter_pdf(sample)
