"""The plain data a letter is rendered from: no forms, no request, no Flask."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from ..companies import Company, Registry
from .photo import Photo

REQUEST_TYPES = ("access", "erasure", "both")
ERASURE_GROUNDS = ("unlawful-biometric", "objection")
# No 0/O or 1/I: the reference is read aloud and typed by hand.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166 alpha-2
    profile_urls: tuple[str, ...] = ()


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
    photo: Photo | None = None

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
                        photo: Photo | None = None) -> Letter:
    """Build a Letter from the wizard's (already validated) answers."""
    details = answers["your-details"]
    grounds = answers.get("erasure-grounds", {})
    request_type = answers["request-type"]["request_type"]
    erasure = request_type in ("erasure", "both")
    return Letter(
        request_type=request_type,
        company=registry.get(answers["company"]["company"]),
        person=Person(full_name=details["full_name"], email=details["email"], street=details["street"],
                      postcode=details["postcode"], city=details["city"], country=details["country"],
                      profile_urls=web_addresses(details.get("profile_urls"))),
        language=language,
        date=today,
        reference=reference,
        grounds=tuple(grounds.get("grounds", ())) if erasure else (),
        objection_reason=grounds.get("objection_reason", "") if erasure else "",
        photo=photo,
    )
