"""The documents of a case, as the letters are rendered from them: no forms, no request, no Flask.

A ``Letter`` is one document of a case (app/case): the request itself, a follow-up or a complaint.
It reads the request's answers and the case's events through the case, and carries the dates the
time engine derived for its own day (app/case/timeline.py); it keeps no second copy of either.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date

from babel.languages import get_official_languages

from ..case.model import Case, Event, EventKind, Person, Request
from ..case.timeline import Dates, Entry, Timeline
from ..case.vocabulary import Channel, DocumentKind, Situation, values
from ..companies import OTHER, Company, Registry, typed_company
from ..i18n import postal_country_name
from ..law.authorities import Authority
from ..law.scope import GDPR, Coverage, Law, allowed_languages, coverage, language_or_fallback
from .photo import Photo

# No 0/O or 1/I: the reference is read aloud and typed by hand.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CHANNELS = values(Channel)


@dataclass(frozen=True)
class Complaint:
    """A complaint to a supervisory authority about a case (Art. 77)."""
    authority: Authority
    representative: str | None = None  # an organisation mandated under Art. 80(1)
    annexed: bool = True  # the case's letters are appended to the PDF


@dataclass(frozen=True)
class Letter:
    """One document of ``case``. For a follow-up or a complaint, ``case`` holds the events before it."""
    case: Case
    language: str
    date: date
    kind: str = DocumentKind.REQUEST
    # Follow-ups and complaints: the situation they answer, and how a follow-up goes out.
    situation: str | None = None
    channel: str | None = None
    photo: Photo | None = None
    # A photo goes (or, in an annex made again from the record, went) with it.
    photo_enclosed: bool = False
    # A copy in the person's own language, marked "for your records, do not send".
    records_copy: bool = False
    complaint: Complaint | None = None
    # The time engine's dates on the letter's day, and the date a follow-up asks for an answer by.
    dates: Dates | None = None
    final_date: date | None = None
    # A complaint: every exchange since the request, with the final date each of the person's letters set.
    correspondence: tuple[Entry, ...] = ()

    # --- the request, read through the case ---
    @property
    def request(self) -> Request:
        return self.case.request

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def company(self) -> Company:
        return self.case.company

    @property
    def person(self) -> Person:
        return self.case.person

    @property
    def request_type(self) -> str:
        return self.request.request_type

    @property
    def request_date(self) -> date:
        return self.request.date

    @property
    def grounds(self) -> tuple[str, ...]:
        return self.request.grounds

    @property
    def objection_reason(self) -> str:
        return self.request.objection_reason

    @property
    def suppression(self) -> str:
        return self.request.suppression

    @property
    def channels(self) -> tuple[str, ...]:
        return self.request.channels

    @property
    def sent_by(self) -> tuple[str, ...]:
        return self.request.sent_by

    @property
    def asks_access(self) -> bool:
        return self.request.asks_access

    @property
    def asks_erasure(self) -> bool:
        return self.request.asks_erasure

    @property
    def objects(self) -> bool:
        return self.request.objects

    @property
    def claims_unlawful(self) -> bool:
        return self.request.claims_unlawful

    @property
    def withdraws_consent(self) -> bool:
        return self.request.withdraws_consent

    @property
    def allows_suppression_template(self) -> bool:
        return self.request.allows_suppression_template

    @property
    def cites_ai_act(self) -> bool:
        """The AI Act's ban on scraped face databases (Art. 5(1)(e) of Regulation (EU) 2024/1689, since 2 February
        2025) supports a claim of unlawful processing, never a right of its own: only where the person claims it
        (Art. 17(1)(d)), under the EU GDPR, against a company of the registry, whose database we know."""
        return self.claims_unlawful and self.law is GDPR and not self.company.typed_by_person

    @property
    def coverage(self) -> Coverage:
        return self.request.coverage

    @property
    def law(self) -> Law:
        return self.request.law

    # --- the document ---
    @property
    def is_request(self) -> bool:
        return self.kind == DocumentKind.REQUEST

    @property
    def is_complaint(self) -> bool:
        return self.kind == DocumentKind.COMPLAINT

    @property
    def reply(self) -> Event | None:
        """The company's reply this letter answers (its latest, when it is about the situation)."""
        return self.case.reply_of(self.situation) if self.situation else None

    @property
    def missing(self) -> tuple[str, ...]:
        """For an incomplete answer: what it left out."""
        reply = self.case.reply_of(Situation.INCOMPLETE)
        return reply.missing if reply else ()

    @property
    def complains_to_controller(self) -> bool:
        """A UK letter about silence or contesting a refusal is a complaint to the controller under s. 164A DPA
        2018 (app/law/uk.py; Case.complains_to_controller)."""
        return self.event is not None and self.case.complains_to_controller(self.event)

    @property
    def complaints_to_controller(self) -> tuple[Event, ...]:
        """The person's complaints to the controller under s. 164A (UK follow-ups of the case), each named as
        one in a complaint's correspondence."""
        return tuple(event for event in self.case.letters if self.case.complains_to_controller(event))

    @property
    def complaint_to_controller(self) -> Event | None:
        """The latest of them, which a complaint to the Commissioner says was made before it."""
        return next(reversed(self.complaints_to_controller), None)

    @property
    def earlier_letters(self) -> tuple[Event, ...]:
        """The follow-ups and complaints written before this one."""
        return self.case.letters

    @property
    def email_copy_line(self) -> str | None:
        """"also" when a posted letter also goes by email, "only" when it goes by email alone."""
        if (self.is_complaint or not self.company.has_postal_address or not self.company.email
                or "email" not in self.sent_by):
            return None
        return "also" if "letter" in self.sent_by else "only"

    @property
    def authority_address_lines(self) -> tuple[str, ...]:
        """The complaint's authority's postal address as this complaint prints it, and as the page that gives it
        shows it (app/law/authorities.py address_in)."""
        return self.complaint.authority.address_in(
            self.language, self.person.country, lambda code: postal_country_name(code, self.language))

    @property
    def recipient_address_lines(self) -> tuple[str, ...]:
        """The company's address; on international post the destination country in capitals (UPU)."""
        lines = self.company.address_lines
        if self.company.country and self.company.country != self.person.country and len(lines) > 1:
            return lines[:-1] + (lines[-1].upper(),)
        return lines

    @property
    def event(self) -> Event | None:
        """This document as an event of its case (none for the request, which is the case itself)."""
        if self.is_request:
            return None
        return Event(EventKind.LETTER, self.date, channel=self.channel, situation=self.situation,
                     document=self.kind, language=self.language,
                     photo_enclosed=self.photo_enclosed or self.photo is not None,
                     authority=self.complaint.authority.slug if self.complaint else None)

    @property
    def case_with_this(self) -> Case:
        """The case as it stands once this document is written (what its record carries)."""
        return self.case.with_event(self.event) if self.event else self.case

    @property
    def template_name(self) -> str:
        if self.is_request:
            return f"{self.request_type}.html"
        if self.is_complaint:
            return "complaint.html"
        return f"followup/{self.situation}.html"

    @property
    def file_kind(self) -> str:
        """What the file name says the letter is: the request type, the situation, or "complaint"."""
        if self.is_request:
            return self.request_type
        return "complaint" if self.is_complaint else self.situation


