"""The host's instance settings, checked once at start-up.

A host sets them in the environment (FACERIGHTS_<NAME>) or in
``<instance>/config.py``. Anything that is wrong stops the start with a message
naming the setting, so that no value can reach a page, a header or the CSP
unchecked: colours, links and languages are held to strict forms here, and
texts are always escaped by the templates.
"""
from __future__ import annotations

import difflib
import io
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click
from email_validator import EmailNotValidError, validate_email
from limits import parse_many
from PIL import Image, UnidentifiedImageError

from ..companies import Registry, RegistryError
from ..config import DefaultConfig

# The settings a host may give, besides Flask's own: a misspelt one is refused, not ignored.
KNOWN_HOST_SETTINGS = {name for name in vars(DefaultConfig) if name.startswith("HOST_")}

LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2000
MAX_NAME = 80
MAX_WELCOME = 400
MAX_REPRESENTATIVE = 200
MAX_URL = 500
# White header text on the accent colour must stay readable (WCAG 2.x AA for normal text).
MIN_CONTRAST = 4.5
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# One CSP source expression: a keyword, a scheme such as https:, or a host source; no ';' or ','.
CSP_SOURCE = re.compile(r"'none'|'self'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?(\*\.)?[a-z0-9.-]+(:(\d+|\*))?(/[^\s;,']*)?",
                        re.IGNORECASE)


class SettingError(ValueError):
    """A setting is invalid; the message names it and says what it must be."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"setting {name} (environment FACERIGHTS_{name}): {problem}")
        self.name = name


class SettingsRefused(SettingError, click.ClickException):
    """Every problem a start found, one per line: the start stops with all of them at once.

    A click exception too, so that any `flask --app wsgi ...` command, `config check` included,
    prints the lines after "Error:" and exits 1 instead of showing a traceback."""
    exit_code = 1

    def __init__(self, problems: list[SettingError]):
        click.ClickException.__init__(self, "\n".join(str(problem) for problem in problems))
        self.problems = problems
        self.name = problems[0].name


class Problems(list):
    """Collects the problems of several checks, so that one start (or one `config check`) names them all."""

    @contextmanager
    def collected(self):
        try:
            yield
        except SettingsRefused as refused:
            self.extend(refused.problems)
        except SettingError as problem:
            self.append(problem)

    def raise_if_any(self) -> None:
        if self:
            raise SettingsRefused(list(self))


@dataclass(frozen=True)
class Logo:
    data: bytes
    mimetype: str
    width: int
    height: int


@dataclass(frozen=True)
class HostSettings:
    name: str
    name_is_set: bool
    logo: Logo | None = None
    accent_colour: str | None = None
    privacy_url: str | None = None
    imprint_url: str | None = None
    contact_url: str | None = None
    authority_name: str | None = None
    authority_url: str | None = None
    dpo_contact: str | None = None
    welcome: dict[str, str] = field(default_factory=dict)
    companies_shown: tuple[str, ...] | None = None
    log_retention_days: int | None = None
    # Who represents complainants under Art. 80(1), if the host offers it.
    representative: str | None = None

    @property
    def log_retention(self) -> timedelta | None:
        return timedelta(days=self.log_retention_days) if self.log_retention_days else None

    def welcome_in(self, language: str, default_language: str) -> tuple[str, str] | None:
        """(language, text) of the welcome text for a page in ``language``, else the default language's."""
        for code in (language, default_language):
            if code in self.welcome:
                return code, self.welcome[code]
        return None


def plain_text(name: str, value, max_length: int, required: bool = False) -> str | None:
    """One line or a short paragraph of text: no control characters, no markup meaning (it is escaped)."""
    if value is None or value == "":
        if required:
            raise SettingError(name, "must not be empty")
        return None
    if not isinstance(value, str):
        raise SettingError(name, f"must be text, not {type(value).__name__}")
    value = value.strip()
    if len(value) > max_length:
        raise SettingError(name, f"must be at most {max_length} characters (it has {len(value)})")
    if any(unicodedata.category(char) in ("Cc", "Cf") and char not in "\n" for char in value):
        raise SettingError(name, "must not contain control or invisible formatting characters")
    if not value and required:
        raise SettingError(name, "must not be empty")
    return value or None


