"""Which chosen companies a law covers a letter to, from the wizard's answers (the rule is app/law/scope.py).

The wizard's gate, its letter-language page and the follow-up pages ask here, so that they cannot disagree.
"""
from __future__ import annotations

from flask import current_app

from ..law.scope import Coverage, allowed_languages, coverage
from ..letters.model import companies_chosen

Answers = dict


def configured_languages() -> list[str]:
    """The letter languages this instance has catalogs for."""
    return current_app.config["LANGUAGES"]


def coverages(answers: Answers, registry) -> list[tuple[object, Coverage]]:
    """Each chosen company with the law that covers a letter to it from where the person lives
    (app/law/scope.py); empty before the person's country is known."""
    country = answers.get("your-details", {}).get("country")
    if not country:
        return []
    return [(company, coverage(country, company))
            for company in companies_chosen(answers, registry, configured_languages())]


def is_covered(answers: Answers, registry) -> bool:
    """Whether a law covers a letter to at least one chosen company: only those get a letter."""
    return any(each.covered for _company, each in coverages(answers, registry))


def uncovered_companies(answers: Answers, registry) -> list:
    """The chosen companies that no law covers a letter to, from where the person lives."""
    return [company for company, each in coverages(answers, registry) if not each.covered]


def letter_languages(answers: Answers, registry) -> list[str]:
    """The languages every letter of these answers can be written in (app/law/scope.py)."""
    return allowed_languages((each for _company, each in coverages(answers, registry)), configured_languages())


def covered_elsewhere(country: str, registry) -> list:
    """The registry's companies that a law covers a letter to from ``country``: for a person whose chosen
    companies none is, the ones they can still write to (those established in the Union, say)."""
    return [company for company in registry if coverage(country, company).covered]
