"""Everything a start checks, with every problem collected.

A start with a wrong setting stops and names all the problems at once, one per line
(SettingsRefused); `flask --app wsgi config check` (app/host/commands.py) runs exactly this
and exits 1 with the same lines, so that a host can check before restarting anything.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from ..companies import SHIPPED_RECORDS, Registry, RegistryError
from ..config import as_flag
from ..keys import ensure_secret_keys
from ..metrics import check_token
from .settings import HostSettings, Problems, SettingError, read_host_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedSettings:
    registry: Registry
    host: HostSettings


def companies_folder(app: Flask) -> Path:
    return Path(app.config["COMPANIES_FOLDER"] or Path(app.instance_path) / "companies")


def load_registry(app: Flask) -> Registry:
    try:
        return Registry.load(SHIPPED_RECORDS, companies_folder(app))
    except RegistryError as error:
        raise SettingError("COMPANIES_FOLDER", str(error)) from None


def flag(config, name: str) -> None:
    try:
        config[name] = as_flag(config[name])
    except ValueError as error:
        raise SettingError(name, str(error)) from None


def checked_settings(app: Flask) -> CheckedSettings:
    """The keys, the flags, the company records and the host's settings, as the start uses them."""
    problems = Problems()
    with problems.collected():
        ensure_secret_keys(app.config)
    with problems.collected():
        flag(app.config, "ACCESS_LOG_ADDRESSES")
    registry = None
    with problems.collected():
        registry = load_registry(app)
    host = None
    with problems.collected():
        host = read_host_settings(app.config, app.instance_path, registry)
    with problems.collected():
        check_token(app.config.get("METRICS_TOKEN"))
    problems.raise_if_any()
    log_replaced_records(registry)
    return CheckedSettings(registry, host)


def replaced_record_notes(registry: Registry) -> list[str]:
    """One line per shipped record that a record of the instance replaces, with both verification dates."""
    notes = []
    for replaced in registry.replaced:
        note = (f"{replaced.path} replaces the shipped record {replaced.slug!r} (shipped verified "
                f"{replaced.replaced_verified.isoformat()}, yours {replaced.verified.isoformat()})")
        if replaced.replaces_a_newer_record:
            note += ": the shipped record is newer; compare them and remove yours if it adds nothing"
        notes.append(note)
    return notes


def log_replaced_records(registry: Registry) -> None:
    for replaced, note in zip(registry.replaced, replaced_record_notes(registry)):
        log.log(logging.WARNING if replaced.replaces_a_newer_record else logging.INFO, note)
