"""A case carried from one page to the next in a hidden field, sealed: "Your requests" shows several
cases read from uploaded letters, and each one's button must continue that case without the server
keeping anything. The record (app/case/record.py) is encrypted and authenticated with a key derived
from SECRET_KEY for this use only, and expires with the answers' lifetime.
"""
from __future__ import annotations

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from ..state import answers_lifetime


@lru_cache(maxsize=4)
def _fernet(secret_key: str | bytes) -> Fernet:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"facerights case token v1").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(record: dict) -> str:
    plain = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    return _fernet(current_app.secret_key).encrypt(plain).decode("ascii")


def unseal(token: str) -> dict | None:
    """The record sealed in ``token``, or None when it is not one of ours, was altered, or has expired."""
    ttl = int(answers_lifetime(current_app.config).total_seconds())
    try:
        return json.loads(_fernet(current_app.secret_key).decrypt(token.encode("ascii"), ttl=ttl))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return None
