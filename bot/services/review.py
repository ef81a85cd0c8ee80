"""The coordinator's review of proposed groups (issue 17): `/mentor match` stores a draft,
the coordinator moves people, locks groups and re-runs the rest, then approves; the approval
creates the groups through the existing path and tells everyone. People who sign up after
the groups exist are proposed to one group with room each, one approval each.

Every change is made by a coordinator, checked again here on the server (a click in an old
modal or a forged payload is refused), and re-checked against the hard rules."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.ids import REVIEW_MOVE_PERSON, REVIEW_MOVE_TARGET
from bot.blocks.review import (
    late_no_room_text,
    late_proposal_blocks,
    late_proposal_text,
    left_out_dm_text,
    your_group_text,
)
from bot.blocks.text import mention
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.domain.matching import (
    Candidate,
    FixedGroup,
    GroupReasons,
    GroupRules,
    LeftOutReason,
    ProblemCode,
    RuleProblem,
    check_groups,
    group_reasons,
)
from bot.domain.review import MOVED_OUT, Review, ReviewGroup
from bot.domain.roster import ParticipantRole
from bot.followups import defer
from bot.i18n import Phrase, nphrase, phrase
from bot.runtime import Runtime
from bot.services.channels import ChannelSetupError
from bot.services.groups import (
    GroupRequest,
    add_to_group,
    create_group,
    describe_setup_error,
)
from bot.services.language import reader
from bot.services.matching import MatchingRoster, load_matching_roster, propose_for_roster
from bot.services.outbox import send_once
from bot.services.people import fetch_profile
from storage.db import read_session, write_session
from storage.groups import group_by_id
from storage.ids import stored_id
from storage.models import ProposalKind, ProposalState
from storage.proposals import (
    DraftGroup,
    ExistingGroup,
    StoredProposal,
    approve,
    discard,
    groups_with_members,
    keep_working,
    late_draft_of,
    load_proposal,
    mark_finished,
    mark_group_created,
    mark_groups_formed,
    replace_content,
    save_draft,
    take_over,
)

logger = logging.getLogger(__name__)

LATE_SIGNUP = "late sign-up proposal"
"""The follow-up that proposes a group to a late sign-up (handlers register it)."""
TOLD_GROUP = "told group"
TOLD_LEFT_OUT = "told left out"

NOT_A_COORDINATOR = phrase("Only coordinators can review and approve proposed groups.")
ALREADY_APPROVED = phrase(
    "These groups are approved already, so nothing is created twice. "
    "See them with `/mentor group list`."
)
NO_GROUPS = phrase(
    "There are no groups to create: the proposal places nobody. Check who is left out and why."
)
APPROVAL_LEASE = timedelta(minutes=10)
"""Far longer than one group's creation takes, even waiting out Slack's rate limits: an
approval that has not gone on for this long was cut short."""
NOT_A_DRAFT = phrase(
    "This proposal was approved or replaced by a newer one, so it can't be changed. "
    "Type `/mentor match` for a fresh one."
)


def require_coordinator(runtime: Runtime, user_id: str) -> None:
    """Every click is re-authorised: the button was shown to a coordinator, but a payload
    can be sent by anyone in the workspace."""
    if user_id not in runtime.settings.coordinators:
        logger.info("refused a match review action to %r", user_id)
        raise UserError(NOT_A_COORDINATOR)


# --- Proposing and reading --------------------------------------------------------------


def start_review(runtime: Runtime, *, by: str) -> Review:
    """Propose the current term's groups and store them as the term's draft (an older draft
    is discarded)."""
    require_coordinator(runtime, by)
    roster = load_matching_roster(runtime, term_name=None)
    result = propose_for_roster(roster)
    with write_session(runtime.engine) as session:
        proposal = save_draft(
            session,
            term_id=stored_id(roster.term),
            kind=ProposalKind.TERM,
            created_by=by,
            now=runtime.now(),
            groups=[DraftGroup(g.mentor, g.mentees, g.locked) for g in result.proposal.groups],
            left_out=[(o.person_id, o.reason.value) for o in result.proposal.left_out],
        )
    logger.info(
        "proposal %s: %d groups, %d left out",
        proposal.id,
        len(result.proposal.groups),
        len(result.proposal.left_out),
    )
    return _review_of(_load(runtime, stored_id(proposal)), roster)


def load_review(runtime: Runtime, *, proposal_id: int, by: str) -> Review:
    require_coordinator(runtime, by)
    return _review_of(_load(runtime, proposal_id), load_matching_roster(runtime, term_name=None))


def _load(runtime: Runtime, proposal_id: int) -> StoredProposal:
    with read_session(runtime.engine) as session:
        stored = load_proposal(session, proposal_id)
    if stored is None or stored.proposal.kind is not ProposalKind.TERM:
        raise UserError(NOT_A_DRAFT)
    return stored


def _review_of(stored: StoredProposal, roster: MatchingRoster) -> Review:
    _check_same_term(stored, roster)
    people = roster.people
    groups = []
    for group in stored.groups:
        everyone = (group.row.mentor_id, *group.mentee_ids)
        reasons = (
            group_reasons(group.row.mentor_id, group.mentee_ids, people, roster.rules)
            if all(p in people for p in everyone) and group.mentee_ids
            else None
        )
        groups.append(
            ReviewGroup(
                position=group.row.position,
                mentor=group.row.mentor_id,
                mentees=group.mentee_ids,
                locked=group.row.locked,
                reasons=reasons,
            )
        )
    return Review(
        proposal_id=stored_id(stored.proposal),
        draft=stored.proposal.state is ProposalState.DRAFT,
        groups=tuple(groups),
        left_out=tuple((s.slack_user_id, s.left_out_reason or "") for s in stored.left_out),
        names={person_id: person.name for person_id, person in people.items()},
        rules=roster.rules,
    )


def _check_same_term(stored: StoredProposal, roster: MatchingRoster) -> None:
    """A review modal left open from an earlier term changes and creates nothing now."""
    if stored.proposal.term_id != stored_id(roster.term):
        raise UserError(NOT_A_DRAFT)


# --- Editing a draft --------------------------------------------------------------------


def _editable(runtime: Runtime, proposal_id: int, by: str) -> tuple[Review, MatchingRoster]:
    require_coordinator(runtime, by)
    stored = _load(runtime, proposal_id)
    if stored.proposal.state is not ProposalState.DRAFT:
        raise UserError(NOT_A_DRAFT)
    roster = load_matching_roster(runtime, term_name=None)
    return _review_of(stored, roster), roster


def _save(
    runtime: Runtime,
    proposal_id: int,
    groups: Sequence[DraftGroup],
    left_out: Sequence[tuple[str, str]],
) -> None:
    with write_session(runtime.engine) as session:
        if not replace_content(session, proposal_id=proposal_id, groups=groups, left_out=left_out):
            raise UserError(NOT_A_DRAFT)


def move_person(
    runtime: Runtime, *, proposal_id: int, person_id: str, target: int | None, by: str
) -> Review:
    """Put a mentee in the group at `target` (a position), or out of every group (None).
    Refused, on the form's field, when the groups it changes would break a hard rule."""
    review, roster = _editable(runtime, proposal_id, by)
    person = roster.people.get(person_id)
    if person is None or person.role is not ParticipantRole.MENTEE:
        raise FieldError(
            REVIEW_MOVE_PERSON,
            phrase("Pick a mentee of this proposal: mentors lead groups and are not moved."),
        )
    positions = {g.position for g in review.groups}
    if target is not None and target not in positions:
        raise FieldError(REVIEW_MOVE_TARGET, phrase("Pick a group of this proposal."))
    source = next((g.position for g in review.groups if person_id in g.mentees), None)
    if source == target:
        raise FieldError(REVIEW_MOVE_TARGET, phrase("They are there already."))
    groups = []
    for group in review.groups:
        mentees = tuple(m for m in group.mentees if m != person_id)
        if group.position == target:
            mentees = (*mentees, person_id)
        groups.append(DraftGroup(group.mentor, tuple(sorted(mentees)), group.locked))
    changed = [i for i, g in enumerate(review.groups) if g.position in (source, target)]
    fixed = [FixedGroup(g.mentor_id, g.mentee_ids) for g in groups]
    problems = [p for p in check_groups(fixed, roster.people, roster.rules) if p.group in changed]
    if problems:
        # Every rule the move breaks, one per line on the field.
        said = {
            str(why): why
            for why in (_problem_phrase(p, groups, roster.people, roster.rules) for p in problems)
        }
        raise FormErrors([FieldError(REVIEW_MOVE_TARGET, why) for why in said.values()])
    left_out = [(p, r) for p, r in review.left_out if p != person_id]
    if target is None:
        left_out.append((person_id, MOVED_OUT))
    _save(runtime, proposal_id, groups, sorted(left_out))
    return load_review(runtime, proposal_id=proposal_id, by=by)


