"""A poll before it is stored: the dates offered, the meeting's length and the deadline, read
from what the mentor typed or picked and held to the rules. The short command
(`/mentor poll thu 16:00; fri 14:00; deadline=…; where=…`) and the poll form both go through
`draft_poll`; each problem names the form field it belongs to, so the form shows it there and
the command shows the same words as one reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.blocks.ids import DEADLINE, LENGTH, OPTIONS_TEXT, WHERE, picked_block
from bot.domain.dates import (
    DateNotUnderstood,
    check_picked_datetime,
    understand_datetime,
)
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.domain.limits import MAX_POLL_FORM_TEXT
from bot.domain.places import clean_place
from bot.domain.polls import (
    LENGTH_CHOICES,
    MAX_OPTIONS,
    check_deadline,
    check_option_count,
    check_options,
    default_deadline,
)
from bot.domain.said import number_said
from bot.domain.text import Mrkdwn, clean, shorten
from bot.i18n import Phrase, Translator, nphrase, phrase
from bot.runtime import Runtime
from bot.services.group_context import GroupContext, group_context


@dataclass(frozen=True)
class PollDraft:
    """A poll that passed every rule, ready to be stored."""

    starts: tuple[datetime, ...]
    length_minutes: int
    deadline: datetime
    location: str | None = None
    """Where the group will meet (a room or a video link), if the mentor said."""


def poll_mentor_context(
    runtime: Runtime, *, channel_id: str | None, group_id: int | None, user_id: str
) -> GroupContext:
    """The group a mentor is starting a poll for, refusing anyone but its mentor and groups
    of a finished term."""
    try:
        context = group_context(runtime, channel_id=channel_id, group_id=group_id, user_id=user_id)
    except UserError:
        # The lookup's one refusal: no group there (a poll says where to start one instead).
        raise UserError(phrase("Start a date poll in your mentor group's channel.")) from None
    if user_id not in context.mentor_ids:
        raise UserError(phrase("Only the group's mentor can start a date poll."))
    if not context.term.is_current:
        raise UserError(phrase("This group's term is over."))
    return context


def date_problem(error: DateNotUnderstood) -> Phrase | str:
    """What is wrong with a typed date, as bot/domain/dates.py words it: a Phrase said in
    the reader's language where it gives one, its English text otherwise."""
    found = error.args[0] if error.args else ""
    return found if isinstance(found, Phrase) else str(error)


def reworded(error: UserError) -> Phrase | str:
    """A refusal to raise again elsewhere (on another field, from another service) that is
    still said in the reader's language."""
    return error.phrase if error.phrase is not None else error.message


@dataclass(frozen=True)
class _Lines(Phrase):
    """Several problems said one per line, each in the reader's language."""

    problems: tuple[UserError, ...] = ()

    def say(self, t: Translator) -> Mrkdwn:
        return Mrkdwn("\n".join(problem.say(t) for problem in self.problems))


def form_options(text: str) -> list[str]:
    """The form's typed dates, one per line. A forged submission can carry any amount of
    text: it is measured before a line of it is read as a date."""
    if len(text) > MAX_POLL_FORM_TEXT:
        raise FieldError(
            OPTIONS_TEXT,
            nphrase(
                "That is {length} characters; write at most {count} date, one per line "
                "({limit} characters in all).",
                "That is {length} characters; write at most {count} dates, one per line "
                "({limit} characters in all).",
                MAX_OPTIONS,
                length=number_said(len(text)),
                limit=number_said(MAX_POLL_FORM_TEXT),
            ),
        )
    return [line.strip() for line in clean(text).splitlines() if line.strip()]


