"""The review modal's builders (issue 17): a large term pages its groups and summarises who
is left out, so every view stays inside Slack's limits in every language; what people typed
is escaped."""

from __future__ import annotations

import json

import pytest

from bot.blocks.review import GROUPS_PER_PAGE, move_modal, review_modal
from bot.blocks.text import VIEW_BLOCKS
from bot.domain.matching import GroupReasons, GroupRules, LeftOutReason
from bot.domain.review import Review, ReviewGroup
from bot.i18n import LANGUAGES, translator

HOSTILE = "<!channel> *Ada* & <@U1>" + "x" * 200


def _review(groups: int, left_out: int) -> Review:
    reasons = GroupReasons(
        common_slots=("mon-morning", "tue-morning"),
        languages=("da", "en"),
        preferred_mentor_of=("E0-0",),
        friends_together=(("E0-0", "E0-1"),),
        programmes=("Nursing",),
        years=("1", "2"),
    )
    return Review(
        proposal_id=7,
        draft=True,
        groups=tuple(
            ReviewGroup(
                position=i,
                mentor=f"M{i}",
                mentees=tuple(f"E{i}-{k}" for k in range(4)),
                locked=i % 3 == 0,
                reasons=reasons,
            )
            for i in range(groups)
        ),
        left_out=tuple((f"L{i}", LeftOutReason.NO_ROOM.value) for i in range(left_out)),
        names={
            **{f"M{i}": HOSTILE for i in range(groups)},
            **{f"E{i}-{k}": HOSTILE for i in range(groups) for k in range(4)},
            **{f"L{i}": HOSTILE for i in range(left_out)},
        },
        rules=GroupRules(),
    )


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_large_term_pages_and_fits(language: str) -> None:
    review = _review(groups=150, left_out=600)
    t = translator(language)
    pages = -(-150 // GROUPS_PER_PAGE)
    seen: set[str] = set()
    for page in range(pages):
        view = review_modal(t, review, page=page).to_dict()
        seen |= {
            b.get("block_id", "")
            for b in view["blocks"]
            if b.get("block_id", "").startswith("review_group_")
        }
        buttons = json.dumps([b for b in view["blocks"] if b["type"] == "actions"])
        assert ("review_page_back" in buttons) == (page > 0)
        assert ('"review_page"' in buttons) == (page < pages - 1)
        assert len(view["blocks"]) <= VIEW_BLOCKS
        said = json.dumps(view, ensure_ascii=False)
        assert "<!channel>" not in said
        assert "&lt;!channel&gt;" in said
    assert len(seen) == 150, "every group is on a page"
    # The move form: more groups than a menu lists, so the number is typed.
    move = move_modal(t, review, page=0, review_view_id="V1").to_dict()
    assert move["blocks"][1]["element"]["type"] == "plain_text_input"


def test_a_small_term_moves_with_a_menu() -> None:
    review = _review(groups=3, left_out=1)
    move = move_modal(translator("en"), review, page=0, review_view_id="V1").to_dict()
    options = move["blocks"][1]["element"]["options"]
    assert [o["value"] for o in options] == ["out", "0", "1", "2"]
    view = review_modal(translator("en"), review).to_dict()
    assert "review_page" not in json.dumps(view), "one page: no paging buttons"