def _problem_phrase(
    problem: RuleProblem,
    groups: Sequence[DraftGroup],
    people: Mapping[str, Candidate],
    rules: GroupRules,
) -> Phrase:
    number = problem.group + 1
    person = people.get(problem.person_id or "")
    who = person.name if person is not None else ""
    if problem.code is ProblemCode.SIZE:
        count = len(groups[problem.group].mentee_ids)
        return nphrase(
            "Group {number} would have {count} mentee; a group has {least} to {most}.",
            "Group {number} would have {count} mentees; a group has {least} to {most}.",
            count,
            number=number,
            least=rules.size_min,
            most=rules.size_max,
        )
    if problem.code is ProblemCode.NO_COMMON_LANGUAGE:
        return phrase("Group {number} would have no language everyone in it speaks.", number=number)
    if problem.code is ProblemCode.TWICE:
        return phrase("{name} would be in two groups.", name=who)
    if problem.code is ProblemCode.WITHDRAWN:
        return phrase("{name} has withdrawn their sign-up.", name=who)
    if problem.code is ProblemCode.UNCERTIFIED:
        return phrase("{name} is not a certified mentor.", name=who)
    if problem.code is ProblemCode.OVER_CAPACITY:
        return phrase("{name} would lead more groups than they offered to.", name=who)
    if problem.code in (ProblemCode.NOT_A_MENTOR, ProblemCode.NOT_A_MENTEE):
        return phrase("{name} signed up in another role.", name=who)
    return phrase("{who} is not on this term's roster.", who=mention(problem.person_id or ""))


