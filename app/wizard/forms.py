"""One form per wizard page. Every message is a whole, translatable sentence."""
from __future__ import annotations

import unicodedata
from datetime import date
from urllib.parse import urlsplit

from flask import current_app, has_request_context
from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..companies import OTHER
from ..i18n import country_names, language_choices
from ..letters.model import EACH_COMPANY_LANGUAGE, web_addresses
from ..letters.photo import PhotoError, prepare_photo
from .coverage import letter_languages
from .signals import form_refused

# Field bounds keep every letter to a few pages and every render short.
MAX_NAME = 100
MAX_EMAIL = 254
MAX_STREET = 150
MAX_ADDRESS_LINE_2 = 100
MAX_POSTCODE = 20
MAX_CITY = 100
MAX_PROFILE_URLS = 5
MAX_URL = 300
MIN_REASON = 20
MAX_REASON = 1500

# Countries where many addresses have no postcode (Ireland's Eircode is new and often unknown),
# among them places whose people may well fill in the form before learning that no law we write under covers them.
COUNTRIES_WITHOUT_POSTCODES = frozenset(
    "IE AE AG AO AW BF BI BJ BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GD GH GM GQ GY HK KI KM KN LC LY ML MO MR "
    "NR NU QA RW SB SC SL SR ST SY TG TK TL TO TV UG VU YE ZW".split())

# Invisible characters could make a printed name or address read differently from
# what was typed: format characters (bidi marks and overrides, zero-width spaces, BOM,
# tag characters), line and paragraph separators, controls, private use.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Zero-width (non-)joiners shape letters in Persian, Indic and other scripts: allowed between letters.
_JOINERS = {"\u200c", "\u200d"}


