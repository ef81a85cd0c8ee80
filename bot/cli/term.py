"""`mentorbot term new|list|close`: prepare and end a term from a terminal, as `/mentor term
new` and `/mentor term close` do in Slack (the same words, services and domain rules)."""

from __future__ import annotations

import click

from bot.cli.checks import slack_client_or_exit, terminal_text
from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.domain.errors import UserError
from bot.domain.terms import LANGUAGES
from bot.runtime import Runtime
from bot.services.closing import close_term_now, term_to_close
from bot.services.terms import start_term
from storage.db import read_session
from storage.models import Term
from storage.terms import terms_newest_first

CREATED_BY = "cli"
"""Who started a term from the terminal, where there is no Slack user."""


def term_summary(term: Term) -> str:
    return (
        f"{term.name}: {term.starts_on:%-d %b %Y} – {term.ends_on:%-d %b %Y}, at least "
        f"{term.min_meetings} meetings per group, times in {term.timezone}, "
        f"{LANGUAGES.get(term.language, term.language)}"
    )


@click.group()
def term() -> None:
    """Terms: a half-year run of the scheme; one is current at a time."""


@term.command("new", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
def term_new(words: tuple[str, ...]) -> None:
    """Start a term and make it the current one: NAME START END [min=N] [tz=ZONE]
    [lang=en|da], dates as YYYY-MM-DD, e.g.

        mentorbot term new "Spring 2027" 2027-02-01 2027-06-30 min=3
    """
    configure_logging("WARNING")
    runtime = migrated_runtime(settings_or_exit(slack=False))
    try:
        started, previous = start_term(runtime, words=words, user_id=CREATED_BY)
    except UserError as error:
        fail(terminal_text(runtime, error.message))
    click.echo(f"started the term {term_summary(started)}; it is now the current term")
    if previous is not None:
        click.echo(f"“{previous.name}” is no longer current; its groups and meetings are kept")


@term.command("list")
def term_list() -> None:
    """Every term, newest first; the current one marked with *."""
    configure_logging("WARNING")
    runtime = migrated_runtime(settings_or_exit(slack=False))
    terms = _terms_newest_first(runtime)
    if not terms:
        click.echo('no terms yet: start one with mentorbot term new "Spring 2027" START END')
        return
    for each in terms:
        click.echo(f"{'*' if each.is_current else ' '} {term_summary(each)}")


def _terms_newest_first(runtime: Runtime) -> list[Term]:
    with read_session(runtime.engine) as session:
        return terms_newest_first(session)


@term.command("close")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def term_close(yes: bool) -> None:
    """Close the current term now, as `/mentor term close` does: each group's channel gets
    a thank-you, each mentor a summary, the coordinators the final report (CSV); open polls
    are cancelled and the channels archived after the term's grace period. Closing twice
    does nothing the second time."""
    configure_logging("WARNING")
    settings = settings_or_exit()
    client = slack_client_or_exit(settings)
    runtime = migrated_runtime(settings)
    try:
        asked = term_to_close(runtime)
    except UserError as error:
        fail(terminal_text(runtime, error.message))
    if asked.closed_on is not None:
        click.echo(f"“{asked.name}” was already closed on {asked.closed_on:%-d %b %Y}")
        return
    if not yes:
        click.confirm(
            f"Close “{asked.name}” now? Groups, mentors and coordinators are messaged", abort=True
        )
    closed, report = close_term_now(runtime, client, term_id=asked.term_id, by=CREATED_BY)
    if report is None:
        click.echo(f"“{closed.name}” was already closed")
        return
    click.echo(f"closed “{closed.name}”: {report}")
    if report.failed:
        click.echo(
            "the sends that failed are retried by the closing job (mentorbot run-job closing)"
        )
