"""The belonging pulse: each round's DM to every participant of a term (once), answers stored
without the person, skipping and stopping, and the results per term and role.

Who answered is kept only as markers (bot/domain/pulse.py `marker`), keyed with a secret
derived from the Slack signing secret, which is not in the database. Someone holding the
database alone can tell neither who answered nor what; someone holding the secret too can
tell who answered which statement of a round, never the score (the answers carry no marker,
no person, no group and no time). Rotating the signing secret while a round is open lets
people answer its statements once more: a small price for a key nobody has to manage.

A pulse is not a reminder: snoozed people get it too; only those who stopped it do not.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks.pulse import pulse_blocks, pulse_text
from bot.domain.digest import counted
from bot.domain.pulse import (
    STATEMENTS,
    PulseSummary,
    RoundKind,
    RoundWindow,
    marker,
    open_window,
    parse_click,
    round_windows,
    summarise,
    window_of,
)
from bot.i18n import Phrase, phrase
from bot.runtime import Runtime
from bot.services.job_runs import JobRun
from bot.services.language import reader
from bot.services.outbox import send_once
from storage.db import Session, read_session, write_session
from storage.ids import stored_id
from storage.models import Term
from storage.progress import current_terms
from storage.pulse import (
    answer_counts,
    groups_formed_on,
    marked_among,
    open_round,
    participants,
    record_answer,
    record_marks,
    role_in_term,
    round_by_id,
    rounds_of_term,
    sent_to,
    stop_pulse,
)

PULSE_JOB = "pulse"
OUTBOX_KIND = "pulse"
SEND_HOURS = range(10, 18)
"""Check-ins go out on weekdays in the daytime, term time."""


def marker_key(runtime: Runtime) -> bytes:
    """The markers' key: derived from the signing secret, so it is never stored."""
    secret = runtime.settings.slack_signing_secret.encode()
    return hmac.new(secret, b"mentorbot belonging pulse markers", hashlib.sha256).digest()


def _windows(session: Session, term: Term) -> tuple[RoundWindow, ...]:
    formed = groups_formed_on(session, term)
    zone = ZoneInfo(term.timezone)
    return round_windows(
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        groups_from=formed.astimezone(zone).date() if formed is not None else None,
    )


def _today(term: Term, now: datetime) -> date:
    return now.astimezone(ZoneInfo(term.timezone)).date()


# -- Sending ----------------------------------------------------------------------------


@dataclass
class PulseReport:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        failed = f"; {self.failed} failed, retried next run" if self.failed else ""
        return f"sent {counted(self.sent, 'check-in')}{failed}"


@dataclass(frozen=True)
class _Due:
    term_id: int
    round_id: int
    window: RoundWindow
    to_send: dict[str, str]


