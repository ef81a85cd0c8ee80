"""Settings read from the environment (and a `.env` file in the working directory).

The bot refuses to start half-configured: every problem is reported as one line naming the
variable and what to do about it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"
DATABASE_DEFAULT = "sqlite:///mentorbot.db"

NOTES_KEPT_DAYS_DEFAULT = 30
PSEUDONYMISE_AFTER_MONTHS_DEFAULT = 12
_NOTES_KEPT_DAYS_MAX = 3650
_PSEUDONYMISE_AFTER_MONTHS_MAX = 120

_TOKEN_HELP = "create the Slack app from manifest.yml and copy the token from its settings"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line fit for a person."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Empty when unset: commands that never call Slack (`report`, `db upgrade`) run without
    # them, and `load_settings(slack=True)` names them as missing for those that do.
    slack_bot_token: str = Field(default="", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=SLACK_API_DEFAULT, alias="SLACK_API_URL")
    database_url: str = Field(default=DATABASE_DEFAULT, alias="MENTORBOT_DATABASE_URL")
    coordinators: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), alias="MENTORBOT_COORDINATORS"
    )
    timezone: str = Field(default="UTC", alias="MENTORBOT_TIMEZONE")
    notes_kept_days: int = Field(default=NOTES_KEPT_DAYS_DEFAULT, alias="MENTORBOT_NOTES_KEPT_DAYS")
    """Private meeting notes and notes to coordinators are deleted this many days after
    their term ends."""
    pseudonymise_after_months: int = Field(
        default=PSEUDONYMISE_AFTER_MONTHS_DEFAULT, alias="MENTORBOT_PSEUDONYMISE_AFTER_MONTHS"
    )
    """People in no current term are pseudonymised this many months after their last term
    ended."""

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError(f"must be a bot token starting with xoxb-: {_TOKEN_HELP}")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: str) -> str:
        if value and not value.strip():
            raise ValueError(f"is empty: {_TOKEN_HELP} (Basic Information → Signing Secret)")
        return value.strip()

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith("xapp-"):
            raise ValueError(
                "must be an app-level token starting with xapp- with the connections:write "
                "scope (or leave it unset to run in HTTP mode)"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"must be an http(s) URL such as {SLACK_API_DEFAULT}")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not (value.startswith("sqlite:") or value.startswith("postgresql")):
            raise ValueError("must be sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
        return value

    @field_validator("coordinators", mode="before")
    @classmethod
    def _coordinators(cls, value: object) -> frozenset[str]:
        if isinstance(value, str):
            ids = [part.strip() for part in value.split(",") if part.strip()]
        elif isinstance(value, list | tuple | set | frozenset):
            ids = [str(part).strip() for part in value]
        else:
            raise ValueError("must be a comma-separated list of Slack user IDs")
        bad = [user_id for user_id in ids if not _USER_ID.match(user_id)]
        if bad:
            raise ValueError(
                f"has {', '.join(bad)}, which is not a Slack user ID: use IDs like U0123ABCD "
                "(Slack profile → ⋮ → Copy member ID), separated by commas"
            )
        return frozenset(ids)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a time zone: use an IANA name such as Europe/Copenhagen"
            ) from None
        return value

    @field_validator("notes_kept_days", mode="before")
    @classmethod
    def _notes_kept_days(cls, value: object) -> int:
        return _whole_number(
            value,
            low=0,
            high=_NOTES_KEPT_DAYS_MAX,
            unit="days",
            purpose="notes kept after a term ends",
            example="30",
        )

    @field_validator("pseudonymise_after_months", mode="before")
    @classmethod
    def _pseudonymise_after_months(cls, value: object) -> int:
        return _whole_number(
            value,
            low=1,
            high=_PSEUDONYMISE_AFTER_MONTHS_MAX,
            unit="months",
            purpose="after someone's last term",
            example="12",
        )

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _whole_number(
    value: object, *, low: int, high: int, unit: str, purpose: str, example: str
) -> int:
    """A retention period as given in the environment (text) or in code (an int)."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if isinstance(value, bool) or not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(
            f"must be a whole number of {unit} ({purpose}) from {low} to {high}, such as {example}"
        )
    return int(text)


class _SlackTokens(BaseSettings):
    """The two Slack secrets as given, unchecked: only whether they are there."""

    model_config = Settings.model_config

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")


SLACK_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
_MISSING_HELP = {
    "SLACK_BOT_TOKEN": _TOKEN_HELP + " (OAuth & Permissions → Bot User OAuth Token)",
    "SLACK_SIGNING_SECRET": "create the Slack app from manifest.yml and copy "
    "Basic Information → Signing Secret",
}


def load_settings(*, slack: bool = True, **overrides: Any) -> Settings:
    """Read the settings, turning pydantic's report into one line per problem. With
    `slack=False` the Slack tokens may be missing (for commands that never call Slack)."""
    problems: list[str] = []
    settings: Settings | None = None
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        problems = describe_validation_error(error).splitlines()
    if slack:
        # Read on their own, so that they are named even when another setting is malformed.
        tokens = _SlackTokens(**overrides)
        given = {
            "SLACK_BOT_TOKEN": tokens.slack_bot_token,
            "SLACK_SIGNING_SECRET": tokens.slack_signing_secret,
        }
        missing = [
            f"{variable} is not set: {_MISSING_HELP[variable]}"
            for variable in SLACK_SETTINGS
            if not given[variable]
        ]
        problems = missing + problems
    if problems or settings is None:
        raise ConfigError("\n".join(problems))
    return settings


def describe_validation_error(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = problem["loc"][0] if problem["loc"] else "?"
        variable = _variable_name(str(field))
        if problem["type"] == "missing":
            hint = _MISSING_HELP.get(variable, "set it")
            lines.append(f"{variable} is not set: {hint}")
        else:
            message = str(problem["msg"]).removeprefix("Value error, ")
            lines.append(f"{variable} {message}")
    return "\n".join(lines)


def _variable_name(field: str) -> str:
    model_field = Settings.model_fields.get(field)
    if model_field is not None and model_field.alias:
        return model_field.alias
    return field.upper()
