"""Speed and quality of group proposals (bot/domain/matching.py), on synthetic sign-ups.

    python -m bench.bench_matching [--seed N] [--small-cases N] [--runs N]

Prints, for 20 mentors / 80 mentees and 150 mentors / 600 mentees: the solve time (wall
clock and CPU; the median of `--runs` solves, which must all give the same proposal) and the
proposal's quality next to the greedy baseline: mentees placed, the share of wishes met
(preferred mentor, friend) and the share of groups with at least two meeting slots common
to all. Then, on small terms, the same figures for the solver run as on a large term (a few
mentors' groups at a time, from the greedy start) next to the proven optimum (the whole term
in one model, no work limit).

The sign-ups are generated from a seed, so every run sees the same people: languages
da/en/de/pl/pt as a Danish university's students speak them, a handful of programmes,
mostly first- and second-year mentees, weekday afternoons and evenings more often than
mornings or weekends, ~30 % with a preferred mentor (popular mentors asked for more often)
and ~20 % with a friend (half of them mutual).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence

from bot.domain.matching import (
    Candidate,
    GroupRules,
    Proposal,
    Quality,
    proposal_quality,
    propose,
    propose_greedy,
)
from bot.domain.roster import ParticipantRole

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
PROGRAMMES = (
    ("Computer Science", 5),
    ("Biology", 3),
    ("Economics", 3),
    ("Law", 2),
    ("Medicine", 2),
    ("Physics", 1),
    ("History", 1),
)
MENTEE_YEARS = (("1", 45), ("2", 30), ("3", 15), ("4", 10))
MENTOR_YEARS = (("3", 40), ("4", 35), ("5", 25))
# Share of people comfortable in each language, apart from those who speak only Danish.
LANGUAGE_SHARE = {"en": 0.88, "da": 0.55, "de": 0.10, "pl": 0.06, "pt": 0.06}
ONLY_DANISH = 0.10


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], [w for _, w in weighted])[0]


def _languages(rng: random.Random) -> frozenset[str]:
    if rng.random() < ONLY_DANISH:
        return frozenset({"da"})
    spoken = {code for code, share in LANGUAGE_SHARE.items() if rng.random() < share}
    return frozenset(spoken or {"en"})


def _slots(rng: random.Random) -> frozenset[str]:
    weights = []
    slots = []
    for day in WEEKDAYS:
        for part in PARTS:
            weekend = day in ("sat", "sun")
            slots.append(f"{day}-{part}")
            weights.append((1 if weekend else 4) * (1 if part == "morning" else 3))
    chosen: set[str] = set()
    wanted = rng.randint(3, 8)
    while len(chosen) < wanted:
        chosen.add(rng.choices(slots, weights)[0])
    return frozenset(chosen)


def synthetic_signups(mentors: int, mentees: int, *, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    people: list[Candidate] = []
    for n in range(mentors):
        people.append(
            Candidate(
                person_id=f"UM{n:04d}",
                name=f"Mentor {n}",
                role=ParticipantRole.MENTOR,
                languages=_languages(rng),
                slots=_slots(rng),
                programme=_pick(rng, PROGRAMMES),
                year=_pick(rng, MENTOR_YEARS),
                capacity=rng.choices((1, 2, 3), (60, 35, 5))[0],
                certified=rng.random() < 0.9,
                withdrawn=rng.random() < 0.03,
            )
        )
    # Some mentors are asked for far more often than others.
    popularity = [rng.paretovariate(1.5) for _ in range(mentors)]
    mentee_ids = [f"UE{n:04d}" for n in range(mentees)]
    friends: dict[str, str] = {}
    for n, mentee_id in enumerate(mentee_ids):
        if mentee_id in friends or rng.random() >= 0.2:
            continue
        friend = rng.choice(mentee_ids)
        if friend == mentee_id:
            continue
        friends[mentee_id] = friend
        if rng.random() < 0.5 and friend not in friends:
            friends[friend] = mentee_id
        del n
    for n, mentee_id in enumerate(mentee_ids):
        preferred = None
        if mentors and rng.random() < 0.3:
            preferred = rng.choices(range(mentors), popularity)[0]
        people.append(
            Candidate(
                person_id=mentee_id,
                name=f"Mentee {n}",
                role=ParticipantRole.MENTEE,
                languages=_languages(rng),
                slots=_slots(rng),
                programme=_pick(rng, PROGRAMMES),
                year=_pick(rng, MENTEE_YEARS),
                preferred_mentor=f"UM{preferred:04d}" if preferred is not None else None,
                friend=friends.get(mentee_id),
                withdrawn=rng.random() < 0.03,
            )
        )
    return people


Solve = Callable[[Sequence[Candidate], GroupRules], Proposal]


def _timed(
    solve: Solve, people: Sequence[Candidate], rules: GroupRules
) -> tuple[Proposal, float, float]:
    """The proposal, its wall-clock seconds and its CPU seconds (this process, all threads:
    on a busy machine the wall clock also counts other programs' turns)."""
    started, cpu = time.perf_counter(), time.process_time()
    proposal = solve(people, rules)
    return proposal, time.perf_counter() - started, time.process_time() - cpu


def _row(label: str, quality: Quality, seconds: float, cpu: float) -> str:
    took = f"{seconds:6.2f} s ({cpu:5.2f} s CPU)"
    return (
        f"  {label:<8}{took}  placed {quality.placed:>4}/{quality.mentees:<4}"
        f"  wishes met {quality.wishes_share:6.1%} ({quality.wishes_met}/{quality.wishes})"
        f"  groups with >= 2 common slots {quality.common_slots_share:6.1%}"
        f" ({quality.groups_with_common_slots}/{quality.groups})"
    )


def large_cases(seed: int, runs: int) -> None:
    """Each solve `runs` times (the same proposal each time): the median time, and the range."""
    rules = GroupRules()
    for mentors, mentees in ((20, 80), (150, 600)):
        people = synthetic_signups(mentors, mentees, seed=seed)
        print(f"{mentors} mentors, {mentees} mentees")
        for label, solve in (("greedy", propose_greedy), ("CP-SAT", propose)):
            timings = [_timed(solve, people, rules) for _ in range(runs)]
            proposals = {proposal for proposal, _, _ in timings}
            assert len(proposals) == 1, "the same sign-ups gave different proposals"
            wall = sorted(seconds for _, seconds, _ in timings)
            cpu = statistics.median(cpu for _, _, cpu in timings)
            print(
                _row(label, proposal_quality(timings[0][0], people), statistics.median(wall), cpu)
                + f"  (wall {wall[0]:.2f}–{wall[-1]:.2f} s over {runs} runs)"
            )


def small_cases(seed: int, count: int) -> None:
    rules = GroupRules()
    print(f"{count} small terms (4–6 mentors, 12–22 mentees): mean over the terms")
    figures: dict[str, list[Quality]] = {"greedy": [], "CP-SAT": [], "proven optimum": []}
    proven = 0
    for case in range(count):
        rng = random.Random(seed * 1000 + case)
        people = synthetic_signups(rng.randint(4, 6), rng.randint(12, 22), seed=seed + case)
        best = propose(people, rules, work_limit=None)
        proven += best.proven_best
        figures["greedy"].append(proposal_quality(propose_greedy(people, rules), people))
        # As a large term is solved: a few mentors' groups at a time, from the greedy start.
        figures["CP-SAT"].append(proposal_quality(propose(people, rules, whole_up_to=0), people))
        figures["proven optimum"].append(proposal_quality(best, people))
    for label, qualities in figures.items():
        placed = statistics.mean(q.placed / q.mentees for q in qualities if q.mentees)
        wishes = statistics.mean(q.wishes_share for q in qualities)
        slots = statistics.mean(q.common_slots_share for q in qualities if q.groups)
        print(
            f"  {label:<16}placed {placed:6.1%}  wishes met {wishes:6.1%}"
            f"  groups with >= 2 common slots {slots:6.1%}"
        )
    print(f"  optimum proven in {proven} of {count} terms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--small-cases", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="solves of each large case")
    arguments = parser.parse_args()
    large_cases(arguments.seed, arguments.runs)
    small_cases(arguments.seed, arguments.small_cases)


if __name__ == "__main__":
    main()
