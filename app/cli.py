"""Command line: `flask --app wsgi letter ...` and `flask --app wsgi companies`.

The letter command validates with the wizard's own forms, so a person's data
is held to the same rules (and messages) on the command line as on the web.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from .law.scope import coverage
from .letters.model import CHANNELS, ERASURE_GROUNDS, REQUEST_TYPES, SUPPRESSION_CHOICES


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(2)


def _form_problems(form, prefix: str) -> list[str]:
    form.validate()
    return [f"{prefix}{name}: {message}" for name, messages in form.errors.items() for message in messages]


def _read_person(path: Path, problems: list[str]) -> dict | None:
    try:
        person = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"--person: cannot read {path} as JSON ({error})")
        return None
    if not isinstance(person, dict):
        problems.append("--person: the file must hold a JSON object")
        return None
    return person


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _validate_person(person: dict, request_type: str, posting: bool, problems: list[str]) -> dict:
    """The wizard's answers for the person's own pages ("your-details", and for erasure
    "erasure-grounds", "objection-reason" and "recollection"), validated by the wizard's forms.
    The postal address is needed only for a letter sent by post (``posting``)."""
    from .wizard.forms import DetailsForm, GroundsForm, ObjectionForm

    address = person.get("address") if isinstance(person.get("address"), dict) else {}
    if not isinstance(person.get("address"), dict):
        problems.append("person.address: must be an object with street, postcode, city and country")
    urls = person.get("profile_urls", [])
    if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
        problems.append("person.profile_urls: must be a list of web addresses")
        urls = []
    details = DetailsForm(formdata=MultiDict({
        "full_name": _text(person.get("full_name")), "email": _text(person.get("email")),
        "street": _text(address.get("street")), "address_line_2": _text(address.get("address_line_2")),
        "postcode": _text(address.get("postcode")),
        "city": _text(address.get("city")), "country": _text(address.get("country")).upper(),
        "profile_urls": "\n".join(urls)}), meta={"csrf": False}, posting=posting)
    problems += _form_problems(details, "person.")
    answers = {"your-details": details.answer()}
    if request_type in ("erasure", "both"):
        grounds = person.get("erasure_grounds", ["unlawful-biometric"])
        if not isinstance(grounds, list) or not set(grounds) <= set(ERASURE_GROUNDS) or not grounds:
            problems.append(f"person.erasure_grounds: must list one or more of {', '.join(ERASURE_GROUNDS)}")
            grounds = []
        grounds_form = GroundsForm(formdata=MultiDict([("grounds", ground) for ground in grounds]), meta={"csrf": False})
        if grounds:
            problems += _form_problems(grounds_form, "person.")
        answers["erasure-grounds"] = grounds_form.answer()
        if "objection" in grounds:
            objection_form = ObjectionForm(formdata=MultiDict({"objection_reason": _text(person.get("objection_reason"))}),
                                           meta={"csrf": False})
            problems += _form_problems(objection_form, "person.")
            answers["objection-reason"] = objection_form.answer()
        suppression = person.get("suppression", "addresses")
        if suppression not in SUPPRESSION_CHOICES:
            problems.append(f"person.suppression: must be one of {', '.join(SUPPRESSION_CHOICES)}")
        answers["recollection"] = {"suppression": suppression}
    return answers


def _check_coverage(country: str | None, language: str, problems: list[str]) -> None:
    """The same rule as the wizard's: only people a law we write under protects, in its languages."""
    if not country:
        return
    law = coverage(country).law
    if law is None:
        problems.append(f"person.address.country: the GDPR does not protect people living in {country} "
                        "(only the EU, Iceland, Liechtenstein, Norway and, under the UK GDPR, the United Kingdom)")
    elif not law.allows_language(language):
        problems.append(f"--language: a {law.key} letter can only be written in {', '.join(law.official_languages)}")


def _read_photo(path: Path | None, problems: list[str]):
    from .letters.photo import PhotoError, prepare_photo

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


@click.command("letter")
@click.option("--company", "slug", required=True, help="Company slug (see the companies command).")
@click.option("--request", "request_type", required=True, help="access, erasure or both.")
@click.option("--person", "person_path", required=True, type=click.Path(path_type=Path), help="PERSON.json")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.pdf")
@click.option("--language", default=None, help="Letter language (default: the company's request language).")
@click.option("--photo", "photo_path", default=None, type=click.Path(path_type=Path), help="JPEG or PNG of your face.")
@click.option("--date", "letter_date", default=None, help="Letter date, YYYY-MM-DD (default: today).")
@click.option("--send", "send", default=None,
              help=f"How you send it, comma-separated from {', '.join(CHANNELS)} (default: every way the company has).")
@with_appcontext
def letter_command(slug, request_type, person_path, output_path, language, photo_path, letter_date, send):
    """Write a request letter as PDF, without the web wizard."""
    from .letters import letter_pdf
    from .letters.model import letter_from_answers, new_reference

    registry = current_app.extensions["facerights.registry"]
    problems: list[str] = []
    company = registry.get(slug)
    if company is None:
        problems.append(f"--company: unknown company {slug!r}; choose one of {', '.join(registry.slugs())}")
    if request_type not in REQUEST_TYPES:
        problems.append(f"--request: must be one of {', '.join(REQUEST_TYPES)}")
    languages = current_app.config["LANGUAGES"]
    language = language or (company.request_language if company else "en")
    if language not in languages:
        problems.append(f"--language: must be one of {', '.join(languages)}")
    try:
        day = date.fromisoformat(letter_date) if letter_date else date.today()
    except ValueError:
        problems.append("--date: must be a date such as 2026-11-29")
        day = date.today()
    channels = tuple(send.split(",")) if send else ()
    if company and not set(channels) <= set(company.channels):
        problems.append(f"--send: {company.name} can be reached by {', '.join(company.channels)}")
    person = _read_person(person_path, problems)
    if person is not None and request_type in REQUEST_TYPES:
        posting = "letter" in (channels or (company.channels if company else ("letter",)))
        with current_app.test_request_context(headers={"Accept-Language": language}):
            person_answers = _validate_person(person, request_type, posting, problems)
        _check_coverage(person_answers["your-details"].get("country"), language, problems)
    photo = _read_photo(photo_path, problems)
    if problems:
        _fail(problems)

    answers = {"request-type": {"request_type": request_type}, "company": {"company": slug}, **person_answers}
    letter = letter_from_answers(answers, registry, language=language, today=day,
                                 reference=new_reference(day), photo=photo, channels=channels)
    pdf = letter_pdf(letter)
    try:
        output_path.write_bytes(pdf)
    except OSError as error:
        _fail([f"--output: cannot write {output_path} ({error.strerror})"])
    click.echo(f"{output_path}: {letter.reference}, {len(pdf)} bytes")


@click.command("companies")
@with_appcontext
def companies_command():
    """List the company registry."""
    for company in current_app.extensions["facerights.registry"]:
        channels = ", ".join(company.channels)
        click.echo(f"{company.slug:15} {company.name:25} {channels:24} "
                   f"{company.verification} {company.last_verified.isoformat()}")


def register_commands(app) -> None:
    from .followup.cli import COMMANDS

    app.cli.add_command(letter_command)
    app.cli.add_command(companies_command)
    for command in COMMANDS:
        app.cli.add_command(command)
