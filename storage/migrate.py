"""Schema migrations with Alembic, run from the installed package (no alembic.ini needed).

Alembic is imported only when there is migrating to do: importing it costs each bot process
about 9 MB for good, and on most starts the schema is already current, which one query tells
(`upgrade_if_needed`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.db import schema_lock

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; running it again is harmless."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def upgrade_if_needed(engine: Engine) -> bool:
    """Bring the schema to the newest revision unless it is there already; True if it
    migrated."""
    newest = newest_revision()
    if stored_revision(engine) == newest:
        return False
    with schema_lock(engine):
        # Another process may have migrated while we waited for the lock.
        if stored_revision(engine) == newest:
            return False
        upgrade(engine)
    return True


def newest_revision() -> str:
    """The newest migration, by its number: revisions are numbered 0001, 0002, … in order
    (`make_revision`), and a test checks that this is Alembic's own head."""
    numbers = [
        match.group(1)
        for path in (MIGRATIONS / "versions").iterdir()
        if (match := _REVISION_FILE.match(path.name))
    ]
    return max(numbers)


def stored_revision(engine: Engine) -> str | None:
    """The revision the database is at, read without Alembic (None for a new database)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def make_revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the difference between the models and the database.

    Revisions are numbered 0001, 0002, … so the history reads in order in the file list.
    """
    from alembic import command

    config = alembic_config(engine)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    next_number = len(list((MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))) + 1
    command.revision(config, message=message, autogenerate=True, rev_id=f"{next_number:04d}")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
