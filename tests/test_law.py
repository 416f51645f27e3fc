"""The legal domain rules: who the law covers, and when an answer is due."""
from datetime import date

import pytest

from app.case.timeline import Timeline
from app.law.deadlines import add_months, expected_receipt, next_working_day
from app.law.scope import GDPR, UK_GDPR, coverage


@pytest.mark.parametrize("country", ["DE", "FR", "GR", "PL", "IE", "AX", "RE", "IC"])
def test_people_in_the_union_are_covered_by_the_gdpr(country):
    assert coverage(country).law is GDPR and not coverage(country).via_eea_agreement


@pytest.mark.parametrize("country", ["NO", "IS", "LI"])
def test_people_in_the_eea_efta_states_are_covered_through_the_eea_agreement(country):
    assert coverage(country).law is GDPR and coverage(country).via_eea_agreement


def test_people_in_the_united_kingdom_are_covered_by_the_uk_gdpr_in_english_only():
    law = coverage("GB").law
    assert law is UK_GDPR and coverage("GB").in_uk
    assert law.allows_language("en") and not law.allows_language("de")
    assert not law.follows_cjeu


@pytest.mark.parametrize("country", ["US", "CH", "JE", "GI", "GL", "FO", "CA", "TR"])
def test_anyone_else_gets_no_gdpr_letter(country):
    assert not coverage(country).covered and coverage(country).law is None


@pytest.mark.parametrize("day, expected", [
    ("2026-01-31", "2026-02-28"), ("2028-01-31", "2028-02-29"), ("2026-12-15", "2027-01-15"),
    ("2026-03-31", "2026-04-30"), ("2026-11-29", "2026-12-29"), ("2026-12-31", "2027-01-31"),
])
def test_a_month_is_a_calendar_month(day, expected):
    assert add_months(date.fromisoformat(day), 1) == date.fromisoformat(expected)


def answer_due(received: date, country: str, extended: bool = False) -> date:
    """The time engine's end of the answer period for a request received on ``received``."""
    return Timeline.month_after(received, country, 3 if extended else 1)


def test_a_deadline_on_a_weekend_moves_to_monday():
    # 2027-02-13 is a Saturday.
    assert answer_due(date(2027, 1, 13), "DE") == date(2027, 2, 15)


def test_a_deadline_on_a_public_holiday_moves_to_the_next_working_day():
    # The review's example: received on 1 December, due on 1 January, a public holiday everywhere.
    assert answer_due(date(2026, 12, 1), "US") == date(2027, 1, 4)  # Fri 1 Jan, then the weekend
    # Christmas in Poland: 25 and 26 December 2026 (Friday, Saturday), then Sunday.
    assert answer_due(date(2026, 11, 25), "PL") == date(2026, 12, 28)
    # A holiday of one country only: 3 October (German Unity Day) 2028 is a Tuesday.
    assert answer_due(date(2028, 9, 3), "DE") == date(2028, 10, 4)
    assert answer_due(date(2028, 9, 3), "FR") == date(2028, 10, 3)


def test_an_announced_extension_adds_two_further_months():
    assert answer_due(date(2026, 1, 31), "FR", extended=True) == date(2026, 4, 30)
    assert answer_due(date(2026, 1, 31), "FR") == date(2026, 3, 2)  # 28 Feb 2026 is a Saturday


def test_an_unknown_country_still_skips_weekends():
    assert next_working_day(date(2027, 2, 13), None) == date(2027, 2, 15)


def test_post_takes_longer_than_email():
    sent = date(2026, 12, 1)
    assert expected_receipt(sent, "email") == sent
    assert expected_receipt(sent, "letter") > sent
