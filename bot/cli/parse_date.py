"""`mentorbot parse-date`: how the bot understands typed dates, one line per text."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.cli.common import settings_or_exit
from bot.domain.dates import LANGUAGES, DateNotUnderstood, understand_datetime


@click.command("parse-date")
@click.option(
    "--now",
    "now_text",
    help="ISO 8601 time to parse relative to (default: now; "
    "without an offset it means --tz's zone).",
)
@click.option(
    "--tz",
    "zone_name",
    default=None,
    help="IANA time zone (default: MENTORBOT_TIMEZONE, from the environment or .env; else UTC).",
)
@click.option(
    "--lang",
    "lang",
    default="en",
    show_default=True,
    help=f"Language code, or several separated by commas ({', '.join(LANGUAGES)}).",
)
@click.argument("texts", nargs=-1, required=True)
def parse_date(
    now_text: str | None, zone_name: str | None, lang: str, texts: tuple[str, ...]
) -> None:
    """Print, for each TEXT, the ISO 8601 datetime it names or `error: REASON`.
    Exits 0 when every text was understood, 1 otherwise."""
    # The bot's own time zone, read as the bot reads it (environment, then .env).
    zone = _zone(zone_name or settings_or_exit(slack=False).timezone)
    languages = tuple(code.strip().lower() for code in lang.split(",") if code.strip())
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        _usage_error(f"--lang {lang!r}: choose from {', '.join(sorted(LANGUAGES))}")
    now = _now(now_text, zone)
    all_understood = True
    for text in texts:
        try:
            click.echo(
                understand_datetime(text, now=now, zone=zone, languages=languages).isoformat()
            )
        except DateNotUnderstood as error:
            click.echo(f"error: {error}")
            all_understood = False
    sys.exit(0 if all_understood else 1)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _usage_error(f"--tz {name!r} is not a time zone: use an IANA name like Europe/Copenhagen")


def _now(text: str | None, zone: ZoneInfo) -> datetime:
    if text is None:
        return datetime.now(UTC).astimezone(zone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _usage_error(f"--now {text!r} is not ISO 8601: write it like 2026-11-27T09:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _usage_error(message: str) -> NoReturn:
    click.echo(f"mentorbot parse-date: {message}", err=True)
    sys.exit(2)
