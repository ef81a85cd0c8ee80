"""No English left behind: every word handed to Slack goes through the message catalogue.

An AST walk over the code that builds what people read (bot/blocks, bot/services,
bot/domain, handlers) finds each call of a text builder — the block constructors of
bot/blocks/text.py, slack_sdk's text objects and elements, a message's `text=`, a refusal —
and fails when its text is written in the code: a string literal or an f-string with letters
in it, or English glued to a value (`t.gettext("…") + " more"`, `"Hi " + name`). What
passes is a value: a `t.gettext`/`ngettext`/`pgettext` result, a `Phrase`, a variable
holding either. It also fails when a message given to the gettext family is not a literal
(an f-string or a variable), which `pybabel extract` cannot read.

Words that reach Slack some other way (a helper's parameter holding an English default, an
English `str` built far from its builder) are beyond a syntax check: the language tests
(tests/test_e2e_language_*.py, `assert_no_english`) read the surfaces themselves.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("bot/blocks", "bot/services", "bot/domain", "handlers", "bot/followups.py")
"""The code that words what people read in Slack. Not bot/cli (the coordinator's terminal
stays English), not bot/sandbox (a local stand-in for Slack), not bot/i18n (the catalogue's
own mechanism passes its messages on as variables)."""

TEMPORARILY_UNSCANNED: frozenset[str] = frozenset()
"""Files left out of the scan for now, each with the reason and when it comes back in.
Nothing is skipped today."""

POSITIONAL_TEXT: dict[str, tuple[int, ...] | None] = {
    # bot/blocks/text.py: the block constructors and mrkdwn helpers (None: every argument).
    "section": (0,),
    "fields": (0,),
    "context": None,
    "header": (0,),
    "button_text": (0,),
    "option_text": (0,),
    "modal_text": (0,),
    "plain": (0,),
    "md": (0,),
    "message_text": (0,),
    "mrkdwn_object": (0,),
    "fit": (0,),
    "bold": (0,),
    "italic": (0,),
    "link": (1,),
    "local_time": (1,),
    "Mrkdwn": (0,),
    # slack_sdk's text objects.
    "PlainTextObject": (0,),
    "MarkdownTextObject": (0,),
    # Refusals, said to the person by the listener.
    "UserError": (0,),
    "FieldError": (1,),
    "DateNotUnderstood": (0,),
    # Answers to the person who asked (handlers/reply.py).
    "ephemeral": (0,),
    "refuse": (1,),
    "sorry_response": (0,),
}
"""Builders whose positional arguments at these places are text people read."""

KEYWORD_TEXT = frozenset(
    {
        "text",  # messages (chat_postMessage, respond, ack…), text objects, buttons, options
        "title",  # View, ConfirmObject, a shared file
        "submit",
        "close",
        "label",  # InputBlock, Option, OptionGroup
        "hint",
        "placeholder",
        "confirm",
        "deny",
        "description",  # Option, the calendar event
        "initial_comment",  # a shared file's message
        "alt_text",
        "message",  # FormErrors' whole message
    }
)
"""Keyword arguments that are text people read, whichever call they are given to."""

MESSAGE_CALLS = {"gettext": (0,), "ngettext": (0, 1), "pgettext": (0, 1)}
MARKING_CALLS = {"phrase": (0,), "nphrase": (0, 1)}
"""Where the catalogue's messages are: each must be a literal for `pybabel extract`."""

NON_WORDS = frozenset(
    {
        # The start of Slack's date token, `<!date^UNIX^TOKENS|FALLBACK>` (bot/blocks/text.py
        # local_time): syntax Slack's client reads, the fallback is the translated part.
        "<!date^",
    }
)
"""Literal texts with letters that are still no words to translate. Emoji, "·" and "…"
hold no letters and pass as they are; `{placeholders}`, Slack's `:shortcodes:` and code
spans (a command such as `/mentor poll`, the same in every language) are not read as
words. Add a text here only if it truly is no word in any language."""

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_CODE_SPAN = re.compile(r"`[^`]*`")


def _has_words(text: str) -> bool:
    if text in NON_WORDS:
        return False
    bare = _CODE_SPAN.sub("", _SHORTCODE.sub("", _PLACEHOLDER.sub("", text)))
    return any(character.isalpha() for character in bare)


