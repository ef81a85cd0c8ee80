"""Availability polls, along a poll's life: drafted (`drafting`), stored and posted
(`posting`), voted on (`voting`), drawn and redrawn (`tally`, `redraw`), closed or cancelled
(`closing`), and kept moving by the poll job (`reminders`). Every one of them reads a poll
through `loading`.

Every state change is decided by the database (a unique vote per member and option, a
conditional open → closed update, an outbox key per announcement), so repeated clicks,
retried deliveries and two bot processes never count or announce anything twice.
"""
