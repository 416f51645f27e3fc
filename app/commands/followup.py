"""`flask --app wsgi follow-up | complaint | deadline | authorities`: the next letters of a case.

Each command reads the case from the latest letter's own PDF, as "Continue a request" does,
adds what the person tells (when the request went, what the company did and when), and asks
the time engine for every date: a letter about silence before its time is refused with the date
from which it becomes possible. Bad input exits 2 with one line per problem and writes nothing.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..case.model import Case, reply, sent
from ..case.vocabulary import AccessItem, Situation, values
from ..law import authorities
from ..law.scope import allowed_languages
from ..followup.restore import case_of
from ..letters import letter_pdf
from ..letters.calendar import deadline_ics
from ..letters.model import complaint_letter, follow_up_letter, request_letter, written_letters
from .common import CHANNEL_NAMES, CHANNEL_WORDS, day, fail, in_english, read_letter, read_photo, today, write

SITUATIONS = tuple(situation for situation in values(Situation) if Situation(situation).has_letter)
ACCESS_ITEMS = values(AccessItem)


@dataclasses.dataclass
class Prepared:
    case: Case  # with the sending and the company's reply added
    today: date
    language: str | None
    coverage: object  # app/law/scope.Coverage


def _timeline():
    return current_app.extensions["facerights.timeline"]


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


def _missing(value: str | None, situation: str, problems: list[str]) -> tuple[str, ...]:
    items = tuple(item.strip() for item in (value or "").split(",") if item.strip())
    unknown = [item for item in items if item not in ACCESS_ITEMS]
    if unknown:
        problems.append(f"--missing: unknown item {', '.join(unknown)}; choose from {', '.join(ACCESS_ITEMS)}")
    if situation == Situation.INCOMPLETE and not items:
        problems.append(f"--missing: name what the answer left out, from {', '.join(ACCESS_ITEMS)}")
    if items and situation != Situation.INCOMPLETE:
        problems.append("--missing: only for --situation incomplete")
    return tuple(item for item in ACCESS_ITEMS if item in items)


def _sending_channel(case: Case, channel_name: str | None, problems: list[str]) -> str | None:
    """How the request went: --channel, else as the letter's record says (when it names one way)."""
    company = case.company
    if channel_name is not None:
        channel = CHANNEL_NAMES.get(channel_name)
        if channel is not None and channel not in company.channels:
            problems.append(f"--channel: {company.name} cannot be reached by {channel_name}; it takes "
                            f"{', '.join(CHANNEL_WORDS[each] for each in company.channels)}")
        return channel
    if case.sending:
        return case.sending.channel
    recorded = case.request.sent_by
    if len(recorded) == 1:
        return recorded[0]
    problems.append(f"--channel: the letter went by {' and '.join(CHANNEL_WORDS[each] for each in recorded)}; "
                    "say which way you used first")
    return None


def _with_sending(case: Case, when: date | None, channel_name: str | None, on_day: date,
                  problems: list[str]) -> Case:
    """The case with its request's sending: from the record, else from --sent and --channel (the letter's
    own date and only channel by default)."""
    if case.sending and when is None and channel_name is None:
        return case
    if case.sending:
        problems.append("--sent/--channel: this letter already says when and how the request went "
                        f"({case.sending.date.isoformat()}, {CHANNEL_WORDS[case.sending.channel]})")
        return case
    when = when or case.request.date
    if when < case.request.date or when > on_day:
        problems.append("--sent: must be between the letter's date and --date")
    channel = _sending_channel(case, channel_name, problems)
    return case.with_event(sent(when, channel)) if channel and not problems else case


def _check_channel_name(channel_name: str | None, problems: list[str]) -> None:
    if channel_name is not None and channel_name not in CHANNEL_NAMES:
        problems.append(f"--channel: must be one of {', '.join(CHANNEL_NAMES)}")


def _with_reply(case: Case, situation: str, replied_text: str | None, their_reference: str | None,
                missing: tuple[str, ...], on_day: date, problems: list[str]) -> Case:
    """The company's reply, for every situation but silence (for extended-no-answer: the extension's date)."""
    silence = Situation(situation).is_silence and situation != Situation.EXTENDED_NO_ANSWER
    if silence:
        if replied_text or their_reference:
            problems.append("--replied/--their-reference: not for a company that has not answered")
        return case
    replied = day(replied_text, "--replied", problems)
    if replied is None:
        if replied_text is None:
            what = "said it needs more time" if situation == Situation.EXTENDED_NO_ANSWER else "answered"
            problems.append(f"--replied: give the date the company {what}, YYYY-MM-DD")
        return case
    if replied < case.request.date or replied > on_day:
        problems.append("--replied: must be between the letter's date and --date")
        return case
    kind = Situation.EXTENSION_ANNOUNCED if situation == Situation.EXTENDED_NO_ANSWER else situation
    event = reply(replied, kind, (their_reference or "").strip()[:100], missing)
    # A reply the given letter already records (a complaint made from the reply to it) is not added twice.
    return case if event in case.events else case.with_event(event)


