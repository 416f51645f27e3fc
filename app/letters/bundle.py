"""Several letters in one download: a ZIP made in memory, one PDF per company, and an index.

The index is plain text in the page language (the person reads it; the letters are in
theirs): for each letter, its file, its reference, where to send it, when the company's contact
details were last checked, and when the answer is due.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..i18n import format_page_date
from ..case.timeline import Timeline
from .model import Letter

INDEX_NAME = "README.txt"


@dataclass(frozen=True)
class MadeLetter:
    letter: Letter
    filename: str
    pdf: bytes


def _where(letter: Letter) -> list[str]:
    """One line for each way the letter goes, in the order the person chose."""
    company = letter.company
    lines = []
    for channel in letter.sent_by:
        if channel == "letter" and company.has_postal_address:
            lines.append(_("By post to: %(address)s", address=", ".join(letter.recipient_address_lines)))
        elif channel == "email" and company.email:
            lines.append(_("By email to: %(address)s", address=", ".join(company.all_emails)))
        elif channel == "webform" and company.webform:
            lines.append(_("Through the web form: %(url)s", url=company.webform))
    return lines


def index_text(letters: list[MadeLetter], today: date, timeline: Timeline) -> str:
    """What to send where and by when, one block per letter."""
    day = lambda value: format_page_date(value, "long")  # noqa: E731  (as the pages write dates)
    blocks = [_("Your letters, one for each company. Send each one separately, and keep a copy of it and "
                "proof that you sent it."), ""]
    for made in letters:
        letter, company = made.letter, made.letter.company
        blocks.append(f"{made.filename}")
        blocks.append("  " + _("Company: %(name)s", name=company.name)
                      + (" " + _("(details typed by you)") if company.typed_by_person else ""))
        blocks.append("  " + _("Reference: %(reference)s", reference=letter.reference))
        blocks += ["  " + line for line in _where(letter)]
        if not company.typed_by_person:
            blocks.append("  " + _("Contact details last checked on %(date)s.", date=day(company.last_verified)))
        # The same dates as the download page: by the ways this letter goes out, with the host's post times.
        blocks.append("  " + _("The company must answer within one month of receiving your letter:"))
        for channel, due in timeline.dues_if_sent(today, letter.sent_by, company.country).items():
            blocks.append("    " + (_("by %(date)s if you email it today", date=day(due)) if channel == "email" else
                                    _("by %(date)s if you send it through the web form today", date=day(due))
                                    if channel == "webform" else
                                    _("by about %(date)s if you post it today (allowing the usual time for "
                                      "delivery)", date=day(due))))
        blocks.append("")
    return "\n".join(blocks)


def letters_zip(letters: list[MadeLetter], today: date, timeline: Timeline) -> bytes:
    """The ZIP, built in memory: nothing is written to disk. ``timeline``: the app's time engine."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, index_text(letters, today, timeline))
        for made in letters:
            archive.writestr(made.filename, made.pdf)
    return output.getvalue()


def zip_filename(letters: list[MadeLetter], today: date) -> str:
    return f"FaceRights-{today:%Y%m%d}-{len(letters)}-letters.zip"
