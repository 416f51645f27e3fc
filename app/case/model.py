"""A case: the request a person made, and each thing that happened after it, in order.

The request holds the answers its letter prints (never the photo). Events are facts with a
date: the person sent the request; the company did something (a reply, with its date and
reference); the person wrote another letter (a follow-up or a complaint, made by FaceRights).
Every date a letter states is derived from these by the time engine (timeline.py); nothing
derived is stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from ..companies import Company
from ..law.scope import Coverage, Law, coverage
from ..law.uk import complaint_to_controller
from .vocabulary import Channel, DocumentKind, Ground, RequestType, Situation, Suppression


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    # The postal address is optional when the letter is not posted: every part may be empty.
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166 alpha-2
    profile_urls: tuple[str, ...] = ()
    address_line_2: str = ""

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address above the country, without empty lines: "Hauptstraße 12", "c/o …", "10115 Berlin"."""
        lines = (self.street, self.address_line_2, f"{self.postcode} {self.city}".strip())
        return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Request:
    """The first letter: what the person asked of which company, as the letter prints it."""
    reference: str
    date: date
    request_type: str  # a RequestType
    company: Company
    person: Person
    language: str
    grounds: tuple[str, ...] = ()
    objection_reason: str = ""
    suppression: str = Suppression.ADDRESSES
    # The channels the person chose; empty means every channel the company has.
    channels: tuple[str, ...] = ()

    @property
    def asks_access(self) -> bool:
        return RequestType(self.request_type).asks_access

    @property
    def asks_erasure(self) -> bool:
        return RequestType(self.request_type).asks_erasure

    @property
    def objects(self) -> bool:
        return self.asks_erasure and Ground.OBJECTION in self.grounds

    @property
    def claims_unlawful(self) -> bool:
        return self.asks_erasure and Ground.UNLAWFUL_BIOMETRIC in self.grounds

    @property
    def withdraws_consent(self) -> bool:
        return self.asks_erasure and Ground.CONSENT_WITHDRAWN in self.grounds

    @property
    def allows_suppression_template(self) -> bool:
        return self.asks_erasure and self.suppression == Suppression.TEMPLATE

    @property
    def sent_by(self) -> tuple[str, ...]:
        """The ways the letter goes out: those chosen, else every way the company can be reached."""
        return self.channels or self.company.channels

    @property
    def coverage(self) -> Coverage:
        """The law from both sides: where the person lives and where the company is established."""
        return coverage(self.person.country, self.company)

    @property
    def law(self) -> Law:
        law = self.coverage.law
        if law is None:
            raise ValueError(f"no letter for a person living in {self.person.country} to {self.company.name}: "
                             "neither the GDPR nor the UK GDPR covers it")
        return law


class EventKind(StrEnum):
    SENT = "sent"  # the person sent the request
    REPLY = "reply"  # the company did something
    LETTER = "letter"  # the person wrote again (a follow-up or a complaint FaceRights made)


@dataclass(frozen=True)
class Event:
    kind: str  # an EventKind
    date: date
    # SENT: how the request went. LETTER: how it goes out (the time engine counts its arrival).
    channel: str | None = None
    # REPLY: what the company did. LETTER: the situation the letter answers.
    situation: str | None = None
    # REPLY: the company's own reference for its answer, if it gave one.
    their_reference: str = ""
    # REPLY to an access request that left things out: the AccessItems missing.
    missing: tuple[str, ...] = ()
    # LETTER: a follow-up or a complaint, its language, whether a photo went with it, and the authority.
    document: str | None = None
    language: str | None = None
    photo_enclosed: bool = False
    authority: str | None = None

    @property
    def is_follow_up(self) -> bool:
        return self.kind == EventKind.LETTER and self.document == DocumentKind.FOLLOW_UP

    @property
    def is_complaint(self) -> bool:
        return self.kind == EventKind.LETTER and self.document == DocumentKind.COMPLAINT


def sent(day: date, channel: str) -> Event:
    return Event(EventKind.SENT, day, channel=Channel(channel))


def reply(day: date, situation: str, their_reference: str = "", missing: tuple[str, ...] = ()) -> Event:
    return Event(EventKind.REPLY, day, situation=Situation(situation), their_reference=their_reference,
                 missing=tuple(missing))


@dataclass(frozen=True)
class Case:
    request: Request
    events: tuple[Event, ...] = field(default=())

    @property
    def reference(self) -> str:
        return self.request.reference

    @property
    def company(self) -> Company:
        return self.request.company

    @property
    def person(self) -> Person:
        return self.request.person

    def with_event(self, event: Event) -> "Case":
        """The case with ``event`` in its place in time (events of one day keep the order they were added)."""
        return replace(self, events=tuple(sorted(self.events + (event,), key=lambda each: each.date)))

    def _of(self, kind: str) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.kind == kind)

    @property
    def sending(self) -> Event | None:
        """When and how the request was sent, once the person has said so."""
        return next(iter(self._of(EventKind.SENT)), None)

    @property
    def replies(self) -> tuple[Event, ...]:
        return self._of(EventKind.REPLY)

    @property
    def letters(self) -> tuple[Event, ...]:
        """The follow-ups and complaints written since the request."""
        return self._of(EventKind.LETTER)

    @property
    def last_reply(self) -> Event | None:
        return self.replies[-1] if self.replies else None

    @property
    def last_letter(self) -> Event | None:
        return self.letters[-1] if self.letters else None

    @property
    def last_answer(self) -> Event | None:
        """The company's latest answer to the request (a reply that gets a letter: not an announced extension)."""
        return next((event for event in reversed(self.replies) if Situation(event.situation).has_letter), None)

    @property
    def silent_since_answer(self) -> Event | None:
        """The company's answer, when the person has written since and it has not answered that letter:
        what the case's silence is about (a later letter must not say the company never answered)."""
        answer, letter = self.last_answer, self.last_letter
        if answer and letter and self.events.index(letter) > self.events.index(answer):
            return answer
        return None

    @property
    def last_event(self) -> Event | None:
        return self.events[-1] if self.events else None

    def complains_to_controller(self, letter: Event) -> bool:
        """Whether ``letter`` (a follow-up of this case, written or about to be) is also a complaint to the
        controller under s. 164A DPA 2018: a UK letter from 19 June 2026 (app/law/uk.py) that contests a refusal,
        or that is about silence before the company answered (after an answer, silence is about that answer,
        not about not answering). The one rule the letter's words, its final date and the later complaint to
        the Commissioner all ask."""
        if not (letter.is_follow_up and complaint_to_controller(self.request.coverage.law, letter.date)):
            return False
        situation = Situation(letter.situation)
        earlier = self.before(letter) if letter in self.events else self
        return situation.is_refusal or (situation.is_silence and earlier.last_answer is None)

    def reply_of(self, situation: str) -> Event | None:
        """The latest reply of that kind."""
        return next((event for event in reversed(self.replies) if event.situation == situation), None)

    def before(self, event: Event) -> "Case":
        """The case as it stood when ``event`` happened (the events before it)."""
        return replace(self, events=self.events[:self.events.index(event)])
