"""`flask --app wsgi letter`: request letters without the web wizard.

The command validates with the wizard's own forms, so a person's data is held to the same rules
(and messages) on the command line as on the web.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from ..case.vocabulary import Channel, Ground, RequestType, Suppression, values
from ..companies import OTHER
from ..law.scope import allowed_languages, coverage
from ..letters import letter_filename, letter_pdf
from ..letters.bundle import MadeLetter, letters_zip
from ..letters.model import (EACH_COMPANY_LANGUAGE, chosen_companies, companies_chosen, letter_from_answers,
                             new_reference)
from ..letters.text import letter_text
from ..wizard.forms import DetailsForm, GroundsForm, ObjectionForm, OtherCompanyForm, offers_other_company
from .common import fail, form_problems, read_json, read_photo, text, today, write

CHANNELS = values(Channel)
REQUEST_TYPES = values(RequestType)
ERASURE_GROUNDS = values(Ground)
SUPPRESSION_CHOICES = values(Suppression)


def _validate_person(person: dict, request_type: str, posting: bool, problems: list[str]) -> dict:
    """The wizard's answers for the person's own pages ("your-details", and for erasure
    "erasure-grounds", "objection-reason" and "recollection"), validated by the wizard's forms.
    The postal address is needed only for a letter sent by post (``posting``)."""
    address = person.get("address") if isinstance(person.get("address"), dict) else {}
    if not isinstance(person.get("address"), dict):
        problems.append("person.address: must be an object with street, postcode, city and country")
    urls = person.get("profile_urls", [])
    if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
        problems.append("person.profile_urls: must be a list of web addresses")
        urls = []
    details = DetailsForm(formdata=MultiDict({
        "full_name": text(person.get("full_name")), "email": text(person.get("email")),
        "street": text(address.get("street")), "address_line_2": text(address.get("address_line_2")),
        "postcode": text(address.get("postcode")),
        "city": text(address.get("city")), "country": text(address.get("country")).upper(),
        "profile_urls": "\n".join(urls)}), meta={"csrf": False}, posting=posting)
    problems += form_problems(details, "person.")
    answers = {"your-details": details.answer()}
    if request_type in ("erasure", "both"):
        grounds = person.get("erasure_grounds", ["unlawful-biometric"])
        if not isinstance(grounds, list) or not set(grounds) <= set(ERASURE_GROUNDS) or not grounds:
            problems.append(f"person.erasure_grounds: must list one or more of {', '.join(ERASURE_GROUNDS)}")
            grounds = []
        grounds_form = GroundsForm(formdata=MultiDict([("grounds", ground) for ground in grounds]), meta={"csrf": False})
        if grounds:
            problems += form_problems(grounds_form, "person.")
        answers["erasure-grounds"] = grounds_form.answer()
        if "objection" in grounds:
            objection_form = ObjectionForm(formdata=MultiDict({"objection_reason": text(person.get("objection_reason"))}),
                                           meta={"csrf": False})
            problems += form_problems(objection_form, "person.")
            answers["objection-reason"] = objection_form.answer()
        suppression = person.get("suppression", "addresses")
        if suppression not in SUPPRESSION_CHOICES:
            problems.append(f"person.suppression: must be one of {', '.join(SUPPRESSION_CHOICES)}")
        answers["recollection"] = {"suppression": suppression}
    return answers


def _check_coverage(answers: dict, registry, language: str, problems: list[str]) -> None:
    """The same rule as the wizard's (app/law/scope.py): a letter only to a company that a law covers a letter
    to from where the person lives, in a language that law has an official text in."""
    country = answers["your-details"].get("country")
    if not country or any(problem.startswith("person.country:") for problem in problems):
        return  # the form has said what is wrong with the country
    languages = current_app.config["LANGUAGES"]
    companies = companies_chosen(answers, registry, languages)
    covered = [(company, coverage(country, company)) for company in companies]
    for company, each in covered:
        if not each.covered:
            elsewhere = [other.slug for other in registry if coverage(country, other).covered]
            problems.append(f"person.address.country: neither the GDPR nor the UK GDPR covers a letter from a person "
                            f"living in {country} to {company.slug}, which is not established in the EU, the EEA or "
                            f"the United Kingdom" + (f" (companies established there answer anyone: "
                                                    f"{', '.join(elsewhere)})" if elsewhere else ""))
    for law in dict.fromkeys(each.law for _company, each in covered if each.law):
        allowed = allowed_languages([each for _company, each in covered if each.law is law], languages)
        if language in languages and language not in allowed:
            problems.append(f"--language: a {law.key} letter can only be written in {', '.join(allowed)}")


def _read_other_company(path: Path | None, problems: list[str]) -> dict | None:
    """--other-company OTHER.json, in the shape of person.json, validated by the wizard's own form."""
    if path is None:
        problems.append("--other-company: give OTHER.json for --company other")
        return None
    other = read_json(path, "--other-company", problems)
    if other is None:
        return None
    address = other.get("address") if isinstance(other.get("address"), dict) else {}
    if "address" in other and not isinstance(other.get("address"), dict):
        problems.append("other.address: must be an object with street, postcode, city and country")
    form = OtherCompanyForm(formdata=MultiDict({
        "name": text(other.get("name")), "email": text(other.get("email")),
        "street": text(address.get("street")), "postcode": text(address.get("postcode")),
        "city": text(address.get("city")), "country": text(address.get("country")).upper()}),
        meta={"csrf": False})
    found = form_problems(form, "other.")
    problems += found
    return None if found else form.answer()


