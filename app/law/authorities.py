"""Which supervisory authority hears a person's complaint (Art. 77 GDPR).

A person may complain to the authority of the Member State of their habitual
residence (Art. 77(1)); in Germany that is the authority of their Land for a
complaint about a private company. The directory (data/supervisory-authorities.json)
is a copy of the datenanfragen/data records (CC0), its source recorded in the file.
The United Kingdom (UK GDPR, the ICO) and Switzerland (Federal Act on Data
Protection, the FDPIC) are listed too, flagged as outside the GDPR. A person who
lives outside the law's territory and writes to a company established in it
(Art. 3(1)) complains by default to the authority of that establishment.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .scope import Coverage, language_or_fallback

DIRECTORY = Path(__file__).parent / "data" / "supervisory-authorities.json"

# Territories with their own ISO code that are part of a Member State (see scope.py).
PARENT_COUNTRY = {"AX": "FI", "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "MF": "FR",
                  "IC": "ES", "EA": "ES"}

# The Länder (ISO 3166-2:DE), by their own names.
LANDS = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
    "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
    "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen",
}

# Postcode regions follow the post's routes, not the Länder's borders: the longest matching
# prefix gives the most likely Land, which the person confirms on the web (or overrides with
# --authority on the command line).
_POSTCODE_PREFIXES = {
    **{f"{n:02d}": land for land, numbers in {
        "SN": (1, 2, 4, 8, 9), "BB": (3, 14, 15, 16), "ST": (6, 39), "TH": (7, 98, 99),
        "BE": (10, 12, 13), "MV": (17, 18, 19), "HH": (20, 22), "NI": (21, 26, 27, 29, 30, 31, 37, 38, 49),
        "SH": (23, 24, 25), "HB": (28,), "NW": (32, 33, 40, 41, 42, 44, 45, 46, 47, 48, 50, 51, 52, 53, 57, 58, 59),
        "HE": (34, 35, 36, 60, 61, 63, 64, 65), "RP": (54, 55, 56, 67), "SL": (66,),
        "BW": (68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 88, 89),
        "BY": (80, 81, 82, 83, 84, 85, 86, 87, 90, 91, 92, 93, 94, 95, 96, 97),
    }.items() for n in numbers},
    "0196": "BB", "0197": "BB", "0198": "BB", "0199": "BB", "049": "BB", "0655": "TH", "0656": "TH",
    "0657": "TH", "140": "BE", "141": "BE", "1726": "BB", "1727": "BB", "1728": "BB", "1729": "BB",
    "1932": "BB", "1933": "BB", "1934": "BB", "1935": "BB", "1936": "BB", "210": "HH", "211": "HH",
    "2146": "SH", "2148": "SH", "2149": "SH", "2150": "SH", "2151": "SH", "2152": "SH", "228": "SH",
    "229": "SH", "2393": "MV", "2394": "MV", "2395": "MV", "2396": "MV", "2397": "MV", "2398": "MV",
    "2399": "MV", "275": "HB", "288": "NI", "289": "NI", "2879": "NI", "294": "ST", "364": "TH",
    "372": "HE", "373": "TH", "388": "ST", "389": "ST", "484": "NI", "485": "NI", "4947": "NW",
    "4948": "NW", "4949": "NW", "4950": "NW", "4951": "NW", "4952": "NW", "4953": "NW", "4954": "NW",
    "534": "RP", "535": "RP", "575": "RP", "576": "RP", "637": "BY", "638": "BY", "639": "BY",
    "6648": "RP", "6649": "RP", "665": "RP", "668": "RP", "669": "RP", "685": "HE", "686": "HE",
    "6943": "HE", "6948": "HE", "695": "HE", "767": "RP", "768": "RP", "769": "RP", "881": "BY",
    "892": "BY", "893": "BY", "894": "BY", "965": "TH", "9787": "BW", "979": "BW",
}

# What a complaint's sender must know about an authority, beyond its channels (see the _about of the
# source file); the pages explain each key in the page language.
RULES = {
    "bgcpdp": ("qualified-e-signature",),
    "itgpdp": ("pec-only", "signed"),
    "plgiodo": ("epuap",),
}


def land_from_postcode(postcode: str) -> str | None:
    """The Land a German postcode most likely belongs to, or None if it is not one."""
    digits = (postcode or "").strip().removeprefix("D-").removeprefix("DE-").strip()
    if len(digits) != 5 or not digits.isdigit():
        return None
    for length in (4, 3, 2):
        if (land := _POSTCODE_PREFIXES.get(digits[:length])):
            return land
    return None


@dataclass(frozen=True)
class Authority:
    slug: str
    name: str
    countries: tuple[str, ...]  # ISO 3166 alpha-2, upper case
    address_lines: tuple[str, ...]
    email: str | None = None
    webform: str | None = None
    web: str | None = None
    phone: str | None = None
    # The languages it takes complaints in, its usual one first (several in Belgium and Luxembourg).
    complaint_languages: tuple[str, ...] = ()
    land: str | None = None
    sources: tuple[str, ...] = ()
    last_changed: str | None = None
    # Its name as it writes it itself, and its address for mail posted in its own country (no country line).
    own_name: str | None = None
    own_address_lines: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        """Its name in a complaint written in ``language``: its own, in one of its own languages."""
        return self.own_name if self.own_name and language in self.complaint_languages else self.name

    def address_in(self, language: str, sender_country: str, country_name) -> tuple[str, ...]:
        """Its address on a complaint in ``language`` from someone living in ``sender_country``: for post within
        its country, as the country's post writes it (its own script and wording, no country line), whatever
        the letter's language; from abroad, in one of its own languages, that address with the country in
        capitals (UPU); else the source's address. ``country_name(code)`` names a country in the letter's
        language."""
        if self.own_address_lines and sender_country == self.country:
            return self.own_address_lines
        if not (self.own_address_lines and language in self.complaint_languages):
            return self.address_lines
        return self.own_address_lines + (country_name(self.country).upper(),)

    @property
    def country(self) -> str:
        return self.countries[0]

    @property
    def complaint_language(self) -> str | None:
        """Its usual complaint language; English for Ireland and Malta is theirs, not a fallback."""
        return self.complaint_languages[0] if self.complaint_languages else None

    @property
    def law_key(self) -> str:
        """The law it applies: the GDPR, the UK GDPR, or Switzerland's own FADP."""
        return {"GB": "uk-gdpr", "CH": "ch-fadp"}.get(self.country, "gdpr")

    @property
    def outside_gdpr(self) -> bool:
        return self.law_key != "gdpr"

    @property
    def takes_complaints(self) -> bool:
        """Switzerland's FDPIC takes reports, not complaints under Art. 77: we write no complaint to it."""
        return self.law_key != "ch-fadp"

    @property
    def rules(self) -> tuple[str, ...]:
        return RULES.get(self.slug, ())

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(channel for channel, present in (("webform", self.webform), ("email", self.email),
                                                      ("letter", self.address_lines)) if present)


