"""The person's answers travel in an encrypted, authenticated, expiring cookie.

Nothing is kept on the server: the Flask session is replaced by one whose cookie
is a Fernet token (AES-128-CBC + HMAC-SHA256 with a timestamp). The key is
derived from SECRET_KEY, so every instance sharing that key can read it, and a
token older than STATE_MAX_AGE, or altered in any way, is refused.
"""
from __future__ import annotations

import base64
import json
from datetime import timedelta
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
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


def state_size(data: dict) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


class StateTooLarge(Exception):
    """The state does not fit in the cookies a browser keeps (prevented by STATE_BUDGET)."""


class WizardState(CallbackDict, SessionMixin):
    """The session dict; ``rejected`` tells that the browser sent a token we refused."""

    def __init__(self, initial=None, rejected: bool = False):
        def on_update(self):
            self.modified = True
        super().__init__(initial, on_update)
        self.modified = False
        self.rejected = rejected


@lru_cache(maxsize=4)
def _fernet(secret_key: str | bytes) -> Fernet:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"facerights answers v1").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def _chunk_names(base: str) -> list[str]:
    return [base] + [f"{base}.{n}" for n in range(1, MAX_CHUNKS)]


class EncryptedCookieStateInterface(SessionInterface):

    def _max_age(self, app) -> int:
        max_age = app.config["STATE_MAX_AGE"]
        return int(max_age.total_seconds() if isinstance(max_age, timedelta) else max_age)

    def open_session(self, app, request):
        names = _chunk_names(self.get_cookie_name(app))
        token = "".join(request.cookies.get(name, "") for name in names)
        if not token:
            return WizardState()
        try:
            plain = _fernet(app.secret_key).decrypt(token.encode("ascii"), ttl=self._max_age(app))
            return WizardState(json.loads(plain))
        except (InvalidToken, UnicodeEncodeError, ValueError):
            return WizardState(rejected=True)

    def save_session(self, app, session, response):
        names = _chunk_names(self.get_cookie_name(app))
        # Secure whenever the request came over HTTPS, even if the host forgot the setting.
        cookie = dict(domain=self.get_cookie_domain(app), path=self.get_cookie_path(app),
                      secure=self.get_cookie_secure(app) or request.is_secure, httponly=True,
                      samesite=self.get_cookie_samesite(app))
        chunks = []
        if session:
            plain = json.dumps(dict(session), ensure_ascii=False, separators=(",", ":")).encode()
            token = _fernet(app.secret_key).encrypt(plain).decode("ascii")
            chunks = [token[i:i + CHUNK_SIZE] for i in range(0, len(token), CHUNK_SIZE)]
            if len(chunks) > MAX_CHUNKS:
                raise StateTooLarge(len(token))
        for index, name in enumerate(names):
            if index < len(chunks):
                response.set_cookie(name, chunks[index], max_age=self._max_age(app), **cookie)
            elif name in request.cookies:
                response.delete_cookie(name, **cookie)
        if session.accessed:
            response.vary.add("Cookie")
