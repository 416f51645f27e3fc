"""The forms of the journeys after the letter. Every message is a whole, translatable sentence."""
from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l, ngettext
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from ..case.vocabulary import AccessItem, Channel, PhotoReply, Situation, values
from ..i18n import megabytes
from ..law.authorities import LANDS
from ..letters.photo import PhotoError, prepare_photo
from ..wizard.forms import (DATE_PARTS, REQUEST_TYPES, SENDING, BaseForm, DateInputField, MultiCheckboxField, PlainText,
                            choice_list)

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


def today() -> date:
    """The app's clock (app/case/timeline.py): the day every date is checked against."""
    return current_app.extensions["facerights.clock"].today()


def check_day(text: str, today: date, missing_message) -> date:
    """A date written 2026-11-29 (as a letter's record keeps it), checked like a date typed on a page."""
    if not text:
        raise ValidationError(missing_message)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_l("Enter a real date, like 2026-11-29.")) from None
    return check_past_day(day, today)


def check_past_day(day: date, today: date) -> date:
    """A day that has come, and not before the GDPR applied: no letter or answer of a case can be dated
    otherwise."""
    if day > today:
        raise ValidationError(_l("The date must be today or in the past."))
    if day < FIRST_DAY:
        raise ValidationError(_l("The date must be after 25 May 2018, when the GDPR began to apply."))
    return day


class ContinueForm(BaseForm):
    letter = FileField(_l("Your letter (PDF)"))

    record = None

    def validate_letter(self, field):
        from ..case.record import RecordError
        from ..letters.attachment import read_record

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
            raise StopValidation(upload_message(error.reason)) from None


UPLOAD_MESSAGES = {
    "too-large": _l("The file is larger than %(size)s. Choose the PDF of your letter as you downloaded it."),
    "damaged": _l("The file is not a PDF, or it is damaged. Choose the PDF of your letter as you downloaded it."),
    "encrypted": _l("This PDF is protected with a password. FaceRights letters never are: choose the PDF of your "
                    "letter as you downloaded it."),
    "foreign": _l("This PDF was not made by FaceRights, or it was made before letters carried their answers. "
                  "Enter your request by hand instead."),
    "version": _l("This letter was made by a newer version of FaceRights than this service runs. Enter your "
                  "request by hand instead."),
    "invalid": _l("The answers inside this PDF are not valid, so it may have been changed. Enter your request by "
                  "hand instead."),
}


def upload_message(reason: str) -> str:
    """Why an uploaded letter cannot be used, with the host's size limit where it is the reason."""
    return str(UPLOAD_MESSAGES[reason]) % {"size": megabytes(current_app.config["MAX_LETTER_UPLOAD_BYTES"])}


class ManualForm(BaseForm):
    """The request typed from the letter: reference, company, request type and date."""
    reference = StringField(_l("Reference"), validators=[InputRequired(message=_l("Enter the reference printed on your letter."))])
    company = RadioField(_l("Company"), validators=[InputRequired(message=_l("Select the company you wrote to."))])
    request_type = RadioField(_l("What did you ask for?"), choices=choice_list(REQUEST_TYPES),
                              validators=[InputRequired(message=_l("Select what you asked for."))])
    letter_date = DateInputField(_l("Date of your letter"), missing=_l("Enter the date of your letter."),
                                 incomplete=_l("The date of your letter must include a day, a month and a year."),
                                 not_real=_l("The date of your letter must be a real date."))

    def __init__(self, *args, registry, **kwargs):
        super().__init__(*args, **kwargs)
        # The names people know, as on the company page (review N16); the legal name is the choice's hint.
        self.company.choices = choice_list({company.slug: company.brand for company in registry})
        self.legal_names = {company.slug: _l("Legal name: %(name)s", name=company.name) for company in registry
                            if company.name != company.brand}

    def validate_reference(self, field):
        field.data = check_reference(field.data)

    def validate_letter_date(self, field):
        check_past_day(field.data, today())


SENT_CHANNELS = {channel: SENDING[channel] for channel in values(Channel)}