def draft_poll(
    context: GroupContext,
    typed_options: Sequence[str],
    picked_options: Sequence[int | None],
    length_minutes: int,
    deadline_text: str | None,
    *,
    now: datetime,
    where: str | None = None,
) -> PollDraft:
    """The poll the mentor asked for: `typed_options` as typed, `picked_options` as the
    pickers' Unix times (None where nothing was picked), in the form's order, and `where`
    the group will meet. Raises a FieldError, or FormErrors when several fields have
    problems, naming each one's block."""
    try:
        check_option_count(len(typed_options))
    except UserError as error:
        raise FieldError(OPTIONS_TEXT, reworded(error)) from None
    starts, problems = _typed_starts(context, typed_options, now=now)
    picked, picked_problems = _picked_starts(context, picked_options, now=now)
    starts += picked
    problems += picked_problems
    if length_minutes not in LENGTH_CHOICES:
        problems.append(FieldError(LENGTH, phrase("Choose one of the meeting lengths offered.")))
    location = None
    try:
        location = clean_place(where)
    except UserError as error:
        problems.append(FieldError(WHERE, reworded(error)))
    if problems:
        raise FormErrors(
            problems,
            message=phrase(
                "Nothing was posted.\n{problems}", problems=_Lines("", problems=tuple(problems))
            ),
        )
    try:
        check_options(starts)
    except UserError as error:
        raise FieldError(OPTIONS_TEXT, reworded(error)) from None
    return PollDraft(
        starts=tuple(starts),
        length_minutes=length_minutes,
        deadline=resolve_deadline(context, deadline_text, starts=starts, now=now),
        location=location,
    )


Found = tuple[list[datetime], list[FieldError]]
"""The dates read from some of the fields, and the problems of the others."""


def _typed_starts(context: GroupContext, texts: Sequence[str], *, now: datetime) -> Found:
    """Each typed option as a date; the problems, one per option naming it and what to
    type, are all the typed field's (shown there one per line)."""
    starts, problems = [], []
    for number, text in enumerate(texts, start=1):
        try:
            starts.append(_understand(context, text, now=now))
        except DateNotUnderstood as error:
            problems.append(
                FieldError(
                    OPTIONS_TEXT,
                    phrase(
                        "Option {number} “{text}”: {problem}",
                        number=number,
                        text=shorten(text),
                        problem=date_problem(error),
                    ),
                )
            )
    return starts, problems


def _picked_starts(
    context: GroupContext, picked_options: Sequence[int | None], *, now: datetime
) -> Found:
    """Each picked date; the problems of those refused, each on its picker."""
    starts, problems = [], []
    for number, picked in enumerate(picked_options, start=1):
        if picked is None:
            continue
        try:
            starts.append(_picked_start(context, picked, now=now))
        except UserError as error:
            problems.append(FieldError(picked_block(number), reworded(error)))
    return starts, problems


def _picked_start(context: GroupContext, unix_time: int, *, now: datetime) -> datetime:
    """A date picked in the form, held to the rules of typed ones: ahead, within a year and
    within the term. A picker's value is client data; a forged one can be any moment."""
    try:
        moment = datetime.fromtimestamp(unix_time, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise UserError(phrase("Pick a date and time with the picker.")) from None
    term_start, term_end = _term_window(context)
    try:
        check_picked_datetime(
            moment,
            now=now,
            zone=context.zone,
            not_before=term_start,
            not_after=term_end,
        )
    except DateNotUnderstood as error:
        problem = date_problem(error)
        raise UserError(problem if isinstance(problem, Phrase) else f"{problem}.") from None
    return moment


def resolve_deadline(
    context: GroupContext, text: str | None, *, starts: Sequence[datetime], now: datetime
) -> datetime:
    """The deadline typed (`text`), or the default when nothing was; refused on its field."""
    first = min(starts)
    text = (text or "").strip()
    if not text:
        return default_deadline(now, first)
    try:
        deadline = _understand(context, text, now=now)
    except DateNotUnderstood as error:
        raise FieldError(
            DEADLINE,
            phrase("Deadline “{text}”: {problem}", text=shorten(text), problem=date_problem(error)),
        ) from None
    try:
        check_deadline(deadline, now=now, first_option=first)
    except UserError as error:
        raise FieldError(DEADLINE, reworded(error)) from None
    return deadline


def _term_window(context: GroupContext) -> tuple[datetime, datetime]:
    """The first and last moment of the group's term, in its time zone."""
    zone = context.zone
    return (
        datetime.combine(context.term.starts_on, datetime.min.time(), tzinfo=zone),
        datetime.combine(context.term.ends_on, datetime.max.time(), tzinfo=zone),
    )


def understand_meeting_date(context: GroupContext, text: str, *, now: datetime) -> datetime:
    """A typed date held to the rules of a poll's dates: not past, within the term (a planned
    meeting is moved by the same rules)."""
    return _understand(context, text, now=now)


def _understand(context: GroupContext, text: str, *, now: datetime) -> datetime:
    term_start, term_end = _term_window(context)
    return understand_datetime(
        text,
        now=now,
        zone=context.zone,
        languages=context.languages,
        not_before=term_start,
        not_after=term_end,
    )
