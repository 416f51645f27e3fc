"""Letters: the data they are made from (model), their HTML (render) and their PDF (pdf)."""
from __future__ import annotations

from .model import Letter
from .pdf import html_to_pdf
from .render import render_letter_html


def letter_pdf(letter: Letter) -> bytes:
    """The finished letter as PDF bytes, kept in memory only."""
    photo_uri = letter.photo.data_uri if letter.photo else None
    return html_to_pdf(render_letter_html(letter), photo_uri)


def letter_filename(letter: Letter) -> str:
    return f"{letter.reference}-{letter.company.slug}-{letter.request_type}.pdf"
