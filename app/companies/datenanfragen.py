"""Our records in the Datenanfragen / datarequests.org company format (CC0), and back.

Export keeps only what that format can say, under its written schema and its unwritten
rules: the company's name is not repeated inside ``address``; ``web`` is https; categories
come from its fixed list; an unknown field is left out, never null. Import makes one of our
records from one of theirs; the biometric fields it cannot carry get cautious defaults that
the NGO must check (see README, "The Datenanfragen format").
"""
from __future__ import annotations

from datetime import date

from babel import Locale

from . import OTHER, RegistryError, validate_record

CATEGORIES = ("addresses", "ads", "church", "collection agency", "commerce", "credit agency", "entertainment",
              "finance", "health", "insurance", "nonprofit", "political party", "public body", "school",
              "social media", "telecommunication", "travel", "utility")
COUNTRIES = ("all", "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it", "lv",
             "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "gb", "no", "is", "li", "ch")
EU_AND_EEA = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
              "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"}


class FormatError(Exception):
    """The record cannot be carried into the other format; the message says why."""


def _address_without_name(record: dict) -> str:
    lines = [line for line in (record.get("address") or "").splitlines() if line.strip()]
    return "\n".join(line for line in lines if line.strip() != record["name"].strip())


def to_datenanfragen(record: dict) -> dict:
    """One of our records as a Datenanfragen record. FormatError where it has no postal address
    (that format requires one)."""
    address = _address_without_name(record)
    if not address:
        raise FormatError(f"{record['slug']}: no postal address, which the Datenanfragen format requires")
    exported = {"slug": record["slug"],
                "relevant-countries": [c.lower() for c in record["relevant-countries"] if c.lower() in COUNTRIES]
                or ["all"],
                "name": record["name"].strip(), "address": address}
    categories = [c for c in record.get("categories", []) if c in CATEGORIES]
    if categories:
        exported["categories"] = categories
    if record.get("runs"):
        exported["runs"] = list(dict.fromkeys(record["runs"]))
    if record.get("email"):
        exported["email"] = record["email"]
    # A guide page is not a web form: it goes into the comments instead.
    if record.get("webform") and record.get("webform-kind", "form") == "form":
        exported["webform"] = record["webform"]
    if record.get("web", "").startswith("https://"):
        exported["web"] = record["web"]
    exported["sources"] = list(dict.fromkeys(record["sources"]))
    exported["request-language"] = record["request-language"]
    medium = record["suggested-transport-medium"]
    available = {"letter": True, "email": "email" in exported, "webform": "webform" in exported}
    exported["suggested-transport-medium"] = medium if available[medium] else "letter"
    if record.get("requires-id-document") in ("always", "never"):
        exported["needs-id-document"] = record["requires-id-document"] == "always"
    comments = list(record.get("comments", []))
    if record.get("webform") and "webform" not in exported:
        comments.append(f"Guide to the company's removal request form: {record['webform']}")
    if comments:
        exported["comments"] = comments
    exported["quality"] = record["quality"]
    return exported


def _country_of(address: str) -> str | None:
    """The ISO code of the country on the address's last line, if it names one (in English)."""
    last = address.strip().splitlines()[-1].strip().casefold() if address.strip() else ""
    names = {name.casefold(): code for code, name in Locale("en").territories.items() if len(code) == 2}
    names.update({"united states of america": "US", "usa": "US", "uk": "GB"})
    return names.get(last)


def from_datenanfragen(entry: object, today: date) -> dict:
    """A Datenanfragen record as one of ours, validated by our schema (RegistryError if not)."""
    if not isinstance(entry, dict):
        raise FormatError("the file must hold one company record (a JSON object)")
    missing = [key for key in ("slug", "name", "address", "sources", "quality", "relevant-countries")
               if not entry.get(key)]
    if missing:
        raise FormatError(f"missing {', '.join(missing)}")
    if entry["slug"] == OTHER:
        raise FormatError(f"the slug {OTHER!r} is kept for a company the person types")
    if not str(entry.get("web", "")).startswith("https://"):
        raise FormatError("web: our records need the company's https web address")
    address = f"{entry['name']}\n{entry['address']}"
    country = _country_of(entry["address"])
    medium = entry.get("suggested-transport-medium", "letter")
    record = {
        "slug": entry["slug"], "name": entry["name"], "runs": entry.get("runs", []),
        "description": f"Imported from the Datenanfragen database: {entry['name']}."[:200],
        "web": entry["web"], "relevant-countries": entry["relevant-countries"],
        "categories": entry.get("categories", []), "address": address, "email": entry.get("email"),
        "webform": entry.get("webform") if str(entry.get("webform", "")).startswith("https://") else None,
        "request-language": entry.get("request-language", "en"),
        "suggested-transport-medium": medium if medium in ("letter", "email", "webform") else "letter",
        "sources": entry["sources"], "quality": "imported" if entry["quality"] in ("tested", "verified")
        else entry["quality"],
        "comments": [*entry.get("comments", []),
                     "Imported from the Datenanfragen format: establishment, representative, photo and "
                     "enforcement fields are defaults to check before letters are sent."],
        "established-in-eu": country in EU_AND_EEA, "eu-representative": None,
        "requires-photo": False,
        "requires-id-document": {True: "always", False: "never"}.get(entry.get("needs-id-document"), "unknown"),
        "special-categories": ["biometric"], "enforcement": [], "last-verified": today.isoformat(),
        "verification": "desk-research", "confidence": {},
    }
    if country:
        record["country"] = country
    if country == "GB":
        record["established-in-uk"] = True
    if record["suggested-transport-medium"] == "email" and not record["email"]:
        record["suggested-transport-medium"] = "letter"
    if record["suggested-transport-medium"] == "webform" and not record["webform"]:
        record["suggested-transport-medium"] = "letter"
    validate_record(record, entry["slug"])
    return record


__all__ = ["FormatError", "RegistryError", "from_datenanfragen", "to_datenanfragen"]
