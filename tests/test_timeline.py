"""The time engine (app/case/timeline.py): every date a letter or page states, from a case's events.

Table-driven: each row is a case (the request's sending, the company's replies, the person's letters)
on a given day, and what the engine must say. Companies: Clearview AI (USA, post 14 days), Lenso.ai
(Poland, post 7 days).
"""
from datetime import date

import pytest

from app.case.model import Case, Event, EventKind, Person, Request, reply, sent
from app.case.overview import NextStep, latest_of_each, summarise
from app.case.timeline import Clock, Timeline
from app.law.deadlines import POSTAL_DAYS, add_months, next_working_day
from app.companies import Registry, SHIPPED_RECORDS

REGISTRY = Registry.load(SHIPPED_RECORDS, SHIPPED_RECORDS)
PERSON = Person(full_name="Ada", email="ada@example.org", street="", postcode="", city="", country="DE")
ENGINE = Timeline(POSTAL_DAYS)


def case(*events, company="clearview-ai", day=date(2026, 10, 1), reference="FR-20261001-AAAAAA") -> Case:
    request = Request(reference=reference, date=day, request_type="access", company=REGISTRY.get(company),
                      person=PERSON, language="en")
    result = Case(request)
    for event in events:
        result = result.with_event(event)
    return result


def letter(day, situation, channel="email", photo=False) -> Event:
    return Event(EventKind.LETTER, day, channel=channel, situation=situation, document="follow-up", language="en",
                 photo_enclosed=photo)


def test_calendar_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@pytest.mark.parametrize("day, country, expected", [
    (date(2026, 2, 28), "FR", date(2026, 3, 2)),  # Saturday
    (date(2027, 1, 1), "US", date(2027, 1, 4)),  # New Year's Day (Friday), then the weekend
    (date(2026, 12, 25), "PL", date(2026, 12, 28)),  # Christmas in Poland (Friday), 26th Saturday
    (date(2028, 10, 3), "DE", date(2028, 10, 4)),  # German Unity Day
    (date(2028, 10, 3), "FR", date(2028, 10, 3)),  # a working day in France
])
def test_a_period_ending_on_a_weekend_or_public_holiday_ends_on_the_next_working_day(day, country, expected):
    assert next_working_day(day, country) == expected


