"""The people of the sandbox's workspace and the demo term, set up through the bot's real
commands and clicks (signed, to its HTTP endpoint), so that what the visitor finds is
exactly what those commands leave in Slack.

The demo term started eleven weeks before the sandbox's clock and runs eight more weeks,
with four groups at different stages:

* Oak — formed today: only the welcome (and, at 10:00, a nudge: no meeting yet);
* Maple — met once; an open date poll that three of five have answered;
* Birch — met twice: on track;
* Willow — met once, long ago, nothing planned: behind pace.

Beside them, five people signed up for the term with the `/mentor join` form and wait for
the coordinator to run `/mentor match`: a certified mentor with room for one group, three
mentees who fit with her (one asked for her, two asked for each other) and one who speaks
only Portuguese, whom the proposal leaves out with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.blocks.ids import (
    SIGNUP_CAPACITY,
    SIGNUP_FRIEND,
    SIGNUP_LANGUAGES,
    SIGNUP_MODAL,
    SIGNUP_PREFERRED_MENTOR,
    SIGNUP_PROGRAMME,
    SIGNUP_ROLE,
    SIGNUP_YEAR,
    signup_times_block,
)
from bot.sandbox import fake
from bot.sandbox.app import COORDINATOR_ID

if TYPE_CHECKING:
    from bot.sandbox.app import Sandbox

MIN_MEETINGS = 4
TERM_WEEKS_GONE = 11
TERM_WEEKS_LEFT = 8


@dataclass(frozen=True)
class Cast:
    handle: str
    real_name: str


COORDINATOR = Cast("maria.jensen", "Maria Jensen")
OUTSIDER = Cast("peter.madsen", "Peter Madsen")


@dataclass(frozen=True)
class DemoGroup:
    name: str
    mentor: Cast
    mentees: tuple[Cast, ...]
    # Past meetings: (weeks before the start, weekday 0-6, hour, theme or None).
    meetings: tuple[tuple[int, int, int, str | None], ...] = ()


GROUPS = (
    DemoGroup(
        "Oak",
        Cast("jonas.holm", "Jonas Holm"),
        (
            Cast("ida.nielsen", "Ida Nielsen"),
            Cast("malik.haddad", "Malik Haddad"),
            Cast("freja.andersen", "Freja Andersen"),
        ),
    ),
    DemoGroup(
        "Maple",
        Cast("sofie.lund", "Sofie Lund"),
        (
            Cast("emil.larsen", "Emil Larsen"),
            Cast("aisha.rahman", "Aisha Rahman"),
            Cast("oliver.berg", "Oliver Berg"),
            Cast("clara.schmidt", "Clara Schmidt"),
        ),
        meetings=((5, 2, 16, "motivation"),),
    ),
    DemoGroup(
        "Birch",
        Cast("amara.okafor", "Amara Okafor"),
        (
            Cast("noah.pedersen", "Noah Pedersen"),
            Cast("lea.kristensen", "Lea Kristensen"),
            Cast("mateo.garcia", "Mateo García"),
        ),
        meetings=((7, 2, 16, "motivation"), (3, 3, 15, None)),
    ),
    DemoGroup(
        "Willow",
        Cast("lukas.brandt", "Lukas Brandt"),
        (
            Cast("yusuf.demir", "Yusuf Demir"),
            Cast("anna.kowalska", "Anna Kowalska"),
            Cast("sara.holt", "Sara Holt"),
        ),
        meetings=((8, 1, 17, None),),
    ),
)


@dataclass(frozen=True)
class Applicant:
    """Someone who signed up with the form and is in no group yet."""

    cast: Cast
    role: str
    programme: str
    year: str
    languages: tuple[str, ...]
    afternoons: tuple[str, ...]
    preferred_mentor: str | None = None
    """The handle of the mentor they asked for."""
    friend: str | None = None
    """The handle of the friend they asked to be grouped with."""


WAITING_MENTOR = Applicant(
    Cast("karen.moller", "Karen Møller"),
    "mentor",
    "Medicine",
    "5th year",
    ("da", "en"),
    ("tue-afternoon", "wed-afternoon", "thu-afternoon"),
)
WAITING = (
    WAITING_MENTOR,
    Applicant(
        Cast("viktor.sorensen", "Viktor Sørensen"),
        "mentee",
        "Medicine",
        "1st year",
        ("da",),
        ("tue-afternoon", "thu-afternoon"),
        preferred_mentor=WAITING_MENTOR.cast.handle,
    ),
    Applicant(
        Cast("nora.ali", "Nora Ali"),
        "mentee",
        "Pharmacy",
        "1st year",
        ("da", "en"),
        ("tue-afternoon", "wed-afternoon", "thu-afternoon"),
        friend="jakob.winther",
    ),
    Applicant(
        Cast("jakob.winther", "Jakob Winther"),
        "mentee",
        "Medicine",
        "2nd year",
        ("da", "en"),
        ("tue-afternoon", "thu-afternoon"),
        friend="nora.ali",
    ),
    Applicant(
        Cast("lucas.ferreira", "Lucas Ferreira"),
        "mentee",
        "Public health",
        "1st year",
        ("pt",),
        ("tue-afternoon",),
    ),
)

POLL = "poll thu 16:00; fri 14:00; deadline=wed 18:00"
# Who answers the Maple poll, and how, per date: Oliver and Clara have not answered yet.
VOTES = {
    "sofie.lund": ("yes", "if_need_be"),
    "emil.larsen": ("yes", "yes"),
    "aisha.rahman": ("yes", "no"),
}


def seed_people(sandbox: Sandbox) -> None:
    """Everyone, in the workspace only (the bot knows nobody yet), and #general for all."""
    slack = sandbox.slack
    slack.add_user(COORDINATOR.handle, user_id=COORDINATOR_ID, real_name=COORDINATOR.real_name)
    sandbox.roles[COORDINATOR_ID] = "coordinator"
    everyone = [COORDINATOR_ID]
    for group in GROUPS:
        for number, cast in enumerate((group.mentor, *group.mentees)):
            user = slack.add_user(cast.handle, real_name=cast.real_name)
            everyone.append(user.id)
            if not sandbox.options.empty:
                role = "mentor" if number == 0 else "mentee"
                sandbox.roles[user.id] = f"{role} · {group.name}"
    for applicant in WAITING:
        user = slack.add_user(applicant.cast.handle, real_name=applicant.cast.real_name)
        everyone.append(user.id)
        if not sandbox.options.empty:
            sandbox.roles[user.id] = f"{applicant.role} · signed up, no group yet"
    outsider = slack.add_user(OUTSIDER.handle, real_name=OUTSIDER.real_name)
    everyone.append(outsider.id)
    sandbox.roles[outsider.id] = "not in the scheme" if not sandbox.options.empty else ""
    slack.add_channel("general", everyone)


