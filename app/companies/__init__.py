"""The company registry: one JSON record per company, validated at start-up.

Records ship in ``app/companies/records``. An NGO adds a company, or overrides a
shipped one by its slug, by dropping a record into ``<instance>/companies/``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jsonschema
from babel import Locale

HERE = Path(__file__).resolve().parent
SHIPPED_RECORDS = HERE / "records"
SCHEMA = json.loads((HERE / "schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


class RegistryError(Exception):
    """A record is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Decision:
    authority: str
    country: str
    date: date
    amount: float | None
    currency: str | None
    summary: str
    url: str
    cite_in_letter: bool
    reference: str | None = None
    authority_translations: dict = field(default_factory=dict, compare=False)

    def authority_in(self, language: str) -> str:
        return self.authority_translations.get(language, self.authority)


@dataclass(frozen=True)
class Company:
    slug: str
    name: str
    description: str
    web: str
    country: str | None  # ISO 3166 code of the establishment the letter goes to, where known
    address_lines: tuple[str, ...]
    email: str | None
    additional_emails: tuple[str, ...]
    webform: str | None
    webform_hint: str | None
    webform_is_guide: bool  # the address is a page that explains the form, not the form itself
    request_language: str
    suggested_medium: str
    established_in_eu: bool
    established_in_uk: bool
    eu_representative: dict | None
    # A regulator found that no Art. 27 representative was designated (null representative alone means unknown).
    eu_representative_absent: bool
    # The same for a representative in the United Kingdom (UK GDPR Art. 27).
    uk_representative_absent: bool
    related_entities: tuple[dict, ...]
    requires_photo: bool
    requires_id_document: str
    enforcement: tuple[Decision, ...]
    sources: tuple[str, ...]
    last_verified: date
    verification: str
    record: dict = field(repr=False, compare=False)
    # "Another company": every detail typed by the person; the letters describe nothing of its processing.
    typed_by_person: bool = False

    @property
    def contact_unpublished(self) -> bool:
        """A source establishes that it publishes no postal address, no email for requests and no controller."""
        return "contact-unpublished" in self.record

    @property
    def scope_rulings(self) -> tuple[dict, ...]:
        """Judgments that the law applies to this company, each with a ``date`` (datetime.date)."""
        return tuple(dict(ruling, date=date.fromisoformat(ruling["date"]))
                     for ruling in self.record.get("scope-rulings", ()))

    @property
    def brand(self) -> str:
        """The name people know ("Lenso.ai"); ``name`` is the legal name the letter is addressed to."""
        return self.record.get("brand") or self.name

    def description_in(self, language: str) -> str:
        return self.record.get("description-translations", {}).get(language, self.description)

    def description_language(self, language: str) -> str:
        """The language ``description_in(language)`` is really in: records are written in English."""
        return language if language in self.record.get("description-translations", {}) else "en"

    def webform_hint_language(self, language: str) -> str:
        return language if language in self.record.get("webform-hint-translations", {}) else "en"

    def webform_hint_in(self, language: str) -> str | None:
        return self.record.get("webform-hint-translations", {}).get(language, self.webform_hint)

    @property
    def all_emails(self) -> tuple[str, ...]:
        return ((self.email,) if self.email else ()) + self.additional_emails

    @property
    def has_postal_address(self) -> bool:
        return bool(self.address_lines)

    def address_with_country(self, country_name: str) -> tuple[str, ...]:
        """The postal address with its last line, the country, as ``country_name`` (a complaint names it in its
        own language). A record's address ends with the country's English name (the envelope's last line); a
        typed company's with the country as the person's letter named it. Any other last line is kept."""
        lines = self.address_lines
        if len(lines) < 2 or not self.country:
            return lines
        english = Locale("en").territories.get(self.country, "")
        if self.typed_by_person or lines[-1].strip().casefold() == english.casefold():
            return lines[:-1] + (country_name,)
        return lines

    @property
    def typed_details(self) -> dict | None:
        """What the person typed for a company not in the registry (the "other company" page's answer: name,
        street, postcode, city, country, email), so that its letters carry it; None for the registry's."""
        return self.record.get(TYPED_DETAILS) if self.typed_by_person else None

    @property
    def channels(self) -> tuple[str, ...]:
        """How the letter can reach the company, the suggested channel first."""
        available = [medium for medium, present in (("letter", self.has_postal_address),
                                                    ("email", bool(self.email)),
                                                    ("webform", bool(self.webform))) if present]
        available.sort(key=lambda medium: medium != self.suggested_medium)
        return tuple(available)

    @property
    def decisions_to_cite(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.enforcement if d.cite_in_letter)


