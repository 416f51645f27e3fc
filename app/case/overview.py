"""All of a person's cases at once: where each stands and what comes next ("Your requests", `status`).

Several letters of one case (the request, a reminder, a reply) are the same case at different
times: the one that knows the most of it (the latest event) stands for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..law.deadlines import add_months
from .model import Case, Event, EventKind
from .timeline import Dates, Timeline
from .vocabulary import Situation

# Art. 78(2): a remedy against an authority that has not informed the complainant within three months.
AUTHORITY_MONTHS = 3


class NextStep(StrEnum):
    SAY_WHEN_SENT = "say-when-sent"  # the case does not know when the request went
    WAIT = "wait"  # the company (or the final period) still has time
    REMIND = "remind"  # the period has ended without an answer: a reminder
    COMPLAIN = "complain"  # the final period of the person's letter has ended: a complaint
    REPLY = "reply"  # the company has answered: the person replies (or complains)
    WAIT_FOR_AUTHORITY = "wait-for-authority"  # a complaint has been lodged


@dataclass(frozen=True)
class Summary:
    case: Case
    dates: Dates
    step: NextStep
    next_date: date | None

    @property
    def last_event(self) -> Event | None:
        return self.case.last_event


def latest_of_each(cases: list[Case]) -> list[Case]:
    """One case per reference: the one whose history is longest (latest), in the order first seen."""
    chosen: dict[str, Case] = {}
    for case in cases:
        known = chosen.get(case.reference)
        if known is None or _progress(case) > _progress(known):
            chosen[case.reference] = case
    return list(chosen.values())


def _progress(case: Case) -> tuple:
    last = case.last_event
    return (last.date if last else case.request.date, len(case.events))


def summarise(case: Case, timeline: Timeline, today: date) -> Summary:
    dates = timeline.dates(case, today)
    last = case.last_event
    if last is not None and last.is_complaint:
        return Summary(case, dates, NextStep.WAIT_FOR_AUTHORITY, add_months(last.date, AUTHORITY_MONTHS))
    if case.sending is None:
        return Summary(case, dates, NextStep.SAY_WHEN_SENT, None)
    if last is not None and last.kind == EventKind.REPLY and last.situation != Situation.EXTENSION_ANNOUNCED:
        return Summary(case, dates, NextStep.REPLY, dates.next_date)
    if dates.premature(Situation.NO_ANSWER):
        return Summary(case, dates, NextStep.WAIT, dates.waiting_until)
    after_my_letter = last is not None and last.is_follow_up
    return Summary(case, dates, NextStep.COMPLAIN if after_my_letter else NextStep.REMIND, None)
