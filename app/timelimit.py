"""A hard time limit for one piece of work, such as rendering a letter.

It uses SIGALRM, so it applies in the main thread of a process: that is where
gunicorn's sync workers handle requests. Elsewhere (the threaded development
server) it does nothing, and gunicorn's worker timeout remains the backstop.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """A BaseException, like KeyboardInterrupt: libraries that catch every Exception
    (and photo preparation, which turns any decoding failure into a field error)
    must not swallow the end of the time limit."""


def _raise_time_limit(signum, frame):
    raise TimeLimitExceeded()


@contextmanager
def time_limit(seconds: float):
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_time_limit)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