def _company_from_record(record: dict) -> Company:
    return Company(
        slug=record["slug"],
        name=record["name"],
        description=record["description"],
        web=record["web"],
        country=record.get("country"),
        address_lines=tuple((record["address"] or "").splitlines()),
        email=record["email"],
        additional_emails=tuple(record.get("additional-emails", ())),
        webform=record["webform"],
        webform_hint=record.get("webform-hint"),
        webform_is_guide=record.get("webform-kind", "form") == "guide",
        request_language=record["request-language"],
        suggested_medium=record["suggested-transport-medium"],
        established_in_eu=record["established-in-eu"],
        established_in_uk=record.get("established-in-uk", False),
        eu_representative=record["eu-representative"],
        eu_representative_absent="eu-representative-absent" in record,
        uk_representative_absent="uk-representative-absent" in record,
        related_entities=tuple(record.get("related-entities", ())),
        requires_photo=record["requires-photo"],
        requires_id_document=record["requires-id-document"],
        enforcement=tuple(
            Decision(authority=d["authority"], country=d["country"], date=date.fromisoformat(d["date"]),
                     amount=d.get("amount"), currency=d.get("currency"), summary=d["summary"],
                     url=d["url"], cite_in_letter=d["cite-in-letter"], reference=d.get("reference"),
                     authority_translations=d.get("authority-translations", {}))
            for d in sorted(record["enforcement"], key=lambda d: d["date"])),
        sources=tuple(record["sources"]),
        last_verified=date.fromisoformat(record["last-verified"]),
        verification=record["verification"],
        record=record,
    )


OTHER = "other"  # the slug of a company typed by the person; no record may take it
# Where a typed company keeps what the person typed (Company.record holds a registry company's record).
TYPED_DETAILS = "typed-details"


def typed_company(*, name: str, street: str, postcode: str, city: str, country: str, email: str,
                  country_name: str, request_language: str) -> Company:
    """A company that is not in the registry, made only of what the person typed (already validated).
    ``country_name`` goes on the envelope's last line; an empty street means no postal address."""
    lines = (name, street, f"{postcode} {city}".strip(), country_name) if street else ()
    return Company(
        slug=OTHER, name=name, description="", web="", country=country, address_lines=lines,
        email=email or None, additional_emails=(), webform=None, webform_hint=None, webform_is_guide=False,
        request_language=request_language, suggested_medium="letter" if street else "email",
        established_in_eu=False, established_in_uk=False, eu_representative=None, eu_representative_absent=False,
        uk_representative_absent=False,
        related_entities=(), requires_photo=False, requires_id_document="unknown", enforcement=(), sources=(),
        last_verified=date.min, verification="typed-by-person", typed_by_person=True,
        record={TYPED_DETAILS: {"name": name, "street": street, "postcode": postcode, "city": city,
                                "country": country, "email": email}})


def validate_record(record: object, origin: str) -> None:
    """Raise RegistryError with every schema problem of one record."""
    problems = sorted(_VALIDATOR.iter_errors(record), key=lambda e: list(e.absolute_path))
    if problems:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}" for e in problems)
        raise RegistryError(f"{origin}: {details}")
    channels = [record.get("address"), record.get("email"), record.get("webform")]
    if not any(channels):
        raise RegistryError(f"{origin}: a company needs at least a postal address, an email or a web form")
    medium_field = {"letter": "address", "email": "email", "webform": "webform"}[record["suggested-transport-medium"]]
    if not record.get(medium_field):
        raise RegistryError(f"{origin}: suggested-transport-medium is {record['suggested-transport-medium']!r} "
                            f"but {medium_field!r} is empty")


def _read_records(folder: Path) -> dict[str, dict]:
    records = {}
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RegistryError(f"{path}: not readable JSON ({error})") from error
        validate_record(record, str(path))
        if record["slug"] == OTHER:
            raise RegistryError(f"{path}: the slug {OTHER!r} is kept for a company the person types")
        if record["slug"] != path.stem:
            raise RegistryError(f"{path}: the file name must be the slug ({record['slug']}.json)")
        records[record["slug"]] = record
    return records


@dataclass(frozen=True)
class Replacement:
    """A record that replaces an earlier one of the same slug (an NGO's correction of a shipped record),
    with both verification dates: after an update the shipped one may be the newer."""
    slug: str
    path: Path
    replaced_verified: date
    verified: date

    @property
    def replaces_a_newer_record(self) -> bool:
        return self.replaced_verified > self.verified


class Registry:
    """The companies a letter can be addressed to, in display order."""

    def __init__(self, companies: dict[str, Company], replaced: tuple[Replacement, ...] = ()):
        self._companies = companies
        self.replaced = replaced

    @classmethod
    def load(cls, *folders: Path) -> "Registry":
        """Later folders add companies or override earlier ones by slug (listed in ``replaced``)."""
        records: dict[str, dict] = {}
        replaced = []
        for folder in folders:
            if folder.is_dir():
                found = _read_records(folder)
                replaced += [Replacement(slug, folder / f"{slug}.json", date.fromisoformat(records[slug]["last-verified"]),
                                         date.fromisoformat(found[slug]["last-verified"]))
                             for slug in found if slug in records]
                records.update(found)
        if not records:
            raise RegistryError("the company registry is empty")
        return cls({slug: _company_from_record(record) for slug, record in records.items()}, tuple(replaced))

    def get(self, slug: str | None) -> Company | None:
        return self._companies.get(slug) if slug else None

    def __iter__(self):
        return iter(self._companies.values())

    def __len__(self) -> int:
        return len(self._companies)

    def slugs(self) -> list[str]:
        return list(self._companies)

    def restricted_to(self, slugs) -> "Registry":
        """Only these companies, in this order (a campaign may show only one)."""
        unknown = [slug for slug in slugs if slug not in self._companies]
        if unknown:
            raise RegistryError(f"unknown company {', '.join(map(repr, unknown))}; "
                                f"the registry has {', '.join(self._companies)}")
        return Registry({slug: self._companies[slug] for slug in slugs}, self.replaced)
