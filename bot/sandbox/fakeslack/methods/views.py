"""views.open / push / update / publish.

The view is checked before the trigger, as Slack does (recorded-http/views_open_error.yml:
a bad view with a bogus trigger_id still gets invalid_arguments about the view), so a
refused view does not use up its trigger. Slack lists view problems under invalid_arguments,
first the generic "failed to match all allowed schemas [json-pointer:/view]" line, then each
problem. A new views.open replaces a modal stack the person already has open.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.fakeslack.blockkit import view_is_too_large, view_problems
from bot.sandbox.fakeslack.errors import ApiError, invalid_arguments
from bot.sandbox.fakeslack.interactions import Trigger
from bot.sandbox.fakeslack.model import JsonDict, View
from bot.sandbox.fakeslack.webapi import Args, MethodContext
from bot.sandbox.fakeslack.workspace import MODAL_STACK_LIMIT


def views_open(context: MethodContext, args: Args) -> JsonDict:
    view = _checked_view(context, args, allowed_type="modal")
    trigger = _exchange_trigger(context, args)
    opened = context.workspace.open_modal(trigger.user_id, view)
    return {"view": opened.to_api(context.team)}


def views_push(context: MethodContext, args: Args) -> JsonDict:
    view = _checked_view(context, args, allowed_type="modal")
    trigger = _exchange_trigger(context, args)
    stack = context.workspace.modal_stacks.get(trigger.user_id)
    if not stack:
        raise ApiError("not_found")
    if len(stack) >= MODAL_STACK_LIMIT:
        raise ApiError("push_limit_reached")
    pushed = context.workspace.push_modal(trigger.user_id, view)
    return {"view": pushed.to_api(context.team)}


def views_update(context: MethodContext, args: Args) -> JsonDict:
    view = _checked_view(context, args, allowed_type=None)
    target = _view_to_update(context, args)
    if view.get("type") != target.type:
        raise invalid_arguments(f"must be of type {target.type} [json-pointer:/view/type]")
    _refuse_stale_hash(args, target)
    _refuse_taken_external_id(context, view, target)
    context.workspace.replace_view(target, view)
    return {"view": target.to_api(context.team)}


def views_publish(context: MethodContext, args: Args) -> JsonDict:
    view = _checked_view(context, args, allowed_type="home")
    user_id = args.text("user_id")
    if not user_id:
        raise invalid_arguments("missing required field: user_id")
    if user_id not in context.workspace.users:
        raise invalid_arguments("invalid `user_id`")
    current = context.workspace.home_view(user_id)
    if current is not None:
        _refuse_stale_hash(args, current)
    _refuse_taken_external_id(context, view, current)
    published = context.workspace.publish_home(user_id, view)
    return {"view": published.to_api(context.team)}


def _checked_view(context: MethodContext, args: Args, *, allowed_type: str | None) -> JsonDict:
    """The `view` argument decoded and checked; raises what Slack would answer."""
    if "view" not in args.raw:
        raise invalid_arguments("missing required field: view")
    try:
        view: Any = args.json("view", error="invalid_arguments")
    except ApiError:
        view = args.raw["view"]  # not JSON; reported below as "must provide an object"
    problems = [str(p) for p in view_problems(view)]
    if not problems and allowed_type and view.get("type") != allowed_type:
        problems.append(f"unsupported type: {view.get('type')} [json-pointer:/view/type]")
    if problems:
        raise invalid_arguments(
            "failed to match all allowed schemas [json-pointer:/view]", *problems
        )
    if view_is_too_large(view):
        raise ApiError("view_too_large")
    if allowed_type == "modal":
        _refuse_taken_external_id(context, view, None)
    return dict(view)


def _exchange_trigger(context: MethodContext, args: Args) -> Trigger:
    trigger_id = args.text("trigger_id") or args.text("interactivity_pointer")
    if not trigger_id:
        raise invalid_arguments("missing required field: trigger_id")
    return context.triggers.exchange(trigger_id)


def _view_to_update(context: MethodContext, args: Args) -> View:
    view_id, external_id = args.text("view_id"), args.text("external_id")
    if view_id:
        target = context.workspace.views.get(view_id)
    elif external_id:
        target = context.workspace.view_by_external_id(external_id)
    else:
        raise invalid_arguments("either view_id or external_id is required")
    if target is None or not target.is_open:
        raise ApiError("not_found")
    return target


def _refuse_stale_hash(args: Args, current: View) -> None:
    given = args.text("hash")
    if given and given != current.hash:
        raise ApiError("hash_conflict")


def _refuse_taken_external_id(context: MethodContext, view: JsonDict, owner: View | None) -> None:
    external_id = view.get("external_id")
    if not external_id:
        return
    holder = context.workspace.view_by_external_id(str(external_id))
    if holder is not None and holder is not owner:
        raise ApiError("duplicate_external_id")
