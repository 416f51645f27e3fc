"""Command line: `flask --app wsgi follow-up | complaint | deadline | authorities`.

The commands read the request from the letter's own PDF and validate it with the
wizard's forms (app/followup/request.py), as the "Continue a request" page does, and
choose the authority as the complaint page does. Bad input exits 2 with one line
per problem and writes nothing.
"""
from __future__ import annotations

import dataclasses
import functools
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..law import authorities
from ..law.scope import allowed_languages, coverage
from ..letters.model import ACCESS_ITEMS, FOLLOW_UPS, chosen_slugs

CHANNEL_NAMES = {"email": "email", "post": "letter", "webform": "webform"}


def in_english(command):
    """Messages, form validation and calendar texts need a request context: an English one."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with current_app.test_request_context(headers={"Accept-Language": "en"}):
            return command(*args, **kwargs)
    return run


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(2)


def _day(value: str | None, option: str, problems: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{option}: must be a date such as 2026-11-29")
        return None


def _read_original(path: Path, today: date, problems: list[str]):
    """The restored request (see request.restore), or None with the problems listed."""
    from ..letters.answers import RecordError, read_record
    from .forms import UPLOAD_MESSAGES
    from .request import restore

    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(f"--original: cannot read {path} ({error.strerror})")
        return None, None
    max_bytes = current_app.config["MAX_LETTER_UPLOAD_BYTES"]
    try:
        record = read_record(data, max_bytes)
    except RecordError as error:
        problems.append(f"--original: {UPLOAD_MESSAGES[error.reason]}")
        return None, None
    restored = restore(record, current_app.extensions["facerights.registry"], today)
    problems += [f"--original: {field}: {message}" for field, message in restored.problems]
    if restored.problems:
        return None, None
    return restored, data


def _language(value: str | None, covered, problems: list[str]) -> str | None:
    if value is None:
        return None
    languages = current_app.config["LANGUAGES"]
    allowed = allowed_languages(covered, languages)
    if value not in languages:
        problems.append(f"--language: must be one of {', '.join(languages)}")
    elif covered.law is not None and value not in allowed:
        problems.append(f"--language: a {covered.law.key} letter can only be written in {', '.join(allowed)}")
    return value


def _missing(value: str | None, situation: str, request_type: str | None, problems: list[str]) -> tuple[str, ...]:
    items = tuple(item.strip() for item in (value or "").split(",") if item.strip())
    unknown = [item for item in items if item not in ACCESS_ITEMS]
    if unknown:
        problems.append(f"--missing: unknown item {', '.join(unknown)}; choose from {', '.join(ACCESS_ITEMS)}")
    if situation == "incomplete" and not items:
        problems.append(f"--missing: name what the answer left out, from {', '.join(ACCESS_ITEMS)}")
    if items and situation != "incomplete":
        problems.append("--missing: only for --situation incomplete")
    if situation == "incomplete" and request_type == "erasure":
        problems.append("--situation: incomplete concerns an access request; this letter asked only for erasure")
    if situation == "erasure-refused" and request_type == "access":
        problems.append("--situation: erasure-refused concerns an erasure request; this letter asked only for access")
    return tuple(item for item in ACCESS_ITEMS if item in items)


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        _fail([f"--output: cannot write {path} ({error.strerror})"])


def _prepare(original_path, situation, sent_text, channel_name, today_text, language, missing_text, problems):
    """What follow-up and complaint share: the request, its original dates, and the situation's details."""
    from .request import original_of, request_letter

    if situation not in FOLLOW_UPS:
        problems.append(f"--situation: must be one of {', '.join(FOLLOW_UPS)}")
    today = _day(today_text, "--date", problems) or date.today()
    sent = _day(sent_text, "--sent", problems)
    if channel_name is not None and channel_name not in CHANNEL_NAMES:
        problems.append(f"--channel: must be one of {', '.join(CHANNEL_NAMES)}")
    restored, pdf = _read_original(original_path, today, problems)
    request_type = restored.answers["request-type"]["request_type"] if restored else None
    missing = _missing(missing_text, situation, request_type, problems)
    if restored is None:
        return None
    registry = current_app.extensions["facerights.registry"]
    covered = coverage(restored.answers["your-details"]["country"], registry.get(chosen_slugs(restored.answers)[0]))
    language = _language(language, covered, problems)
    sent = sent or restored.sent or restored.request_date
    if sent < restored.request_date or sent > today:
        problems.append("--sent: must be between the letter's date and --date")
    channel = CHANNEL_NAMES.get(channel_name) or restored.channel or "email"
    if problems:
        return None
    request_ = request_letter(restored.answers, current_app.extensions["facerights.registry"],
                              reference=restored.reference, request_date=restored.request_date)
    original = original_of(request_, sent, channel, current_app.config["POSTAL_DAYS"])
    return request_, original, today, language, missing, covered, pdf