def seed_demo(sandbox: Sandbox) -> None:
    """The demo term and its four groups, through the coordinator's and mentors' commands."""
    start = sandbox.now().astimezone(sandbox.zone)
    handles = {u.name: u.id for u in sandbox.slack.workspace.users.values()}
    office = sandbox.app_dm(COORDINATOR_ID).id

    def coordinator(text: str) -> None:
        _expect_ok(sandbox.command(COORDINATOR_ID, office, text), text)

    coordinator(term_command(start.date(), sandbox.options.timezone))
    for mentor in (*(g.mentor for g in GROUPS), WAITING_MENTOR.cast):
        coordinator(f"certify @{mentor.handle}")
    for group in GROUPS:
        members = " ".join(f"@{c.handle}" for c in (group.mentor, *group.mentees))
        coordinator(f'group create {members} name="{group.name}"')
    for group in GROUPS:
        mentor_id = handles[group.mentor.handle]
        channel_id = _group_channel(sandbox, mentor_id, group.name)
        for weeks, weekday, hour, theme in group.meetings:
            when = _past_moment(start.date(), weeks, weekday, hour)
            text = f"log {when:%Y-%m-%d %H:%M}" + (f" theme={theme}" if theme else "")
            _expect_ok(sandbox.command(mentor_id, channel_id, text), text)
    for applicant in WAITING:
        sign_up(sandbox, handles, applicant)
    maple = next(g for g in GROUPS if g.name == "Maple")
    # A visitor starts as Maple's mentor: a group channel with a poll under way.
    sandbox.first_person = handles[maple.mentor.handle]
    maple_channel = _group_channel(sandbox, handles[maple.mentor.handle], maple.name)
    _expect_ok(sandbox.command(handles[maple.mentor.handle], maple_channel, POLL), POLL)
    poll = _last_poll(sandbox, maple_channel)
    actions = [b for b in poll.blocks if b.get("type") == "actions" and "_vote" in b["block_id"]]
    for handle, answers in VOTES.items():
        for block, answer in zip(actions, answers, strict=False):
            button = next(e for e in block["elements"] if e["action_id"].endswith(answer))
            sandbox.click(
                handles[handle],
                channel_id=maple_channel,
                message_ts=poll.ts,
                action_id=button["action_id"],
                block_id=block["block_id"],
                value=button["value"],
            )


