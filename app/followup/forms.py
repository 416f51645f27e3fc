"""The forms of the journeys after the letter. Every message is a whole, translatable sentence."""
from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, StopValidation, ValidationError

from ..law.authorities import LANDS
from ..letters.model import ACCESS_ITEMS, CHANNELS, PHOTO_REPLIES, REFUSALS
from ..letters.photo import PhotoError, prepare_photo
from ..wizard.forms import REQUEST_TYPES, SENDING, BaseForm, MultiCheckboxField, choice_list

# FR-20261129-K7Q2XM (see app/letters/model.py new_reference); typed by hand, so case and spaces are forgiven.
REFERENCE = re.compile(r"FR-(\d{8})-[2-9A-HJ-NP-Z]{6}")
# No request can be older than the GDPR's application.
FIRST_DAY = date(2018, 5, 25)


def normalise_reference(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def check_reference(text: str) -> str:
    """The reference, or ValidationError with the message for the field."""
    reference = normalise_reference(text)
    if not reference:
        raise ValidationError(_l("Enter the reference printed on your letter."))
    if not REFERENCE.fullmatch(reference):
        raise ValidationError(_l("Enter the reference as printed on your letter, like FR-20261129-K7Q2XM."))
    return reference


def check_day(text: str, today: date, missing_message) -> date:
    """A date written 2026-11-29, not in the future and not before the GDPR applied."""
    if not text:
        raise ValidationError(missing_message)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_l("Enter a real date, like 2026-11-29.")) from None
    if day > today:
        raise ValidationError(_l("The date must be today or in the past."))
    if day < FIRST_DAY:
        raise ValidationError(_l("The date must be after 25 May 2018, when the GDPR began to apply."))
    return day


class DateField(StringField):
    """A date typed or picked (input type=date sends YYYY-MM-DD), checked by check_day."""


class ContinueForm(BaseForm):
    letter = FileField(_l("Your letter (PDF)"))

    record = None

    def validate_letter(self, field):
        from ..letters.answers import RecordError, read_record

        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            raise StopValidation(_l("Choose the PDF of your letter."))
        max_bytes = current_app.config["MAX_LETTER_UPLOAD_BYTES"]
        data = upload.read(max_bytes + 1)  # one byte more tells a file that is too large
        if not data:
            raise StopValidation(_l("The file is empty. Choose the PDF of your letter."))
        try:
            self.record = read_record(data, max_bytes)
        except RecordError as error:
            raise StopValidation(UPLOAD_MESSAGES[error.reason]) from None


UPLOAD_MESSAGES = {
    "too-large": _l("The file is larger than 2 MB. Choose the PDF of your letter as you downloaded it."),
    "damaged": _l("The file is not a PDF, or it is damaged. Choose the PDF of your letter as you downloaded it."),
    "encrypted": _l("This PDF is protected with a password. FaceRights letters never are: choose the PDF of your "
                    "letter as you downloaded it."),
    "foreign": _l("This PDF was not made by FaceRights, or it was made before letters carried their answers. "
                  "Enter your request by hand instead."),
    "version": _l("This letter was made by a newer or older FaceRights than this one. Enter your request by hand "
                  "instead."),
    "invalid": _l("The answers inside this PDF are not valid, so it may have been changed. Enter your request by "
                  "hand instead."),
}


class ManualForm(BaseForm):
    """The request typed from the letter: reference, company, request type and date."""
    reference = StringField(_l("Reference"), validators=[InputRequired(message=_l("Enter the reference printed on your letter."))])
    company = RadioField(_l("Company"), validators=[InputRequired(message=_l("Select the company you wrote to."))])
    request_type = RadioField(_l("What did you ask for?"), choices=choice_list(REQUEST_TYPES),
                              validators=[InputRequired(message=_l("Select what you asked for."))])
    letter_date = DateField(_l("Date of your letter"))

    def __init__(self, *args, registry, **kwargs):
        super().__init__(*args, **kwargs)
        self.company.choices = choice_list({company.slug: company.name for company in registry})

    def validate_reference(self, field):
        field.data = check_reference(field.data)

    def validate_letter_date(self, field):
        check_day(field.data, date.today(), _l("Enter the date of your letter."))


SENT_CHANNELS = {channel: SENDING[channel] for channel in CHANNELS}


