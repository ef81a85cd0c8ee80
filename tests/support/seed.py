"""Seeding a running scheme straight through the bot's services (no signed requests), for
process tests and benchmarks that start `mentorbot run` on a prepared database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from bot.config import Settings
from bot.runtime import Runtime
from bot.sandbox.fakeslack.server import FakeSlack
from bot.services.group_context import group_context
from bot.services.groups import GroupRequest, create_group
from bot.services.people import SlackProfile
from bot.services.polls.drafting import PollDraft
from bot.services.polls.posting import post_poll, store_poll
from bot.services.themes import seed_default_themes
from storage.db import make_engine, write_session
from storage.migrate import upgrade
from storage.people import certify, save_person
from storage.terms import create_current_term


@dataclass
class SeededGroup:
    group_id: int
    channel_id: str
    mentor_id: str
    member_ids: list[str]
    poll_id: int | None = None


class Seeder:
    """A term running now, with groups of one certified mentor and three mentees."""

    def __init__(self, slack: FakeSlack, database_url: str, signing_secret: str) -> None:
        self.slack = slack
        self.now = datetime.now(UTC)
        engine = make_engine(database_url)
        upgrade(engine)
        settings = Settings(
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=signing_secret,
            SLACK_API_URL=slack.api_url,
            MENTORBOT_DATABASE_URL=database_url,
            MENTORBOT_TIMEZONE="Europe/Copenhagen",
            _env_file=None,
        )
        self.runtime = Runtime(settings=settings, engine=engine)
        self.client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        seed_default_themes(self.runtime)
        with write_session(engine) as session:
            create_current_term(
                session,
                name="Current term",
                starts_on=(self.now - timedelta(days=60)).date(),
                ends_on=(self.now + timedelta(days=120)).date(),
                min_meetings=3,
                timezone="Europe/Copenhagen",
                language="en",
                created_by="USEED",
                now=self.now,
            )

    def group(self, name: str) -> SeededGroup:
        people = [self.slack.add_user(f"{name.lower().replace(' ', '')}p{i}") for i in range(4)]
        with write_session(self.runtime.engine) as session:
            mentor, _ = save_person(session, slack_user_id=people[0].id, name="m", email=None)
            certify(session, mentor, by="USEED", now=self.now)
        profiles = [SlackProfile(p.id, p.real_name or p.name, p.email, None) for p in people]
        outcome = create_group(
            self.runtime,
            self.client,
            GroupRequest(profiles[0], tuple(profiles[1:]), name),
            created_by="USEED",
        )
        assert outcome.group.channel_id is not None
        assert outcome.group.id is not None
        return SeededGroup(
            outcome.group.id, outcome.group.channel_id, people[0].id, [p.id for p in people]
        )

    def poll(self, group: SeededGroup, *, options: int = 2) -> int:
        """An open poll on the next days at this hour, answers due tomorrow."""
        group.poll_id = store_poll(
            self.runtime,
            group_context(self.runtime, channel_id=group.channel_id),
            PollDraft(
                starts=tuple(self.now + timedelta(days=2 + days) for days in range(options)),
                length_minutes=90,
                deadline=self.now + timedelta(days=1),
            ),
            user_id=group.mentor_id,
        )
        post_poll(self.runtime, self.client, group.poll_id)
        return group.poll_id

    def close(self) -> None:
        self.runtime.engine.dispose()
