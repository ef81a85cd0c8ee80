"""What the database holds about one person, found, exported, pseudonymised or erased, and
the retention rules' statements.

The search is generic: every text column of every table (from the models' metadata) is
looked at, so a table or column added later is covered without a change here. A person's
Slack ID appears as a whole column value (participant, membership, vote, attendance, polls'
and meetings' authors, …) and inside longer values (outbox keys such as "12:U0ABC", job
failure subjects, mentions `<@U0ABC>` in what people typed); it is matched only where it
stands alone, so that U12 never matches inside U123.

`person.slack_user_id` is a primary key that `participant` and `membership` reference: it
is replaced by inserting the pseudonymous row first, repointing every reference, and then
deleting the old row, all in the caller's transaction. That order keeps every foreign key
satisfied at every statement, so it needs no deferred constraints and no ON UPDATE CASCADE
and behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    String,
    Table,
    TypeDecorator,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as select_models

from storage.models import (
    Meeting,
    Membership,
    MentorGroup,
    Participant,
    Person,
    Term,
    table_of,
)
from storage.types import EnumString

PERSON_TABLE = "person"

SUBJECT_COLUMNS = {"slack_user_id"}
"""Rows whose subject is the person (their roster entry, membership, votes, attendance,
join requests, flood counters): exported whole."""

AUTHORED_COLUMNS = {("meeting", "logged_by")}
"""Rows the person wrote and that are theirs to see: a meeting they logged with its private
note. Every other row that mentions them is exported as the mentioning columns only, since
the rest of it is someone else's (another mentee's wish to be grouped with them)."""

PARTICIPANT_PERSONAL = (
    "programme",
    "year",
    "languages",
    "themes",
    "availability",
    "preferred_mentor",
    "friend",
    "note",
)
"""What a participant told the scheme about themselves at sign-up; erasing clears it and
keeps the row (a roster line counted in the term's figures)."""

KEPT_WHEN_PSEUDONYMISED = ("programme", "year")
"""Sign-up answers a pseudonymised roster line keeps: coarse categories the term's figures
are broken down by. The rest (free text, languages, times, wishes) goes."""

_MIN_NAME_LENGTH = 4
"""A name is looked for inside other text only when it is long enough not to be a piece of
ordinary words ("Bo" is in "Board")."""


@dataclass(frozen=True)
class Identity:
    """What identifies a person, as it may be written anywhere in the database."""

    user_id: str
    name: str | None
    email: str | None

    def patterns(self) -> list[re.Pattern[str]]:
        return [pattern for pattern, _ in self.replacements(user_id="", name="")]

    def replacements(self, *, user_id: str, name: str) -> list[tuple[re.Pattern[str], str]]:
        """Each pattern with what replaces it: the ID and the e-mail by the pseudonymous ID,
        the name by the pseudonym's name."""
        found = [(_standalone(self.user_id), user_id)]
        if self.email:
            found.append((re.compile(re.escape(self.email), re.IGNORECASE), user_id))
        if self.name and len(self.name) >= _MIN_NAME_LENGTH and self.name != self.user_id:
            found.append((_standalone(self.name, ignore_case=True), name))
        return found

    def search_terms(self) -> list[str]:
        """What the database is asked for before the patterns decide: each value as stored
        and in lower case (SQLite's lower() folds only ASCII letters, so "Ærø" is found by
        its stored spelling)."""
        terms = [self.user_id]
        if self.email:
            terms.append(self.email)
        if self.name and len(self.name) >= _MIN_NAME_LENGTH and self.name != self.user_id:
            terms.append(self.name)
        return terms


def _standalone(value: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", flags)


@dataclass(frozen=True)
class Mention:
    """A row that holds something identifying a person, and which of its columns do."""

    table: Table
    key: dict[str, Any]
    row: dict[str, Any]
    columns: tuple[str, ...]

    @property
    def is_subject(self) -> bool:
        return any(name in SUBJECT_COLUMNS for name in self.columns) or any(
            (self.table.name, name) in AUTHORED_COLUMNS for name in self.columns
        )


def all_tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def text_columns(table: Table) -> list[Column[Any]]:
    """The columns that can hold an ID, a name, an e-mail or typed text: strings, but not
    the enumerations stored as strings (a state such as "sent" holds nothing of anyone)."""
    return [
        column
        for column in table.columns
        if isinstance(column.type, String)
        or (
            isinstance(column.type, TypeDecorator)
            and not isinstance(column.type, EnumString)
            and isinstance(column.type.impl_instance, String)
        )
    ]


def find_person(session: Session, who: str) -> Person | None:
    """The person with this Slack user ID or e-mail (any case); None if there is none or the
    e-mail is shared by several (then the ID must be used)."""
    who = who.strip()
    person = session.get(Person, who)
    if person is not None:
        return person
    if "@" not in who:
        return None
    people = session.exec(
        select_models(Person).where(func.lower(col(Person.email)) == who.lower())
    ).all()
    return people[0] if len(people) == 1 else None


def mentions(session: Session, identity: Identity) -> Iterator[Mention]:
    """Every row of every table that holds the person's ID, e-mail or name, person row first."""
    patterns = identity.patterns()
    id_only = patterns[:1]
    terms = identity.search_terms()
    for table in sorted(all_tables(), key=lambda t: t.name != PERSON_TABLE):
        columns = text_columns(table)
        if not columns:
            continue
        matches: list[ColumnElement[bool]] = [
            match
            for column in columns
            for term in terms
            for match in (
                column.contains(term, autoescape=True),
                func.lower(column).contains(term.lower(), autoescape=True),
            )
        ]
        for row in session.connection().execute(select(table).where(or_(*matches))).mappings():
            values = dict(row)
            # Someone else's person row mentions them only by ID (who certified whom):
            # another person of the same name or a shared address is not them.
            own = table.name != PERSON_TABLE or values["slack_user_id"] == identity.user_id
            looked_for = patterns if own else id_only
            hits = tuple(
                column.name
                for column in columns
                if isinstance(values[column.name], str)
                and any(pattern.search(values[column.name]) for pattern in looked_for)
            )
            if hits:
                key = {column.name: values[column.name] for column in table.primary_key.columns}
                yield Mention(table=table, key=key, row=values, columns=hits)


def export_person(session: Session, identity: Identity) -> dict[str, list[dict[str, Any]]]:
    """Everything stored about the person, by table: rows about them (or written by them)
    whole, other rows as their key and the columns that mention them."""
    exported: dict[str, list[dict[str, Any]]] = {}
    for mention in mentions(session, identity):
        if mention.is_subject or mention.table.name == PERSON_TABLE:
            shown = mention.row
        else:
            shown = {**mention.key, **{name: mention.row[name] for name in mention.columns}}
        exported.setdefault(mention.table.name, []).append(_plain(shown))
    return exported


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain_value(value) for name, value in row.items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def replace_identity(
    session: Session,
    identity: Identity,
    *,
    new_user_id: str,
    new_name: str,
    now: datetime,
) -> Counter[str]:
    """Replace the person's Slack ID, name and e-mail everywhere by a pseudonym, in the
    caller's transaction; rows changed per table. Their rows stay (meetings, attendance,
    votes are still counted), now under an ID that leads back to no one."""
    changed: Counter[str] = Counter()
    person_table = table_of(Person)
    old = session.connection().execute(
        select(person_table).where(person_table.c.slack_user_id == identity.user_id)
    )
    old_row = old.mappings().first()
    if old_row is not None:
        session.connection().execute(
            person_table.insert().values(
                {
                    **dict(old_row),
                    "slack_user_id": new_user_id,
                    "name": new_name,
                    "email": None,
                    "language": None,
                    "snoozed_until": None,
                    "pseudonymised_at": now,
                }
            )
        )
    replacements = identity.replacements(user_id=new_user_id, name=new_name)
    for mention in list(mentions(session, identity)):
        table = mention.table
        if table.name == PERSON_TABLE and mention.key["slack_user_id"] == identity.user_id:
            continue  # the old row itself: deleted below, once nothing points at it
        values = {}
        for name in mention.columns:
            text = mention.row[name]
            for pattern, replacement in replacements:
                text = pattern.sub(replacement, text)
            values[name] = text
        session.connection().execute(
            update(table).where(_key_clause(table, mention.key)).values(values)
        )
        changed[table.name] += 1
    if old_row is not None:
        session.connection().execute(
            delete(person_table).where(person_table.c.slack_user_id == identity.user_id)
        )
        changed[PERSON_TABLE] += 1
    return changed


def _key_clause(table: Table, key: dict[str, Any]) -> ColumnElement[bool]:
    return and_(*(table.c[name] == value for name, value in key.items()))


def erase_own_content(session: Session, identity: Identity) -> Counter[str]:
    """What the person told or wrote, removed before their identity is replaced: their
    sign-up answers and note, their private meeting notes, join requests, flood counters,
    and unfinished work that quotes their request. Counts per table."""
    removed: Counter[str] = Counter()
    user_id = identity.user_id
    participant = table_of(Participant)
    personal = [participant.c[name] for name in PARTICIPANT_PERSONAL]
    removed["participant"] += (
        session.connection()
        .execute(
            update(participant)
            .where(participant.c.slack_user_id == user_id, or_(*(c.is_not(None) for c in personal)))
            .values(dict.fromkeys(PARTICIPANT_PERSONAL))
        )
        .rowcount
    )
    meeting = table_of(Meeting)
    removed["meeting"] += (
        session.connection()
        .execute(
            update(meeting)
            .where(meeting.c.logged_by == user_id, meeting.c.mentor_note.is_not(None))
            .values(mentor_note=None)
        )
        .rowcount
    )
    for table_name in ("join_request", "rate_count"):
        table = SQLModel.metadata.tables[table_name]
        removed[table_name] += (
            session.connection()
            .execute(delete(table).where(table.c.slack_user_id == user_id))
            .rowcount
        )
    follow_up = SQLModel.metadata.tables["follow_up"]
    for mention in list(mentions(session, identity)):
        if mention.table.name == "follow_up":
            session.connection().execute(
                delete(follow_up).where(_key_clause(follow_up, mention.key))
            )
            removed["follow_up"] += 1
    return +removed


def unname_groups(
    session: Session,
    user_id: str,
    *,
    first_name: str,
    first_slug: str,
    new_name: str,
    new_slug: str,
) -> Counter[str]:
    """Groups are named after their mentor's first name ("Anna's group", "Annas gruppe",
    channel "mentor-autumn-2026-annas-group"): in the groups the person led, that name is
    replaced by their pseudonym's. The groups they were in also lose their member key, a
    digest of the members' Slack IDs that would tell, to anyone holding an ID, that its
    owner was in the group; a random key takes its place (it only matters while the term's
    groups are being created)."""
    changed: Counter[str] = Counter()
    group = table_of(MentorGroup)
    membership = table_of(Membership)
    in_groups = select(membership.c.group_id).where(membership.c.slack_user_id == user_id)
    led = select(membership.c.group_id).where(
        membership.c.slack_user_id == user_id, membership.c.role == "mentor"
    )
    led_ids = set(session.connection().execute(led).scalars())
    name_pattern = (
        re.compile(rf"(?<!\w){re.escape(first_name)}(?=(?:['’]?s)?(?!\w))", re.IGNORECASE)
        if len(first_name) >= 2
        else None
    )
    slug_pattern = (
        re.compile(rf"(?<![a-z0-9]){re.escape(first_slug)}(?=s?(?![a-z0-9]))")
        if len(first_slug) >= 2
        else None
    )
    rows = session.connection().execute(select(group).where(group.c.id.in_(in_groups)))
    for row in rows.mappings().all():
        values: dict[str, Any] = {"member_key": secrets.token_hex(16)}
        if row["id"] in led_ids and name_pattern is not None and slug_pattern is not None:
            values["name"] = name_pattern.sub(new_name, row["name"])
            if row["channel_name"]:
                values["channel_name"] = slug_pattern.sub(new_slug, row["channel_name"])
        session.connection().execute(update(group).where(group.c.id == row["id"]).values(values))
        changed["mentor_group"] += 1
    return changed


def forget_signup_answers(session: Session, user_id: str, *, keep: tuple[str, ...]) -> int:
    """Clear the person's sign-up answers on every roster line, but those in `keep`."""
    participant = table_of(Participant)
    cleared = [name for name in PARTICIPANT_PERSONAL if name not in keep]
    return (
        session.connection()
        .execute(
            update(participant)
            .where(
                participant.c.slack_user_id == user_id,
                or_(*(participant.c[name].is_not(None) for name in cleared)),
            )
            .values(dict.fromkeys(cleared))
        )
        .rowcount
    )


def forget_notes_of_terms_ended_before(session: Session, cutoff: date) -> Counter[str]:
    """Private meeting notes and participants' notes to coordinators of every term that
    ended before `cutoff`; how many were deleted, per table."""
    ended = select(col(Term.id)).where(col(Term.ends_on) < cutoff)
    groups = select(col(MentorGroup.id)).where(col(MentorGroup.term_id).in_(ended))
    meeting = table_of(Meeting)
    participant = table_of(Participant)
    forgotten: Counter[str] = Counter()
    forgotten["meeting"] = (
        session.connection()
        .execute(
            update(meeting)
            .where(meeting.c.group_id.in_(groups), meeting.c.mentor_note.is_not(None))
            .values(mentor_note=None)
        )
        .rowcount
    )
    forgotten["participant"] = (
        session.connection()
        .execute(
            update(participant)
            .where(participant.c.term_id.in_(ended), participant.c.note.is_not(None))
            .values(note=None)
        )
        .rowcount
    )
    return +forgotten


def people_to_pseudonymise(
    session: Session, *, last_term_ended_before: date, keep: frozenset[str]
) -> list[str]:
    """Slack IDs of people not yet pseudonymised who take part in no current term and whose
    last term (as participant or member) ended before the day given; people in no term at
    all count from their certification. Those in `keep` (the coordinators) never."""
    involvement: dict[str, date] = {}
    for user_id, ends_on, is_current in session.exec(
        select_models(col(Participant.slack_user_id), col(Term.ends_on), col(Term.is_current)).join(
            Term, col(Term.id) == col(Participant.term_id)
        )
    ).all():
        _note_involvement(involvement, user_id, date.max if is_current else ends_on)
    for user_id, ends_on, is_current in session.exec(
        select_models(col(Membership.slack_user_id), col(Term.ends_on), col(Term.is_current)).join(
            Term, col(Term.id) == col(Membership.term_id)
        )
    ).all():
        _note_involvement(involvement, user_id, date.max if is_current else ends_on)
    due: list[str] = []
    for user_id, certified_at in session.exec(
        select_models(col(Person.slack_user_id), col(Person.certified_at)).where(
            col(Person.pseudonymised_at).is_(None)
        )
    ).all():
        if user_id in keep:
            continue
        last = involvement.get(user_id)
        if last is None and certified_at is not None:
            last = certified_at.date()
        if last is not None and last < last_term_ended_before:
            due.append(user_id)
    return sorted(due)


def _note_involvement(involvement: dict[str, date], user_id: str, day: date) -> None:
    if user_id not in involvement or involvement[user_id] < day:
        involvement[user_id] = day


def identity_of(person: Person) -> Identity:
    return Identity(user_id=person.slack_user_id, name=person.name, email=person.email)


def holds_anything(session: Session, identity: Identity) -> bool:
    return next(iter(mentions(session, identity)), None) is not None
