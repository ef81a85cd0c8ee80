"""Proposing mentor groups from a term's sign-ups (issue 17): the hard rules, the preferences
weighed, the solver, a greedy baseline and the reasons shown for each group.

Hard rules: each group is led by exactly one certified mentor, has between the term's
minimum and maximum of mentees, shares a language among all its members; nobody is in two
groups, a mentor leads at most `capacity` groups, withdrawn people take no part. Within
them the proposal places as many mentees as it can first, then weighs preferences:
preferred mentor, friends together, meeting slots common to the whole group, programmes
shared (or mixed, per term) and a mix of years.

The solver is Google OR-Tools' CP-SAT, run on one worker with a fixed seed and a
deterministic work limit, so the same sign-ups always give the same proposal.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from babel import Locale
from ortools.sat.python import cp_model

from bot.domain.roster import ParticipantRole

GOOD_COMMON_SLOTS = 2
"""A group whose members share at least this many meeting slots can find a time easily."""

# Preference weights: what one honoured wish adds to the proposal's score. Placing one more
# mentee always outweighs all of them together (see `_placement_weight`).
PREFERRED_MENTOR_WEIGHT = 10
FRIEND_WEIGHT = 6
"""Per wish: a mutual pair of friends counts twice."""
COMMON_SLOTS_WEIGHT = 12
"""Per group with `GOOD_COMMON_SLOTS` or more slots common to everyone in it."""
PROGRAMME_WEIGHT = 3
"""Per mentee of the mentor's programme; when the term mixes programmes, a cost per mentee
beyond `SAME_KIND_MAX` of one programme in a group."""
YEAR_WEIGHT = 2
"""Per mentee beyond `SAME_KIND_MAX` of one year in a group."""
SAME_KIND_MAX = 2
"""Mentees of one year (or, in a term that mixes them, one programme) a group holds before
it counts as unmixed."""

SEED = 17
DEFAULT_WORK_LIMIT = 6.0
"""CP-SAT's deterministic time (its own work units, not wall-clock seconds): the same limit
gives the same answer on any machine, fast or slow."""
WHOLE_UP_TO = 8
"""Terms with at most this many mentors are solved in one model (and often proven best)."""
NEIGHBOURHOOD_MENTORS = 4
NEIGHBOURHOOD_MORE_FOR_WAITING = 2
"""More mentors in a part with unplaced mentees: placing one may move several others."""
NEIGHBOURHOOD_UNPLACED = 8
NEIGHBOURHOOD_ROUNDS = 3
SEED_BUDGET = 60
"""Rounds around the mentors: as many as fit this many mentors (at most
`NEIGHBOURHOOD_ROUNDS`), and always one: a term of 20 mentors gets three, one of 150 one."""
NEIGHBOURHOOD_WORK_LIMIT = 0.02
NEIGHBOURHOOD_WORK_LIMIT_WAITING = 0.1
"""For a part with unplaced mentees: placing one more is worth a longer search."""
PARTS_AT_ONCE = 2
"""Parts with no mentor or mentee in common solved side by side (CP-SAT lets go of Python's
lock while it works): the two cores of the machine the benchmark runs on."""


@dataclass(frozen=True)
class Candidate:
    """Someone on the term's roster, as matching sees them."""

    person_id: str
    name: str
    role: ParticipantRole
    languages: frozenset[str] = frozenset()
    slots: frozenset[str] = frozenset()
    programme: str | None = None
    year: str | None = None
    preferred_mentor: str | None = None
    friend: str | None = None
    capacity: int = 1
    certified: bool = False
    withdrawn: bool = False
    email: str | None = None


@dataclass(frozen=True)
class GroupRules:
    size_min: int = 3
    size_max: int = 4
    mix_programmes: bool = False


@dataclass(frozen=True)
class FixedGroup:
    """A group by its people: one the coordinator locked, or one read from a file."""

    mentor: str
    mentees: tuple[str, ...]


@dataclass(frozen=True)
class GroupReasons:
    """Why a group fits, as facts (a renderer turns them into words in any language)."""

    common_slots: tuple[str, ...]
    languages: tuple[str, ...]
    """Languages everyone in the group speaks."""
    preferred_mentor_of: tuple[str, ...]
    """Mentees who asked for this group's mentor."""
    friends_together: tuple[tuple[str, str], ...]
    """(who asked, their friend), a mutual pair once."""
    programmes: tuple[str, ...]
    years: tuple[str, ...]
    mix_programmes: bool = False


@dataclass(frozen=True)
class ProposedGroup:
    mentor: str
    mentees: tuple[str, ...]
    reasons: GroupReasons
    locked: bool = False


