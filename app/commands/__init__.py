"""The command line, for workshops, automation and hosts: `flask --app wsgi <command>`.

Each command lives in its own module and validates with the same forms and rules as the web pages;
bad input exits 2 with one line per problem and writes nothing.
"""
from __future__ import annotations

from ..host.commands import config_command
from .companies import companies_command
from .followup import COMMANDS as FOLLOW_UP_COMMANDS
from .letter import letter_command
from .status import status_command


def register_commands(app) -> None:
    for command in (letter_command, companies_command, *FOLLOW_UP_COMMANDS, status_command, config_command):
        app.cli.add_command(command)
