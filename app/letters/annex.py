"""A letter and the earlier letters of its case, as one PDF: those appended as annexes."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def append_annexes(letter_pdf: bytes, annexes: tuple[bytes, ...]) -> bytes:
    """The letter with all its structure (tags, language, attachment) kept, then each annex's pages.
    The annexes are FaceRights' own letters, made again from the case; their attachments are not
    carried over: the PDF holds the case's record once, its own."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf)))
    for annex_pdf in annexes:
        for page in PdfReader(io.BytesIO(annex_pdf)).pages:
            writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
