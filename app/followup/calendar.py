"""Moved to app/letters/calendar.py, below the wizard and the follow-up, which both use it. This name is kept
only for app/commands/followup.py, which another branch is changing: its import moves there on the merge."""
from ..letters.calendar import calendar_filename, cases_ics, deadline_ics  # noqa: F401