def web_addresses(text: str | None) -> tuple[str, ...]:
    """The web addresses typed one per line, blank lines ignored."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def new_reference(today: date) -> str:
    """A reference the person quotes in follow-ups, e.g. FR-20261129-K7Q2XM."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"FR-{today:%Y%m%d}-{suffix}"


# The letter-language answer that gives every company its own request language.
EACH_COMPANY_LANGUAGE = "company"


def chosen_slugs(answers: dict) -> list[str]:
    """The companies chosen on the company page, in the registry's order ("other" last)."""
    return list(answers.get("company", {}).get("company", []))


def request_language_of(country: str, languages) -> str:
    """A typed company's language: the first official language of its country that we write in, else English."""
    return language_or_fallback(next((code for code in get_official_languages(country, de_facto=True)
                                      if code in languages), None), languages)


def typed_company_from(answer: dict, letter_language: str, languages) -> Company:
    """The company the person typed on the "another company" page, its country named in the letter's language."""
    from ..i18n import postal_country_name

    return typed_company(name=answer["name"], street=answer["street"], postcode=answer["postcode"],
                         city=answer["city"], country=answer["country"], email=answer["email"],
                         country_name=postal_country_name(answer["country"], letter_language),
                         request_language=request_language_of(answer["country"], languages))


