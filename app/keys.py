"""The secret key, and the older keys still read after a rotation, checked at start-up.

SECRET_KEY encrypts the answers cookie (app/state.py) and keys the rate-limit hashes (app/limits.py).
SECRET_KEY_FALLBACKS lists keys that were the SECRET_KEY before a rotation: answers encrypted with
them are still read (and written again with SECRET_KEY), so that a rotation loses no visit in
progress (docs/HOSTING.md, "Rotating the secret key").

A key is refused when it is short or made of few characters (one captured cookie would allow
guessing it offline), and when it appears in a file a host copies from or reads (deploy/, the docs):
such a key is public, the placeholder in deploy/facerights.env first of all.
"""
from __future__ import annotations

import json
import logging
import secrets
from functools import lru_cache
from pathlib import Path

from .host.settings import SettingError

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# A key an attacker could guess from one captured cookie: too short, or too few different characters.
MIN_SECRET_KEY_BYTES = 32
MIN_SECRET_KEY_CHARACTERS = 10
GENERATE = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
# Placeholders that earlier releases shipped in deploy/facerights.env: a host's copy may still hold one.
FORMER_PLACEHOLDERS = ("replace-with-a-long-random-string",)


class InsecureSecretKey(SettingError):
    """FACERIGHTS_SECRET_KEY (or one of its fallbacks) would not protect the answers: the app refuses to start."""

    def __init__(self, name: str, problem: str):
        ValueError.__init__(self, f"FACERIGHTS_{name} {problem}")
        self.name = name


def published_files() -> list[Path]:
    """What a host copies settings from or reads: the deploy/ files and the documentation."""
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted(path for path in (ROOT / "deploy").rglob("*") if path.is_file())
    return [path for path in files if path.is_file()]


@lru_cache(maxsize=1)
def _published_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in published_files())


def published_in(key: str) -> Path | None:
    """The first published file that contains this key, if any."""
    if key not in _published_text():
        return None
    return next(path for path in published_files() if key in path.read_text(encoding="utf-8", errors="replace"))


def check_key(name: str, key) -> None:
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if text in FORMER_PLACEHOLDERS:
        raise InsecureSecretKey(name, "is a placeholder that deploy/facerights.env shipped, which anyone can "
                                      f"read: set your own, for example the output of: {GENERATE}")
    if len(text.encode()) < MIN_SECRET_KEY_BYTES or len(set(text)) < MIN_SECRET_KEY_CHARACTERS:
        raise InsecureSecretKey(name, "is too short or too easy to guess: use at least 32 random characters, "
                                      f"for example the output of: {GENERATE}")
    if (source := published_in(text)) is not None:
        raise InsecureSecretKey(name, f"appears in {source.relative_to(ROOT)}, which anyone can read: "
                                      f"set your own, for example the output of: {GENERATE}")


def fallback_keys(value) -> list[str]:
    """SECRET_KEY_FALLBACKS: a list of keys (JSON in the environment), or one key."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise SettingError("SECRET_KEY_FALLBACKS", 'must be a list of keys, such as ["old-key"]') from None
    if isinstance(value, (str, bytes)):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(key, (str, bytes)) for key in value):
        raise SettingError("SECRET_KEY_FALLBACKS", 'must be a list of keys, such as ["old-key"]')
    return list(value)


def ensure_secret_keys(config) -> None:
    """Check SECRET_KEY and SECRET_KEY_FALLBACKS. Without a SECRET_KEY, make a random one for this process;
    an empty one (FACERIGHTS_SECRET_KEY= as shipped in deploy/facerights.env) is refused."""
    key = config.get("SECRET_KEY")
    if key == "" or key == b"":
        # The line of deploy/facerights.env, left as shipped: two instances with a key each lose every visit.
        raise InsecureSecretKey("SECRET_KEY", f"is empty: set it, for example to the output of: {GENERATE}")
    if key is None:
        # Fine for a single process (or gunicorn with preload_app): the key dies with it,
        # and so do the answers it protects. Several instances need a shared key.
        config["SECRET_KEY"] = secrets.token_urlsafe(32)
        log.warning("No FACERIGHTS_SECRET_KEY set: using a random key for this process.")
    else:
        check_key("SECRET_KEY", key)
    fallbacks = fallback_keys(config.get("SECRET_KEY_FALLBACKS"))
    for fallback in fallbacks:
        check_key("SECRET_KEY_FALLBACKS", fallback)
    config["SECRET_KEY_FALLBACKS"] = fallbacks
