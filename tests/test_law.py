"""The legal domain rules: who the law covers, and when an answer is due."""
from datetime import date

import pytest

from app.case.timeline import Timeline
from app.law.deadlines import add_months, expected_receipt, next_working_day
from app.law.scope import (ESTABLISHMENT, GDPR, MONITORING, UK_GDPR, allowed_languages, coverage,
                           language_or_fallback)


class Company:
    """What scope reads of a company: its establishment, as a record or a typed company gives it."""

    def __init__(self, country=None, eu=False, uk=False, typed=False):
        self.country, self.established_in_eu, self.established_in_uk, self.typed_by_person = country, eu, uk, typed


ELSEWHERE = Company("US")  # Clearview AI: established in the USA only
IN_POLAND = Company("PL", eu=True)  # Lenso.ai, Public Mirror
IN_THE_UK = Company("GB", uk=True)
LANGUAGES = ["en", "de", "fr", "nl", "it", "el", "es", "pl"]


@pytest.mark.parametrize("country", ["DE", "FR", "GR", "PL", "IE", "AX", "RE", "IC"])
def test_people_in_the_union_are_covered_by_the_gdpr(country):
    covered = coverage(country, ELSEWHERE)
    assert covered.law is GDPR and covered.basis == MONITORING and not covered.via_eea_agreement
    assert covered.lives_in_territory and covered.complaint_country == country


@pytest.mark.parametrize("country", ["NO", "IS", "LI"])
def test_people_in_the_eea_efta_states_are_covered_through_the_eea_agreement(country):
    assert coverage(country, ELSEWHERE).law is GDPR and coverage(country, ELSEWHERE).via_eea_agreement


def test_people_in_the_united_kingdom_are_covered_by_the_uk_gdpr_in_english_only():
    covered = coverage("GB", ELSEWHERE)
    assert covered.law is UK_GDPR and covered.in_uk and covered.basis == MONITORING
    assert UK_GDPR.allows_language("en") and not UK_GDPR.allows_language("de")
    assert not UK_GDPR.follows_cjeu
    assert allowed_languages(covered, LANGUAGES) == ["en"]


@pytest.mark.parametrize("country", ["US", "CH", "JE", "GI", "GL", "FO", "CA", "TR"])
def test_anyone_else_gets_no_letter_to_a_company_established_elsewhere(country):
    covered = coverage(country, ELSEWHERE)
    assert not covered.covered and covered.law is None and covered.complaint_country is None
    assert allowed_languages(covered, LANGUAGES) == []


# N-H4: the establishment brings the GDPR for everyone (Art. 3(1), recital 14).
@pytest.mark.parametrize("country", ["US", "CH", "GB", "DE", "NO", "PL"])
def test_a_company_established_in_the_union_is_bound_by_the_gdpr_whoever_writes(country):
    covered = coverage(country, IN_POLAND)
    assert covered.law is GDPR and covered.basis == ESTABLISHMENT and covered.by_establishment
    assert covered.establishment_country == "PL"
    assert allowed_languages(covered, LANGUAGES) == LANGUAGES
    # The default authority: the person's own where they live in the EEA, else the establishment's (UODO).
    assert covered.complaint_country == (country if country in ("DE", "NO", "PL") else "PL")
    # A UK resident writes under the EU GDPR, and may say that the UK GDPR applies as well.
    assert covered.also_uk_gdpr == (country == "GB")


def test_a_company_established_in_the_united_kingdom_is_bound_by_the_uk_gdpr_whoever_writes():
    covered = coverage("US", IN_THE_UK)
    assert covered.law is UK_GDPR and covered.by_establishment and covered.complaint_country == "GB"
    # Someone in the Union writes under the GDPR (the company monitors them there).
    assert coverage("FR", IN_THE_UK).law is GDPR


@pytest.mark.parametrize("company_country, law", [("IE", GDPR), ("NO", GDPR), ("GB", UK_GDPR), ("US", None),
                                                   ("CH", None)])
def test_a_typed_company_is_established_where_its_address_is(company_country, law):
    covered = coverage("US", Company(company_country, typed=True))
    assert covered.law is law
    assert covered.establishment_country == (company_country if law else None)


def test_allowed_languages_are_those_every_letter_can_be_written_in():
    uk_and_eu = [coverage("GB", ELSEWHERE), coverage("GB", IN_POLAND)]
    assert allowed_languages(uk_and_eu, LANGUAGES) == ["en"]
    # A company no law covers a letter to sets no condition: it gets no letter.
    assert allowed_languages([coverage("US", ELSEWHERE), coverage("US", IN_POLAND)], LANGUAGES) == LANGUAGES
    assert allowed_languages(coverage("DE", ELSEWHERE), ["pl", "en"]) == ["pl", "en"]
    assert language_or_fallback("pl", ["en", "pl"]) == "pl"
    assert language_or_fallback("pl", ["en"]) == language_or_fallback(None, ["en"]) == "en"


def test_the_default_complaint_authority_follows_the_coverage():
    from app.law.authorities import complaint_authorities, complaint_language, default_authority
    assert default_authority(coverage("US", IN_POLAND)).slug == "plgiodo"
    assert default_authority(coverage("GB", IN_POLAND)).slug == "plgiodo"
    assert default_authority(coverage("DE", IN_POLAND), postcode="80331").slug == "debaylda"
    assert default_authority(coverage("GB", ELSEWHERE)).slug == "gbico"
    assert default_authority(coverage("US", ELSEWHERE)) is None
    # Any authority of the Union may hear a person living outside it (Art. 77(1), "in particular").
    choices = complaint_authorities(coverage("US", IN_POLAND))
    assert choices[0].slug == "plgiodo" and {"frcnil", "iedpc", "debaylda"} <= {a.slug for a in choices}
    assert "gbico" not in {a.slug for a in choices} and "chedoeb" not in {a.slug for a in choices}
    assert [a.slug for a in complaint_authorities(coverage("FR", ELSEWHERE))] == ["frcnil"]
    assert complaint_authorities(coverage("US", ELSEWHERE)) == ()
    uodo = default_authority(coverage("US", IN_POLAND))
    assert complaint_language(uodo, LANGUAGES) == "pl" and complaint_language(uodo, ["en"]) == "en"


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


def test_the_uk_regulator_keeps_its_current_name_with_a_dated_source():
    """N-M1: DUAA 2025 s. 117-119 replace the Commissioner by the Information Commission only when s. 119 is in
    force; the record says what was checked, when, and where, and the name stays until then."""
    import json
    from app.law.authorities import DIRECTORY, by_slug
    record = next(each for each in json.loads(DIRECTORY.read_text(encoding="utf-8"))["authorities"]
                  if each["slug"] == "gbico")
    checked = record["name-checked"]
    assert checked["as-of"] >= "2026-12-01" and "s. 119" in checked["note"]
    assert all(source.startswith("https://www.legislation.gov.uk/") for source in checked["sources"])
    assert by_slug("gbico").name == "The Information Commissioner’s Office"
