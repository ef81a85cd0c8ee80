"""The "Remind me later" button on reminders that go to one person."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import REMIND_LATER
from bot.blocks.text import section


def reminder_with_snooze_blocks(text: str) -> list[Block]:
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here). The
    button carries nothing: whoever clicks it snoozes themselves, for a day."""
    return [
        section(text),
        ActionsBlock(
            block_id="remind_later",
            elements=[ButtonElement(text="Remind me later", action_id=REMIND_LATER, value="1")],
        ),
    ]
