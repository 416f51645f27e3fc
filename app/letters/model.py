"""The plain data a letter is rendered from: no forms, no request, no Flask."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date

from babel.languages import get_official_languages

from ..companies import OTHER, Company, Registry, typed_company
from ..law.authorities import Authority
from ..law.scope import Coverage, Law, allowed_languages, coverage, language_or_fallback
from .photo import Photo

REQUEST_TYPES = ("access", "erasure", "both")
ERASURE_GROUNDS = ("unlawful-biometric", "consent-withdrawn", "objection")
# What the company may keep to stop collecting the person's images again.
SUPPRESSION_CHOICES = ("addresses", "template")
# How the person sends the letter: by post ("letter"), email or the company's web form.
CHANNELS = ("letter", "email", "webform")
# What a company may have done after the request; each but the last gets a letter of its own.
FOLLOW_UPS = ("no-answer", "asked-for-id", "asked-for-photo", "no-data", "incomplete", "erasure-refused")
SITUATIONS = FOLLOW_UPS + ("extension-announced",)
# The elements of an access request (access.html), for an answer that left some out.
ACCESS_ITEMS = ("copy", "images", "templates", "source-addresses", "searches", "purposes", "categories",
                "recipients", "storage-period", "source", "automated-decisions", "transfer-safeguards")
# What a company that asked for a photo gets in reply.
PHOTO_REPLIES = ("send", "refuse")
# What a company that did not erase said.
REFUSALS = ("refused", "not-applicable")
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
class Original:
    """The request a follow-up letter or a complaint refers to: when it was written, sent and due."""
    date: date
    sent: date | None = None
    channel: str | None = None  # "letter", "email" or "webform"
    due: date | None = None  # the last day of the answer period


@dataclass(frozen=True)
class Complaint:
    """A complaint to a supervisory authority about a request (Art. 77)."""
    authority: Authority
    situation: str  # one of SITUATIONS but "extension-announced"
    representative: str | None = None  # an organisation mandated under Art. 80(1)
    annexed: bool = True  # the original request is appended to the PDF


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
    # "request" (the first letter), one of FOLLOW_UPS, or "complaint".
    kind: str = "request"
    # For follow-ups and complaints: the request they refer to (same reference, its own date).
    original: Original | None = None
    missing: tuple[str, ...] = ()  # incomplete: the ACCESS_ITEMS the answer left out
    photo_reply: str = "send"  # asked-for-photo
    refusal: str = "refused"  # erasure-refused
    final_date: date | None = None  # the last day a follow-up gives before the complaint
    complaint: Complaint | None = None
    # A copy in the person's own language, marked "for your records, do not send".
    records_copy: bool = False

    @property
    def coverage(self) -> Coverage:
        """The law from both sides: where the person lives and where the company is established."""
        return coverage(self.person.country, self.company)

    @property
    def law(self) -> Law:
        law = self.coverage.law
        if law is None:
            raise ValueError(f"no letter for a person living in {self.person.country} to {self.company.name}: "
                             "neither the GDPR nor the UK GDPR covers it")
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
        if (self.kind == "complaint" or not self.company.has_postal_address or not self.company.email
                or "email" not in self.sent_by):
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
    def is_request(self) -> bool:
        return self.kind == "request"

    @property
    def request_date(self) -> date:
        """The date of the request this letter is, or refers to."""
        return self.original.date if self.original else self.date

    @property
    def template_name(self) -> str:
        if self.kind == "request":
            return f"{self.request_type}.html"
        if self.kind == "complaint":
            return "complaint.html"
        return f"followup/{self.kind}.html"


def web_addresses(text: str | None) -> tuple[str, ...]:
    """The web addresses typed one per line, blank lines ignored."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def new_reference(today: date) -> str:
    """A reference the person quotes in follow-ups, e.g. FR-20261129-K7Q2XM."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"FR-{today:%Y%m%d}-{suffix}"


# The letter-language answer that gives every company its own request language.
EACH_COMPANY_LANGUAGE = "company"


def chosen_slugs(answers: dict) -> list[str]:
    """The companies chosen on the company page, in the registry's order ("other" last)."""
    return list(answers.get("company", {}).get("company", []))


def request_language_of(country: str, languages) -> str:
    """A typed company's language: the first official language of its country that we write in, else English."""
    return language_or_fallback(next((code for code in get_official_languages(country, de_facto=True)
                                      if code in languages), None), languages)


def typed_company_from(answer: dict, letter_language: str, languages) -> Company:
    """The company the person typed on the "another company" page, its country named in the letter's language."""
    from ..i18n import postal_country_name

    return typed_company(name=answer["name"], street=answer["street"], postcode=answer["postcode"],
                         city=answer["city"], country=answer["country"], email=answer["email"],
                         country_name=postal_country_name(answer["country"], letter_language),
                         request_language=request_language_of(answer["country"], languages))


def letter_language_for(company: Company, chosen: str, allowed) -> str:
    """The chosen language, or with EACH_COMPANY_LANGUAGE the company's own where the law has an
    official text in it (else English, which every law we write under has)."""
    if chosen != EACH_COMPANY_LANGUAGE:
        return chosen
    return language_or_fallback(company.request_language, allowed)


def companies_chosen(answers: dict, registry: Registry, languages) -> list[Company]:
    """The chosen companies before any language is chosen (a typed one's country named in English):
    for the pages that ask how the letters will be sent."""
    return [typed_company_from(answers["other-company"], "en", languages) if slug == OTHER else registry.get(slug)
            for slug in chosen_slugs(answers)
            if (slug == OTHER and "other-company" in answers) or registry.get(slug) is not None]


def chosen_companies(answers: dict, registry: Registry, languages) -> list[tuple[Company, str]]:
    """Each chosen company that a law covers a letter to (app/law/scope.py), with the language of its letter."""
    chosen = answers["letter-language"]["letter_language"]
    country = answers["your-details"]["country"]
    result = []
    for company in companies_chosen(answers, registry, languages):
        allowed = allowed_languages(coverage(country, company), languages)
        if not allowed:
            continue  # no law covers a letter to this company: the pages say so
        language = letter_language_for(company, chosen, allowed)
        result.append((typed_company_from(answers["other-company"], language, languages)
                       if company.typed_by_person else company, language))
    return result


def letter_from_answers(answers: dict, registry: Registry, *, language: str, today: date, reference: str,
                        photo: Photo | None = None, channels: tuple[str, ...] | None = None,
                        records_copy: bool = False, company: Company | None = None) -> Letter:
    """Build a Letter from the wizard's (already validated) answers, to ``company`` (default: the first chosen).
    Without ``channels``, the ways chosen on the "sending" page that this company offers."""
    details = answers["your-details"]
    grounds = answers.get("erasure-grounds", {})
    objection = answers.get("objection-reason", {})
    request_type = answers["request-type"]["request_type"]
    erasure = request_type in ("erasure", "both")
    company = company or registry.get(chosen_slugs(answers)[0])
    if channels is None:
        channels = tuple(channel for channel in answers.get("sending", {}).get("channels", ())
                         if channel in company.channels)
    return Letter(
        request_type=request_type,
        company=company,
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
        channels=tuple(channels),
        records_copy=records_copy,
    )


def follow_up(request: Letter, kind: str, *, today: date, original: Original, language: str | None = None,
              **details) -> Letter:
    """A follow-up letter (or complaint) about ``request``: same person, company and reference, dated today.
    The request's photo is never carried over; a follow-up encloses one only when given one."""
    details.setdefault("photo", None)
    return replace(request, kind=kind, date=today, original=original, language=language or request.language,
                   **details)
