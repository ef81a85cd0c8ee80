"""Queries about people and the term roster."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import MemberRole, Membership, MemberStatus, Participant, Person, Term


def get_person(session: Session, slack_user_id: str) -> Person | None:
    return session.get(Person, slack_user_id)


def people_by_id(session: Session, slack_user_ids: list[str]) -> dict[str, Person]:
    if not slack_user_ids:
        return {}
    people = session.exec(select(Person).where(col(Person.slack_user_id).in_(slack_user_ids)))
    return {person.slack_user_id: person for person in people}


def people_by_email(session: Session, emails: list[str]) -> dict[str, Person]:
    """People the bot knows by these addresses (compared in lower case), keyed by the
    lower-case address; pseudonymised people are left out."""
    wanted = [email.lower() for email in emails]
    if not wanted:
        return {}
    people = session.exec(
        select(Person).where(
            func.lower(col(Person.email)).in_(wanted), col(Person.pseudonymised_at).is_(None)
        )
    )
    return {person.email.lower(): person for person in people if person.email}


def save_person(
    session: Session,
    *,
    slack_user_id: str,
    name: str,
    email: str | None,
    language: str | None = None,
) -> tuple[Person, bool]:
    """Add or refresh a person from Slack; True when anything changed."""
    person = session.get(Person, slack_user_id)
    if person is None:
        person = Person(slack_user_id=slack_user_id, name=name, email=email, language=language)
        session.add(person)
        return person, True
    changed = False
    for attribute, value in (("name", name), ("email", email), ("language", language)):
        if value is not None and getattr(person, attribute) != value:
            setattr(person, attribute, value)
            changed = True
    return person, changed


def certify(session: Session, person: Person, *, by: str, now: datetime) -> bool:
    """Mark a person certified; False if they already were."""
    if person.certified_at is not None:
        return False
    person.certified_at = now
    person.certified_by = by
    session.add(person)
    return True


def save_participant(
    session: Session,
    *,
    term_id: int,
    slack_user_id: str,
    role: MemberRole,
    programme: str | None,
    year: str | None,
) -> str:
    """Put a person on a term's roster or refresh their row: "added", "updated" or "unchanged"."""
    participant = session.exec(
        select(Participant).where(
            col(Participant.term_id) == term_id, col(Participant.slack_user_id) == slack_user_id
        )
    ).first()
    if participant is None:
        session.add(
            Participant(
                term_id=term_id,
                slack_user_id=slack_user_id,
                role=role,
                programme=programme,
                year=year,
            )
        )
        return "added"
    if (participant.role, participant.programme, participant.year) == (role, programme, year):
        return "unchanged"
    participant.role, participant.programme, participant.year = role, programme, year
    session.add(participant)
    return "updated"


def is_certified(session: Session, slack_user_id: str) -> bool:
    person = session.get(Person, slack_user_id)
    return person is not None and person.certified_at is not None


def roles_in_current_term(session: Session, slack_user_id: str) -> set[MemberRole]:
    """The roles (mentor, mentee) someone holds in active groups of the current term."""
    return set(
        session.exec(
            select(col(Membership.role))
            .join(Term, col(Term.id) == col(Membership.term_id))
            .where(
                col(Term.is_current),
                col(Membership.slack_user_id) == slack_user_id,
                col(Membership.status) == MemberStatus.ACTIVE,
            )
        ).all()
    )


def set_snooze(session: Session, slack_user_id: str, until: datetime | None) -> None:
    """Quiet a person until `until` (None: wake them). Someone without a row yet (a member
    added by hand) gets one named by their ID until Slack's name reaches `save_person`."""
    person = session.get(Person, slack_user_id)
    if person is None:
        person = Person(slack_user_id=slack_user_id, name=slack_user_id)
    person.snoozed_until = until
    session.add(person)


def snoozed_among(session: Session, slack_user_ids: list[str], *, now: datetime) -> set[str]:
    """Those of `slack_user_ids` who asked for quiet until after `now`."""
    if not slack_user_ids:
        return set()
    return set(
        session.exec(
            select(col(Person.slack_user_id)).where(
                col(Person.slack_user_id).in_(slack_user_ids),
                col(Person.snoozed_until) > now,
            )
        ).all()
    )


def language_choices(session: Session, slack_user_id: str) -> tuple[str | None, str | None]:
    """(the person's own choice of language, the current term's language), either None."""
    own = session.exec(
        select(col(Person.language)).where(col(Person.slack_user_id) == slack_user_id)
    ).first()
    term = session.exec(select(col(Term.language)).where(col(Term.is_current))).first()
    return own, term


def set_language(session: Session, slack_user_id: str, language: str | None) -> None:
    """Record someone's choice of language (None: follow the term's). Someone without a row
    yet gets one named by their ID until Slack's name reaches `save_person`."""
    person = session.get(Person, slack_user_id)
    if person is None:
        person = Person(slack_user_id=slack_user_id, name=slack_user_id)
    person.language = language
    session.add(person)
