"""A fake Slack for end-to-end tests (docstring completed below)."""

from tests.fakeslack.server import FakeSlack

__all__ = ["FakeSlack"]
