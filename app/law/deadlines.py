"""When a company must answer (Art. 12(3) GDPR).

One calendar month from receipt, extendable by two further months. Periods are
computed as Regulation (EEC, Euratom) No 1182/71 does, as the EDPB reads it
(Guidelines 01/2022, §5.3): a period expressed in months ends on the same date
of the later month, or on its last day when that month is shorter, and a
period ending on a Saturday, Sunday or public holiday ends on the next working
day. Public holidays come from the `holidays` package (those of the country
where the company must act), not from a list kept by hand.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

ANSWER_PERIOD_MONTHS = 1
EXTENSION_MONTHS = 2
# Days a posted letter usually needs to arrive, by the company's country ("*": anywhere else).
# A host can change them (setting POSTAL_DAYS); email and web forms arrive the same day.
POSTAL_DAYS = {"*": 7, "US": 14}
# How long a reminder gives the company before the complaint it announces.
FINAL_PERIOD_DAYS = 14
# Channels by which the request arrives the day it is sent.
SAME_DAY_CHANNELS = ("email", "webform")


def add_months(day: date, months: int) -> date:
    """Calendar months: 31 January + 1 month = 28 (29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _public_holidays(country: str | None, year: int):
    if country and country in holidays.list_supported_countries():
        return holidays.country_holidays(country, years=year)
    return {}


def is_working_day(day: date, country: str | None) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(country, day.year)


def next_working_day(day: date, country: str | None) -> date:
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def postal_days(destination: str | None, table: dict | None = None) -> int:
    table = table or POSTAL_DAYS
    return table.get(destination or "*", table.get("*", POSTAL_DAYS["*"]))


def expected_receipt(sent: date, channel: str, destination: str | None = None, table: dict | None = None) -> date:
    """When a request sent on ``sent`` reaches a company in ``destination``: the same day by email or
    web form, some days later by post (longer overseas)."""
    if channel in SAME_DAY_CHANNELS:
        return sent
    return sent + timedelta(days=postal_days(destination, table))
