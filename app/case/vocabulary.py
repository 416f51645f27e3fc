"""Every value an answer can take, once: the forms build their choices from these, the record
checks against them, and the letters and the time engine branch on them.

They are StrEnums, so a member is its string ("access" == RequestType.ACCESS): the answers in the
cookie and the record stay plain JSON. Each member's label lives with the form that asks for it
(a test checks that every member has one).
"""
from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    ACCESS = "access"
    ERASURE = "erasure"
    BOTH = "both"

    @property
    def asks_access(self) -> bool:
        return self in (RequestType.ACCESS, RequestType.BOTH)

    @property
    def asks_erasure(self) -> bool:
        return self in (RequestType.ERASURE, RequestType.BOTH)


class Ground(StrEnum):
    """Why the company must erase (Art. 17(1)(d), (b), (c))."""
    UNLAWFUL_BIOMETRIC = "unlawful-biometric"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    OBJECTION = "objection"


class Suppression(StrEnum):
    """What the company may keep to stop collecting the person's images again."""
    ADDRESSES = "addresses"
    TEMPLATE = "template"


class Channel(StrEnum):
    """How a letter goes out: by post ("letter"), email or the company's web form."""
    LETTER = "letter"
    EMAIL = "email"
    WEBFORM = "webform"


class Situation(StrEnum):
    """What a company has done (or not) since the last letter of a case. The CLI's --situation names."""
    NO_ANSWER = "no-answer"
    EXTENDED_NO_ANSWER = "extended-no-answer"
    ASKED_FOR_ID = "asked-for-id"
    ASKED_FOR_PHOTO = "asked-for-photo"
    NO_DATA = "no-data"
    INCOMPLETE = "incomplete"
    ERASURE_REFUSED = "erasure-refused"
    GDPR_DOES_NOT_APPLY = "gdpr-does-not-apply"
    NOT_PERSONAL_DATA = "not-personal-data"
    USE_OUR_FORM = "use-our-form"
    ANONYMISED_NOT_ERASED = "anonymised-not-erased"
    EXTENSION_ANNOUNCED = "extension-announced"

    @property
    def is_silence(self) -> bool:
        """No answer at all: a letter about it is possible only once the period has run out."""
        return self in (Situation.NO_ANSWER, Situation.EXTENDED_NO_ANSWER)

    @property
    def is_refusal(self) -> bool:
        """An answer that withholds or denies what the request asked: the person's letter about it contests an
        infringement, which in the United Kingdom makes it a complaint to the controller (s. 164A DPA 2018).
        A demand for information, an extension or a "no data" answer is not one."""
        return self in (Situation.INCOMPLETE, Situation.ERASURE_REFUSED, Situation.GDPR_DOES_NOT_APPLY,
                        Situation.NOT_PERSONAL_DATA, Situation.USE_OUR_FORM, Situation.ANONYMISED_NOT_ERASED)

    @property
    def is_reply(self) -> bool:
        """The company did something, on a date the person can give."""
        return not self.is_silence

    @property
    def has_letter(self) -> bool:
        """Every situation but an announced extension gets a letter (that one gets a new date)."""
        return self is not Situation.EXTENSION_ANNOUNCED

    @property
    def keeps_period(self) -> bool:
        """A demand for information: the reply keeps (or restarts) the answer period instead of setting
        a short final one."""
        return self in (Situation.ASKED_FOR_ID, Situation.ASKED_FOR_PHOTO)

    @property
    def complaint_needs_waiting(self) -> bool:
        """Silence must outlast the period before a complaint; a reply that refuses, demands or
        denies can be complained of at once (the company has acted)."""
        return self.is_silence

    def applies_to(self, request_type: str) -> bool:
        """A partial answer is judged against the access list; an erasure refusal or a fake erasure
        concerns erasure."""
        request_type = RequestType(request_type)
        if self is Situation.INCOMPLETE:
            return request_type.asks_access
        if self in (Situation.ERASURE_REFUSED, Situation.ANONYMISED_NOT_ERASED):
            return request_type.asks_erasure
        return True


class AccessItem(StrEnum):
    """The elements of an access request (access.html), for an answer that left some out."""
    COPY = "copy"
    IMAGES = "images"
    TEMPLATES = "templates"
    SOURCE_ADDRESSES = "source-addresses"
    SEARCHES = "searches"
    PURPOSES = "purposes"
    CATEGORIES = "categories"
    RECIPIENTS = "recipients"
    STORAGE_PERIOD = "storage-period"
    SOURCE = "source"
    AUTOMATED_DECISIONS = "automated-decisions"
    TRANSFER_SAFEGUARDS = "transfer-safeguards"


class PhotoReply(StrEnum):
    """What a company that asked for a photo gets: the photo the request offered, or a question."""
    SEND = "send"
    REFUSE = "refuse"


class DocumentKind(StrEnum):
    """What FaceRights wrote: the request, a letter after it (named by its situation), a complaint."""
    REQUEST = "request"
    FOLLOW_UP = "follow-up"
    COMPLAINT = "complaint"


def values(enum) -> tuple[str, ...]:
    return tuple(member.value for member in enum)
