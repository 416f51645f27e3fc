"""How the person sends a letter: the email's subject line and a mailto: link that opens it ready to write."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import flask_babel

from .model import Letter


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


def mailto_url(to: str, cc: tuple[str, ...], subject: str) -> str:
    """A mailto: URL (RFC 6068): spaces as %20, never "+", which mail programs would show as is."""
    fields = {"cc": ",".join(cc)} if cc else {}
    fields["subject"] = subject
    return f"mailto:{quote(to, safe='@')}?{urlencode(fields, quote_via=quote, safe='@,')}"