# (what, events, company, today, expected answer_due, expected waiting_until)
RULES = [
    ("email: the month runs from the day it was sent",
     (sent(date(2026, 10, 1), "email"),), "clearview-ai", date(2026, 10, 20), date(2026, 11, 2), date(2026, 11, 2)),
    ("web form: the same",
     (sent(date(2026, 10, 1), "webform"),), "lenso-ai", date(2026, 10, 20), date(2026, 11, 2), date(2026, 11, 2)),
    ("post to the USA: received 14 days later, due one month after that",
     (sent(date(2026, 11, 3), "letter"),), "clearview-ai", date(2026, 12, 1), date(2026, 12, 17), date(2026, 12, 17)),
    ("post to Poland: received 7 days later; due 24 December 2026... no: 17 + 7",
     (sent(date(2026, 11, 17), "letter"),), "lenso-ai", date(2026, 12, 1), date(2026, 12, 28), date(2026, 12, 28)),
    ("an extension announced within the month: three months from receipt",
     (sent(date(2026, 10, 1), "email"), reply(date(2026, 10, 20), "extension-announced")), "clearview-ai",
     date(2026, 12, 1), date(2027, 1, 4), date(2027, 1, 4)),
    ("an extension announced after the month: it does not extend",
     (sent(date(2026, 10, 1), "email"), reply(date(2026, 11, 10), "extension-announced")), "clearview-ai",
     date(2026, 12, 1), date(2026, 11, 2), date(2026, 11, 2)),
    ("a photo sent in reply to a demand for one: the month runs from its arrival",
     (sent(date(2026, 10, 1), "email"), reply(date(2026, 10, 10), "asked-for-photo"),
      letter(date(2026, 10, 12), "asked-for-photo", photo=True)), "clearview-ai",
     date(2026, 10, 20), date(2026, 11, 12), date(2026, 11, 12)),
    ("a posted photo: from its arrival in the USA",
     (sent(date(2026, 10, 1), "letter"), reply(date(2026, 10, 25), "asked-for-photo"),
      letter(date(2026, 10, 26), "asked-for-photo", channel="letter", photo=True)), "clearview-ai",
     date(2026, 11, 1), date(2026, 12, 9), date(2026, 12, 9)),
    ("after a reminder, silence counts from the final date it set (14 days from its arrival)",
     (sent(date(2026, 10, 1), "email"), letter(date(2026, 11, 10), "no-answer")), "clearview-ai",
     date(2026, 11, 20), date(2026, 11, 2), date(2026, 11, 24)),
    ("a posted reminder to the USA: 14 days from its arrival, not from its date (N-M2)",
     (sent(date(2026, 10, 1), "letter"), letter(date(2026, 12, 20), "no-answer", channel="letter")), "clearview-ai",
     date(2026, 12, 21), date(2026, 11, 16), date(2027, 1, 19)),  # 17 January a Sunday, 18th Martin Luther King Day
    ("a reply to an ID demand while the period runs: never before the month ends",
     (sent(date(2026, 10, 1), "email"), reply(date(2026, 10, 5), "asked-for-id"),
      letter(date(2026, 10, 6), "asked-for-id")), "clearview-ai", date(2026, 10, 20), date(2026, 11, 2),
     date(2026, 11, 2)),
    ("the company answered after the person's letter: silence counts from the period again",
     (sent(date(2026, 10, 1), "email"), letter(date(2026, 11, 10), "no-answer"),
      reply(date(2026, 11, 15), "asked-for-id")), "clearview-ai", date(2026, 11, 20), date(2026, 11, 2),
     date(2026, 11, 2)),
    ("not yet sent: no date is known",
     (), "clearview-ai", date(2026, 10, 20), None, None),
]


@pytest.mark.parametrize("what, events, company, today, answer_due, waiting_until", RULES, ids=[row[0] for row in RULES])
def test_the_dates_the_engine_derives(what, events, company, today, answer_due, waiting_until):
    dates = ENGINE.dates(case(*events, company=company), today)
    assert dates.answer_due == answer_due
    assert dates.waiting_until == waiting_until


def test_a_letter_about_silence_is_premature_until_the_date_that_applies_has_passed():
    answered_by_email = case(sent(date(2026, 10, 1), "email"))
    assert ENGINE.dates(answered_by_email, date(2026, 11, 2)).premature("no-answer")  # the last day itself
    assert not ENGINE.dates(answered_by_email, date(2026, 11, 3)).premature("no-answer")
    # A demand, a refusal, a denial: the company has acted, nothing to wait for.
    for situation in ("asked-for-id", "erasure-refused", "gdpr-does-not-apply", "use-our-form"):
        assert not ENGINE.dates(answered_by_email, date(2026, 10, 5)).premature(situation)
    # No extension announced in time: "no answer by the extended date" is not possible.
    assert ENGINE.dates(answered_by_email, date(2027, 3, 1)).premature("extended-no-answer")
    extended = answered_by_email.with_event(reply(date(2026, 10, 20), "extension-announced"))
    assert ENGINE.dates(extended, date(2027, 1, 4)).premature("extended-no-answer")
    assert not ENGINE.dates(extended, date(2027, 1, 5)).premature("extended-no-answer")
    # Not yet sent: every letter about silence waits for the sending.
    assert ENGINE.dates(case(), date(2027, 1, 5)).premature("no-answer")


@pytest.mark.parametrize("day, channel, country, expected", [
    (date(2026, 12, 11), "email", "PL", date(2026, 12, 28)),  # 25 December: Christmas, then the weekend
    (date(2026, 12, 20), "letter", "US", date(2027, 1, 19)),  # arrives 3 January, + 14 days: Sunday, then MLK Day
    (date(2026, 12, 4), "letter", "PL", date(2026, 12, 28)),  # arrives 11 December, + 14 = 25th
])
def test_the_final_period_is_14_days_from_the_letters_arrival_on_a_working_day(day, channel, country, expected):
    company = {"PL": "lenso-ai", "US": "clearview-ai"}[country]
    assert ENGINE.final_date(case(company=company), day, channel) == expected