def sign_up(sandbox: Sandbox, handles: dict[str, str], applicant: Applicant) -> None:
    """`/mentor join` in the person's DM with the app, the role, the form; then they close
    the thank-you, as a person does."""
    user_id = handles[applicant.cast.handle]
    _expect_ok(sandbox.command(user_id, sandbox.app_dm(user_id).id, "join"), "join")
    chooser = _top_modal(sandbox, user_id)
    _expect_ok(
        sandbox.submit_view(user_id, chooser.id, {SIGNUP_ROLE: {"value": applicant.role}}),
        "join (the role)",
    )
    answers: dict[str, dict[str, Any]] = {
        SIGNUP_PROGRAMME: {"value": applicant.programme},
        SIGNUP_YEAR: {"value": applicant.year},
        SIGNUP_LANGUAGES: {"value": list(applicant.languages)},
        signup_times_block("afternoon"): {"value": list(applicant.afternoons)},
    }
    if applicant.role == "mentor":
        answers[SIGNUP_CAPACITY] = {"value": "1"}
    if applicant.preferred_mentor:
        answers[SIGNUP_PREFERRED_MENTOR] = {"value": handles[applicant.preferred_mentor]}
    if applicant.friend:
        answers[SIGNUP_FRIEND] = {"value": handles[applicant.friend]}
    form = _top_modal(sandbox, user_id)
    _expect_ok(sandbox.submit_view(user_id, form.id, answers), "join (the form)")
    thanks = _top_modal(sandbox, user_id)
    if thanks.callback_id == SIGNUP_MODAL:
        raise RuntimeError(f"the demo's sign-up was refused: {thanks.errors}")
    sandbox.close_view(user_id, thanks.id)


def _top_modal(sandbox: Sandbox, user_id: str) -> fake.View:
    modals = sandbox.slack.open_views(user_id)
    if not modals:
        raise RuntimeError("the bot opened no form for /mentor join")
    return modals[-1]


def term_command(today: date, timezone: str) -> str:
    starts_on = today - timedelta(weeks=TERM_WEEKS_GONE)
    ends_on = today + timedelta(weeks=TERM_WEEKS_LEFT, days=3)
    season = "Spring" if today.month <= 6 else "Autumn"
    return (
        f'term new "{season} {today.year}" {starts_on:%Y-%m-%d} {ends_on:%Y-%m-%d} '
        f"min={MIN_MEETINGS} tz={timezone}"
    )


def _past_moment(today: date, weeks: int, weekday: int, hour: int) -> datetime:
    monday = today - timedelta(days=today.weekday(), weeks=weeks)
    return datetime.combine(monday + timedelta(days=weekday), time(hour, 0))


def _group_channel(sandbox: Sandbox, mentor_id: str, name: str) -> str:
    for channel in fake.conversations_of(sandbox.slack, mentor_id):
        if channel.is_private and name.lower() in channel.name:
            return channel.id
    raise RuntimeError(f"the bot made no channel for the {name} group")


def _last_poll(sandbox: Sandbox, channel_id: str) -> fake.Message:
    for message in reversed(sandbox.slack.messages_in(channel_id)):
        if any(str(b.get("block_id", "")).startswith("poll") for b in message.blocks):
            return message
    raise RuntimeError("the demo poll was not posted")


def _expect_ok(outcome: object, what: str) -> None:
    if not getattr(outcome, "ok", False):
        raise RuntimeError(f"the demo could not run /mentor {what}: {outcome}")
