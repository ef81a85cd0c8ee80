"""Settings: defaults, and one clear line per missing or malformed variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import DATABASE_DEFAULT, SLACK_API_DEFAULT, ConfigError, load_settings
from mentorbot import WIRING

VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "MENTORBOT_DATABASE_URL",
    "MENTORBOT_COORDINATORS",
    "MENTORBOT_TIMEZONE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def _set(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="secret")
    settings = load_settings()
    assert settings.slack_api_url == SLACK_API_DEFAULT
    assert settings.database_url == DATABASE_DEFAULT
    assert settings.timezone == "UTC"
    assert settings.coordinators == frozenset()
    assert not settings.socket_mode


def test_all_settings_read(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(
        monkeypatch,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="secret",
        SLACK_APP_TOKEN="xapp-1",
        SLACK_API_URL="http://127.0.0.1:9999/api",
        MENTORBOT_DATABASE_URL="postgresql+psycopg://bot@db/mentor",
        MENTORBOT_COORDINATORS="U111AAA, U222BBB",
        MENTORBOT_TIMEZONE="Europe/Copenhagen",
    )
    settings = load_settings()
    assert settings.socket_mode
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.coordinators == {"U111AAA", "U222BBB"}
    assert str(settings.zone) == "Europe/Copenhagen"


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=s\n")
    assert load_settings().slack_bot_token == "xoxb-from-file"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (
            {"SLACK_SIGNING_SECRET": "s"},
            "SLACK_BOT_TOKEN is not set: create the Slack app from manifest.yml",
        ),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        (
            {"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"},
            "SLACK_BOT_TOKEN must be a bot token",
        ),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN must be an app-level token"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL must be an http(s) URL"),
        ({"MENTORBOT_DATABASE_URL": "mysql://x"}, "MENTORBOT_DATABASE_URL must be sqlite"),
        ({"MENTORBOT_COORDINATORS": "alice,U123ABC"}, "MENTORBOT_COORDINATORS has alice"),
        ({"MENTORBOT_TIMEZONE": "CET+1"}, "MENTORBOT_TIMEZONE 'CET+1' is not a time zone"),
    ],
)
def test_bad_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    _set(monkeypatch, **{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", **environment})
    if (
        "SLACK_SIGNING_SECRET" not in environment
        and "SLACK_BOT_TOKEN" in environment
        and len(environment) == 1
    ):
        monkeypatch.delenv("SLACK_SIGNING_SECRET")
    if environment == {"SLACK_SIGNING_SECRET": "s"}:
        monkeypatch.delenv("SLACK_BOT_TOKEN")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert expected in str(raised.value)
    assert "Traceback" not in str(raised.value)


def test_run_refuses_to_start_half_configured() -> None:
    result = CliRunner().invoke(cli, ["run"], obj=WIRING)
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN is not set" in result.output
    assert "Traceback" not in result.output