def _authority(record: dict) -> Authority:
    return Authority(
        slug=record["slug"], name=record["name"],
        countries=tuple(code.upper() for code in record["relevant-countries"]),
        address_lines=tuple(line.strip() for line in record.get("address", "").splitlines() if line.strip()),
        email=record.get("email"), webform=record.get("webform"), web=record.get("web"), phone=record.get("phone"),
        complaint_languages=tuple(record.get("complaint-languages") or filter(None, [record.get("complaint-language")])),
        land=record.get("land"),
        sources=tuple(record.get("sources", ())), last_changed=record.get("record_last_changed"),
        own_name=record.get("own-name"),
        own_address_lines=tuple(line.strip() for line in record.get("own-address", "").splitlines() if line.strip()))


@lru_cache(maxsize=1)
def directory() -> tuple[Authority, ...]:
    records = json.loads(DIRECTORY.read_text(encoding="utf-8"))["authorities"]
    return tuple(sorted((_authority(record) for record in records), key=lambda a: (a.country, a.land or "", a.slug)))


def by_slug(slug: str | None) -> Authority | None:
    return next((authority for authority in directory() if authority.slug == slug), None)


def in_country(country: str) -> tuple[Authority, ...]:
    country = PARENT_COUNTRY.get(country.upper(), country.upper())
    return tuple(authority for authority in directory() if country in authority.countries)


def authority_for(country: str, land: str | None = None, postcode: str | None = None) -> Authority | None:
    """The authority of the person's habitual residence; in Germany that of their Land (given, or
    derived from the postcode). None where we know none or cannot tell the Land."""
    candidates = in_country(country)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    land = land or land_from_postcode(postcode or "")
    return next((authority for authority in candidates if authority.land == land), None)


def default_authority(coverage: Coverage, postcode: str | None = None) -> Authority | None:
    """Where a complaint about a letter goes by default (Art. 77(1)): a person living where the law applies
    complains to the authority of their residence (in Germany: of their Land, from ``postcode``); a person
    living elsewhere, to the authority of the company's establishment, its lead authority (Art. 56(1)), such
    as the Polish UODO for a company in Wrocław. None where we cannot tell (a German establishment's Land)."""
    country = coverage.complaint_country
    if country is None:
        return None
    return authority_for(country, postcode=postcode if coverage.lives_in_territory else None)


def complaint_authorities(coverage: Coverage) -> tuple[Authority, ...]:
    """The authorities a person may complain to about a letter: those of their residence where they live where
    the law applies; else any authority applying the law (Art. 77(1), "in particular"), the establishment's
    country first."""
    if not coverage.covered:
        return ()
    if coverage.lives_in_territory:
        return tuple(a for a in in_country(coverage.country) if a.takes_complaints)
    first = coverage.establishment_country
    return tuple(sorted((a for a in directory() if a.law_key == coverage.law.key and a.takes_complaints),
                        key=lambda a: a.country != first))


def complaint_language(authority: Authority, allowed, preferred=()) -> str:
    """The language a complaint to ``authority`` defaults to: one it takes complaints in where the letter can be
    written in it (``allowed``, from app/law/scope.allowed_languages); of several (Belgium, Luxembourg), the first
    of ``preferred`` (the person's page or letter language) that it takes, else its usual one. Else English."""
    usable = [code for code in authority.complaint_languages if code in allowed]
    return next((code for code in preferred if code in usable), usable[0] if usable else language_or_fallback(None, allowed))
