"""The host's settings are checked at start-up: a wrong one stops the start with a message naming it."""
import io
import re

import pytest
from PIL import Image

from conftest import SECRET
from app import create_app
from app.host.settings import SettingError, contrast_with_white


def make_app(tmp_path, **settings):
    return create_app({"SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path / "companies"), **settings})


def image_file(tmp_path, name, image_format, size=(120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, format=image_format)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def test_defaults_start(tmp_path):
    host = make_app(tmp_path).extensions["facerights.host"]
    assert host.name == "FaceRights" and not host.name_is_set
    assert host.logo is None and host.accent_colour is None and host.welcome == {}
    assert host.companies_shown is None


@pytest.mark.parametrize("setting, value, message", [
    ("HOST_NAME", "", "setting HOST_NAME .*must not be empty"),
    ("HOST_NAME", "x" * 81, "HOST_NAME .*at most 80 characters"),
    ("HOST_NAME", "Line one\nLine two", "HOST_NAME .*one line"),
    ("HOST_NAME", "Evil\u202eeman", "HOST_NAME .*control or invisible"),
    ("HOST_ACCENT_COLOUR", "red", "HOST_ACCENT_COLOUR .*#rrggbb"),
    ("HOST_ACCENT_COLOUR", "#123", "HOST_ACCENT_COLOUR .*#rrggbb"),
    ("HOST_ACCENT_COLOUR", "#000000; } body { display: none", "HOST_ACCENT_COLOUR .*#rrggbb"),
    ("HOST_ACCENT_COLOUR", "#ffdd00", "HOST_ACCENT_COLOUR .*too light.*1.3:1, and needs at least 4.5:1"),
    ("HOST_PRIVACY_URL", "javascript:alert(1)", "HOST_PRIVACY_URL .*https://"),
    ("HOST_IMPRINT_URL", "//ngo.example/imprint", "HOST_IMPRINT_URL .*https://"),
    ("HOST_CONTACT_URL", "https://ngo.example/help me", "HOST_CONTACT_URL .*without spaces"),
    ("HOST_CONTACT_URL", "mailto:not an address", "HOST_CONTACT_URL .*without spaces"),
    ("HOST_CONTACT_URL", "mailto:nobody", "HOST_CONTACT_URL .*mailto: followed by one email address"),
    ("HOST_SUPERVISORY_AUTHORITY_URL", "https://dpa.example", "HOST_SUPERVISORY_AUTHORITY_URL .*needs "
                                                              "HOST_SUPERVISORY_AUTHORITY"),
    ("HOST_WELCOME", "Welcome", "HOST_WELCOME .*must map page languages"),
    ("HOST_WELCOME", {"xx": "Hello"}, "HOST_WELCOME .*'xx' is not a page language"),
    ("HOST_WELCOME", {"en": "x" * 401}, r"HOST_WELCOME\['en'\] .*at most 400"),
    ("HOST_LOG_RETENTION_DAYS", 0, "HOST_LOG_RETENTION_DAYS .*at least 1"),
    ("COMPANIES_SHOWN", ["clearview-ai", "no-such-company"],
     "COMPANIES_SHOWN .*unknown company 'no-such-company'; the registry has clearview-ai"),
    ("COMPANIES_SHOWN", [""], "COMPANIES_SHOWN .*list of company slugs"),
    ("HOST_ACCENT_COLOR", "#1d1b3a", "HOST_ACCENT_COLOR .*is not a setting; did you mean HOST_ACCENT_COLOUR"),
    ("BABEL_DEFAULT_LOCALE", "ga", "BABEL_DEFAULT_LOCALE .*'ga' is not one of the page languages"),
    ("FRAME_ANCESTORS", "https://ngo.example; script-src *", "FRAME_ANCESTORS .*separated by spaces"),
    ("FRAME_ANCESTORS", "", "FRAME_ANCESTORS"),
    ("SESSION_COOKIE_SECURE", "yes", "SESSION_COOKIE_SECURE .*true or false"),
    ("TRUSTED_PROXIES", -1, "TRUSTED_PROXIES .*at least 0"),
    ("STATE_MAX_AGE", 5, "STATE_MAX_AGE .*at least 60"),
    ("LETTER_RATE_LIMIT", "lots", "LETTER_RATE_LIMIT .*10 per minute"),
    ("RATELIMIT_DEFAULT", "100 per fortnight", "RATELIMIT_DEFAULT"),
])
def test_an_invalid_setting_stops_the_start_naming_it(tmp_path, setting, value, message):
    with pytest.raises(SettingError, match=message) as error:
        make_app(tmp_path, **{setting: value})
    assert error.value.name.startswith(setting.split("[")[0])
    assert f"FACERIGHTS_{setting}" in str(error.value)


def test_environment_settings_are_checked_too(tmp_path, monkeypatch):
    monkeypatch.setenv("FACERIGHTS_HOST_ACCENT_COLOUR", "blue")
    with pytest.raises(SettingError, match="environment FACERIGHTS_HOST_ACCENT_COLOUR"):
        make_app(tmp_path)


def test_companies_from_the_environment_as_json_or_with_commas(tmp_path, monkeypatch):
    monkeypatch.setenv("FACERIGHTS_COMPANIES_SHOWN", "pimeyes, clearview-ai")
    assert make_app(tmp_path).extensions["facerights.registry"].slugs() == ["pimeyes", "clearview-ai"]
    monkeypatch.setenv("FACERIGHTS_COMPANIES_SHOWN", '["lenso-ai"]')
    assert make_app(tmp_path).extensions["facerights.registry"].slugs() == ["lenso-ai"]


def test_welcome_texts_from_the_environment_as_json(tmp_path, monkeypatch):
    monkeypatch.setenv("FACERIGHTS_HOST_WELCOME", '{"en": "Hello", "de": "Hallo"}')
    assert make_app(tmp_path).extensions["facerights.host"].welcome == {"en": "Hello", "de": "Hallo"}


def test_valid_settings_are_kept(tmp_path):
    host = make_app(tmp_path, HOST_NAME="  Digital Rights Example  ", HOST_ACCENT_COLOUR="#0B4F6C",
                    HOST_PRIVACY_URL="https://ngo.example/privacy", HOST_CONTACT_URL="mailto:help@ngo.example",
                    HOST_SUPERVISORY_AUTHORITY="Example DPA", HOST_LOG_RETENTION_DAYS=7,
                    FRAME_ANCESTORS="'self' https://ngo.example https://*.ngo.example:443").extensions["facerights.host"]
    assert host.name == "Digital Rights Example" and host.name_is_set
    assert host.accent_colour == "#0b4f6c" and host.contact_url == "mailto:help@ngo.example"
    assert host.log_retention.days == 7


@pytest.mark.parametrize("image_format, mimetype", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                                    ("WEBP", "image/webp")])
def test_logo_formats(tmp_path, image_format, mimetype):
    path = image_file(tmp_path, "logo.img", image_format, size=(150, 50))
    logo = make_app(tmp_path, HOST_LOGO=str(path)).extensions["facerights.host"].logo
    assert (logo.mimetype, logo.width, logo.height) == (mimetype, 150, 50)


def test_svg_and_other_files_are_refused_as_logo(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(SettingError, match="HOST_LOGO .*must be a PNG, JPEG or WebP image"):
        make_app(tmp_path, HOST_LOGO=str(svg))
    gif = image_file(tmp_path, "logo.gif", "GIF")
    with pytest.raises(SettingError, match="HOST_LOGO .*must be a PNG, JPEG or WebP image"):
        make_app(tmp_path, HOST_LOGO=str(gif))


def test_missing_huge_or_giant_logo_is_refused(tmp_path):
    with pytest.raises(SettingError, match="HOST_LOGO .*cannot read .*missing.png"):
        make_app(tmp_path, HOST_LOGO=str(tmp_path / "missing.png"))
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024))
    with pytest.raises(SettingError, match="HOST_LOGO .*larger than 512 KB"):
        make_app(tmp_path, HOST_LOGO=str(big))
    wide = image_file(tmp_path, "wide.png", "PNG", size=(3000, 10))
    with pytest.raises(SettingError, match="HOST_LOGO .*at most 2000 pixels"):
        make_app(tmp_path, HOST_LOGO=str(wide))


def test_logo_name_is_relative_to_the_instance_folder(tmp_path):
    app = make_app(tmp_path)
    with pytest.raises(SettingError, match=f"cannot read {app.instance_path}/logo.png"):
        make_app(tmp_path, HOST_LOGO="logo.png")


def test_contrast_of_the_default_header_colour():
    assert contrast_with_white("#1d1b3a") > 14
    assert round(contrast_with_white("#767676"), 1) == 4.5



def test_the_readme_table_lists_every_setting():
    from pathlib import Path

    from app.config import DefaultConfig
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| Setting |"):]
    documented = set(re.findall(r"^\| `([A-Z_]+)`", table, flags=re.MULTILINE))
    settings = {name for name in vars(DefaultConfig) if name.isupper()}
    internal = {"SESSION_COOKIE_HTTPONLY"}  # not meant to be changed
    assert settings - internal <= documented, sorted(settings - internal - documented)


def test_the_dpo_contact_must_be_a_link(tmp_path):
    with pytest.raises(SettingError, match="HOST_DPO_CONTACT"):
        make_app(tmp_path, HOST_DPO_CONTACT="call Anna")
