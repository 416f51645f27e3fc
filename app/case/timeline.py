"""The time engine: every date a letter or a page states, derived from a case's events.

One place decides, so that no letter states a date that is untrue on its own day:

- a request arrives the day it is emailed or sent through a web form, or the host's usual
  postal time later (POSTAL_DAYS, by the company's country);
- the company must answer within one month of receipt (Art. 12(3) GDPR; Art. 12A UK GDPR), moved
  to the next working day of its country (Regulation 1182/71, app/law/deadlines.py);
- an extension announced within that month moves it to three months from receipt;
- when the company rightly needed information to find the person — the photo the request
  offered, sent in reply to its demand — the month runs again from the photo's arrival;
- a letter after the request gives a final period of 14 days from its own expected arrival,
  moved to a working day, and never ending before the answer period does; a UK letter that is also
  a complaint to the controller (s. 164A DPA 2018) gives the 30 days the controller has to
  acknowledge it (app/law/uk.py);
- silence can be written about only after the date that applies has passed: the answer
  period, or the final date the person's last letter set.

``Clock`` is the one source of "today": the pages and the command line ask it, tests fix it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..law.deadlines import (ANSWER_PERIOD_MONTHS, EXTENSION_MONTHS, FINAL_PERIOD_DAYS, add_months,
                             expected_receipt, next_working_day)
from ..law.uk import ACKNOWLEDGEMENT_DAYS
from .model import Case, Event, EventKind
from .vocabulary import Channel, Situation


class Clock:
    """Today, in the host's time zone (the dates on the pages are in it too)."""

    def __init__(self, timezone: str = "UTC", fixed: date | None = None):
        self.zone = ZoneInfo(timezone)
        self.fixed = fixed

    def today(self) -> date:
        return self.fixed or datetime.now(self.zone).date()


@dataclass(frozen=True)
class Dates:
    """What the time engine knows of a case on ``today``; None where the events do not tell."""
    today: date
    sent: Event | None  # when and how the request went
    received: date | None  # its expected arrival
    due: date | None  # one month from receipt
    extension: Event | None  # the company's announcement of an extension, if it made one in time
    extended_due: date | None
    restarted_from: date | None  # the arrival of information the company rightly needed
    answer_due: date | None  # the date that applies: the restarted, else the extended, else the first
    last_letter: Event | None  # the person's latest follow-up, when silence is about it
    last_letter_final: date | None  # the final date the person's latest letter set
    waiting_until: date | None  # silence can be complained of only after this date
    # The person's latest letter is a complaint to the controller (s. 164A DPA 2018): nothing can be
    # complained of to the Commissioner before the 30 days it gave have run, whatever the situation.
    last_letter_complains: bool = False

    @property
    def period_ended(self) -> bool:
        return self.answer_due is not None and self.answer_due < self.today

    def premature(self, situation: str) -> bool:
        """Whether a letter about ``situation`` would come before its time: silence before the date
        that applies, an extended period not yet over, a date not yet known, or anything while the 30 days
        of the person's complaint to the controller (s. 164A) run."""
        situation = Situation(situation)
        if self.last_letter_complains and self.today <= self.last_letter_final:
            return True
        if not situation.complaint_needs_waiting:
            return False
        if situation is Situation.EXTENDED_NO_ANSWER and self.extension is None:
            return True
        return self.waiting_until is None or self.today <= self.waiting_until

    @property
    def last_letter_ran_out(self) -> bool:
        """Whether the final date the person's latest letter gave has passed: only then can a letter say that
        the company "has not answered since"."""
        return self.last_letter_final is not None and self.last_letter_final < self.today

    @property
    def possible_from(self) -> date | None:
        """The first day a letter about silence can be written."""
        return self.waiting_until + timedelta(days=1) if self.waiting_until else None

    @property
    def next_date(self) -> date | None:
        """The next date that matters to the person: the end of the period or of a final period still ahead."""
        ahead = [day for day in (self.answer_due, self.last_letter_final) if day and day >= self.today]
        return min(ahead) if ahead else None