class SentForm(BaseForm):
    sent = DateField(_l("When did you send it?"))
    channel = RadioField(_l("How did you send it?"), choices=choice_list(SENT_CHANNELS),
                         validators=[InputRequired(message=_l("Select how you sent your letter."))])

    def __init__(self, *args, request_date: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_date = request_date

    def validate_sent(self, field):
        day = check_day(field.data, date.today(), _l("Enter the date you sent your letter."))
        if self.request_date and day < self.request_date:
            raise ValidationError(_l("You cannot have sent the letter before its date."))


SITUATIONS = {
    "no-answer": _l("It has not answered, and the deadline has passed"),
    "asked-for-id": _l("It asked for a copy of an identity document"),
    "asked-for-photo": _l("It asked for a photo of my face"),
    "no-data": _l("It says it holds no data about me"),
    "incomplete": _l("It answered, but not everything I asked for"),
    "erasure-refused": _l("It did not delete my data, or says the GDPR does not apply to it"),
    "extension-announced": _l("It said it needs more time"),
}


class SituationForm(BaseForm):
    situation = RadioField(_l("What has the company done?"),
                           validators=[InputRequired(message=_l("Select what the company has done."))])

    def __init__(self, *args, request_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.situation.choices = choice_list({key: label for key, label in SITUATIONS.items()
                                              if situation_applies(key, request_type)})


def situation_applies(situation: str, request_type: str) -> bool:
    """A partial answer is judged against the access request's list; a refusal concerns erasure."""
    if situation == "incomplete":
        return request_type in ("access", "both")
    if situation == "erasure-refused":
        return request_type in ("erasure", "both")
    return True


ITEMS = {
    "copy": _l("A copy of your data"),
    "images": _l("The images of you, with the originals"),
    "templates": _l("The biometric templates (face vectors) made from them"),
    "source-addresses": _l("The web address each image was taken from"),
    "searches": _l("The searches for your face, and those in which you appeared"),
    "purposes": _l("Why they process your data (purposes)"),
    "categories": _l("Which kinds of data they hold (categories)"),
    "recipients": _l("Who received your data, by name"),
    "storage-period": _l("How long they keep your data"),
    "source": _l("Where your data came from (source)"),
    "automated-decisions": _l("Automated decisions and how their matching works"),
    "transfer-safeguards": _l("Safeguards for transfers outside Europe"),
}
assert set(ITEMS) == set(ACCESS_ITEMS)


class ReceivedForm(BaseForm):
    received = MultiCheckboxField(_l("What did the company send you?"), choices=choice_list(ITEMS))

    def validate_received(self, field):
        if set(field.data or ()) >= set(ACCESS_ITEMS):
            raise ValidationError(_l("You have ticked everything: then the answer is complete. Untick what is missing."))

    def answer(self) -> dict:
        received = [item for item in ACCESS_ITEMS if item in (self.received.data or ())]
        return {"received": received}


PHOTO_CHOICES = {
    "send": _l("Send a photo, for this search only"),
    "refuse": _l("Do not send a photo yet: ask why they need one"),
}
assert set(PHOTO_CHOICES) == set(PHOTO_REPLIES)


class PhotoReplyForm(BaseForm):
    photo_reply = RadioField(_l("Do you want to send them a photo?"), choices=choice_list(PHOTO_CHOICES),
                             validators=[InputRequired(message=_l("Select whether you want to send a photo."))])


REFUSAL_CHOICES = {
    "refused": _l("It refused, ignored or only partly carried out the deletion"),
    "not-applicable": _l("It says the GDPR does not apply to it"),
}
assert set(REFUSAL_CHOICES) == set(REFUSALS)


class RefusalForm(BaseForm):
    refusal = RadioField(_l("What did the company say?"), choices=choice_list(REFUSAL_CHOICES),
                         validators=[InputRequired(message=_l("Select what the company said."))])


class FollowUpDownloadForm(BaseForm):
    """The follow-up's own download: an optional (or, to send one, required) photo, kept in memory only."""
    photo = FileField(_l("A photo of your face"))

    prepared_photo = None

    def __init__(self, *args, photo_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_required = photo_required

    def validate_photo(self, field):
        upload = field.data
        data = b""
        if upload and getattr(upload, "filename", None):
            max_bytes = current_app.config["MAX_PHOTO_BYTES"]
            data = upload.read(max_bytes + 1)
        if not data:
            if self.photo_required:
                raise ValidationError(_l("Choose the photo you want to send."))
            return
        try:
            self.prepared_photo = prepare_photo(data, current_app.config["MAX_PHOTO_BYTES"])
        except PhotoError as error:
            raise ValidationError(error.message) from None


class ComplaintForm(BaseForm):
    authority = SelectField(_l("Supervisory authority"),
                            validators=[InputRequired(message=_l("Select the supervisory authority."))])
    language = SelectField(_l("Language of the complaint"),
                           validators=[InputRequired(message=_l("Select the language of the complaint."))])
    represented = BooleanField(_l("Represented by"))

    def __init__(self, *args, authorities, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority.choices = choice_list({a.slug: (f"{LANDS[a.land]}: {a.name}" if a.land else a.name)
                                              for a in authorities})
        self.language.choices = choice_list(dict(languages))