def _is_letter_or_mark(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char).startswith("M")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _normalize(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [_strip, _normalize]
            filters += unbound_field.kwargs.get("filters", [])
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid and has_request_context():
            form_refused.send(current_app._get_current_object(), form=self)
        return valid

    def answer(self) -> dict:
        """The page's answer as kept in the state: every field but the CSRF token (a date as ISO text)."""
        return {name: field.data.isoformat() if isinstance(field.data, date) else field.data
                for name, field in self._fields.items() if name != "csrf_token"}


class PlainText:
    """Refuses control and invisible characters (newlines only where ``multiline``)."""

    def __init__(self, multiline: bool = False):
        self.allowed = {"\n", "\r", "\t"} if multiline else set()

    def __call__(self, form, field):
        check_plain_text(field.data or "", self.allowed)


def check_plain_text(text: str, allowed: set[str] = frozenset()) -> None:
    """ValidationError if ``text`` holds a control or invisible character (but those ``allowed``)."""
    for position, char in enumerate(text):
        if char in allowed or unicodedata.category(char) not in _REFUSED_CATEGORIES:
            continue
        if char in _JOINERS and 0 < position < len(text) - 1 and _is_letter_or_mark(text[position - 1]) \
                and _is_letter_or_mark(text[position + 1]):
            continue
        raise ValidationError(_l("Remove the invisible or control characters from this answer."))


class ContainsLetter:
    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and not any(char.isalpha() for char in field.data):
            raise ValidationError(self.message)


def choice_list(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


REQUEST_TYPES = {
    "access": _l("Find out what they hold about me"),
    "erasure": _l("Have my data deleted"),
    "both": _l("Both: a copy of my data first, then deletion"),
}


class RequestTypeForm(BaseForm):
    request_type = RadioField(
        _l("What do you want the company to do?"),
        choices=choice_list(REQUEST_TYPES),
        validators=[InputRequired(message=_l("Select what you want the company to do."))])


# Translators: the last choice on the company page, for a company that is not in the list.
OTHER_COMPANY_LABEL = _l("Another company")


class CompanyCheckboxes(MultiCheckboxField):
    def pre_validate(self, form):
        # Like a radio button's message: the refused value is not repeated back.
        values = {choice.value if isinstance(choice, SelectChoice) else choice[0] for choice in self.choices}
        if any(value not in values for value in self.data or []):
            raise StopValidation(self.gettext("Not a valid choice."))


def offers_other_company() -> bool:
    """"Another company" is offered unless the host's campaign restricts the list (COMPANIES_SHOWN)."""
    host = current_app.extensions.get("facerights.host")
    return not (host and host.companies_shown)


class CompanyForm(BaseForm):
    """One or more companies, each getting a letter of its own; "other" is one the person types next."""
    company = CompanyCheckboxes(
        _l("Which companies do you want to write to?"),
        validators=[InputRequired(message=_l("Select at least one company you want to write to."))])

    def __init__(self, *args, registry, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers_other = offers_other_company()
        other = {OTHER: OTHER_COMPANY_LABEL} if self.offers_other else {}
        self.company.choices = choice_list({**{company.slug: company.name for company in registry}, **other})

    def validate_company(self, field):
        # Checkboxes post each value once; a client that repeats one gets one letter for it.
        field.data = list(dict.fromkeys(field.data or []))


class RequiredForPost:
    """Required only when the letter goes by post (a posted letter needs a return address); the postcode
    only where the country has postcodes. Otherwise the field may stay empty."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data:
            return
        needs_postcode = form.country.data not in COUNTRIES_WITHOUT_POSTCODES
        if form.posting and (field.name != "postcode" or needs_postcode):
            raise StopValidation(self.message)
        raise StopValidation()  # empty and allowed: no message, no further checks


class DetailsForm(BaseForm):
    # First, as on the page: the country decides whether the person is covered at all.
    country = SelectField(
        _l("Country where you live"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select your country."))])
    full_name = StringField(
        _l("Full name"),
        validators=[InputRequired(message=_l("Enter your full name.")),
                    Length(max=MAX_NAME, message=_l("Your full name must be %(max)d characters or fewer.", max=MAX_NAME)),
                    ContainsLetter(_l("Enter your full name, using letters.")),
                    PlainText()])
    email = StringField(
        _l("Email address"),
        validators=[InputRequired(message=_l("Enter your email address.")),
                    Length(max=MAX_EMAIL, message=_l("Your email address must be %(max)d characters or fewer.", max=MAX_EMAIL)),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com."),
                          check_deliverability=False)])
    street = StringField(
        _l("Street and house number"),
        validators=[RequiredForPost(_l("Enter your street and house number.")),
                    Length(max=MAX_STREET, message=_l("The street must be %(max)d characters or fewer.", max=MAX_STREET)),
                    PlainText()])
    address_line_2 = StringField(
        _l("Address line 2 (optional)"),
        validators=[Optional(),
                    Length(max=MAX_ADDRESS_LINE_2,
                           message=_l("Address line 2 must be %(max)d characters or fewer.", max=MAX_ADDRESS_LINE_2)),
                    PlainText()])
    postcode = StringField(
        _l("Postcode"),
        validators=[RequiredForPost(_l("Enter your postcode.")),
                    Length(max=MAX_POSTCODE, message=_l("The postcode must be %(max)d characters or fewer.", max=MAX_POSTCODE)),
                    PlainText()])
    city = StringField(
        _l("Town or city"),
        validators=[RequiredForPost(_l("Enter your town or city.")),
                    Length(max=MAX_CITY, message=_l("The town or city must be %(max)d characters or fewer.", max=MAX_CITY)),
                    PlainText()])
    profile_urls = TextAreaField(
        _l("Web pages with photos of you (optional)"),
        validators=[Optional(), PlainText(multiline=True)])

    def __init__(self, *args, posting: bool = True, several: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the letter goes by post, so that it needs the person's postal address.
        self.posting = posting
        # Whether there are letters to several companies: only those that go by post carry the address.
        self.several = several
        self.country.choices = choice_list({"": _l("Select a country"), **country_names(str(get_locale()))})

    def validate_country(self, field):
        if field.data not in country_names("en"):
            raise StopValidation(_l("Select your country."))

    def validate_profile_urls(self, field):
        urls = web_addresses(field.data)
        if len(urls) > MAX_PROFILE_URLS:
            raise ValidationError(_l("Enter at most %(max)d web addresses.", max=MAX_PROFILE_URLS))
        for url in urls:
            parts = urlsplit(url)
            if (len(url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname
                    or any(char.isspace() for char in url)):
                raise ValidationError(_l("Enter each web address on its own line, starting with https:// or http://."))


class OtherCompanyForm(BaseForm):
    """A company that is not in the list, as the person types it: held to the same rules as their own details.
    A postal address (street, postcode and town together), an email address, or both."""
    name = StringField(
        _l("Name of the company"),
        validators=[InputRequired(message=_l("Enter the name of the company.")),
                    Length(max=MAX_NAME, message=_l("The company's name must be %(max)d characters or fewer.", max=MAX_NAME)),
                    ContainsLetter(_l("Enter the name of the company, using letters.")),
                    PlainText()])
    street = StringField(
        _l("Street and house number"),
        validators=[Optional(), Length(max=MAX_STREET, message=_l("The street must be %(max)d characters or fewer.", max=MAX_STREET)),
                    PlainText()])
    postcode = StringField(
        _l("Postcode"),
        validators=[Optional(), Length(max=MAX_POSTCODE, message=_l("The postcode must be %(max)d characters or fewer.", max=MAX_POSTCODE)),
                    PlainText()])
    city = StringField(
        _l("Town or city"),
        validators=[Optional(), Length(max=MAX_CITY, message=_l("The town or city must be %(max)d characters or fewer.", max=MAX_CITY)),
                    PlainText()])
    country = SelectField(
        _l("Country"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select the company's country."))])
    email = StringField(
        _l("Email address for data protection requests"),
        validators=[Optional(),
                    Length(max=MAX_EMAIL, message=_l("The email address must be %(max)d characters or fewer.", max=MAX_EMAIL)),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com."),
                          check_deliverability=False)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choice_list({"": _l("Select a country"), **country_names(str(get_locale()))})

    def validate_country(self, field):
        if field.data not in country_names("en"):
            raise StopValidation(_l("Select the company's country."))

    def validate_street(self, field):
        # The address goes on the envelope whole or not at all.
        parts = (self.street.data, self.postcode.data, self.city.data)
        if any(parts) and not self.street.data:
            raise ValidationError(_l("Enter the street and house number, or leave the whole postal address empty."))

    def validate_city(self, field):
        if self.street.data and not field.data:
            raise ValidationError(_l("Enter the town or city of the company's address."))

    def validate(self, extra_validators=None) -> bool:
        # Checked here: Optional() ends the empty fields' own validation.
        valid = super().validate(extra_validators)
        if not any((self.email.data, self.street.data, self.postcode.data, self.city.data)):
            self.email.errors = [*self.email.errors,
                                 _l("Enter the company's postal address, its email address, or both.")]
            return False
        return valid

    def answer(self) -> dict:
        answer = super().answer()
        return {name: value or "" for name, value in answer.items()}


class LetterLanguageForm(BaseForm):
    """Asked before any free text that goes into the letter, so that the person can write it in this language."""
    # DataRequired, not InputRequired: a client that leaves the field out gets the default language.
    letter_language = SelectField(_l("Language of the letter"),
                                  validators=[DataRequired(message=_l("Select the language of the letter."))])

    def __init__(self, *args, answers, registry, **kwargs):
        # Every letter can be written in these (app/law/scope.py): none where no law covers any letter.
        languages = letter_languages(answers, registry)
        slugs = answers["company"]["company"]
        several = len(slugs) > 1
        company = registry.get(slugs[0]) if not several else None
        default = (EACH_COMPANY_LANGUAGE if several else
                   company.request_language if company and company.request_language in languages else None)
        kwargs.setdefault("data", None)
        if not kwargs["data"]:
            page_language = str(get_locale())
            kwargs["data"] = {"letter_language": default or (page_language if page_language in languages
                                                             else next(iter(languages), None))}
        super().__init__(*args, **kwargs)
        # With several companies, each letter may go in its company's own language.
        each = {EACH_COMPANY_LANGUAGE: _l("Each company's own language (English where it has none of these)")} \
            if several else {}
        self.letter_language.choices = choice_list({**each, **dict(language_choices(languages))})


GROUNDS = {
    "unlawful-biometric": _l("They process my biometric data without a lawful basis"),
    "consent-withdrawn": _l("I once agreed to their terms, for example by using their search, and I withdraw that consent"),
    "objection": _l("I object to their processing of my data, for a reason of my own"),
}


class GroundsForm(BaseForm):
    grounds = MultiCheckboxField(
        _l("Why must they delete your data?"),
        choices=choice_list(GROUNDS),
        default=["unlawful-biometric"],
        validators=[InputRequired(message=_l("Select at least one reason for deletion."))])


class ObjectionForm(BaseForm):
    """Its own page, asked only of a person who objects, after the letter language is chosen."""
    objection_reason = TextAreaField(
        _l("Why do you object?"),
        validators=[PlainText(multiline=True)])

    def validate_objection_reason(self, field):
        if not field.data:
            raise ValidationError(_l("Explain why you object, in a sentence or two about your own situation."))
        if len(field.data) < MIN_REASON:
            raise ValidationError(_l("Give a little more detail: at least %(min)d characters.", min=MIN_REASON))
        if len(field.data) > MAX_REASON:
            raise ValidationError(_l("Your reason must be %(max)d characters or fewer.", max=MAX_REASON))


SUPPRESSION = {
    "addresses": _l("No template of my face: they may keep only the web addresses my photos came from"),
    "template": _l("They may keep one template of my face, used only to block my photos in future"),
}


class RecollectionForm(BaseForm):
    suppression = RadioField(
        _l("What may they keep to stop collecting your photos again?"),
        choices=choice_list(SUPPRESSION),
        default="addresses",
        validators=[InputRequired(message=_l("Select what they may keep."))])


SENDING = {
    "letter": _l("By post"),
    "email": _l("By email"),
    "webform": _l("Through their web form"),
}


def preselected_channels(companies, channels) -> list[str]:
    """What the sending page ticks before the person has chosen. Never post while there is another way:
    a ticked "By post" that the person accepts makes them give their home address. Email where every
    company takes it; else the one company's recommended way; else nothing, unless there is only one way."""
    if len(channels) == 1:
        return list(channels)
    if "email" in channels and all(company.email for company in companies):
        return ["email"]
    if len(companies) == 1 and companies[0].channels[0] != "letter":
        return [companies[0].channels[0]]
    return []


class SendingForm(BaseForm):
    """Asked right after the company: the letter says how it is sent, and only a posted letter needs
    the person's postal address."""
    channels = MultiCheckboxField(
        _l("How will you send the letter?"),
        validators=[InputRequired(message=_l("Select how you will send the letter."))])

    def __init__(self, *args, companies, channels, **kwargs):
        """``channels``: the ways the chosen ``companies`` offer (with several, every way at least one of
        them offers)."""
        kwargs.setdefault("data", None)
        if not kwargs["data"]:
            kwargs["data"] = {"channels": preselected_channels(companies, channels)}
        super().__init__(*args, **kwargs)
        self.channels.choices = choice_list({channel: SENDING[channel] for channel in channels})


class DownloadForm(BaseForm):
    """The last page: an optional photo, then the PDF. The photo never leaves this request."""
    photo = FileField(_l("A photo of your face (optional)"))
    # The company whose letter alone is wanted (the value of its download button); empty: every letter.
    letter = StringField()

    prepared_photo = None

    def validate_photo(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        max_bytes = current_app.config["MAX_PHOTO_BYTES"]
        data = upload.read(max_bytes + 1)  # one byte more tells a photo that is too large
        if not data:
            return
        try:
            self.prepared_photo = prepare_photo(data, max_bytes)
        except PhotoError as error:
            raise ValidationError(error.message) from None


DATE_PARTS = ("day", "month", "year")


class DateInputField(Field):
    """The GOV.UK date input: day, month and year typed as numbers in three boxes, posted as
    ``<name>-day``, ``<name>-month`` and ``<name>-year`` (templates/components/forms.html date_input)
    and read as one date. Three boxes, unlike a browser's date picker, look and read the same in every
    browser and language, and take a date typed from a letter.

    ``data`` is a ``date`` (or None); given as data, an ISO date ("2026-11-29") fills the boxes, so an
    answer kept as text comes back, and so do the boxes as typed (``{"day": "29", "month": "11", "year": ""}``,
    a draft kept over a change of language). The messages are whole sentences about this question, as GOV.UK words
    them: ``missing`` ("Enter the date you sent your letter."), ``incomplete`` ("The date you sent your
    letter must include a day, a month and a year.") and ``not_real`` ("The date you sent your letter must
    be a real date."). Checks of the range (not in the future, not before some day) are the form's
    validators, which see ``data`` as a date. ``parts`` keeps what was typed; ``wrong_parts`` names the
    boxes an error is about (none: all of them)."""

    def __init__(self, label=None, validators=None, *, missing, incomplete, not_real, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.messages = {"missing": missing, "incomplete": incomplete, "not_real": not_real}
        self.parts = dict.fromkeys(DATE_PARTS, "")
        self.wrong_parts: tuple[str, ...] = ()

    def process(self, formdata, data=unset_value, extra_filters=None):
        # Three inputs, not one: read them here (the text filters of BaseForm do not apply to a date).
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.process_data(self.object_data)
        if formdata is not None:
            self.raw_data = [formdata.get(f"{self.name}-{part}", "") for part in DATE_PARTS]
            self.parts = {part: (value or "").strip() for part, value in zip(DATE_PARTS, self.raw_data)}
            self.data = None  # read in pre_validate, where a wrong date gets its message

    def process_data(self, value):
        if isinstance(value, dict):  # the boxes as typed, kept over a change of language: shown again as they were
            self.parts = {part: str(value.get(part, ""))[:10] for part in DATE_PARTS}
            self.data = None
            return
        if isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        self.data = value if isinstance(value, date) else None
        if self.data:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}

    def pre_validate(self, form):
        if self.data is not None:
            return
        empty = tuple(part for part in DATE_PARTS if not self.parts[part])
        if len(empty) == len(DATE_PARTS):
            self._refuse("missing", DATE_PARTS)
        if empty:
            self._refuse("incomplete", empty)
        day, month, year = (self.parts[part] for part in DATE_PARTS)
        wrong = tuple(part for part, text, largest in (("day", day, 31), ("month", month, 12), ("year", year, 9999))
                      if not text.isascii() or not text.isdigit() or not 0 < int(text) <= largest
                      or (part == "year" and len(text) != 4))
        if wrong:
            self._refuse("not_real", wrong)
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:  # 31 April, 29 February of a common year
            self._refuse("not_real", ("day",))

    def _refuse(self, message: str, parts: tuple[str, ...]):
        self.wrong_parts = parts
        raise StopValidation(self.messages[message])

    def post_validate(self, form, validation_stopped):
        # A range error from the form's own validators is about the whole date.
        if self.errors and not self.wrong_parts:
            self.wrong_parts = DATE_PARTS

    @property
    def first_wrong_part(self) -> str:
        """Where the error summary's link leads: the first box to correct."""
        return self.wrong_parts[0] if self.wrong_parts else DATE_PARTS[0]


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for buttons such as "delete my answers"."""