def set_locked(
    runtime: Runtime, *, proposal_id: int, position: int, locked: bool, by: str
) -> Review:
    """Lock a group (a re-run keeps it as it is) or unlock it."""
    review, _ = _editable(runtime, proposal_id, by)
    if position not in {g.position for g in review.groups}:
        raise UserError(NOT_A_DRAFT)
    groups = [
        DraftGroup(g.mentor, g.mentees, locked if g.position == position else g.locked)
        for g in review.groups
    ]
    _save(runtime, proposal_id, groups, review.left_out)
    return load_review(runtime, proposal_id=proposal_id, by=by)


def rerun_rest(runtime: Runtime, *, proposal_id: int, by: str) -> Review:
    """Solve again around the locked groups, which stay exactly as they are."""
    review, roster = _editable(runtime, proposal_id, by)
    locked = [FixedGroup(g.mentor, g.mentees) for g in review.groups if g.locked]
    problems = check_groups(locked, roster.people, roster.rules)
    if problems:
        drafts = [DraftGroup(g.mentor, g.mentees) for g in locked]
        raise UserError(_problem_phrase(problems[0], drafts, roster.people, roster.rules))
    result = propose_for_roster(roster, locked)
    groups = [DraftGroup(g.mentor, g.mentees, g.locked) for g in result.proposal.groups]
    left_out = [(o.person_id, o.reason.value) for o in result.proposal.left_out]
    _save(runtime, proposal_id, groups, left_out)
    return load_review(runtime, proposal_id=proposal_id, by=by)


