"""Opening and reading terms."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.terms import TERM_EXAMPLE, parse_term_new
from bot.domain.text import shorten
from bot.i18n import phrase
from bot.runtime import Runtime
from storage.db import Session, read_session, write_session
from storage.models import Term
from storage.terms import create_current_term, current_term, term_by_name

NO_TERM = phrase(
    "No term is running yet. A coordinator starts one with {example}.", example=TERM_EXAMPLE
)


def require_current_term(session: Session) -> Term:
    term = current_term(session)
    if term is None:
        raise UserError(NO_TERM)
    return term


def start_term(
    runtime: Runtime, *, words: tuple[str, ...], user_id: str
) -> tuple[Term, Term | None]:
    """Open a new current term; returns it and the term it replaced as current, if any."""
    zone = runtime.settings.zone
    spec = parse_term_new(
        words,
        default_timezone=runtime.settings.timezone,
        today=runtime.now().astimezone(zone).date(),
    )
    with write_session(runtime.engine) as session:
        if term_by_name(session, spec.name) is not None:
            raise UserError(
                phrase(
                    "There is already a term called “{name}”; choose another name.",
                    name=shorten(spec.name),
                )
            )
        previous = current_term(session)
        term = create_current_term(
            session,
            name=spec.name,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            min_meetings=spec.min_meetings,
            timezone=spec.timezone,
            language=spec.language,
            created_by=user_id,
            now=runtime.now(),
        )
    return term, previous


def get_current_term(runtime: Runtime) -> Term | None:
    with read_session(runtime.engine) as session:
        return current_term(session)


def find_term(runtime: Runtime, name: str | None) -> Term:
    """The term called `name`, or the current one when no name is given."""
    with read_session(runtime.engine) as session:
        if name is None:
            return require_current_term(session)
        term = term_by_name(session, name)
    if term is None:
        raise UserError(phrase("There is no term called “{name}”.", name=shorten(name)))
    return term