def letter_language_for(company: Company, chosen: str, allowed) -> str:
    """The chosen language, or with EACH_COMPANY_LANGUAGE the company's own where the law has an
    official text in it (else English, which every law we write under has)."""
    if chosen != EACH_COMPANY_LANGUAGE:
        return chosen
    return language_or_fallback(company.request_language, allowed)


def companies_chosen(answers: dict, registry: Registry, languages) -> list[Company]:
    """The chosen companies before any language is chosen (a typed one's country named in English):
    for the pages that ask how the letters will be sent."""
    return [typed_company_from(answers["other-company"], "en", languages) if slug == OTHER else registry.get(slug)
            for slug in chosen_slugs(answers)
            if (slug == OTHER and "other-company" in answers) or registry.get(slug) is not None]


def chosen_companies(answers: dict, registry: Registry, languages) -> list[tuple[Company, str]]:
    """Each chosen company that a law covers a letter to (app/law/scope.py), with the language of its letter."""
    chosen = answers["letter-language"]["letter_language"]
    country = answers["your-details"]["country"]
    result = []
    for company in companies_chosen(answers, registry, languages):
        allowed = allowed_languages(coverage(country, company), languages)
        if not allowed:
            continue  # no law covers a letter to this company: the pages say so
        language = letter_language_for(company, chosen, allowed)
        result.append((typed_company_from(answers["other-company"], language, languages)
                       if company.typed_by_person else company, language))
    return result


def request_from_answers(answers: dict, registry: Registry, *, language: str, day: date, reference: str,
                         channels: tuple[str, ...] | None = None, company: Company | None = None) -> Request:
    """The request the wizard's (already validated) answers make, to ``company`` (default: the first chosen).
    Without ``channels``, the ways chosen on the "sending" page that this company offers."""
    details = answers["your-details"]
    grounds = answers.get("erasure-grounds", {})
    objection = answers.get("objection-reason", {})
    request_type = answers["request-type"]["request_type"]
    erasure = request_type in ("erasure", "both")
    company = company or registry.get(chosen_slugs(answers)[0])
    if channels is None:
        channels = tuple(channel for channel in answers.get("sending", {}).get("channels", ())
                         if channel in company.channels)
    return Request(
        reference=reference,
        date=day,
        request_type=request_type,
        company=company,
        person=Person(full_name=details["full_name"], email=details["email"], street=details.get("street") or "",
                      address_line_2=details.get("address_line_2") or "", postcode=details.get("postcode") or "",
                      city=details.get("city") or "", country=details["country"],
                      profile_urls=web_addresses(details.get("profile_urls"))),
        language=language,
        grounds=tuple(grounds.get("grounds", ())) if erasure else (),
        objection_reason=objection.get("objection_reason", "") if erasure and "objection" in grounds.get(
            "grounds", ()) else "",
        suppression=answers.get("recollection", {}).get("suppression", "addresses") if erasure else "addresses",
        channels=tuple(channels),
    )