# --- Approving ----------------------------------------------------------------------------


@dataclass
class Approval:
    total: int
    created: int = 0
    failed: list[tuple[int, Phrase]] = field(default_factory=list)
    """(group number, why) for each group not created; the others went ahead."""
    told: int = 0


Progress = Callable[[int, int], None]
"""Called with (groups done, groups in all) as the approval goes on."""


def approve_review(
    runtime: Runtime,
    client: WebClient,
    *,
    proposal_id: int,
    by: str,
    progress: Progress,
) -> Approval:
    """Approve a draft once, then create its groups one by one through the existing path
    (a group that fails is reported and the rest go ahead) and tell everyone.

    An approval whose work stopped unfinished (its process died) is taken up again by a click
    once its lease ran out: creating a group and telling people are each done once however
    often they are asked for, so going through every group again finishes the rest."""
    require_coordinator(runtime, by)
    stored = _load(runtime, proposal_id)
    roster = load_matching_roster(runtime, term_name=None)
    _check_same_term(stored, roster)
    now = runtime.now()
    if stored.proposal.state is ProposalState.DRAFT:
        if not stored.groups:
            # Approving nothing would close the sign-up's changes for nobody's sake.
            raise UserError(NO_GROUPS)
        fixed = [FixedGroup(g.row.mentor_id, g.mentee_ids) for g in stored.groups]
        problems = check_groups(fixed, roster.people, roster.rules)
        if problems:
            drafts = [DraftGroup(g.mentor, g.mentees) for g in fixed]
            raise UserError(_problem_phrase(problems[0], drafts, roster.people, roster.rules))
        with write_session(runtime.engine) as session:
            approved = approve(session, proposal_id=proposal_id, by=by, now=now)
            if approved:
                mark_groups_formed(session, term_id=stored_id(roster.term), now=now)
        if not approved:
            raise UserError(ALREADY_APPROVED)
        logger.info("proposal %s approved by %r", proposal_id, by)
    elif stored.proposal.state is ProposalState.APPROVED:
        with write_session(runtime.engine) as session:
            resumed = take_over(
                session, proposal_id=proposal_id, now=now, stale_before=now - APPROVAL_LEASE
            )
        if not resumed:
            raise UserError(ALREADY_APPROVED)
        logger.info("proposal %s: an unfinished approval taken up by %r", proposal_id, by)
    else:
        raise UserError(NOT_A_DRAFT)
    approval = Approval(total=len(stored.groups))
    progress(0, approval.total)
    for done, group in enumerate(stored.groups, start=1):
        number = group.row.position + 1
        try:
            outcome = create_group(
                runtime,
                client,
                GroupRequest(
                    mentor=fetch_profile(client, group.row.mentor_id),
                    mentees=tuple(fetch_profile(client, m) for m in group.mentee_ids),
                ),
                created_by=by,
            )
        except UserError as error:
            approval.failed.append((number, error.phrase or phrase("an unexpected error")))
        except (SlackApiError, ChannelSetupError) as error:
            logger.warning("proposal %s: group %d not created", proposal_id, number)
            approval.failed.append((number, describe_setup_error(error)))
        else:
            with write_session(runtime.engine) as session:
                mark_group_created(
                    session,
                    proposal_group_id=stored_id(group.row),
                    group_id=stored_id(outcome.group),
                )
            if outcome.setup_problem is not None:
                approval.failed.append((number, outcome.setup_problem))
            approval.created += 1
            approval.told += _tell_group(
                runtime,
                client,
                group_key=stored_id(group.row),
                members=(group.row.mentor_id, *group.mentee_ids),
                mentor_id=group.row.mentor_id,
                name=outcome.group.name,
                channel_id=outcome.group.channel_id,
            )
        with write_session(runtime.engine) as session:
            keep_working(session, proposal_id=proposal_id, now=runtime.now())
        progress(done, approval.total)
    for seat in stored.left_out:
        approval.told += _tell_left_out(
            runtime,
            client,
            term_id=stored_id(roster.term),
            user_id=seat.slack_user_id,
            reason=seat.left_out_reason,
        )
    with write_session(runtime.engine) as session:
        mark_finished(session, proposal_id=proposal_id, now=runtime.now())
    return approval


