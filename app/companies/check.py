"""`flask --app wsgi companies check [--max-age DAYS]`: which records' contact details are too old.

Contact details go stale (peers' data "rots" within months): a host runs this from a scheduled job. It lists
every record whose last verification is more than DAYS days old and exits 1 if there is one, 0 if none.
"""
from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

DEFAULT_MAX_AGE_DAYS = 180


def stale_records(registry, today: date, max_age_days: int) -> list[tuple[object, int]]:
    """Each company whose contact details were last verified more than ``max_age_days`` before ``today``,
    with their age in days, oldest first."""
    aged = [(company, (today - company.last_verified).days) for company in registry]
    return sorted([(company, age) for company, age in aged if age > max_age_days], key=lambda item: -item[1])


@click.command("check")
@click.option("--max-age", "max_age_days", type=click.IntRange(min=1), default=DEFAULT_MAX_AGE_DAYS,
              show_default=True, help="Days after which a record's last verification is too old.")
@with_appcontext
def check_command(max_age_days):
    """List the records whose contact details were last verified more than --max-age days ago (exit 1 if any)."""
    registry = current_app.extensions["facerights.registry"]
    stale = stale_records(registry, date.today(), max_age_days)
    for company, age in stale:
        click.echo(f"{company.slug}: last verified {company.last_verified.isoformat()}, {age} days ago "
                   f"(more than {max_age_days}); check its contact details and update its record")
    if stale:
        raise SystemExit(1)
    click.echo(f"all {len(registry)} records verified within the last {max_age_days} days")
