"""The "Remind me later" button on reminders that go to one person."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import REMIND_LATER
from bot.blocks.text import button_text, section
from bot.i18n import ENGLISH, Translator, translator


def reminder_with_snooze_blocks(text: str, *, t: Translator | None = None) -> list[Block]:
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here). The
    button carries nothing: whoever clicks it snoozes themselves, for a day. The button in
    the reader's language (`t`; English for callers that do not say yet)."""
    said_in = t or translator(ENGLISH)
    return [
        section(text),
        ActionsBlock(
            block_id="remind_later",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button on a reminder: snooze it for a day (max 75 characters).
                    text=button_text(said_in.gettext("Remind me later")),
                    action_id=REMIND_LATER,
                    value="1",
                )
            ],
        ),
    ]
