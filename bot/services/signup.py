"""Signing up for the current term as a mentor or mentee (issue 17): what `/mentor join` and
the "Join the programme" button show, the form's submission, changing and withdrawing.

Nothing in a payload is trusted: the person is the payload's signed user, the term is the
current one (a form opened for another term is out of date), and the role is the roster's
when the person is on it; only someone not on it yet chooses theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks.ids import SIGNUP_FRIEND, SIGNUP_PREFERRED_MENTOR
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.domain.signup import (
    MENTEE,
    MENTOR,
    ROLES,
    Signup,
    SignupAnswers,
    check_answers,
    is_slack_user_id,
    languages_text,
    slots_text,
    split_languages,
    split_slots,
    split_themes,
    themes_text,
)
from bot.i18n import Phrase, phrase
from bot.runtime import Runtime
from bot.services.people import fetch_profile
from bot.services.review import note_late_signup
from bot.services.terms import require_current_term
from storage.db import Session, read_session, write_session
from storage.ids import stored_id
from storage.meetings import catalogue_themes
from storage.models import MemberRole, Participant, Term
from storage.people import get_person, roles_in_current_term, save_person
from storage.signup import (
    ensure_person,
    is_signed_up_certified_mentor,
    participant_of,
    save_signup,
    withdraw_signup,
)

OUT_OF_DATE = phrase("This form is out of date: type `/mentor join` to open a fresh one.")
CHANGES_CLOSED = phrase(
    "The groups for this term are formed, so sign-ups can no longer be changed or withdrawn "
    "here. Write to your coordinator if something has changed."
)
ALREADY_IN_A_GROUP = phrase(
    "You are in a group this term already, so there is nothing to sign up for. Write to your "
    "coordinator if something should change."
)
COORDINATORS_DO_NOT_SIGN_UP = phrase(
    "You are a coordinator, so you don't sign up through the form. If you want to mentor "
    "this term too, put yourself on the roster (`mentorbot roster import`)."
)


@dataclass(frozen=True)
class ThemeOffer:
    value: str
    name: str


@dataclass(frozen=True)
class ChooseRole:
    """Not on the roster yet: first choose mentor or mentee."""

    late: bool


@dataclass(frozen=True)
class SignupForm:
    term_id: int
    role: str
    themes: tuple[ThemeOffer, ...]
    current: Signup | None
    """What the person said before (or the roster holds), filled in; None for a new one."""
    late: bool
    """Groups are formed already: the sign-up is a late one."""

    @property
    def metadata(self) -> str:
        return f"{self.term_id}:{self.role}"


@dataclass(frozen=True)
class SignupSummary:
    role: str
    signup: Signup
    signed_up_at: datetime | None
    can_change: bool
    certified: bool


@dataclass(frozen=True)
class SignedUp:
    role: str
    late: bool
    changed: bool
    """A sign-up replaced (True) or a new one."""
    uncertified_mentor: bool


Start = ChooseRole | SignupForm | SignupSummary


def _active(participant: Participant | None) -> Participant | None:
    return participant if participant is not None and participant.withdrawn_at is None else None


def _is_coordinator(runtime: Runtime, user_id: str) -> bool:
    return user_id in runtime.settings.coordinators


def signup_start(runtime: Runtime, user_id: str) -> Start:
    """What `/mentor join` (or the Join button) shows `user_id`."""
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
        term_id = stored_id(term)
        participant = participant_of(session, term_id=term_id, slack_user_id=user_id)
        late = term.groups_formed_at is not None
        active = _active(participant)
        if active is not None and (active.signed_up_at is not None or late):
            return _summary(session, active, late=late, zone=ZoneInfo(term.timezone))
        if participant is not None:
            # On the roster (put there by a coordinator) or withdrawn: their role stands.
            return _form(session, term, participant.role.value, participant, late=late)
        _check_may_sign_up(runtime, session, user_id)
        return ChooseRole(late=late)


def _check_may_sign_up(runtime: Runtime, session: Session, user_id: str) -> None:
    """For someone not on the roster: coordinators run the programme rather than join it,
    and someone a coordinator already put in a group (by hand) is placed."""
    if _is_coordinator(runtime, user_id):
        raise UserError(COORDINATORS_DO_NOT_SIGN_UP)
    if roles_in_current_term(session, user_id):
        raise UserError(ALREADY_IN_A_GROUP)


def form_for_role(runtime: Runtime, user_id: str, chosen: str) -> SignupForm:
    """The form after the role choice; the choice counts only for someone not on the
    roster (a forged value or a stale choice cannot change a roster role)."""
    start = signup_start(runtime, user_id)
    if isinstance(start, SignupForm):
        return start
    if isinstance(start, SignupSummary):
        raise UserError(phrase("You have signed up already: type `/mentor join` to see it."))
    if chosen not in ROLES:
        raise UserError(phrase("Choose whether you want to be a mentor or a mentee."))
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
        return _form(session, term, chosen, None, late=start.late)


def form_to_change(runtime: Runtime, user_id: str) -> SignupForm:
    """The form filled with someone's sign-up, to change it (until the groups are formed)."""
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
        participant = _active(
            participant_of(session, term_id=stored_id(term), slack_user_id=user_id)
        )
        if participant is None:
            raise UserError(
                phrase("You are not signed up this term: type `/mentor join` to sign up.")
            )
        if term.groups_formed_at is not None:
            raise UserError(CHANGES_CLOSED)
        return _form(session, term, participant.role.value, participant, late=False)


