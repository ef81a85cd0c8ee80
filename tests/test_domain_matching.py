"""Proposing groups (bot/domain/matching.py): every hard rule, the preferences where the rules
allow them, locked groups, everyone left out with a reason, the same answer every time."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.matching import (
    Candidate,
    FixedGroup,
    GroupReasons,
    GroupRules,
    LeftOutReason,
    ProblemCode,
    Proposal,
    check_groups,
    describe_reasons,
    propose,
    propose_greedy,
)
from bot.domain.roster import ParticipantRole

RULES = GroupRules(size_min=3, size_max=4)
WEEKDAY_EVENINGS = frozenset({"mon-evening", "tue-evening", "wed-evening"})


def mentor(
    person_id: str,
    *,
    languages: str = "en",
    capacity: int = 1,
    certified: bool = True,
    slots: frozenset[str] = WEEKDAY_EVENINGS,
    **more: object,
) -> Candidate:
    return Candidate(
        person_id=person_id,
        name=f"Mentor {person_id}",
        role=ParticipantRole.MENTOR,
        languages=frozenset(languages.split(",")),
        capacity=capacity,
        certified=certified,
        slots=slots,
        **more,  # type: ignore[arg-type]
    )


def mentee(
    person_id: str,
    *,
    languages: str = "en",
    slots: frozenset[str] = WEEKDAY_EVENINGS,
    **more: object,
) -> Candidate:
    return Candidate(
        person_id=person_id,
        name=f"Mentee {person_id}",
        role=ParticipantRole.MENTEE,
        languages=frozenset(languages.split(",")) if languages else frozenset(),
        slots=slots,
        **more,  # type: ignore[arg-type]
    )


def reasons_of(proposal: Proposal) -> dict[str, LeftOutReason]:
    return {left.person_id: left.reason for left in proposal.left_out}


def group_of(proposal: Proposal, person_id: str) -> tuple[str, ...] | None:
    for group in proposal.groups:
        if person_id == group.mentor or person_id in group.mentees:
            return (group.mentor, *group.mentees)
    return None


def assert_hard_rules(proposal: Proposal, people: list[Candidate], rules: GroupRules) -> None:
    by_id = {p.person_id: p for p in people}
    fixed = [FixedGroup(g.mentor, g.mentees) for g in proposal.groups]
    assert check_groups(fixed, by_id, rules) == []
    # Everyone is in exactly one place: a group (mentors may lead several) or left out.
    mentees = [m for g in proposal.groups for m in g.mentees]
    left = [o.person_id for o in proposal.left_out]
    assert len(mentees) == len(set(mentees))
    assert len(left) == len(set(left))
    assert not set(mentees) & set(left)
    assert not {g.mentor for g in proposal.groups} & set(left)
    everyone_mentee = {p.person_id for p in people if p.role is ParticipantRole.MENTEE}
    assert set(mentees) | (set(left) & everyone_mentee) == everyone_mentee
    everyone_mentor = {p.person_id for p in people if p.role is ParticipantRole.MENTOR}
    assert everyone_mentor == {g.mentor for g in proposal.groups} | (set(left) - everyone_mentee)


# --- Hard rules -------------------------------------------------------------------------------


def test_an_uncertified_mentor_leads_nothing_and_is_told_why() -> None:
    people = [
        mentor("M1", certified=False, capacity=3),
        mentor("M2"),
        *(mentee(f"E{n}", preferred_mentor="M1") for n in range(4)),
    ]
    proposal = propose(people, RULES)
    assert [g.mentor for g in proposal.groups] == ["M2"]
    assert reasons_of(proposal)["M1"] is LeftOutReason.UNCERTIFIED_MENTOR
    assert_hard_rules(proposal, people, RULES)


def test_group_sizes_stay_within_the_terms_bounds() -> None:
    people = [mentor("M1", capacity=3), *(mentee(f"E{n}") for n in range(7))]
    proposal = propose(people, RULES)
    assert sorted(len(g.mentees) for g in proposal.groups) == [3, 4]
    two_to_five = GroupRules(size_min=2, size_max=5)
    wider = propose(people, two_to_five)
    assert all(2 <= len(g.mentees) <= 5 for g in wider.groups)
    assert sum(len(g.mentees) for g in wider.groups) == 7


def test_too_few_mentees_for_a_group_are_left_out_for_lack_of_room() -> None:
    people = [mentor("M1"), mentee("E1"), mentee("E2")]
    proposal = propose(people, RULES)
    assert proposal.groups == ()
    assert reasons_of(proposal) == {
        "E1": LeftOutReason.NO_ROOM,
        "E2": LeftOutReason.NO_ROOM,
        "M1": LeftOutReason.NOT_NEEDED,
    }


def test_everyone_in_a_group_shares_a_language() -> None:
    people = [
        mentor("M1", languages="da,en", capacity=2),
        *(mentee(f"D{n}", languages="da") for n in range(3)),
        *(mentee(f"N{n}", languages="en") for n in range(3)),
    ]
    proposal = propose(people, RULES)
    assert len(proposal.groups) == 2
    assert sorted(g.reasons.languages for g in proposal.groups) == [("da",), ("en",)]
    assert_hard_rules(proposal, people, RULES)
    # Two who speak only Danish and two only English: four mentees, but no group at all.
    split = [people[0], *people[1:3], *people[4:6]]
    assert propose(split, RULES).groups == ()


def test_a_mentee_no_certified_mentor_can_talk_to_is_left_out_with_that_reason() -> None:
    people = [
        mentor("M1", languages="da"),
        mentor("M2", languages="pt", certified=False),
        *(mentee(f"E{n}", languages="da") for n in range(3)),
        mentee("P1", languages="pt"),
        mentee("X1", languages=""),
    ]
    reasons = reasons_of(propose(people, RULES))
    assert reasons["P1"] is LeftOutReason.NO_SHARED_LANGUAGE
    assert reasons["X1"] is LeftOutReason.NO_LANGUAGE_GIVEN


def test_a_mentor_leads_no_more_groups_than_their_capacity() -> None:
    people = [mentor("M1", capacity=1), *(mentee(f"E{n}") for n in range(8))]
    proposal = propose(people, RULES)
    assert len(proposal.groups) == 1
    assert sum(r is LeftOutReason.NO_ROOM for r in reasons_of(proposal).values()) == 4


def test_a_mentor_with_room_for_no_group_is_listed_with_that_reason() -> None:
    people = [mentor("M0", capacity=0), mentor("M1"), *(mentee(f"E{n}") for n in range(3))]
    proposal = propose(people, RULES)
    assert reasons_of(proposal) == {"M0": LeftOutReason.NO_CAPACITY}


def test_withdrawn_people_take_no_part() -> None:
    people = [
        mentor("M1", withdrawn=True),
        mentor("M2"),
        *(mentee(f"E{n}") for n in range(3)),
        mentee("W1", withdrawn=True),
    ]
    proposal = propose(people, RULES)
    assert [(g.mentor, g.mentees) for g in proposal.groups] == [("M2", ("E0", "E1", "E2"))]
    reasons = reasons_of(proposal)
    assert reasons["M1"] is reasons["W1"] is LeftOutReason.WITHDRAWN


# --- Preferences --------------------------------------------------------------------------------


def test_preferred_mentor_friends_and_common_slots_are_honoured_where_the_rules_allow() -> None:
    mornings = frozenset({"mon-morning", "tue-morning", "fri-morning"})
    people = [
        mentor("M1", slots=WEEKDAY_EVENINGS),
        mentor("M2", slots=mornings),
        mentee("A", preferred_mentor="M2", slots=WEEKDAY_EVENINGS | mornings),
        mentee("B", friend="C", slots=mornings),
        mentee("C", slots=mornings),
        *(mentee(f"E{n}") for n in range(3)),
    ]
    proposal = propose(people, RULES)
    assert group_of(proposal, "A") == ("M2", "A", "B", "C")
    assert group_of(proposal, "E0") == ("M1", "E0", "E1", "E2")
    group = next(g for g in proposal.groups if g.mentor == "M2")
    assert group.reasons.preferred_mentor_of == ("A",)
    assert group.reasons.friends_together == (("B", "C"),)
    assert len(group.reasons.common_slots) == 3
    assert proposal.proven_best


def test_placing_a_mentee_outweighs_every_preference() -> None:
    # Four mentees all want M1, who can lead one group of at most 4; M2 needs three mentees.
    people = [
        mentor("M1"),
        mentor("M2"),
        *(mentee(f"E{n}", preferred_mentor="M1") for n in range(7)),
    ]
    proposal = propose(people, RULES)
    assert sum(len(g.mentees) for g in proposal.groups) == 7


# --- Locked groups, determinism, the large-term search -------------------------------------------


def test_locked_groups_are_kept_and_the_rest_solved_around_them() -> None:
    people = [
        mentor("M1", capacity=2),
        mentor("M2"),
        *(mentee(f"E{n}", preferred_mentor="M2") for n in range(7)),
    ]
    locked = [FixedGroup("M2", ("E4", "E5", "E6"))]
    proposal = propose(people, RULES, locked)
    kept = [g for g in proposal.groups if g.locked]
    assert [(g.mentor, g.mentees) for g in kept] == [("M2", ("E4", "E5", "E6"))]
    others = [g for g in proposal.groups if not g.locked]
    assert [(g.mentor, g.mentees) for g in others] == [("M1", ("E0", "E1", "E2", "E3"))]


def test_a_locked_groups_mentor_with_room_leads_another_and_nobody_locked_is_left_out() -> None:
    people = [
        mentor("M1", capacity=2),
        *(mentee(f"E{n}") for n in range(6)),
        mentee("W1", withdrawn=True),
    ]
    # The coordinator kept a withdrawn mentee in a group: kept as they said, not listed.
    locked = [FixedGroup("M1", ("E0", "E1", "W1"))]
    proposal = propose(people, RULES, locked)
    assert [(g.mentor, g.mentees, g.locked) for g in proposal.groups] == [
        ("M1", ("E0", "E1", "W1"), True),
        ("M1", ("E2", "E3", "E4", "E5"), False),
    ]
    assert proposal.left_out == ()


def synthetic(mentors: int, mentees: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    slots = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu") for p in ("afternoon", "evening")]
    languages = ["da", "en", "da,en", "en,de"]
    people = [
        mentor(
            f"M{n:02d}",
            languages=rng.choice(languages),
            capacity=rng.choice((1, 1, 2)),
            slots=frozenset(rng.sample(slots, 4)),
            year=rng.choice("345"),
        )
        for n in range(mentors)
    ]
    people += [
        mentee(
            f"E{n:02d}",
            languages=rng.choice(languages),
            slots=frozenset(rng.sample(slots, 4)),
            year=rng.choice("123"),
            programme=rng.choice(("Law", "Biology")),
            preferred_mentor=f"M{rng.randrange(mentors):02d}" if rng.random() < 0.3 else None,
            friend=f"E{rng.randrange(mentees):02d}" if rng.random() < 0.2 else None,
        )
        for n in range(mentees)
    ]
    return people


def test_the_same_sign_ups_give_the_same_proposal_in_any_order() -> None:
    people = synthetic(12, 40, seed=3)
    first = propose(people, RULES)
    shuffled = list(people)
    random.Random(9).shuffle(shuffled)
    assert propose(shuffled, RULES) == first
    assert propose(people, RULES) == first
    assert_hard_rules(first, people, RULES)


def test_the_large_term_search_keeps_the_rules_and_does_no_worse_than_greedy() -> None:
    people = synthetic(12, 40, seed=5)
    greedy = propose_greedy(people, RULES)
    searched = propose(people, RULES, whole_up_to=0)
    assert_hard_rules(greedy, people, RULES)
    assert_hard_rules(searched, people, RULES)
    placed = sum(len(g.mentees) for g in searched.groups)
    assert placed >= sum(len(g.mentees) for g in greedy.groups)


@st.composite
def small_terms(draw: st.DrawFn) -> tuple[list[Candidate], GroupRules]:
    size_min = draw(st.integers(1, 3))
    rules = GroupRules(size_min, draw(st.integers(size_min, 4)), draw(st.booleans()))
    codes = st.frozensets(st.sampled_from(["da", "en", "pl"]), max_size=2)
    slot = st.sampled_from(["mon-evening", "tue-evening", "wed-morning", "sat-afternoon"])
    mentor_count = draw(st.integers(1, 4))
    mentee_count = draw(st.integers(0, 12))
    people = [
        Candidate(
            person_id=f"M{n}",
            name=f"M{n}",
            role=ParticipantRole.MENTOR,
            languages=draw(codes),
            slots=draw(st.frozensets(slot)),
            capacity=draw(st.integers(0, 2)),
            certified=draw(st.booleans()),
            withdrawn=draw(st.booleans()) and draw(st.booleans()),
        )
        for n in range(mentor_count)
    ]
    people += [
        Candidate(
            person_id=f"E{n}",
            name=f"E{n}",
            role=ParticipantRole.MENTEE,
            languages=draw(codes),
            slots=draw(st.frozensets(slot)),
            year=draw(st.sampled_from(["1", "2", None])),
            programme=draw(st.sampled_from(["Law", "Biology", None])),
            preferred_mentor=draw(st.sampled_from([None, "M0", "M1"])),
            friend=draw(st.sampled_from([None, "E0", "E1", "E2"])),
            withdrawn=draw(st.booleans()) and draw(st.booleans()),
        )
        for n in range(mentee_count)
    ]
    return people, rules


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_terms())
def test_any_proposal_keeps_every_hard_rule(term: tuple[list[Candidate], GroupRules]) -> None:
    people, rules = term
    searched = propose(people, rules, whole_up_to=0)
    assert propose(people[::-1], rules, whole_up_to=0) == searched
    for proposal in (
        propose(people, rules, work_limit=0.2),
        searched,
        propose_greedy(people, rules),
    ):
        assert_hard_rules(proposal, people, rules)
        uncertified = {p.person_id for p in people if not p.certified and not p.withdrawn}
        assert not uncertified & {g.mentor for g in proposal.groups}


# --- Checking a coordinator's groups, and the reasons in words -----------------------------------


def test_check_groups_names_each_broken_rule() -> None:
    people = {
        p.person_id: p
        for p in [
            mentor("M1", languages="da"),
            mentor("U1", certified=False),
            mentee("E1"),
            mentee("E2"),
            mentee("E3"),
            mentee("E4", withdrawn=True),
        ]
    }
    groups = [
        FixedGroup("M1", ("E1", "E2", "E3")),
        FixedGroup("U1", ("E1", "E4")),
        FixedGroup("E2", ("X9",)),
        FixedGroup("M1", ("E3",)),
    ]
    found = {(p.group, p.code, p.person_id) for p in check_groups(groups, people, RULES)}
    assert found == {
        (0, ProblemCode.NO_COMMON_LANGUAGE, None),
        (1, ProblemCode.UNCERTIFIED, "U1"),
        (1, ProblemCode.WITHDRAWN, "E4"),
        (1, ProblemCode.SIZE, None),
        (1, ProblemCode.TWICE, "E1"),
        (2, ProblemCode.NOT_A_MENTOR, "E2"),
        (2, ProblemCode.UNKNOWN_PERSON, "X9"),
        (2, ProblemCode.SIZE, None),
        (2, ProblemCode.TWICE, "E2"),
        (3, ProblemCode.SIZE, None),
        (3, ProblemCode.TWICE, "E3"),
        (3, ProblemCode.OVER_CAPACITY, "M1"),
        (3, ProblemCode.NO_COMMON_LANGUAGE, None),
    }


def test_reasons_read_as_one_short_line() -> None:
    reasons = GroupReasons(
        common_slots=("mon-evening", "thu-evening", "tue-evening"),
        languages=("da",),
        preferred_mentor_of=("A",),
        friends_together=(("B", "C"),),
        programmes=("Law",),
        years=("1", "2"),
    )
    names = {"A": "Ada", "B": "Bo", "C": "Cy"}
    assert describe_reasons(reasons, names) == (
        "3 common slots · all speak Danish · Ada's preferred mentor · Bo and Cy together"
        " · all in Law · years 1 and 2"
    )
    lone = GroupReasons(("mon-evening",), ("da", "en"), (), (), ("Law", "Biology"), ("1",))
    assert (
        describe_reasons(lone, {}) == "1 common slot · all speak Danish and English · 2 programmes"
    )
