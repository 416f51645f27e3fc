"""The plain data a letter is rendered from: no forms, no request, no Flask."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from ..companies import Company, Registry
from ..law.scope import Coverage, Law, coverage
from .photo import Photo

REQUEST_TYPES = ("access", "erasure", "both")
ERASURE_GROUNDS = ("unlawful-biometric", "consent-withdrawn", "objection")
# What the company may keep to stop collecting the person's images again.
SUPPRESSION_CHOICES = ("addresses", "template")
# How the person sends the letter: by post ("letter"), email or the company's web form.
CHANNELS = ("letter", "email", "webform")
# No 0/O or 1/I: the reference is read aloud and typed by hand.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    # The postal address is optional when the letter is not posted: every part may be empty.
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166 alpha-2
    profile_urls: tuple[str, ...] = ()
    address_line_2: str = ""

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address above the country, without empty lines: "Hauptstraße 12", "10115 Berlin"."""
        lines = (self.street, self.address_line_2, f"{self.postcode} {self.city}".strip())
        return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Letter:
    request_type: str
    company: Company
    person: Person
    language: str
    date: date
    reference: str
    grounds: tuple[str, ...] = ()
    objection_reason: str = ""
    suppression: str = "addresses"
    photo: Photo | None = None
    # The channels the person sends it by; empty means every channel the company has.
    channels: tuple[str, ...] = ()
    # A copy in the person's own language, marked "for your records, do not send".
    records_copy: bool = False

    @property
    def coverage(self) -> Coverage:
        return coverage(self.person.country)

    @property
    def law(self) -> Law:
        law = self.coverage.law
        if law is None:
            raise ValueError(f"no letter for a person living in {self.person.country}: the GDPR does not cover them")
        return law

    @property
    def asks_access(self) -> bool:
        return self.request_type in ("access", "both")

    @property
    def asks_erasure(self) -> bool:
        return self.request_type in ("erasure", "both")

    @property
    def objects(self) -> bool:
        return self.asks_erasure and "objection" in self.grounds

    @property
    def claims_unlawful(self) -> bool:
        return self.asks_erasure and "unlawful-biometric" in self.grounds

    @property
    def withdraws_consent(self) -> bool:
        return self.asks_erasure and "consent-withdrawn" in self.grounds

    @property
    def allows_suppression_template(self) -> bool:
        return self.asks_erasure and self.suppression == "template"

    @property
    def sent_by(self) -> tuple[str, ...]:
        return self.channels or self.company.channels

    @property
    def email_copy_line(self) -> str | None:
        """"also" when a posted letter also goes by email, "only" when it goes by email alone."""
        if not self.company.has_postal_address or not self.company.email or "email" not in self.sent_by:
            return None
        return "also" if "letter" in self.sent_by else "only"

    @property
    def recipient_address_lines(self) -> tuple[str, ...]:
        """The company's address; on international post the destination country in capitals (UPU)."""
        lines = self.company.address_lines
        if self.company.country and self.company.country != self.person.country and len(lines) > 1:
            return lines[:-1] + (lines[-1].upper(),)
        return lines

    @property
    def template_name(self) -> str:
        return f"{self.request_type}.html"


def web_addresses(text: str | None) -> tuple[str, ...]:
    """The web addresses typed one per line, blank lines ignored."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def new_reference(today: date) -> str:
    """A reference the person quotes in follow-ups, e.g. FR-20261129-K7Q2XM."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"FR-{today:%Y%m%d}-{suffix}"


def letter_from_answers(answers: dict, registry: Registry, *, language: str, today: date, reference: str,
                        photo: Photo | None = None, channels: tuple[str, ...] | None = None,
                        records_copy: bool = False) -> Letter:
    """Build a Letter from the wizard's (already validated) answers."""
    details = answers["your-details"]
    grounds = answers.get("erasure-grounds", {})
    objection = answers.get("objection-reason", {})
    request_type = answers["request-type"]["request_type"]
    erasure = request_type in ("erasure", "both")
    return Letter(
        request_type=request_type,
        company=registry.get(answers["company"]["company"]),
        person=Person(full_name=details["full_name"], email=details["email"], street=details.get("street") or "",
                      address_line_2=details.get("address_line_2") or "", postcode=details.get("postcode") or "",
                      city=details.get("city") or "", country=details["country"],
                      profile_urls=web_addresses(details.get("profile_urls"))),
        language=language,
        date=today,
        reference=reference,
        grounds=tuple(grounds.get("grounds", ())) if erasure else (),
        objection_reason=objection.get("objection_reason", "") if erasure and "objection" in grounds.get(
            "grounds", ()) else "",
        suppression=answers.get("recollection", {}).get("suppression", "addresses") if erasure else "addresses",
        photo=photo,
        channels=tuple(answers.get("sending", {}).get("channels", ()) if channels is None else channels),
        records_copy=records_copy,
    )
