"""Which law protects a person, from the country they live in.

The GDPR protects people who are in the Union (Art. 3(2)); the EEA Agreement
extends it to Iceland, Liechtenstein and Norway (Decision of the EEA Joint
Committee No 154/2018). The United Kingdom has its own copy, the UK GDPR, with
the same article numbers and its own supervisory authority. Anyone else
(Switzerland included, which has its own Federal Act on Data Protection) gets
no GDPR letter from us.
"""
from __future__ import annotations

from dataclasses import dataclass

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
)
UK_GDPR = Law(
    key="uk-gdpr",
    abbreviation=_l("UK GDPR"),
    full_name=_l("UK General Data Protection Regulation (UK GDPR)"),
    # The UK GDPR exists only in English.
    official_languages=("en",),
    # UK courts are not bound by judgments of the Court of Justice given after 2020.
    follows_cjeu=False,
)


@dataclass(frozen=True)
class Coverage:
    """What protects a person living in ``country``: ``law`` is None where we have no letter for them."""
    country: str
    law: Law | None
    via_eea_agreement: bool = False

    @property
    def covered(self) -> bool:
        return self.law is not None

    @property
    def in_uk(self) -> bool:
        return self.law is UK_GDPR


def coverage(country: str) -> Coverage:
    if country in EU_COUNTRIES:
        return Coverage(country, GDPR)
    if country in EEA_EFTA_COUNTRIES:
        return Coverage(country, GDPR, via_eea_agreement=True)
    if country in UK_COUNTRIES:
        return Coverage(country, UK_GDPR)
    return Coverage(country, None)

