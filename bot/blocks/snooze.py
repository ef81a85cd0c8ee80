"""The "Remind me later" button on reminders that go to one person."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import REMIND_LATER
from bot.blocks.text import button_text, section
from bot.i18n import ENGLISH, Translator, translator


def reminder_with_snooze_blocks(t: Translator | str, text: str | None = None) -> list[Block]:
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here), in the
    language of `t`, the reader's. The button carries nothing: whoever clicks it snoozes
    themselves, for a day.

    Called as `reminder_with_snooze_blocks(text)` (the text alone) the button is English:
    the form callers used before the bot spoke other languages."""
    reader = translator(ENGLISH) if isinstance(t, str) else t
    if isinstance(t, str):
        text = t
    return [
        section(text or ""),
        ActionsBlock(
            block_id="remind_later",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button on a reminder: snooze it for a day (max 75 characters).
                    text=button_text(reader.gettext("Remind me later")),
                    action_id=REMIND_LATER,
                    value="1",
                )
            ],
        ),
    ]
