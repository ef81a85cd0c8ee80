"""`/mentor join`: sign up for the current term, or see, change or withdraw one's sign-up."""

from __future__ import annotations

from bot.blocks.signup import role_modal, signup_summary_blocks, signup_summary_text
from bot.services.signup import ChooseRole, SignupForm, signup_start
from handlers.commands.router import Invocation
from handlers.views.signup import form_view


def join(invocation: Invocation) -> None:
    start = signup_start(invocation.runtime, invocation.user_id)
    t = invocation.t
    if isinstance(start, ChooseRole):
        invocation.client.views_open(
            trigger_id=invocation.trigger_id, view=role_modal(t, late=start.late)
        )
    elif isinstance(start, SignupForm):
        invocation.client.views_open(trigger_id=invocation.trigger_id, view=form_view(t, start))
    else:
        invocation.reply.ephemeral(
            signup_summary_text(t, role=start.role),
            signup_summary_blocks(
                t,
                role=start.role,
                signup=start.signup,
                signed_up_at=start.signed_up_at,
                can_change=start.can_change,
                certified=start.certified,
            ),
        )