def _written_in_code(node: ast.expr) -> bool:
    """True if `node` puts words written in the code into a text: a literal or f-string
    with letters, or one glued to something else, chosen by a condition or filled in."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_written_in_code(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _written_in_code(node.left) or _written_in_code(node.right)
    if isinstance(node, ast.IfExp):
        return _written_in_code(node.body) or _written_in_code(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_written_in_code(value) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(_written_in_code(element) for element in node.elts)
    if isinstance(node, ast.Starred):
        return _written_in_code(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "Hello {name}".format(…), ", and ".join(…): the words are the receiver's.
        return node.func.attr in ("format", "join") and _written_in_code(node.func.value)
    return False


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _text_arguments(call: ast.Call, name: str | None) -> Iterator[ast.expr]:
    if name in POSITIONAL_TEXT:
        places = POSITIONAL_TEXT[name]
        for place, argument in enumerate(call.args):
            if places is None or place in places:
                yield argument
    for keyword in call.keywords:
        if keyword.arg in KEYWORD_TEXT:
            yield keyword.value


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


@dataclass(frozen=True)
class Bypass:
    where: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.call}({self.text})"


def bypasses(source: str, where: str) -> list[Bypass]:
    """Every text written in `source` that reaches Slack without the catalogue, and every
    message of the gettext family that extraction cannot read."""
    found = []
    for node in ast.walk(ast.parse(source, filename=where)):
        if isinstance(node, ast.Dict):
            found += _dict_bypasses(node, where)
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        for argument in _text_arguments(node, name):
            if _written_in_code(argument):
                found.append(Bypass(where, argument.lineno, name or "?", ast.unparse(argument)))
        for place in _message_places(node):
            if place < len(node.args) and not _is_literal(node.args[place]):
                message = ast.unparse(node.args[place])
                found.append(Bypass(where, node.lineno, f"{name} (not a literal)", message))
    return sorted(found, key=lambda bypass: (bypass.line, bypass.call))


def _dict_bypasses(node: ast.Dict, where: str) -> list[Bypass]:
    """A payload written as a dict (`respond({"text": …})`, a block as JSON): its text keys
    are held to the same rule as the keyword arguments."""
    return [
        Bypass(where, value.lineno, f"{{{key.value!r}: …}}", ast.unparse(value))
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant) and key.value in KEYWORD_TEXT and _written_in_code(value)
    ]


def _message_places(call: ast.Call) -> tuple[int, ...]:
    """Where `call` takes catalogue messages: `t.gettext(…)`, `phrase(…)`; none elsewhere."""
    if isinstance(call.func, ast.Attribute):
        return MESSAGE_CALLS.get(call.func.attr, ())
    if isinstance(call.func, ast.Name):
        return MARKING_CALLS.get(call.func.id, ())
    return ()


def _scanned_files() -> Iterator[Path]:
    for entry in SCANNED:
        path = ROOT / entry
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if file.relative_to(ROOT).as_posix() not in TEMPORARILY_UNSCANNED:
                yield file


def test_every_text_given_to_slack_comes_from_the_catalogue() -> None:
    found = [
        str(bypass)
        for file in _scanned_files()
        for bypass in bypasses(file.read_text(), file.relative_to(ROOT).as_posix())
    ]
    assert found == [], (
        "Words written in the code reach Slack without a translation; wrap each in "
        "t.gettext/ngettext/pgettext (or phrase/nphrase where the reader is not known yet):\n"
        + "\n".join(found)
    )


def test_the_scan_reads_every_folder_it_names() -> None:
    """A folder renamed or moved would leave the scan passing on nothing."""
    files = {file.relative_to(ROOT).as_posix() for file in _scanned_files()}
    for entry in SCANNED:
        assert any(file == entry or file.startswith(f"{entry}/") for file in files), entry
    assert "bot/blocks/polls.py" in files
    assert all((ROOT / name).is_file() for name in TEMPORARILY_UNSCANNED)


PLANTED = """
def build(t, name, count, where):
    blocks = [
        section("Your poll is up"),
        header(f"Meetings of {name}"),
        context(t.gettext("Planned"), "by the mentor"),
        section(t.gettext("Where: {place}").format(place=where) + " (room)"),
        fields(["*Held*", t.gettext("*Planned*")]),
        section(md("*{name}* met {count} times", name=name, count=count)),
    ]
    button = ButtonElement(text=button_text("Close poll"), action_id="poll_close")
    view = View(type="modal", title=modal_text(t.gettext("Poll")), submit="Post")
    respond(text="Done!", response_type="ephemeral")
    client.chat_postMessage(channel="C1", text=f"Hi {name}")
    reply.ephemeral("Nothing to do" if count else t.gettext("Done"))
    raise UserError("Only the mentor can close the poll.")
    raise FieldError("when", "Give a date")
    label = t.gettext(f"{count} meetings")
    marked = phrase(message_of_the_day)
    respond({"text": "Saved", "response_type": "ephemeral"})
    return Mrkdwn("Nothing planned yet")
