"""The one way the poll services read a poll: with its group's context, options and votes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.polls import Answer, OptionTally, PollOption, Votes, tally
from bot.runtime import Runtime
from bot.services.group_context import GroupContext, load_context
from storage.db import Session, read_session
from storage.ids import stored_id
from storage.models import Poll, PollOptionRow, PollState
from storage.polls import PollRecord, load_poll


@dataclass(frozen=True)
class StoredPoll:
    """A poll as stored, with its group's context, read in one session."""

    record: PollRecord
    context: GroupContext
    options: tuple[PollOption, ...]
    votes: Votes

    @property
    def poll(self) -> Poll:
        return self.record.poll

    @property
    def poll_id(self) -> int:
        return stored_id(self.poll)

    @property
    def is_open(self) -> bool:
        return self.poll.state == PollState.OPEN

    @property
    def mentor_id(self) -> str:
        """The mentor who decides ties; the poll's author if the group has none now."""
        return self.context.mentor_ids[0] if self.context.mentor_ids else self.poll.created_by

    def tallies(self) -> list[OptionTally]:
        return tally(self.options, self.votes, self.context.member_ids)

    def option_row(self, option_id: int | None) -> PollOptionRow | None:
        return next((row for row in self.record.options if row.id == option_id), None)

    @property
    def winner(self) -> PollOption | None:
        """The option a closed poll chose, if any."""
        return next((o for o in self.options if o.option_id == self.poll.winner_option_id), None)


def stored_poll(session: Session, poll_id: int) -> StoredPoll | None:
    """The poll read within `session` (a unit of work that also writes uses this)."""
    record = load_poll(session, poll_id)
    if record is None:
        return None
    return StoredPoll(
        record=record,
        context=load_context(session, record.group),
        options=tuple(PollOption(stored_id(row), row.starts_at) for row in record.options),
        votes={key: Answer(answer) for key, answer in record.votes.items()},
    )


def read_poll(runtime: Runtime, poll_id: int) -> StoredPoll | None:
    """The poll as stored now; None if there is no such poll."""
    with read_session(runtime.engine) as session:
        return stored_poll(session, poll_id)
