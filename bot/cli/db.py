"""`mentorbot db …`: schema migrations."""

from __future__ import annotations

import click

from bot.cli.common import migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from storage.db import make_engine
from storage.migrate import current_revision, make_revision


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations (also done by `mentorbot run`)."""
    runtime = migrated_runtime(settings_or_exit(slack=False))
    click.echo(f"database schema at revision {current_revision(runtime.engine)}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a migration from model changes (for developers)."""
    settings = settings_or_exit(slack=False)
    if not message.strip():
        fail("give the migration a message with -m")
    make_revision(make_engine(settings.database_url), message)
