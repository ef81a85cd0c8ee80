"""The `/mentor` subcommands: what each does, who may use it, and how command text splits.

This is the single catalogue the help overview and the router both read, so help never
lists a command that does not exist or hides one that does.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.limits import MAX_COMMAND_TEXT
from bot.domain.roles import Role
from bot.domain.text import clean
from bot.i18n import Phrase, nphrase, phrase

EVERYONE = frozenset(Role)
COORDINATORS = frozenset({Role.COORDINATOR})
MENTORS = frozenset({Role.MENTOR})
GROUP_MEMBERS = frozenset({Role.MENTOR, Role.MENTEE})


@dataclass(frozen=True)
class CommandSpec:
    name: str
    """The subcommand word(s) after `/mentor`, e.g. "help" or "group create"."""
    usage: str
    """The command as typed: never translated (the words of commands are the same in every
    language)."""
    summary: Phrase
    """What it does, said in the reader's language."""
    roles: frozenset[Role]


CATALOGUE: tuple[CommandSpec, ...] = (
    CommandSpec("help", "/mentor help", phrase("Show the commands you can use."), EVERYONE),
    CommandSpec(
        "poll",
        '/mentor poll [DATE; DATE; … deadline=WHEN; where="PLACE"]',
        phrase("In your group's channel: ask the group which dates work (no dates opens a form)."),
        MENTORS,
    ),
    CommandSpec(
        "poll add",
        "/mentor poll add WHEN",
        phrase("In your group's channel: add a date to the running poll."),
        MENTORS,
    ),
    CommandSpec(
        "poll deadline",
        "/mentor poll deadline WHEN",
        phrase("In your group's channel: move the running poll's deadline."),
        MENTORS,
    ),
    CommandSpec(
        "log",
        "/mentor log [WHEN] [theme=NAME]",
        phrase("In your group's channel: log a meeting (no WHEN opens a form)."),
        MENTORS,
    ),
    CommandSpec(
        "log list", "/mentor log list", phrase("Your group's logged meetings."), GROUP_MEMBERS
    ),
    CommandSpec(
        "meeting where",
        '/mentor meeting where "PLACE"',
        phrase(
            "In your group's channel: a new place (a room or a video link) for the next meeting."
        ),
        MENTORS,
    ),
    CommandSpec(
        "meeting move",
        "/mentor meeting move WHEN",
        phrase("In your group's channel: move the next meeting (e.g. `fri 16:00`)."),
        MENTORS,
    ),
    CommandSpec(
        "meeting cancel",
        "/mentor meeting cancel",
        phrase("In your group's channel: call off the next meeting."),
        MENTORS,
    ),
    CommandSpec(
        "status",
        "/mentor status",
        phrase("In your group's channel: meetings held, next meeting, open polls, themes covered."),
        GROUP_MEMBERS,
    ),
    CommandSpec(
        "themes", "/mentor themes", phrase("Post three theme ideas to your group."), GROUP_MEMBERS
    ),
    CommandSpec(
        "themes suggest",
        "/mentor themes suggest TEXT",
        phrase("Suggest a theme; your group sees it first."),
        GROUP_MEMBERS,
    ),
    CommandSpec(
        "themes add",
        "/mentor themes add NAME [| PROMPT; PROMPT]",
        phrase("Add a theme to the catalogue."),
        COORDINATORS,
    ),
    CommandSpec(
        "themes retire",
        "/mentor themes retire NAME",
        phrase("Stop suggesting a theme."),
        COORDINATORS,
    ),
    CommandSpec(
        "snooze",
        "/mentor snooze until DAY | off",
        phrase("No reminders or DMs from me through DAY (the channel's announcements still come)."),
        EVERYONE,
    ),
    CommandSpec(
        "digest", "/mentor digest", phrase("Get this week's digest now, as a DM."), COORDINATORS
    ),
    CommandSpec(
        "pause",
        '/mentor pause [group="NAME"] until DAY',
        phrase(
            "No nudges until DAY (included), for a group or the whole term; paused days don't "
            "count towards the pace."
        ),
        COORDINATORS,
    ),
    CommandSpec(
        "join",
        "/mentor join",
        phrase(
            "Sign up for this term as a mentor or mentee, or see, change or withdraw your sign-up."
        ),
        EVERYONE,
    ),
    CommandSpec("term", "/mentor term", phrase("Show the current term."), EVERYONE),
    CommandSpec(
        "term new",
        '/mentor term new "NAME" START END [min=N] [tz=ZONE] [lang=en|da|de|pt|pl]',
        phrase("Start a new term (dates as YYYY-MM-DD); it becomes the current one."),
        COORDINATORS,
    ),
    CommandSpec(
        "term close",
        "/mentor term close",
        phrase(
            "End the current term now: thank-yous, mentor summaries and the final report "
            "(asks first)."
        ),
        COORDINATORS,
    ),
    CommandSpec(
        "certify",
        "/mentor certify @user",
        phrase("Mark a mentor as trained and certified."),
        COORDINATORS,
    ),
    CommandSpec(
        "group create",
        '/mentor group create @mentor @mentee… [name="NAME"]',
        phrase("Form a group with its own private channel."),
        COORDINATORS,
    ),
    CommandSpec(
        "match",
        "/mentor match",
        phrase(
            "Propose this term's groups from the sign-ups: review, move people, lock groups, "
            "then approve to create them."
        ),
        COORDINATORS,
    ),
    CommandSpec(
        "group list",
        "/mentor group list",
        phrase("All groups this term, with their channels."),
        COORDINATORS,
    ),
    CommandSpec(
        "group add",
        '/mentor group add @user group="NAME"',
        phrase("Add someone to a group as a mentee."),
        COORDINATORS,
    ),
    CommandSpec(
        "group remove",
        '/mentor group remove @user [group="NAME"]',
        phrase("Take someone out of their group."),
        COORDINATORS,
    ),
)


