"""The person's answers travel in an encrypted, authenticated, expiring cookie.

Nothing is kept on the server: the Flask session is replaced by one whose cookie
is a Fernet token (AES-128-CBC + HMAC-SHA256 with a timestamp). The key is
derived from SECRET_KEY, so every instance sharing that key can read it, and a
token older than STATE_MAX_AGE, or altered in any way, is refused. After a key
rotation, tokens made with a key in SECRET_KEY_FALLBACKS are still read, and
written again with SECRET_KEY (MultiFernet) when they next change, so no visit in
progress is lost.

The token keeps the time the answers were first saved, however often it is
re-encrypted: a copy of the cookie taken before "delete my answers" cannot be
kept alive by using it, and dies STATE_MAX_AGE after the visit began. The
cookie itself is a browser-session cookie: the browser forgets it when it closes.
"""
from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

# Browsers cap a cookie at 4096 bytes, name and attributes included: long
# answers (an objection reason in Greek) are split over numbered cookies.
CHUNK_SIZE = 3800
MAX_CHUNKS = 4


# Answers beyond this many bytes are refused by the form that would add them:
# the Cookie header then stays under 12 KB (set gunicorn's and nginx's header limits above it).
STATE_BUDGET = 7000


def answers_lifetime(config) -> timedelta:
    """How long answers stay readable after the visit began (STATE_MAX_AGE: a timedelta, or seconds)."""
    max_age = config["STATE_MAX_AGE"]
    return max_age if isinstance(max_age, timedelta) else timedelta(seconds=int(max_age))


def state_size(data: dict) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


class StateTooLarge(Exception):
    """The state does not fit in the cookies a browser keeps (prevented by STATE_BUDGET)."""


# The only keys the state may hold, and their types: anything else is refused as
# unreadable (after an upgrade that changed the state's shape, for example).
# "references" holds the references of the second and later companies of one visit (see wizard.views).
# "draft" is what was typed on a page when the person switched its language (kept for one
# reload). "request" and "after" belong to the follow-up journey (app/followup/): the
# original request's date and source, and the answers about what happened since.
STATE_SCHEMA = {"answers": dict, "lang": str, "reference": str, "references": dict, "csrf_token": str,
                "_flashes": list, "draft": dict, "request": dict, "after": dict}


def well_formed(state) -> bool:
    if not isinstance(state, dict):
        return False
    if any(key not in STATE_SCHEMA or not isinstance(value, STATE_SCHEMA[key]) for key, value in state.items()):
        return False
    references = state.get("references", {})
    if not all(isinstance(slug, str) and isinstance(reference, str) for slug, reference in references.items()):
        return False
    flashes = state.get("_flashes", [])
    return all(isinstance(flash, list) and len(flash) == 2 and all(isinstance(part, str) for part in flash)
               for flash in flashes)


class WizardState(CallbackDict, SessionMixin):
    """The session dict; ``rejected`` tells that the browser sent a token we refused;
    ``started`` is when these answers were first saved (None for a new state)."""

    def __init__(self, initial=None, rejected: bool = False, started: int | None = None):
        def on_update(self):
            self.modified = True
        super().__init__(initial, on_update)
        self.modified = False
        self.rejected = rejected
        self.started = started

    def clear(self):
        super().clear()
        self.started = None  # deleted answers: whatever is saved next is a new visit


def _fernet(secret_key: str | bytes) -> Fernet:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"facerights answers v1").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str | bytes, ...]) -> MultiFernet:
    """Encrypts with the first key (SECRET_KEY), decrypts with any of them (then SECRET_KEY_FALLBACKS)."""
    return MultiFernet([_fernet(key) for key in keys])


def state_cipher(app) -> MultiFernet:
    return _fernets((app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ())))


def _chunk_names(base: str) -> list[str]:
    return [base] + [f"{base}.{n}" for n in range(1, MAX_CHUNKS)]


class EncryptedCookieStateInterface(SessionInterface):

    def _max_age(self, app) -> int:
        return int(answers_lifetime(app.config).total_seconds())

    def open_session(self, app, request):
        names = _chunk_names(self.get_cookie_name(app))
        token = "".join(request.cookies.get(name, "") for name in names)
        if not token:
            return WizardState()
        fernet = state_cipher(app)
        try:
            plain = fernet.decrypt(token.encode("ascii"), ttl=self._max_age(app))
            state = json.loads(plain)
            started = fernet.extract_timestamp(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError, ValueError):
            return WizardState(rejected=True)
        if not well_formed(state):
            return WizardState(rejected=True)
        return WizardState(state, started=started)

    def save_session(self, app, session, response):
        if session.accessed:
            response.vary.add("Cookie")
        # Only a changed (or refused) state is written back. Sent with every response, the cookie of a
        # request that read the older state (a favicon, a stylesheet, another tab) could arrive after the
        # page that changed it and put the old state back, losing its answer or its CSRF token.
        if not (session.modified or session.rejected):
            return
        names = _chunk_names(self.get_cookie_name(app))
        # Secure whenever the request came over HTTPS, even if the host forgot the setting.
        cookie = dict(domain=self.get_cookie_domain(app), path=self.get_cookie_path(app),
                      secure=self.get_cookie_secure(app) or request.is_secure, httponly=True,
                      samesite=self.get_cookie_samesite(app))
        chunks = []
        if session:
            plain = json.dumps(dict(session), ensure_ascii=False, separators=(",", ":")).encode()
            started = getattr(session, "started", None) or int(time.time())
            token = state_cipher(app).encrypt_at_time(plain, started).decode("ascii")
            chunks = [token[i:i + CHUNK_SIZE] for i in range(0, len(token), CHUNK_SIZE)]
            if len(chunks) > MAX_CHUNKS:
                raise StateTooLarge(len(token))
        for index, name in enumerate(names):
            if index < len(chunks):
                # No Max-Age or Expires: a browser-session cookie, never written to the profile to outlive it.
                response.set_cookie(name, chunks[index], **cookie)
            elif name in request.cookies:
                response.delete_cookie(name, **cookie)