def _prepare(original_path, situation, sent_text, channel_name, replied_text, their_reference, today_text,
             language, missing_text, problems) -> Prepared | None:
    """What follow-up and complaint share: the case from the PDF, its sending, the company's reply, and the
    refusal of a letter about silence before its time. Every problem of the options is listed at once."""
    known = situation in SITUATIONS
    if not known:
        problems.append(f"--situation: must be one of {', '.join(SITUATIONS)}")
    on_day = day(today_text, "--date", problems) or today()
    when = day(sent_text, "--sent", problems)
    _check_channel_name(channel_name, problems)
    missing = _missing(missing_text, situation, problems)
    restored = read_letter(original_path, "--original", on_day, problems)
    if restored is None:
        return None
    case = case_of(restored, current_app.extensions["facerights.registry"])
    if known and not Situation(situation).applies_to(case.request.request_type):
        problems.append(f"--situation: {situation} does not concern a request for {case.request.request_type}")
    covered = case.request.coverage
    language = _language(language, covered, problems)
    if problems:
        return None
    case = _with_sending(case, when, channel_name, on_day, problems)
    case = _with_reply(case, situation, replied_text, their_reference, missing, on_day, problems)
    if problems:
        return None
    dates = _timeline().dates(case, on_day)
    if dates.premature(situation):
        if situation == Situation.EXTENDED_NO_ANSWER and dates.extension is None:
            problems.append("--replied: the extension was announced after the first month had ended, so it does "
                            "not extend the period; use --situation no-answer")
        else:
            problems.append(f"--situation: {situation} is possible only after {dates.waiting_until.isoformat()}, "
                            "the last day the company has to answer")
        return None
    return Prepared(case, on_day, language, covered)