def _dm(client: WebClient, user_id: str, text: str) -> Callable[[], object]:
    return lambda: client.chat_postMessage(channel=user_id, text=text)


def _tell_group(
    runtime: Runtime,
    client: WebClient,
    *,
    group_key: int,
    members: Sequence[str],
    mentor_id: str,
    name: str,
    channel_id: str | None,
) -> int:
    told = 0
    for member in members:
        text = your_group_text(
            reader(runtime, member),
            name=name,
            channel_id=channel_id,
            mentor_id=mentor_id,
            leads=member == mentor_id,
        )
        told += send_once(
            runtime, kind=TOLD_GROUP, key=f"{group_key}:{member}", send=_dm(client, member, text)
        )
    return told


def _tell_left_out(
    runtime: Runtime, client: WebClient, *, term_id: int, user_id: str, reason: str | None
) -> int:
    """What happens next, for everyone left out but those who withdrew (they asked not to
    take part)."""
    if reason == LeftOutReason.WITHDRAWN.value:
        return 0
    text = left_out_dm_text(reader(runtime, user_id), reason=reason or "")
    return int(
        send_once(
            runtime,
            kind=TOLD_LEFT_OUT,
            key=f"{term_id}:{user_id}",
            send=_dm(client, user_id, text),
        )
    )


# --- Late sign-ups ------------------------------------------------------------------------


def note_late_signup(runtime: Runtime, user_id: str) -> None:
    """Called by the sign-up when someone signs up after the groups were formed: the
    proposal is worked out after the form closes."""
    defer(runtime, LATE_SIGNUP, {"user_id": user_id})


def propose_late(runtime: Runtime, client: WebClient, user_id: str) -> None:
    """One group with room for a late mentee (the hard rules hold with them in it), stored
    as a draft and sent to each coordinator with "Add to …" / "Not now"."""
    roster = load_matching_roster(runtime, term_name=None)
    person = roster.people.get(user_id)
    if (
        person is None
        or person.withdrawn
        or person.role is not ParticipantRole.MENTEE
        or user_id in roster.already_grouped
    ):
        return
    term_id = stored_id(roster.term)
    with read_session(runtime.engine) as session:
        if late_draft_of(session, term_id=term_id, slack_user_id=user_id) is not None:
            return
        existing = groups_with_members(session, term_id=term_id)
    # The sign-up's name as Slack has it: the form's row may not know it yet.
    name = fetch_profile(client, user_id).name
    best = _best_group_with_room(person, existing, roster)
    coordinators = sorted(runtime.settings.coordinators)
    if best is None:
        for coordinator in coordinators:
            text = late_no_room_text(reader(runtime, coordinator), name=name)
            send_once(
                runtime,
                kind="late no room",
                key=f"{term_id}:{user_id}:{coordinator}",
                send=_dm(client, coordinator, text),
            )
        return
    group, mentor_id, mentees, reasons = best
    with write_session(runtime.engine) as session:
        proposal = save_draft(
            session,
            term_id=term_id,
            kind=ProposalKind.LATE,
            created_by=user_id,
            now=runtime.now(),
            groups=[DraftGroup(mentor_id, (*mentees, user_id), group_id=group)],
            left_out=[],
            late_user_id=user_id,
        )
    names = {**{p: c.name for p, c in roster.people.items()}, user_id: name}
    group_name = next(e.group.name for e in existing if stored_id(e.group) == group)
    for coordinator in coordinators:
        t = reader(runtime, coordinator)
        client.chat_postMessage(
            channel=coordinator,
            text=late_proposal_text(t, name=name, group=group_name),
            blocks=late_proposal_blocks(
                t,
                proposal_id=stored_id(proposal),
                name=name,
                group=group_name,
                reasons=reasons,
                names=names,
            ),
        )


