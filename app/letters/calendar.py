"""The answer deadline as an .ics event with a reminder, for any calendar.

Its text names the company and the reference and nothing else about the person:
a calendar is often synchronised to someone else's server.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

REMIND_DAYS_BEFORE = 3


def _deadline_event(due: date, *, summary: str, description: str, reminder: str) -> Event:
    """One all-day event on ``due``, with an alarm REMIND_DAYS_BEFORE days earlier. ``summary``,
    ``description`` and ``reminder`` are the translated texts (made from company and reference only)."""
    event = Event()
    # A random identifier: nothing in it can be traced back to the person or the server.
    event.add("uid", f"{uuid.uuid4()}@facerights.invalid")
    event.add("dtstamp", datetime.now(timezone.utc).replace(microsecond=0))
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder)
    alarm.add("trigger", timedelta(days=-REMIND_DAYS_BEFORE))
    event.add_component(alarm)
    return event


def _calendar(events) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//FaceRights//answer deadline//EN")
    calendar.add("version", "2.0")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_filename(reference: str) -> str:
    return f"{reference}-deadline.ics"


def _case_event(due: date, company: str, reference: str) -> Event:
    """The next date of request ``reference`` to ``company``, in the current language."""
    return _deadline_event(
        due,
        summary=_("Answer due from %(company)s (%(reference)s)", company=company, reference=reference),
        description=_("The answer to your request %(reference)s to %(company)s is due today. If it has not "
                      "come, FaceRights writes the reminder or the complaint: choose \u201cContinue a request\u201d "
                      "and upload your latest letter.", company=company, reference=reference),
        reminder=_("In %(days)d days: answer due from %(company)s (%(reference)s)", days=REMIND_DAYS_BEFORE,
                   company=company, reference=reference))


def deadline_ics(due: date, company: str, reference: str) -> bytes:
    """A calendar with the next date of one request."""
    return _calendar([_case_event(due, company, reference)])


def cases_ics(summaries) -> bytes:
    """One calendar with the next date of each case (app/case/overview.py summaries)."""
    return _calendar([_case_event(summary.next_date, summary.case.company.brand, summary.case.reference)
                      for summary in summaries])
