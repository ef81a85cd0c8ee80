"""Tests of the fake Slack itself (bot/sandbox/fakeslack/), one file per part of the fake."""
