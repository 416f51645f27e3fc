"""`flask --app wsgi companies`: list the registry, export and import records (Datenanfragen format)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..companies import RegistryError
from ..companies.check import check_command
from ..companies.datenanfragen import FormatError, from_datenanfragen, to_datenanfragen
from .common import fail


@click.group("companies", invoke_without_command=True)
@click.pass_context
@with_appcontext
def companies_command(context):
    """List the company registry (with no subcommand), check how old its records are, or export and import them."""
    if context.invoked_subcommand is not None:
        return
    for company in current_app.extensions["facerights.registry"]:
        channels = ", ".join(company.channels)
        click.echo(f"{company.slug:15} {company.name:25} {channels:24} "
                   f"{company.verification} last verified {company.last_verified.isoformat()}")


@companies_command.command("export")
@click.option("--format", "export_format", type=click.Choice(["datenanfragen"]), required=True)
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def companies_export(export_format, out_dir):
    """Write every record as a Datenanfragen record, OUT_DIR/<slug>.json."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail([f"OUT_DIR: cannot create {out_dir} ({error.strerror})"])
    for company in current_app.extensions["facerights.registry"]:
        try:
            record = to_datenanfragen(company.record)
        except FormatError as error:
            click.echo(f"skipped: {error}", err=True)
            continue
        path = out_dir / f"{company.slug}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=4) + "\n", encoding="utf-8")
        click.echo(str(path))


@companies_command.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a record of the same slug in the instance folder.")
@with_appcontext
def companies_import(file, force):
    """Turn a Datenanfragen record into one of ours, in the instance's companies folder."""
    try:
        entry = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        fail([f"FILE: cannot read {file} as JSON ({error})"])
    try:
        record = from_datenanfragen(entry, date.today())
    except (FormatError, RegistryError) as error:
        fail([f"FILE: {error}"])
    folder = Path(current_app.config["COMPANIES_FOLDER"] or Path(current_app.instance_path) / "companies")
    target = folder / f"{record['slug']}.json"
    if target.exists() and not force:
        fail([f"{target} exists; use --force to replace it"])
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{target}: imported; check establishment, representative, photo and enforcement fields")


companies_command.add_command(check_command)
