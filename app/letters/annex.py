"""A complaint and the request it is about, as one PDF: the request appended as an annex."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def append_annex(letter_pdf: bytes, annex_pdf: bytes) -> bytes:
    """The letter with all its structure (tags, language, attachment) kept, then the annex's pages.
    The annex's own attachments are not carried over: the PDF holds the complaint's answers only."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf)))
    annex = PdfReader(io.BytesIO(annex_pdf))
    for page in annex.pages:
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
