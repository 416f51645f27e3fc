"""Which law covers a letter: from where the person lives and where the company is established.

Both sides can bring a law (Art. 3 GDPR and UK GDPR):

- The establishment (Art. 3(1)): a company established in the Union is bound by the GDPR for every
  processing in the context of that establishment, whoever the data concern, "whatever their
  nationality or place of residence" (recital 14). The same holds for the UK GDPR and an
  establishment in the United Kingdom.
- The territory (Art. 3(2)(b)): a company established elsewhere is bound where it monitors the
  behaviour of people in the Union (or in the United Kingdom), which collecting and indexing their
  faces does.

The EEA Agreement extends the GDPR to Iceland, Liechtenstein and Norway (Decision of the EEA Joint
Committee No 154/2018), both as a place to live and as a place of establishment. Switzerland has its
own Federal Act on Data Protection: neither of our laws comes from a Swiss residence.

The rule, in order: an establishment in the Union or the EEA gives a GDPR letter (Art. 3(1)), even to a
person in the United Kingdom, who writes under the EU GDPR (and may say that the UK GDPR applies as
well); a person in the Union or the EEA gets a GDPR letter (Art. 3(2)(b)); an establishment in the United
Kingdom or a person living there gives a UK GDPR letter; anyone else gets no letter. A company the person
typed is established where its address is; a record of the registry says so itself (``established-in-eu``,
``established-in-uk``, ``country``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from flask_babel import lazy_gettext as _l

# The 27 Member States, and territories with their own ISO code that are part of
# the Union: Åland (FI), the French outermost regions, the Canary Islands, Ceuta
# and Melilla (ES). Not the overseas countries and territories (Greenland, the
# Faroes, French Polynesia...), where the GDPR does not apply.
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "AX GF GP MQ RE YT MF IC EA".split())
EEA_EFTA_COUNTRIES = frozenset({"IS", "LI", "NO"})
UK_COUNTRIES = frozenset({"GB"})

# Article 3(1): the company's establishment brings the law, whoever the person is and wherever they live.
ESTABLISHMENT = "art-3-1"
# Article 3(2)(b): the company, established elsewhere, monitors the behaviour of people in the territory.
MONITORING = "art-3-2"

# Every law we write under has an official English text: the language of last resort.
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Law:
    """A data-protection law our letters can rely on."""
    key: str
    # Translators: the regulation's abbreviation as the letter cites it, e.g. "Article 15(1) GDPR".
    abbreviation: object
    # The full name, as the first sentence of each letter introduces it.
    full_name: object
    # Letter languages in which this law has an official text (None: all of ours).
    official_languages: tuple[str, ...] | None
    # Whether judgments of the Court of Justice of the EU bind its courts.
    follows_cjeu: bool
    # Where it protects the people who live there (its Art. 3(2)), and where an establishment brings it (Art. 3(1)).
    territory: frozenset[str] = frozenset()

    def allows_language(self, language: str) -> bool:
        return self.official_languages is None or language in self.official_languages


GDPR = Law(
    key="gdpr",
    # Translators: abbreviation of the GDPR in the letter language: DSGVO, RGPD, AVG, ΓΚΠΔ, RODO...
    abbreviation=_l("GDPR"),
    # Translators: follows "under Article 15 of the" in the first sentence of a letter; use the form that fits there.
    full_name=_l("General Data Protection Regulation (EU) 2016/679 (GDPR)"),
    official_languages=None,
    follows_cjeu=True,
    territory=EU_COUNTRIES | EEA_EFTA_COUNTRIES,
)
UK_GDPR = Law(
    key="uk-gdpr",
    abbreviation=_l("UK GDPR"),
    full_name=_l("UK General Data Protection Regulation (UK GDPR)"),
    # The UK GDPR exists only in English.
    official_languages=("en",),
    # UK courts are not bound by judgments of the Court of Justice given after 2020.
    follows_cjeu=False,
    territory=UK_COUNTRIES,
)


class Establishment(Protocol):
    """What scope needs of a company (app.companies.Company has it)."""
    country: str | None
    established_in_eu: bool
    established_in_uk: bool
    typed_by_person: bool


@dataclass(frozen=True)
class Coverage:
    """The law a letter from a person living in ``country`` to one company relies on, and why.

    ``law`` is None where neither side brings the GDPR or the UK GDPR: no letter."""
    country: str
    law: Law | None = None
    # ESTABLISHMENT (Art. 3(1)) or MONITORING (Art. 3(2)(b)); None without a law.
    basis: str | None = None
    # Where the company is established, when that brings the law and we know the country.
    establishment_country: str | None = None
    # The person lives in Iceland, Liechtenstein or Norway: the GDPR reaches them through the EEA Agreement.
    via_eea_agreement: bool = False
    # A person in the United Kingdom writing under the EU GDPR (Art. 3(1)): the UK GDPR applies as well.
    also_uk_gdpr: bool = False

    @property
    def covered(self) -> bool:
        return self.law is not None

    @property
    def in_uk(self) -> bool:
        """The letter relies on the UK GDPR (and a complaint goes to the United Kingdom's authority)."""
        return self.law is UK_GDPR

    @property
    def by_establishment(self) -> bool:
        return self.basis == ESTABLISHMENT

    @property
    def lives_in_territory(self) -> bool:
        """Whether the person lives where the law applies, so that their own authority hears them (Art. 77(1))."""
        return self.law is not None and self.country in self.law.territory

    @property
    def complaint_country(self) -> str | None:
        """The country whose supervisory authority a complaint goes to by default: the person's own, else
        (a person living outside the law's territory) that of the company's establishment, which for an
        establishment in a Member State is its lead authority (Art. 56(1)); a person may complain to any
        authority of the Union (Art. 77(1): "in particular"). None where we know neither."""
        if self.law is None:
            return None
        return self.country if self.lives_in_territory else self.establishment_country


def _established_in(company: Establishment | None) -> Law | None:
    """The law the company's establishment brings: a registry record says so; a typed company is established
    where its address is."""
    if company is None:
        return None
    if company.typed_by_person:
        return next((law for law in (GDPR, UK_GDPR) if company.country in law.territory), None)
    if company.established_in_eu:
        return GDPR
    if company.established_in_uk:
        return UK_GDPR
    return None


def coverage(country: str, company: Establishment | None) -> Coverage:
    """The law that covers a letter from a person living in ``country`` (ISO 3166 alpha-2) to ``company``."""
    country = (country or "").upper()
    established = _established_in(company)
    where = company.country if company is not None else None
    if established is GDPR:
        return Coverage(country, GDPR, ESTABLISHMENT, establishment_country=where,
                        via_eea_agreement=country in EEA_EFTA_COUNTRIES, also_uk_gdpr=country in UK_COUNTRIES)
    if country in GDPR.territory:
        return Coverage(country, GDPR, MONITORING, via_eea_agreement=country in EEA_EFTA_COUNTRIES)
    if established is UK_GDPR:
        return Coverage(country, UK_GDPR, ESTABLISHMENT, establishment_country=where)
    if country in UK_GDPR.territory:
        return Coverage(country, UK_GDPR, MONITORING)
    return Coverage(country)


def allowed_languages(coverages: Coverage | Iterable[Coverage], configured: Iterable[str]) -> list[str]:
    """The configured letter languages, in their order, in which every covered letter can be written (the
    law of each has an official text in it). Letters that are not covered set no condition; none covered:
    no language, since no letter is written."""
    laws = [each.law for each in ([coverages] if isinstance(coverages, Coverage) else coverages) if each.law]
    if not laws:
        return []
    return [code for code in configured if all(law.allows_language(code) for law in laws)]


def language_or_fallback(preferred: str | None, allowed: Iterable[str]) -> str:
    """``preferred`` where it is allowed, else English (which every law we write under has)."""
    return preferred if preferred in list(allowed) else FALLBACK_LANGUAGE