def letter_from_answers(answers: dict, registry: Registry, *, language: str, today: date, reference: str,
                        photo: Photo | None = None, channels: tuple[str, ...] | None = None,
                        records_copy: bool = False, company: Company | None = None) -> Letter:
    """The request letter the wizard's answers make (a new case, with no events yet)."""
    request = request_from_answers(answers, registry, language=language, day=today, reference=reference,
                                   channels=channels, company=company)
    return Letter(case=Case(request), language=language, date=today, photo=photo, records_copy=records_copy)


def request_letter(case: Case, language: str | None = None) -> Letter:
    """The case's request as its letter was written (for an annex), in its own language unless told."""
    return Letter(case=Case(case.request), language=language or case.request.language, date=case.request.date)


def follow_up_letter(case: Case, situation: str, *, day: date, channel: str | None, timeline: Timeline,
                     language: str | None = None, photo: Photo | None = None,
                     photo_enclosed: bool = False) -> Letter:
    """The letter about ``situation``, written on ``day`` and sent by ``channel``, with every date the
    time engine gives the case on that day and the final date the letter sets."""
    letter = Letter(case=case, language=language or case.request.language, date=day, kind=DocumentKind.FOLLOW_UP,
                    situation=Situation(situation), channel=channel, photo=photo,
                    photo_enclosed=photo_enclosed or photo is not None, dates=timeline.dates(case, day))
    return replace(letter, final_date=timeline.letter_final(case, letter.event))


def complaint_letter(case: Case, situation: str, *, day: date, timeline: Timeline, authority: Authority,
                     language: str, representative: str | None = None, annexed: bool = True) -> Letter:
    """A complaint about ``situation`` to ``authority``: the whole case, its letters annexed. Silence after the
    company answered and the person replied is a complaint about that answer, which the company has not
    put right since (the complaint says so): never "I have received no answer"."""
    answer = case.silent_since_answer
    if Situation(situation).is_silence and answer:
        situation = answer.situation
    return Letter(case=case, language=language, date=day, kind=DocumentKind.COMPLAINT, situation=Situation(situation),
                  complaint=Complaint(authority=authority, representative=representative, annexed=annexed),
                  dates=timeline.dates(case, day), correspondence=timeline.correspondence(case))


def written_letters(case: Case, timeline: Timeline, authority_by_slug) -> list[Letter]:
    """Every letter FaceRights wrote for the case, made again from the record (for a complaint's annex):
    the request, then each follow-up and complaint with the case as it stood then. A photo that went
    with a letter is not in the record; the letter says it was enclosed."""
    letters = [request_letter(case)]
    for event in case.letters:
        earlier = case.before(event)
        if event.is_complaint:
            authority = authority_by_slug(event.authority) if event.authority else None
            if authority is None:
                continue
            letters.append(complaint_letter(earlier, event.situation or Situation.NO_ANSWER, day=event.date,
                                            timeline=timeline, authority=authority,
                                            language=event.language or case.request.language, annexed=False))
        else:
            letters.append(follow_up_letter(earlier, event.situation, day=event.date, channel=event.channel,
                                            timeline=timeline, language=event.language,
                                            photo_enclosed=event.photo_enclosed))
    return letters


def new_request_letter(*, request_type: str, company: Company, person: Person, language: str, date: date,
                       reference: str, grounds: tuple[str, ...] = (), objection_reason: str = "",
                       suppression: str = "addresses", channels: tuple[str, ...] = (), photo: Photo | None = None,
                       records_copy: bool = False) -> Letter:
    """A request letter from its fields (a new case): for the warm-up render, benchmarks and tests."""
    request = Request(reference=reference, date=date, request_type=request_type, company=company, person=person,
                      language=language, grounds=tuple(grounds), objection_reason=objection_reason,
                      suppression=suppression, channels=tuple(channels))
    return Letter(case=Case(request), language=language, date=date, photo=photo, records_copy=records_copy)
