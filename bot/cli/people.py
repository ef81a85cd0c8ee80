"""`mentorbot certify EMAIL…`: mark trained mentors as certified from a terminal, through the
same service as `/mentor certify @user` (people are found in Slack by email here)."""

from __future__ import annotations

import click

from bot.cli.checks import slack_client_or_exit, terminal_text
from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.domain.errors import UserError
from bot.services.people import certify_mentor
from bot.services.roster import lookup_by_email

CERTIFIED_BY = "cli"


@click.command()
@click.argument("emails", nargs=-1, required=True)
def certify(emails: tuple[str, ...]) -> None:
    """Mark the people with these Slack emails as certified mentors: only certified mentors
    can lead a group. Exits 1 if someone could not be certified."""
    configure_logging("WARNING")
    settings = settings_or_exit()
    client = slack_client_or_exit(settings)
    runtime = migrated_runtime(settings)
    all_done = True
    for email in dict.fromkeys(address.strip().lower() for address in emails):
        profile = lookup_by_email(client, email)
        if profile is None:
            click.echo(f"{email}: not found in Slack; check the address")
            all_done = False
            continue
        who = f"{profile.name} <{email}>"
        try:
            newly = certify_mentor(runtime, client, user_id=profile.user_id, by=CERTIFIED_BY)
        except UserError as error:
            # The service names them as a mention; here they are who the email says.
            message = error.message.replace(f"<@{profile.user_id}>", who)
            click.echo(f"{email}: {terminal_text(runtime, message)}")
            all_done = False
            continue
        click.echo(f"{who} {'is now certified' if newly else 'was already certified'}")
    if not all_done:
        raise SystemExit(1)
