"""`mentorbot privacy export|erase EMAIL|USER_ID`: what the bot holds about one person, as
JSON, or removed (only anonymous counts stay). Both are logged by an opaque reference and
counts, never with the person's name, e-mail or ID."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import click

from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.runtime import Runtime
from bot.services import privacy as privacy_service
from bot.services.privacy import erase, erasure_preview, export_data, find_identity
from storage.privacy import Identity


@click.group()
def privacy() -> None:
    """A person's data: export it, or erase it."""


def _runtime_and_identity(who: str) -> tuple[Runtime, Identity]:
    configure_logging("WARNING")
    # The audit line of each action, whatever the level of the rest.
    logging.getLogger(privacy_service.__name__).setLevel(logging.INFO)
    runtime = migrated_runtime(settings_or_exit(slack=False))
    identity = find_identity(runtime, who)
    if identity is None:
        fail(
            "no one stored has that Slack user ID or e-mail (an e-mail several people share "
            "needs the user ID)",
            code=1,
        )
    return runtime, identity


@privacy.command("export")
@click.argument("who")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON to this file instead of standard output.",
)
def export_command(who: str, out_path: Path | None) -> None:
    """Write everything stored about the person with this e-mail or Slack user ID as JSON."""
    runtime, identity = _runtime_and_identity(who)
    exported = export_data(runtime, identity)
    text = json.dumps(exported.data, ensure_ascii=False, indent=2, sort_keys=True)
    if out_path is None:
        click.echo(text)
        return
    try:
        out_path.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {out_path}: {error.strerror}", code=1)
    click.echo(f"wrote {exported.rows} rows to {out_path} (reference {exported.reference})")


@privacy.command("erase")
@click.argument("who")
@click.option("--yes", is_flag=True, help="Erase without asking: nothing can bring it back.")
def erase_command(who: str, yes: bool) -> None:
    """Remove what is stored about the person with this e-mail or Slack user ID: their name,
    e-mail, Slack ID, sign-up answers and notes. Only anonymous counts stay (meetings held,
    attendance, votes in a tally). Asks for --yes."""
    runtime, identity = _runtime_and_identity(who)
    if not yes:
        _print_counts("would change", erasure_preview(runtime, identity))
        fail("nothing erased: run it again with --yes to erase (it cannot be undone)")
    erasure = erase(runtime, identity)
    _print_counts(f"erased (reference {erasure.reference}), rows changed", erasure.removed)


def _print_counts(heading: str, counts: Counter[str]) -> None:
    click.echo(f"{heading}:")
    for table, rows in sorted(counts.items()):
        click.echo(f"  {table}: {rows}")
