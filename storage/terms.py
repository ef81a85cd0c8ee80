"""Queries about terms."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select, update

from storage.models import Term


def current_term(session: Session) -> Term | None:
    return session.exec(select(Term).where(col(Term.is_current))).first()


def terms_newest_first(session: Session) -> list[Term]:
    return list(
        session.exec(select(Term).order_by(col(Term.starts_on).desc(), col(Term.id).desc()))
    )


def term_by_id(session: Session, term_id: int) -> Term | None:
    return session.get(Term, term_id)


def term_by_name(session: Session, name: str) -> Term | None:
    return session.exec(select(Term).where(col(Term.name) == name)).first()


def create_current_term(
    session: Session,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    min_meetings: int,
    timezone: str,
    language: str,
    created_by: str,
    now: datetime,
) -> Term:
    """Add a term and make it the current one (the previous current term stays stored)."""
    session.execute(update(Term).where(col(Term.is_current)).values(is_current=False))
    term = Term(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        min_meetings=min_meetings,
        timezone=timezone,
        language=language,
        is_current=True,
        created_at=now,
        created_by=created_by,
    )
    session.add(term)
    session.flush()
    return term