_NOT_A_BAR_FOR_AN_EXISTING_GROUP = {
    # The group exists: its mentor leads it already (capacity), it may be below the term's
    # minimum (room is checked against the maximum), and people a coordinator put in it by
    # hand need not be on the roster.
    ProblemCode.OVER_CAPACITY,
    ProblemCode.SIZE,
    ProblemCode.UNKNOWN_PERSON,
}


def _best_group_with_room(
    person: Candidate, existing: Sequence[ExistingGroup], roster: MatchingRoster
) -> tuple[int, str, tuple[str, ...], GroupReasons] | None:
    """The existing group with room that suits a late mentee best: their preferred mentor,
    their friend, the most common slots, then the smallest group."""
    people, rules = roster.people, roster.rules
    ranked: list[tuple[tuple[int, int], int, str, tuple[str, ...], GroupReasons]] = []
    for entry in existing:
        if len(entry.mentor_ids) != 1 or entry.mentor_ids[0] not in people:
            continue
        mentor = entry.mentor_ids[0]
        if len(entry.mentee_ids) + 1 > rules.size_max:
            continue
        fixed = FixedGroup(mentor, (*entry.mentee_ids, person.person_id))
        problems = [
            p
            for p in check_groups([fixed], people, rules)
            if p.code not in _NOT_A_BAR_FOR_AN_EXISTING_GROUP
        ]
        if problems:
            continue
        known = [m for m in fixed.mentees if m in people]
        reasons = group_reasons(mentor, known, people, rules)
        score = (
            10 * (person.person_id in reasons.preferred_mentor_of)
            + 6 * (person.friend in entry.mentee_ids)
            + 3 * len(reasons.common_slots)
            - len(entry.mentee_ids)
        )
        group_id = stored_id(entry.group)
        ranked.append(((-score, group_id), group_id, mentor, entry.mentee_ids, reasons))
    if not ranked:
        return None
    _, group_id, mentor, mentees, reasons = min(ranked, key=lambda r: r[0])
    return group_id, mentor, mentees, reasons


def decide_late(
    runtime: Runtime, client: WebClient, *, proposal_id: int, add: bool, by: str
) -> Phrase:
    """A coordinator's answer to a late sign-up's proposal: once, for all coordinators."""
    require_coordinator(runtime, by)
    with read_session(runtime.engine) as session:
        stored = load_proposal(session, proposal_id)
    if (
        stored is None
        or stored.proposal.kind is not ProposalKind.LATE
        or stored.proposal.late_user_id is None
        or not stored.groups
        or stored.groups[0].row.group_id is None
    ):
        raise UserError(phrase("This proposal no longer exists."))
    user_id = stored.proposal.late_user_id
    with write_session(runtime.engine) as session:
        decided = (
            approve(session, proposal_id=proposal_id, by=by, now=runtime.now())
            if add
            else discard(session, proposal_id=proposal_id)
        )
        group = group_by_id(session, stored.groups[0].row.group_id)
    if not decided:
        return phrase(
            "Someone already answered this proposal for {who}; nothing changed.",
            who=mention(user_id),
        )
    if not add or group is None:
        return phrase(
            "Not now: {who} stays without a group. You can add them later with "
            '`/mentor group add @someone group="NAME"`.',
            who=mention(user_id),
        )
    added = add_to_group(runtime, client, user_id=user_id, group_name=group.name, by=by)
    _tell_group(
        runtime,
        client,
        group_key=stored_id(stored.groups[0].row),
        members=(user_id,),
        mentor_id=stored.groups[0].row.mentor_id,
        name=group.name,
        channel_id=group.channel_id,
    )
    return added
