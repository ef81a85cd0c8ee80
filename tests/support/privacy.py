"""The check that nothing stored still identifies someone: every column of every table, from
the models' metadata, so a table added later is walked too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, vote


def cells_holding(engine: Engine, *values: str) -> list[str]:
    """Every "table.column" whose value contains one of `values` (any case)."""
    wanted = [value.lower() for value in values if value]
    found = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    text = str(value).lower() if value is not None else ""
                    found += [f"{table.name}.{column}" for v in wanted if v in text]
    return found


def assert_nothing_identifies(engine: Engine, *values: str) -> None:
    assert cells_holding(engine, *values) == []


def group_that_met(bot: BotUnderTest, *, note: str) -> Group:
    """A group after some weeks: a poll its mentor started and everyone answered, and a
    meeting yesterday the mentor logged through the form with a private `note`."""
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    for member in group.members:
        vote(bot, group, member, 0, "yes")
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    yesterday = int((bot.runtime.now() - timedelta(days=1)).timestamp())
    bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}},
            "attendees": {"value": [m.id for m in group.members]},
            "note": {"value": note},
        },
    )
    return group