situation_help = f"One of {', '.join(FOLLOW_UPS)}."
missing_help = f"For incomplete: what the answer left out, comma-separated from {', '.join(ACCESS_ITEMS)}."


@click.command("follow-up")
@click.option("--original", "original_path", required=True, type=click.Path(path_type=Path), help="LETTER.pdf made by FaceRights.")
@click.option("--situation", required=True, help=situation_help)
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.pdf")
@click.option("--missing", "missing_text", default=None, help=missing_help)
@click.option("--sent", "sent_text", default=None, help="When the request was sent, YYYY-MM-DD (default: as the letter says, else its date).")
@click.option("--channel", "channel_name", default=None, help="How it was sent: email, post or webform (default: email).")
@click.option("--language", default=None, help="Letter language (default: the original letter's).")
@click.option("--date", "today_text", default=None, help="Date of this letter, YYYY-MM-DD (default: today).")
@click.option("--photo", "photo_path", default=None, type=click.Path(path_type=Path),
              help="asked-for-id / asked-for-photo: a JPEG or PNG of your face to enclose (asked-for-photo without it: the letter asks why they need one).")
@with_appcontext
@in_english
def follow_up_command(original_path, situation, output_path, missing_text, sent_text, channel_name, language,
                      today_text, photo_path):
    """Write the letter that follows a request, for what the company has done."""
    from ..cli import _read_photo
    from ..letters import letter_pdf
    from .request import follow_up_letter

    problems: list[str] = []
    prepared = _prepare(original_path, situation, sent_text, channel_name, today_text, language, missing_text, problems)
    photo = _read_photo(photo_path, problems)
    if photo is not None and situation not in ("asked-for-id", "asked-for-photo"):
        problems.append("--photo: only for asked-for-id or asked-for-photo")
    if problems or prepared is None:
        _fail(problems)
    request_, original, today, language, missing, _law, _pdf = prepared
    letter = follow_up_letter(request_, situation, original, today, missing=missing, photo=photo,
                              photo_reply="send" if photo else "refuse")
    if language:
        letter = dataclasses.replace(letter, language=language)
    pdf = letter_pdf(letter)
    _write(output_path, pdf)
    click.echo(f"{output_path}: {letter.reference}, {situation}, {len(pdf)} bytes")


