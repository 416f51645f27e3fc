"""A ready email for a letter: a mailto: link with recipient, copies, subject and a short body.

The body only says that the request is attached: the letter itself (the PDF) is the request.
Everything is in the letter's language and percent-encoded with the standard library
(RFC 6068). Mail clients and browsers refuse or cut long mailto: links (about 2,000
characters is what all of them accept), so the body is left out before the link grows past that.
"""
from __future__ import annotations

from urllib.parse import quote

import flask_babel

from .model import Letter

MAX_MAILTO_LENGTH = 2000


def _encoded(text: str) -> str:
    # RFC 6068: every reserved character percent-encoded, line breaks as %0D%0A.
    return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def email_subject(letter: Letter) -> str:
    """The subject line, in the letter's language, with the reference the company should quote."""
    with flask_babel.force_locale(letter.language):
        # Translators: the subject line of the email that carries the letter; %(gdpr)s is the law's
        # abbreviation (DSGVO, RGPD...), %(reference)s is like FR-20261129-K7Q2XM.
        names = {"reference": letter.reference, "gdpr": str(letter.law.abbreviation)}
        if letter.request_type == "access":
            return flask_babel.gettext("%(gdpr)s access request, reference %(reference)s", **names)
        if letter.request_type == "erasure":
            return flask_babel.gettext("%(gdpr)s erasure request, reference %(reference)s", **names)
        return flask_babel.gettext("%(gdpr)s access and erasure request, reference %(reference)s", **names)


def email_body(letter: Letter) -> str:
    with flask_babel.force_locale(letter.language):
        return "\n\n".join((
            flask_babel.gettext("Dear Sir or Madam,"),
            flask_babel.gettext("Please find attached my request under the %(gdpr)s, with the reference "
                                "%(reference)s. The attached letter sets out the request in full; please quote "
                                "the reference in your answer.", gdpr=str(letter.law.abbreviation),
                                reference=letter.reference),
            # No name: a mailto: link is a URL, and personal data never travel in URLs; the mail
            # program adds the sender.
            flask_babel.gettext("Yours faithfully,")))


def mailto_link(letter: Letter) -> str | None:
    """The link, or None when the company has no email address. Render inside an app context."""
    company = letter.company
    if not company.email:
        return None
    link = "mailto:" + quote(company.email, safe="@")
    fields = []
    if company.additional_emails:
        fields.append("cc=" + quote(",".join(company.additional_emails), safe="@,"))
    fields.append("subject=" + _encoded(email_subject(letter)))
    with_body = link + "?" + "&".join(fields + ["body=" + _encoded(email_body(letter))])
    if len(with_body) <= MAX_MAILTO_LENGTH:
        return with_body
    return link + "?" + "&".join(fields)