def _common_options(command):
    options = [
        click.option("--original", "original_path", required=True, type=click.Path(path_type=Path),
                     help="The latest PDF FaceRights made for this request (the request, a follow-up or a complaint)."),
        click.option("--situation", required=True, help=f"One of {', '.join(SITUATIONS)}."),
        click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.pdf"),
        click.option("--missing", "missing_text", default=None,
                     help=f"For incomplete: what the answer left out, comma-separated from {', '.join(ACCESS_ITEMS)}."),
        click.option("--sent", "sent_text", default=None,
                     help="When the request was sent, YYYY-MM-DD (default: as the PDF says, else the letter's date)."),
        click.option("--channel", "channel_name", default=None,
                     help="How it was sent: email, post or webform (needed only when the letter names several ways)."),
        click.option("--replied", "replied_text", default=None,
                     help="The date of the company's answer, YYYY-MM-DD (for extended-no-answer: when it said it "
                          "needs more time). Needed for every situation but no-answer."),
        click.option("--their-reference", default=None, help="The company's own reference for your request, if any."),
        click.option("--date", "today_text", default=None, help="Date of this letter, YYYY-MM-DD (default: today)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("follow-up")
@_common_options
@click.option("--language", default=None, help="Letter language (default: the request's).")
@click.option("--photo", "photo_path", default=None, type=click.Path(path_type=Path),
              help="asked-for-id / asked-for-photo: a JPEG or PNG of your face to enclose.")
@click.option("--no-photo", is_flag=True,
              help="asked-for-photo: send no photo yet, and point to the web pages the request gave instead.")
@with_appcontext
@in_english
def follow_up_command(original_path, situation, output_path, missing_text, sent_text, channel_name, replied_text,
                      their_reference, today_text, language, photo_path, no_photo):
    """Write the letter that follows a request, for what the company has done."""
    problems: list[str] = []
    prepared = _prepare(original_path, situation, sent_text, channel_name, replied_text, their_reference,
                        today_text, language, missing_text, problems)
    photo = read_photo(photo_path, problems)
    if photo is not None and situation not in (Situation.ASKED_FOR_ID, Situation.ASKED_FOR_PHOTO):
        problems.append("--photo: only for asked-for-id or asked-for-photo")
    if situation == Situation.ASKED_FOR_PHOTO and prepared is not None:
        if photo is None and not no_photo:
            problems.append("--photo: the request offered a photo for the search: give it with --photo, or "
                            "--no-photo to point to the web pages you gave instead")
        elif no_photo and not prepared.case.person.profile_urls:
            problems.append("--no-photo: your request gave no web pages to find you by; send the photo it offered")
    if no_photo and (photo is not None or situation != Situation.ASKED_FOR_PHOTO):
        problems.append("--no-photo: only for asked-for-photo, and not with --photo")
    if problems or prepared is None:
        fail(problems)
    case = prepared.case
    letter = follow_up_letter(case, situation, day=prepared.today, channel=case.sending.channel,
                              timeline=_timeline(), language=prepared.language, photo=photo,
                              photo_enclosed=situation == Situation.ASKED_FOR_PHOTO and not no_photo)
    # A reminder encloses the request, which may never have arrived.
    annexes = (request_letter(case),) if Situation(situation).is_silence else ()
    pdf = letter_pdf(letter, annexes=annexes)
    write(output_path, pdf)
    click.echo(f"{output_path}: {letter.reference}, {situation}, answer by {letter.final_date.isoformat()}, "
               f"{len(pdf)} bytes")


@click.command("complaint")
@_common_options
@click.option("--authority", "slug", default=None,
              help="Authority slug (see the authorities command; default: that of the residence in the letter).")
@click.option("--language", default=None, help="Complaint language (default: the authority's, else English).")
@with_appcontext
@in_english
def complaint_command(original_path, situation, output_path, missing_text, sent_text, channel_name, replied_text,
                      their_reference, today_text, slug, language):
    """Write a complaint to the supervisory authority (Art. 77), with the case's letters annexed."""
    problems: list[str] = []
    prepared = _prepare(original_path, situation, sent_text, channel_name, replied_text, their_reference,
                        today_text, language, missing_text, problems)
    authority = None
    if slug is not None:
        authority = authorities.by_slug(slug)
        if authority is None or not authority.takes_complaints:
            problems.append(f"--authority: unknown authority {slug!r}; see the authorities command")
    if prepared is None or problems:
        fail(problems)
    case, covered = prepared.case, prepared.coverage
    person = case.person
    if authority is None:
        # The authority of the residence, or for a person living elsewhere that of the establishment.
        authority = authorities.default_authority(covered, postcode=person.postcode)
        if authority is None:
            where = (f"{person.country} {person.postcode}" if covered.lives_in_territory
                     else f"the company's establishment in {covered.complaint_country}")
            fail([f"--authority: cannot tell the authority for {where}; give --authority"])
    language = prepared.language or authorities.complaint_language(
        authority, allowed_languages(covered, current_app.config["LANGUAGES"]))
    letter = complaint_letter(case, situation, day=prepared.today, timeline=_timeline(), authority=authority,
                              language=language)
    # The annexes are the case's letters made again from the record, never the pages of the given file.
    annexes = tuple(written_letters(case, _timeline(), authorities.by_slug))
    pdf = letter_pdf(letter, annexes=annexes)
    write(output_path, pdf)
    click.echo(f"{output_path}: {letter.reference}, to {authority.slug}, {len(pdf)} bytes")


@click.command("deadline")
@click.option("--original", "original_path", required=True, type=click.Path(path_type=Path),
              help="The latest PDF FaceRights made for this request.")
@click.option("--sent", "sent_text", default=None, help="When the request was sent, YYYY-MM-DD (default: as the PDF says).")
@click.option("--channel", "channel_name", default=None, help="email, post or webform (default: as the PDF says).")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="OUT.ics")
@click.option("--extended", is_flag=True, help="The company announced the two-month extension (Art. 12(3)).")
@with_appcontext
@in_english
def deadline_command(original_path, sent_text, channel_name, output_path, extended):
    """Write the next date that matters in a case as a calendar file with a reminder."""
    problems: list[str] = []
    on_day = today()
    when = day(sent_text, "--sent", problems)
    _check_channel_name(channel_name, problems)
    restored = read_letter(original_path, "--original", on_day, problems)
    if restored is None or problems:
        fail(problems)
    case = _with_sending(case_of(restored, current_app.extensions["facerights.registry"]), when, channel_name,
                         on_day, problems)
    if problems:
        fail(problems)
    if extended and case.sending:
        # Announced in time (the flag says so): today, or on the last day of the first month.
        first_due = _timeline().dates(case, on_day).due
        case = case.with_event(reply(min(on_day, first_due), Situation.EXTENSION_ANNOUNCED))
    dates = _timeline().dates(case, on_day)
    due = dates.next_date or dates.answer_due
    write(output_path, deadline_ics(due, case.company.brand, case.reference))
    click.echo(f"{output_path}: {case.reference}, due {due.isoformat()}")


@click.command("authorities")
@click.option("--country", default=None, help="ISO country code, e.g. de (default: all).")
@with_appcontext
@in_english
def authorities_command(country):
    """List the supervisory authorities (EU/EEA, and the UK and Switzerland, outside the GDPR)."""
    listed = authorities.in_country(country) if country else authorities.directory()
    if country and not listed:
        fail([f"--country: no authority known for {country!r}"])
    for authority in listed:
        law = {"gdpr": "GDPR", "uk-gdpr": "UK GDPR (outside the GDPR)",
               "ch-fadp": "Swiss FADP (outside the GDPR; takes reports, not complaints)"}[authority.law_key]
        land = f" {authority.land}" if authority.land else ""
        click.echo(f"{authority.slug:12} {authority.country}{land:3} {authority.complaint_language or '-':3} "
                   f"{'/'.join(authority.channels):22} {law:20} {authority.name}")


COMMANDS = (follow_up_command, complaint_command, deadline_command, authorities_command)
