"""Schema migrations with Alembic, run from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; running it again is harmless."""
    command.upgrade(alembic_config(engine), revision)


def make_revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the difference between the models and the database.

    Revisions are numbered 0001, 0002, … so the history reads in order in the file list.
    """
    config = alembic_config(engine)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    next_number = len(list((MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))) + 1
    command.revision(config, message=message, autogenerate=True, rev_id=f"{next_number:04d}")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
