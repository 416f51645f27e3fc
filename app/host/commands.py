"""`flask --app wsgi config check`: the start-up check, run before a restart instead of by it.

Loading the app for the command already runs every check a start runs (app/host/startup.py): a
wrong setting or company record stops it there, and click prints the problems, one per line, and
exits 1. When the app loads, the command checks what only the host's machine can tell: the
environment variables that no setting reads (a typo is otherwise silently ignored), gunicorn's
own variables, and whether the log retention stated on /privacy (HOST_LOG_RETENTION_DAYS) is what
logrotate and journald keep. Problems go to stderr, one per line, and the exit status is 1; notes
(records that replace shipped ones, keys kept for a rotation) go to stdout.
"""
from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_limiter.constants import ConfigVars

from ..config import DefaultConfig
from ..version import VERSION
from .startup import replaced_record_notes

PREFIX = "FACERIGHTS_"
# Read by gunicorn.conf.py (the last two it sets itself), not by the app.
GUNICORN_VARIABLES = {"BIND", "WORKERS", "LOG_LEVEL", "GUNICORN_CONF_LOADED_IN", "METRICS_FOLDER_MADE"}
# Read by scripts/facerights and scripts/rolling-restart.sh.
SCRIPT_VARIABLES = {"ENV_FILE", "USER", "PYTHON", "SETTLE_SECONDS", "RESTART_COMMAND"}
FLASK_BABEL_SETTINGS = {"BABEL_DEFAULT_LOCALE", "BABEL_DEFAULT_TIMEZONE", "BABEL_DOMAIN"}
GUNICORN_LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOGROTATE_STANZA = Path("/etc/logrotate.d/facerights")
JOURNALD_CONFIGURATION = Path("/etc/systemd/journald.conf")
TIME_UNITS = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "minute": 60, "minutes": 60,
              "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "d": 86400, "day": 86400, "days": 86400,
              "w": 604800, "week": 604800, "weeks": 604800, "M": 2629800, "month": 2629800, "months": 2629800,
              "y": 31557600, "year": 31557600, "years": 31557600}


def known_settings(app: Flask) -> set[str]:
    return ({name for name in vars(DefaultConfig) if name.isupper()} | set(Flask.default_config)
            | {value for value in vars(ConfigVars).values() if isinstance(value, str)} | FLASK_BABEL_SETTINGS | GUNICORN_VARIABLES | SCRIPT_VARIABLES)


def unknown_variables(app: Flask, environ) -> list[str]:
    """FACERIGHTS_* variables that nothing reads: a misspelt setting would otherwise be ignored."""
    known = known_settings(app)
    return [f"environment {name}: no setting is called {name[len(PREFIX):]}; check the spelling (README, Settings)"
            for name in sorted(environ) if name.startswith(PREFIX)
            and name[len(PREFIX):] not in known and not name[len(PREFIX):].startswith("WTF_")]


def gunicorn_problems(environ) -> list[str]:
    problems = []
    workers = environ.get(PREFIX + "WORKERS")
    if workers is not None and not (workers.isdigit() and int(workers) >= 1):
        problems.append(f"environment FACERIGHTS_WORKERS: must be a whole number of at least 1, not {workers!r}")
    level = environ.get(PREFIX + "LOG_LEVEL")
    if level is not None and level.lower() not in GUNICORN_LOG_LEVELS:
        problems.append(f"environment FACERIGHTS_LOG_LEVEL: must be one of {', '.join(GUNICORN_LOG_LEVELS)}, "
                        f"not {level!r}")
    bind = environ.get(PREFIX + "BIND")
    if bind is not None and not bind.startswith("unix:"):
        host = bind.rpartition(":")[0].strip("[]")
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            problems.append(f"environment FACERIGHTS_BIND: {bind!r} is not a loopback address; gunicorn must be "
                            "reached only through nginx (docs/HOSTING.md)")
    return problems


def logrotate_days(stanza: Path) -> int | None:
    match = re.search(r"^\s*rotate\s+(\d+)\s*$", stanza.read_text(), re.M)
    return int(match.group(1)) if match else None


def journald_retention_seconds(configuration: Path) -> int | None:
    """MaxRetentionSec= from journald.conf and its drop-ins (the last one wins), in seconds."""
    files = [configuration, *sorted(configuration.with_name(configuration.name + ".d").glob("*.conf"))]
    value = None
    for path in files:
        if path.is_file():
            for match in re.finditer(r"^\s*MaxRetentionSec\s*=\s*(\S*)\s*$", path.read_text(), re.M):
                value = match.group(1)
    if not value or value in ("0", "infinity"):
        return None
    total = 0
    for number, unit in re.findall(r"(\d+)\s*([a-zA-Z]*)", value):
        total += int(number) * TIME_UNITS.get(unit or "s", 0)
    return total or None


def retention_problems(days: int | None, stanza: Path, journald: Path) -> tuple[list[str], list[str]]:
    """/privacy says the logs are kept HOST_LOG_RETENTION_DAYS days: logrotate and journald must agree."""
    problems, notes = [], []
    if days is None:
        return problems, ["HOST_LOG_RETENTION_DAYS is not set: /privacy says that you have not stated how long "
                          "you keep the logs"]
    if not stanza.is_file():
        notes.append(f"{stanza} not found: nothing here shows that the nginx logs are kept {days} days "
                     "(deploy/logrotate/facerights, docs/HOSTING.md)")
    elif (rotate := logrotate_days(stanza)) != days:
        problems.append(f"{stanza}: rotate {rotate} keeps {rotate} days of logs, but HOST_LOG_RETENTION_DAYS "
                        f"(on /privacy) says {days}")
    kept = journald_retention_seconds(journald)
    if kept is None:
        problems.append(f"{journald}: no MaxRetentionSec, so the journal keeps gunicorn's log for as long as it "
                        f"has room, but HOST_LOG_RETENTION_DAYS (on /privacy) says {days} days; "
                        f"set MaxRetentionSec={days}day")
    elif kept > days * 86400:
        problems.append(f"{journald}: MaxRetentionSec keeps the journal {kept / 86400:g} days, but "
                        f"HOST_LOG_RETENTION_DAYS (on /privacy) says {days}")
    return problems, notes


@click.group("config", help="Check this instance's configuration.")
def config_command():
    pass


@config_command.command("check")
@click.option("--logrotate", "stanza", type=click.Path(path_type=Path), default=LOGROTATE_STANZA, show_default=True,
              help="The logrotate stanza of the nginx logs.")
@click.option("--journald", type=click.Path(path_type=Path), default=JOURNALD_CONFIGURATION, show_default=True,
              help="journald's configuration (its .d folder is read too).")
@with_appcontext
def check_command(stanza: Path, journald: Path):
    """Load the settings, the company records and the host files as a start would; one line per problem,
    exit status 1 if there is any. Run it before every restart (docs/HOSTING.md)."""
    app = current_app._get_current_object()
    host = app.extensions["facerights.host"]
    problems = unknown_variables(app, os.environ) + gunicorn_problems(os.environ)
    retention, notes = retention_problems(host.log_retention_days, stanza, journald)
    problems += retention
    notes += replaced_record_notes(app.extensions["facerights.registry"])
    if app.config["SECRET_KEY_FALLBACKS"]:
        notes.append(f"{len(app.config['SECRET_KEY_FALLBACKS'])} key(s) in SECRET_KEY_FALLBACKS: remove them "
                     f"once the answers they encrypted have expired (STATE_MAX_AGE after the rotation)")
    for note in notes:
        click.echo(f"note: {note}")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"FaceRights {VERSION}: the configuration is complete and consistent.")