"""
"""One of each way words can bypass the catalogue, as a newcomer might write them."""

PLANTED_FOUND = [
    (4, "section", "'Your poll is up'"),
    (5, "header", "f'Meetings of {name}'"),
    (6, "context", "'by the mentor'"),
    (7, "section", "t.gettext('Where: {place}').format(place=where) + ' (room)'"),
    (8, "fields", "['*Held*', t.gettext('*Planned*')]"),
    (9, "md", "'*{name}* met {count} times'"),
    (11, "button_text", "'Close poll'"),
    (12, "View", "'Post'"),
    (13, "respond", "'Done!'"),
    (14, "chat_postMessage", "f'Hi {name}'"),
    (15, "ephemeral", "'Nothing to do' if count else t.gettext('Done')"),
    (16, "UserError", "'Only the mentor can close the poll.'"),
    (17, "FieldError", "'Give a date'"),
    (18, "gettext (not a literal)", "f'{count} meetings'"),
    (19, "phrase (not a literal)", "message_of_the_day"),
    (20, "{'text': …}", "'Saved'"),
    (21, "Mrkdwn", "'Nothing planned yet'"),
]


def test_the_scan_finds_each_planted_bypass() -> None:
    found = [(bypass.line, bypass.call, bypass.text) for bypass in bypasses(PLANTED, "planted")]
    assert found == PLANTED_FOUND


TRANSLATED = """
def build(t, name, group, count, when, moment, zone):
    blocks = [
        section(md(t.gettext("*{group}* met on {day}"), group=name, day=t.day(moment))),
        header(t.gettext("Mentor groups: what you can do")),
        context(t.ngettext("{count} meeting", "{count} meetings", count).format(count=count)),
        section(md("{text}\\n{place}", text=group, place=when)),
        context("·", "…", "✅ 📍", ":calendar: {when}"),
        fields([md("*{name}*", name=name), NOTE.say(t)]),
        section(md("{usage}  {summary}", usage=code(name), summary=group)),
    ]
    respond(text=t.pgettext("poll", "Close"), response_type="ephemeral")
    raise UserError(phrase("Only the group's mentor can do that."))
    raise FieldError("when", nphrase("{count} date", "{count} dates", count))
    logger.warning("could not post poll %s", name)
    token = Mrkdwn(f"<!date^{int(moment.timestamp())}^{tokens}|{shown}>")
    return local_time(moment, zoned_fallback(moment, zone, t)), token
"""
"""Texts from the catalogue, values, markup and non-words: nothing to find."""


def test_the_scan_passes_translated_text_values_and_non_words() -> None:
    assert bypasses(TRANSLATED, "translated") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("·", False),
        ("…", False),
        ("✅", False),
        ("{when}\n{place}", False),
        (":wave: {name}", False),
        ("{count:,}", False),
        ("`/mentor poll add WHEN`", False),
        ("<!date^", False),
        ("Type `/mentor help`", True),
        ("<!date^{unix}^{tokens}|tomorrow>", True),
        ("Hi", True),
        ("📍 Where: {place}", True),
        ("Møde", True),
        ("Spotkanie", True),
    ],
)
def test_words_are_letters_outside_placeholders_and_shortcodes(text: str, words: bool) -> None:
    assert _has_words(text) is words
