"""What every command shares: one line per problem and exit 2, an English request context for the
forms and messages, reading files the person gives, and writing the output."""
from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app

from ..case.record import RecordError
from ..followup.forms import upload_message
from ..followup.restore import Restored, restore
from ..letters.attachment import read_record
from ..letters.photo import PhotoError, prepare_photo
from ..timelimit import TimeLimitExceeded, time_limit

# The command line's names for the channels ("post" reads better than "letter").
CHANNEL_NAMES = {"email": "email", "post": "letter", "webform": "webform"}
CHANNEL_WORDS = {value: name for name, value in CHANNEL_NAMES.items()}


def fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(2)


def in_english(command):
    """Messages, form validation and calendar texts need a request context: an English one."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with current_app.test_request_context(headers={"Accept-Language": "en"}):
            return command(*args, **kwargs)
    return run


def form_problems(form, prefix: str) -> list[str]:
    form.validate()
    return [f"{prefix}{name}: {message}" for name, messages in form.errors.items() for message in messages]


def text(value) -> str:
    return value if isinstance(value, str) else ""


def day(value: str | None, option: str, problems: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{option}: must be a date such as 2026-11-29")
        return None


def today() -> date:
    return current_app.extensions["facerights.clock"].today()


def read_json(path: Path, option: str, problems: list[str]) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{option}: cannot read {path} as JSON ({error})")
        return None
    if not isinstance(data, dict):
        problems.append(f"{option}: the file must hold a JSON object")
        return None
    return data


def read_photo(path: Path | None, problems: list[str]):
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(f"--photo: cannot read {path} ({error.strerror})")
        return None
    try:
        return prepare_photo(data, current_app.config["MAX_PHOTO_BYTES"])
    except PhotoError as error:
        problems.append(f"--photo: {error.message}")
        return None


def read_letter(path: Path, option: str, on_day: date, problems: list[str]) -> Restored | None:
    """The case a FaceRights PDF carries, read as "Continue a request" reads an upload (bounded in size,
    memory and time) and restored through the wizard's forms; None with the problems listed."""
    max_bytes = current_app.config["MAX_LETTER_UPLOAD_BYTES"]
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # one byte more tells a file that is too large
    except OSError as error:
        problems.append(f"{option}: cannot read {path} ({error.strerror})")
        return None
    return restore_letter(data, option, on_day, problems)


def restore_letter(data: bytes, option: str, on_day: date, problems: list[str]) -> Restored | None:
    """read_letter for a letter already in memory (for example from a ZIP)."""
    try:
        with time_limit(current_app.config["RENDER_TIME_LIMIT"]):
            record = read_record(data, current_app.config["MAX_LETTER_UPLOAD_BYTES"])
    except RecordError as error:
        problems.append(f"{option}: {upload_message(error.reason)}")
        return None
    except TimeLimitExceeded:
        problems.append(f"{option}: {upload_message('damaged')}")
        return None
    restored = restore(record, current_app.extensions["facerights.registry"], on_day)
    problems += [f"{option}: {field}: {message}" for field, message in restored.problems]
    return None if restored.problems else restored


def write(path: Path, data: bytes, option: str = "--output") -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        fail([f"{option}: cannot write {path} ({error.strerror})"])