def _form(
    session: Session, term: Term, role: str, participant: Participant | None, *, late: bool
) -> SignupForm:
    offers = tuple(
        ThemeOffer(value=str(stored_id(theme)), name=theme.name)
        for theme in catalogue_themes(session)
        if theme.active
    )
    current = None if participant is None else signup_of(participant)
    return SignupForm(term_id=stored_id(term), role=role, themes=offers, current=current, late=late)


def _summary(
    session: Session, participant: Participant, *, late: bool, zone: ZoneInfo
) -> SignupSummary:
    person = get_person(session, participant.slack_user_id)
    return SignupSummary(
        role=participant.role.value,
        signup=signup_of(participant),
        # Shown as a day in the term's zone: late on a Sunday in Copenhagen is Sunday.
        signed_up_at=(
            participant.signed_up_at.astimezone(zone)
            if participant.signed_up_at is not None
            else None
        ),
        can_change=not late,
        certified=person is not None and person.certified_at is not None,
    )


def signup_of(participant: Participant) -> Signup:
    return Signup(
        programme=participant.programme or "",
        year=participant.year or "",
        languages=split_languages(participant.languages),
        themes=split_themes(participant.themes),
        slots=split_slots(participant.availability),
        preferred_mentor=participant.preferred_mentor,
        friend=participant.friend,
        note=participant.note,
        capacity=participant.capacity,
    )


def submit_signup(
    runtime: Runtime, user_id: str, *, metadata: str, answers: SignupAnswers
) -> SignedUp:
    """Check and store a submitted form; FormErrors name the fields to correct."""
    term_text, _, role_text = metadata.partition(":")
    now = runtime.now()
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        term_id = stored_id(term)
        if term_text != str(term_id):
            raise UserError(OUT_OF_DATE)
        late = term.groups_formed_at is not None
        participant = participant_of(session, term_id=term_id, slack_user_id=user_id)
        active = _active(participant)
        changed = active is not None and active.signed_up_at is not None
        if participant is not None:
            role = participant.role.value
            if late and active is not None:
                raise UserError(CHANGES_CLOSED)
        elif role_text in ROLES:
            _check_may_sign_up(runtime, session, user_id)
            role = role_text
        else:
            raise UserError(OUT_OF_DATE)
        offers = {
            str(stored_id(theme)): theme.name for theme in catalogue_themes(session) if theme.active
        }
        # Every field's problem at once: the people named are checked even when another
        # field is wrong, so the person corrects the form in one go.
        people_problems = _people_problems(
            session, answers, role=role, term_id=term_id, user_id=user_id
        )
        try:
            signup = check_answers(answers, role=role, user_id=user_id, themes_by_id=offers)
        except FormErrors as error:
            raise FormErrors([*error.errors, *people_problems]) from None
        if people_problems:
            raise FormErrors(people_problems)
        ensure_person(session, user_id)
        save_signup(
            session,
            term_id=term_id,
            slack_user_id=user_id,
            role=MemberRole(role),
            values=_stored(signup),
            now=now,
        )
        person = get_person(session, user_id)
        certified = person is not None and person.certified_at is not None
    if late and not changed:
        note_late_signup(runtime, user_id)
    return SignedUp(
        role=role,
        late=late,
        changed=changed,
        uncertified_mentor=role == MENTOR and not certified,
    )


def _people_problems(
    session: Session, answers: SignupAnswers, *, role: str, term_id: int, user_id: str
) -> list[FieldError]:
    """The people a sign-up names: a mentee's preferred mentor must be a certified mentor
    signed up this term; a friend must be a person (a user select sends a user ID, a forged
    submission may send anything)."""
    problems: list[FieldError] = []
    preferred = answers.preferred_mentor if role == MENTEE else None
    if preferred and (
        preferred == user_id
        or not is_slack_user_id(preferred)
        or not is_signed_up_certified_mentor(session, term_id=term_id, slack_user_id=preferred)
    ):
        problems.append(
            FieldError(
                SIGNUP_PREFERRED_MENTOR,
                phrase(
                    "That person is not a certified mentor signed up this term. Pick another "
                    "mentor, or leave this empty."
                ),
            )
        )
    if answers.friend and not is_slack_user_id(answers.friend):
        problems.append(FieldError(SIGNUP_FRIEND, phrase("Pick your friend from the list.")))
    return problems


def _stored(signup: Signup) -> dict[str, object]:
    return {
        "programme": signup.programme,
        "year": signup.year,
        "languages": languages_text(signup.languages),
        "themes": themes_text(signup.themes),
        "availability": slots_text(signup.slots),
        "preferred_mentor": signup.preferred_mentor,
        "friend": signup.friend,
        "note": signup.note,
        "capacity": signup.capacity,
    }


def withdraw(runtime: Runtime, user_id: str) -> Phrase:
    """Take someone's sign-up back (until the groups are formed)."""
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        participant = _active(
            participant_of(session, term_id=stored_id(term), slack_user_id=user_id)
        )
        if participant is None:
            return phrase("You are not signed up this term, so there is nothing to withdraw.")
        if term.groups_formed_at is not None:
            raise UserError(CHANGES_CLOSED)
        withdraw_signup(session, participant, now=runtime.now())
    return phrase(
        "Your sign-up is withdrawn. Changed your mind? Type `/mentor join` to sign up again."
    )


def remember_profile(runtime: Runtime, client: WebClient, user_id: str) -> None:
    """Keep a new sign-up's name and email as Slack has them (the form's row is named by the
    Slack ID until then); their own choice of language is left alone."""
    profile = fetch_profile(client, user_id)
    with write_session(runtime.engine) as session:
        save_person(session, slack_user_id=user_id, name=profile.name, email=profile.email)