def test_the_final_period_never_ends_before_the_answer_period_still_running():
    running = date(2027, 1, 4)
    assert ENGINE.final_date(case(), date(2026, 12, 1), "email", not_before=running) == running


def test_a_follow_up_never_asks_for_an_answer_by_a_past_day():
    """Whatever the events and the day, the final date of a follow-up is after its own date."""
    starts = [sent(date(2026, 10, 1), channel) for channel in ("email", "letter", "webform")]
    for start in starts:
        for reply_day in (date(2026, 10, 5), date(2026, 11, 30)):
            for situation in ("asked-for-id", "asked-for-photo", "no-data", "incomplete", "use-our-form"):
                for day in (reply_day, date(2026, 12, 24), date(2027, 6, 1)):
                    current = case(start, reply(reply_day, situation))
                    event = letter(day, situation, channel=start.channel)
                    assert ENGINE.letter_final(current, event) > day, (start, situation, day)


def test_the_next_date_is_the_nearest_one_still_ahead():
    current = case(sent(date(2026, 10, 1), "email"), letter(date(2026, 11, 10), "no-answer"))
    assert ENGINE.dates(current, date(2026, 11, 20)).next_date == date(2026, 11, 24)
    assert ENGINE.dates(current, date(2026, 11, 25)).next_date is None


def test_the_correspondence_lists_every_exchange_with_the_final_date_each_letter_set():
    current = case(sent(date(2026, 10, 1), "email"), reply(date(2026, 10, 20), "asked-for-id", "X-1"),
                   letter(date(2026, 11, 10), "asked-for-id"))
    entries = ENGINE.correspondence(current)
    assert [entry.event.kind for entry in entries] == ["reply", "letter"]
    assert entries[0].final is None and entries[1].final == date(2026, 11, 24)


def test_the_clock_is_the_hosts_time_zone_day_or_a_fixed_one():
    assert Clock("Pacific/Kiritimati").today() >= Clock("Pacific/Pago_Pago").today()
    assert Clock(fixed=date(2027, 1, 1)).today() == date(2027, 1, 1)


def test_several_letters_of_one_case_are_one_case_the_latest_one_standing_for_it():
    request_only = case()
    reminder = case(sent(date(2026, 10, 1), "email"), letter(date(2026, 11, 10), "no-answer"))
    other = case(reference="FR-20261001-BBBBBB")
    assert latest_of_each([request_only, reminder, other]) == [reminder, other]


@pytest.mark.parametrize("events, today, step, next_date", [
    ((), date(2026, 10, 5), NextStep.SAY_WHEN_SENT, None),
    ((sent(date(2026, 10, 1), "email"),), date(2026, 10, 5), NextStep.WAIT, date(2026, 11, 2)),
    ((sent(date(2026, 10, 1), "email"),), date(2026, 11, 5), NextStep.REMIND, None),
    ((sent(date(2026, 10, 1), "email"), letter(date(2026, 11, 10), "no-answer")), date(2026, 11, 30),
     NextStep.COMPLAIN, None),
    ((sent(date(2026, 10, 1), "email"), reply(date(2026, 10, 9), "asked-for-id")), date(2026, 10, 10),
     NextStep.REPLY, date(2026, 11, 2)),
    ((sent(date(2026, 10, 1), "email"), Event(EventKind.LETTER, date(2026, 12, 1), situation="no-answer",
                                             document="complaint", language="en", authority="frcnil")),
     date(2026, 12, 5), NextStep.WAIT_FOR_AUTHORITY, date(2027, 3, 1)),
])
def test_the_next_step_of_a_case(events, today, step, next_date):
    summary = summarise(case(*events), ENGINE, today)
    assert summary.step == step and summary.next_date == next_date