class LeftOutReason(StrEnum):
    WITHDRAWN = "withdrawn"
    UNCERTIFIED_MENTOR = "uncertified mentor"
    NO_LANGUAGE_GIVEN = "no language given"
    NO_SHARED_LANGUAGE = "no certified mentor with a shared language"
    NO_ROOM = "no room"
    NOT_NEEDED = "mentor not needed"
    NO_CAPACITY = "mentor has room for no group"


@dataclass(frozen=True)
class LeftOut:
    person_id: str
    reason: LeftOutReason


@dataclass(frozen=True)
class Proposal:
    groups: tuple[ProposedGroup, ...]
    left_out: tuple[LeftOut, ...]
    proven_best: bool = field(default=False, compare=False)
    """Whether the solver proved no better proposal exists (small terms, or a long search)."""


class ProblemCode(StrEnum):
    UNKNOWN_PERSON = "not on the term's roster"
    NOT_A_MENTOR = "not a mentor"
    NOT_A_MENTEE = "not a mentee"
    UNCERTIFIED = "mentor not certified"
    WITHDRAWN = "withdrawn"
    SIZE = "wrong number of mentees"
    NO_COMMON_LANGUAGE = "no language everyone speaks"
    TWICE = "in two groups"
    OVER_CAPACITY = "more groups than the mentor can lead"


@dataclass(frozen=True)
class RuleProblem:
    """A hard rule a group breaks: the group's index in the list checked, and whom it is about."""

    group: int
    code: ProblemCode
    person_id: str | None = None


# --- The hard rules -------------------------------------------------------------------


def check_groups(
    groups: Sequence[FixedGroup], people: Mapping[str, Candidate], rules: GroupRules
) -> list[RuleProblem]:
    """Every hard rule each group breaks; an empty list when the groups can be formed."""
    problems: list[RuleProblem] = []
    seen: set[str] = set()
    led: dict[str, int] = defaultdict(int)
    for index, group in enumerate(groups):
        problems.extend(_member_problems(index, group, people))
        if not rules.size_min <= len(group.mentees) <= rules.size_max:
            problems.append(RuleProblem(index, ProblemCode.SIZE))
        members = [people[p] for p in (group.mentor, *group.mentees) if p in people]
        if members and not frozenset.intersection(*(m.languages for m in members)):
            problems.append(RuleProblem(index, ProblemCode.NO_COMMON_LANGUAGE))
        for person_id in (group.mentor, *group.mentees):
            if person_id in seen and person_id != group.mentor:
                problems.append(RuleProblem(index, ProblemCode.TWICE, person_id))
            seen.add(person_id)
        led[group.mentor] += 1
        mentor = people.get(group.mentor)
        if mentor is not None and led[group.mentor] == mentor.capacity + 1:
            problems.append(RuleProblem(index, ProblemCode.OVER_CAPACITY, group.mentor))
    mentees_anywhere = {p for g in groups for p in g.mentees}
    for index, group in enumerate(groups):
        if group.mentor in mentees_anywhere:
            problems.append(RuleProblem(index, ProblemCode.TWICE, group.mentor))
    return problems


def _member_problems(
    index: int, group: FixedGroup, people: Mapping[str, Candidate]
) -> Iterable[RuleProblem]:
    for person_id, role in [(group.mentor, ParticipantRole.MENTOR)] + [
        (mentee, ParticipantRole.MENTEE) for mentee in group.mentees
    ]:
        person = people.get(person_id)
        if person is None:
            yield RuleProblem(index, ProblemCode.UNKNOWN_PERSON, person_id)
            continue
        if person.role is not role:
            wrong = (
                ProblemCode.NOT_A_MENTOR
                if role is ParticipantRole.MENTOR
                else ProblemCode.NOT_A_MENTEE
            )
            yield RuleProblem(index, wrong, person_id)
            continue
        if person.withdrawn:
            yield RuleProblem(index, ProblemCode.WITHDRAWN, person_id)
        elif role is ParticipantRole.MENTOR and not person.certified:
            yield RuleProblem(index, ProblemCode.UNCERTIFIED, person_id)


# --- Reasons ----------------------------------------------------------------------------


def group_reasons(
    mentor_id: str, mentee_ids: Sequence[str], people: Mapping[str, Candidate], rules: GroupRules
) -> GroupReasons:
    mentor = people[mentor_id]
    mentees = [people[p] for p in mentee_ids]
    everyone = [mentor, *mentees]
    inside = set(mentee_ids)
    friends: list[tuple[str, str]] = []
    for mentee in mentees:
        if mentee.friend in inside and (mentee.friend, mentee.person_id) not in friends:
            friends.append((mentee.person_id, mentee.friend))
    return GroupReasons(
        common_slots=tuple(sorted(frozenset.intersection(*(p.slots for p in everyone)))),
        languages=tuple(sorted(frozenset.intersection(*(p.languages for p in everyone)))),
        preferred_mentor_of=tuple(m.person_id for m in mentees if m.preferred_mentor == mentor_id),
        friends_together=tuple(friends),
        programmes=tuple(sorted({m.programme for m in mentees if m.programme})),
        years=tuple(sorted({m.year for m in mentees if m.year})),
        mix_programmes=rules.mix_programmes,
    )