def link(name: str, value) -> str | None:
    """An https:// or http:// address with a host name, or mailto: with one email address."""
    text = plain_text(name, value, MAX_URL)
    if text is None:
        return None
    if any(char.isspace() for char in text):
        raise SettingError(name, "must be a web address without spaces")
    parts = urlsplit(text)
    if parts.scheme == "mailto":
        try:
            validate_email(parts.path, check_deliverability=False)
        except EmailNotValidError:
            raise SettingError(name, f"{text!r} is not mailto: followed by one email address") from None
        return text
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SettingError(name, f"{text!r} must start with https:// (or http://, or mailto:)")
    return text


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def accent_colour(name: str, value) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not COLOUR.fullmatch(value.strip()):
        raise SettingError(name, f"must be a colour written #rrggbb, such as #1d1b3a, not {value!r}")
    colour = value.strip().lower()
    contrast = contrast_with_white(colour)
    if contrast < MIN_CONTRAST:
        raise SettingError(name, f"{colour} is too light: the white header text on it would have a contrast "
                                 f"of {contrast:.1f}:1, and needs at least {MIN_CONTRAST}:1")
    return colour


def logo(name: str, value, instance_path: str) -> Logo | None:
    """A PNG, JPEG or WebP file, read once: SVG is refused, as it can carry scripts and links."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SettingError(name, "must be the name of an image file in the instance folder")
    path = Path(instance_path) / value
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SettingError(name, f"cannot read {path} ({error.strerror})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise SettingError(name, f"{path} is larger than {MAX_LOGO_BYTES // 1024} KB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    if image_format not in LOGO_FORMATS:
        raise SettingError(name, f"{path} must be a PNG, JPEG or WebP image")
    if max(width, height) > MAX_LOGO_SIDE:
        raise SettingError(name, f"{path} must be at most {MAX_LOGO_SIDE} pixels wide and high")
    return Logo(data=data, mimetype=LOGO_FORMATS[image_format], width=width, height=height)


def welcome_texts(name: str, value, languages: list[str]) -> dict[str, str]:
    """{"en": "...", "de": "..."}: a short plain text per page language."""
    if value is None or value == {}:
        return {}
    if not isinstance(value, dict):
        raise SettingError(name, 'must map page languages to texts, such as {"en": "Welcome", "de": "Willkommen"}')
    texts = {}
    for language, text in value.items():
        if language not in languages:
            raise SettingError(name, f"{language!r} is not a page language; use one of {', '.join(languages)}")
        texts[language] = plain_text(f"{name}[{language!r}]", text, MAX_WELCOME, required=True)
    return texts


def company_slugs(name: str, value, registry: Registry) -> tuple[str, ...] | None:
    """A list of slugs, or in the environment one string with commas between them."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = [slug.strip() for slug in value.split(",")]
    if not isinstance(value, (list, tuple)) or not all(isinstance(slug, str) and slug for slug in value):
        raise SettingError(name, "must be a list of company slugs, such as clearview-ai,pimeyes")
    try:
        registry.restricted_to(value)
    except RegistryError as error:
        raise SettingError(name, str(error)) from None
    return tuple(value)


def one_line(name: str, value, max_length: int) -> str | None:
    text = plain_text(name, value, max_length)
    if text and "\n" in text:
        raise SettingError(name, "must be one line")
    return text


def postal_days_table(name: str, value) -> None:
    """{"*": 7, "US": 14}: days by destination country (ISO code), "*" for any other."""
    if (not isinstance(value, dict) or "*" not in value
            or not all(isinstance(key, str) and (key == "*" or re.fullmatch(r"[A-Z]{2}", key)) for key in value)
            or not all(isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 60
                       for days in value.values())):
        raise SettingError(name, 'must map "*" and country codes to days between 0 and 60, '
                                 f'such as {{"*": 7, "US": 14}}, not {value!r}')


