"""The stored state of the bot. One SQLModel class per entity; schema changes go through
Alembic migrations in `storage/migrations/versions/`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ProcessedEvent(SQLModel, table=True):
    """An Events API delivery already handled; Slack retries carry the same `event_id`."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(max_length=64)
    received_at: datetime = Field(sa_type=UTCDateTime)