def commands_for(roles: Iterable[Role]) -> list[CommandSpec]:
    """The catalogue entries any of `roles` may use, in catalogue order."""
    granted = set(roles) | {Role.MEMBER}
    return [spec for spec in CATALOGUE if spec.roles & granted]


def commands_others_use(roles: Iterable[Role]) -> list[CommandSpec]:
    """For a coordinator, what mentors and mentees use that the coordinator's own list
    lacks (so they can explain it); nothing for anyone else."""
    granted = set(roles)
    if Role.COORDINATOR not in granted:
        return []
    own = commands_for(granted)
    return [spec for spec in CATALOGUE if spec.roles & GROUP_MEMBERS and spec not in own]


@dataclass(frozen=True)
class CommandText:
    """`/mentor` text split into words; quoted phrases ("Spring 2027") stay one word."""

    words: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.words[0].lower() if self.words else ""

    def rest(self, skip: int = 1) -> tuple[str, ...]:
        return self.words[skip:]


class CommandTextError(ValueError):
    """The text cannot be split, e.g. an unclosed quote. `phrase` says what to type
    instead, in the reader's language; `str(error)` is the English, for logs and tests."""

    def __init__(self, message: Phrase) -> None:
        super().__init__(str(message))
        self.phrase = message


# Slack clients and phones turn straight quotes into curly ones as people type.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def split_command_text(text: str) -> CommandText:
    # Counted before anything else: a megabyte of text is refused at the cost of a len().
    if len(text) > MAX_COMMAND_TEXT:
        raise CommandTextError(
            nphrase(
                "That is too long for a command ({count} character; at most {most}). Give a "
                "shorter text, or use the form: `/mentor poll` or `/mentor log` alone opens one.",
                "That is too long for a command ({count} characters; at most {most}). Give a "
                "shorter text, or use the form: `/mentor poll` or `/mentor log` alone opens one.",
                len(text),
                most=MAX_COMMAND_TEXT,
            )
        )
    normalised = clean(text).translate(_QUOTES).replace("\u00a0", " ").strip()
    # Only double quotes group words: an apostrophe ("don't") is ordinary text here.
    lexer = shlex.shlex(normalised, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        words = list(lexer)
    except ValueError:
        raise CommandTextError(
            phrase(
                "A quote is not closed. Put quotes around a name with spaces, "
                'like "Spring 2027", or leave them out.'
            )
        ) from None
    return CommandText(words=tuple(_as_typed(word) for word in words))


_SLACK_MARKUP = re.compile(r"^<(?:[@#!]|https?:|mailto:)[^<>]*>$")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def _as_typed(word: str) -> str:
    """A word as the person typed it. Slack escapes `&`, `<` and `>` in command text (the
    manifest's `should_escape`) so that what people type cannot pass for the `<…>` of a
    mention or link they picked; those picked ones are kept as Slack sent them, everything
    else is stored as typed and escaped again wherever it is shown."""
    if _SLACK_MARKUP.match(word):
        return word
    for entity, character in _ENTITIES:
        word = word.replace(entity, character)
    return word
