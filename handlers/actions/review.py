"""The buttons of the match review (issue 17) and of a late sign-up's DM. Each click is
stored and acknowledged at once and done by the worker, which checks again that a
coordinator clicked: a payload can be forged by anyone in the workspace."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.blocks.ids import (
    LATE_ADD,
    LATE_NOT_NOW,
    REVIEW_APPROVE,
    REVIEW_LOCK,
    REVIEW_MOVE,
    REVIEW_PAGE,
    REVIEW_PAGE_BACK,
    REVIEW_RERUN,
    REVIEW_UNLOCK,
)
from bot.blocks.review import (
    approved_text,
    move_modal,
    progress_text,
    review_modal,
    review_notice_modal,
)
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.i18n import Translator
from bot.services.language import reader
from bot.services.review import (
    LATE_SIGNUP,
    NOT_A_DRAFT,
    approve_review,
    decide_late,
    load_review,
    propose_late,
    rerun_rest,
    set_locked,
)

logger = logging.getLogger(__name__)

MOVE = "review: open the move form"
LOCK = "review: lock a group"
UNLOCK = "review: unlock a group"
RERUN = "review: re-run the rest"
APPROVE = "review: approve"
PAGE = "review: turn the page"
ADD_LATE = "late sign-up: add"
NOT_NOW = "late sign-up: not now"
REFRESH = "review: refresh"

DEFERRED_CLICKS = {
    REVIEW_MOVE: MOVE,
    REVIEW_LOCK: LOCK,
    REVIEW_UNLOCK: UNLOCK,
    REVIEW_RERUN: RERUN,
    REVIEW_APPROVE: APPROVE,
    REVIEW_PAGE: PAGE,
    REVIEW_PAGE_BACK: PAGE,
    LATE_ADD: ADD_LATE,
    LATE_NOT_NOW: NOT_NOW,
}


def _numbers(request: DeferredRequest) -> tuple[int, ...]:
    """The clicked button's value, "ID" or "ID:N", as numbers (a forged one is refused)."""
    actions = request.payload.get("actions") or [{}]
    value = str(actions[0].get("value") or "")
    try:
        return tuple(int(part) for part in value.split(":"))
    except ValueError:
        raise UserError(NOT_A_DRAFT) from None


def _page(request: DeferredRequest) -> int:
    """The page the review modal shows (its private_metadata: "ID:PAGE")."""
    metadata = str((request.payload.get("view") or {}).get("private_metadata") or "")
    _, _, page = metadata.partition(":")
    return int(page) if page.isdigit() else 0


def _view_id(request: DeferredRequest) -> str | None:
    view = request.payload.get("view") or {}
    return str(view["id"]) if isinstance(view.get("id"), str) else None


def _refuse(request: DeferredRequest, t: Translator, error: UserError) -> None:
    """A refusal shown over the modal the click came from. Not to someone who is not a
    coordinator: they have no review modal, so their click was forged, and the view and
    trigger it names may be someone else's."""
    trigger_id = request.payload.get("trigger_id")
    if not trigger_id or request.user_id not in request.runtime.settings.coordinators:
        return
    try:
        request.client.views_push(trigger_id=trigger_id, view=review_notice_modal(t, error.say(t)))
    except SlackApiError:
        logger.warning("could not show a refusal to %r", request.user_id)


def _show(request: DeferredRequest, view: Any) -> None:
    view_id = _view_id(request)
    if view_id is not None:
        request.client.views_update(view_id=view_id, view=view)


def lock(request: DeferredRequest, *, locked: bool) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        proposal_id, position = _numbers(request)
        review = set_locked(
            request.runtime,
            proposal_id=proposal_id,
            position=position,
            locked=locked,
            by=request.user_id,
        )
    except (UserError, ValueError) as error:
        _refuse(request, t, error if isinstance(error, UserError) else UserError(NOT_A_DRAFT))
        return
    _show(request, review_modal(t, review, page=_page(request)))


def lock_group(request: DeferredRequest) -> None:
    lock(request, locked=True)


def unlock_group(request: DeferredRequest) -> None:
    lock(request, locked=False)