def whole_number(name: str, value, minimum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingError(name, f"must be a whole number of at least {minimum}, not {value!r}")
    return value


def check_flask_settings(config) -> None:
    """The existing settings whose values reach headers, cookies or limits."""
    problems = Problems()
    with problems.collected():
        if config["BABEL_DEFAULT_LOCALE"] not in config["LANGUAGES"]:
            raise SettingError("BABEL_DEFAULT_LOCALE", f"{config['BABEL_DEFAULT_LOCALE']!r} is not one of the page "
                                                       f"languages: {', '.join(config['LANGUAGES'])}")
    with problems.collected():
        sources = config["FRAME_ANCESTORS"]
        if not isinstance(sources, str) or not sources.split() or \
                not all(CSP_SOURCE.fullmatch(s) for s in sources.split()):
            raise SettingError("FRAME_ANCESTORS", "must be 'none', 'self' or origins such as https://ngo.example, "
                                                  f"separated by spaces, not {sources!r}")
    for name in ("SESSION_COOKIE_SECURE", "RATELIMIT_ENABLED"):
        with problems.collected():
            if not isinstance(config[name], bool):
                raise SettingError(name, f"must be true or false, not {config[name]!r}")
    with problems.collected():
        whole_number("TRUSTED_PROXIES", config["TRUSTED_PROXIES"], 0)
    with problems.collected():
        postal_days_table("POSTAL_DAYS", config["POSTAL_DAYS"])
    with problems.collected():
        if not isinstance(config["STATE_MAX_AGE"], timedelta):
            # From the environment it is a number of seconds.
            if whole_number("STATE_MAX_AGE", config["STATE_MAX_AGE"], 60) is None:
                raise SettingError("STATE_MAX_AGE", "must be a number of seconds (at least 60)")
    for name in ("RATELIMIT_DEFAULT", "LETTER_RATE_LIMIT"):
        with problems.collected():
            try:
                parse_many(config[name])
            except (ValueError, TypeError):
                raise SettingError(name, f"must be limits such as '10 per minute; 60 per hour', "
                                         f"not {config[name]!r}") from None
    problems.raise_if_any()


def refuse_unknown_host_settings(config) -> None:
    problems = Problems()
    for name in config:
        if name.startswith("HOST_") and name not in KNOWN_HOST_SETTINGS:
            close = difflib.get_close_matches(name, KNOWN_HOST_SETTINGS, n=1)
            problems.append(SettingError(name, "is not a setting" + (f"; did you mean {close[0]}?" if close else "")))
    problems.raise_if_any()


def read_host_settings(config, instance_path: str, registry: Registry | None) -> HostSettings:
    """Every host setting, checked; all problems at once (SettingsRefused). Without a registry (its records
    have problems of their own) COMPANIES_SHOWN is not checked."""
    problems = Problems()

    def checked(check, *args):
        with problems.collected():
            return check(*args)

    checked(refuse_unknown_host_settings, config)
    checked(check_flask_settings, config)
    name = checked(plain_text, "HOST_NAME", config["HOST_NAME"], MAX_NAME, True)
    with problems.collected():
        if name and "\n" in name:
            raise SettingError("HOST_NAME", "must be one line")
    authority_name = checked(plain_text, "HOST_SUPERVISORY_AUTHORITY", config["HOST_SUPERVISORY_AUTHORITY"], 200)
    authority_url = checked(link, "HOST_SUPERVISORY_AUTHORITY_URL", config["HOST_SUPERVISORY_AUTHORITY_URL"])
    with problems.collected():
        if authority_url and not authority_name:
            raise SettingError("HOST_SUPERVISORY_AUTHORITY_URL", "needs HOST_SUPERVISORY_AUTHORITY, the name of "
                                                                 "the authority at that address")
    settings = HostSettings(
        name=name,
        name_is_set=name != DefaultConfig.HOST_NAME,
        logo=checked(logo, "HOST_LOGO", config["HOST_LOGO"], instance_path),
        accent_colour=checked(accent_colour, "HOST_ACCENT_COLOUR", config["HOST_ACCENT_COLOUR"]),
        privacy_url=checked(link, "HOST_PRIVACY_URL", config["HOST_PRIVACY_URL"]),
        imprint_url=checked(link, "HOST_IMPRINT_URL", config["HOST_IMPRINT_URL"]),
        contact_url=checked(link, "HOST_CONTACT_URL", config["HOST_CONTACT_URL"]),
        authority_name=authority_name,
        authority_url=authority_url,
        dpo_contact=checked(link, "HOST_DPO_CONTACT", config["HOST_DPO_CONTACT"]),
        welcome=checked(welcome_texts, "HOST_WELCOME", config["HOST_WELCOME"], config["LANGUAGES"]),
        companies_shown=checked(company_slugs, "COMPANIES_SHOWN", config["COMPANIES_SHOWN"], registry)
        if registry else None,
        log_retention_days=checked(whole_number, "HOST_LOG_RETENTION_DAYS", config["HOST_LOG_RETENTION_DAYS"], 1),
        representative=checked(one_line, "HOST_REPRESENTATIVE", config["HOST_REPRESENTATIVE"], MAX_REPRESENTATIVE),
    )
    problems.raise_if_any()
    return settings