def run_pulse(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> PulseReport:
    """Send each open round's DM to every participant who has not had it, each person on
    their own: one whose DM fails is recorded in `run` and sent by the next run."""
    run = run or JobRun(runtime, PULSE_JOB)
    report = PulseReport()
    for due in _due_rounds(runtime):
        for user_id in sorted(due.to_send):
            send = partial(_send_dm, runtime, client, user_id, due)
            sent = run.attempt(
                f"pulse:{due.round_id}:person:{user_id}",
                partial(
                    send_once,
                    runtime,
                    kind=OUTBOX_KIND,
                    key=f"{due.round_id}:{user_id}",
                    send=send,
                    raise_errors=True,
                ),
            )
            report.sent += bool(sent)
    report.failed = len(run.failed)
    return report


def _due_rounds(runtime: Runtime) -> list[_Due]:
    now = runtime.now()
    due: list[_Due] = []
    with write_session(runtime.engine) as session:
        for term in current_terms(session):
            local = now.astimezone(ZoneInfo(term.timezone))
            if local.weekday() >= 5 or local.hour not in SEND_HOURS:
                continue
            window = open_window(_windows(session, term), local.date())
            if window is None:
                continue
            recipients = participants(session, term_id=stored_id(term))
            if not recipients:
                continue
            # A term closed early (`/mentor term close`) opens no new round; one already
            # open still reaches whoever has not had it.
            if term.closed_at is not None and not any(
                r.kind == window.kind.value for r in rounds_of_term(session, stored_id(term))
            ):
                continue
            pulse_round = open_round(
                session, term_id=stored_id(term), kind=window.kind.value, now=now
            )
            round_id = stored_id(pulse_round)
            done = sent_to(session, kind=OUTBOX_KIND, round_id=round_id)
            to_send = {u: role for u, role in recipients.items() if u not in done}
            due.append(_Due(stored_id(term), round_id, window, to_send))
    return due


def _send_dm(runtime: Runtime, client: WebClient, user_id: str, due: _Due) -> None:
    t = reader(runtime, user_id)
    last_day = due.window.closes_on - timedelta(days=1)
    client.chat_postMessage(
        channel=user_id,
        text=pulse_text(t, kind=due.window.kind),
        blocks=pulse_blocks(
            t, round_id=due.round_id, kind=due.window.kind, answered=frozenset(), until=last_day
        ),
    )


# -- Answering --------------------------------------------------------------------------


class Outcome(StrEnum):
    STORED = "stored"
    ALREADY = "already"
    CLOSED = "closed"
    NOT_PARTICIPANT = "not participant"
    FORGED = "forged"


REFUSALS: dict[Outcome, Phrase] = {
    Outcome.CLOSED: phrase("This check-in is closed now; thanks all the same!"),
    Outcome.NOT_PARTICIPANT: phrase(
        "This check-in is for the members of this term's mentor groups."
    ),
    Outcome.FORGED: phrase("That button is out of date; please use your latest check-in."),
}


def _authorise(
    session: Session, *, round_id: int, user_id: str, now: datetime
) -> tuple[Outcome, str | None, RoundKind | None]:
    """Whether the round is open and `user_id` takes part in its term; their role if so."""
    found = round_by_id(session, round_id)
    if found is None:
        return Outcome.FORGED, None, None
    pulse_round, term = found
    kind = RoundKind(pulse_round.kind)
    window = window_of(_windows(session, term), kind)
    if not term.is_current or window is None or not window.is_open(_today(term, now)):
        return Outcome.CLOSED, None, kind
    role = role_in_term(session, term_id=stored_id(term), user_id=user_id)
    if role is None:
        return Outcome.NOT_PARTICIPANT, None, kind
    return Outcome.STORED, role, kind


def store_answer(runtime: Runtime, *, user_id: str, value: str) -> Outcome:
    """One click on the scale, stored before it is acknowledged: the round must be open, the
    clicker a participant of its term (the role is theirs there, never the button's), the
    statement and score ones we ask. A statement is answered once per person and round."""
    click = parse_click(value)
    if click is None:
        return Outcome.FORGED
    key = marker_key(runtime)
    now = runtime.now()

    def work(session: Session) -> Outcome:
        outcome, role, _ = _authorise(session, round_id=click.round_id, user_id=user_id, now=now)
        if role is None:
            return outcome
        stored = record_answer(
            session,
            round_id=click.round_id,
            marker=marker(key, round_id=click.round_id, statement=click.statement, user_id=user_id),
            role=role,
            statement=click.statement,
            score=click.score,
        )
        return Outcome.STORED if stored else Outcome.ALREADY

    return runtime.write(work)


@dataclass(frozen=True)
class PulseDm:
    """What a participant's DM of one round shows now."""

    round_id: int
    kind: RoundKind
    answered: frozenset[int]
    until: date


def dm_now(runtime: Runtime, *, user_id: str, round_id: int) -> PulseDm | None:
    """The round's DM as `user_id` should see it: the statements they answered (or skipped)
    thanked for, the others still to answer. None for a round that does not exist."""
    key = marker_key(runtime)
    with read_session(runtime.engine) as session:
        found = round_by_id(session, round_id)
        if found is None:
            return None
        pulse_round, term = found
        kind = RoundKind(pulse_round.kind)
        window = window_of(_windows(session, term), kind)
        markers = {
            marker(key, round_id=round_id, statement=s, user_id=user_id): s for s in STATEMENTS
        }
        done = marked_among(session, round_id=round_id, markers=markers)
    until = (window.closes_on - timedelta(days=1)) if window else term.ends_on
    return PulseDm(round_id, kind, frozenset(markers[m] for m in done), until)


def skip_round(runtime: Runtime, *, user_id: str, round_id: int) -> Outcome:
    """ "Skip this time": the statements still unanswered are marked done, with no answer."""
    key = marker_key(runtime)
    now = runtime.now()
    with write_session(runtime.engine) as session:
        outcome, role, _ = _authorise(session, round_id=round_id, user_id=user_id, now=now)
        if role is None:
            return outcome
        record_marks(
            session,
            round_id=round_id,
            markers=[
                marker(key, round_id=round_id, statement=s, user_id=user_id) for s in STATEMENTS
            ],
        )
    return Outcome.STORED


def stop(runtime: Runtime, *, user_id: str) -> None:
    """ "Stop these check-ins": no more pulse DMs to `user_id`, in any term."""
    with write_session(runtime.engine) as session:
        stop_pulse(session, user_id=user_id, now=runtime.now())


# -- Results ----------------------------------------------------------------------------


def term_pulse(runtime: Runtime, term: Term) -> PulseSummary:
    """The term's results per round and role; figures below the threshold are withheld
    (bot/domain/pulse.py `summarise`)."""
    with read_session(runtime.engine) as session:
        counts = answer_counts(session, term_id=stored_id(term))
        held = [r.kind for r in rounds_of_term(session, stored_id(term))]
    return summarise(counts, held=held)