def rerun(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        (proposal_id,) = _numbers(request)
        review = rerun_rest(request.runtime, proposal_id=proposal_id, by=request.user_id)
    except (UserError, ValueError) as error:
        _refuse(request, t, error if isinstance(error, UserError) else UserError(NOT_A_DRAFT))
        return
    _show(request, review_modal(t, review, page=_page(request)))


def turn_page(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        proposal_id, page = _numbers(request)
        review = load_review(request.runtime, proposal_id=proposal_id, by=request.user_id)
    except (UserError, ValueError) as error:
        _refuse(request, t, error if isinstance(error, UserError) else UserError(NOT_A_DRAFT))
        return
    _show(request, review_modal(t, review, page=page))


def open_move(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        (proposal_id,) = _numbers(request)
        review = load_review(request.runtime, proposal_id=proposal_id, by=request.user_id)
        if not review.draft:
            raise UserError(NOT_A_DRAFT)
    except (UserError, ValueError) as error:
        _refuse(request, t, error if isinstance(error, UserError) else UserError(NOT_A_DRAFT))
        return
    request.client.views_push(
        trigger_id=request.payload["trigger_id"],
        view=move_modal(t, review, page=_page(request), review_view_id=_view_id(request) or ""),
    )


def approve(request: DeferredRequest) -> None:
    """Approve once, then show the creation's progress in the review modal."""
    t = reader(request.runtime, request.user_id)
    view_id = _view_id(request)

    def show_progress(done: int, total: int) -> None:
        # Every group when few, about every twentieth when many: views.update is rate
        # limited, and the creation must not wait for the progress shown.
        step = max(1, total // 20)
        if view_id is None or (done % step and done != total):
            return
        try:
            request.client.views_update(
                view_id=view_id,
                view=review_notice_modal(t, progress_text(t, done=done, total=total)),
            )
        except SlackApiError:
            logger.warning("could not show the approval's progress")

    try:
        (proposal_id,) = _numbers(request)
        approval = approve_review(
            request.runtime,
            request.slow_client,
            proposal_id=proposal_id,
            by=request.user_id,
            progress=show_progress,
        )
    except (UserError, ValueError) as error:
        _refuse(request, t, error if isinstance(error, UserError) else UserError(NOT_A_DRAFT))
        return
    text = approved_text(
        t,
        created=approval.created,
        total=approval.total,
        failed=[(number, why.say(t)) for number, why in approval.failed],
        told=approval.told,
    )
    _show(request, review_notice_modal(t, text))


def refresh(request: DeferredRequest) -> None:
    """The review modal again after a move made in the form pushed over it."""
    payload = request.payload
    t = reader(request.runtime, request.user_id)
    review = load_review(
        request.runtime, proposal_id=int(payload["proposal_id"]), by=request.user_id
    )
    request.client.views_update(
        view_id=str(payload["view_id"]), view=review_modal(t, review, page=int(payload["page"]))
    )


def _decide_late(request: DeferredRequest, *, add: bool) -> None:
    t = reader(request.runtime, request.user_id)
    said: str
    try:
        (proposal_id,) = _numbers(request)
        said = decide_late(
            request.runtime,
            request.slow_client,
            proposal_id=proposal_id,
            add=add,
            by=request.user_id,
        ).say(t)
        replace = True
    except (UserError, ValueError) as error:
        said = (error if isinstance(error, UserError) else UserError(NOT_A_DRAFT)).say(t)
        replace = False
    request.respond(text=said, response_type="ephemeral", replace_original=replace)


def add_late(request: DeferredRequest) -> None:
    _decide_late(request, add=True)


def not_now(request: DeferredRequest) -> None:
    _decide_late(request, add=False)


def late_signup(request: DeferredRequest) -> None:
    propose_late(request.runtime, request.slow_client, str(request.payload["user_id"]))


FOLLOW_UPS = {
    MOVE: open_move,
    LOCK: lock_group,
    UNLOCK: unlock_group,
    RERUN: rerun,
    APPROVE: approve,
    PAGE: turn_page,
    ADD_LATE: add_late,
    NOT_NOW: not_now,
    REFRESH: refresh,
    LATE_SIGNUP: late_signup,
}