class Timeline:
    """The engine, with the host's postal times."""

    def __init__(self, postal_days: dict | None = None):
        self.postal_days = postal_days

    def arrival(self, day: date, channel: str | None, country: str | None) -> date:
        """When a letter sent on ``day`` by ``channel`` reaches a company in ``country``."""
        return expected_receipt(day, channel or Channel.EMAIL, country, self.postal_days)

    @staticmethod
    def month_after(received: date, country: str | None, months: int = ANSWER_PERIOD_MONTHS) -> date:
        return next_working_day(add_months(received, months), country)

    def due_if_sent(self, day: date, channel: str, country: str | None) -> date:
        """The end of the answer period for a request sent on ``day`` by ``channel`` (for the pages that
        say when to expect an answer before the request has gone)."""
        return self.month_after(self.arrival(day, channel, country), country)

    def dues_if_sent(self, day: date, channels, country: str | None) -> dict[str, date]:
        """For each channel a letter goes out by on ``day``, the end of the answer period."""
        return {channel: self.due_if_sent(day, channel, country) for channel in channels}

    def final_date(self, case: Case, day: date, channel: str | None, not_before: date | None = None,
                   days: int = FINAL_PERIOD_DAYS) -> date:
        """The final period a letter of ``day`` sets: ``days`` (14) from its arrival, on a working day, and
        not before ``not_before`` (the answer period, when it is still running)."""
        country = case.company.country
        final = next_working_day(self.arrival(day, channel, country) + timedelta(days=days), country)
        return max(final, not_before) if not_before else final

    def dates(self, case: Case, today: date) -> Dates:
        country = case.company.country
        sending = case.sending
        received = self.arrival(sending.date, sending.channel, country) if sending else None
        due = self.month_after(received, country) if received else None
        extension = self._extension(case, due)
        extended_due = (self.month_after(received, country, ANSWER_PERIOD_MONTHS + EXTENSION_MONTHS)
                        if extension and received else None)
        restarted_from = self._restart(case)
        restarted_due = self.month_after(restarted_from, country) if restarted_from else None
        answer_due = restarted_due or extended_due or due
        last_letter = self._last_follow_up(case)
        last_final = self.letter_final(case.before(last_letter), last_letter) if last_letter else None
        waiting_until = last_final if last_letter else answer_due
        return Dates(today=today, sent=sending, received=received, due=due, extension=extension,
                     extended_due=extended_due, restarted_from=restarted_from, answer_due=answer_due,
                     last_letter=last_letter, last_letter_final=last_final, waiting_until=waiting_until,
                     last_letter_complains=bool(last_letter) and case.complains_to_controller(last_letter))

    @staticmethod
    def _extension(case: Case, due: date | None) -> Event | None:
        """An extension counts only if announced within the first month (Art. 12(3), second sentence)."""
        announced = case.reply_of(Situation.EXTENSION_ANNOUNCED)
        if announced and (due is None or announced.date <= due):
            return announced
        return None

    def _restart(self, case: Case) -> date | None:
        """The arrival of the photo the person sent in reply to a demand for one: the company needed it
        to find them (the request offered it), so the month runs from then (Art. 11(2), 12(2); Art. 12A
        UK GDPR)."""
        photos = [event for event in case.letters
                  if event.situation == Situation.ASKED_FOR_PHOTO and event.photo_enclosed]
        if not photos:
            return None
        return self.arrival(photos[-1].date, photos[-1].channel, case.company.country)

    @staticmethod
    def _last_follow_up(case: Case) -> Event | None:
        """The person's latest follow-up, if it came after the company's latest reply: silence then counts
        from the final date it set."""
        follow_ups = [event for event in case.letters if event.is_follow_up]
        if not follow_ups:
            return None
        last, reply = follow_ups[-1], case.last_reply
        return last if reply is None or last.date >= reply.date else None

    def letter_final(self, case: Case, letter: Event) -> date | None:
        """The date a follow-up of the case (as it stood before it) asked for an answer by."""
        dates = self.dates(case, letter.date)
        situation = Situation(letter.situation)
        if situation is Situation.ASKED_FOR_PHOTO and letter.photo_enclosed:
            return self.month_after(self.arrival(letter.date, letter.channel, case.company.country),
                                    case.company.country)
        running = dates.answer_due if dates.answer_due and dates.answer_due >= letter.date else None
        # A UK follow-up that complains to the controller (s. 164A DPA 2018): it has 30 days to acknowledge it.
        return self.final_date(case, letter.date, letter.channel, not_before=running,
                               days=ACKNOWLEDGEMENT_DAYS if case.complains_to_controller(letter) else FINAL_PERIOD_DAYS)

    def correspondence(self, case: Case) -> tuple["Entry", ...]:
        """Every exchange after the request, with the final date each of the person's letters set."""
        return tuple(Entry(event, self.letter_final(case.before(event), event) if event.is_follow_up else None)
                     for event in case.events if event.kind != EventKind.SENT)


@dataclass(frozen=True)
class Entry:
    event: Event
    final: date | None = None