def _some_company_posts(chosen: list[str], answers: dict, registry) -> bool:
    """Without --send every letter goes every way its company has: a postal address is needed when
    one of them (or the typed company, or an unknown slug) can be written to by post."""
    for slug in chosen:
        if slug == OTHER:
            if (answers.get("other-company") or {}).get("street"):
                return True
        elif (company := registry.get(slug)) is None or "letter" in company.channels:
            return True
    return False


def _letter_output(letter, output_format: str) -> tuple[str, bytes]:
    name = letter_filename(letter)
    if output_format == "text":
        return name[:-len(".pdf")] + ".txt", letter_text(letter).encode("utf-8")
    return name, letter_pdf(letter)


@click.command("letter")
@click.option("--company", "slugs", required=True,
              help="Company slug, or several separated by commas (see the companies command); "
                   "'other' for a company given with --other-company.")
@click.option("--other-company", "other_path", default=None, type=click.Path(path_type=Path),
              help="OTHER.json: the company that is not in the registry (name, email, address).")
@click.option("--request", "request_type", required=True, help="access, erasure or both.")
@click.option("--person", "person_path", required=True, type=click.Path(path_type=Path), help="PERSON.json")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path),
              help="OUT.pdf (OUT.txt with --format text; OUT.zip for several companies).")
@click.option("--language", default=None, help="Letter language (default: each company's request language).")
@click.option("--photo", "photo_path", default=None, type=click.Path(path_type=Path), help="JPEG or PNG of your face.")
@click.option("--date", "letter_date", default=None, help="Letter date, YYYY-MM-DD (default: today).")
@click.option("--send", "send", default=None,
              help=f"How you send it, comma-separated from {', '.join(CHANNELS)} (default: every way the company has).")
@click.option("--format", "output_format", type=click.Choice(["pdf", "text"]), default="pdf",
              help="pdf (default), or text: the same letter as plain text, for a web form or an email.")
@with_appcontext
def letter_command(slugs, other_path, request_type, person_path, output_path, language, photo_path, letter_date,
                   send, output_format):
    """Write request letters as PDF (or text), one per company, without the web wizard."""
    registry = current_app.extensions["facerights.registry"]
    languages = current_app.config["LANGUAGES"]
    problems: list[str] = []
    chosen = list(dict.fromkeys(slug.strip() for slug in slugs.split(",") if slug.strip()))
    other_allowed = offers_other_company()
    unknown = [slug for slug in chosen if (slug != OTHER or not other_allowed) and registry.get(slug) is None]
    if unknown or not chosen:
        problems.append(f"--company: unknown company {', '.join(map(repr, unknown)) or repr(slugs)}; choose "
                        f"{'from' if other_allowed else 'one of'} {', '.join(registry.slugs())}"
                        f"{f' or {OTHER}' if other_allowed else ''}")
    if request_type not in REQUEST_TYPES:
        problems.append(f"--request: must be one of {', '.join(REQUEST_TYPES)}")
    if language is not None and language not in languages:
        problems.append(f"--language: must be one of {', '.join(languages)}")
    try:
        day = date.fromisoformat(letter_date) if letter_date else today()
    except ValueError:
        problems.append("--date: must be a date such as 2026-11-29")
        day = today()
    if day > today():
        # A letter dated in the future could not be followed up (the follow-ups refuse such a date).
        problems.append(f"--date: must not be after today ({today().isoformat()})")
    channels = tuple(send.split(",")) if send else ()
    for slug in chosen:
        company = registry.get(slug)
        if company and not set(channels) <= set(company.channels):
            problems.append(f"--send: {company.name} can be reached by {', '.join(company.channels)}")
    answers = {"request-type": {"request_type": request_type}, "company": {"company": chosen}}
    with current_app.test_request_context(headers={"Accept-Language": language or "en"}):
        if OTHER in chosen:
            answers["other-company"] = _read_other_company(other_path, problems)
        person = read_json(person_path, "--person", problems)
        if person is not None and request_type in REQUEST_TYPES:
            posting = "letter" in channels if channels else _some_company_posts(chosen, answers, registry)
            answers.update(_validate_person(person, request_type, posting, problems))
            if not unknown and answers.get("other-company", True) is not None:
                _check_coverage(answers, registry, language or "en", problems)
    photo = read_photo(photo_path, problems)
    if problems:
        fail(problems)

    answers["letter-language"] = {"letter_language": language or EACH_COMPANY_LANGUAGE}
    made = []
    for company, letter_language in chosen_companies(answers, registry, languages):
        letter = letter_from_answers(answers, registry, language=letter_language, today=day,
                                     reference=new_reference(day), photo=photo, company=company,
                                     channels=tuple(c for c in channels if c in company.channels))
        name, data = _letter_output(letter, output_format)
        made.append(MadeLetter(letter, name, data))
    if len(made) == 1:
        data = made[0].pdf
    else:
        with current_app.test_request_context(headers={"Accept-Language": language or "en"}):
            data = letters_zip(made, day, current_app.extensions["facerights.timeline"])
    write(output_path, data)
    references = ", ".join(f"{item.letter.company.slug} {item.letter.reference}" for item in made)
    click.echo(f"{output_path}: {references}, {len(data)} bytes")


