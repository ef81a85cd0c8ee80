"""Proposing a term's groups (issue 17): the roster as matching sees it, and the proposal.

People already in one of the term's groups are not proposed again; a mentor who leads some
has that much less room."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.matching import Candidate, FixedGroup, GroupRules, Proposal, propose
from bot.domain.roster import ParticipantRole
from bot.runtime import Runtime
from bot.services.terms import find_term
from storage.db import read_session
from storage.ids import stored_id
from storage.matching import RosterEntry, roster_for_matching
from storage.models import MemberRole, Term


@dataclass(frozen=True)
class MatchingRoster:
    term: Term
    rules: GroupRules
    people: dict[str, Candidate]
    """Everyone matching may place, by Slack user ID (withdrawn and uncertified included,
    so that they are listed with their reason)."""
    already_grouped: frozenset[str]
    """Mentees already in one of the term's groups, and mentors with no room left."""


@dataclass(frozen=True)
class MatchingResult:
    roster: MatchingRoster
    proposal: Proposal


def _codes(text: str | None) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in (text or "").split(",") if part.strip())


def _candidate(entry: RosterEntry) -> Candidate:
    participant, person = entry.participant, entry.person
    mentor = participant.role is MemberRole.MENTOR
    # A roster imported from a file may name only the language the person reads the bot in.
    languages = _codes(participant.languages) or _codes(person.language)
    return Candidate(
        person_id=participant.slack_user_id,
        name=person.name,
        email=person.email,
        role=ParticipantRole.MENTOR if mentor else ParticipantRole.MENTEE,
        languages=languages,
        slots=_codes(participant.availability),
        programme=participant.programme,
        year=participant.year,
        preferred_mentor=participant.preferred_mentor,
        friend=participant.friend,
        capacity=max(0, participant.capacity - entry.groups) if mentor else 1,
        certified=person.certified_at is not None,
        withdrawn=participant.withdrawn_at is not None,
    )


def load_matching_roster(runtime: Runtime, *, term_name: str | None) -> MatchingRoster:
    term = find_term(runtime, term_name)
    with read_session(runtime.engine) as session:
        entries = roster_for_matching(session, term_id=stored_id(term))
    people: dict[str, Candidate] = {}
    grouped: set[str] = set()
    for entry in entries:
        candidate = _candidate(entry)
        full = candidate.role is ParticipantRole.MENTOR and candidate.capacity == 0
        if entry.groups and (candidate.role is ParticipantRole.MENTEE or full):
            grouped.add(candidate.person_id)
        people[candidate.person_id] = candidate
    rules = GroupRules(
        size_min=term.group_size_min,
        size_max=term.group_size_max,
        mix_programmes=term.mix_programmes,
    )
    return MatchingRoster(term, rules, people, frozenset(grouped))


def propose_groups(
    runtime: Runtime, *, term_name: str | None, locked: Sequence[FixedGroup] = ()
) -> MatchingResult:
    """The term's proposal, keeping `locked` groups as they are."""
    return propose_for_roster(load_matching_roster(runtime, term_name=term_name), locked)


def propose_for_roster(roster: MatchingRoster, locked: Sequence[FixedGroup] = ()) -> MatchingResult:
    pool = [p for p in roster.people.values() if p.person_id not in roster.already_grouped]
    return MatchingResult(roster, propose(pool, roster.rules, locked))