@cache
def language_name(code: str) -> str:
    """ "da" → "Danish"; an unknown code stays as it is."""
    return str(Locale("en").languages.get(code, code))


def _and(words: Sequence[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_reasons(reasons: GroupReasons, names: Mapping[str, str]) -> str:
    """One English line for the terminal: "3 common slots · all speak Danish · Ada's
    preferred mentor"."""
    slots = len(reasons.common_slots)
    parts = [f"{slots} common slot{'s' if slots != 1 else ''}" if slots else "no common slot"]
    if reasons.languages:
        parts.append("all speak " + _and([language_name(c) for c in reasons.languages]))
    if reasons.preferred_mentor_of:
        wishers = [f"{names.get(p, p)}'s" for p in reasons.preferred_mentor_of]
        parts.append(f"{_and(wishers)} preferred mentor")
    for asker, friend in reasons.friends_together:
        parts.append(f"{names.get(asker, asker)} and {names.get(friend, friend)} together")
    if len(reasons.programmes) == 1 and not reasons.mix_programmes:
        parts.append(f"all in {reasons.programmes[0]}")
    elif len(reasons.programmes) > 1:
        parts.append(f"{len(reasons.programmes)} programmes")
    if len(reasons.years) > 1:
        parts.append("years " + _and(list(reasons.years)))
    return " · ".join(parts)


# --- Quality, as the benchmark measures it ----------------------------------------------


@dataclass(frozen=True)
class Quality:
    mentees: int
    placed: int
    wishes: int
    """Preferred mentors and friends asked for (of people in the pool)."""
    wishes_met: int
    groups: int
    groups_with_common_slots: int
    """Groups with at least `GOOD_COMMON_SLOTS` slots common to everyone."""

    @property
    def wishes_share(self) -> float:
        return self.wishes_met / self.wishes if self.wishes else 1.0

    @property
    def common_slots_share(self) -> float:
        return self.groups_with_common_slots / self.groups if self.groups else 0.0


def proposal_quality(proposal: Proposal, people: Sequence[Candidate]) -> Quality:
    by_id = {p.person_id: p for p in people}
    pool = [p for p in people if p.role is ParticipantRole.MENTEE and not p.withdrawn]
    group_of = {m: g for g in proposal.groups for m in (g.mentor, *g.mentees)}
    wishes = met = 0
    for mentee in pool:
        mentor = by_id.get(mentee.preferred_mentor or "")
        if mentor is not None and mentor.role is ParticipantRole.MENTOR:
            wishes += 1
            group = group_of.get(mentee.person_id)
            met += group is not None and group.mentor == mentee.preferred_mentor
        friend = by_id.get(mentee.friend or "")
        if friend is not None and friend.role is ParticipantRole.MENTEE and not friend.withdrawn:
            wishes += 1
            group = group_of.get(mentee.person_id)
            met += group is not None and group is group_of.get(friend.person_id)
    return Quality(
        mentees=len(pool),
        placed=sum(len(g.mentees) for g in proposal.groups),
        wishes=wishes,
        wishes_met=met,
        groups=len(proposal.groups),
        groups_with_common_slots=sum(
            len(g.reasons.common_slots) >= GOOD_COMMON_SLOTS for g in proposal.groups
        ),
    )


# --- Who is in the pool -------------------------------------------------------------------


@dataclass
class _Pool:
    """The people still to place once the locked groups and those left out are set aside."""

    people: dict[str, Candidate]
    mentors: list[Candidate]
    """Certified mentors with room for another group, by id."""
    room: dict[str, int]
    """How many more groups each mentor can lead."""
    mentees: list[Candidate]
    left_out: list[LeftOut]
    locked: list[ProposedGroup]


def _pool(people: Sequence[Candidate], rules: GroupRules, locked: Sequence[FixedGroup]) -> _Pool:
    by_id = {p.person_id: p for p in sorted(people, key=lambda p: p.person_id)}
    in_locked = {p for g in locked for p in (g.mentor, *g.mentees)}
    locked_count: dict[str, int] = defaultdict(int)
    for group in locked:
        locked_count[group.mentor] += 1
    left_out: list[LeftOut] = []
    mentors: list[Candidate] = []
    room: dict[str, int] = {}
    mentees: list[Candidate] = []
    for person in by_id.values():
        spare = person.capacity - locked_count[person.person_id]
        able = person.certified and not person.withdrawn
        if person.person_id in in_locked:
            # Placed by the coordinator, never listed as left out; a locked group's mentor
            # may lead more groups if they have room.
            if locked_count[person.person_id] and able and spare > 0:
                mentors.append(person)
                room[person.person_id] = spare
        elif person.withdrawn:
            left_out.append(LeftOut(person.person_id, LeftOutReason.WITHDRAWN))
        elif person.role is ParticipantRole.MENTOR:
            if not person.certified:
                left_out.append(LeftOut(person.person_id, LeftOutReason.UNCERTIFIED_MENTOR))
            elif spare > 0:
                mentors.append(person)
                room[person.person_id] = spare
            else:
                left_out.append(LeftOut(person.person_id, LeftOutReason.NO_CAPACITY))
        else:
            mentees.append(person)
    spoken = {language for mentor in mentors for language in mentor.languages}
    placeable: list[Candidate] = []
    for mentee in mentees:
        if not mentee.languages:
            left_out.append(LeftOut(mentee.person_id, LeftOutReason.NO_LANGUAGE_GIVEN))
        elif not mentee.languages & spoken:
            left_out.append(LeftOut(mentee.person_id, LeftOutReason.NO_SHARED_LANGUAGE))
        else:
            placeable.append(mentee)
    kept = [
        ProposedGroup(
            g.mentor,
            tuple(sorted(g.mentees)),
            group_reasons(g.mentor, sorted(g.mentees), by_id, rules),
            locked=True,
        )
        for g in locked
    ]
    return _Pool(by_id, mentors, room, placeable, left_out, kept)


def _finish(
    pool: _Pool,
    rules: GroupRules,
    formed: Iterable[tuple[str, Sequence[str]]],
    *,
    proven_best: bool,
) -> Proposal:
    groups = [
        ProposedGroup(
            mentor,
            tuple(sorted(mentees)),
            group_reasons(mentor, sorted(mentees), pool.people, rules),
        )
        for mentor, mentees in formed
        if mentees
    ]
    placed = {p for g in groups for p in g.mentees}
    leading = {g.mentor for g in groups} | {g.mentor for g in pool.locked}
    left_out = list(pool.left_out)
    left_out += [
        LeftOut(m.person_id, LeftOutReason.NO_ROOM)
        for m in pool.mentees
        if m.person_id not in placed
    ]
    left_out += [
        LeftOut(m.person_id, LeftOutReason.NOT_NEEDED)
        for m in pool.mentors
        if m.person_id not in leading
    ]
    everything = sorted([*pool.locked, *groups], key=lambda g: (g.mentor, g.mentees))
    return Proposal(
        groups=tuple(everything),
        left_out=tuple(sorted(left_out, key=lambda o: o.person_id)),
        proven_best=proven_best,
    )


# --- A greedy baseline (also the solver's starting point) -----------------------------------


def _fit(mentee: Candidate, mentor: Candidate, rules: GroupRules) -> int:
    """How well a mentee suits a mentor on their own: the order candidates are tried in."""
    score = 0
    if mentee.preferred_mentor == mentor.person_id:
        score += 100
    score += 3 * min(len(mentee.slots & mentor.slots), 4)
    if not rules.mix_programmes and mentee.programme and mentee.programme == mentor.programme:
        score += 2
    return score


def propose_greedy(
    people: Sequence[Candidate], rules: GroupRules, locked: Sequence[FixedGroup] = ()
) -> Proposal:
    """Each mentee, hardest to place first, joins the open group that suits them best; groups
    left below the minimum are undone and their mentees tried elsewhere once."""
    pool = _pool(people, rules, locked)
    return _finish(pool, rules, _greedy_groups(pool, rules), proven_best=False)


@dataclass
class _Draft:
    mentor: Candidate
    mentees: list[Candidate]
    languages: frozenset[str]
    slots: frozenset[str]
    ids: set[str] = field(default_factory=set)
    friends: set[str] = field(default_factory=set)
    """Whom its mentees asked to be grouped with."""


def _greedy_groups(pool: _Pool, rules: GroupRules) -> list[tuple[str, list[str]]]:
    drafts = [
        _Draft(mentor, [], mentor.languages, mentor.slots)
        for mentor in pool.mentors
        for _ in range(pool.room[mentor.person_id])
    ]

    def options(mentee: Candidate) -> int:
        return sum(bool(mentee.languages & d.languages) for d in drafts)

    order = sorted(
        pool.mentees,
        key=lambda m: (m.preferred_mentor is None, options(m), m.person_id),
    )

    def place(mentee: Candidate, among: list[_Draft]) -> bool:
        best: tuple[tuple[int, int], _Draft] | None = None
        fits: dict[str, int] = {}
        for draft in among:
            size = len(draft.mentees)
            if size >= rules.size_max or not mentee.languages & draft.languages:
                continue
            mentor_id = draft.mentor.person_id
            if mentor_id not in fits:
                fits[mentor_id] = _fit(mentee, draft.mentor, rules)
            friend_here = mentee.friend in draft.ids or mentee.person_id in draft.friends
            score = (
                fits[mentor_id]
                + 6 * friend_here
                + 3 * min(len(mentee.slots & draft.slots), 3)
                + 4 * (0 < size < rules.size_min)
            )
            key = (score, -size)
            if best is None or key > best[0]:
                best = (key, draft)
        if best is None:
            return False
        draft = best[1]
        draft.mentees.append(mentee)
        draft.ids.add(mentee.person_id)
        if mentee.friend:
            draft.friends.add(mentee.friend)
        draft.languages &= mentee.languages
        draft.slots &= mentee.slots
        return True

    for mentee in order:
        place(mentee, drafts)
    short = [d for d in drafts if 0 < len(d.mentees) < rules.size_min]
    full = [d for d in drafts if len(d.mentees) >= rules.size_min]
    for draft in short:
        for mentee in draft.mentees:
            place(mentee, full)
        draft.mentees = []
    return [
        (d.mentor.person_id, [m.person_id for m in d.mentees])
        for d in drafts
        if len(d.mentees) >= rules.size_min
    ]


# --- The solver ------------------------------------------------------------------------------


def propose(
    people: Sequence[Candidate],
    rules: GroupRules,
    locked: Sequence[FixedGroup] = (),
    *,
    work_limit: float | None = DEFAULT_WORK_LIMIT,
    whole_up_to: int = WHOLE_UP_TO,
) -> Proposal:
    """The best proposal found. A term with at most `whole_up_to` mentors is solved in one
    model, within `work_limit` (None: until the best is proven); a larger one starts from the
    greedy proposal and re-solves a few mentors' groups at a time (see `_improve`)."""
    pool = _pool(people, rules, locked)
    if not pool.mentees or not pool.mentors:
        return _finish(pool, rules, [], proven_best=True)
    greedy = _greedy_groups(pool, rules)
    if len(pool.mentors) <= whole_up_to:
        groups, proven = _solve(pool, rules, greedy, work_limit)
        return _finish(pool, rules, groups, proven_best=proven)
    return _finish(pool, rules, _improve(pool, rules, greedy), proven_best=False)


def _solve(
    pool: _Pool, rules: GroupRules, start: list[tuple[str, list[str]]], work_limit: float | None
) -> tuple[list[tuple[str, list[str]]], bool]:
    """The pool's groups as CP-SAT finds them from `start`, and whether they are proven best."""
    model = _Model(pool, rules)
    model.hint(start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    if work_limit is not None:
        solver.parameters.max_deterministic_time = work_limit
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, False
    return model.groups(solver), status == cp_model.OPTIMAL


def _improve(
    pool: _Pool, rules: GroupRules, start: list[tuple[str, list[str]]]
) -> list[tuple[str, list[str]]]:
    """Large neighbourhood search: for each mentor in turn (in a seeded order), free the groups
    of that mentor and the mentors most tied to theirs (where their mentees could go, whom they
    asked for, where their friends are) with the mentees still unplaced who could join them,
    and solve that part exactly. The rest of the proposal does not change the part's score,
    so each step keeps or improves the whole."""
    groups_of: dict[str, list[list[str]]] = defaultdict(list)
    for mentor_id, members in start:
        groups_of[mentor_id].append(list(members))
    mentor_of = {m: mentor for mentor, groups in groups_of.items() for g in groups for m in g}
    mentors = {m.person_id: m for m in pool.mentors}
    mentees = {m.person_id: m for m in pool.mentees}
    order = sorted(mentors)
    wanted_by: dict[str, list[str]] = defaultdict(list)
    for mentee in mentees.values():
        if mentee.preferred_mentor in mentors:
            wanted_by[mentee.preferred_mentor].append(mentee.person_id)
    rng = random.Random(SEED)
    with ThreadPoolExecutor(max_workers=PARTS_AT_ONCE) as executor:
        rounds = max(1, min(NEIGHBOURHOOD_ROUNDS, SEED_BUDGET // len(mentors)))
        for _ in range(rounds):
            rng.shuffle(order)
            # A mentor whose groups were just re-solved as part of another's neighbourhood
            # is not a seed again in the same round.
            solved_this_round: set[str] = set()
            batch: list[set[str]] = []
            for seed in [*order, None]:
                part: set[str] | None = None
                if seed is not None:
                    if seed in solved_this_round or not _worth_a_look(
                        seed, groups_of, mentor_of, mentors, mentees, wanted_by
                    ):
                        continue
                    part = _neighbourhood(seed, groups_of, mentor_of, mentors, mentees, rng)
                    solved_this_round |= part
                    if len(batch) < PARTS_AT_ONCE and not any(part & other for other in batch):
                        batch.append(part)
                        continue
                # The batch is full (or the part overlaps it): solve its parts side by side.
                # Which parts make a batch depends on the proposal only, never on timing.
                subs = _batch_pools(pool, batch, groups_of, mentor_of, mentors, mentees)
                for (sub, _start, _limit), (solved, _) in zip(
                    subs,
                    executor.map(lambda job: _solve(job[0], rules, job[1], job[2]), subs),
                    strict=True,
                ):
                    for mentor in sub.room:
                        for g in groups_of.pop(mentor, []):
                            for m in g:
                                del mentor_of[m]
                    for mentor, members in solved:
                        groups_of[mentor].append(list(members))
                        for m in members:
                            mentor_of[m] = mentor
                batch = [part] if part is not None else []
    return [(mentor, g) for mentor in sorted(groups_of) for g in groups_of[mentor]]


def _batch_pools(
    pool: _Pool,
    batch: list[set[str]],
    groups_of: Mapping[str, list[list[str]]],
    mentor_of: Mapping[str, str],
    mentors: Mapping[str, Candidate],
    mentees: Mapping[str, Candidate],
) -> list[tuple[_Pool, list[tuple[str, list[str]]], float]]:
    """Each part's pool (its mentors, their mentees, unplaced mentees who could join them,
    each unplaced mentee in one part only), its groups as they stand, and its work limit."""
    taken: set[str] = set()
    subs = []
    for part in batch:
        freed = [m for mentor in part for g in groups_of.get(mentor, []) for m in g]
        unplaced = [
            m
            for m in mentees.values()
            if m.person_id not in mentor_of
            and m.person_id not in taken
            and any(m.languages & mentors[mentor].languages for mentor in part)
        ][:NEIGHBOURHOOD_UNPLACED]
        taken |= {m.person_id for m in unplaced}
        sub = _Pool(
            people=pool.people,
            mentors=[mentors[m] for m in sorted(part)],
            room={m: pool.room[m] for m in sorted(part)},
            mentees=sorted([mentees[m] for m in freed] + unplaced, key=lambda m: m.person_id),
            left_out=[],
            locked=[],
        )
        current = [(mentor, g) for mentor in sorted(part) for g in groups_of.get(mentor, [])]
        limit = NEIGHBOURHOOD_WORK_LIMIT_WAITING if unplaced else NEIGHBOURHOOD_WORK_LIMIT
        subs.append((sub, current, limit))
    return subs


def _worth_a_look(
    seed: str,
    groups_of: Mapping[str, list[list[str]]],
    mentor_of: Mapping[str, str],
    mentors: Mapping[str, Candidate],
    mentees: Mapping[str, Candidate],
    wanted_by: Mapping[str, list[str]],
) -> bool:
    """Whether re-solving around `seed` could gain anything: someone asked for this mentor and
    is elsewhere, a wish in its groups is unmet, a group has few common slots, or mentees who
    speak its language are unplaced."""
    if any(mentor_of.get(m) != seed for m in wanted_by.get(seed, [])):
        return True
    groups = groups_of.get(seed, [])
    for group in groups:
        inside = [mentees[m] for m in group]
        common = frozenset.intersection(mentors[seed].slots, *(m.slots for m in inside))
        if len(common) < GOOD_COMMON_SLOTS:
            return True
        for mentee in inside:
            if mentee.friend in mentees and mentee.friend not in group:
                return True
            if mentee.preferred_mentor in mentors and mentee.preferred_mentor != seed:
                return True
    # Mentees still unplaced who speak the mentor's language: a new group, or a group
    # re-formed in their language, may take them.
    languages = mentors[seed].languages
    return any(m.person_id not in mentor_of and m.languages & languages for m in mentees.values())


def _neighbourhood(
    seed: str,
    groups_of: Mapping[str, list[list[str]]],
    mentor_of: Mapping[str, str],
    mentors: Mapping[str, Candidate],
    mentees: Mapping[str, Candidate],
    rng: random.Random,
) -> set[str]:
    """`seed` and the mentors most tied to its mentees and to the unplaced mentees who could
    join it: whom they asked for, where their friends are, who speaks their language, and
    (for the unplaced) whose mentees could form a group with them."""
    seed_languages = mentors[seed].languages
    waiting = [
        m for m in mentees.values() if m.person_id not in mentor_of and m.languages & seed_languages
    ][:NEIGHBOURHOOD_UNPLACED]
    inside = [mentees[m] for g in groups_of.get(seed, []) for m in g] + waiting
    ties: dict[str, float] = defaultdict(float)
    for mentee in waiting:
        # Someone who speaks only a rarer language waits for a group of others who speak it.
        common = mentee.languages & seed_languages
        for other_id, other_mentor in mentor_of.items():
            if mentees[other_id].languages & common:
                ties[other_mentor] += 1
    for mentee in inside:
        if mentee.preferred_mentor is not None and mentee.preferred_mentor in mentors:
            ties[mentee.preferred_mentor] += 4
        friends_mentor = mentor_of.get(mentee.friend or "")
        if friends_mentor is not None:
            ties[friends_mentor] += 4
        for mentor_id, mentor in mentors.items():
            if mentee.languages & mentor.languages:
                ties[mentor_id] += 0.5 + 0.25 * len(mentee.slots & mentor.slots)
    ties.pop(seed, None)
    # A little chance, so that each round looks at other parts.
    ranked = sorted(ties, key=lambda m: (-ties[m] - rng.random(), m))
    size = NEIGHBOURHOOD_MENTORS + (NEIGHBOURHOOD_MORE_FOR_WAITING if waiting else 0)
    return {seed, *ranked[: size - 1]}


class _Model:
    """The CP-SAT model: a place for each group a mentor could lead, a yes/no for each mentee in
    each place open to them, and the preferences as rewards."""

    def __init__(self, pool: _Pool, rules: GroupRules):
        self.model = cp_model.CpModel()
        self.pool = pool
        model = self.model
        by_id = pool.people
        # Places: (mentor, k) for each group the mentor could still lead.
        self.places: list[tuple[str, int]] = [
            (m.person_id, k) for m in pool.mentors for k in range(pool.room[m.person_id])
        ]
        self.open = {p: model.new_bool_var(f"open_{p[0]}_{p[1]}") for p in self.places}
        self.x: dict[tuple[str, tuple[str, int]], cp_model.IntVar] = {}
        members: dict[tuple[str, int], list[Candidate]] = defaultdict(list)
        for mentee in pool.mentees:
            options = []
            for mentor in pool.mentors:
                if not mentee.languages & mentor.languages:
                    continue
                mentor_id = mentor.person_id
                for k in range(pool.room[mentor_id]):
                    place = (mentor_id, k)
                    variable = model.new_bool_var(f"x_{mentee.person_id}_{mentor_id}_{k}")
                    self.x[mentee.person_id, place] = variable
                    members[place].append(mentee)
                    options.append(variable)
            model.add_at_most_one(options)
        rewards: list[tuple[cp_model.LinearExprT, int]] = []
        bound = 0
        placed = cp_model.LinearExpr.sum(list(self.x.values()))
        for place in self.places:
            mentor = by_id[place[0]]
            inside = members[place]
            count = cp_model.LinearExpr.sum([self.x[m.person_id, place] for m in inside])
            model.add(count >= rules.size_min * self.open[place])
            model.add(count <= rules.size_max * self.open[place])
            if place[1] > 0:
                model.add_implication(self.open[place], self.open[place[0], place[1] - 1])
            bound += self._languages(place, mentor, inside)
            bound += self._slots(place, mentor, inside, rewards)
            bound += self._programmes_and_years(place, mentor, inside, rewards, rules)
        bound += self._wishes(pool, rewards)
        weight = bound + 1
        model.maximize(
            weight * placed
            + cp_model.LinearExpr.weighted_sum([t for t, _ in rewards], [w for _, w in rewards])
        )

    def _languages(self, place: tuple[str, int], mentor: Candidate, inside: list[Candidate]) -> int:
        """One language for the group, among the mentor's, spoken by each mentee in it."""
        languages = sorted(mentor.languages & frozenset().union(*(m.languages for m in inside)))
        if len(languages) <= 1:
            # Every mentee here shares a language with the mentor, so it is that one.
            return 0
        chosen = {
            lang: self.model.new_bool_var(f"lang_{place[0]}_{place[1]}_{lang}")
            for lang in languages
        }
        self.model.add(sum(chosen.values()) == self.open[place])
        for mentee in inside:
            spoken = [chosen[lang] for lang in languages if lang in mentee.languages]
            self.model.add(self.x[mentee.person_id, place] <= sum(spoken))
        return 0

    def _slots(
        self,
        place: tuple[str, int],
        mentor: Candidate,
        inside: list[Candidate],
        rewards: list[tuple[cp_model.LinearExprT, int]],
    ) -> int:
        """A reward when at least two of the mentor's slots suit everyone in the group."""
        if len(mentor.slots) < GOOD_COMMON_SLOTS or not inside:
            return 0
        common = []
        for slot in sorted(mentor.slots):
            free = self.model.new_bool_var(f"slot_{place[0]}_{place[1]}_{slot}")
            for mentee in inside:
                if slot not in mentee.slots:
                    self.model.add_at_most_one(free, self.x[mentee.person_id, place])
            common.append(free)
        good = self.model.new_bool_var(f"good_{place[0]}_{place[1]}")
        self.model.add(GOOD_COMMON_SLOTS * good <= sum(common))
        self.model.add_implication(good, self.open[place])
        rewards.append((good, COMMON_SLOTS_WEIGHT))
        return COMMON_SLOTS_WEIGHT

    def _programmes_and_years(
        self,
        place: tuple[str, int],
        mentor: Candidate,
        inside: list[Candidate],
        rewards: list[tuple[cp_model.LinearExprT, int]],
        rules: GroupRules,
    ) -> int:
        """A mix of years: a cost for each mentee beyond `SAME_KIND_MAX` of one year in a
        group; programmes likewise when the term mixes them, else a reward for each mentee
        of the mentor's programme. (Counting the distinct years of a group instead gives the
        solver a relaxation so loose that it proves nothing, even on a small term.)"""
        bound = 0
        mixed = [("year", YEAR_WEIGHT)]
        if rules.mix_programmes:
            mixed.append(("programme", PROGRAMME_WEIGHT))
        else:
            alike = [self.x[m.person_id, place] for m in inside if m.programme == mentor.programme]
            if mentor.programme and alike:
                rewards.append((cp_model.LinearExpr.sum(alike), PROGRAMME_WEIGHT))
                bound += PROGRAMME_WEIGHT * rules.size_max
        spare = rules.size_max - SAME_KIND_MAX
        for attribute, weight in mixed:
            values: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for mentee in inside:
                value = getattr(mentee, attribute)
                if value:
                    values[value].append(self.x[mentee.person_id, place])
            for value, chosen in sorted(values.items()):
                if spare <= 0 or len(chosen) <= SAME_KIND_MAX:
                    continue
                over = self.model.new_int_var(
                    0, spare, f"{attribute}_{place[0]}_{place[1]}_{value}"
                )
                self.model.add(cp_model.LinearExpr.sum(chosen) <= SAME_KIND_MAX + over)
                rewards.append((over, -weight))
                bound += weight * spare
        return bound

    def _wishes(self, pool: _Pool, rewards: list[tuple[cp_model.LinearExprT, int]]) -> int:
        bound = 0
        pooled = {m.person_id for m in pool.mentees}
        places_of: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for mentee_id, place in self.x:
            places_of[mentee_id].append(place)
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for mentee in pool.mentees:
            wanted = mentee.preferred_mentor
            chosen = [
                self.x[mentee.person_id, p] for p in places_of[mentee.person_id] if p[0] == wanted
            ]
            if chosen:
                rewards.append((sum(chosen), PREFERRED_MENTOR_WEIGHT))
                bound += PREFERRED_MENTOR_WEIGHT
            if mentee.friend in pooled and mentee.friend != mentee.person_id:
                pair = (min(mentee.person_id, mentee.friend), max(mentee.person_id, mentee.friend))
                pairs[pair] += 1
        for (first, second), wishes in sorted(pairs.items()):
            shared = sorted(set(places_of[first]) & set(places_of[second]))
            if not shared:
                continue
            together = []
            for place in shared:
                both = self.model.new_bool_var(f"friends_{first}_{second}_{place[0]}_{place[1]}")
                self.model.add_implication(both, self.x[first, place])
                self.model.add_implication(both, self.x[second, place])
                together.append(both)
            rewards.append((sum(together), FRIEND_WEIGHT * wishes))
            bound += FRIEND_WEIGHT * wishes
        return bound

    def hint(self, groups: list[tuple[str, list[str]]]) -> None:
        """Start the search from the greedy proposal (always a valid one)."""
        given: dict[tuple[str, tuple[str, int]], int] = {}
        used: dict[str, int] = defaultdict(int)
        for mentor_id, members in groups:
            place = (mentor_id, used[mentor_id])
            used[mentor_id] += 1
            for mentee_id in members:
                given[mentee_id, place] = 1
        for key, variable in self.x.items():
            self.model.add_hint(variable, given.get(key, 0))
        for place, variable in self.open.items():
            self.model.add_hint(variable, int(place[1] < used[place[0]]))

    def groups(self, solver: cp_model.CpSolver) -> list[tuple[str, list[str]]]:
        members: dict[tuple[str, int], list[str]] = defaultdict(list)
        for (mentee_id, place), variable in self.x.items():
            if solver.boolean_value(variable):
                members[place].append(mentee_id)
        return [(place[0], sorted(members[place])) for place in self.places if members[place]]
