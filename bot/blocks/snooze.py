"""The "Remind me later" button on reminders that go to one person."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import REMIND_LATER
from bot.blocks.text import button_text, section
from bot.i18n import Translator


def reminder_with_snooze_blocks(t: Translator, text: str) -> list[Block]:
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here), in the
    language of `t`, the reader's. The button carries nothing: whoever clicks it snoozes
    themselves, for a day."""
    return [
        section(text),
        ActionsBlock(
            block_id="remind_later",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button on a reminder: snooze it for a day (max 75 characters).
                    text=button_text(t.gettext("Remind me later")),
                    action_id=REMIND_LATER,
                    value="1",
                )
            ],
        ),
    ]