class SentForm(BaseForm):
    sent = DateInputField(_l("When did you send it?"), missing=_l("Enter the date you sent your letter."),
                          incomplete=_l("The date you sent your letter must include a day, a month and a year."),
                          not_real=_l("The date you sent your letter must be a real date."))
    channel = RadioField(_l("How did you send it?"), choices=choice_list(SENT_CHANNELS),
                         validators=[InputRequired(message=_l("Select how you sent your letter."))])

    def __init__(self, *args, request_date: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_date = request_date

    def validate_sent(self, field):
        day = check_past_day(field.data, today())
        if self.request_date and day < self.request_date:
            raise ValidationError(_l("You cannot have sent the letter before its date."))


SITUATIONS = {
    Situation.NO_ANSWER: _l("It has not answered, and the period for its answer has passed"),
    Situation.EXTENSION_ANNOUNCED: _l("It said it needs more time"),
    Situation.EXTENDED_NO_ANSWER: _l("It said it needed more time, and has still not answered"),
    Situation.ASKED_FOR_ID: _l("It asked for a copy of an identity document"),
    Situation.ASKED_FOR_PHOTO: _l("It asked for a photo of my face"),
    Situation.NO_DATA: _l("It says it holds no data about me"),
    Situation.INCOMPLETE: _l("It answered, but not everything I asked for"),
    Situation.ERASURE_REFUSED: _l("It did not delete my data, or deleted only part of it"),
    Situation.GDPR_DOES_NOT_APPLY: _l("It says the GDPR does not apply to it"),
    Situation.NOT_PERSONAL_DATA: _l("It says it cannot identify anyone, or holds no personal data"),
    Situation.USE_OUR_FORM: _l("It told me to use its web form, portal or opt-out tool instead"),
    Situation.ANONYMISED_NOT_ERASED: _l("It says it anonymised or deactivated my data instead of deleting it"),
}
assert set(SITUATIONS) == set(Situation)
# After a letter of the person's own, silence is about that letter.
NO_ANSWER_TO_MY_LETTER = _l("It has not answered my letter of %(date)s, and the date I gave has passed")


class AnswerDateField(DateInputField):
    """The date of the company's answer, asked only when it answered: after silence there is none, and
    whatever was typed is not kept."""

    def pre_validate(self, form):
        if not form.answered():
            self.data, self.parts = None, dict.fromkeys(DATE_PARTS, "")
            raise StopValidation()  # no message: nothing to correct
        super().pre_validate(form)


class SituationForm(BaseForm):
    """What the company did, and when (the date of its answer, and its own reference if it gave one)."""
    situation = RadioField(_l("What has the company done?"),
                           validators=[InputRequired(message=_l("Select what the company has done."))])
    replied = AnswerDateField(_l("When did it answer? (for \u201cneeds more time\u201d: when it said so)"),
                              missing=_l("Enter the date of the company's answer."),
                              incomplete=_l("The date of the company's answer must include a day, a month and a "
                                            "year."),
                              not_real=_l("The date of the company's answer must be a real date."))
    their_reference = StringField(_l("Its reference for your request, if it gave one (optional)"),
                                  validators=[Length(max=100, message=_l("Enter at most 100 characters.")),
                                              PlainText()])

    def __init__(self, *args, request_type: str, request_date: date | None = None,
                 last_letter_label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_date = request_date
        labels = dict(SITUATIONS)
        if last_letter_label:
            labels[Situation.NO_ANSWER] = last_letter_label
        self.situation.choices = choice_list({key: label for key, label in labels.items()
                                              if key.applies_to(request_type)})

    def answered(self) -> bool:
        """Whether the situation chosen is an answer of the company's, which has a date (an extension
        announced and then silence: the announcement's)."""
        situation = self.situation.data
        if situation not in values(Situation):
            return False  # the situation's own message says what to do first
        return not Situation(situation).is_silence or situation == Situation.EXTENDED_NO_ANSWER

    def validate_replied(self, field):
        day = check_past_day(field.data, today())
        if self.request_date and day < self.request_date:
            raise ValidationError(_l("The company cannot have answered before the date of your letter."))

    def answer(self) -> dict:
        answer = super().answer()
        if not answer["replied"]:
            answer.update(replied="", their_reference="")  # no answer, no date or reference of it
        return answer


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
assert set(ITEMS) == set(AccessItem)


class ReceivedForm(BaseForm):
    received = MultiCheckboxField(_l("What did the company send you?"), choices=choice_list(ITEMS))

    def validate_received(self, field):
        if set(field.data or ()) >= set(AccessItem):
            raise ValidationError(_l("You have ticked everything: then the answer is complete. Untick what is missing."))

    def answer(self) -> dict:
        received = [item for item in values(AccessItem) if item in (self.received.data or ())]
        return {"received": received}


PHOTO_CHOICES = {
    PhotoReply.SEND: _l("Send the photo my request offered, for this search only"),
    PhotoReply.REFUSE: _l("Not yet: point them to the web pages I gave, and offer a photo if those are not enough"),
}
assert set(PHOTO_CHOICES) == set(PhotoReply)


class PhotoReplyForm(BaseForm):
    photo_reply = RadioField(_l("Do you want to send them a photo?"), choices=choice_list(PHOTO_CHOICES),
                             validators=[InputRequired(message=_l("Select whether you want to send a photo."))])


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




# "Your requests" takes the letters of several cases at once: PDFs, or the ZIP of several letters.
MAX_OVERVIEW_FILES = 10


class RequestsForm(BaseForm):
    letters = MultipleFileField(_l("Your letters (PDF or ZIP)"))

    def validate_letters(self, field):
        uploads = [upload for upload in field.data or () if getattr(upload, "filename", None)]
        if not uploads:
            raise StopValidation(_l("Choose the PDFs of your letters, or the ZIP of several letters."))
        if len(uploads) > MAX_OVERVIEW_FILES:
            raise StopValidation(ngettext("Choose at most %(num)d file at once.", "Choose at most %(num)d files at once.",
                                          MAX_OVERVIEW_FILES))
        field.data = uploads