@click.command("complaint")
@click.option("--original", "original_path", required=True, type=click.Path(path_type=Path), help="LETTER.pdf made by FaceRights.")
@click.option("--situation", required=True, help=situation_help)
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.pdf")
@click.option("--authority", "slug", default=None, help="Authority slug (see the authorities command; default: that of the residence in the letter).")
@click.option("--language", default=None, help="Complaint language (default: the authority's, else English).")
@click.option("--date", "today_text", default=None, help="Date of the complaint, YYYY-MM-DD (default: today).")
@click.option("--missing", "missing_text", default=None, help=missing_help)
@click.option("--sent", "sent_text", default=None, help="When the request was sent, YYYY-MM-DD.")
@click.option("--channel", "channel_name", default=None, help="How it was sent: email, post or webform.")
@with_appcontext
@in_english
def complaint_command(original_path, situation, output_path, slug, language, today_text, missing_text, sent_text,
                      channel_name):
    """Write a complaint to the supervisory authority (Art. 77), with the request appended as annex."""
    from ..letters import letter_pdf
    from .request import complaint_letter

    problems: list[str] = []
    prepared = _prepare(original_path, situation, sent_text, channel_name, today_text, language, missing_text, problems)
    authority = None
    if slug is not None:
        authority = authorities.by_slug(slug)
        if authority is None or not authority.takes_complaints:
            problems.append(f"--authority: unknown authority {slug!r}; see the authorities command")
    if prepared is None or problems:
        _fail(problems)
    request_, original, today, language, missing, covered, original_pdf = prepared
    person = request_.person
    if authority is None:
        authority = authorities.authority_for(person.country, postcode=person.postcode)
        if authority is None:
            _fail([f"--authority: cannot tell the authority for {person.country} {person.postcode}; give --authority"])
    languages = current_app.config["LANGUAGES"]
    language = language or authorities.complaint_language(authority, allowed_languages(covered, languages))
    letter = complaint_letter(request_, situation, original, today, authority, language=language, missing=missing)
    pdf = letter_pdf(letter, annex=original_pdf)
    _write(output_path, pdf)
    click.echo(f"{output_path}: {letter.reference}, to {authority.slug}, {len(pdf)} bytes")


@click.command("deadline")
@click.option("--original", "original_path", required=True, type=click.Path(path_type=Path), help="LETTER.pdf made by FaceRights.")
@click.option("--sent", "sent_text", required=True, help="When the request was sent, YYYY-MM-DD.")
@click.option("--channel", "channel_name", required=True, help="email or post.")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.ics")
@click.option("--extended", is_flag=True, help="The company announced the two-month extension (Art. 12(3)).")
@with_appcontext
@in_english
def deadline_command(original_path, sent_text, channel_name, output_path, extended):
    """Write the answer deadline of a request as a calendar file with a reminder."""
    from ..law.deadlines import due_date
    from .calendar import deadline_ics

    problems: list[str] = []
    sent = _day(sent_text, "--sent", problems)
    if channel_name not in ("email", "post"):
        problems.append("--channel: must be email or post")
    restored, _pdf = _read_original(original_path, date.today(), problems)
    if restored and sent and sent < restored.request_date:
        problems.append("--sent: must not be before the letter's date")
    if problems:
        _fail(problems)
    company = current_app.extensions["facerights.registry"].get(chosen_slugs(restored.answers)[0])
    due = due_date(sent, CHANNEL_NAMES[channel_name], company.country, extended=extended,
                   table=current_app.config["POSTAL_DAYS"])
    _write(output_path, deadline_ics(due, company.name, restored.reference))
    click.echo(f"{output_path}: {restored.reference}, due {due.isoformat()}")


@click.command("authorities")
@click.option("--country", default=None, help="ISO country code, e.g. de (default: all).")
@with_appcontext
@in_english
def authorities_command(country):
    """List the supervisory authorities (EU/EEA, and the UK and Switzerland, outside the GDPR)."""
    listed = authorities.in_country(country) if country else authorities.directory()
    if country and not listed:
        _fail([f"--country: no authority known for {country!r}"])
    for authority in listed:
        law = {"gdpr": "GDPR", "uk-gdpr": "UK GDPR (outside the GDPR)",
               "ch-fadp": "Swiss FADP (outside the GDPR; takes reports, not complaints)"}[authority.law_key]
        land = f" {authority.land}" if authority.land else ""
        click.echo(f"{authority.slug:12} {authority.country}{land:3} {authority.complaint_language or '-':3} "
                   f"{'/'.join(authority.channels):22} {law:20} {authority.name}")


COMMANDS = (follow_up_command, complaint_command, deadline_command, authorities_command)
